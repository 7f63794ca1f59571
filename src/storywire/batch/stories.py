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
   ``merge_threshold`` are edges, and so is every copy with its copy group's
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
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Iterator

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
    story: Story  # the article as a one-article story profile


def article_features(article: Article) -> tuple[Article, ArticleFeatures]:
    return article, features(article)


def feature_keys(feats: ArticleFeatures) -> set[str]:
    """Keys counted for document frequency (as StoryAssigner.weigh counts them)."""
    return set(feats.terms) | feats.anchors


def profile(article: Article, feats: ArticleFeatures, df: dict[str, int], seen: int) -> Profile:
    """The article weighted by corpus-wide document frequencies."""
    scorer = StoryAssigner(CONFIG, df=df, seen=seen)
    terms = unit_weights({k: tf * scorer.idf(k) for k, tf in feats.terms.items()})
    anchors = unit_weights({k: scorer.idf(k) for k in feats.anchors})
    story = Story(id=article.id, seq=0)
    story.add(terms, anchors, {}, Counter(), [feats.day], 1, CONFIG)  # batch stories use no encoder
    return Profile(article.id, article.published, feats.day, feats.title, article.language, article.outlet, story)


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


_SCORER = StoryAssigner(CONFIG)


def score(a: Profile, b: Profile) -> float:
    return _SCORER.similarity(a.story, b.story)


def linked(similarity: float) -> bool:
    return similarity >= CONFIG.merge_threshold


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
