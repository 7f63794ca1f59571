"""The stories stage (order 20, after copies): put each new article in a story.

State lives in the store (migration 0030): story profiles, key document
frequencies and counters. The stage streams the articles (in date order) through
a :class:`StoryAssigner` holding the stories still warm for them, and writes
stories, memberships, the changed profiles and the done marks in one
transaction. Copies are always in their original's story.

The assigner is kept between runs, so an article costs the same however many
stories are stored: each write bumps a version counter in ``story_state``, and
a kept assigner is used only while the store's counter is the one it wrote
(another process writing, or a failed run, makes the stage load the warm stories
again). Between runs it loads the stories that warm up for older articles and
forgets those gone cold; key frequencies are read from the store as keys come up.

Analysts have the last word: an article they placed (``manual = 1``) stays where
they put it, an article bound for a story they merged goes to the story it was
merged into, and their decisions are re-applied in the same transaction. An
article whose text changed leaves its old story before it is assigned again.
"""

from __future__ import annotations

import base64
import json
import math
import secrets
from collections import Counter
from dataclasses import dataclass
from typing import Any, Iterable

import numpy as np

from ..config import Settings
from ..errors import StorywireError
from ..model import Article
from ..store import Store, now
from ..workflow.curation import STORY_KINDS, apply_decisions
from .assign import AssignerConfig, Story, StoryAssigner
from .encoder import CachedEncoder, load_encoder_once
from .features import ArticleFeatures, article_day, features

# Most keys whose frequencies a kept assigner remembers; past this it reads them again.
MAX_CACHED_KEYS = 200_000
# Runs tried when another process keeps writing stories meanwhile.
ATTEMPTS = 3


class StoriesBusy(StorywireError):
    """Another process kept changing the stories while this one assigned articles."""


class _Stale(Exception):
    """The store's stories changed since the kept assigner was loaded."""


def _vec(v: np.ndarray) -> str:
    return base64.b64encode(np.asarray(v, dtype=np.float32).tobytes()).decode("ascii")


def _unvec(s: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(s), dtype=np.float32).copy()


def dump_profile(story: Story) -> str:
    return json.dumps({
        "seq": story.seq, "size": story.size, "terms": story.terms, "anchors": story.anchors,
        "embeddings": {k: _vec(v) for k, v in story.embeddings.items()},
        "languages": dict(story.languages), "first_day": story.first_day, "last_day": story.last_day,
        "next_merge_check": story.next_merge_check,
    }, ensure_ascii=False)


def load_profile(story_id: str, text: str) -> Story:
    d = json.loads(text)
    return Story(
        id=story_id, seq=d["seq"], size=d["size"], terms=d["terms"], anchors=d["anchors"],
        embeddings={k: _unvec(v) for k, v in d["embeddings"].items()}, languages=Counter(d["languages"]),
        first_day=d["first_day"], last_day=d["last_day"], next_merge_check=d["next_merge_check"],
    )


class KeyFrequencies(dict):
    """Key document frequencies, read from ``story_key_df`` the first time a key is
    asked for (a key never seen counts 0), so that a kept assigner needs no
    reload and gives what one loaded from scratch gives."""

    def __init__(self, store: Store):
        super().__init__()
        self.store = store

    def __missing__(self, key: str) -> int:
        row = self.store.conn.execute("SELECT df FROM story_key_df WHERE key = ?", (key,)).fetchone()
        value = self[key] = row[0] if row else 0
        return value

    def get(self, key: str, default: int = 0) -> int:  # type: ignore[override]
        return self[key]

    def fetch(self, keys: Iterable[str]) -> None:
        """Read the frequencies of many keys at once."""
        missing = sorted({k for k in keys if k not in self})
        for i in range(0, len(missing), 500):
            chunk = missing[i : i + 500]
            found = dict(self.store.query(
                f"SELECT key, df FROM story_key_df WHERE key IN ({','.join('?' * len(chunk))})", chunk))
            for key in chunk:
                self[key] = found.get(key, 0)


@dataclass
class _Kept:
    """An assigner kept between runs, and what it was loaded from."""

    assigner: StoryAssigner
    token: int | None  # the store's story_state token (which database); None before its first write
    version: int  # the store's story_state version it matches
    encoder: str
    since: float  # every stored profile with last_day >= since (or undated) is loaded


