"""The core CLI end to end, in-process: the bad-input batch, re-runs, listings as JSON.

Tests run as root, for whom ``chmod 000`` changes nothing; the unreadable
folder is therefore also simulated by making ``os.scandir`` raise
PermissionError for it (the folder is chmod-ed too, so a non-root run sees the
real thing).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from storywire.cli import main

ENGLISH = (
    "Flood waters rise in Riverton\n\n"
    "Heavy rain caused the river to burst its banks on Monday, the mayor said. "
    "Two hundred homes were evacuated before dawn.\n\n"
    "Rescue teams worked through the night and no injuries were reported."
)
FRENCH = (
    "Grève des cheminots à Lyon\n\n"
    "Les cheminots de la région ont cessé le travail mardi matin, a indiqué le syndicat. "
    "Les trains régionaux sont à l'arrêt jusqu'à nouvel ordre, selon la direction.\n"
)
SPANISH_CP1252 = (
    "Subida del precio del pan\n\n"
    "El precio del pan subió un 12 % en “solo” tres meses, según la asociación de panaderos. "
    "Un kilo cuesta ahora 3,20 €, dijo su portavoz.\n"
)
PAGE = (
    "<!doctype html><html><head><title>Bridge reopens in Eastport</title></head><body>"
    "<article><h1>Bridge reopens in Eastport</h1>"
    "<p>The old bridge over the harbour reopened on Friday after two years of repairs, the city council said.</p>"
    "<p>Traffic is expected to return to normal within a week, officials added.</p></article>"
)


def bad_batch(root: Path) -> tuple[list[str], dict[str, str]]:
    """Files of the bad-input batch; returns (good ids, {bad source: expected reason word})."""
    root.mkdir()
    (root / "flood.txt").write_text(ENGLISH, encoding="utf-8")
    (root / "strike-latin1.txt").write_bytes(FRENCH.encode("latin-1"))
    (root / "bread-cp1252.txt").write_bytes(SPANISH_CP1252.encode("cp1252"))
    (root / "bridge.html").write_text(PAGE + "</body></html>", encoding="utf-8")
    (root / "bridge-cut.html").write_text(PAGE[: PAGE.index("<p>Traffic") + 20], encoding="utf-8")
    (root / "head-cut.html").write_text(PAGE[:60], encoding="utf-8")
    (root / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    (root / "empty.txt").write_bytes(b"")
    lines = [
        json.dumps({"id": "wire-1", "title": "Port strike ends", "text": "Dock workers returned to work on Sunday, the union said."}),
        '{"id": "wire-2", "text": "cut off',
        json.dumps({"id": "wire-3", "title": "No body here"}),
        json.dumps({"title": "Harvest up", "text": "Farmers reported a record wheat harvest this year, the ministry said."}),
    ]
    (root / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with open(root / "huge.txt", "wb") as f:  # just over the 50 MB default limit
        chunk = (b"All work and no play makes a dull report. " * 25 + b"\n") * 1000
        while f.tell() <= 50 * 1024 * 1024:
            f.write(chunk)
    locked = root / "locked"
    locked.mkdir()
    (locked / "secret.txt").write_text(ENGLISH, encoding="utf-8")
    locked.chmod(0)
    good = ["flood", "strike-latin1", "bread-cp1252", "bridge", "bridge-cut", "wire-1", "wire-4"]
    bad = {
        str(root / "head-cut.html"): "no article text",
        str(root / "image.txt"): "binary",
        str(root / "empty.txt"): "empty",
        f"{root / 'wire.jsonl'}#2": "not valid JSON at line 2",
        f"{root / 'wire.jsonl'}#3": "no text",
        str(root / "huge.txt"): "too large",
        str(locked): "permission denied",
    }
    return good, bad


@pytest.fixture
def batch(tmp_path, monkeypatch):
    good, bad = bad_batch(tmp_path / "in")
    locked = tmp_path / "in" / "locked"
    real_scandir = os.scandir

    def scandir(path="."):
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    yield tmp_path / "in", good, bad
    locked.chmod(0o755)


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_bad_input_batch(batch, tmp_path):
    root, good, bad = batch
    db = tmp_path / "sw.db"
    result = run("ingest", root, "--db", db, "--no-analyse", "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["counts"] == {"new": len(good), "updated": 0, "duplicate": 0, "failed": len(bad)}
    failures = {f["source"]: f["reason"] for f in report["failures"]}
    assert len(report["failures"]) == len(failures) == len(bad)  # each bad input once
    for source, word in bad.items():
        assert word in failures[source], (source, failures.get(source))

    listed = json.loads(run("articles", "--db", db, "--json").stdout)
    assert sorted(a["id"] for a in listed) == sorted(good)
    strike = json.loads(run("show", "strike-latin1", "--db", db, "--json").stdout)
    assert "à l'arrêt jusqu'à nouvel ordre" in strike["clean_text"] and strike["language"] == "fr"
    bread = json.loads(run("show", "bread-cp1252", "--db", db, "--json").stdout)
    assert 'en "solo" tres meses' in bread["clean_text"] and "3,20 €" in bread["clean_text"]
    cut = json.loads(run("show", "bridge-cut", "--db", db, "--json").stdout)
    assert cut["extra"]["truncated"] is True and "Traffic is" in cut["clean_text"]


def test_failures_are_printed_once_with_file_and_reason(batch, tmp_path):
    root, _, bad = batch
    result = run("ingest", root, "--db", tmp_path / "sw.db", "--no-analyse")
    assert result.exit_code == 1
    for source in bad:
        printed = [ln for ln in result.output.splitlines() if ln.startswith(f"failed: {source}: ")]
        assert len(printed) == 1, source


def test_rerun_adds_nothing_twice(batch, tmp_path):
    root, good, bad = batch
    db = tmp_path / "sw.db"
    run("ingest", root, "--db", db, "--no-analyse")
    again = json.loads(run("ingest", root, "--db", db, "--no-analyse", "--json").stdout)
    assert again["counts"] == {"new": 0, "updated": 0, "duplicate": len(good), "failed": len(bad)}
    assert len(json.loads(run("articles", "--db", db, "--json").stdout)) == len(good)


def test_ok_batch_exits_zero_and_search_finds_it(tmp_path):
    (tmp_path / "flood.txt").write_text(ENGLISH, encoding="utf-8")
    db = tmp_path / "sw.db"
    result = run("ingest", tmp_path / "flood.txt", "--db", db, "--no-analyse")
    assert result.exit_code == 0, result.output
    assert "1 new" in result.output
    hits = json.loads(run("search", "evacuated", "--db", db, "--json").stdout)
    assert [h["id"] for h in hits] == ["flood"]
    shown = run("show", "flood", "--db", db)
    assert "Flood waters rise in Riverton" in shown.output and "Rescue teams" in shown.output


def test_field_mapping_option(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps({"key": "k1", "body": "The council approved the new budget on Tuesday."}) + "\n")
    db = tmp_path / "sw.db"
    result = run("ingest", path, "--db", db, "--no-analyse", "--field", "id=key", "--field", "text=body")
    assert result.exit_code == 0, result.output
    assert json.loads(run("show", "k1", "--db", db, "--json").stdout)["clean_text"].startswith("The council")
    assert run("ingest", path, "--db", db, "--field", "nonsense").exit_code == 2
    assert run("ingest", path, "--db", db, "--field", "colour=red").exit_code == 2
