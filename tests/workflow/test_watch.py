"""Watch mode against feeds and pages served on 127.0.0.1 by a server in a thread."""

import hashlib
import json
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner

from storywire.cli import main
from storywire.store import Store
from storywire.workflow.watch import (
    PoliteClient, WatchError, Watcher, WatchSettings, LRU, normalize_url, parse_interval, read_feed_list,
)

FAST = WatchSettings(every=3600, timeout=5, retries=1, backoff=0.01, host_delay=0.0)


def page(n: int) -> bytes:
    """An article page with its own invented text."""
    body = "".join(
        f"<p>Report {n}, part {i}: the river authority of district {n} said on day {n + i} that water levels "
        f"in the lower basin had changed by {n * 7 + i} centimetres, and that crews would inspect levee "
        f"section {n}-{i} before the weekend market opens.</p>"
        for i in range(4)
    )
    return (f"<html><head><title>River report {n}</title></head><body><article><h1>River report {n}</h1>"
            f"{body}</article></body></html>").encode()


def rss(*links: str) -> bytes:
    items = "".join(f"<item><title>{l}</title><link>{l}</link></item>" for l in links)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed</title>{items}</channel></rss>'.encode()


def atom(*links: str) -> bytes:
    entries = "".join(f'<entry><id>{l}</id><title>t</title><link href="{l}"/><updated>2026-01-01T00:00:00Z</updated>'
                      f"</entry>" for l in links)
    return (f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><id>x</id><title>A</title>'
            f"<updated>2026-01-01T00:00:00Z</updated>{entries}</feed>").encode()


def sitemap(*links: str) -> bytes:
    urls = "".join(f"<url><loc>{l}</loc></url>" for l in links)
    return f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode()


class Site:
    """What the test server serves; tests change it between polls."""

    def __init__(self):
        self.files: dict[str, tuple[str, bytes]] = {"/robots.txt": ("text/plain", b"User-agent: *\nDisallow: /private/\n")}
        self.fail: dict[str, list[int]] = {}  # path -> statuses to answer before serving the file
        self.log: list[tuple[str, dict, float]] = []
        self.lock = threading.Lock()

    def hits(self, path: str) -> int:
        return sum(1 for p, _, _ in self.log if p == path)


@pytest.fixture
def site():
    s = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            with s.lock:
                s.log.append((self.path, dict(self.headers), time.monotonic()))
                failing = s.fail.get(self.path)
                if failing:
                    self.send_response(failing.pop(0))
                    self.end_headers()
                    return
                if self.path not in s.files:
                    self.send_response(404)
                    self.end_headers()
                    return
                ctype, body = s.files[self.path]
            etag = '"' + hashlib.sha1(body).hexdigest()[:12] + '"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", formatdate(usegmt=True))
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    s.base = f"http://127.0.0.1:{server.server_port}"
    yield s
    server.shutdown()
    server.server_close()


def serve_pages(site, *numbers):
    for n in numbers:
        site.files[f"/news/{n}.html"] = ("text/html; charset=utf-8", page(n))


def watcher(db, feeds, settings=FAST):
    return Watcher(Store.open(db), feeds, settings, analyse=lambda store: {})


