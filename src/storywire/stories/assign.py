"""Online story assignment: each article joins the best warm story or founds one.

For each article, in date order:

1. its features are weighted by inverse document frequency *as of its arrival*
   (weights are frozen, so a story's profile is a plain sum of its members'
   vectors, and replaying a stream always gives the same weights);
2. candidate stories come from two indexes, never a scan of all stories: an
   inverted index from terms and anchors (names, numbers, dates) to stories,
   and a vector index of the warm stories' embedding centroids;
3. each candidate is scored (:meth:`StoryAssigner.similarity`) and the article
   joins the best one above ``join_threshold``, else founds a new story; a
   one-article story in the article's language asks ``single_join_threshold``,
   so that a topic's sibling events (two fires at one store chain) do not
   start out in one story; a story of two or more articles in the article's
   language also asks ``join_cohesion_ratio`` times its cohesion (how well its
   members match each other, up to ``join_cohesion_cap``), so that the first
   article of a sibling event does not join the other event's tight story;
4. merge step: each time a story grows its profile has changed, so it is
   compared again with its neighbours, and stories that now match above
   ``merge_threshold``, and nearly as well as their members match each other
   (:meth:`StoryAssigner.cohesion`), are merged into the older one. This
   repairs splits made while a story had only one article.

Stories go cold ``window_days`` after their newest article: a dated article
only sees stories whose dates lie within the window (undated articles and
stories see everything). Nothing depends on how the stream is cut into
batches, so a backfill gives the result of streaming the articles one by one.
"""

from __future__ import annotations

import hashlib
import heapq
import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Iterable

import numpy as np

from .features import ArticleFeatures


@dataclass
class AssignerConfig:
    # A story goes cold this many days after its newest article (and before its first).
    window_days: int = 10
    # Score (see StoryAssigner.similarity) to join a story, and to merge two stories.
    join_threshold: float = 0.75
    merge_threshold: float = 0.65
    # The same without an encoder (only words and anchors count).
    lexical_join_threshold: float = 0.35
    lexical_merge_threshold: float = 0.40
    # Weights of the kinds of evidence in the score. The encoder counts for less
    # between two texts in one language, where words already say enough and where
    # its cosines run high for any two texts.
    term_weight: float = 1.0
    anchor_weight: float = 1.0
    embedding_weight_same_language: float = 0.5
    embedding_weight_cross_language: float = 2.5
    # The encoder's cosines are compressed: below `embedding_floor` two texts are
    # unrelated, at `embedding_ceiling` they say the same thing. Calibrated on
    # multilingual-e5-small; a different encoder may need other values.
    # Between two profiles that both name many people and places (`named_enough`
    # name keys or more; a story's profile holds its members' names together), the
    # encoder's cross-language evidence counts in full only once their anchors agree
    # this much: texts on one topic embed close in any language, and the names then
    # tell one event from another. Not per article: a story of many translations
    # would otherwise escape the check however little its anchors agree.
    anchor_support: float = 0.3
    named_enough: int = 8
    embedding_floor: float = 0.80
    embedding_ceiling: float = 0.95
    # Terms and anchors kept per story profile, and used per article for look-up.
    # A story told in many languages gathers each name in several spellings and
    # scripts: keep enough anchors for all of them to count.
    story_terms: int = 150
    story_anchors: int = 150
    lookup_terms: int = 25
    # Topics repeat: two fires at one store chain, two title fights of one boxer.
    # Articles of such sibling events score above the join threshold with each
    # other, though lower than articles of one event do. So, with an encoder, an
    # article joins a one-article story in its own language (where the topic's
    # words are shared) only at `single_join_threshold`, there being no other
    # member yet to compare with; and two stories merge only when they match at
    # least `cohesion_ratio` times as well as the members of the looser of the
    # two match each other (its cohesion).
    single_join_threshold: float = 1.0
    cohesion_ratio: float = 0.8
    # Likewise an article joins a story of two or more articles in its own language
    # only at `join_cohesion_ratio` times the story's cohesion: the first article of
    # a sibling event matches the other event's story above the join threshold, but
    # much less well than that story's members match each other. Not across
    # languages, where the encoder makes translations match each other far better
    # than any new article matches them. The bar is kept below `join_cohesion_cap`:
    # a story of copies of one text (syndicated wire copy) coheres far better than
    # separately written reports of its event can ever match it.
    join_cohesion_ratio: float = 0.6
    join_cohesion_cap: float = 0.85
    # Stories scored per article, from each index.
    candidates: int = 20
    # Keys found in more than this share of the articles seen are too common to look up.
    max_key_share: float = 0.05


