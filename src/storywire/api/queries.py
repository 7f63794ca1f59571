"""Read queries behind the HTTP API and the web pages: plain dicts from the contract tables.

Lists are paginated with ``limit``/``offset`` and fetch one row more than asked
to tell whether a next page exists, so no list ever needs a full count.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from ..compare import StoryComparison, compare_story
from ..compare.story import copy_comparison
from ..errors import NotFound
from ..text import fold
from ..store import Store, Where, fts_query

MAX_LIMIT = 200
# Articles listed on a story page and in GET /api/stories/{id}; the rest are paged via /api/articles?story=.
STORY_ARTICLES_SHOWN = 200


def page(rows: list, limit: int, offset: int) -> dict[str, Any]:
    """A page envelope from ``limit + 1`` fetched rows."""
    items = [dict(r) for r in rows[:limit]]
    return {"items": items, "limit": limit, "offset": offset,
            "next_offset": offset + limit if len(rows) > limit else None}


# -- articles ---------------------------------------------------------------

def list_articles(store: Store, *, limit: int, offset: int, **filters: Any) -> dict[str, Any]:
    rows = store.list_articles(limit=limit + 1, offset=offset, **filters)
    return page(rows, limit, offset)


def get_article(store: Store, article_id: str) -> dict[str, Any]:
    article = store.get_article(article_id)
    out = {k: getattr(article, k) for k in (
        "id", "outlet", "url", "title", "published", "language", "clean_text", "version", "ingested_at")}
    out["paragraphs"] = [{"text": p.text, "lang": p.lang} for p in article.paragraphs]
    story = store.conn.execute(
        "SELECT s.id, s.title FROM story_articles sa JOIN stories s ON s.id = sa.story_id WHERE sa.article_id = ?",
        (article_id,),
    ).fetchone()
    out["story"] = dict(story) if story else None
    out["copies"] = article_copies(store, article_id)
    out["actors"] = [dict(r) for r in store.query(
        "SELECT m.actor_id, ac.name, m.text, count(*) AS mentions FROM mentions m "
        "JOIN actors ac ON ac.id = m.actor_id WHERE m.article_id = ? GROUP BY m.actor_id, m.text "
        "ORDER BY mentions DESC, ac.name", (article_id,))]
    return out


def article_copies(store: Store, article_id: str) -> list[dict[str, Any]]:
    """Copy pairs this article is part of, with its role: source, copy, or unknown direction."""
    rows = store.query(
        "SELECT p.a, p.b, p.verdict, p.score, p.source_id, o.outlet, o.title, o.published FROM copy_pairs p "
        "JOIN articles o ON o.id = CASE WHEN p.a = ? THEN p.b ELSE p.a END "
        "WHERE (p.a = ? OR p.b = ?) ORDER BY p.score DESC",
        (article_id, article_id, article_id),
    )
    out = []
    for r in rows:
        other = r["b"] if r["a"] == article_id else r["a"]
        role = "unknown" if r["source_id"] is None else ("source" if r["source_id"] == article_id else "copy")
        out.append({"other": other, "outlet": r["outlet"], "title": r["title"], "published": r["published"],
                    "verdict": r["verdict"], "score": r["score"], "role": role})
    return out


# -- stories ----------------------------------------------------------------

STORY_SORTS = {
    "recent": "COALESCE(s.last_seen, s.first_seen) DESC, s.article_count DESC, s.id",
    "size": "s.article_count DESC, COALESCE(s.last_seen, s.first_seen) DESC, s.id",
}


def list_stories(
    store: Store, *, limit: int, offset: int, q: str | None = None, language: str | None = None,
    outlet: str | None = None, since: str | None = None, until: str | None = None, sort: str = "recent",
) -> dict[str, Any]:
    """Active stories, newest (or biggest) first, filtered; ``q`` searches titles and article texts."""
    where = (
        Where("s.status = 'active'")
        .add("EXISTS (SELECT 1 FROM json_each(s.languages) WHERE value = ?)", language)
        .add("EXISTS (SELECT 1 FROM json_each(s.outlets) WHERE value = ?)", outlet)
        .add("s.last_seen >= ?", since)
        .add("s.first_seen <= ?", until)
    )
    params = where.params
    if q is not None and q.strip():
        match = fts_query(q)
        like = "%" + q.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        clause = "s.title LIKE ? ESCAPE '\\'"
        params.append(like)
        if match:
            clause += (" OR s.id IN (SELECT sa.story_id FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid "
                       "JOIN story_articles sa ON sa.article_id = a.id WHERE articles_fts MATCH ?)")
            params.append(match)
        where.clauses.append(f"({clause})")
    rows = store.query(
        "SELECT s.id, s.title, s.first_seen, s.last_seen, s.article_count, s.languages, s.outlets "
        f"FROM stories s {where.sql} ORDER BY {STORY_SORTS[sort]} LIMIT ? OFFSET ?",
        [*params, limit + 1, offset],
    )
    out = page(rows, limit, offset)
    for item in out["items"]:
        item["languages"] = json.loads(item["languages"] or "[]")
        item["outlets"] = json.loads(item["outlets"] or "[]")
    return out


def get_story(store: Store, story_id: str, comparison: StoryComparison | None = None) -> dict[str, Any]:
    """One story with its articles, timeline, copy graph, actors, quotes and figures."""
    comparison = comparison or compare_story(store, story_id)
    articles = comparison.articles
    return {
        "story": comparison.story,
        "articles": articles[:STORY_ARTICLES_SHOWN],
        "articles_total": len(articles),
        "timeline": timeline(articles),
        "copy_graph": copy_graph(store, story_id),
        "actors": story_actors(store, story_id),
        "quotes": comparison.quotes,
        "figures": comparison.figures,
    }


def timeline(articles: list[dict]) -> list[dict[str, Any]]:
    """Per outlet, its articles' dates, outlets ordered by first article."""
    lanes: dict[str, list] = defaultdict(list)
    for a in articles:
        lanes[a["outlet"] or "(unknown outlet)"].append(
            {"id": a["id"], "published": a["published"], "title": a["title"], "language": a["language"]})
    return [{"outlet": o, "articles": arts} for o, arts in lanes.items()]


