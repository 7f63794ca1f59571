"""The HTTP API over the fixture stories: lists, filters, details, errors, pagination, ingest switch."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from storyfixture import HOSTILE_OUTLET, HOSTILE_TAIL, HOSTILE_TITLE

from storywire.api.app import create_app
from storywire.api.queries import MAX_LIMIT


def test_health_counts_what_is_stored(client):
    body = client.get("/api/health").json()
    assert body["status"] == "ok"
    assert body["counts"]["articles"] == 5 and body["counts"]["stories"] == 2
    assert "0002_analysis.sql" in body["migrations"]


def test_articles_filter_and_paginate(client):
    assert [a["id"] for a in client.get("/api/articles", params={"language": "fr"}).json()["items"]] == ["f1"]
    story = client.get("/api/articles", params={"story": "s-harbour", "limit": 2}).json()
    assert [a["id"] for a in story["items"]] == ["h1", "f1"] and story["next_offset"] == 2
    rest = client.get("/api/articles", params={"story": "s-harbour", "limit": 2, "offset": 2}).json()
    assert [a["id"] for a in rest["items"]] == ["c1", "w1"] and rest["next_offset"] is None
    dated = client.get("/api/articles", params={"since": "2025-03-01", "until": "2025-03-03T23:59"}).json()
    assert {a["id"] for a in dated["items"]} == {"w1", "c1"}
    assert client.get("/api/articles", params={"outlet": "Tagesblatt"}).json()["items"][0]["id"] == "b1"


def test_article_detail_links_its_copies_and_story(client):
    body = client.get("/api/articles/c1").json()
    assert body["story"] == {"id": "s-harbour", "title": "Storm hits Kelport harbour"}
    assert [(c["other"], c["role"], c["verdict"]) for c in body["copies"]] == [("w1", "copy", "copy")]
    assert {m["text"] for m in body["actors"]} == {"Ilse Brant", "Kelport"}
    source = client.get("/api/articles/w1").json()
    assert {(c["other"], c["role"]) for c in source["copies"]} == {("c1", "source"), ("h1", "source"), ("f1", "unknown")}


def test_stories_newest_or_biggest_first_with_filters_and_search(client):
    recent = client.get("/api/stories").json()["items"]
    assert [s["id"] for s in recent] == ["s-harbour", "s-budget"]
    assert recent[0]["languages"] == ["en", "fr"] and "Daily Echo" in recent[0]["outlets"]
    assert [s["id"] for s in client.get("/api/stories", params={"sort": "size"}).json()["items"]][0] == "s-harbour"
    assert [s["id"] for s in client.get("/api/stories", params={"language": "de"}).json()["items"]] == ["s-budget"]
    assert [s["id"] for s in client.get("/api/stories", params={"outlet": "Le Courrier"}).json()["items"]] == ["s-harbour"]
    # Full text: a word only in an article's text, and a word only in a story title.
    assert [s["id"] for s in client.get("/api/stories", params={"q": "Haushalt"}).json()["items"]] == ["s-budget"]
    assert [s["id"] for s in client.get("/api/stories", params={"q": "budget"}).json()["items"]] == ["s-budget"]
    assert client.get("/api/stories", params={"q": "100%_"}).json()["items"] == []
    assert [s["id"] for s in client.get("/api/stories", params={"until": "2025-02-28"}).json()["items"]] == ["s-budget"]


def test_story_detail_has_timeline_graph_actors_quotes_figures(client):
    body = client.get("/api/stories/s-harbour").json()
    assert body["articles_total"] == 4
    assert [lane["outlet"] for lane in body["timeline"]] == ["Coast Wire", "Daily Echo", "Le Courrier", HOSTILE_OUTLET]
    edges = {(e["source"], e["copy"], e["verdict"]) for e in body["copy_graph"]["edges"]}
    assert edges == {("w1", "c1", "copy"), ("w1", "h1", "partial")}
    assert {n["id"] for n in body["copy_graph"]["nodes"]} == {"w1", "c1", "h1"}
    brandt = next(a for a in body["actors"] if a["id"] == "a-brandt")
    assert brandt["variants"] == ["Ilse Brandt", "Ilse Brant"] and brandt["articles"] == 3
    assert len(body["quotes"]) == 1 and len(body["quotes"][0]["quotes"]) == 3
    killed = next(f for f in body["figures"] if f["what"] == "killed")
    assert killed["disagreement"] and [c["outlet"] for c in killed["by_outlet"] if c["disagrees"]] == ["Daily Echo"]


def test_compare_endpoint_matches_the_library(client, fixture_db):
    from storywire.compare import compare_story
    from storywire.store import Store

    body = client.get("/api/stories/s-harbour/compare").json()
    with Store.open(fixture_db, readonly=True) as store:
        assert body == compare_story(store, "s-harbour").to_dict()
    assert [(s["source"], s["copy"]) for s in body["substitutions"]] == [("storm", "flood"), ("Brandt", "Brant"), ("12", "14")]


def test_actors_and_copies(client):
    actors = client.get("/api/actors").json()["items"]
    assert [a["id"] for a in actors] == ["a-kelport", "a-brandt"]
    # A spelling variant finds its actor.
    assert [a["id"] for a in client.get("/api/actors", params={"q": "brant"}).json()["items"]] == ["a-brandt"]
    actor = client.get("/api/actors/a-brandt").json()
    assert {v["text"]: v["outlets"] for v in actor["variants"]} == {
        "Ilse Brandt": ["Coast Wire", "Le Courrier"], "Ilse Brant": ["Daily Echo"]}
    assert [s["id"] for s in actor["stories"]] == ["s-harbour"]
    copies = client.get("/api/copies", params={"verdict": "copy"}).json()["items"]
    assert [(c["a"], c["b"]) for c in copies] == [("c1", "w1")]
    pair = client.get("/api/copies/pair", params={"a": "c1", "b": "w1"}).json()
    assert pair["source"]["id"] == "w1" and pair["copy"]["id"] == "c1"
    marked = [s["text"] for s in pair["copy_segments"] if s["op"] == "replace"]
    assert marked == ["flood", "Brant", "14"]
    assert "".join(s["text"] for s in pair["source_segments"]).startswith("A storm hit")


def test_search_returns_articles_stories_and_actors(client):
    body = client.get("/api/search", params={"q": "Kelport"}).json()
    assert {a["id"] for a in body["articles"]["items"]} == {"w1", "c1", "f1", "h1", "b1"}
    assert {s["id"] for s in body["stories"]} == {"s-harbour", "s-budget"}
    assert [a["id"] for a in body["actors"]] == ["a-kelport"]


def test_errors_are_json_with_a_message(client):
    for url in ("/api/stories/nope", "/api/articles/nope", "/api/actors/nope", "/api/stories/nope/compare"):
        r = client.get(url)
        assert r.status_code == 404, url
        assert "nope" in r.json()["error"]["message"] and r.json()["error"]["hint"]
    r = client.get("/api/articles", params={"limit": MAX_LIMIT + 1})
    assert r.status_code == 422 and "limit" in r.json()["error"]["message"]
    assert client.get("/api/articles", params={"offset": -1}).status_code == 422
    assert client.get("/api/stories", params={"since": "yesterday"}).status_code == 422
    assert client.get("/api/copies/pair", params={"a": "w1", "b": "b1"}).status_code == 404
    assert client.get("/api/nowhere").json()["error"]["status"] == 404


def test_hostile_content_comes_back_as_stored_text(client):
    body = client.get("/api/articles/h1").json()
    assert body["title"] == HOSTILE_TITLE and body["outlet"] == HOSTILE_OUTLET
    assert HOSTILE_TAIL in body["clean_text"]
    assert client.get("/api/articles/h1").headers["content-type"].startswith("application/json")
    # SQL in a filter is a value, not SQL.
    assert client.get("/api/articles", params={"outlet": "x' OR '1'='1"}).json()["items"] == []
    assert client.get("/api/search", params={"q": "DROP TABLE articles"}).json()["articles"]["items"][0]["id"] == "h1"
    assert client.get("/api/health").json()["counts"]["articles"] == 5


def test_ingest_is_refused_unless_enabled(client):
    r = client.post("/api/ingest", json={"articles": [{"text": "Some words."}]})
    assert r.status_code == 403 and "--allow-ingest" in r.json()["error"]["hint"]


@pytest.mark.slow
def test_ingest_runs_the_pipeline_when_enabled(tmp_path):
    with TestClient(create_app(tmp_path / "in.db", allow_ingest=True)) as c:
        text = "The council of Kelport voted on Tuesday to rebuild the harbour wall before winter storms."
        r = c.post("/api/ingest", json={"articles": [
            {"id": "p1", "text": text, "title": "Harbour wall vote", "outlet": "Posted Daily",
             "published": "2025-03-05T10:00:00Z", "url": "https://posted.example/p1"}]})
        assert r.status_code == 200, r.text
        assert r.json()["counts"]["new"] == 1
        article = c.get("/api/articles/p1").json()
        assert article["outlet"] == "Posted Daily" and "rebuild the harbour wall" in article["clean_text"]
        assert c.post("/api/ingest", json={"articles": []}).status_code == 422


def test_security_headers(client):
    headers = client.get("/").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
