"""Each kind of bad input gives exactly one Rejected with a reason naming the problem."""

from __future__ import annotations

import builtins
import json

from storywire.config import Settings
from storywire.ingest import read_sources
from storywire.model import Article, Rejected


def read(*paths, settings=None):
    return list(read_sources([str(p) for p in paths], settings or Settings()))


def test_binary_empty_whitespace_and_missing(tmp_path):
    (tmp_path / "a.bin").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.md").write_text("  \n\n \t\n")
    (tmp_path / "d.jsonl").write_bytes(b"\n\n")
    records = read(tmp_path, tmp_path / "nope.txt")
    assert all(isinstance(r, Rejected) for r in records) and len(records) == 5
    reasons = [r.reason for r in records]
    assert "binary" in reasons[0] and "empty" in reasons[1] and "empty" in reasons[2] and "empty" in reasons[3]
    assert reasons[4] == "no such file or folder"


def test_legacy_encodings_are_decoded_not_rejected(tmp_path):
    text = "Le député a déclaré : « Ça suffit ! » Les élèves étaient nombreux à l'école.\n"
    (tmp_path / "latin1.txt").write_bytes(text.encode("latin-1"))
    (tmp_path / "cp1252.txt").write_bytes("It’s “fine”, he said — 5 €.\n".encode("cp1252"))
    cp, latin = read(tmp_path)
    assert latin.raw_text == text and cp.raw_text == "It’s “fine”, he said — 5 €.\n"


def test_size_limits(tmp_path):
    (tmp_path / "big.txt").write_text("x " * 3000)
    (tmp_path / "big.jsonl").write_text(json.dumps({"text": "y " * 3000}) + "\n" + json.dumps({"text": "ok"}) + "\n")
    records = read(tmp_path, settings=Settings(max_file_bytes=1000))
    assert isinstance(records[0], Rejected) and "over the limit of 1,000 bytes" in records[0].reason
    assert records[0].source.endswith("big.jsonl#1")
    assert isinstance(records[1], Article) and records[1].raw_text == "ok"
    assert isinstance(records[2], Rejected) and "too large" in records[2].reason
    long_text = read(tmp_path / "big.txt", settings=Settings(max_article_chars=100))
    assert "over the limit of 100 characters" in long_text[0].reason


def test_malformed_json(tmp_path):
    (tmp_path / "a.json").write_text('{"text": "unterminated')
    (tmp_path / "b.jsonl").write_text('{"text": "ok"}\n[1, 2]\n{bad}\n')
    records = read(tmp_path)
    assert "not valid JSON at line 1" in records[0].reason
    assert isinstance(records[1], Article)
    assert records[2].source.endswith("b.jsonl#2") and "not an object" in records[2].reason
    assert records[3].source.endswith("b.jsonl#3") and "not valid JSON at line 3" in records[3].reason
    assert len(records) == 4


def test_unreadable_file(tmp_path, monkeypatch):
    """Root reads chmod-000 files, so the permission error is simulated."""
    secret = tmp_path / "secret.txt"
    secret.write_text("Secret text.")
    secret.chmod(0)
    real_open = builtins.open

    def deny(file, *args, **kwargs):
        if str(file) == str(secret):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", deny)
    (record,) = read(secret)
    assert record.source == str(secret) and record.reason == "permission denied: cannot read the file"


def test_html_without_text_is_rejected(tmp_path):
    (tmp_path / "cut.html").write_text("<html><head><title>Cut")
    (record,) = read(tmp_path / "cut.html")
    assert isinstance(record, Rejected) and "no article text" in record.reason
