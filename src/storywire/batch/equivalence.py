"""How far two batch runs agree: the check behind "Spark gives the local engine's answers".

Copy pairs are compared as sets of (a, b, verdict); copy groups and stories as
clusterings, by pairwise F1 (of the pairs of articles put together by one run,
the share the other run also puts together, and vice versa). docs/spark.md states
the tolerance the tests hold the engines to.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from pathlib import Path

from . import tables


def together(assignment: dict[str, str]) -> set[tuple[str, str]]:
    """Pairs of items (a < b) that share a cluster."""
    clusters: dict[str, list[str]] = defaultdict(list)
    for item, cluster in assignment.items():
        clusters[cluster].append(item)
    return {pair for members in clusters.values() for pair in combinations(sorted(members), 2)}


def pairwise_f1(left: dict[str, str], right: dict[str, str]) -> float:
    """Pairwise F1 of two clusterings (item -> cluster id); 1.0 when both are all singletons."""
    a, b = together(left), together(right)
    if not a and not b:
        return 1.0
    both = len(a & b)
    if not both:
        return 0.0
    p, r = both / len(b), both / len(a)
    return 2 * p * r / (p + r)


def _assignment(folder: Path, item: str, cluster: str) -> dict[str, str]:
    if not tables.complete(folder):
        return {}
    return {r[item]: r[cluster] for r in tables.read_rows(folder, [item, cluster])}


def compare_runs(left: str | Path, right: str | Path) -> dict[str, float | int]:
    """Agreement of two batch output folders, stage by stage."""
    left, right = Path(left), Path(right)

    def pairs(folder: Path) -> set[tuple]:
        return {(r["a"], r["b"], r["verdict"]) for r in tables.read_rows(folder / "copy_pairs", ["a", "b", "verdict"])}

    def ids(folder: Path) -> set[str]:
        return {r["id"] for r in tables.read_rows(folder / "articles", ["id"])}

    lp, rp = pairs(left), pairs(right)
    return {
        "articles_equal": int(ids(left) == ids(right)),
        "copy_pairs_left": len(lp),
        "copy_pairs_right": len(rp),
        "copy_pairs_jaccard": len(lp & rp) / len(lp | rp) if lp | rp else 1.0,
        "copy_groups_f1": pairwise_f1(
            _assignment(left / "copy_groups", "article_id", "group_id"),
            _assignment(right / "copy_groups", "article_id", "group_id"),
        ),
        "stories_f1": pairwise_f1(
            _assignment(left / "story_articles", "article_id", "story_id"),
            _assignment(right / "story_articles", "article_id", "story_id"),
        ),
    }
