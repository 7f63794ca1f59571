"""Actors and claims at batch scale.

Named-entity recognition, the slow part, runs per article on the engine (a map).
Resolving mentions to actors is sequential by nature (a surname joins the
person its story already knows), so it runs in one place: the ``actors``
stage itself (:class:`storywire.actors.stage.ActorsStage`), fed the mentions
found by the map, over a scratch SQLite database that holds the batch's
story links, in date order. Between the map and resolution, the articles
(without their text) and their mentions are sorted by date on disk
(:class:`~storywire.batch.order.DateOrder`), so that no engine holds the
corpus in memory. Quotes and figures are again per-article maps; statements
are grouped per story (a group-by) with the claims stage's function.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Iterable, Iterator

from ..actors.ner import Mention, recognizer
from ..actors.stage import ActorsStage
from ..claims.figures import find_figures
from ..claims.quotes import Person, find_quotes
from ..claims.statements import LexicalSimilarity, group_statements
from ..config import Settings
from ..engine import young_collections
from ..model import Article
from . import tables
from .order import dated, in_batches, remove_scratch, scratch_store

RESOLVE_BATCH = 500


class KnownMentions:
    """A recognizer that returns the mentions an engine map found earlier."""

    def __init__(self, found: dict[str, list[Mention]]):
        self.found = found

    def mentions(self, article: Article) -> list[Mention]:
        return self.found.get(article.id, [])


# Columns of the ``articles`` table that the actors and claims maps read.
TEXT_COLUMNS = ["id", "title", "published", "language", "clean_text", "version"]


def find_mentions(articles: Iterable[Article], settings: Settings) -> Iterator[tuple[Article, list[Mention]]]:
    """Each article without its text (:func:`dated`) with its mentions (loads the
    NER pipelines once per call)."""
    ner = recognizer(settings)
    for article in articles:
        yield dated(article), ner.mentions(article)


class MentionsStep:
    """:func:`find_mentions` as an engine step (picklable, for worker processes)."""

    name = "mentions"

    def __init__(self, settings: Settings):
        self.settings = settings

    def __call__(self, articles: Iterable[Article]) -> Iterator[tuple[Article, list[Mention]]]:
        return find_mentions(articles, self.settings)


class Resolution:
    """The actors stage over a scratch database holding the batch's story links."""

    def __init__(self, folder: Path, story_links: Iterable[dict]):
        self.path = folder / "_actors_scratch.db"
        self.store = scratch_store(self.path)
        with self.store.transaction() as c:
            c.executemany(
                "INSERT INTO story_articles (article_id, story_id, score, manual) VALUES (?, ?, ?, ?)",
                [(r["article_id"], r["story_id"], r["score"], r["manual"]) for r in story_links],
            )

    def add(self, batch: list[tuple[Article, list[Mention]]]) -> None:
        """Resolve one batch of articles (in date order) with their mentions."""
        with young_collections():
            ActorsStage(ner=KnownMentions({a.id: m for a, m in batch})).update(self.store, [a for a, _ in batch])

    def mentions(self) -> Iterator[tuple]:
        for row in self.store.conn.execute(
            "SELECT article_id, actor_id, text, kind, start, end FROM mentions ORDER BY article_id, start, id"
        ):
            yield tuple(row)

    def actors(self) -> Iterator[tuple]:
        for row in self.store.conn.execute("SELECT id, name, kind, key FROM actors ORDER BY id"):
            yield tuple(row)

    def close(self) -> None:
        self.store.close()
        remove_scratch(self.path)


def resolve_in_batches(resolution: Resolution, found: Iterable[tuple[Article, list[Mention]]]) -> None:
    for batch in in_batches(found, RESOLVE_BATCH):
        resolution.add(batch)


def people(mentions: Iterable[dict], names: dict[str, str]) -> list[Person]:
    """The resolved person mentions of one article, as the claims stage reads them."""
    return sorted(
        (Person(m["start"], m["end"], m["actor_id"], names.get(m["actor_id"]) or m["text"])
         for m in mentions if m["kind"] == "person" and m["actor_id"]),
        key=lambda p: p.start,
    )


def claims(article: Article, persons: list[Person]) -> tuple[list[tuple], list[tuple]]:
    """(quotes rows keyed for grouping, figures rows) of one article.

    A quote row here is (key, article_id, speaker, actor_id, text, kind, start,
    end); the key (``article_id#n``) stands for the SQLite id until statements
    are grouped.
    """
    quotes = [
        (f"{article.id}#{i:04d}", article.id, q.speaker.name if q.speaker else None,
         q.speaker.actor_id if q.speaker else None, q.text, q.kind, q.start, q.end)
        for i, q in enumerate(find_quotes(article.text, persons))
    ]
    date = (article.published or "")[:10] or None
    # As the claims stage reads them: the title's figures, then the text's.
    numbers = [("title", f) for f in find_figures(article.title or "", article.language)]
    numbers += [("text", f) for f in find_figures(article.text, article.language)]
    figures = [
        (article.id, f.value, f.low, f.high, f.what, f.raw, f.start, f.end, date, part)
        for part, f in numbers
    ]
    return quotes, figures


