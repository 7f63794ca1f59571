"""Copies at batch scale: LSH banding as a shuffle, then the copies stage's own verdicts.

Per article (a map): its band keys (:func:`storywire.copies.index.text_keys`, the
keys the ``copies`` stage stores). Per key (a group-by): every pair of articles in
the bucket is a candidate. Buckets larger than ``MAX_BUCKET`` (boilerplate shared
by thousands of pages) give a star around their smallest id instead of all pairs,
so no bucket costs more than linear work. Candidates are judged with
:func:`storywire.copies.pairs.compare` and kept by the stage's rule; copy groups
are the connected components of the copy/partial edges, named after their origin
chosen by the rule of :mod:`storywire.copies.groups`.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from ..copies.index import BANDS, text_keys
from ..copies.pairs import compare
from ..copies.stage import KEEP_INDEPENDENT
from ..copies.verdict import parse_time
from ..model import Article

MAX_BUCKET = 100
# The article columns a candidate pair is judged on (copies.pairs.compare reads
# the id, the text and the date): the join carries nothing else.
PAIR_COLUMNS = ["id", "published", "clean_text"]
# At most this many articles' texts are held at once while judging pairs (a few
# hundred MB); more candidates are judged in several passes over the articles.
BLOCK_ARTICLES = 100_000
# Verdicts that link two articles into one copy group.
LINKED = ("copy", "partial")

band_keys = text_keys


def bucket_pairs(members: Iterable[str]) -> Iterator[tuple[str, str]]:
    """Candidate pairs (a < b) of one LSH bucket; a star for oversized buckets."""
    ids = sorted(set(members))
    if len(ids) < 2:
        return
    if len(ids) > MAX_BUCKET:
        for other in ids[1:]:
            yield ids[0], other
        return
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            yield a, b


def pair_blocks(
    pairs: Iterable[tuple[str, str]], max_articles: int | None = None
) -> Iterator[tuple[list[tuple[str, str]], set[str]]]:
    """``pairs`` cut into consecutive blocks, each with the ids of the articles it
    names, at most ``max_articles`` (default ``BLOCK_ARTICLES``; a pair alone may name two)."""
    max_articles = max_articles or BLOCK_ARTICLES
    block: list[tuple[str, str]] = []
    ids: set[str] = set()
    for a, b in pairs:
        if block and len(ids) + (a not in ids) + (b not in ids) > max_articles:
            yield block, ids
            block, ids = [], set()
        block.append((a, b))
        ids.update((a, b))
    if block:
        yield block, ids


def verify(a: Article, b: Article) -> tuple | None:
    """The ``copy_pairs`` row of a candidate pair, or None when the copies stage
    would not store it (independent and below ``KEEP_INDEPENDENT``)."""
    pair = compare(a, b)
    if pair.derived or pair.score >= KEEP_INDEPENDENT:
        return pair.row()
    return None


_FAR_FUTURE = parse_time("9999-12-31")


def group_rows(members: list[tuple[str, str | None, int]]) -> list[tuple]:
    """``copy_groups`` rows of one component of (article id, published, times judged source).

    The origin, which names the group, is the earliest published member, then the
    one most often judged the source, then the smallest id (as in copies.groups).
    """
    origin = min(members, key=lambda m: (parse_time(m[1]) or _FAR_FUTURE, -m[2], m[0]))[0]
    return [(aid, origin, int(aid == origin)) for aid, _, _ in sorted(members)]
