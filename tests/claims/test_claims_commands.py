"""The actors, actor, quotes and figures commands, as tables and as JSON."""

import json

from click.testing import CliRunner

from storywire.actors.ner import RuleNER
from storywire.actors.stage import ActorsStage
from storywire.claims.stage import ClaimsStage
from storywire.claims.statements import LexicalSimilarity
from storywire.cli import main
from storywire.model import Article
from storywire.pipeline import run_analysis
from storywire.store import Store

TEXTS = {
    "a1": ("Wire One", "2025-01-02", "Mayor Lena Okafor visited Tavrel. \"We will rebuild every house in the valley,\" "
           "Okafor said. The floods killed 34 people and injured 120."),
    "a2": ("Daily Two", "2025-01-03", "Mayor Lena Okafor said: \"We will rebuild every house in the valley.\" "
           "The death toll has risen to 36."),
}


def build(path):
    with Store.open(path) as store:
        with store.transaction() as c:
            for aid, (outlet, date, text) in TEXTS.items():
                store.save_article(Article(id=aid, raw_text=text, clean_text=text, language="en",
                                           outlet=outlet, published=date))
                c.execute("INSERT OR IGNORE INTO stories (id, updated_at) VALUES ('s1', 'now')")
                c.execute("INSERT INTO story_articles (article_id, story_id) VALUES (?, 's1')", (aid,))
        run_analysis(store, [ActorsStage(RuleNER()), ClaimsStage(LexicalSimilarity())])


def invoke(*args):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_commands(tmp_path):
    db = str(tmp_path / "t.db")
    build(db)
    actors = json.loads(invoke("actors", "--story", "s1", "--json", "--db", db))
    okafor = next(a for a in actors if a["name"] == "Lena Okafor")
    assert okafor["mentions"] == 3 and okafor["variants"] == 2
    assert "Lena Okafor" in invoke("actors", "--db", db)
    detail = json.loads(invoke("actor", okafor["id"], "--json", "--db", db))
    assert {v["variant"]: v["outlets"] for v in detail["variants"]} == {
        "Lena Okafor": {"Wire One": 1, "Daily Two": 1}, "Okafor": {"Wire One": 1}}
    assert detail["stories"][0]["id"] == "s1"
    assert "Daily Two (1)" in invoke("actor", okafor["id"], "--db", db)

    quotes = json.loads(invoke("quotes", "--story", "s1", "--json", "--db", db))
    assert len(quotes) == 2 and len({q["statement_id"] for q in quotes}) == 1
    assert all(q["speaker"] == "Lena Okafor" for q in quotes)
    assert "Okafor" in invoke("quotes", "--db", db)

    lineup = json.loads(invoke("figures", "--story", "s1", "--json", "--db", db))
    killed = next(e for e in lineup if e["what"] == "killed")
    assert killed["disagree"] and [o["value"] for o in killed["outlets"]] == [34, 36]
    assert "(disagree)" in invoke("figures", "--story", "s1", "--db", db)
    assert len(json.loads(invoke("figures", "--json", "--db", db))) == 3


def test_unknown_actor_is_a_clear_error(tmp_path):
    db = str(tmp_path / "t.db")
    build(db)
    result = CliRunner().invoke(main, ["actor", "nobody", "--db", db])
    assert result.exit_code != 0 and "storywire actors" in result.output
