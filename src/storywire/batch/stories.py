"""Stories at batch scale: blocking on shared keys, scoring pairs, merging components.

The online assigner (:mod:`storywire.stories.assign`) walks articles in date
order; a batch run over millions of articles cannot, so it uses the assigner's
pieces in a plan that spreads over a cluster:

1. per article: :func:`storywire.stories.features.features` (terms, anchors,
   day, title and lead);
2. document frequencies of every key over the whole corpus (a count by key);
3. per article: its profile, weighted by inverse document frequency as the
   assigner weighs them (a one-article :class:`~storywire.stories.assign.Story`);
4. blocking: each article is filed under its lookup keys (top terms and
   anchors, the keys the assigner's index uses; keys in more than
   ``max_key_share`` of the articles, and in more than ``MIN_COMMON``, are
   skipped). Within a
   key's bucket, sorted by day, each article is paired with its next
   ``NEIGHBOURS`` members within the assigner's time window, so a bucket costs
   linear work however large it is;
5. each pair is scored with :meth:`StoryAssigner.similarity`; pairs at or above
   ``LINK_THRESHOLD`` are edges, and so is every copy with its copy group's
   origin (copies are always the same story);
6. stories are the connected components, named like the assigner names them
   (after their earliest article).

Single-link components can chain two stories through one ambiguous article
where the online assigner, which compares an article with a whole story, would
not: that is the price of a plan with no order. docs/spark.md reports how close
the two come on generated corpora.
"""

from __future__ import annotations

import json
from array import array
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple

import numpy as np

from ..model import Article
from ..stories.assign import AssignerConfig, Story, StoryAssigner, unit_weights, story_id_for
from ..stories.features import ArticleFeatures, features

# Later members of a key's bucket (in day order) each article is paired with.
NEIGHBOURS = 4
# A key is skipped as too common only above this many articles (or the
# assigner's share of the corpus, if larger): pairing neighbours keeps a bucket
# linear, so only the keys that carry no signal at all need to go.
MIN_COMMON = 1000
CONFIG = AssignerConfig()


@dataclass
class Profile:
    """What the batch keeps of an article for story matching."""

    id: str
    published: str | None
    day: int | None
    title: str
    language: str | None
    outlet: str | None
    story: Story | None  # the article as a one-article story profile (None once only its fields count)


class ArticleMeta(NamedTuple):
    """The fields of an article that profiles and story rows read (no text)."""

    id: str
    published: str | None
    language: str | None
    outlet: str | None


def article_features(article: Article) -> tuple[Article, ArticleFeatures]:
    return article, features(article)


class FeatureStep:
    """The per-article map of the local engine: (ArticleMeta, features), no text
    (picklable, so that worker processes can run it)."""

    name = "story_features"

    def __call__(self, articles: Iterable[Article]) -> Iterator[tuple[ArticleMeta, ArticleFeatures]]:
        for article in articles:
            feats = features(article)
            feats.embed_text = ""  # batch stories use no encoder
            yield ArticleMeta(article.id, article.published, article.language, article.outlet), feats


def feature_keys(feats: ArticleFeatures) -> set[str]:
    """Keys counted for document frequency (as StoryAssigner.weigh counts them)."""
    return set(feats.terms) | feats.anchors


def profile(article: Article | ArticleMeta, feats: ArticleFeatures, df: dict[str, int], seen: int) -> Profile:
    """The article weighted by corpus-wide document frequencies."""
    scorer = StoryAssigner(CONFIG, df=df, seen=seen)
    terms = unit_weights({k: tf * scorer.idf(k) for k, tf in feats.terms.items()})
    anchors = unit_weights({k: scorer.idf(k) for k in feats.anchors})
    story = one_article_story(article.id, terms, anchors, feats.day)
    return Profile(article.id, article.published, feats.day, feats.title, article.language, article.outlet, story)


def one_article_story(article_id: str, terms: dict[str, float], anchors: dict[str, float], day: int | None) -> Story:
    story = Story(id=article_id, seq=0)
    story.add(terms, anchors, {}, Counter(), [day], 1, CONFIG)  # batch stories use no encoder
    return story


def blocking_keys(p: Profile, df: dict[str, int], seen: int) -> list[str]:
    """The keys an article is filed under: its lookup keys that are not too common."""
    too_common = max(MIN_COMMON, CONFIG.max_key_share * seen)
    return [k for k in p.story.lookup_keys(CONFIG.lookup_terms) if 1 < df.get(k, 0) <= too_common]


