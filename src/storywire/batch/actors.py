"""Actors and claims at batch scale.

Named-entity recognition, the slow part, runs per article on the engine (a map).
Resolving mentions to actors is sequential by nature (a surname joins the
person its story already knows), so it runs in one place: the ``actors``
stage itself (:class:`storywire.actors.stage.ActorsStage`), fed the mentions
found by the map, over a scratch SQLite database that holds the batch's
story links, in date order. Quotes and figures are again per-article maps;
statements are grouped per story (a group-by) with the claims stage's function.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator

from ..actors.ner import Mention, recognizer
from ..actors.stage import ActorsStage
from ..claims.figures import find_figures
from ..claims.quotes import Person, find_quotes
from ..claims.statements import LexicalSimilarity, group_statements
from ..config import Settings
from ..model import Article
from ..store import Store
from . import tables

RESOLVE_BATCH = 500


class KnownMentions:
    """A recognizer that returns the mentions an engine map found earlier."""

    def __init__(self, found: dict[str, list[Mention]]):
        self.found = found

    def mentions(self, article: Article) -> list[Mention]:
        return self.found.get(article.id, [])


def find_mentions(articles: Iterable[Article], settings: Settings) -> Iterator[tuple[Article, list[Mention]]]:
    """Mentions of each article (loads the NER pipelines once per call)."""
    ner = recognizer(settings)
    for article in articles:
        yield article, ner.mentions(article)


def date_order(article: Article) -> tuple:
    return (article.published is None, article.published or "", article.id)


class Resolution:
    """The actors stage over a scratch database holding the batch's story links."""

    def __init__(self, folder: Path, story_links: Iterable[dict]):
        self.path = folder / "_actors_scratch.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        self.store = Store.open(self.path)
        with self.store.transaction() as c:
            c.executemany(
                "INSERT INTO story_articles (article_id, story_id, score, manual) VALUES (?, ?, ?, ?)",
                [(r["article_id"], r["story_id"], r["score"], r["manual"]) for r in story_links],
            )

    def add(self, batch: list[tuple[Article, list[Mention]]]) -> None:
        """Resolve one batch of articles (in date order) with their mentions."""
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
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)


def resolve_in_batches(resolution: Resolution, found: Iterable[tuple[Article, list[Mention]]]) -> None:
    batch: list[tuple[Article, list[Mention]]] = []
    for item in found:
        batch.append(item)
        if len(batch) >= RESOLVE_BATCH:
            resolution.add(batch)
            batch = []
    if batch:
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
    figures = [
        (article.id, f.value, f.low, f.high, f.what, f.raw, f.start, f.end, date)
        for f in find_figures(article.text)
    ]
    return quotes, figures


def statement_rows(quotes: list[tuple]) -> list[tuple]:
    """``quotes`` table rows of one story's (or one story-less article's) quotes,
    with statements grouped as the claims stage groups them."""
    ids = group_statements([(q[0], q[3], q[4]) for q in quotes], LexicalSimilarity())
    return [(*q[1:], ids[q[0]]) for q in sorted(quotes)]


def story_of(links: Iterable[dict]) -> dict[str, str]:
    return {r["article_id"]: r["story_id"] for r in links}


def read_links(folder: Path) -> list[dict]:
    return list(tables.read_rows(folder, ["article_id", "story_id", "score", "manual"]))
