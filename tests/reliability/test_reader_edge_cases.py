"""Small reproducers of hostile inputs the fuzzed corpus found, one per failure mode.

Each input must end as stored articles or as one rejection with a reason; none
may stop the batch, and good records beside it must still be stored.
"""

from __future__ import annotations

import io
import time

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storywire.config import Settings
from storywire.ingest import read_sources
from storywire.ingest.dates import to_iso
from storywire.model import Article, Rejected
from storywire.pipeline import ingest

GOOD = '{"id": "good-1", "text": "The ferry resumed service on Monday after the storm, officials said."}\n'


def outcomes(path):
    return [(type(r).__name__, r.id if isinstance(r, Article) else r.reason) for r in read_sources([str(path)], Settings())]


def test_deeply_nested_json_is_one_rejection(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    out = outcomes(path)
    assert len(out) == 1 and out[0][0] == "Rejected"


def test_deeply_nested_jsonl_line_is_rejected_and_the_rest_read(tmp_path):
    path = tmp_path / "deep.jsonl"
    path.write_text('{"text": ' + "[" * 100_000 + "]" * 100_000 + "}\n" + GOOD)
    out = outcomes(path)
    assert [kind for kind, _ in out] == ["Rejected", "Article"]


def test_one_line_with_nul_bytes_does_not_lose_the_whole_jsonl_file(tmp_path):
    path = tmp_path / "nul.jsonl"
    path.write_text(GOOD + "\x00" * 10 + "\n" + GOOD.replace("good-1", "good-2"))
    out = outcomes(path)
    assert [kind for kind, _ in out] == ["Article", "Rejected", "Article"]


def test_lone_surrogate_in_a_json_record_does_not_stop_the_ingest(tmp_path, store):
    path = tmp_path / "surrogate.jsonl"
    path.write_text('{"id": "s-1", "text": "Hi\\ud800 there.", "lang": "en", "note": "\\udfff"}\n' + GOOD)
    report = ingest([str(path)], store, analyse=False)
    stored = {r[0] for r in store.query("SELECT id FROM articles")}
    assert "good-1" in stored
    assert report.counts["new"] + report.counts["failed"] == 2


def test_text_that_starts_utf16_and_goes_on_in_another_encoding(tmp_path):
    path = tmp_path / "mixed.txt"
    path.write_bytes("Caf\u00e9 owners protest new rules.\n".encode("utf-16") + "Stra\u00dfe closed.\n".encode("latin-1") * 3)
    out = outcomes(path)
    assert len(out) == 1  # one article, or one rejection: never an exception


@pytest.mark.parametrize("value", ["2023-01-01T00:00:00+99:00", "Mon, 01 Jan 2023 00:00:00 +9999"])
def test_dates_with_impossible_offsets_are_not_dates(value):
    assert to_iso(value) is None


@pytest.mark.parametrize("date", ["-1", "0000-00-00"])
def test_feed_with_a_year_out_of_range(tmp_path, date):
    """feedparser turns 0000-00-00 into year -1; the entry is kept without a date."""
    path = tmp_path / "old.atom"
    path.write_text('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>F</title>'
                    '<entry><title>T</title><link href="https://f.example/1"/><id>https://f.example/1</id>'
                    f"<updated>{date}</updated><summary>The council met on Tuesday to vote on the budget.</summary>"
                    "</entry></feed>")
    out = outcomes(path)
    assert [kind for kind, _ in out] == ["Article"]


def test_warc_response_with_unreadable_http_headers_is_reported(tmp_path):
    path = tmp_path / "broken.warc"
    path.write_bytes(b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://x.example/a\r\n"
                     b"Content-Length: 99999\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><p>cut")
    out = outcomes(path)
    assert len(out) == 1 and out[0][0] == "Rejected"


def test_warc_file_whose_responses_lack_the_http_status_line_is_reported(tmp_path):
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=False)
    page = b"<html><body><article><p>" + b"The harbour strike entered its third day. " * 20 + b"</p></article></body></html>"
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record("https://x.example/a", "response", payload=io.BytesIO(page),
                                                  http_headers=headers))
    path = tmp_path / "nostatus.warc"
    path.write_bytes(buf.getvalue().replace(b"HTTP/1.1 200 OK\r\n", b"", 1))
    out = outcomes(path)
    assert len(out) == 1  # stored, or one rejection naming the file: never nothing at all


def test_warc_record_cut_short_is_reported(tmp_path):
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=False)
    page = b"<html><body><article><p>" + b"The harbour strike entered its third day. " * 20 + b"</p></article></body></html>"
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record("https://x.example/a", "response", payload=io.BytesIO(page),
                                                  http_headers=headers))
    path = tmp_path / "cut.warc"
    path.write_bytes(buf.getvalue()[:-300])
    out = outcomes(path)
    assert len(out) == 1  # the cut record is stored (flagged) or rejected; never dropped silently


@pytest.mark.timeout(120)
def test_deeply_nested_html_is_handled_in_bounded_time(tmp_path):
    """Main-content extraction on a 20,000-deep tree is quadratic (minutes); the page must
    be refused or extracted quickly."""
    path = tmp_path / "deep.html"
    path.write_text("<html><body>" + "<div>" * 20_000 + "<p>The bridge reopened on Friday.</p>")
    started = time.monotonic()
    out = outcomes(path)
    assert len(out) == 1
    assert time.monotonic() - started < 30, "hang: see the fuzz report"


def test_feed_entity_expansion_is_not_expanded(tmp_path):
    """A 'billion laughs' DTD in a feed is never expanded into memory."""
    dtd = '<!DOCTYPE rss [<!ENTITY a "' + "x" * 100 + '">' + "".join(
        f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(8)) + "]>"
    path = tmp_path / "laughs.rss"
    path.write_text(f'<?xml version="1.0"?>{dtd}<rss version="2.0"><channel><title>&i;</title>'
                    "<item><title>T</title><link>https://f.example/1</link>"
                    "<description>The mayor opened the new school on Monday.</description></item></channel></rss>")
    out = list(read_sources([str(path)], Settings()))
    assert len(out) == 1
    if isinstance(out[0], Article):
        assert len(out[0].outlet or "") < 10_000
    else:
        assert isinstance(out[0], Rejected)
