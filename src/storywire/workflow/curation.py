"""Analyst curation: decisions that correct the machine and stay corrected.

Each function here records one row in ``decisions`` and applies it at once.
:func:`apply_decisions` replays every active decision, oldest first, and is
idempotent: the stages call it after their automatic step (and the
``workflow`` stage calls it for all kinds on every run), so a decision holds
whatever later runs compute, including a full re-run from scratch.

Decisions name what is stable across re-runs. Story decisions keep the article
ids they were about (story ids may change when stories are recomputed); copy
verdicts name the article pair; actor decisions name actor ids (stable: derived
from the actor's kind and name key) and the name variants concerned.

=============  ==================  ==================  =========================================
kind           subject             object              value (JSON)
=============  ==================  ==================  =========================================
story_merge    kept story id       merged story id     {"keep_articles", "other_articles"}
story_split    story id            new story id        {"articles"}: the articles moved out
story_rename   story id            -                   {"title", "articles"}
copy_verdict   "a|b" (a < b)       -                   {"verdict"}: copy | partial | independent
actor_merge    merged actor id     kept actor id       {"variants"}: the merged actor's variants
actor_split    actor id            new actor id        {"variants"}: the variants moved out
=============  ==================  ==================  =========================================
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from typing import Any, Iterable

from ..errors import NotFound, StorywireError
from ..store import Store, now
from ..text import fold
from .summary import refresh_summaries

STORY_KINDS = ("story_merge", "story_split", "story_rename")
COPY_KINDS = ("copy_verdict",)
ACTOR_KINDS = ("actor_merge", "actor_split")
KINDS = STORY_KINDS + COPY_KINDS + ACTOR_KINDS
# apply_decisions(kinds=...) also takes the name of the stage whose decisions to apply.
STAGE_KINDS = {"stories": STORY_KINDS, "copies": COPY_KINDS, "actors": ACTOR_KINDS}
VERDICTS = ("copy", "partial", "independent")


class CurationError(StorywireError):
    """A curation request that cannot be carried out."""


# -- the analyst's actions ---------------------------------------------------------


def merge_stories(store: Store, keep: str, other: str, note: str | None = None) -> int:
    """Make ``other`` part of ``keep``; return the decision id."""
    keep, other = _active_story(store, keep), _active_story(store, other)
    if keep == other:
        raise CurationError(f"{keep} and {other} are one story already", hint="pick two different stories")
    value = {"keep_articles": _story_articles(store, keep), "other_articles": _story_articles(store, other)}
    return _decide(store, "story_merge", keep, other, value, note)


def split_story(store: Store, story: str, article_ids: Iterable[str], note: str | None = None) -> tuple[int, str]:
    """Move ``article_ids`` out of ``story`` into a new story; return (decision id, new story id)."""
    story = _active_story(store, story)
    ids = sorted(set(article_ids))
    members = set(_story_articles(store, story))
    if not ids or not set(ids) <= members:
        raise CurationError(
            f"articles {', '.join(sorted(set(ids) - members)) or '(none)'} are not in story {story}",
            hint=f"list the story's articles with `storywire articles --story {story}`",
        )
    decision = _decide(store, "story_split", story, None, {"articles": ids}, note)
    return decision, f"manual-{decision}"


def rename_story(store: Store, story: str, title: str, note: str | None = None) -> int:
    story = _active_story(store, story)
    title = " ".join(title.split())
    if not title:
        raise CurationError("empty story title", hint="give the new title in quotes")
    return _decide(store, "story_rename", story, None, {"title": title, "articles": _story_articles(store, story)}, note)


def set_copy_verdict(store: Store, a: str, b: str, verdict: str, note: str | None = None) -> int:
    """The analyst's verdict on a pair of articles (e.g. a copy that is not one)."""
    if verdict not in VERDICTS:
        raise CurationError(f"unknown verdict {verdict!r}", hint=f"use one of: {', '.join(VERDICTS)}")
    if a == b:
        raise CurationError("a pair needs two different articles", hint="give the ids of the two articles")
    for article in (a, b):
        store.get_article(article)  # NotFound with a hint
    a, b = sorted((a, b))
    return _decide(store, "copy_verdict", f"{a}|{b}", None, {"verdict": verdict}, note)


def merge_actors(store: Store, keep: str, other: str, note: str | None = None) -> int:
    """``other`` is the same actor as ``keep``."""
    _actor(store, keep)
    _actor(store, other)
    if keep == other:
        raise CurationError("an actor cannot be merged into itself", hint="pick two different actors")
    return _decide(store, "actor_merge", other, keep, {"variants": _variants(store, other)}, note)