def story_id_for(article_id: str) -> str:
    """A story's id: stable, derived from the id of the article that founded it."""
    return "s" + hashlib.sha1(article_id.encode("utf-8")).hexdigest()[:15]


@dataclass
class Story:
    id: str
    seq: int  # founding order, for ties and for "older wins" on merge
    size: int = 0
    terms: dict[str, float] = field(default_factory=dict)
    anchors: dict[str, float] = field(default_factory=dict)
    embeddings: dict[str, np.ndarray] = field(default_factory=dict)  # language -> sum of member embeddings
    languages: Counter = field(default_factory=Counter)  # language -> members with an embedding
    first_day: int | None = None
    last_day: int | None = None
    next_merge_check: int = 2

    def add(self, terms: dict[str, float], anchors: dict[str, float], embeddings: dict[str, np.ndarray],
            languages: Counter, days: Iterable[int | None], size: int, config: AssignerConfig) -> None:
        for key, w in terms.items():
            self.terms[key] = self.terms.get(key, 0.0) + w
        for key, w in anchors.items():
            self.anchors[key] = self.anchors.get(key, 0.0) + w
        self.terms = _top(self.terms, config.story_terms)
        self.anchors = _top(self.anchors, config.story_anchors)
        for lang, vector in embeddings.items():
            have = self.embeddings.get(lang)
            self.embeddings[lang] = vector.copy() if have is None else have + vector
        self.languages.update(languages)
        for day in days:
            if day is not None:
                self.first_day = day if self.first_day is None else min(self.first_day, day)
                self.last_day = day if self.last_day is None else max(self.last_day, day)
        self.size += size

    def centroid(self) -> np.ndarray | None:
        if not self.embeddings:
            return None
        total = sum(self.embeddings.values())
        n = float(np.linalg.norm(total))
        return total / n if n else None

    def lookup_keys(self, count: int) -> list[str]:
        return list(_top(self.terms, count)) + list(self.anchors)


@dataclass
class Assignment:
    article_id: str
    story_id: str
    score: float
    new: bool
    merged: list[tuple[str, str]] = field(default_factory=list)  # (absorbed, into)