class StoriesStage:
    name = "stories"
    order = 20

    def __init__(self, config: AssignerConfig | None = None, encoder_spec: str | None = None):
        self.config = config or AssignerConfig()
        self.encoder_spec = encoder_spec
        self._kept: _Kept | None = None

    def update(self, store: Store, articles: list[Article]) -> dict[str, Any]:
        if not articles:
            return {"articles": 0}
        # _update takes the kept assigner and puts it back only once its changes are
        # written: after a failure the next run loads from the store.
        for _ in range(ATTEMPTS):
            try:
                return self._update(store, articles)
            except _Stale:
                continue
        raise StoriesBusy("another process kept changing the stories while this run assigned articles",
                          hint="run `storywire analyze` again once the other process is done")

    def _update(self, store: Store, articles: list[Article]) -> dict[str, Any]:
        spec = self.encoder_spec if self.encoder_spec is not None else Settings.from_env().encoder
        feats, vectors = self.article_features(store, articles, spec)
        kept = self._load(store, feats, spec)
        assigner = kept.assigner
        decided = _has_story_decisions(store)
        folded = self._fold_merged(store, assigner) if decided else []
        previous = _current_stories(store, [a.id for a in articles])
        manual = {a: sid for a, (sid, is_manual) in previous.items() if is_manual}
        # A changed article leaves its old story before it is assigned again.
        leaving = {a: sid for a, (sid, is_manual) in previous.items() if not is_manual}
        emptied = self._withdraw(store, assigner, spec, leaving)
        merged: list[tuple[str, str]] = []
        rows = []
        founded = 0
        for f, vector in zip(feats, vectors):
            # The analyst's placement holds; otherwise a copy follows its original.
            forced = manual.get(f.article_id) or self._copy_story(store, assigner, f.article_id)
            result = assigner.assign(f, vector, story_id=forced)
            founded += result.new
            merged.extend(result.merged)
            rows.append((f, result))
        with store.transaction() as c:
            state = _state(store)
            if (state.get("token"), state.get("version", 0)) != (kept.token, kept.version):
                raise _Stale()  # another process wrote meanwhile: start again from the store
            for f, result in rows:
                if f.article_id in manual:
                    continue
                c.execute(
                    "INSERT OR REPLACE INTO story_articles (article_id, story_id, score, manual) VALUES (?, ?, ?, 0)",
                    (f.article_id, assigner.story_of[f.article_id], result.score),
                )
            for gone, keep in merged + folded:
                c.execute("UPDATE story_articles SET story_id = ? WHERE story_id = ? AND manual = 0", (keep, gone))
                c.execute("UPDATE stories SET status = 'merged', merged_into = ?, updated_at = ? "
                          "WHERE id = ? AND status = 'active'", (keep, now(), gone))
                c.execute("DELETE FROM story_profiles WHERE story_id = ?", (gone,))
            for story in (assigner.stories[sid] for sid in sorted(assigner.changed)):
                c.execute("INSERT OR REPLACE INTO story_profiles (story_id, last_day, profile) VALUES (?, ?, ?)",
                          (story.id, story.last_day, dump_profile(story)))
                refresh_story(store, story.id)
            for sid in emptied - set(assigner.stories):
                c.execute("DELETE FROM story_profiles WHERE story_id = ?", (sid,))
                c.execute("DELETE FROM stories WHERE id = ? AND NOT EXISTS "
                          "(SELECT 1 FROM story_articles WHERE story_id = ?)", (sid, sid))
            c.executemany(
                "INSERT INTO story_key_df (key, df) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET df = df + excluded.df",
                list(assigner.df_changes.items()),
            )
            kept.token = kept.token or secrets.randbits(62)
            kept.version += 1
            for name, value in (("seen", assigner.seen), ("founded", assigner.founded),
                                ("token", kept.token), ("version", kept.version)):
                c.execute("INSERT OR REPLACE INTO story_state (name, value) VALUES (?, ?)", (name, value))
            # Analysts' merges, splits and renames hold over whatever the assigner did.
            if decided:
                apply_decisions(store, kinds=["stories"])
            store.mark_done(self.name, articles)
        if (leaving or folded) and kept.since > -math.inf:
            assigner.evict(kept.since)  # stories those loaded that are cold for this batch
        self._kept = kept
        return {"articles": len(articles), "new_stories": founded, "merged": len(merged)}

    def article_features(self, store: Store, articles: list[Article],
                         spec: str) -> tuple[list[ArticleFeatures], list[np.ndarray | None]]:
        """Each article's features, and its embedding (None without an encoder)."""
        feats = [features(a) for a in articles]
        encoder = load_encoder_once(spec)
        if encoder is None:
            return feats, [None] * len(feats)
        return feats, list(CachedEncoder(encoder, store).encode([f.embed_text for f in feats]))

    def _withdraw(self, store: Store, assigner: StoryAssigner, spec: str, leaving: dict[str, str]) -> set[str]:
        """Take articles out of their stories (their text changed) before they are
        assigned again: rebuild those stories' profiles from the members that stay.
        Return the stories left empty (their rows go once nothing points to them)."""
        emptied = set()
        for sid in sorted(set(leaving.values())):
            gone = {a for a, s in leaving.items() if s == sid}
            stay = [r["article_id"] for r in store.query(
                "SELECT article_id FROM story_articles WHERE story_id = ? ORDER BY article_id", (sid,))
                if r["article_id"] not in gone]
            if not stay:
                assigner.drop(sid)
                emptied.add(sid)
                continue
            if sid not in assigner.stories:
                row = store.query("SELECT profile FROM story_profiles WHERE story_id = ?", (sid,))
                if not row:
                    continue
                assigner.add_story(load_profile(sid, row[0]["profile"]))
            assigner.rebuild(sid, *self.article_features(store, list(store.iter_articles(stay)), spec))
        return emptied

    def _load(self, store: Store, feats, spec: str) -> _Kept:
        """The assigner for this batch: the kept one when the store has not changed
        behind it, else a new one; made to hold exactly the stored stories that are
        warm for the batch's articles."""
        state = _state(store)
        kept, self._kept = self._kept, None  # put back once this run's results are written
        if kept is None or kept.encoder != spec or (state.get("token"), state.get("version", 0)) != (
                kept.token, kept.version):
            assigner = StoryAssigner(self.config, df=KeyFrequencies(store), seen=state.get("seen", 0),
                                     founded=state.get("founded", 0))
            kept = _Kept(assigner, state.get("token"), state.get("version", 0), spec, math.inf)
        assigner = kept.assigner
        assigner.begin()
        assigner.df.store = store
        if len(assigner.df) > MAX_CACHED_KEYS:
            assigner.df.clear()
        assigner.df.fetch(k for f in feats for k in (set(f.terms) | f.anchors))
        days = [f.day for f in feats if f.day is not None]
        since = min(days) - self.config.window_days if days else -math.inf
        if since < kept.since:  # a new assigner, or older articles: load the stories warm for them
            clauses, params = [], []
            if since > -math.inf:
                clauses, params = ["last_day >= ?"], [since]
            if kept.since < math.inf:
                clauses, params = [*clauses, "last_day < ?"], [*params, kept.since]
            sql = "SELECT story_id, profile FROM story_profiles"
            if clauses:  # undated stories are always warm: a new assigner loads them too
                sql += f" WHERE ({' AND '.join(clauses)})" + (" OR last_day IS NULL" if kept.since == math.inf else "")
            for r in store.query(sql, params):
                if r["story_id"] not in assigner.stories:
                    assigner.add_story(load_profile(r["story_id"], r["profile"]))
        elif since > kept.since:  # newer articles: the stories gone cold for them go
            assigner.evict(since)
        kept.since = since
        return kept

    def _fold_merged(self, store: Store, assigner: StoryAssigner) -> list[tuple[str, str]]:
        """Fold the warm stories an analyst merged into their targets' profiles, so an
        article bound for a merged story goes to the story it was merged into."""
        into = {r["id"]: r["merged_into"] for r in store.query(
            "SELECT id, merged_into FROM stories WHERE status = 'merged' AND merged_into IS NOT NULL")}
        folded = []
        for sid in sorted(set(assigner.stories) & set(into)):
            target, hops = into[sid], 0
            while target in into and hops < len(into):  # merged into a story merged since
                target, hops = into[target], hops + 1
            if target == sid:
                continue
            if target not in assigner.stories:
                row = store.query("SELECT profile FROM story_profiles WHERE story_id = ?", (target,))
                if not row:
                    continue
                assigner.add_story(load_profile(target, row[0]["profile"]))
            assigner.merge(sid, target)
            folded.append((sid, target))
        return folded

    def _copy_story(self, store: Store, assigner: StoryAssigner, article_id: str) -> str | None:
        """The story of an already assigned article of this article's copy group (the
        group's origin first, then by article id), gone cold or not: a copy is
        always in its original's story, however late it is republished."""
        rows = store.query(
            "SELECT h.article_id FROM copy_groups g JOIN copy_groups h ON h.group_id = g.group_id "
            "WHERE g.article_id = ? AND h.article_id != ? ORDER BY h.is_origin DESC, h.article_id",
            (article_id, article_id))
        for r in rows:
            sid = assigner.story_of.get(r["article_id"])
            if sid is None:
                row = store.query("SELECT story_id FROM story_articles WHERE article_id = ?", (r["article_id"],))
                sid = row[0]["story_id"] if row else None
            if sid is None:
                continue
            if sid not in assigner.stories:  # cold: its profile comes back from the store
                row = store.query("SELECT profile FROM story_profiles WHERE story_id = ?", (sid,))
                if not row:
                    continue
                assigner.add_story(load_profile(sid, row[0]["profile"]))
            return sid
        return None