def bucket_pairs(members: Iterable[tuple[int | None, str]]) -> Iterator[tuple[str, str]]:
    """Pairs (a < b) of one key's bucket of (day, article id): each member with its
    next ``NEIGHBOURS`` in day order that lie within the time window."""
    ordered = sorted(members, key=lambda m: (m[0] is not None, m[0] or 0, m[1]))
    for i, (day, aid) in enumerate(ordered):
        for other_day, other in ordered[i + 1 : i + 1 + NEIGHBOURS]:
            if day is not None and other_day is not None and other_day - day > CONFIG.window_days:
                break
            yield (aid, other) if aid < other else (other, aid)


def bucket_links(members: Iterable[tuple[int | None, str, Story]]) -> Iterator[tuple[str, str, float]]:
    """The linked pairs (a < b, similarity) of one key's bucket of (day, article
    id, profile story): :func:`bucket_pairs`, scored where the bucket is. An
    engine that ships each profile to its buckets moves a few copies of it; one
    that ships profiles to pairs moves two per pair. A pair sharing several
    buckets is scored in each (same score): drop repeats after."""
    stories = {aid: story for _, aid, story in members}
    for a, b in bucket_pairs((day, aid) for day, aid, _ in members):
        similarity = score(stories[a], stories[b])
        if linked(similarity):
            yield a, b, similarity


_SCORER = StoryAssigner(CONFIG)


def score(a: Story, b: Story) -> float:
    return _SCORER.similarity(a, b)


# Pairs of articles linked into one story (single link, words and anchors only).
# Its own bar, not the online merge threshold: one pair's link joins two whole
# components. Calibrated on the generated corpora (pairwise F1 0.999 at 10k).
LINK_THRESHOLD = 0.75


def linked(similarity: float) -> bool:
    return similarity >= LINK_THRESHOLD


def story_rows(members: list[Profile], best: dict[str, float], updated_at: str) -> tuple[list[tuple], tuple]:
    """(story_articles rows, stories row) of one component."""
    members = sorted(members, key=lambda p: (p.published is None, p.published or "", p.id))
    founder = members[0]
    sid = story_id_for(founder.id)
    dates = [p.published for p in members if p.published]
    links = [(p.id, sid, round(best.get(p.id, 1.0), 4), 0) for p in members]
    story = (
        sid, founder.title or None, min(dates) if dates else None, max(dates) if dates else None, len(members),
        json.dumps(sorted({p.language for p in members if p.language})),
        json.dumps(sorted({p.outlet for p in members if p.outlet}), ensure_ascii=False),
        "[]", None, "active", None, updated_at,
    )
    return links, story


# -- the corpus's profiles on one machine ----------------------------------------


class PackedRows:
    """Rows of (int32 key ids, float64 values), appended to two scratch files and
    read back by row number through memory maps: a whole corpus's per-article
    vectors without a Python object per key."""

    def __init__(self, folder: Path, name: str):
        self.paths = (folder / f"{name}.ids", folder / f"{name}.values")
        self._files = [open(p, "wb") for p in self.paths]
        self.offsets = array("q", [0])

    def append(self, ids: list[int], values: list[float]) -> None:
        np.asarray(ids, dtype=np.int32).tofile(self._files[0])
        np.asarray(values, dtype=np.float64).tofile(self._files[1])
        self.offsets.append(self.offsets[-1] + len(ids))

    def close(self) -> None:
        for f in self._files:
            f.close()
        self._files = []

    def __getstate__(self) -> dict:  # closed rows travel to worker processes as paths
        return {"paths": self.paths, "offsets": self.offsets, "_files": []}

    def row(self, i: int) -> tuple[list[int], list[float]]:
        if not hasattr(self, "ids"):
            n = self.offsets[-1]
            self.ids = np.memmap(self.paths[0], np.int32, "r", shape=(n,)) if n else np.zeros(0, np.int32)
            self.values = np.memmap(self.paths[1], np.float64, "r", shape=(n,)) if n else np.zeros(0)
        s, e = self.offsets[i], self.offsets[i + 1]
        return self.ids[s:e].tolist(), self.values[s:e].tolist()


