"""What the CLI (and API) show of actors: lists, one actor's variants and stories."""

from __future__ import annotations

from typing import Any

from ..errors import NotFound
from ..store import Store, Where


def list_actors(store: Store, story: str | None = None, kind: str | None = None, limit: int = 100) -> list[dict]:
    """Actors with their mention, article and variant counts, most mentioned first."""
    where = Where("m.actor_id IS NOT NULL").add("sa.story_id = ?", story).add("x.kind = ?", kind)
    join = "JOIN story_articles sa ON sa.article_id = m.article_id" if story else ""
    rows = store.query(
        "SELECT x.id, x.name, x.kind, count(*) AS mentions, count(DISTINCT m.article_id) AS articles, "
        "count(DISTINCT m.text) AS variants FROM mentions m JOIN actors x ON x.id = m.actor_id "
        f"{join} {where.sql} GROUP BY x.id ORDER BY mentions DESC, x.id LIMIT ?",
        [*where.params, limit],
    )
    return [dict(r) for r in rows]


def actor_detail(store: Store, actor_id: str) -> dict[str, Any]:
    """One actor: every variant with the outlets that used it and how often; its stories."""
    row = store.query("SELECT id, name, kind, key FROM actors WHERE id = ?", [actor_id])
    if not row:
        raise NotFound(f"no actor with id {actor_id!r}", hint="list actor ids with `storywire actors`")
    variants: dict[str, dict] = {}
    for r in store.query(
        "SELECT m.text, a.outlet, count(*) AS n FROM mentions m JOIN articles a ON a.id = m.article_id "
        "WHERE m.actor_id = ? GROUP BY m.text, a.outlet ORDER BY m.text, a.outlet",
        [actor_id],
    ):
        v = variants.setdefault(r["text"], {"variant": r["text"], "count": 0, "outlets": {}})
        v["count"] += r["n"]
        v["outlets"][r["outlet"] or "-"] = r["n"]
    stories = store.query(
        "SELECT s.id, s.title, count(*) AS mentions FROM mentions m "
        "JOIN story_articles sa ON sa.article_id = m.article_id JOIN stories s ON s.id = sa.story_id "
        "WHERE m.actor_id = ? GROUP BY s.id ORDER BY mentions DESC, s.id",
        [actor_id],
    )
    return {
        **dict(row[0]),
        "variants": sorted(variants.values(), key=lambda v: (-v["count"], v["variant"])),
        "stories": [dict(s) for s in stories],
    }
