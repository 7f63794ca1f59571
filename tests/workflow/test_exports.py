import csv
import io
import json

import networkx as nx
import pyarrow.parquet as pq
import pytest

from storywire.workflow.export import KINDS, ExportError, export

TEXT_A = "The harbour bridge in Veldmar closed on Monday after cracks were found. Engineers said repairs take weeks."
TEXT_B = "The harbour bridge in Veldmar closed on Monday after cracks were found, officials said. Repairs take weeks."


@pytest.fixture
def filled(store, helpers):
    helpers.add_article(store, "a1", TEXT_A, outlet="Daily Veldmar", published="2026-03-01")
    helpers.add_article(store, "a2", TEXT_B, outlet="Coast <News> & \"Co\"", published="2026-03-02")
    helpers.add_article(store, "a3", "Un autre sujet, sans rapport avec le pont.", outlet="Le Matin", language="fr")
    helpers.add_story(store, "s1", ["a1", "a2"], title="Bridge closes")
    helpers.add_story(store, "s2", ["a3"])
    helpers.add_copy(store, "a1", "a2", "copy", source="a1")
    helpers.add_actor(store, "act1", "Ana Berg", [("a1", "Ana Berg"), ("a2", "A. Berg")])
    helpers.add_actor(store, "act2", "Veldmar", [("a1", "Veldmar"), ("a2", "Veldmar")], kind="place")
    helpers.add_actor(store, "act3", "Le Matin", [("a3", "Le Matin")], kind="org")
    helpers.add_quote(store, "a1", "act1", "Ana Berg", "repairs take weeks")
    helpers.add_figure(store, "a1", "weeks", 3, "three weeks")
    return store


def dump(store, kind, fmt, story=None) -> bytes:
    out = io.BytesIO()
    export(store, kind, fmt, out, story=story)
    return out.getvalue()


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_reads_back_as_csv_jsonl_and_parquet(filled, kind):
    rows_csv = list(csv.DictReader(io.StringIO(dump(filled, kind, "csv").decode("utf-8"))))
    rows_jsonl = [json.loads(line) for line in dump(filled, kind, "jsonl").decode("utf-8").splitlines()]
    table = pq.read_table(io.BytesIO(dump(filled, kind, "parquet")))
    assert len(rows_csv) == len(rows_jsonl) == table.num_rows > 0
    assert list(rows_csv[0]) == table.column_names == list(rows_jsonl[0])


def test_story_filter_and_typed_columns(filled):
    arts = pq.read_table(io.BytesIO(dump(filled, "articles", "parquet", story="s1"))).to_pylist()
    assert sorted(a["id"] for a in arts) == ["a1", "a2"]
    assert {a["story_id"] for a in arts} == {"s1"}
    stories = [json.loads(l) for l in dump(filled, "stories", "jsonl", story="s1").splitlines()]
    assert stories[0]["title"] == "Bridge closes" and isinstance(stories[0]["languages"], list)
    actors = pq.read_table(io.BytesIO(dump(filled, "actors", "parquet", story="s1"))).to_pylist()
    berg = next(a for a in actors if a["id"] == "act1")
    assert sorted(berg["variants"]) == ["A. Berg", "Ana Berg"] and berg["mentions"] == 2
    assert "act3" not in {a["id"] for a in actors}
    copies = list(csv.DictReader(io.StringIO(dump(filled, "copies", "csv", story="s2").decode())))
    assert copies == []


def test_text_with_markup_and_quotes_survives_csv(filled):
    rows = list(csv.DictReader(io.StringIO(dump(filled, "articles", "csv").decode("utf-8"))))
    assert {r["outlet"] for r in rows} >= {'Coast <News> & "Co"'}


@pytest.mark.parametrize("fmt, reader", [("gexf", nx.read_gexf), ("graphml", nx.read_graphml)])
def test_copy_graph_opens_in_networkx(filled, fmt, reader):
    graph = reader(io.BytesIO(dump(filled, "copies", fmt)))
    assert graph.is_directed()
    assert list(graph.edges()) == [("a1", "a2")]
    assert graph.nodes["a2"]["outlet"] == 'Coast <News> & "Co"'


@pytest.mark.parametrize("fmt, reader", [("gexf", nx.read_gexf), ("graphml", nx.read_graphml)])
def test_actor_graph_opens_in_networkx(filled, fmt, reader):
    graph = reader(io.BytesIO(dump(filled, "actors", fmt)))
    assert not graph.is_directed()
    assert set(graph.nodes) == {"act1", "act2", "act3"}
    assert graph.has_edge("act1", "act2") and int(graph.edges["act1", "act2"]["weight"]) == 2
    assert graph.degree("act3") == 0
    only = reader(io.BytesIO(dump(filled, "actors", fmt, story="s2")))
    assert set(only.nodes) == {"act3"}


def test_bad_requests_say_what_to_do(filled):
    with pytest.raises(ExportError, match="unknown export kind"):
        dump(filled, "tweets", "csv")
    with pytest.raises(ExportError) as err:
        dump(filled, "quotes", "gexf")
    assert "csv" in err.value.hint
    with pytest.raises(ExportError):
        dump(filled, "stories", "xlsx")


def test_empty_store_exports_valid_files(store):
    assert pq.read_table(io.BytesIO(dump(store, "figures", "parquet"))).num_rows == 0
    assert nx.read_gexf(io.BytesIO(dump(store, "copies", "gexf"))).number_of_nodes() == 0
