"""What the sequential batch stages (stories, actors) stand on.

A map's per-article results are sorted by date on disk: written to a scratch
SQLite table and read back with ORDER BY, which sorts in bounded memory (SQLite
compares text by UTF-8 bytes, i.e. like Python), so that no engine holds the
corpus in memory. The stage itself then runs over a scratch store.
"""

from __future__ import annotations

import pickle
import sqlite3
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..model import Article
from ..store import Store


def dated(article: Article) -> Article:
    """What the sequential stages read of an article besides their map's results:
    no text, only its id, date, version, title, language and outlet."""
    return Article(id=article.id, raw_text="", published=article.published, version=article.version,
                   title=article.title, language=article.language, outlet=article.outlet)


def date_order(article: Article) -> tuple:
    """Dated articles by date, then the undated; ties by id."""
    return (article.published is None, article.published or "", article.id)


class DateOrder:
    """(article, payload) pairs sorted by :func:`date_order` on disk; articles are
    kept as :func:`dated` gives them, payloads pickled."""

    def __init__(self, folder: Path, name: str):
        self.path = folder / f"_{name}_order.db"
        self.path.unlink(missing_ok=True)
        self.conn = sqlite3.connect(self.path)
        self.conn.execute("PRAGMA journal_mode = OFF")
        self.conn.execute("PRAGMA synchronous = OFF")
        self.conn.execute("CREATE TABLE found (undated INT, published TEXT, id TEXT, item BLOB)")

    def add_all(self, found: Iterable[tuple[Article, Any]], chunk: int = 5000) -> None:
        rows = []
        for article, payload in found:
            item = pickle.dumps((dated(article), payload), protocol=pickle.HIGHEST_PROTOCOL)
            rows.append((article.published is None, article.published or "", article.id, item))
            if len(rows) >= chunk:
                self.conn.executemany("INSERT INTO found VALUES (?, ?, ?, ?)", rows)
                rows = []
        self.conn.executemany("INSERT INTO found VALUES (?, ?, ?, ?)", rows)
        self.conn.commit()

    def __iter__(self) -> Iterator[tuple[Article, Any]]:
        for (item,) in self.conn.execute("SELECT item FROM found ORDER BY undated, published, id"):
            yield pickle.loads(item)

    def close(self) -> None:
        self.conn.close()
        self.path.unlink(missing_ok=True)


def in_batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def scratch_store(path: Path) -> Store:
    """A new store at ``path`` for a stage to run over (a rerun starts it anew)."""
    remove_scratch(path)
    store = Store.open(path)
    # A page cache of 256 MB: at a million articles the database holds GBs.
    store.conn.execute("PRAGMA cache_size = -262144")
    # Rollback journal in memory, no syncs. In WAL mode each commit wrote every
    # changed page twice (log, then checkpoint), a cost per batch that grew with
    # the indexes.
    store.conn.execute("PRAGMA journal_mode = MEMORY")
    store.conn.execute("PRAGMA synchronous = OFF")
    return store


def remove_scratch(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