def refresh_story(store: Store, story_id: str) -> None:
    """Rewrite a story's record from its members: title, languages, outlets, dates, count."""
    members = store.query(
        "SELECT a.id, a.title, a.language, a.outlet, a.published FROM story_articles sa "
        "JOIN articles a ON a.id = sa.article_id WHERE sa.story_id = ? ORDER BY COALESCE(a.published, a.ingested_at), a.id",
        (story_id,),
    )
    if not members:
        return
    titles = [m["title"] for m in members if m["title"]]
    title = Counter(titles).most_common(1)[0][0] if titles else None
    dates = [m["published"] for m in members if m["published"]]
    store.conn.execute(
        "INSERT INTO stories (id, title, first_seen, last_seen, article_count, languages, outlets, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET title = excluded.title, "
        "first_seen = excluded.first_seen, last_seen = excluded.last_seen, article_count = excluded.article_count, "
        "languages = excluded.languages, outlets = excluded.outlets, updated_at = excluded.updated_at",
        (story_id, title, min(dates) if dates else None, max(dates) if dates else None, len(members),
         json.dumps(sorted({m["language"] for m in members if m["language"]})),
         json.dumps(sorted({m["outlet"] for m in members if m["outlet"]}), ensure_ascii=False), now()),
    )


def _state(store: Store) -> dict[str, int]:
    """The stage's counters: articles seen, stories founded, the store's token and version."""
    return {r["name"]: r["value"] for r in store.query("SELECT name, value FROM story_state")}


