"""SQLite storage: one file, WAL mode, migrations, full-text search.

Every query here is parameterised. Writers use :meth:`Store.transaction`, which
takes SQLite's write lock up front (``BEGIN IMMEDIATE``), so a killed process
leaves either all of a batch or none of it.
"""

from __future__ import annotations

import json
import os
import re
import socket
import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..errors import NotFound, StoreError
from ..model import Article, Paragraph, content_hash

ARTICLE_COLUMNS = (
    "id, outlet, url, title, published, language, raw_text, clean_text, paragraphs, "
    "content_hash, version, ingested_at, source_path, extra"
)


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def migrations() -> list[tuple[str, str]]:
    """(name, sql) of every migration shipped with the package, in order."""
    folder = resources.files(__package__) / "migrations"
    files = sorted(p for p in folder.iterdir() if p.name.endswith(".sql"))
    return [(p.name, p.read_text(encoding="utf-8")) for p in files]


def fts_query(text: str) -> str:
    """Turn what a user typed into a safe FTS5 query: every word must match.

    Words are quoted, so FTS5 operators and stray quotes in the input are taken
    literally. A trailing ``*`` on a word is kept as a prefix search.
    """
    parts = []
    for m in re.finditer(r"[^\W_]+(?:['’][^\W_]+)*\*?", text):
        word = m.group()
        star = word.endswith("*")
        word = word.rstrip("*").replace('"', '""')
        parts.append(f'"{word}"' + ("*" if star else ""))
    return " ".join(parts)


class Where:
    """The WHERE clause of a filtered listing, built from optional filters.

    ``add(clause, value)`` keeps the clause (with one ``?``) only when the value is
    given; ``sql`` and ``params`` go into the query. Values are always parameters.
    """

    def __init__(self, *always: str):
        self.clauses = list(always)
        self.params: list[Any] = []

    def add(self, clause: str, value: Any) -> "Where":
        if value is not None and value != "":
            self.clauses.append(clause)
            self.params.append(value)
        return self

    @property
    def sql(self) -> str:
        return "WHERE " + " AND ".join(self.clauses) if self.clauses else ""


