"""Finding copy candidates at scale: MinHash signatures and LSH bands.

An article's text becomes word 5-gram shingles (:func:`storywire.text.shingles`,
which handles every script; CJK is split per character), then a MinHash
signature of ``NUM_PERM`` values (rensa). The signature is cut into ``BANDS``
bands of ``ROWS`` values; each band hashes to one integer *band key*. Two
articles sharing any band key are candidates. With 64 bands of 2 rows a pair is
a candidate with probability 1 - (1 - J²)⁶⁴ for shingle Jaccard J: 0.47 at
J = 0.1, 0.93 at J = 0.2, >0.999 at J = 0.4, so copies (J >= 0.5) are
practically always found and most partial reuse too.

Band keys are plain 63-bit integers, so an index is either a dict in memory
(:class:`BandIndex`, for batch jobs and benchmarks) or a table in the store
(``copy_bands``, used by the copies stage), and both give the same candidates.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable

import numpy as np
from rensa import RMinHash

from ..text import shingles

NUM_PERM = 128
BANDS = 64
ROWS = NUM_PERM // BANDS
SHINGLE_WORDS = 5
SEED = 1
_MIX = np.uint64(0x9E3779B97F4A7C15)
_BAND_IDS = np.arange(1, BANDS + 1, dtype=np.uint64) * np.uint64(0xBF58476D1CE4E5B9)


def article_shingles(text: str) -> set[str]:
    return shingles(text, SHINGLE_WORDS)


def signature(items: Iterable[str]) -> list[int]:
    """MinHash signature (``NUM_PERM`` unsigned 32-bit values) of a set of shingles."""
    m = RMinHash(NUM_PERM, SEED)
    m.update(list(items))
    return m.digest()


def band_keys(sig: list[int]) -> list[int]:
    """One 63-bit key per band: the band's values and its number, mixed."""
    rows = np.asarray(sig, dtype=np.uint64).reshape(BANDS, ROWS)
    key = _BAND_IDS.copy()
    for r in range(ROWS):
        key = (key ^ rows[:, r]) * _MIX
    return (key >> np.uint64(1)).astype(np.int64).tolist()


def text_keys(text: str) -> list[int]:
    """Band keys of a text; none for a text without words."""
    items = article_shingles(text)
    return band_keys(signature(items)) if items else []


class BandIndex:
    """Band keys in memory: ``add`` articles, ``query`` candidates."""

    def __init__(self) -> None:
        self.buckets: dict[int, list[str]] = defaultdict(list)

    def query(self, keys: Iterable[int]) -> dict[str, int]:
        """Candidate ids with the number of bands they share."""
        hits: dict[str, int] = defaultdict(int)
        for k in keys:
            for aid in self.buckets.get(k, ()):
                hits[aid] += 1
        return hits

    def add(self, article_id: str, keys: Iterable[int]) -> None:
        for k in keys:
            self.buckets[k].append(article_id)
