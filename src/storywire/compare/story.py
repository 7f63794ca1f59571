"""How each outlet tells one story: what it copied, changed, added, cut, and which words it chose.

Columns "per outlet" use the article id for an article whose outlet is unknown,
so that two unknown outlets are never counted as one.

:func:`compare_story` reads the contract tables (``copy_pairs``, ``mentions``,
``quotes``, ``figures``) for the articles of one story and returns a
:class:`StoryComparison`. The API, ``storywire compare`` and the story page all
show this one object, so they never disagree.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from ..errors import NotFound
from ..store import Store
from ..text import fold
from .edits import Edit, Passage, changed_core, oriented_edits, oriented_passages, side_segments

# Copy pairs compared in full per story (best scores first); the rest are counted.
MAX_PAIRS = 50
# Articles scanned for word choices; bigger stories use their first ones by date.
MAX_SCAN_ARTICLES = 300
_CONTEXT = 40


@dataclass
class CopyComparison:
    """One copy next to its source, with the passages it took and its edits."""

    source: dict[str, Any]
    copy: dict[str, Any]
    verdict: str
    score: float
    direction_known: bool
    passages: list[Passage]
    edits: list[Edit]

    def to_dict(self, with_segments: bool = False, texts: dict[str, str] | None = None) -> dict[str, Any]:
        out = {
            "source": self.source, "copy": self.copy, "verdict": self.verdict, "score": self.score,
            "direction_known": self.direction_known,
            "passages": [p.to_dict() for p in self.passages],
            "edits": [e.to_dict() for e in self.edits],
        }
        if with_segments and texts is not None:
            src, cpy = side_segments(texts[self.source["id"]], texts[self.copy["id"]], self.edits)
            out["source_segments"], out["copy_segments"] = src, cpy
        return out


@dataclass
class StoryComparison:
    story: dict[str, Any]
    articles: list[dict[str, Any]]
    copies: list[CopyComparison]
    copies_total: int
    substitutions: list[dict[str, Any]]
    additions: list[dict[str, Any]]
    omissions: list[dict[str, Any]]
    word_choices: list[dict[str, Any]]
    quotes: list[dict[str, Any]]
    figures: list[dict[str, Any]]
    texts: dict[str, str] = field(default_factory=dict, repr=False)

    def to_dict(self, segments_for: int = 0) -> dict[str, Any]:
        """Plain data; the first ``segments_for`` copies also get both texts cut into segments."""
        return {
            "story": self.story,
            "articles": self.articles,
            "copies": [c.to_dict(i < segments_for, self.texts) for i, c in enumerate(self.copies)],
            "copies_total": self.copies_total,
            "substitutions": self.substitutions,
            "additions": self.additions,
            "omissions": self.omissions,
            "word_choices": self.word_choices,
            "quotes": self.quotes,
            "figures": self.figures,
        }


def story_row(store: Store, story_id: str) -> dict[str, Any]:
    row = store.conn.execute(
        "SELECT id, title, first_seen, last_seen, article_count, languages, outlets, key_actors, "
        "status, merged_into, updated_at FROM stories WHERE id = ?",
        (story_id,),
    ).fetchone()
    if row is None:
        raise NotFound(f"no story with id {story_id!r}", hint="list story ids with GET /api/stories or `storywire serve`")
    story = dict(row)
    for key in ("languages", "outlets", "key_actors"):
        story[key] = json.loads(story[key] or "[]")
    return story


def story_articles(store: Store, story_id: str) -> list[dict[str, Any]]:
    """Summaries of a story's articles, oldest first."""
    rows = store.query(
        "SELECT a.id, a.outlet, a.title, a.language, a.published, a.url, cg.group_id AS copy_group, "
        "COALESCE(cg.is_origin, 0) AS is_origin FROM story_articles sa JOIN articles a ON a.id = sa.article_id "
        "LEFT JOIN copy_groups cg ON cg.article_id = a.id WHERE sa.story_id = ? "
        "ORDER BY COALESCE(a.published, a.ingested_at), a.id",
        (story_id,),
    )
    return [dict(r) for r in rows]