class Store:
    """A storywire database. Open with :meth:`Store.open`; use as a context manager."""

    def __init__(self, conn: sqlite3.Connection, path: str):
        self.conn = conn
        self.path = path

    @classmethod
    def open(cls, path: str | Path, *, readonly: bool = False, migrate: bool = True) -> "Store":
        path = str(path)
        try:
            if path != ":memory:" and not readonly:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            uri = f"file:{path}?mode=ro" if readonly else path
            conn = sqlite3.connect(
                uri, uri=readonly, timeout=30, isolation_level=None, check_same_thread=False
            )
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA busy_timeout = 30000")
            if not readonly:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error as exc:
            raise StoreError(
                f"cannot open database {path!r}: {exc}",
                hint="check the path and its permissions, or pass another file with --db",
            ) from exc
        store = cls(conn, path)
        if migrate and not readonly:
            store.migrate()
        return store

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- schema ---------------------------------------------------------------

    def migrate(self) -> list[str]:
        """Apply the migrations this database lacks; return their names."""
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
        )
        done = {r[0] for r in self.conn.execute("SELECT name FROM schema_migrations")}
        applied = []
        for name, sql in migrations():
            if name in done:
                continue
            try:
                with self.transaction():
                    for statement in _split_sql(sql):
                        self.conn.execute(statement)
                    self.conn.execute(
                        "INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)", (name, now())
                    )
            except sqlite3.Error as exc:
                raise StoreError(
                    f"migration {name} failed on {self.path}: {exc}",
                    hint="the file may come from a newer storywire; upgrade, or use a new --db",
                ) from exc
            applied.append(name)
        return applied

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; rolled back if the block raises."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    def query(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        return self.conn.execute(sql, tuple(params)).fetchall()

    # -- runs -----------------------------------------------------------------

    def start_run(self, kind: str, args: dict | None = None) -> int:
        """Record a new run; runs of this host whose process died are marked ``interrupted``."""
        host, pid = socket.gethostname(), os.getpid()
        with self.transaction() as c:
            for row in c.execute("SELECT id, args FROM runs WHERE status = 'running'").fetchall():
                owner = json.loads(row["args"] or "{}")
                if owner.get("host") == host and not _process_alive(owner.get("pid")):
                    c.execute("UPDATE runs SET status = 'interrupted' WHERE id = ?", (row["id"],))
            cur = c.execute(
                "INSERT INTO runs (kind, started_at, args) VALUES (?, ?, ?)",
                (kind, now(), json.dumps({**(args or {}), "host": host, "pid": pid}, default=str)),
            )
            return int(cur.lastrowid)

    def finish_run(self, run_id: int, status: str, stats: dict) -> None:
        with self.transaction() as c:
            c.execute(
                "UPDATE runs SET finished_at = ?, status = ?, stats = ? WHERE id = ?",
                (now(), status, json.dumps(stats), run_id),
            )

    def record_items(self, run_id: int, items: Iterable[tuple[str, str, str | None, str | None]]) -> None:
        """Record (source, status, article_id, reason) rows; call inside a transaction."""
        self.conn.executemany(
            "INSERT INTO run_items (run_id, source, status, article_id, reason) VALUES (?, ?, ?, ?, ?)",
            [(run_id, *item) for item in items],
        )

    def run_items(self, run_id: int, status: str | None = None) -> list[sqlite3.Row]:
        sql = "SELECT source, status, article_id, reason FROM run_items WHERE run_id = ?"
        params: list[Any] = [run_id]
        if status:
            sql += " AND status = ?"
            params.append(status)
        return self.query(sql + " ORDER BY rowid", params)

    # -- articles -------------------------------------------------------------

    def save_article(self, article: Article) -> str:
        """Insert or update one article; call inside a transaction.

        Returns ``new``, ``duplicate`` (same id and content already stored) or
        ``updated`` (same id, changed content: the old version is kept in
        ``article_versions`` and the version number goes up).
        """
        article.content_hash = article.content_hash or content_hash(article.clean_text or article.raw_text)
        article.ingested_at = article.ingested_at or now()
        c = self.conn
        row = c.execute(
            "SELECT content_hash, version, title, raw_text, clean_text, ingested_at FROM articles WHERE id = ?",
            (article.id,),
        ).fetchone()
        status = "new"
        if row is not None:
            if row["content_hash"] == article.content_hash:
                self._add_source(article)
                return "duplicate"
            c.execute(
                "INSERT OR REPLACE INTO article_versions (article_id, version, title, raw_text, clean_text, content_hash, ingested_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (article.id, row["version"], row["title"], row["raw_text"], row["clean_text"],
                 row["content_hash"], row["ingested_at"]),
            )
            article.version = row["version"] + 1
            c.execute("DELETE FROM articles WHERE id = ?", (article.id,))
            status = "updated"
        c.execute(
            f"INSERT INTO articles ({ARTICLE_COLUMNS}) VALUES ({', '.join('?' * 14)})",
            (
                article.id, article.outlet, article.url, article.title, article.published,
                article.language, article.raw_text, article.clean_text,
                json.dumps([{"text": p.text, "lang": p.lang} for p in article.paragraphs], ensure_ascii=False),
                article.content_hash, article.version, article.ingested_at, article.source_path,
                json.dumps(article.extra, ensure_ascii=False, default=str) if article.extra else None,
            ),
        )
        self._add_source(article)
        return status

    def _add_source(self, article: Article) -> None:
        source = article.url or article.source_path
        if source:
            self.conn.execute(
                "INSERT OR IGNORE INTO article_sources (article_id, source, first_seen) VALUES (?, ?, ?)",
                (article.id, source, now()),
            )

    def get_article(self, article_id: str) -> Article:
        row = self.conn.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise NotFound(f"no article with id {article_id!r}", hint="list ids with `storywire articles`")
        return row_to_article(row)

    def iter_articles(self, ids: Iterable[str] | None = None, order: str = "published") -> Iterator[Article]:
        """All articles (or the given ids), by publication date then id."""
        if ids is None:
            order_sql = "COALESCE(published, ingested_at), id" if order == "published" else "rowid"
            for row in self.conn.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles ORDER BY {order_sql}"):
                yield row_to_article(row)
            return
        for chunk in _chunks(list(ids), 500):
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(
                f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id IN ({marks}) "
                "ORDER BY COALESCE(published, ingested_at), id",
                chunk,
            ).fetchall()
            for row in rows:
                yield row_to_article(row)

    def list_articles(
        self,
        *,
        language: str | None = None,
        outlet: str | None = None,
        story: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[sqlite3.Row]:
        """Article summaries (no texts), newest first, filtered."""
        where = (
            Where()
            .add("a.language = ?", language)
            .add("a.outlet = ?", outlet)
            .add("a.published >= ?", since)
            .add("a.published <= ?", until)
            .add("sa.story_id = ?", story)
        )
        join = "JOIN story_articles sa ON sa.article_id = a.id" if story else ""
        sql = (
            "SELECT a.id, a.outlet, a.url, a.title, a.published, a.language, a.version, "
            f"a.ingested_at, length(a.clean_text) AS chars FROM articles a {join} {where.sql} "
            "ORDER BY a.published DESC, a.id LIMIT ? OFFSET ?"
        )
        return self.query(sql, [*where.params, limit, offset])

    def count_articles(self) -> int:
        return self.conn.execute("SELECT count(*) FROM articles").fetchone()[0]

    def search(self, text: str, limit: int = 20, offset: int = 0) -> list[sqlite3.Row]:
        """Full-text search over titles, texts and outlets, best match first."""
        q = fts_query(text)
        if not q:
            return []
        return self.query(
            "SELECT a.id, a.outlet, a.title, a.published, a.language, "
            "snippet(articles_fts, 1, '[', ']', ' … ', 12) AS snippet, bm25(articles_fts) AS rank "
            "FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid "
            "WHERE articles_fts MATCH ? ORDER BY rank LIMIT ? OFFSET ?",
            (q, limit, offset),
        )

    # -- analysis bookkeeping ---------------------------------------------------

    def pending(self, stage: str) -> list[str]:
        """Ids of articles whose current version ``stage`` has not processed, oldest first.

        Only the changes stored after the stage's mark (migration 0011) are looked
        at, so the cost follows the backlog, not the size of the store; without a
        mark (a new stage, or one reset) every article is.
        """
        mark = self.conn.execute("SELECT seq FROM stage_marks WHERE stage = ?", (stage,)).fetchone()
        if mark is None:
            source, params = "articles a", [stage]
        else:
            source = ("(SELECT DISTINCT article_id FROM article_changes WHERE seq > ?) c "
                      "JOIN articles a ON a.id = c.article_id")
            params = [mark[0], stage]
        rows = self.conn.execute(
            f"SELECT a.id FROM {source} LEFT JOIN analysis_state s "
            "ON s.stage = ? AND s.article_id = a.id AND s.version = a.version "
            "WHERE s.article_id IS NULL ORDER BY COALESCE(a.published, a.ingested_at), a.id",
            params,
        ).fetchall()
        return [r[0] for r in rows]

    def mark_done(self, stage: str, articles: Iterable[Article]) -> None:
        """Mark articles processed by ``stage``; call inside the stage's transaction."""
        stamp = now()
        self.conn.executemany(
            "INSERT OR REPLACE INTO analysis_state (stage, article_id, version, done_at) VALUES (?, ?, ?, ?)",
            [(stage, a.id, a.version, stamp) for a in articles],
        )
        self._advance_mark(stage)

    def _advance_mark(self, stage: str) -> None:
        """Move the stage's mark past the changes now done, up to the first that is not."""
        c = self.conn
        row = c.execute("SELECT seq FROM stage_marks WHERE stage = ?", (stage,)).fetchone()
        if row is None:
            # A first mark (new stage, reset, or lost changes): every article needs a change row.
            c.execute("INSERT INTO article_changes (article_id) SELECT id FROM articles "
                      "WHERE id NOT IN (SELECT article_id FROM article_changes)")
        start = seq = row[0] if row else 0
        for change, done in c.execute(
            "SELECT c.seq, a.id IS NULL OR s.article_id IS NOT NULL FROM article_changes c "
            "LEFT JOIN articles a ON a.id = c.article_id LEFT JOIN analysis_state s "
            "ON s.stage = ? AND s.article_id = c.article_id AND s.version = a.version "
            "WHERE c.seq > ? ORDER BY c.seq", (stage, start),
        ):
            if not done:
                break
            seq = change
        if row is None or seq != start:
            c.execute("INSERT OR REPLACE INTO stage_marks (stage, seq) VALUES (?, ?)", (stage, seq))

    def reset_stage(self, stage: str) -> None:
        """Forget what ``stage`` processed, so that the next run redoes everything."""
        with self.transaction() as c:
            c.execute("DELETE FROM analysis_state WHERE stage = ?", (stage,))
            c.execute("DELETE FROM stage_marks WHERE stage = ?", (stage,))


def _process_alive(pid: object) -> bool:
    if not isinstance(pid, int):
        return True  # unknown owner: leave the run as it is
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def row_to_article(row: sqlite3.Row) -> Article:
    return Article(
        id=row["id"],
        outlet=row["outlet"],
        url=row["url"],
        title=row["title"],
        published=row["published"],
        language=row["language"],
        raw_text=row["raw_text"],
        clean_text=row["clean_text"],
        paragraphs=[Paragraph(**p) for p in json.loads(row["paragraphs"] or "[]")],
        content_hash=row["content_hash"],
        version=row["version"],
        ingested_at=row["ingested_at"],
        source_path=row["source_path"],
        extra=json.loads(row["extra"]) if row["extra"] else {},
    )


def _chunks(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _split_sql(script: str) -> list[str]:
    """Split a migration into statements; trigger bodies stay whole."""
    statements, buf = [], []
    for line in script.splitlines():
        if line.strip().startswith("--") and not buf:
            continue
        buf.append(line)
        joined = "\n".join(buf)
        if sqlite3.complete_statement(joined):
            statements.append(joined.strip())
            buf = []
    if "\n".join(buf).strip():
        statements.append("\n".join(buf).strip())
    return statements
