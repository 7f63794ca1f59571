"""`storywire serve` and `storywire demo`, run as a person would from a shell."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import httpx
import pytest
from click.testing import CliRunner
from storyfixture import build

from storywire.cli import main
from storywire.store import Store


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_answers_on_its_port_and_stops(tmp_path):
    db = tmp_path / "served.db"
    with Store.open(db) as store:
        build(store)
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "storywire", "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        first_line = proc.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in first_line
        deadline = time.monotonic() + 20
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).json()
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and proc.poll() is None, "server did not come up"
                time.sleep(0.2)
        assert health["counts"]["stories"] == 2
        r = httpx.post(f"http://127.0.0.1:{port}/api/ingest", json={"articles": [{"text": "x"}]})
        assert r.status_code == 403  # read-only without --allow-ingest
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.slow
def test_demo_ingests_the_sample_corpus_and_summarises(tmp_path):
    pytest.importorskip("storywire.samples")
    db = tmp_path / "demo.db"
    result = CliRunner().invoke(main, ["demo", "--db", str(db), "--no-serve"])
    assert result.exit_code == 0, result.output
    assert "sample corpus" in result.output and "copies found" in result.output
    with Store.open(db, readonly=True) as store:
        assert store.count_articles() >= 30
        copies = store.query("SELECT count(*) FROM copy_pairs WHERE verdict IN ('copy', 'partial')")[0][0]
    assert f"{copies} copies found" in result.output
    again = CliRunner().invoke(main, ["demo", "--db", str(db), "--no-serve"])
    assert "0 new" in again.output  # a second run adds nothing