class StoryAssigner:
    """The in-memory state of story assignment over the warm stories.

    ``df`` and ``seen`` hold key document frequencies and the number of articles
    seen; the stage loads them from the store and writes back :attr:`df_changes`.
    """

    def __init__(self, config: AssignerConfig | None = None, *, df: dict[str, int] | None = None,
                 seen: int = 0, founded: int = 0):
        self.config = config or AssignerConfig()
        self.df: dict[str, int] = df if df is not None else {}
        self.df_changes: Counter[str] = Counter()
        self.seen = seen
        self.founded = founded
        self.stories: dict[str, Story] = {}
        self.members: dict[str, list[str]] = {}  # story id -> article ids assigned in this session
        self.story_of: dict[str, str] = {}  # article id -> story id, for this session's articles
        self.changed: set[str] = set()  # stories whose profile changed in this session
        self._postings: dict[str, set[str]] = {}
        self._posted: dict[str, set[str]] = {}
        self._vec_ids: list[str] = []
        self._vec_row: dict[str, int] = {}
        self._vectors = np.zeros((0, 0), dtype=np.float32)
        self._vec_first = np.zeros(0, dtype=np.float64)
        self._vec_last = np.zeros(0, dtype=np.float64)

    # -- the stream ---------------------------------------------------------------

    def assign(self, feats: ArticleFeatures, embedding: np.ndarray | None = None,
               story_id: str | None = None) -> Assignment:
        """Put one article in a story. ``story_id`` forces the story (a copy of an
        article already assigned is always in that article's story)."""
        terms, anchors = self.weigh(feats)
        days = [feats.day]
        if story_id is not None:
            best, score = self.stories.get(story_id), 1.0
        else:
            probe = Story(id="", seq=-1)
            probe.add(terms, anchors, *_embedding(feats, embedding), days, 1, self.config)
            best, score = self._best_match(probe, exclude=None, threshold=lambda story: self._join_bar(probe, story))
        new = best is None
        if best is None:
            best = Story(id=story_id or story_id_for(feats.article_id), seq=self.founded)
            self.founded += 1
            self.stories[best.id] = best
            self.members[best.id] = []
            score = 1.0
        best.add(terms, anchors, *_embedding(feats, embedding), days, 1, self.config)
        self.members.setdefault(best.id, []).append(feats.article_id)
        self.story_of[feats.article_id] = best.id
        self.changed.add(best.id)
        self._index(best)
        result = Assignment(feats.article_id, best.id, round(score, 4), new)
        if best.size >= best.next_merge_check:
            best.next_merge_check = best.size + 1
            result.merged = self._merge_neighbours(best)
            result.story_id = self.story_of[feats.article_id]
        return result

    def weigh(self, feats: ArticleFeatures) -> tuple[dict[str, float], dict[str, float]]:
        """IDF-weighted term and anchor vectors of an article, counting it as seen."""
        self.seen += 1
        keys = set(feats.terms) | feats.anchors
        for key in keys:
            self.df[key] = self.df.get(key, 0) + 1
            self.df_changes[key] += 1
        return self.weights(feats)

    def weights(self, feats: ArticleFeatures) -> tuple[dict[str, float], dict[str, float]]:
        terms = {k: tf * self.idf(k) for k, tf in feats.terms.items()}
        anchors = {k: self.idf(k) for k in feats.anchors}
        return unit_weights(terms), unit_weights(anchors)

    def idf(self, key: str) -> float:
        return math.log((self.seen + 1) / (self.df.get(key, 0) + 1)) + 1.0

    # -- scoring ------------------------------------------------------------------

    def similarity(self, a: Story, b: Story) -> float:
        """Evidence that two profiles (an article is a one-article profile) tell one story.

        A weighted sum of three average-link similarities: the mean, over pairs
        of one article from each side, of the cosine of their term vectors, of
        their anchor vectors, and of their embeddings. Members' vectors have unit
        length, so a mean over pairs is a dot product of sums over sizes.
        Embeddings are summed per language; the mean cosine of each pair of
        languages is calibrated (0 at ``embedding_floor``, 1 at
        ``embedding_ceiling``) and weighed by whether the languages differ.
        """
        c = self.config
        pairs = a.size * b.size
        score = c.term_weight * _dot(a.terms, b.terms) / pairs
        anchors = _dot(a.anchors, b.anchors) / pairs
        score += c.anchor_weight * anchors
        support = 1.0
        if c.anchor_support > 0 and _names(a) >= c.named_enough and _names(b) >= c.named_enough:
            support = min(1.0, anchors / c.anchor_support)
        for lang_a, sum_a in a.embeddings.items():
            for lang_b, sum_b in b.embeddings.items():
                n = a.languages[lang_a] * b.languages[lang_b]
                weight = (c.embedding_weight_same_language if lang_a == lang_b
                          else c.embedding_weight_cross_language * support)
                score += weight * n * self.calibrate(float(sum_a @ sum_b) / n) / pairs
        return score

    def calibrate(self, cosine: float) -> float:
        c = self.config
        return min(1.0, max(0.0, (cosine - c.embedding_floor) / (c.embedding_ceiling - c.embedding_floor)))

    def _warm(self, story: Story, probe: Story) -> bool:
        w = self.config.window_days
        if probe.first_day is None or story.first_day is None:
            return True
        return story.first_day - w <= probe.last_day and probe.first_day <= story.last_day + w

    def candidates(self, probe: Story, exclude: str | None) -> list[Story]:
        """Warm stories sharing rare keys with ``probe``, and the nearest by embedding."""
        c = self.config
        too_common = max(5, c.max_key_share * self.seen)
        overlap: Counter[str] = Counter()
        for key in probe.lookup_keys(c.lookup_terms):
            if self.df.get(key, 0) > too_common:
                continue
            weight = probe.terms.get(key) or probe.anchors.get(key, 0.0)
            for sid in self._postings.get(key, ()):
                overlap[sid] += weight
        # The best-sharing warm stories, ties to the oldest: popped from a heap, so
        # that only those popped are checked for warmth.
        heap = [(-weight, self.stories[sid].seq, sid) for sid, weight in overlap.items()]
        heapq.heapify(heap)
        ranked: list[str] = []
        while heap and len(ranked) < c.candidates:
            sid = heapq.heappop(heap)[2]
            if sid != exclude and self._warm(self.stories[sid], probe):
                ranked.append(sid)
        centroid = probe.centroid()
        if centroid is not None and self._vec_ids:
            n = len(self._vec_ids)
            sims = self._vectors[:n] @ centroid
            if probe.first_day is not None:
                w = c.window_days
                cold = (self._vec_last[:n] < probe.first_day - w) | (self._vec_first[:n] > probe.last_day + w)
                sims = np.where(cold, -1.0, sims)
            top = np.argsort(-sims, kind="stable")[: c.candidates + 1]
            for row in top:
                sid = self._vec_ids[row]
                if sims[row] < c.embedding_floor:
                    break
                if sid != exclude and sid not in ranked:
                    ranked.append(sid)
        return [self.stories[sid] for sid in ranked]

    def _best_match(self, probe: Story, exclude: str | None,
                    threshold: Callable[[Story], float]) -> tuple[Story | None, float]:
        """The candidate that ``probe`` matches best at or above its threshold."""
        best, best_score = None, 0.0
        for story in self.candidates(probe, exclude):
            score = self.similarity(probe, story)
            if score < threshold(story):
                continue
            if best is None or score > best_score or (score == best_score and story.seq < best.seq):
                best, best_score = story, score
        return best, best_score

    def _join_bar(self, probe: Story, story: Story) -> float:
        """The score an article (``probe``) needs to join ``story``."""
        c = self.config
        if not probe.embeddings:
            return c.lexical_join_threshold
        if set(story.languages) != set(probe.languages):
            # The story is not all in the article's language: shared topic words
            # count for less there, and sibling events mislead less.
            return c.join_threshold
        if story.size == 1:
            return c.single_join_threshold
        return max(c.join_threshold, min(c.join_cohesion_cap, c.join_cohesion_ratio * self.cohesion(story)))

    def _merge_bar(self, story: Story, own: float | None, other: Story) -> float:
        """The score two stories need to merge; ``own`` is ``story``'s cohesion."""
        c = self.config
        if not story.embeddings:
            return c.lexical_merge_threshold
        bar = c.merge_threshold
        cohesions = [x for x in (own, self.cohesion(other)) if x is not None]
        if cohesions:
            # Nearly as well as the members of the looser of the two match each other.
            bar = max(bar, c.cohesion_ratio * min(cohesions))
        return bar

    def cohesion(self, story: Story) -> float | None:
        """How well a story's members match each other: the score of
        :meth:`similarity` averaged over pairs of two different members, from
        the profile's sums (a sum's square holds each member's match with itself,
        taken out here; a member without anchors makes the anchor part read low).
        None for a one-article story."""
        c, n = self.config, story.size
        if n < 2:
            return None
        pairs = n * (n - 1)
        score = c.term_weight * max(0.0, _dot(story.terms, story.terms) - n) / pairs
        anchors = max(0.0, _dot(story.anchors, story.anchors) - n) / pairs
        score += c.anchor_weight * anchors
        support = 1.0
        if c.anchor_support > 0 and _names(story) >= c.named_enough:
            support = min(1.0, anchors / c.anchor_support)
        for lang_a, sum_a in story.embeddings.items():
            for lang_b, sum_b in story.embeddings.items():
                n_a, n_b = story.languages[lang_a], story.languages[lang_b]
                if lang_a == lang_b:
                    if n_a < 2:
                        continue
                    weight, count = c.embedding_weight_same_language, n_a * (n_a - 1)
                    cosine = (float(sum_a @ sum_a) - n_a) / count
                else:
                    weight, count = c.embedding_weight_cross_language * support, n_a * n_b
                    cosine = float(sum_a @ sum_b) / count
                score += weight * count * self.calibrate(cosine) / pairs
        return score

    # -- merging ------------------------------------------------------------------

    def _merge_neighbours(self, story: Story) -> list[tuple[str, str]]:
        merged = []
        while True:
            own = self.cohesion(story)
            other, _ = self._best_match(story, exclude=story.id,
                                        threshold=lambda other: self._merge_bar(story, own, other))
            if other is None:
                return merged
            keep, gone = (story, other) if story.seq < other.seq else (other, story)
            self.merge(gone.id, keep.id)
            merged.append((gone.id, keep.id))
            story = keep

    def merge(self, gone_id: str, keep_id: str) -> None:
        """Fold story ``gone_id`` into ``keep_id``."""
        gone, keep = self.stories.pop(gone_id), self.stories[keep_id]
        keep.add(gone.terms, gone.anchors, gone.embeddings, gone.languages, [gone.first_day, gone.last_day],
                 gone.size, self.config)
        keep.next_merge_check = max(keep.next_merge_check, keep.size + 1)
        for article_id in self.members.pop(gone_id, []):
            self.story_of[article_id] = keep_id
            self.members.setdefault(keep_id, []).append(article_id)
        self._unindex(gone_id)
        self._index(keep)
        self.changed.discard(gone_id)
        self.changed.add(keep_id)

    def drop(self, story_id: str) -> None:
        """Forget a story (its last article left it)."""
        self.stories.pop(story_id, None)
        self.members.pop(story_id, None)
        self.changed.discard(story_id)
        self._unindex(story_id)

    def rebuild(self, story_id: str, members: list[ArticleFeatures], embeddings: Iterable[np.ndarray | None]) -> None:
        """Recompute a story's profile from ``members`` (an article left it), with today's weights."""
        old = self.stories[story_id]
        story = Story(id=story_id, seq=old.seq, next_merge_check=old.next_merge_check)
        for feats, vector in zip(members, embeddings):
            story.add(*self.weights(feats), *_embedding(feats, vector), [feats.day], 1, self.config)
        self._unindex(story_id)
        self.stories[story_id] = story
        self._index(story)
        self.changed.add(story_id)

    # -- indexes ------------------------------------------------------------------

    def add_story(self, story: Story) -> None:
        """Put a stored story back into the indexes (the stage loads warm stories)."""
        self.stories[story.id] = story
        self.members.setdefault(story.id, [])
        self._index(story)

    def begin(self) -> None:
        """Start a new batch on an assigner kept from the last one: its stories and
        indexes stay, what it recorded about the last batch's articles goes."""
        self.df_changes = Counter()
        self.members = {}
        self.story_of = {}
        self.changed = set()

    def evict(self, before_day: int) -> list[str]:
        """Forget the stories whose newest article is older than ``before_day`` (cold
        for every article dated ``window_days`` after it or later); return their ids."""
        gone = [sid for sid, s in self.stories.items() if s.last_day is not None and s.last_day < before_day]
        for sid in gone:
            self.drop(sid)
        return gone

    def _index(self, story: Story) -> None:
        # Post exactly the story's current look-up keys: keys it no longer has come off.
        keys = set(story.lookup_keys(self.config.lookup_terms))
        posted = self._posted.get(story.id, set())
        for key in posted - keys:
            self._postings[key].discard(story.id)
            if not self._postings[key]:
                del self._postings[key]
        for key in keys - posted:
            self._postings.setdefault(key, set()).add(story.id)
        self._posted[story.id] = keys
        centroid = story.centroid()
        if centroid is None:
            return
        row = self._vec_row.get(story.id)
        if row is None:
            row = len(self._vec_ids)
            if row >= self._vectors.shape[0] or self._vectors.shape[1] != centroid.shape[0]:
                grown = np.zeros((max(64, row * 2), centroid.shape[0]), dtype=np.float32)
                if row:
                    grown[:row] = self._vectors[:row]
                self._vectors = grown
                self._vec_first = np.resize(self._vec_first, grown.shape[0])
                self._vec_last = np.resize(self._vec_last, grown.shape[0])
            self._vec_ids.append(story.id)
            self._vec_row[story.id] = row
        self._vectors[row] = centroid
        self._vec_first[row] = story.first_day if story.first_day is not None else -math.inf
        self._vec_last[row] = story.last_day if story.last_day is not None else math.inf

    def _unindex(self, story_id: str) -> None:
        for key in self._posted.pop(story_id, set()):
            self._postings[key].discard(story_id)
            if not self._postings[key]:
                del self._postings[key]
        self._drop_vector(story_id)

    def _drop_vector(self, story_id: str) -> None:
        row = self._vec_row.pop(story_id, None)
        if row is None:
            return
        last = len(self._vec_ids) - 1
        if row != last:
            moved = self._vec_ids[last]
            self._vectors[row] = self._vectors[last]
            self._vec_first[row] = self._vec_first[last]
            self._vec_last[row] = self._vec_last[last]
            self._vec_ids[row] = moved
            self._vec_row[moved] = row
        self._vec_ids.pop()

    def membership(self) -> dict[str, str]:
        """Article id -> story id for the articles assigned in this session."""
        return dict(self.story_of)


def _embedding(feats: ArticleFeatures, vector: np.ndarray | None) -> tuple[dict[str, np.ndarray], Counter]:
    if vector is None:
        return {}, Counter()
    lang = feats.language or ""
    return {lang: np.asarray(vector, dtype=np.float32)}, Counter({lang: 1})


def _names(story: Story) -> int:
    return sum(key.startswith("e:") for key in story.anchors)


def _top(weights: dict[str, float], n: int) -> dict[str, float]:
    if len(weights) <= n:
        return weights
    return dict(sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:n])


def _norm(weights: dict[str, float]) -> float:
    return math.sqrt(sum(w * w for w in weights.values()))


def unit_weights(weights: dict[str, float]) -> dict[str, float]:
    """Weights scaled to unit length (cosine-ready); empty when all are zero."""
    n = _norm(weights)
    return {k: w / n for k, w in weights.items()} if n else {}


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum([w * b[k] for k, w in a.items() if k in b])