def split_actor(store: Store, actor: str, variants: Iterable[str], note: str | None = None) -> tuple[int, str]:
    """The mentions written as ``variants`` are not ``actor`` but someone else (a wrong merge).

    Returns (decision id, new actor id).
    """
    _actor(store, actor)
    wanted = {fold(v) for v in variants if v.strip()}
    known = {fold(v) for v in _variants(store, actor)}
    if not wanted or not wanted <= known or wanted == known:
        raise CurationError(
            f"give some, not all, of the variants of {actor}: {', '.join(sorted(_variants(store, actor)))}",
            hint="a split moves the mentions written one way to a new actor; the others stay",
        )
    values = sorted(v for v in _variants(store, actor) if fold(v) in wanted)
    decision = _decide(store, "actor_split", actor, None, {"variants": values}, note)
    return decision, f"{actor}~{decision}"


def undo(store: Store, decision_id: int) -> None:
    """Withdraw a decision. Results it changed are recomputed by the next full run of the stage."""
    if store.conn.execute("SELECT 1 FROM decisions WHERE id = ?", (decision_id,)).fetchone() is None:
        raise NotFound(f"no decision {decision_id}", hint="list decisions with `storywire curate decisions`")
    with store.transaction() as c:
        c.execute("UPDATE decisions SET active = 0 WHERE id = ?", (decision_id,))


def list_decisions(store: Store, *, kind: str | None = None, subject: str | None = None,
                   include_undone: bool = False) -> list[dict[str, Any]]:
    """Decisions, oldest first, with their values decoded: what the UI shows as manual."""
    where, params = [], []
    if not include_undone:
        where.append("active = 1")
    if kind:
        where.append("kind = ?")
        params.append(kind)
    if subject:
        where.append("(subject = ? OR object = ?)")
        params += [subject, subject]
    rows = store.query(f"SELECT * FROM decisions {'WHERE ' + ' AND '.join(where) if where else ''} ORDER BY id",
                       params)
    return [{k: r[k] for k in r.keys()} | {"value": json.loads(r["value"] or "null"), "active": bool(r["active"])}
            for r in rows]


# -- applying decisions --------------------------------------------------------------


def apply_decisions(store: Store, kinds: Iterable[str] | None = None) -> dict[str, int]:
    """Re-apply every active decision of ``kinds`` (decision kinds or stage names; all when None).

    Idempotent. Runs inside the caller's transaction when there is one (so a stage
    can apply decisions together with its results and ``mark_done``), else in its own.
    Returns how many decisions of each kind were applied.
    """
    wanted = _expand(kinds)
    if not store.conn.in_transaction:
        with store.transaction():
            return apply_decisions(store, wanted)
    counts: dict[str, int] = {}
    touched: set[str] = set()
    marks = ",".join("?" * len(wanted))
    for row in store.query(f"SELECT * FROM decisions WHERE active = 1 AND kind IN ({marks}) ORDER BY id", wanted):
        touched |= _APPLY[row["kind"]](store, row, json.loads(row["value"] or "{}"))
        counts[row["kind"]] = counts.get(row["kind"], 0) + 1
    if set(wanted) & set(STORY_KINDS):
        touched |= _drain_merged_stories(store)
    for story in touched:
        _refresh_story(store, story)
    if touched:
        from ..actors.resolve import refresh_key_actors

        refresh_key_actors(store.conn, touched)
        refresh_summaries(store, {s for s in touched if _exists(store, "stories", s)})
    return counts


def _expand(kinds: Iterable[str] | None) -> list[str]:
    if kinds is None:
        return list(KINDS)
    if isinstance(kinds, str):
        kinds = [kinds]
    out: list[str] = []
    for k in kinds:
        if k in STAGE_KINDS:
            out += STAGE_KINDS[k]
        elif k in KINDS:
            out.append(k)
        else:
            raise CurationError(f"unknown decision kind {k!r}",
                                hint=f"use a stage ({', '.join(STAGE_KINDS)}) or a kind ({', '.join(KINDS)})")
    return list(dict.fromkeys(out))


def _decide(store: Store, kind: str, subject: str, obj: str | None, value: dict, note: str | None) -> int:
    """Record a decision and apply it, in one transaction."""
    with store.transaction() as c:
        cur = c.execute(
            "INSERT INTO decisions (kind, subject, object, value, note, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (kind, subject, obj, json.dumps(value, ensure_ascii=False), note, now()),
        )
        decision = int(cur.lastrowid)
        if kind == "story_split":
            obj = f"manual-{decision}"
        elif kind == "actor_split":
            obj = f"{subject}~{decision}"
        c.execute("UPDATE decisions SET object = ? WHERE id = ?", (obj, decision))
        apply_decisions(store, [kind])
    return decision