def test_each_new_item_is_ingested_once_across_polls_and_restarts(site, tmp_path):
    b = site.base
    serve_pages(site, 1, 2, 3, 4, 5)
    site.files["/rss.xml"] = ("application/rss+xml", rss(f"{b}/news/1.html", f"{b}/news/2.html"))
    # The same article from a second feed, with a tracking parameter.
    site.files["/atom.xml"] = ("application/atom+xml", atom(f"{b}/news/2.html?utm_source=atom", f"{b}/news/3.html"))
    site.files["/sitemap.xml"] = ("application/xml", sitemap(f"{b}/news/1.html"))
    feeds = [f"{b}/rss.xml", f"{b}/atom.xml", f"{b}/sitemap.xml"]
    db = tmp_path / "watch.db"

    w = watcher(db, feeds)
    first = w.cycle(force=True)
    assert first.counts["new"] == 3 and first.errors == []
    assert w.store.count_articles() == 3

    # The RSS feed gains an item; the others are unchanged and answer 304.
    site.files["/rss.xml"] = ("application/rss+xml", rss(f"{b}/news/4.html", f"{b}/news/1.html", f"{b}/news/2.html"))
    second = w.cycle(force=True)
    assert second.counts["new"] == 1 and second.not_modified == 2
    assert w.store.count_articles() == 4
    w.store.close()
    w.close()

    # Restart: the stored validators and items carry over.
    w = watcher(db, feeds)
    assert w.cycle(force=True).counts["new"] == 0
    site.files["/atom.xml"] = ("application/atom+xml", atom(f"{b}/news/5.html", f"{b}/news/3.html"))
    third = w.cycle(force=True)
    assert third.counts["new"] == 1 and third.not_modified == 2
    store = w.store

    assert store.count_articles() == 5
    for n in range(1, 6):
        assert site.hits(f"/news/{n}.html") + site.hits(f"/news/{n}.html?utm_source=atom") == 1
    assert site.hits("/robots.txt") == 2  # once per watcher process
    # Pages that name no outlet take their feed's title.
    assert {r[0] for r in store.query("SELECT DISTINCT outlet FROM articles")} <= {"Feed", "A"}
    # The article listed by two feeds (and the sitemap) is one article with several sources.
    two = store.query("SELECT article_id FROM watch_pages WHERE url = ?", (f"{b}/news/2.html",))[0][0]
    sources = {r[0] for r in store.query("SELECT source FROM article_sources WHERE article_id = ?", (two,))}
    assert {f"{b}/rss.xml", f"{b}/atom.xml"} <= sources
    one = store.query("SELECT article_id FROM watch_pages WHERE url = ?", (f"{b}/news/1.html",))[0][0]
    assert f"{b}/sitemap.xml" in {r[0] for r in store.query(
        "SELECT source FROM article_sources WHERE article_id = ?", (one,))}
    conditional = [h for p, h, _ in site.log if p == "/rss.xml"]
    assert "If-None-Match" not in conditional[0] and "If-None-Match" in conditional[-1]
    w.store.close()
    w.close()


def test_killed_watcher_resumes_from_stored_state(site, tmp_path, monkeypatch):
    b = site.base
    serve_pages(site, 1, 2)
    site.files["/rss.xml"] = ("application/rss+xml", rss(f"{b}/news/1.html", f"{b}/news/2.html"))
    db = tmp_path / "watch.db"
    w = watcher(db, [f"{b}/rss.xml"])

    def killed(*args, **kwargs):
        raise KeyboardInterrupt  # the process dies after polling the feed, before fetching pages

    monkeypatch.setattr(w, "_fetch_pending", killed)
    with pytest.raises(KeyboardInterrupt):
        w.cycle()
    w.store.close()

    w = watcher(db, [f"{b}/rss.xml"])
    report = w.cycle()  # the feed is not due again: only the pending pages are fetched
    assert report.feeds == 0 and report.counts["new"] == 2
    assert site.hits("/rss.xml") == 1
    w.store.close()


def test_robots_txt_is_honoured(site, tmp_path):
    b = site.base
    serve_pages(site, 1)
    site.files["/private/9.html"] = ("text/html", page(9))
    site.files["/rss.xml"] = ("application/rss+xml", rss(f"{b}/news/1.html", f"{b}/private/9.html"))
    w = watcher(tmp_path / "w.db", [f"{b}/rss.xml"])
    report = w.cycle(force=True)
    assert report.counts["new"] == 1 and report.counts["disallowed"] == 1
    assert site.hits("/private/9.html") == 0
    assert w.cycle(force=True).counts["disallowed"] == 0  # decided once, not asked again
    w.store.close()


def test_transient_errors_retry_with_backoff_and_permanent_ones_stop(site, tmp_path):
    b = site.base
    serve_pages(site, 1, 2)
    site.fail["/news/1.html"] = [503]  # one failure, then the page
    site.fail["/news/2.html"] = [503, 503, 503, 503]  # fails this cycle, retried next cycle
    site.files["/rss.xml"] = ("application/rss+xml", rss(f"{b}/news/1.html", f"{b}/news/2.html", f"{b}/news/404.html"))
    w = watcher(tmp_path / "w.db", [f"{b}/rss.xml"])
    report = w.cycle(force=True)
    assert report.counts["new"] == 1 and report.counts["retry"] == 1 and report.counts["failed"] == 1
    assert site.hits("/news/1.html") == 2 and site.hits("/news/2.html") == 2
    site.fail["/news/2.html"] = []
    again = w.cycle()
    assert again.counts["new"] == 1 and again.counts["failed"] == 0
    assert site.hits("/news/404.html") == 1  # a 404 is not asked again
    status = {r["url"]: r["status"] for r in w.store.query("SELECT url, status FROM watch_pages")}
    assert status[f"{b}/news/404.html"] == "failed" and status[f"{b}/news/2.html"] == "new"
    w.store.close()


