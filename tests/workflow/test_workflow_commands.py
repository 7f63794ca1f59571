"""The workflow CLI, and a passage alert through the real ingest path."""

import json

import networkx as nx
import pyarrow.parquet as pq
from click.testing import CliRunner

from storywire.cli import main
from storywire.pipeline import ingest, run_analysis
from storywire.store import Store
from storywire.workflow.alerts import list_alerts
from storywire.workflow.follows import follow
from storywire.workflow.stage import STAGE

ORIGINAL = """# Ferry service to Osk island suspended

The coastal authority suspended the ferry service to Osk island on Wednesday after a crack was found in the \
hull of the only vessel, stranding about two hundred visitors on the island until a replacement arrives.

Islanders said the ferry had been due for an overhaul since last spring.
"""
COPY = """# Osk island cut off as ferry is withdrawn

Harbour Weekly

The coastal authority halted the ferry service to Osk island on Wednesday after a crack was found in the \
hull of the only vessel, stranding around two hundred visitors on the island until a replacement arrives.

The mayor asked the navy for help.
"""


def test_followed_passage_alerts_when_an_edited_copy_is_ingested(tmp_path):
    (tmp_path / "ferry-original.md").write_text(ORIGINAL, encoding="utf-8")
    with Store.open(tmp_path / "t.db") as store:
        ingest([str(tmp_path / "ferry-original.md")], store, analyse=False)
        run_analysis(store, [STAGE])
        passage = store.get_article("ferry-original").clean_text.split("\n\n")[0]
        follow(store, "passage", passage, article_id="ferry-original")
        (tmp_path / "ferry-copy.md").write_text(COPY, encoding="utf-8")
        report = ingest([str(tmp_path / "ferry-copy.md")], store, analyse=False)
        assert report.counts["new"] == 1
        run_analysis(store, [STAGE])
        alerts = list_alerts(store)
        assert [(a["kind"], a["article_id"]) for a in alerts] == [("passage_copy", "ferry-copy")]
        assert "halted the ferry service" in alerts[0]["data"]["excerpt"]


def test_cli_follow_alerts_export_and_curate(tmp_path, store, helpers):
    db = str(tmp_path / "test.db")
    helpers.add_article(store, "n1", "The city council voted to close the old tram depot in March.", outlet="City")
    helpers.add_article(store, "n2", "Tram depot to close, the council decided in a late vote on Monday.",
                        outlet="Metro")
    helpers.add_story(store, "tram", ["n1"], title="Tram depot")
    helpers.add_story(store, "tram2", ["n2"], title="Depot vote")
    run = CliRunner().invoke
    out = run(main, ["follow", "outlet", "Metro", "--db", db, "--json"])
    assert out.exit_code == 0, out.output
    follow_id = json.loads(out.output)["id"]
    store.reset_stage("workflow")
    run_analysis(store, [STAGE])

    out = run(main, ["alerts", "--db", db, "--json", "--mark-seen"])
    assert [a["article_id"] for a in json.loads(out.output)] == ["n2"]
    assert json.loads(run(main, ["alerts", "--db", db, "--json", "--unseen"]).output) == []
    assert "<entry>" in run(main, ["feed", str(follow_id), "--db", db]).output

    out = run(main, ["curate", "merge-stories", "tram", "tram2", "--db", db, "--json", "--note", "same vote"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["kind"] == "story_merge"
    out = run(main, ["curate", "decisions", "--db", db, "--json"])
    assert [d["note"] for d in json.loads(out.output)] == ["same vote"]
    out = run(main, ["curate", "split-story", "tram", "nope", "--db", db])
    assert out.exit_code != 0 and "hint" in out.output

    pq_path = tmp_path / "articles.parquet"
    out = run(main, ["export", "articles", "--format", "parquet", "--story", "tram", "--out", str(pq_path),
                     "--db", db])
    assert out.exit_code == 0, out.output
    assert sorted(pq.read_table(pq_path).column("id").to_pylist()) == ["n1", "n2"]
    graph_path = tmp_path / "copies.graphml"
    assert run(main, ["export", "copies", "--format", "graphml", "--out", str(graph_path), "--db", db]).exit_code == 0
    assert nx.read_graphml(graph_path).number_of_nodes() == 0
    out = run(main, ["export", "figures", "--format", "gexf", "--db", db])
    assert out.exit_code != 0 and "no graph" in out.output
