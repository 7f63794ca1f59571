"""One test group per reader, on small inline fixtures."""

from __future__ import annotations

import io
import json
import tracemalloc

import httpx
import pytest

from storywire.config import Settings
from storywire.ingest import read_sources, web
from storywire.ingest.dates import to_iso
from storywire.ingest.ids import id_from_url
from storywire.model import Rejected

TEXT = "Storm hits the coast\n\nA strong storm hit the coast on Monday, forecasters said.\n"
PAGE = (
    "<html><head><title>Storm hits the coast | Coast Daily</title>"
    '<link rel="canonical" href="https://coast.example/news/storm-hits">'
    '<meta property="og:site_name" content="Coast Daily">'
    '<meta property="article:published_time" content="2024-03-05T10:00:00Z"></head>'
    "<body><nav>Home | World | Sport</nav><article><h1>Storm hits the coast</h1>"
    "<p>A strong storm hit the coast on Monday, forecasters said. Thousands of homes lost power.</p>"
    "<p>Schools will stay closed on Tuesday, the regional authority announced.</p></article></body></html>"
)
RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>Coast Daily</title>
<item><title>Storm hits the coast</title><link>https://coast.example/news/storm</link>
<guid>https://coast.example/news/storm</guid><pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate>
<description>&lt;p&gt;A strong storm hit the coast on Monday.&lt;/p&gt;</description></item>
<item><title>Empty</title><link>https://coast.example/news/empty</link></item>
</channel></rss>"""


def read(*paths, settings=None):
    return list(read_sources([str(p) for p in paths], settings or Settings()))


def test_text_and_markdown_keep_the_stem_as_id(tmp_path):
    (tmp_path / "storm.txt").write_text(TEXT)
    (tmp_path / "b.md").write_text("---\ntitle: Front title\ndate: 2024-03-05\nsource: Coast Daily\n---\n" + TEXT)
    a, b = read(tmp_path)
    assert (a.id, a.source_path) == ("b", str(tmp_path / "b.md"))
    assert (b.id, b.raw_text) == ("storm", TEXT)
    assert (a.title, a.published, a.outlet, a.raw_text) == ("Front title", "2024-03-05", "Coast Daily", TEXT)


def test_folders_are_sorted_recursive_and_skip_hidden_files(tmp_path):
    for name in ["b/z.txt", "a.txt", ".hidden.txt", ".git/x.txt", "b/c.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(TEXT)
    assert [r.id for r in read(tmp_path)] == ["a", "c", "z"]


def test_html_page_gives_text_and_metadata(tmp_path):
    (tmp_path / "page.html").write_text(PAGE)
    (a,) = read(tmp_path / "page.html")
    assert a.id == "page" and a.title == "Storm hits the coast" and a.outlet == "Coast Daily"
    assert a.url == "https://coast.example/news/storm-hits" and a.published == "2024-03-05"
    assert "Thousands of homes lost power." in a.raw_text and "Home | World" not in a.raw_text


def test_jsonl_records_ids_dates_and_mapping(tmp_path):
    path = tmp_path / "wire.jsonl"
    rows = [{"id": 7, "text": "First.", "date": 1709632800, "source": {"name": "Wire"}, "lang": "en-GB"},
            {"body": "Second.", "published": "Tue, 05 Mar 2024 10:00:00 GMT", "link": "https://w.example/2"}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n")
    first, second = read(path)
    assert (first.id, first.outlet, first.language, first.source_path) == ("7", "Wire", "en-GB", f"{path}#1")
    assert first.published == "2024-03-05T10:00:00+00:00"
    assert (second.id, second.raw_text, second.url) == ("wire-2", "Second.", "https://w.example/2")
    mapped = read(path, settings=Settings(extra={"fields": {"text": "body"}}))
    assert isinstance(mapped[0], Rejected) and "no text" in mapped[0].reason and mapped[1].raw_text == "Second."


def test_json_file_with_list_under_articles(tmp_path):
    path = tmp_path / "dump.json"
    path.write_text(json.dumps({"articles": [{"title": "T", "content": "<p>Hello <b>there</b>.</p>"}]}))
    (a,) = read(path)
    assert (a.id, a.raw_text, a.title) == ("dump-1", "Hello there.", "T")


def test_jsonl_is_streamed_in_constant_memory(tmp_path):
    path = tmp_path / "big.jsonl"
    row = json.dumps({"text": "word " * 1000}) + "\n"
    with open(path, "w") as f:
        for _ in range(2000):  # about 10 MB
            f.write(row)
    tracemalloc.start()
    count = sum(1 for _ in read_sources([str(path)], Settings(max_file_bytes=1024 * 1024)))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert count == 2000 and peak < 2 * 1024 * 1024


def test_feed_entries(tmp_path):
    (tmp_path / "coast.rss").write_text(RSS)
    a, b = read(tmp_path / "coast.rss")
    assert a.id == id_from_url("https://coast.example/news/storm") and a.outlet == "Coast Daily"
    assert a.raw_text == "A strong storm hit the coast on Monday." and a.published == "2024-03-05T10:00:00+00:00"
    assert isinstance(b, Rejected) and b.source.endswith("coast.rss#2") and "no text" in b.reason


def test_warc_html_responses(tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for url, ctype, body in [("https://coast.example/storm", "text/html; charset=utf-8", PAGE.encode()),
                                 ("https://coast.example/logo.png", "image/png", b"\x89PNG")]:
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                          http_headers=headers))
    (a,) = read(path)
    assert a.title == "Storm hits the coast" and a.source_path.startswith(f"{path}#")
    assert a.id == id_from_url("https://coast.example/storm")


def test_urls_pages_feeds_and_errors(monkeypatch):
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/feed":
            return httpx.Response(200, text=RSS, headers={"content-type": "application/rss+xml"})
        if request.url.path == "/storm":
            return httpx.Response(200, text=PAGE, headers={"content-type": "text/html; charset=utf-8"})
        return httpx.Response(404)

    monkeypatch.setattr(web, "client", lambda: httpx.Client(transport=httpx.MockTransport(handler)))
    records = read("https://coast.example/storm", "https://coast.example/feed", "https://coast.example/gone")
    assert [type(r).__name__ for r in records] == ["Article", "Article", "Rejected", "Rejected"]
    assert records[0].id == id_from_url("https://coast.example/storm")
    assert records[3].source == "https://coast.example/gone" and "HTTP 404" in records[3].reason


@pytest.mark.parametrize("value, iso", [
    ("2024-03-05", "2024-03-05"),
    ("2024-03-05T10:00:00Z", "2024-03-05T10:00:00+00:00"),
    ("Tue, 05 Mar 2024 10:00:00 GMT", "2024-03-05T10:00:00+00:00"),
    ("March 5, 2024", "2024-03-05"),
    ("5 mars 2024", "2024-03-05"),
    ("5 de marzo de 2024", "2024-03-05"),
    ("05.03.2024, 09:30", "2024-03-05T09:30:00"),
    (1709632800000, "2024-03-05T10:00:00+00:00"),
    ("yesterday", None),
])
def test_dates_to_iso(value, iso):
    assert to_iso(value) == iso


def test_ids_from_urls_are_readable_and_distinct():
    a = id_from_url("https://example.org/world/123-big-fire.html")
    assert a.startswith("123-big-fire-") and a != id_from_url("https://example.org/world/123-big-fire.html?p=2")
