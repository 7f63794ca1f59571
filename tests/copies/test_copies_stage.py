import json

import pytest

from storywire.copies.stage import STAGE
from storywire.model import Article
from storywire.pipeline import run_analysis

from copies_corpus import COPY, INDEPENDENT, ORIGINAL, PARTIAL, UNRELATED


def _save(store, *articles):
    with store.transaction():
        for a in articles:
            store.save_article(a)


def _art(aid, text, published):
    return Article(id=aid, raw_text=text, clean_text=text, published=published, outlet=aid)


def _pairs(store):
    return {(r["a"], r["b"]): dict(r) for r in store.query("SELECT * FROM copy_pairs")}


def _groups(store):
    return {r["article_id"]: (r["group_id"], r["is_origin"]) for r in store.query("SELECT * FROM copy_groups")}


@pytest.fixture
def corpus(store):
    _save(store,
          _art("orig", ORIGINAL, "2024-03-01T08:00:00"),
          _art("wire", COPY, "2024-03-01T10:00:00"),
          _art("mix", PARTIAL, "2024-03-02"),
          _art("indep", INDEPENDENT, "2024-03-01T09:00:00"),
          _art("comet", UNRELATED, "2024-03-01"))
    run_analysis(store, [STAGE])
    return store


def test_pairs_verdicts_direction_and_edits(corpus):
    pairs = _pairs(corpus)
    copy = pairs[("orig", "wire")]
    assert copy["verdict"] == "copy"
    assert copy["source_id"] == "orig" and copy["direction_conf"] >= 0.75
    edits = json.loads(copy["edits"])
    assert {"op": "replace", "a": "close", "b": "shut"}.items() <= next(e for e in edits if e["a"] == "close").items()
    text = corpus.get_article("wire").clean_text
    assert all(text[e["b_start"] : e["b_end"]] == e["b"] for e in edits)
    assert pairs[("mix", "orig")]["verdict"] == "partial"
    assert not any("comet" in key for key in pairs)
    assert all(p["verdict"] == "independent" for k, p in pairs.items() if "indep" in k)


def test_groups_and_origin(corpus):
    groups = _groups(corpus)
    assert groups["orig"] == ("orig", 1)
    assert groups["wire"] == ("orig", 0)
    assert "comet" not in groups and "indep" not in groups


def test_new_articles_are_checked_against_the_store_incrementally(corpus):
    bands_before = corpus.query("SELECT count(*) FROM copy_bands")[0][0]
    late = COPY.replace("Coastal Wire -", "Harbour Daily:")
    _save(corpus, _art("late", late, "2024-03-05"))
    stats = run_analysis(corpus, [STAGE])["copies"]
    assert stats["articles"] == 1
    assert corpus.query("SELECT count(*) FROM copy_bands")[0][0] == bands_before + len(
        corpus.query("SELECT 1 FROM copy_bands WHERE article_id = 'late'"))
    pairs = _pairs(corpus)
    assert pairs[("late", "wire")]["verdict"] == "copy"
    assert pairs[("late", "orig")]["source_id"] == "orig"
    assert _groups(corpus)["late"] == ("orig", 0)


def test_changed_article_is_recomputed(corpus):
    _save(corpus, _art("wire", UNRELATED + "\n\nA new closing line for the comet story.", "2024-03-01T10:00:00"))
    run_analysis(corpus, [STAGE])
    pairs = _pairs(corpus)
    assert ("orig", "wire") not in pairs
    assert pairs[("comet", "wire")]["verdict"] == "copy"
    assert _groups(corpus)["wire"][0] == "comet"


def test_analyst_decision_wins(store):
    store.conn.execute(
        "INSERT INTO decisions (kind, subject, value, created_at) VALUES ('copy_verdict', 'wire|orig', ?, '2024')",
        (json.dumps({"verdict": "independent"}),))
    _save(store, _art("orig", ORIGINAL, "2024-03-01"), _art("wire", COPY, "2024-03-02"))
    run_analysis(store, [STAGE])
    assert _pairs(store)[("orig", "wire")]["verdict"] == "independent"
    assert _groups(store) == {}


def test_identical_texts_are_found_by_hash(store):
    _save(store, _art("x1", "Short note.", "2024-01-01"), _art("x2", "Short  note.", "2024-01-02"))
    run_analysis(store, [STAGE])
    assert _pairs(store)[("x1", "x2")]["verdict"] == "copy"


def test_rebuild_recomputes_the_same_results(corpus):
    before = {k: (v["verdict"], v["score"], v["edits"]) for k, v in _pairs(corpus).items()}
    groups = _groups(corpus)
    STAGE.rebuild(corpus)
    assert _pairs(corpus) == {} and corpus.query("SELECT count(*) FROM copy_bands")[0][0] == 0
    run_analysis(corpus, [STAGE])
    assert {k: (v["verdict"], v["score"], v["edits"]) for k, v in _pairs(corpus).items()} == before
    assert _groups(corpus) == groups