def compare_story(store: Store, story_id: str, max_pairs: int = MAX_PAIRS) -> StoryComparison:
    """The framing comparison of one story (see the module docstring)."""
    story = story_row(store, story_id)
    articles = story_articles(store, story_id)
    by_id = {a["id"]: a for a in articles}
    pairs, total = _story_pairs(store, story_id, max_pairs)
    wanted = {p[k] for p in pairs for k in ("a", "b")}
    scan = [a["id"] for a in articles[:MAX_SCAN_ARTICLES]]
    texts = _texts(store, wanted | set(scan))

    copies = [copy_comparison(p, by_id) for p in pairs]
    substitutions, additions, omissions = _changes(copies, texts)
    actor_rows = _actor_variants(store, story_id)
    word_choices = _changed_words(substitutions, [by_id[i] for i in scan], texts, actor_rows) + actor_rows
    return StoryComparison(
        story=story, articles=articles, copies=copies, copies_total=total,
        substitutions=substitutions, additions=additions, omissions=omissions,
        word_choices=word_choices, quotes=quote_groups(store, story_id),
        figures=figure_table(store, story_id), texts=texts,
    )


def _story_pairs(store: Store, story_id: str, limit: int) -> tuple[list[dict], int]:
    base = (
        "FROM copy_pairs p JOIN story_articles sa ON sa.article_id = p.a AND sa.story_id = ? "
        "JOIN story_articles sb ON sb.article_id = p.b AND sb.story_id = ? "
        "WHERE p.verdict IN ('copy', 'partial')"
    )
    total = store.conn.execute(f"SELECT count(*) {base}", (story_id, story_id)).fetchone()[0]
    rows = store.query(
        f"SELECT p.a, p.b, p.verdict, p.score, p.source_id, p.edits, p.passages {base} "
        "ORDER BY p.score DESC, p.a, p.b LIMIT ?",
        (story_id, story_id, limit),
    )
    return [dict(r) for r in rows], total