def statement_rows(quotes: list[tuple]) -> list[tuple]:
    """``quotes`` table rows of one story's (or one story-less article's) quotes,
    with statements grouped as the claims stage groups them."""
    ids = group_statements([(q[0], q[3], q[4]) for q in quotes], LexicalSimilarity())
    return [(*q[1:], ids[q[0]]) for q in sorted(quotes)]


class PeopleLookup:
    """Each article's resolved person mentions, read from the claims scratch's
    people file (read-only: any number of worker processes may open it)."""

    def __init__(self, path: Path):
        self.path = path
        self._conn: sqlite3.Connection | None = None

    def __getstate__(self) -> dict:  # a worker opens its own connection
        return {"path": self.path, "_conn": None}

    def people(self, article_id: str) -> list[Person]:
        if self._conn is None:
            self._conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
        rows = self._conn.execute(
            "SELECT m.actor_id, m.text, m.kind, m.start, m.end, a.name FROM mentions m "
            "LEFT JOIN actors a ON a.id = m.actor_id WHERE m.article_id = ? ORDER BY m.rowid",
            (article_id,),
        ).fetchall()
        mentions = [dict(zip(("actor_id", "text", "kind", "start", "end"), r)) for r in rows]
        return people(mentions, {r[0]: r[5] for r in rows})

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


class ClaimsStep:
    """:func:`claims` as an engine step: (quotes, figures) of each article, its
    people read from a :class:`PeopleLookup`."""

    name = "claims"

    def __init__(self, lookup: PeopleLookup):
        self.lookup = lookup

    def __call__(self, articles: Iterable[Article]) -> Iterator[tuple[list[tuple], list[tuple]]]:
        for article in articles:
            yield claims(article, self.lookup.people(article.id))


class ClaimsScratch:
    """The claims map's lookups and the quotes' group-by on disk, for the local
    engine: scratch SQLite files, one holding each article's person mentions
    (with their actor's name), written once and then only read (by the map's
    workers too), the other the story links and the quotes found so far."""

    def __init__(self, folder: Path):
        self.path = folder / "_claims_scratch.db"
        self.people_path = folder / "_claims_people.db"
        for path in (self.path, self.people_path):
            path.unlink(missing_ok=True)
        self.conn = sqlite3.connect(self.path)
        self.lookup = PeopleLookup(self.people_path)
        for sql in (
            "PRAGMA journal_mode = OFF",
            "PRAGMA synchronous = OFF",
            "CREATE TABLE links (article_id TEXT PRIMARY KEY, story_id TEXT)",
            "CREATE TABLE quotes (article_id TEXT, row TEXT)",
        ):
            self.conn.execute(sql)

    @staticmethod
    def _insert(conn: sqlite3.Connection, table: str, columns: list[str], rows: Iterable[dict],
                chunk: int = 5000) -> None:
        sql = f"INSERT OR REPLACE INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        batch = []
        for r in rows:
            batch.append(tuple(r[c] for c in columns))
            if len(batch) >= chunk:
                conn.executemany(sql, batch)
                batch = []
        conn.executemany(sql, batch)

    def load(self, mentions: Iterable[dict], actors: Iterable[dict], links: Iterable[dict]) -> None:
        """The person mentions (in table order), actor names and story links of the run."""
        people = sqlite3.connect(self.people_path)
        try:
            for sql in (
                "PRAGMA journal_mode = OFF",
                "PRAGMA synchronous = OFF",
                "CREATE TABLE mentions (article_id TEXT, actor_id TEXT, text TEXT, kind TEXT, start INT, end INT)",
                "CREATE TABLE actors (id TEXT PRIMARY KEY, name TEXT)",
            ):
                people.execute(sql)
            persons = (m for m in mentions if m["kind"] == "person" and m["actor_id"])
            self._insert(people, "mentions", ["article_id", "actor_id", "text", "kind", "start", "end"], persons)
            self._insert(people, "actors", ["id", "name"], actors)
            people.execute("CREATE INDEX mentions_article ON mentions (article_id)")
            people.commit()
        finally:
            people.close()
        self._insert(self.conn, "links", ["article_id", "story_id"], links)
        self.conn.commit()

    def people(self, article_id: str) -> list[Person]:
        return self.lookup.people(article_id)

    def add_quotes(self, quotes: list[tuple]) -> None:
        self.conn.executemany(
            "INSERT INTO quotes (article_id, row) VALUES (?, ?)",
            [(q[1], json.dumps(q, ensure_ascii=False)) for q in quotes],
        )

    def story_quotes(self) -> Iterator[list[tuple]]:
        """The quotes of each story (or story-less article), by story id, each
        story's in the order they were added."""
        story, group = None, []
        for key, row in self.conn.execute(
            "SELECT COALESCE(l.story_id, q.article_id) AS story, q.row FROM quotes q "
            "LEFT JOIN links l ON l.article_id = q.article_id ORDER BY story, q.rowid"
        ):
            if key != story and group:
                yield group
                group = []
            story = key
            group.append(tuple(json.loads(row)))
        if group:
            yield group

    def close(self) -> None:
        self.lookup.close()
        self.conn.close()
        for path in (self.path, self.people_path):
            path.unlink(missing_ok=True)


def read_links(folder: Path) -> Iterator[dict]:
    return tables.read_rows(folder, ["article_id", "story_id", "score", "manual"])