def _story_merge(store: Store, d: sqlite3.Row, value: dict) -> set[str]:
    target = _home(store, d["subject"], value["keep_articles"])
    if target is None:
        return set()
    source = _home(store, d["object"], value["other_articles"])
    moved = set(value["other_articles"]) | set(value["keep_articles"])
    touched: set[str] = set()
    if source and source != target:
        moved |= set(_story_articles(store, source))
        if store.conn.execute(
            "UPDATE stories SET status = 'merged', merged_into = ?, updated_at = ? "
            "WHERE id = ? AND (status != 'merged' OR merged_into IS NOT ?)", (target, now(), source, target)
        ).rowcount:
            touched.add(target)
    return touched | _move(store, moved, target)


def _story_split(store: Store, d: sqlite3.Row, value: dict) -> set[str]:
    new = d["object"]
    marks = ",".join("?" * len(value["articles"]))
    store.conn.execute(  # titled after its earliest article, as stories are
        "INSERT OR IGNORE INTO stories (id, title, updated_at) VALUES (?, (SELECT title FROM articles "
        f"WHERE id IN ({marks}) ORDER BY COALESCE(published, ingested_at), id LIMIT 1), ?)",
        (new, *value["articles"], now()))
    store.conn.execute("UPDATE stories SET status = 'active', merged_into = NULL WHERE id = ? AND status != 'active'",
                       (new,))
    return _move(store, value["articles"], new)


def _story_rename(store: Store, d: sqlite3.Row, value: dict) -> set[str]:
    target = _home(store, d["subject"], value["articles"])
    if target is None:
        return set()
    store.conn.execute("UPDATE stories SET title = ?, updated_at = ? WHERE id = ? AND title IS NOT ?",
                       (value["title"], now(), target, value["title"]))
    return set()


def _copy_verdict(store: Store, d: sqlite3.Row, value: dict) -> set[str]:
    from ..copies.groups import regroup
    from ..copies.pairs import compare, save

    a, b = sorted(d["subject"].split("|", 1))
    row = store.conn.execute("SELECT verdict FROM copy_pairs WHERE a = ? AND b = ?", (a, b)).fetchone()
    if row is not None and row[0] == value["verdict"]:
        return set()
    found = list(store.iter_articles([a, b]))
    if len(found) != 2:
        return set()
    save(store.conn, compare(found[0], found[1], decided=value["verdict"]))
    regroup(store.conn, [a, b])
    return set()


def _actor_merge(store: Store, d: sqlite3.Row, value: dict) -> set[str]:
    gone, keep = d["subject"], d["object"]
    c = store.conn
    if gone == keep or not _exists(store, "actors", keep):
        return set()
    stories = _stories_of_actor(store, gone)
    c.execute("UPDATE mentions SET actor_id = ? WHERE actor_id = ?", (keep, gone))
    c.execute("UPDATE quotes SET actor_id = ? WHERE actor_id = ?", (keep, gone))
    c.execute("UPDATE OR IGNORE actor_keys SET actor_id = ? WHERE actor_id = ?", (keep, gone))
    c.execute("DELETE FROM actor_keys WHERE actor_id = ?", (gone,))
    c.execute("DELETE FROM actors WHERE id = ?", (gone,))
    c.execute("UPDATE OR IGNORE follows SET target = ? WHERE kind = 'actor' AND target = ? AND active = 1",
              (keep, gone))
    return stories


def _actor_split(store: Store, d: sqlite3.Row, value: dict) -> set[str]:
    actor, new = d["subject"], d["object"]
    variants = {fold(v) for v in value["variants"]}
    c = store.conn
    moved = [r["id"] for r in c.execute("SELECT id, text FROM mentions WHERE actor_id = ?", (actor,))
             if fold(r["text"]) in variants]
    if not moved:
        return set()
    kind = c.execute("SELECT kind FROM actors WHERE id = ?", (actor,)).fetchone()
    name = max(value["variants"], key=lambda v: (len(v.split()), len(v), v))
    c.execute("INSERT OR IGNORE INTO actors (id, name, kind, key) VALUES (?, ?, ?, ?)",
              (new, name, kind[0] if kind else "person", fold(name)))
    c.executemany("UPDATE mentions SET actor_id = ? WHERE id = ?", [(new, m) for m in moved])
    for q in c.execute("SELECT id, speaker FROM quotes WHERE actor_id = ?", (actor,)).fetchall():
        if q["speaker"] and fold(q["speaker"]) in variants:
            c.execute("UPDATE quotes SET actor_id = ? WHERE id = ?", (new, q["id"]))
    return _stories_of_actor(store, new)


_APPLY = {
    "story_merge": _story_merge, "story_split": _story_split, "story_rename": _story_rename,
    "copy_verdict": _copy_verdict, "actor_merge": _actor_merge, "actor_split": _actor_split,
}


