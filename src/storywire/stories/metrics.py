"""Clustering scores: BCubed, pairwise F1 and the adjusted Rand index.

All take ``gold`` and ``predicted`` as {item: cluster label} over the same items.
Given ``languages`` ({item: language}), :func:`clustering_scores` also reports
the scores restricted to pairs of items in different languages (for an item,
BCubed then looks only at the items of its clusters written in another
language; items with no such neighbour are left out of the average).

BCubed: Amigó et al. 2009. Pairwise: precision and recall of "same cluster"
over all pairs. ARI in its pair-counting form, (TP - E) / (mean(P, G) - E),
which is Hubert and Arabie's ARI when all pairs are counted.
"""

from __future__ import annotations

from collections import Counter
from typing import Hashable, Mapping


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def bcubed(gold: Mapping[Hashable, Hashable], predicted: Mapping[Hashable, Hashable],
           languages: Mapping[Hashable, Hashable] | None = None) -> dict[str, float]:
    """BCubed precision, recall, F1; over cross-language neighbours when ``languages`` is given."""
    items = list(gold)
    both = Counter((predicted[i], gold[i]) for i in items)
    pred_n = Counter(predicted[i] for i in items)
    gold_n = Counter(gold[i] for i in items)
    if languages is not None:
        both_l = Counter((predicted[i], gold[i], languages[i]) for i in items)
        pred_l = Counter((predicted[i], languages[i]) for i in items)
        gold_l = Counter((gold[i], languages[i]) for i in items)
    precisions, recalls = [], []
    for i in items:
        p, g = predicted[i], gold[i]
        common, in_pred, in_gold = both[p, g], pred_n[p], gold_n[g]
        if languages is not None:
            lang = languages[i]
            common -= both_l[p, g, lang]
            in_pred -= pred_l[p, lang]
            in_gold -= gold_l[g, lang]
        if in_pred:
            precisions.append(common / in_pred)
        if in_gold:
            recalls.append(common / in_gold)
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    return {"precision": precision, "recall": recall, "f1": _f1(precision, recall)}


def pair_counts(gold: Mapping[Hashable, Hashable], predicted: Mapping[Hashable, Hashable],
                languages: Mapping[Hashable, Hashable] | None = None) -> tuple[int, int, int, int]:
    """(pairs in one predicted and one gold cluster, pairs in one predicted cluster,
    pairs in one gold cluster, all pairs); only pairs of different languages if given."""

    def same(label_of) -> int:
        total = sum(_pairs(n) for n in Counter(label_of(i) for i in gold).values())
        if languages is not None:
            total -= sum(_pairs(n) for n in Counter((label_of(i), languages[i]) for i in gold).values())
        return total

    n = len(gold)
    all_pairs = _pairs(n)
    if languages is not None:
        all_pairs -= sum(_pairs(k) for k in Counter(languages[i] for i in gold).values())
    return (
        same(lambda i: (predicted[i], gold[i])),
        same(lambda i: predicted[i]),
        same(lambda i: gold[i]),
        all_pairs,
    )


def pairwise(gold, predicted, languages=None) -> dict[str, float]:
    tp, pred_pairs, gold_pairs, _ = pair_counts(gold, predicted, languages)
    precision = tp / pred_pairs if pred_pairs else 0.0
    recall = tp / gold_pairs if gold_pairs else 0.0
    return {"precision": precision, "recall": recall, "f1": _f1(precision, recall)}


def adjusted_rand(gold, predicted, languages=None) -> float:
    tp, pred_pairs, gold_pairs, all_pairs = pair_counts(gold, predicted, languages)
    if not all_pairs:
        return 1.0
    expected = pred_pairs * gold_pairs / all_pairs
    top = (pred_pairs + gold_pairs) / 2 - expected
    if top == 0:
        return 1.0
    return (tp - expected) / top


def clustering_scores(gold, predicted, languages=None) -> dict:
    """Every score, rounded; with a ``cross_language`` block when ``languages`` is given."""
    missing = set(gold) - set(predicted)
    if missing:
        raise ValueError(f"{len(missing)} items have no predicted cluster, e.g. {next(iter(missing))!r}")

    def block(langs) -> dict:
        b, pw = bcubed(gold, predicted, langs), pairwise(gold, predicted, langs)
        return {
            "bcubed_precision": round(b["precision"], 4),
            "bcubed_recall": round(b["recall"], 4),
            "bcubed_f1": round(b["f1"], 4),
            "pairwise_precision": round(pw["precision"], 4),
            "pairwise_recall": round(pw["recall"], 4),
            "pairwise_f1": round(pw["f1"], 4),
            "ari": round(adjusted_rand(gold, predicted, langs), 4),
        }

    out = block(None)
    if languages is not None:
        out["cross_language"] = block(languages)
    return out
