import json

import pytest

from storywire.errors import NotFound
from storywire.workflow.curation import (
    CurationError, apply_decisions, list_decisions, merge_actors, merge_stories, rename_story, set_copy_verdict,
    split_actor, split_story, undo,
)

WIRE = ("Dock workers in the port of Halven walked out on Friday over unpaid overtime, halting container traffic. "
        "The union said the strike would last until the operator paid what it owed.")
EDITED = WIRE.replace("Friday", "Friday morning").replace("operator", "port operator")
OTHER = "A late frost destroyed much of the apple harvest in the hill villages above Halven this week."


def story_of(store, article):
    return store.query("SELECT story_id FROM story_articles WHERE article_id = ?", (article,))[0][0]


@pytest.fixture
def corpus(store, helpers):
    helpers.add_article(store, "w1", WIRE, outlet="Wire", published="2026-05-01")
    helpers.add_article(store, "w2", EDITED, outlet="Coast Daily", published="2026-05-02")
    helpers.add_article(store, "f1", OTHER, outlet="Hill Post", published="2026-05-03", language="de")
    helpers.add_story(store, "s-strike", ["w1", "w2"], title="Strike")
    helpers.add_story(store, "s-frost", ["f1"], title="Frost")
    return store


def test_merge_stories_moves_articles_and_marks_them_manual(corpus):
    decision = merge_stories(corpus, "s-strike", "s-frost", note="same region")
    assert story_of(corpus, "f1") == "s-strike"
    strike = corpus.query("SELECT * FROM stories WHERE id = 's-strike'")[0]
    assert strike["article_count"] == 3 and json.loads(strike["languages"]) == ["de", "en"]
    assert json.loads(strike["outlets"]) == ["Coast Daily", "Hill Post", "Wire"]
    frost = corpus.query("SELECT status, merged_into FROM stories WHERE id = 's-frost'")[0]
    assert tuple(frost) == ("merged", "s-strike")
    assert corpus.query("SELECT manual FROM story_articles WHERE article_id = 'f1'")[0][0] == 1
    [d] = list_decisions(corpus)
    assert (d["id"], d["kind"], d["subject"], d["object"], d["note"]) == (decision, "story_merge", "s-strike",
                                                                          "s-frost", "same region")
    with pytest.raises(CurationError):
        merge_stories(corpus, "s-strike", "s-frost")  # one story already: s-frost follows its merge


def test_split_and_rename(corpus):
    decision, new = split_story(corpus, "s-strike", ["w2"])
    assert new == f"manual-{decision}" and story_of(corpus, "w2") == new
    row = corpus.query("SELECT title, article_count FROM stories WHERE id = ?", (new,))[0]
    assert tuple(row) == ("w2", 1)  # titled after its article, not invented
    assert corpus.query("SELECT article_count FROM stories WHERE id = 's-strike'")[0][0] == 1
    rename_story(corpus, "s-strike", "  Halven dock strike ")
    assert corpus.query("SELECT title FROM stories WHERE id = 's-strike'")[0][0] == "Halven dock strike"
    with pytest.raises(CurationError):
        split_story(corpus, "s-strike", ["f1"])
    with pytest.raises(NotFound):
        rename_story(corpus, "nope", "x")


def test_copy_verdict_overrides_the_pair_and_its_group(corpus):
    set_copy_verdict(corpus, "w2", "w1", "copy")
    pair = corpus.query("SELECT a, b, verdict FROM copy_pairs")[0]
    assert tuple(pair) == ("w1", "w2", "copy")
    assert {r[0] for r in corpus.query("SELECT article_id FROM copy_groups")} == {"w1", "w2"}
    set_copy_verdict(corpus, "w1", "w2", "independent")
    assert corpus.query("SELECT verdict FROM copy_pairs")[0][0] == "independent"
    assert corpus.query("SELECT count(*) FROM copy_groups")[0][0] == 0
    with pytest.raises(CurationError):
        set_copy_verdict(corpus, "w1", "w2", "plagiarism")


def test_actor_merge_and_split(corpus, helpers):
    helpers.add_actor(corpus, "p-ines", "Ines Valk", [("w1", "Ines Valk"), ("w2", "Ines Valk")])
    helpers.add_actor(corpus, "p-valk", "I. Valk", [("w2", "I. Valk")])
    helpers.add_actor(corpus, "p-harbour", "Tomas Harbo", [("w1", "Tomas Harbo"), ("f1", "T. Harbo"),
                                                            ("f1", "Tom Harbo")])
    helpers.add_quote(corpus, "f1", "p-harbour", "Tom Harbo", "the frost came early")
    merge_actors(corpus, "p-ines", "p-valk")
    assert {r[0] for r in corpus.query("SELECT DISTINCT actor_id FROM mentions WHERE text LIKE '%Valk'")} == {"p-ines"}
    assert corpus.query("SELECT 1 FROM actors WHERE id = 'p-valk'") == []
    decision, new = split_actor(corpus, "p-harbour", ["tom harbo", "T. Harbo"])
    moved = {r[0]: r[1] for r in corpus.query("SELECT text, actor_id FROM mentions WHERE text LIKE '%Harbo'")}
    assert moved == {"Tomas Harbo": "p-harbour", "T. Harbo": new, "Tom Harbo": new}
    assert corpus.query("SELECT actor_id FROM quotes")[0][0] == new
    assert corpus.query("SELECT name FROM actors WHERE id = ?", (new,))[0][0] == "Tom Harbo"
    with pytest.raises(CurationError):
        split_actor(corpus, "p-ines", ["Ines Valk", "I. Valk"])  # all variants: nothing would stay


def test_apply_is_idempotent_and_wins_over_automatic_results(corpus, helpers):
    merge_stories(corpus, "s-strike", "s-frost")
    _, new = split_story(corpus, "s-strike", ["w2"])
    rename_story(corpus, "s-strike", "Halven")
    # An automatic run recomputes stories from scratch, with new ids.
    with corpus.transaction() as c:
        c.execute("DELETE FROM stories")
        c.execute("DELETE FROM story_articles")
    helpers.add_story(corpus, "auto-1", ["w1", "w2"], title="auto")
    helpers.add_story(corpus, "auto-2", ["f1"], title="auto")
    first = apply_decisions(corpus, kinds=["stories"])
    assert first == {"story_merge": 1, "story_split": 1, "story_rename": 1}
    snapshot = corpus.query("SELECT article_id, story_id, manual FROM story_articles ORDER BY article_id")
    apply_decisions(corpus)
    assert corpus.query("SELECT article_id, story_id, manual FROM story_articles ORDER BY article_id") == snapshot
    assert story_of(corpus, "w1") == story_of(corpus, "f1") == "auto-1"
    assert story_of(corpus, "w2") == new
    assert corpus.query("SELECT title FROM stories WHERE id = 'auto-1'")[0][0] == "Halven"


def test_undo_withdraws_a_decision(corpus):
    decision = rename_story(corpus, "s-strike", "Wrong title")
    undo(corpus, decision)
    assert list_decisions(corpus) == []
    assert list_decisions(corpus, include_undone=True)[0]["active"] is False
    with pytest.raises(NotFound):
        undo(corpus, 999)
    with pytest.raises(CurationError):
        apply_decisions(corpus, kinds=["everything"])