def _texts(store: Store, ids: set[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    id_list = sorted(ids)
    for i in range(0, len(id_list), 500):
        chunk = id_list[i : i + 500]
        rows = store.query(f"SELECT id, clean_text FROM articles WHERE id IN ({','.join('?' * len(chunk))})", chunk)
        out.update({r["id"]: r["clean_text"] for r in rows})
    return out


def copy_comparison(pair: dict, by_id: dict[str, dict]) -> CopyComparison:
    known = pair["source_id"] in (pair["a"], pair["b"])
    # Without a known direction, the earlier article (a on ties) is shown as the source.
    if known:
        source_is_a = pair["source_id"] == pair["a"]
    else:
        pa, pb = by_id[pair["a"]]["published"] or "", by_id[pair["b"]]["published"] or ""
        source_is_a = not (pb and pa and pb < pa)
    src, cpy = (pair["a"], pair["b"]) if source_is_a else (pair["b"], pair["a"])
    return CopyComparison(
        source=_summary(by_id[src]), copy=_summary(by_id[cpy]), verdict=pair["verdict"],
        score=pair["score"], direction_known=known,
        passages=oriented_passages(json.loads(pair["passages"] or "[]"), source_is_a),
        edits=oriented_edits(json.loads(pair["edits"] or "[]"), source_is_a),
    )


def _summary(article: dict) -> dict[str, Any]:
    return {k: article[k] for k in ("id", "outlet", "title", "language", "published")}


def _context(text: str, start: int, end: int) -> str:
    left = text[max(0, start - _CONTEXT) : start]
    right = text[end : end + _CONTEXT]
    return f"…{left}[{text[start:end]}]{right}…"


def _changes(copies: list[CopyComparison], texts: dict[str, str]) -> tuple[list, list, list]:
    """Per-outlet substitutions, additions and omissions over all copies."""
    subs, adds, omits = [], [], []
    for c in copies:
        src_text, cpy_text = texts.get(c.source["id"], ""), texts.get(c.copy["id"], "")
        base = {
            "outlet": c.copy["outlet"], "article": c.copy["id"],
            "source_outlet": c.source["outlet"], "source_article": c.source["id"],
        }
        for e in c.edits:
            if e.op == "move":
                continue
            before, after = changed_core(e.source, e.copy)
            if not before and not after and e.source.strip() != e.copy.strip():
                # Same words, other marks: "Israel" -> "'Israel'" is a choice, not a typo.
                before, after = e.source.strip(), e.copy.strip()
            if before and after:
                subs.append({**base, "source": before, "copy": after,
                             "source_context": _context(src_text, e.source_start, e.source_end),
                             "copy_context": _context(cpy_text, e.copy_start, e.copy_end)})
            elif after:
                adds.append({**base, "text": after, "context": _context(cpy_text, e.copy_start, e.copy_end)})
            elif before:
                omits.append({**base, "text": before, "context": _context(src_text, e.source_start, e.source_end)})
    return subs, adds, omits


def _changed_words(substitutions: list[dict], articles: list[dict], texts: dict[str, str],
                   actor_rows: list[dict]) -> list[dict]:
    """Referents one outlet worded differently from another, and which wording each outlet used.

    Wordings linked by a substitution in any copy are one referent ("Storm" and
    "Flood"); every scanned article of the story is then searched for each wording.
    Changed numbers are left to the figures table, and changed spellings of an
    actor's name to the actor rows.
    """
    actor_words = [{w for v in row["variants"] for w in fold(v).split()} for row in actor_rows]
    parent: dict[str, str] = {}
    spelling: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for s in substitutions:
        a, b = fold(s["source"]), fold(s["copy"])
        spelling.setdefault(a, s["source"])
        spelling.setdefault(b, s["copy"])
        parent[find(a)] = find(b)
    groups: dict[str, list[str]] = defaultdict(list)
    for key in spelling:
        groups[find(key)].append(key)

    groups = [g for g in groups.values() if _is_wording(g, actor_words)]
    if not groups:
        return []
    # One pass per article over all wordings, longest first so that a phrase beats its parts.
    wordings = sorted({spelling[v] for g in groups for v in g}, key=len, reverse=True)
    pattern = _wording("|".join(re.escape(w) for w in wordings))
    found: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for art in articles:
        for m in pattern.finditer(texts.get(art["id"], "")):
            key = fold(m.group())
            if key in spelling:
                found[key][art["outlet"] or art["id"]][spelling[key]] += 1
    rows = []
    for variants in groups:
        by_outlet: dict[str, Counter] = defaultdict(Counter)
        for v in variants:
            for outlet, counts in found[v].items():
                by_outlet[outlet].update(counts)
        rows.append({
            "referent": " / ".join(sorted(spelling[v] for v in variants)),
            "kind": "changed wording",
            "variants": sorted(spelling[v] for v in variants),
            "by_outlet": {o: dict(c.most_common()) for o, c in sorted(by_outlet.items())},
        })
    return sorted(rows, key=lambda r: r["referent"].casefold())


def _is_wording(variants: list[str], actor_words: list[set[str]]) -> bool:
    """Not only numbers (the figures table shows those), not only an actor's name spellings."""
    if all(not any(c.isalpha() for c in v) for v in variants):
        return False
    return not any(all(set(v.split()) <= words for v in variants) for words in actor_words)


_QUOTES = "'‘’\"“”«»"


def _wording(alternatives: str) -> re.Pattern:
    """Wordings (a regex alternation) as whole phrases: not inside a longer word, and not
    inside quotation marks unless they are part of it (Israel ≠ 'Israel'), though a
    possessive 's may follow."""
    return re.compile(rf"(?<![\w{_QUOTES}])(?:{alternatives})(?![\w\"“”«»]|['’](?![sS]\b))", re.IGNORECASE)


def _actor_variants(store: Store, story_id: str) -> list[dict]:
    """Actors the story's outlets name in more than one way (Baqeri / Bagheri)."""
    rows = store.query(
        "SELECT m.actor_id, ac.name, ac.kind, m.text, COALESCE(a.outlet, a.id) AS outlet, count(*) AS n "
        "FROM story_articles sa JOIN mentions m ON m.article_id = sa.article_id "
        "JOIN actors ac ON ac.id = m.actor_id JOIN articles a ON a.id = sa.article_id "
        "WHERE sa.story_id = ? GROUP BY m.actor_id, m.text, a.outlet",
        (story_id,),
    )
    actors: dict[str, dict] = {}
    for r in rows:
        entry = actors.setdefault(r["actor_id"], {
            "referent": r["name"], "kind": f"actor ({r['kind']})", "actor_id": r["actor_id"],
            "variants": set(), "by_outlet": defaultdict(dict),
        })
        entry["variants"].add(r["text"])
        entry["by_outlet"][r["outlet"]][r["text"]] = r["n"]
    out = []
    for entry in actors.values():
        if len({fold(v) for v in entry["variants"]}) < 2:
            continue
        entry["variants"] = sorted(entry["variants"])
        entry["by_outlet"] = {o: entry["by_outlet"][o] for o in sorted(entry["by_outlet"])}
        out.append(entry)
    return sorted(out, key=lambda r: (-len(r["variants"]), r["referent"].casefold()))


def quote_groups(store: Store, story_id: str) -> list[dict]:
    """The story's quotes, one group per statement (its translations and retellings together)."""
    rows = store.query(
        "SELECT q.id, q.article_id, q.speaker, q.actor_id, q.text, q.kind, q.statement_id, "
        "a.outlet, a.language, a.published FROM story_articles sa JOIN quotes q ON q.article_id = sa.article_id "
        "JOIN articles a ON a.id = q.article_id WHERE sa.story_id = ? "
        "ORDER BY COALESCE(a.published, a.ingested_at), q.article_id, q.start",
        (story_id,),
    )
    groups: dict[str, dict] = {}
    for r in rows:
        key = r["statement_id"] or f"quote-{r['id']}"
        g = groups.setdefault(key, {"statement_id": r["statement_id"], "speaker": r["speaker"],
                                    "actor_id": r["actor_id"], "quotes": []})
        g["speaker"] = g["speaker"] or r["speaker"]
        g["quotes"].append({k: r[k] for k in ("article_id", "outlet", "language", "published", "text", "kind")})
    return sorted(groups.values(), key=lambda g: -len(g["quotes"]))


def figure_table(store: Store, story_id: str) -> list[dict]:
    """Figures per kind ("killed", "injured") and outlet; values that disagree are marked.

    Each outlet's row holds one value (or range) it reported, with how many of its
    articles reported it. A value disagrees when it does not include the value
    most articles reported for the same kind.
    """
    rows = store.query(
        "SELECT f.what, COALESCE(a.outlet, a.id) AS outlet, f.value, f.low, f.high, "
        # With one min(), SQLite takes the bare f.raw from the row holding that minimum.
        "min(f.article_id) AS article_id, f.raw, count(DISTINCT f.article_id) AS articles "
        "FROM story_articles sa JOIN figures f ON f.article_id = sa.article_id "
        "JOIN articles a ON a.id = f.article_id WHERE sa.story_id = ? "
        "GROUP BY f.what, outlet, f.value, f.low, f.high ORDER BY f.what, outlet, f.value",
        (story_id,),
    )
    kinds: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        kinds[r["what"]].append(dict(r))
    table = []
    for what, cells in sorted(kinds.items()):
        counts: Counter = Counter()
        for c in cells:
            if c["value"] is not None:
                counts[c["value"]] += c["articles"]
        consensus = counts.most_common(1)[0][0] if counts else None
        for c in cells:
            c["disagrees"] = consensus is not None and not _agrees(c, consensus)
        table.append({
            "what": what, "consensus": consensus,
            "disagreement": any(c["disagrees"] for c in cells),
            "by_outlet": [{k: c[k] for k in ("outlet", "article_id", "articles", "value", "low", "high", "raw",
                                             "disagrees")} for c in cells],
        })
    return table


def _agrees(cell: dict, consensus: float) -> bool:
    if cell["value"] is not None:
        return cell["value"] == consensus
    low = cell["low"] if cell["low"] is not None else float("-inf")
    high = cell["high"] if cell["high"] is not None else float("inf")
    return low <= consensus <= high
