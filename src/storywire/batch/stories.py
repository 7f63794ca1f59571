"""Stories at batch scale: the stories stage itself, over the articles in date order.

Story assignment is sequential by nature (an article joins the best of the
stories before it, and a growing story may absorb a neighbour), so a batch run
does what streaming does, and gives its result:

1. per article, on the engine (a map): :func:`storywire.stories.features.features`
   and, with an encoder, the embedding of its title and lead;
2. the articles (without text) with their features, sorted by date on disk
   (:class:`~storywire.batch.order.DateOrder`);
3. the ``stories`` stage itself (:class:`~storywire.stories.stage.StoriesStage`),
   fed those features in batches of ``ASSIGN_BATCH``, over a scratch SQLite
   database that holds the batch's copy groups (a copy joins its original's story);
4. ``story_articles`` and ``stories`` read back from it, stories merged by the
   merge step included (``status = 'merged'``), as a store that streamed the
   articles holds them.

The stage's stories do not depend on how the stream is cut into batches, so
this is the result of streaming the articles one by one in date order, except
that the batch knows every copy edge of the corpus from the start (a stream
learns of a copy group only as its members arrive).
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator

import numpy as np

from ..config import Settings
from ..engine import young_collections
from ..model import Article
from ..stories.features import ArticleFeatures, features
from ..stories.encoder import load_encoder_once
from ..stories.stage import StoriesStage
from .order import dated, in_batches, remove_scratch, scratch_store

ASSIGN_BATCH = 2000
# Texts embedded at once by the map's encoder.
ENCODE_BATCH = 32

Found = tuple[ArticleFeatures, "np.ndarray | None"]


class FeatureStep:
    """The map: each article with its features and embedding (picklable, so that
    worker processes can run it; each loads the encoder once)."""

    name = "story_features"

    def __init__(self, encoder_spec: str):
        self.encoder_spec = encoder_spec

    def __call__(self, articles: Iterable[Article]) -> Iterator[tuple[Article, Found]]:
        return story_features(articles, self.encoder_spec)


def story_features(articles: Iterable[Article], encoder_spec: str) -> Iterator[tuple[Article, Found]]:
    """Each article without its text (:func:`~storywire.batch.order.dated`) with its
    features and embedding (loads the encoder once per process)."""
    encoder = load_encoder_once(encoder_spec)
    for batch in in_batches(articles, ENCODE_BATCH):
        feats = [features(a) for a in batch]
        vectors = (list(np.asarray(encoder.encode([f.embed_text for f in feats]), dtype=np.float32))
                   if encoder else [None] * len(feats))
        for article, f, v in zip(batch, feats, vectors):
            f.embed_text = ""  # embedded already: not carried further
            yield dated(article), (f, v)


class KnownFeatures(StoriesStage):
    """The stories stage, reading each article's features and embedding from
    what the map found instead of computing them."""

    def __init__(self, encoder_spec: str):
        super().__init__(encoder_spec=encoder_spec)
        self.found: dict[str, Found] = {}

    def article_features(self, store, articles, spec):
        found = [self.found[a.id] for a in articles]
        return [f for f, _ in found], [v for _, v in found]


class Assignment:
    """The stories stage over a scratch database holding the batch's copy groups."""

    def __init__(self, folder: Path, copy_groups: Iterable[dict], settings: Settings):
        self.path = folder / "_stories_scratch.db"
        self.store = scratch_store(self.path)
        with self.store.transaction() as c:
            c.executemany("INSERT INTO copy_groups (article_id, group_id, is_origin) VALUES (?, ?, ?)",
                          [(r["article_id"], r["group_id"], r["is_origin"]) for r in copy_groups])
        self.stage = KnownFeatures(settings.encoder)

    def add(self, batch: list[tuple[Article, Found]]) -> None:
        """Assign one batch of articles (in date order): each with its features."""
        with young_collections():
            with self.store.transaction() as c:
                # What the stage reads of an article in SQL: its record for the story rows.
                c.executemany(
                    "INSERT INTO articles (id, outlet, title, published, language, raw_text, clean_text, "
                    "paragraphs, content_hash, version, ingested_at) VALUES (?, ?, ?, ?, ?, '', '', '[]', '', ?, '')",
                    [(a.id, a.outlet, a.title, a.published, a.language, a.version) for a, _ in batch])
            self.stage.found = {a.id: found for a, found in batch}
            self.stage.update(self.store, [a for a, _ in batch])
            self.stage.found = {}

    def story_articles(self) -> Iterator[tuple]:
        yield from self.store.conn.execute(
            "SELECT article_id, story_id, score, manual FROM story_articles ORDER BY article_id")

    def stories(self, updated_at: str) -> Iterator[tuple]:
        """Story rows; ``updated_at`` is the run's, so that every engine writes the same rows."""
        for row in self.store.conn.execute(
            "SELECT id, title, first_seen, last_seen, article_count, languages, outlets, key_actors, summary, "
            "status, merged_into FROM stories ORDER BY id"
        ):
            yield (*row, updated_at)

    def close(self) -> None:
        self.store.close()
        remove_scratch(self.path)


def assign_in_batches(assignment: Assignment, found: Iterable[tuple[Article, Found]]) -> None:
    for batch in in_batches(found, ASSIGN_BATCH):
        assignment.add(batch)
