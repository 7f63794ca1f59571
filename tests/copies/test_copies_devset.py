import random
from collections import Counter

import pytest

from storywire.copies import devset
from storywire.copies.evaluate import judge, report

from copies_corpus import INDEPENDENT, ORIGINAL, PARTIAL, UNRELATED

RECORDS = [
    {"id": "o", "text": ORIGINAL, "story": "pier"},
    {"id": "i", "text": INDEPENDENT, "story": "pier"},
    {"id": "u", "text": UNRELATED, "story": "comet"},
    {"id": "p", "text": PARTIAL, "story": "fish"},
]


def test_build_is_deterministic_and_labelled():
    docs, pairs = devset.build(RECORDS, seed=3, sources=3)
    assert (docs, pairs) == devset.build(RECORDS, seed=3, sources=3)
    ids = {d["id"] for d in docs}
    assert all(p["a"] in ids and p["b"] in ids for p in pairs)
    labels = Counter(p["label"] for p in pairs)
    assert labels["copy"] == labels["partial"] == 3 and labels["independent"] == 1
    texts = {d["id"]: d["text"] for d in docs}
    for p in pairs:
        if p["label"] == "copy":
            assert texts[p["a"]] != texts[p["b"]]


def test_copy_keeps_most_text_and_partial_mixes():
    rng = random.Random(1)
    copy = devset.make_copy(ORIGINAL, rng, ["harbour", "vessel"], [UNRELATED], "Gulf Herald")
    partial = devset.make_partial(ORIGINAL, rng, devset._sents(UNRELATED), "Gulf Herald")
    from storywire.copies.align import align

    assert align(ORIGINAL, copy).containment_ab > 0.7
    al = align(ORIGINAL, partial)
    assert 0.1 < al.containment_ba < 0.8


def test_write_and_eval_round_trip(tmp_path):
    docs, pairs = devset.build(RECORDS, seed=0, sources=4)
    d, p = devset.write(docs, pairs, tmp_path / "out")
    assert report(judge(d, p))["pairs"] == len(pairs)


@pytest.mark.eval
def test_gate_on_ecbplus_dev(shared_eval, tmp_path):
    """The gate of issue 3: generated pairs from the ECB+ dev texts."""
    records = devset.load(shared_eval / "clustering" / "ecbplus-dev.jsonl")
    docs, pairs = devset.build(records, seed=7, sources=150)
    d, p = devset.write(docs, pairs, tmp_path)
    result = report(judge(d, p))
    assert result["macro_f1"] >= 0.85, result
    assert result["auc_derived"] >= 0.95, result