def copy_graph(store: Store, story_id: str, max_edges: int = 300) -> dict[str, Any]:
    """Copy edges (source → copy) among the story's articles; the nodes are the articles they touch."""
    rows = store.query(
        "SELECT p.a, p.b, p.verdict, p.score, p.source_id FROM copy_pairs p "
        "JOIN story_articles sa ON sa.article_id = p.a AND sa.story_id = ? "
        "JOIN story_articles sb ON sb.article_id = p.b AND sb.story_id = ? "
        "WHERE p.verdict IN ('copy', 'partial') ORDER BY p.score DESC LIMIT ?",
        (story_id, story_id, max_edges),
    )
    edges = []
    for r in rows:
        directed = r["source_id"] in (r["a"], r["b"])
        src = r["source_id"] if directed else r["a"]
        dst = r["b"] if src == r["a"] else r["a"]
        edges.append({"source": src, "copy": dst, "verdict": r["verdict"], "score": r["score"], "directed": directed})
    ids = sorted({e[k] for e in edges for k in ("source", "copy")})
    nodes = []
    if ids:
        rows = store.query(
            "SELECT a.id, a.outlet, a.title, a.published, a.language, COALESCE(cg.is_origin, 0) AS is_origin "
            f"FROM articles a LEFT JOIN copy_groups cg ON cg.article_id = a.id WHERE a.id IN ({','.join('?' * len(ids))})",
            ids,
        )
        nodes = [dict(r) for r in rows]
    return {"nodes": nodes, "edges": edges}


def story_actors(store: Store, story_id: str, limit: int = 50) -> list[dict[str, Any]]:
    rows = store.query(
        "SELECT ac.id, ac.name, ac.kind, count(*) AS mentions, count(DISTINCT m.article_id) AS articles, "
        "group_concat(DISTINCT m.text) AS variants FROM story_articles sa JOIN mentions m ON m.article_id = sa.article_id "
        "JOIN actors ac ON ac.id = m.actor_id WHERE sa.story_id = ? GROUP BY ac.id "
        "ORDER BY articles DESC, mentions DESC, ac.name LIMIT ?",
        (story_id, limit),
    )
    out = []
    for r in rows:
        item = dict(r)
        item["variants"] = sorted(set((r["variants"] or "").split(","))) if r["variants"] else []
        out.append(item)
    return out


# -- actors -----------------------------------------------------------------

def list_actors(store: Store, *, limit: int, offset: int, q: str | None = None, kind: str | None = None) -> dict[str, Any]:
    where, params = [], []
    if q is not None and q.strip():
        where.append("(ac.key LIKE ? ESCAPE '\\' OR ac.name LIKE ? ESCAPE '\\' OR ac.id IN "
                     "(SELECT actor_id FROM actor_texts WHERE text LIKE ? ESCAPE '\\'))")
        escaped = q.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params += [f"%{fold(escaped)}%", f"%{escaped}%", f"%{escaped}%"]
    if kind:
        where.append("ac.kind = ?")
        params.append(kind)
    rows = store.query(
        "SELECT ac.id, ac.name, ac.kind, (SELECT coalesce(sum(n), 0) FROM actor_texts t WHERE t.actor_id = ac.id) AS mentions "
        f"FROM actors ac {'WHERE ' + ' AND '.join(where) if where else ''} "
        "ORDER BY mentions DESC, ac.name, ac.id LIMIT ? OFFSET ?",
        [*params, limit + 1, offset],
    )
    return page(rows, limit, offset)