def _has_story_decisions(store: Store) -> bool:
    """Whether an analyst ever decided about stories (only then can articles be
    placed by hand or stories be merged by an analyst)."""
    marks = ",".join("?" * len(STORY_KINDS))
    return bool(store.query(f"SELECT 1 FROM decisions WHERE kind IN ({marks}) LIMIT 1", STORY_KINDS))


def _current_stories(store: Store, article_ids: list[str]) -> dict[str, tuple[str, bool]]:
    """Article id -> (story id, placed by an analyst) for those already in a story."""
    out = {}
    for i in range(0, len(article_ids), 500):
        chunk = article_ids[i : i + 500]
        for r in store.query("SELECT article_id, story_id, manual FROM story_articles "
                             f"WHERE article_id IN ({','.join('?' * len(chunk))})", chunk):
            out[r["article_id"]] = (r["story_id"], bool(r["manual"]))
    return out


STAGE = StoriesStage()


# analysis_state's name for "this article's keys are counted in story_key_df"
# (for articles the stage did not assign itself: a batch run's, once loaded).
KEYS_COUNTED = "story_keys"


def profile_loaded(store: Store, config: AssignerConfig | None = None, encoder_spec: str | None = None,
                   batch_size: int = 2000) -> dict[str, int]:
    """Give the stories a batch run made (``storywire load``) what the stage keeps
    of its own, so that articles analysed later can join them: their articles'
    keys counted in the key frequencies, and a profile for each story still warm
    at the newest loaded date (and each undated one). Colder stories get none, as
    no later article could join them.

    The stage weighs an article with the frequencies as of its arrival; the loaded
    articles are weighed with those over everything loaded, as the batch's own
    stories stage weighs them. Stories that have a profile are left alone, and an
    article's keys are counted once: running this again changes nothing.
    """
    config = config or AssignerConfig()
    stories = store.query(
        "SELECT s.id, s.last_seen FROM stories s WHERE s.status = 'active' "
        "AND NOT EXISTS (SELECT 1 FROM story_profiles p WHERE p.story_id = s.id) ORDER BY s.first_seen, s.id")
    if not stories:
        return {"counted": 0, "profiles": 0}
    # Warm: within the window of the newest story of all (those with a profile too).
    newest = article_day(store.query("SELECT max(last_seen) FROM stories WHERE status = 'active'")[0][0])
    last_days = {r["id"]: article_day(r["last_seen"]) for r in stories}
    warm = {sid for sid, d in last_days.items() if d is None or newest is None or d >= newest - config.window_days}
    members = store.query(
        "SELECT sa.article_id, sa.story_id, st.article_id IS NOT NULL AS counted FROM story_articles sa "
        "JOIN stories s ON s.id = sa.story_id JOIN articles a ON a.id = sa.article_id "
        "LEFT JOIN analysis_state st ON st.stage = ? AND st.article_id = a.id AND st.version = a.version "
        "WHERE s.status = 'active' AND NOT EXISTS (SELECT 1 FROM story_profiles p WHERE p.story_id = s.id)",
        (KEYS_COUNTED,))
    story_of = {r["article_id"]: r["story_id"] for r in members}
    uncounted = {r["article_id"] for r in members if not r["counted"]}
    wanted = [r["article_id"] for r in members if not r["counted"] or r["story_id"] in warm]
    df_changes: Counter[str] = Counter()
    counted: list[Article] = []
    kept: dict[str, list] = {}  # warm story id -> its members' features
    ids = iter(wanted)
    while chunk := [a for _, a in zip(range(batch_size), ids)]:
        for article in store.iter_articles(chunk):
            feats = features(article)
            if article.id in uncounted:
                df_changes.update(set(feats.terms) | feats.anchors)
                counted.append(Article(id=article.id, raw_text="", version=article.version))
            if story_of[article.id] in warm:
                kept.setdefault(story_of[article.id], []).append(feats)
    spec = encoder_spec if encoder_spec is not None else Settings.from_env().encoder
    encoder = load_encoder_once(spec)
    cached = CachedEncoder(encoder, store) if encoder else None
    with store.transaction() as c:
        c.executemany(
            "INSERT INTO story_key_df (key, df) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET df = df + excluded.df",
            list(df_changes.items()),
        )
        state = _state(store)
        assigner = StoryAssigner(config, df=KeyFrequencies(store), seen=state.get("seen", 0) + len(counted),
                                 founded=state.get("founded", 0))
        for r in stories:
            if r["id"] not in kept:
                continue
            feats = kept[r["id"]]
            vectors = cached.encode([f.embed_text for f in feats]) if cached else [None] * len(feats)
            assigner.add_story(Story(id=r["id"], seq=assigner.founded))
            assigner.founded += 1
            assigner.rebuild(r["id"], feats, vectors)
            story = assigner.stories[r["id"]]
            assigner.drop(r["id"])  # only its profile is wanted
            story.next_merge_check = story.size + 1  # checked again when it next grows
            c.execute("INSERT OR REPLACE INTO story_profiles (story_id, last_day, profile) VALUES (?, ?, ?)",
                      (story.id, story.last_day, dump_profile(story)))
        # A kept assigner of another process sees the version change and reloads.
        for name, value in (("seen", assigner.seen), ("founded", assigner.founded),
                            ("token", state.get("token") or secrets.randbits(62)),
                            ("version", state.get("version", 0) + 1)):
            c.execute("INSERT OR REPLACE INTO story_state (name, value) VALUES (?, ?)", (name, value))
        store.mark_done(KEYS_COUNTED, counted)
    return {"counted": len(counted), "profiles": len(kept)}