# -- helpers -----------------------------------------------------------------------


def _home(store: Store, story: str | None, articles: list[str]) -> str | None:
    """Where a decision's story lives now: itself if it still holds some of its
    articles, else the story holding most of them (stories may have been recomputed)."""
    homes = Counter(_stories_of(store, articles).values())
    if story and homes.get(story):
        return _resolve_merged(store, story)
    if not homes:
        return None
    return _resolve_merged(store, min(homes, key=lambda s: (-homes[s], s)))


def _resolve_merged(store: Store, story: str) -> str:
    from .follows import current_story

    return current_story(store, story)


def _move(store: Store, articles: Iterable[str], story: str) -> set[str]:
    """Put ``articles`` (those that exist) in ``story`` as manual; return the stories
    that changed (the ones they left and ``story``), none when all were there already."""
    articles = sorted(set(articles))
    before = _stories_of(store, articles)
    existing = {r[0] for r in _in(store, "SELECT id FROM articles WHERE id IN ({})", articles)}
    changed = store.conn.executemany(
        "INSERT INTO story_articles (article_id, story_id, score, manual) VALUES (?, ?, NULL, 1) "
        "ON CONFLICT (article_id) DO UPDATE SET story_id = excluded.story_id, manual = 1 "
        "WHERE story_id != excluded.story_id OR manual = 0",
        [(a, story) for a in articles if a in existing],
    ).rowcount
    if not changed:
        return set()
    return {s for a, s in before.items() if s != story} | {story}


def _drain_merged_stories(store: Store) -> set[str]:
    """Articles that landed in a merged story go to the story it was merged into."""
    touched: set[str] = set()
    for row in store.query(
        "SELECT DISTINCT s.id, s.merged_into FROM stories s JOIN story_articles sa ON sa.story_id = s.id "
        "WHERE s.status = 'merged' AND s.merged_into IS NOT NULL"
    ):
        target = _resolve_merged(store, row["merged_into"])
        touched |= _move(store, _story_articles(store, row["id"]), target)
    return touched


def _refresh_story(store: Store, story: str) -> None:
    """Recount a story's articles, dates, languages and outlets after articles moved."""
    rows = store.query(
        "SELECT a.published, a.ingested_at, a.language, a.outlet FROM articles a "
        "JOIN story_articles sa ON sa.article_id = a.id WHERE sa.story_id = ?", (story,))
    dates = sorted(r["published"] or r["ingested_at"] for r in rows)
    store.conn.execute(
        "UPDATE stories SET article_count = ?, first_seen = ?, last_seen = ?, languages = ?, outlets = ?, "
        "updated_at = ? WHERE id = ?",
        (len(rows), dates[0] if dates else None, dates[-1] if dates else None,
         json.dumps(sorted({r["language"] for r in rows if r["language"]})),
         json.dumps(sorted({r["outlet"] for r in rows if r["outlet"]}), ensure_ascii=False), now(), story),
    )


def _stories_of(store: Store, articles: Iterable[str]) -> dict[str, str]:
    return dict(_in(store, "SELECT article_id, story_id FROM story_articles WHERE article_id IN ({})", articles))


def _stories_of_actor(store: Store, actor: str) -> set[str]:
    return {r[0] for r in store.query(
        "SELECT DISTINCT sa.story_id FROM mentions m JOIN story_articles sa ON sa.article_id = m.article_id "
        "WHERE m.actor_id = ?", (actor,))}


def _story_articles(store: Store, story: str) -> list[str]:
    return [r[0] for r in store.query("SELECT article_id FROM story_articles WHERE story_id = ? ORDER BY article_id",
                                      (story,))]


def _variants(store: Store, actor: str) -> list[str]:
    return [r[0] for r in store.query("SELECT DISTINCT text FROM mentions WHERE actor_id = ? ORDER BY text", (actor,))]


def _active_story(store: Store, story: str) -> str:
    if not _exists(store, "stories", story):
        raise NotFound(f"no story with id {story!r}", hint="list stories with `storywire stories`")
    return _resolve_merged(store, story)


def _actor(store: Store, actor: str) -> None:
    if not _exists(store, "actors", actor):
        raise NotFound(f"no actor with id {actor!r}", hint="list actors with `storywire actors`")


def _exists(store: Store, table: str, key: str) -> bool:
    return store.conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (key,)).fetchone() is not None


def _in(store: Store, sql: str, ids: Iterable[str]) -> list[tuple]:
    ids = list(ids)
    out: list[tuple] = []
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        out += [tuple(r) for r in store.conn.execute(sql.format(",".join("?" * len(chunk))), chunk)]
    return out