def get_actor(store: Store, actor_id: str) -> dict[str, Any]:
    row = store.conn.execute("SELECT id, name, kind, key FROM actors WHERE id = ?", (actor_id,)).fetchone()
    if row is None:
        raise NotFound(f"no actor with id {actor_id!r}", hint="list actor ids with GET /api/actors")
    variants: dict[str, dict] = {}
    for r in store.query(
        "SELECT m.text, COALESCE(a.outlet, '(unknown outlet)') AS outlet, count(*) AS n FROM mentions m "
        "JOIN articles a ON a.id = m.article_id WHERE m.actor_id = ? GROUP BY m.text, a.outlet ORDER BY n DESC",
        (actor_id,),
    ):
        v = variants.setdefault(r["text"], {"text": r["text"], "mentions": 0, "outlets": []})
        v["mentions"] += r["n"]
        v["outlets"].append(r["outlet"])
    stories = store.query(
        "SELECT s.id, s.title, s.last_seen, count(*) AS mentions FROM mentions m "
        "JOIN story_articles sa ON sa.article_id = m.article_id JOIN stories s ON s.id = sa.story_id "
        "WHERE m.actor_id = ? GROUP BY s.id ORDER BY s.last_seen DESC, s.id LIMIT 100",
        (actor_id,),
    )
    quotes = store.query(
        "SELECT q.article_id, q.text, q.kind, a.outlet, a.language, a.published FROM quotes q "
        "JOIN articles a ON a.id = q.article_id WHERE q.actor_id = ? "
        "ORDER BY COALESCE(a.published, a.ingested_at) DESC LIMIT 100",
        (actor_id,),
    )
    return {**dict(row), "variants": sorted(variants.values(), key=lambda v: -v["mentions"]),
            "stories": [dict(s) for s in stories], "quotes": [dict(q) for q in quotes]}


# -- copies -----------------------------------------------------------------

def list_copies(store: Store, *, limit: int, offset: int, verdict: str | None = None,
                article: str | None = None) -> dict[str, Any]:
    where, params = [], []
    if verdict:
        where.append("verdict = ?")
        params.append(verdict)
    if article:
        where.append("(a = ? OR b = ?)")
        params += [article, article]
    rows = store.query(
        "SELECT a, b, verdict, score, source_id, direction_conf, containment_ab, containment_ba FROM copy_pairs "
        f"{'WHERE ' + ' AND '.join(where) if where else ''} ORDER BY score DESC, a, b LIMIT ? OFFSET ?",
        [*params, limit + 1, offset],
    )
    return page(rows, limit, offset)


def get_copy(store: Store, a: str, b: str) -> dict[str, Any]:
    """One copy pair seen from its source, with both texts cut into plain and edited segments."""
    first, second = sorted((a, b))
    row = store.conn.execute(
        "SELECT a, b, verdict, score, source_id, edits, passages FROM copy_pairs WHERE a = ? AND b = ?",
        (first, second),
    ).fetchone()
    if row is None:
        raise NotFound(f"articles {a!r} and {b!r} were not compared as a copy pair",
                       hint="list pairs with GET /api/copies?article=ID")
    arts = {x.id: x for x in store.iter_articles([first, second])}
    by_id = {i: {"id": i, "outlet": x.outlet, "title": x.title, "language": x.language, "published": x.published}
             for i, x in arts.items()}
    comparison = copy_comparison(dict(row), by_id)
    return comparison.to_dict(with_segments=True, texts={i: x.clean_text for i, x in arts.items()})


# -- search and health -------------------------------------------------------

def search(store: Store, q: str, *, limit: int, offset: int) -> dict[str, Any]:
    """Articles (full text), stories and actors matching ``q``."""
    articles = page(store.search(q, limit=limit + 1, offset=offset), limit, offset)
    return {
        "query": q,
        "articles": articles,
        "stories": list_stories(store, q=q, limit=min(limit, 20), offset=0)["items"],
        "actors": list_actors(store, q=q, limit=min(limit, 20), offset=0)["items"],
    }


COUNTED = ("articles", "stories", "copy_pairs", "actors", "quotes", "figures")


def counts(store: Store, tables: tuple[str, ...] = COUNTED) -> dict[str, int]:
    """Row counts of contract tables (names from ``COUNTED`` only)."""
    return {t: store.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables if t in COUNTED}


def health(store: Store) -> dict[str, Any]:
    migrations = [r[0] for r in store.query("SELECT name FROM schema_migrations ORDER BY name")]
    return {"status": "ok", "counts": counts(store), "migrations": migrations}

