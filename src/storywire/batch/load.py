"""``storywire load``: import a batch run's Parquet tables into SQLite.

Articles go through :meth:`Store.save_article` (versions, sources and full-text
search as in ingest); analysis tables are copied column for column. Loading the
same folder twice changes nothing: rows are keyed by article id (or by their
primary key) and replaced. The loaded articles are then marked done for each
analysis stage whose batch output was complete, so that a later ``storywire
analyze`` does not redo them, and the loaded stories get the profiles the
stories stage keeps (:func:`~storywire.stories.stage.profile_loaded`), the
articles their MinHash band keys (``copy_bands``) and the actors their keys
(``actor_keys``, :func:`~storywire.actors.resolve.register_loaded`), so that
articles analysed later join the loaded stories, find their copies among the
loaded articles and join the loaded actors.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from ..actors.resolve import register_loaded
from ..copies.index import text_keys
from ..model import Article
from ..store import Store
from ..stories.stage import profile_loaded
from . import tables
from .articles import row_article
from .order import in_batches
from .plan import STAGES, BatchError, stage_complete

# Analysis tables whose rows have their own key in SQLite (INSERT OR REPLACE), and
# those with an autoincrement id, which are replaced per article.
KEYED = ("copy_pairs", "copy_groups", "story_articles", "stories", "actors")
PER_ARTICLE = ("mentions", "quotes", "figures")
# Analysis stages (as ``storywire analyze`` names them) and the batch stages whose
# output stands for theirs.
ANALYSED_BY = {
    "copies": ("copy_candidates", "copy_pairs", "copy_groups"),
    "stories": ("stories",),
    "actors": ("actors",),
    "claims": ("claims",),
}


def load(folder: str | Path, store: Store, batch_size: int = 2000) -> dict[str, int]:
    """Import every complete table under ``folder``; return rows loaded per table."""
    folder = Path(folder)
    if not stage_complete(folder, "articles"):
        raise BatchError(
            f"{folder} holds no complete batch output (no articles/_SUCCESS)",
            hint="run `storywire batch INPUT... --out DIR` first, and load that DIR",
        )
    run_id = store.start_run("load", {"folder": str(folder)})
    counts: dict[str, int] = {}
    status = "failed"
    done = [stage for stage, by in ANALYSED_BY.items() if all(stage_complete(folder, b) for b in by)]
    try:
        counts["articles"] = _load_articles(folder / "articles", store, batch_size, bands="copies" in done)
        for stage, names in STAGES.items():
            if stage in ("articles", "copy_candidates") or not stage_complete(folder, stage):
                continue
            for name in names:
                counts[name] = _load_table(folder / name, name, store, batch_size)
        _mark_done(folder / "articles", store, done, batch_size)
        if "actors" in done:
            with store.transaction() as c:
                counts["actor_keys"] = register_loaded(c)
        if "stories" in done:  # so that articles analysed later can join the loaded stories
            counts["story_profiles"] = profile_loaded(store)["profiles"]
        status = "ok"
    finally:
        store.finish_run(run_id, status, counts)
    return counts


def _batches(folder: Path, size: int, columns: list[str] | None = None) -> Iterator[list[dict]]:
    return in_batches(tables.read_rows(folder, columns), size)


def _load_articles(folder: Path, store: Store, size: int, bands: bool) -> int:
    """Save the articles; with ``bands``, replace their ``copy_bands`` keys too."""
    n = 0
    for batch in _batches(folder, size):
        with store.transaction() as c:
            for row in batch:
                article = row_article(row)
                store.save_article(article)
                if bands:
                    c.execute("DELETE FROM copy_bands WHERE article_id = ?", (article.id,))
                    c.executemany("INSERT INTO copy_bands (key, article_id) VALUES (?, ?)",
                                  [(k, article.id) for k in text_keys(article.text)])
        n += len(batch)
    return n


def _load_table(folder: Path, table: str, store: Store, size: int) -> int:
    cols = tables.columns(table)
    sql_cols = ", ".join(f'"{c}"' for c in cols)
    insert = f"INSERT OR REPLACE INTO {table} ({sql_cols}) VALUES ({', '.join('?' * len(cols))})"
    n = 0
    cleared: set[str] = set()  # articles whose old rows are already deleted
    for batch in _batches(folder, size):
        with store.transaction() as c:
            if table in PER_ARTICLE:
                ids = sorted({r["article_id"] for r in batch} - cleared)
                cleared.update(ids)
                for i in range(0, len(ids), 500):
                    chunk = ids[i : i + 500]
                    c.execute(f"DELETE FROM {table} WHERE article_id IN ({','.join('?' * len(chunk))})", chunk)
            c.executemany(insert, [tuple(r[col] for col in cols) for r in batch])
        n += len(batch)
    return n


def _mark_done(folder: Path, store: Store, stages: list[str], size: int) -> None:
    """Mark the loaded articles, at the version the store now holds, done for ``stages``."""
    if not stages:
        return
    for batch in _batches(folder, size, ["id"]):
        ids = [r["id"] for r in batch]
        rows = store.query(f"SELECT id, version FROM articles WHERE id IN ({','.join('?' * len(ids))})", ids)
        articles = [Article(id=r["id"], raw_text="", version=r["version"]) for r in rows]
        with store.transaction():
            for stage in stages:
                store.mark_done(stage, articles)
