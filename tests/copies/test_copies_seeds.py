"""Acceptance on ../shared/eval/seeds: the copy pair, its edits, nothing else paired."""

from __future__ import annotations

import json

import pytest

from storywire.copies.stage import STAGE
from storywire.pipeline import ingest, run_analysis

pytestmark = pytest.mark.eval


@pytest.fixture
def analysed(seeds, store):
    ingest(sorted(str(p) for p in seeds.glob("*.txt")), store, analyse=False)
    run_analysis(store, [STAGE])
    gold = json.loads((seeds / "gold.json").read_text(encoding="utf-8"))
    return store, gold


def test_gold_copy_pair_has_the_expected_edits(analysed):
    store, gold = analysed
    for expected in (c for c in gold["copies"] if c["label"] == "copy"):
        a, b = sorted((expected["a"], expected["b"]))
        row = store.query("SELECT * FROM copy_pairs WHERE a = ? AND b = ?", (a, b))
        assert row and row[0]["verdict"] == "copy"
        edits = json.loads(row[0]["edits"])
        text_a, text_b = store.get_article(a).clean_text, store.get_article(b).clean_text
        for before, after in expected["edits_expected"]:
            if a != expected["a"]:
                before, after = after, before
            sa, sb = text_a.index(before), text_b.index(after)
            # Some edit changes exactly this phrase: both its sides lie inside it.
            assert any(
                e["op"] in ("replace", "insert", "delete")
                and sa <= e["a_start"] <= e["a_end"] <= sa + len(before)
                and sb <= e["b_start"] <= e["b_end"] <= sb + len(after)
                and (e["a"] or e["b"])
                for e in edits
            ), (before, after)


def test_nothing_else_is_paired(analysed):
    store, gold = analysed
    derived = {(r["a"], r["b"]) for r in store.query("SELECT a, b FROM copy_pairs WHERE verdict != 'independent'")}
    expected = {tuple(sorted((c["a"], c["b"]))) for c in gold["copies"] if c["label"] != "independent"}
    assert derived == expected
    for c in gold["copies"]:
        if c["label"] == "independent":
            a, b = sorted((c["a"], c["b"]))
            rows = store.query("SELECT verdict FROM copy_pairs WHERE a = ? AND b = ?", (a, b))
            assert not rows or rows[0]["verdict"] == "independent"
    groups = {r["article_id"] for r in store.query("SELECT article_id FROM copy_groups")}
    assert groups == {x for pair in expected for x in pair}