def test_requests_to_one_host_are_spaced(site, tmp_path):
    b = site.base
    serve_pages(site, 1, 2, 3)
    site.files["/rss.xml"] = ("application/rss+xml", rss(*(f"{b}/news/{n}.html" for n in (1, 2, 3))))
    waits = []  # the client's sleeps, recorded instead of slept
    settings = WatchSettings(retries=0, host_delay=5.0)
    client = PoliteClient(settings, sleep=waits.append)
    w = Watcher(Store.open(tmp_path / "w.db"), [f"{b}/rss.xml"], settings, client=client, analyse=lambda s: {})
    assert w.cycle(force=True).counts["new"] == 3
    # robots.txt, then the feed and three pages, each after a pause of the host delay.
    assert len(waits) == 4 and all(4.5 < wait <= 5.0 for wait in waits)
    w.store.close()


def test_a_long_feed_is_taken_in_parts(site, tmp_path):
    b = site.base
    serve_pages(site, 1, 2, 3)
    site.files["/rss.xml"] = ("application/rss+xml", rss(*(f"{b}/news/{n}.html" for n in (1, 2, 3))))
    settings = WatchSettings(retries=0, host_delay=0, items_per_poll=2)
    w = watcher(tmp_path / "w.db", [f"{b}/rss.xml"], settings)
    assert w.cycle(force=True).counts["new"] == 2
    assert w.cycle(force=True).counts["new"] == 1  # not a 304: the feed was not read to its end
    assert w.cycle(force=True).not_modified == 1
    w.store.close()


def test_a_broken_feed_is_reported_and_polled_later(site, tmp_path):
    site.files["/bad.xml"] = ("application/xml", b"this is not a feed at all <<<")
    w = watcher(tmp_path / "w.db", [f"{site.base}/bad.xml"])
    report = w.cycle(force=True)
    assert report.errors and "not a feed" in report.errors[0]
    row = w.store.query("SELECT failures, last_error, next_poll FROM watch_feeds")[0]
    assert row["failures"] == 1 and row["next_poll"]
    w.store.close()


def test_caches_stay_bounded():
    lru = LRU(3)
    for i in range(100):
        lru.put(i, i)
    assert list(lru) == [97, 98, 99]
    client = PoliteClient(WatchSettings(hosts_cached=2))
    for port in range(10):
        client._last.put(f"h{port}", 0.0)
    assert len(client._last) == 2
    client.close()


def test_options_and_feed_lists(tmp_path):
    assert parse_interval("15m") == 900 and parse_interval("2h") == 7200 and parse_interval("45") == 45
    with pytest.raises(WatchError):
        parse_interval("soon")
    listing = tmp_path / "feeds.txt"
    listing.write_text("# my feeds\nhttps://example.org/rss\n\nhttp://example.net/sitemap.xml  # sitemap\n")
    assert read_feed_list(listing) == ["https://example.org/rss", "http://example.net/sitemap.xml"]
    listing.write_text("file:///etc/passwd\n")
    with pytest.raises(WatchError) as err:
        read_feed_list(listing)
    assert err.value.hint
    assert normalize_url("HTTP://Example.org/a?utm_source=x&id=3#top") == "http://example.org/a?id=3"


def test_watch_command_once(site, tmp_path):
    serve_pages(site, 1)
    site.files["/rss.xml"] = ("application/rss+xml", rss(f"{site.base}/news/1.html"))
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"{site.base}/rss.xml\n")
    args = ["watch", str(feeds), "--once", "--host-delay", "0", "--no-analyse", "--db", str(tmp_path / "w.db")]
    out = CliRunner().invoke(main, [*args, "--json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["counts"]["new"] == 1
    out = CliRunner().invoke(main, args)
    assert "0 new" in out.output and "(1 unchanged)" in out.output
