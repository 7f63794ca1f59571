"""The framing comparison of one story over the fixture rows (tests/api/storyfixture.py)."""

from __future__ import annotations

import json

import pytest
from api.storyfixture import build
from click.testing import CliRunner

from storywire.cli import main
from storywire.compare import compare_story
from storywire.errors import NotFound
from storywire.store import Store


@pytest.fixture
def fixture_store(tmp_path):
    with Store.open(tmp_path / "c.db") as store:
        build(store)
        yield store


def test_copies_are_seen_from_their_source(fixture_store):
    c = compare_story(fixture_store, "s-harbour")
    assert [(x.source["id"], x.copy["id"], x.verdict) for x in c.copies] == [("w1", "c1", "copy"), ("w1", "h1", "partial")]
    assert c.copies_total == 2  # the independent French pair is not a copy
    assert c.copies[0].edits[0].source == "A storm hit"


def test_substitutions_additions_and_omissions_per_outlet(fixture_store):
    c = compare_story(fixture_store, "s-harbour")
    assert [(s["outlet"], s["source"], s["copy"]) for s in c.substitutions] == [
        ("Daily Echo", "storm", "flood"), ("Daily Echo", "Brandt", "Brant"), ("Daily Echo", "12", "14")]
    assert [(a["article"], a["text"][:7]) for a in c.additions] == [("c1", "Critics"), ("h1", "<script")]
    assert c.omissions == []


def test_word_choices_per_outlet(fixture_store):
    rows = {w["referent"]: w for w in compare_story(fixture_store, "s-harbour").word_choices}
    # Changed numbers go to the figures, changed name spellings to the actor row.
    assert set(rows) == {"flood / storm", "Ilse Brandt"}
    assert rows["flood / storm"]["by_outlet"]["Daily Echo"] == {"flood": 1}
    assert rows["flood / storm"]["by_outlet"]["Coast Wire"] == {"storm": 1}
    assert rows["Ilse Brandt"]["by_outlet"] == {
        "Coast Wire": {"Ilse Brandt": 1}, "Daily Echo": {"Ilse Brant": 1}, "Le Courrier": {"Ilse Brandt": 1}}


def test_quotes_grouped_across_translations_and_figures_marked(fixture_store):
    c = compare_story(fixture_store, "s-harbour")
    assert [[q["language"] for q in g["quotes"]] for g in c.quotes] == [["en", "en", "fr"]]
    killed = next(f for f in c.figures if f["what"] == "killed")
    assert killed["consensus"] == 12
    assert {x["outlet"]: x["disagrees"] for x in killed["by_outlet"]} == {
        "Coast Wire": False, "Daily Echo": True, "Le Courrier": False}


def test_vague_amount_disagrees_only_when_its_range_misses_the_consensus(fixture_store):
    def injured_flags(low, high):
        with fixture_store.transaction() as c:
            c.execute("DELETE FROM figures WHERE article_id = 'f1' AND what = 'injured'")
            c.execute("INSERT INTO figures (article_id, value, low, high, what, raw, start, end) "
                      "VALUES ('f1', NULL, ?, ?, 'injured', 'des blessés', 0, 5)", (low, high))
        injured = next(f for f in compare_story(fixture_store, "s-harbour").figures if f["what"] == "injured")
        return [x["disagrees"] for x in injured["by_outlet"]]

    assert injured_flags(24, 99) == [False, False, False]  # "dozens" holds the 40 the others report
    assert injured_flags(2, 9) == [False, False, True]


def test_unknown_story_is_an_error_with_a_hint(fixture_store):
    with pytest.raises(NotFound) as err:
        compare_story(fixture_store, "nope")
    assert err.value.hint


def test_cli_json_is_the_library_result(fixture_store, tmp_path):
    result = CliRunner().invoke(main, ["compare", "s-harbour", "--db", fixture_store.path, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == json.loads(json.dumps(compare_story(fixture_store, "s-harbour").to_dict()))
    text = CliRunner().invoke(main, ["compare", "s-harbour", "--db", fixture_store.path])
    assert "'storm' -> 'flood'" in text.output and "killed" in text.output
    missing = CliRunner().invoke(main, ["compare", "nope", "--db", fixture_store.path])
    assert missing.exit_code != 0 and "no story with id" in missing.output
