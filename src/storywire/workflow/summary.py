"""Extractive story summaries: the sentences most outlets carry.

Sentences of the story's articles in its main language are grouped when they
are near-identical (word 3-gram Jaccard, so small edits between copies still
group). The groups carried by the most outlets make the summary; each is shown
in the words of the earliest article that carries it, with the outlets that
carry it. Nothing is generated: every summary sentence is a sentence of an
article, quoted exactly.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from ..store import Store, now
from ..text import sentence_spans, shingles

GRAM = 3
SAME_SENTENCE = 0.6  # Jaccard of 3-grams above which two sentences are one
MIN_WORDS, MAX_WORDS = 5, 80  # shorter: captions and datelines; longer: glued text
MAX_SENTENCES = 5
LEAD_SENTENCES = 3  # when no sentence is shared, the lead of the earliest article
MAX_ARTICLES = 300  # the earliest articles of a very large story are enough


@dataclass
class _Group:
    grams: set[str]
    text: str
    article_id: str
    position: tuple[int, int]  # (article rank by date, sentence index): where it first appears
    outlets: set[str] = field(default_factory=set)
    articles: set[str] = field(default_factory=set)


def summarize(articles: list[dict[str, Any]]) -> dict[str, Any]:
    """Summary of a story from its articles (dicts with id, outlet, language, text), earliest first."""
    languages = Counter(a["language"] for a in articles if a["language"])
    language = min(languages, key=lambda l: (-languages[l], l)) if languages else None
    chosen = [a for a in articles if a["language"] == language] if language else list(articles)
    groups: list[_Group] = []
    index: dict[str, set[int]] = defaultdict(set)  # 3-gram -> groups holding it
    for rank, article in enumerate(chosen):
        text = article["text"]
        for n, (start, end) in enumerate(sentence_spans(text)):
            sentence = text[start:end]
            grams = shingles(sentence, GRAM)
            if not MIN_WORDS - GRAM + 1 <= len(grams) <= MAX_WORDS:
                continue
            group = _best_group(groups, index, grams)
            if group is None:
                group = _Group(grams, sentence, article["id"], (rank, n))
                groups.append(group)
                for g in grams:
                    index[g].add(len(groups) - 1)
            group.outlets.add(article["outlet"] or article["id"])
            group.articles.add(article["id"])
    shared = [g for g in groups if len(g.outlets) > 1]
    if shared:
        picked = sorted(shared, key=lambda g: (-len(g.outlets), g.position))[:MAX_SENTENCES]
    else:
        picked = [g for g in groups if g.position[0] == 0][:LEAD_SENTENCES]
    return {
        "method": "extractive",
        "language": language,
        "articles": len(chosen),
        "outlets": len({a["outlet"] or a["id"] for a in chosen}),
        "sentences": [
            {"text": g.text, "article_id": g.article_id, "outlets": sorted(g.outlets),
             "article_count": len(g.articles)}
            for g in sorted(picked, key=lambda g: g.position)
        ],
    }


def _best_group(groups: list[_Group], index: dict[str, set[int]], grams: set[str]) -> _Group | None:
    shared: Counter[int] = Counter()
    for g in grams:
        shared.update(index.get(g, ()))
    best, best_score = None, SAME_SENTENCE
    for i, n in shared.items():
        score = n / len(grams | groups[i].grams)
        if score >= best_score:
            best, best_score = groups[i], score
    return best


def story_summary(store: Store, story_id: str) -> dict[str, Any]:
    rows = store.query(
        "SELECT a.id, a.outlet, a.language, a.clean_text AS text FROM articles a "
        "JOIN story_articles sa ON sa.article_id = a.id WHERE sa.story_id = ? "
        "ORDER BY COALESCE(a.published, a.ingested_at), a.id LIMIT ?",
        (story_id, MAX_ARTICLES),
    )
    return summarize([dict(r) for r in rows])


def refresh_summaries(store: Store, story_ids: set[str]) -> int:
    """Recompute and store the summaries of the given stories; call inside a transaction."""
    stamp = now()
    for story_id in sorted(story_ids):
        summary = story_summary(store, story_id) | {"computed_at": stamp}
        store.conn.execute("UPDATE stories SET summary = ? WHERE id = ?",
                           (json.dumps(summary, ensure_ascii=False), story_id))
    return len(story_ids)
