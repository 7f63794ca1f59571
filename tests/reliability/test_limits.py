"""Configured limits are enforced with clear reasons: file size, article size, batch size,
and the server's request body size (413)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from storywire.api.app import create_app
from storywire.config import Settings
from storywire.ingest import read_sources
from storywire.limits import LimitBody
from storywire.model import Rejected
from storywire.pipeline import ingest

TEXT = "The council approved the new budget for the harbour on Tuesday evening. "


def rejections(sources, settings):
    return [r for r in read_sources([str(s) for s in sources], settings) if isinstance(r, Rejected)]


@pytest.mark.parametrize("suffix", [".txt", ".html", ".json", ".rss"])
def test_files_over_max_file_bytes_are_rejected_with_the_limit(tmp_path, suffix):
    path = tmp_path / f"big{suffix}"
    path.write_text("<p>" + TEXT * 100 + "</p>")
    [r] = rejections([path], Settings(max_file_bytes=1000))
    assert "limit" in r.reason and "1,000" in r.reason


def test_jsonl_lines_over_the_limit_are_rejected_one_by_one(tmp_path):
    path = tmp_path / "lines.jsonl"
    path.write_text(json.dumps({"id": "ok", "text": TEXT}) + "\n" + json.dumps({"id": "big", "text": TEXT * 50}) + "\n")
    out = list(read_sources([str(path)], Settings(max_file_bytes=1000)))
    assert [type(r).__name__ for r in out] == ["Article", "Rejected"]
    assert "limit" in out[1].reason


def test_warc_records_over_the_limit_are_reported(tmp_path):
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=False)
    page = ("<html><body><article><p>" + TEXT * 100 + "</p></article></body></html>").encode()
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record("https://x.example/big", "response", payload=io.BytesIO(page),
                                                  http_headers=headers))
    path = tmp_path / "big.warc"
    path.write_bytes(buf.getvalue())
    out = list(read_sources([str(path)], Settings(max_file_bytes=2000)))
    assert len(out) == 1 and isinstance(out[0], Rejected), out  # never stored cut, never dropped silently


def test_articles_over_max_article_chars_are_rejected(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text(TEXT * 20)
    [r] = rejections([path], Settings(max_article_chars=500))
    assert "500" in r.reason and "limit" in r.reason


def test_batch_size_sets_the_articles_per_transaction(tmp_path, store):
    path = tmp_path / "many.jsonl"
    path.write_text("".join(json.dumps({"id": f"a{i}", "text": f"{TEXT} Item {i} of the list."}) + "\n"
                            for i in range(10)))
    sizes = []
    original = store.save_article
    transaction = store.transaction

    def counting():
        sizes.append(0)
        return transaction()

    def save(article):
        sizes[-1] += 1
        return original(article)

    store.transaction, store.save_article = counting, save
    ingest([str(path)], store, Settings(batch_size=3), analyse=False)
    assert [n for n in sizes if n] == [3, 3, 3, 1]


def test_cli_limits_give_clear_messages(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text(TEXT * 20)
    env = {**os.environ, "STORYWIRE_MAX_ARTICLE_CHARS": "200"}
    done = subprocess.run([sys.executable, "-m", "storywire", "ingest", str(path), "--db", str(tmp_path / "x.db"),
                           "--no-analyse"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "over the limit of 200 characters" in done.stderr


def echo_app(max_bytes: int) -> FastAPI:
    app = FastAPI()

    @app.post("/echo")
    async def echo(request: Request):
        return {"bytes": len(await request.body())}

    app.add_middleware(LimitBody, max_bytes=max_bytes)
    return app


def test_limit_body_refuses_declared_and_streamed_bodies():
    with TestClient(echo_app(1000)) as client:
        assert client.post("/echo", content=b"x" * 1000).json() == {"bytes": 1000}
        r = client.post("/echo", content=b"x" * 1001)
        assert r.status_code == 413 and "1,000" in r.json()["error"]["message"]
        chunks = (b"x" * 300 for _ in range(10))  # no Content-Length: counted as it arrives
        r = client.post("/echo", content=chunks)
        assert r.status_code == 413
        assert client.post("/echo", content=b"x" * 10).status_code == 200


@pytest.mark.parametrize("allow_ingest", [False, True])
def test_server_refuses_oversized_bodies(tmp_path, allow_ingest):
    """A 40 MB POST is refused with 413 before it is read and parsed whole."""
    with TestClient(create_app(tmp_path / "x.db", allow_ingest=allow_ingest)) as client:
        body = json.dumps({"articles": [], "padding": "x" * 40_000_000})
        r = client.post("/api/ingest", content=body, headers={"content-type": "application/json"})
        assert r.status_code == 413
