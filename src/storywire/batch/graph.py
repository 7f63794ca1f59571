"""Connected components: the copy groups of a batch run."""

from __future__ import annotations

from typing import Iterable


def components(edges: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Node -> the smallest node id of its component (union-find, path halving).

    The Spark engine computes the same labels by min-label propagation.
    """
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            if rb < ra:
                ra, rb = rb, ra
            parent[rb] = ra
    return {node: find(node) for node in list(parent)}
