"""What the CLI (and API) show of claims: quotes, figures, figures lined up per outlet."""

from __future__ import annotations

from ..store import Store, Where


def list_quotes(store: Store, story: str | None = None, actor: str | None = None, limit: int = 200) -> list[dict]:
    """Quotes with article, outlet and date, grouped by statement within a story."""
    where = Where().add("sa.story_id = ?", story).add("q.actor_id = ?", actor)
    rows = store.query(
        "SELECT q.id, q.statement_id, q.speaker, q.actor_id, q.kind, q.text, q.article_id, a.outlet, "
        "a.published, sa.story_id FROM quotes q JOIN articles a ON a.id = q.article_id "
        "LEFT JOIN story_articles sa ON sa.article_id = q.article_id "
        f"{where.sql} ORDER BY sa.story_id, q.statement_id, a.published, q.id LIMIT ?",
        [*where.params, limit],
    )
    return [dict(r) for r in rows]


def list_figures(store: Store, story: str | None = None, limit: int = 500) -> list[dict]:
    where = Where().add("sa.story_id = ?", story)
    rows = store.query(
        "SELECT f.id, f.what, f.value, f.low, f.high, f.raw, f.date, f.article_id, a.outlet, sa.story_id "
        "FROM figures f JOIN articles a ON a.id = f.article_id "
        f"LEFT JOIN story_articles sa ON sa.article_id = f.article_id {where.sql} "
        "ORDER BY sa.story_id, f.what, f.date, a.outlet, f.id LIMIT ?",
        [*where.params, limit],
    )
    return [dict(r) for r in rows]


def amount(row: dict) -> str:
    """'3500', '>= 200', '<= 50' or '24-99' for a figure row."""
    if row["value"] is None:
        return f"{row['low']:g}-{row['high']:g}"
    value = f"{row['value']:g}" if row["value"] < 1e6 else f"{row['value']:,.0f}"
    if row["low"] is not None:
        return f">= {value}"
    if row["high"] is not None:
        return f"<= {value}"
    return value


def figure_lineup(store: Store, story: str) -> list[dict]:
    """Per quantity ("killed", "children killed"…), what each outlet reported, in date
    order; ``disagree`` is true when the outlets' values differ."""
    lineup: dict[str, dict] = {}
    seen = set()
    for row in list_figures(store, story):
        # A title usually repeats the text's figure: one line per article and amount.
        same = (row["article_id"], row["what"], row["value"], row["low"], row["high"])
        if same in seen:
            continue
        seen.add(same)
        entry = lineup.setdefault(row["what"], {"what": row["what"], "outlets": [], "disagree": False})
        entry["outlets"].append({
            "outlet": row["outlet"], "article_id": row["article_id"], "date": row["date"],
            "value": row["value"], "low": row["low"], "high": row["high"], "raw": row["raw"],
            "amount": amount(row),
        })
    for entry in lineup.values():
        values = {(o["value"], o["low"], o["high"]) for o in entry["outlets"]}
        entry["disagree"] = len(values) > 1
    return sorted(lineup.values(), key=lambda e: (-len(e["outlets"]), e["what"]))