class CorpusProfiles:
    """Every article's profile, compact: keys interned as ints, vectors in
    :class:`PackedRows` under a scratch folder, articles by position (read order).

    ``add`` each article's features (pass 1: keys and document frequencies), then
    ``weigh`` (pass 2: profiles by :func:`profile` and blocking keys by
    :func:`blocking_keys`); :meth:`stories` rebuilds the profiles' stories.
    """

    def __init__(self, folder: Path):
        self.key_id: dict[str, int] = {}
        self.keys: list[str] = []
        self.df: list[int] = []  # articles holding each key
        self.meta: list[ArticleMeta] = []
        self.days: list[int | None] = []
        self.titles: list[str] = []
        self._features = PackedRows(folder, "features")  # term ids and counts, then anchor ids
        self._feature_terms = array("i")
        self.profiles = PackedRows(folder, "profiles")  # the one-article story's terms, then anchors
        self._profile_terms = array("i")
        # Blocking: one (key id, position) per key an article is filed under.
        self.block_keys = array("q")
        self.block_owners = array("q")

    def __len__(self) -> int:
        return len(self.meta)

    def add(self, meta: ArticleMeta, feats: ArticleFeatures) -> None:
        terms = self._intern(feats.terms)
        anchors = self._intern(feats.anchors)
        self._features.append(terms + anchors, list(feats.terms.values()) + [0.0] * len(anchors))
        self._feature_terms.append(len(terms))
        self.meta.append(meta)
        self.days.append(feats.day)
        self.titles.append(feats.title)

    def _intern(self, keys: Iterable[str]) -> list[int]:
        """Ids of an article's keys, counting the article in their document frequency."""
        out = []
        for key in keys:
            i = self.key_id.get(key)
            if i is None:
                i = self.key_id[key] = len(self.keys)
                self.keys.append(key)
                self.df.append(0)
            self.df[i] += 1
            out.append(i)
        return out

    def weigh(self) -> None:
        self._features.close()
        seen, keys, key_id = len(self), self.keys, self.key_id
        df = dict(zip(keys, self.df))
        for pos, meta in enumerate(self.meta):
            ids, counts = self._features.row(pos)
            n = self._feature_terms[pos]
            feats = ArticleFeatures(
                article_id=meta.id, language=meta.language, day=self.days[pos], title=self.titles[pos],
                embed_text="", terms=dict(zip([keys[i] for i in ids[:n]], counts[:n])),
                anchors={keys[i] for i in ids[n:]},
            )
            p = profile(meta, feats, df, seen)
            story = p.story
            self.profiles.append(
                [key_id[k] for k in story.terms] + [key_id[k] for k in story.anchors],
                list(story.terms.values()) + list(story.anchors.values()),
            )
            self._profile_terms.append(len(story.terms))
            for key in blocking_keys(p, df, seen):
                self.block_keys.append(key_id[key])
                self.block_owners.append(pos)
        self.profiles.close()

    def stories(self) -> StoryReader:
        """What rebuilds the one-article stories :meth:`weigh` made."""
        return StoryReader(self.keys, self.days, self.profiles, self._profile_terms)

    def member(self, pos: int) -> Profile:
        """The fields of the article at ``pos`` that :func:`story_rows` reads."""
        meta = self.meta[pos]
        return Profile(meta.id, meta.published, self.days[pos], self.titles[pos], meta.language, meta.outlet, None)


class StoryReader:
    """Rebuilds an article's one-article story from its packed profile row
    (picklable: worker processes score pairs with it)."""

    def __init__(self, keys: list[str], days: list[int | None], rows: PackedRows, terms: array):
        self.keys, self.days, self.rows, self.terms = keys, days, rows, terms

    def story(self, pos: int) -> Story:
        ids, weights = self.rows.row(pos)
        n = self.terms[pos]
        names = [self.keys[i] for i in ids]
        return one_article_story("", dict(zip(names[:n], weights[:n])), dict(zip(names[n:], weights[n:])), self.days[pos])


# Stories held at most while pairs are scored (about 10 kB each).
STORIES_HELD = 100_000


def linked_pairs(reader: StoryReader, pairs: Path, when: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Positions ``a``, ``b`` and scores of the pairs scored at or above the merge threshold.

    ``pairs`` is a saved array of rows (a, b, first): ``first`` is each pair's
    earlier article in day order, ascending; ``when`` a saved array of each
    article's place in that order. The two articles of a pair lie within the
    time window, so only the stories of the next days are held, each rebuilt
    once (undated articles come first and may pair with any).
    """
    rows = np.load(pairs, mmap_mode="r")
    place = np.load(when).tolist()
    held: dict[int, Story] = {}
    swept = 0
    xs, ys, sims = [], [], []
    for start in range(0, len(rows), 1 << 20):
        block = np.asarray(rows[start : start + (1 << 20)])
        for x, y, now in zip(block[:, 0].tolist(), block[:, 1].tolist(), block[:, 2].tolist()):
            if now - swept >= 1024 or len(held) > STORIES_HELD:
                # Stories before ``now`` in day order are not needed again.
                held = {p: s for p, s in held.items() if place[p] >= now} if len(held) <= STORIES_HELD else {}
                swept = now
            sx, sy = held.get(x), held.get(y)
            if sx is None:
                sx = held[x] = reader.story(x)
            if sy is None:
                sy = held[y] = reader.story(y)
            sim = score(sx, sy)
            if linked(sim):
                xs.append(x)
                ys.append(y)
                sims.append(sim)
    return np.asarray(xs, dtype=np.int64), np.asarray(ys, dtype=np.int64), np.asarray(sims, dtype=np.float64)
