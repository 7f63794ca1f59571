"""Clustering scores on tiny examples computed by hand."""

import pytest

from storywire.stories.metrics import adjusted_rand, bcubed, clustering_scores, pairwise

GOLD = {"a": 1, "b": 1, "c": 2}
PRED = {"a": "x", "b": "y", "c": "y"}


def test_bcubed_by_hand():
    # precision: a 1, b 1/2, c 1/2 -> 2/3; recall: a 1/2, b 1/2, c 1 -> 2/3
    b = bcubed(GOLD, PRED)
    assert b["precision"] == pytest.approx(2 / 3)
    assert b["recall"] == pytest.approx(2 / 3)
    assert b["f1"] == pytest.approx(2 / 3)


def test_pairwise_by_hand():
    # predicted pairs {b,c}; gold pairs {a,b}; none shared
    assert pairwise(GOLD, PRED) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    assert pairwise(GOLD, GOLD)["f1"] == 1.0


def test_ari_perfect_and_chance():
    assert adjusted_rand(GOLD, GOLD) == pytest.approx(1.0)
    # 3 pairs, 1 predicted, 1 gold, 0 shared: expected 1/3 -> (0 - 1/3) / (1 - 1/3) = -0.5
    assert adjusted_rand(GOLD, PRED) == pytest.approx(-0.5)


def test_cross_language_restriction():
    gold = {"a": 1, "b": 1, "c": 1}
    pred = {"a": "x", "b": "x", "c": "y"}
    langs = {"a": "en", "b": "fr", "c": "en"}
    # cross pairs: a-b (same pred, same gold), b-c (different pred, same gold)
    assert pairwise(gold, pred, langs) == {"precision": 1.0, "recall": 0.5, "f1": pytest.approx(2 / 3)}
    b = bcubed(gold, pred, langs)
    # precision: a 1/1, b 1/1 (c has no other-language neighbour in its cluster)
    assert b["precision"] == 1.0
    # recall: a 1/1, b 1/2, c 0/1 -> 1/2
    assert b["recall"] == pytest.approx(0.5)
    scores = clustering_scores(gold, pred, langs)
    assert scores["cross_language"]["pairwise_recall"] == 0.5


def test_missing_prediction_is_an_error():
    with pytest.raises(ValueError):
        clustering_scores(GOLD, {"a": 1})
