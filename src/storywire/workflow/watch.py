"""Watch mode: poll RSS/Atom feeds and sitemaps, ingest the new articles.

One poll cycle:

1. every feed that is due is fetched with a conditional GET (its ETag and
   Last-Modified are stored); item URLs it lists for the first time are
   recorded as *pending pages* in the same transaction as the new validators;
2. pending pages are fetched (robots.txt honoured, one request per host at a
   time with a polite delay, timeouts, retries with backoff), extracted by the
   HTML reader of :mod:`storywire.ingest`, cleaned and stored; a page whose
   text is already stored (same URL or same content) becomes one more source of
   that article rather than a new article;
3. the analysis stages run on what is new.

All state lives in the store (``watch_feeds``, ``watch_items``,
``watch_pages``), so a killed watcher resumes where it stopped and memory stays
flat however long it runs: the only caches (robots.txt per host, last request
per host) are bounded.
"""

from __future__ import annotations

import logging
import re
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterator
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

import feedparser
import httpx
from lxml import etree

import storywire

from ..config import Settings
from ..engine.local import LocalEngine
from ..errors import InputError, StorywireError
from ..model import Article, Rejected, content_hash
from ..store import Store, now

log = logging.getLogger(__name__)

USER_AGENT = f"storywire/{storywire.__version__} (news monitoring; honours robots.txt)"
_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref|cmpid|at_medium|at_campaign)$", re.I)
_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$", re.I)


class WatchError(StorywireError):
    """A feed list or watch option that cannot be used."""


class FetchError(Exception):
    """A request that failed; ``permanent`` when retrying later cannot help."""

    def __init__(self, message: str, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


@dataclass
class WatchSettings:
    every: float = 900.0  # seconds between two polls of one feed
    timeout: float = 15.0  # seconds per request
    retries: int = 3  # extra tries after a transient failure (network, 429, 5xx)
    backoff: float = 2.0  # seconds before the first retry; doubles each time
    host_delay: float = 1.0  # at least this many seconds between requests to one host
    max_page_attempts: int = 5  # cycles a failing page is retried before giving up
    pages_per_cycle: int = 500  # pending pages fetched per cycle, at most
    items_per_poll: int = 2000  # new items taken from one feed per poll; the rest wait for the next poll
    max_bytes: int = 10 * 1024 * 1024  # largest feed or page read
    robots_ttl: float = 24 * 3600.0  # seconds a host's robots.txt is trusted
    hosts_cached: int = 1024  # hosts whose robots.txt and last request are kept in memory
    user_agent: str = USER_AGENT


def parse_interval(text: str) -> float:
    """'15m' -> 900.0; units s, m, h, d; a bare number is seconds."""
    m = _INTERVAL.match(text)
    if not m or float(m.group(1)) <= 0:
        raise WatchError(f"cannot read the interval {text!r}", hint="write e.g. 90s, 15m, 2h or 1d")
    return float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2).lower()]


def read_feed_list(path: str | Path) -> list[str]:
    """Feed and sitemap URLs from a file: one per line, ``#`` starts a comment."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise WatchError(f"cannot read the feed list {path}: {exc.strerror or exc}",
                         hint="pass a text file with one feed or sitemap URL per line") from exc
    urls = []
    for n, line in enumerate(lines, 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = urlsplit(line)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise WatchError(f"{path}:{n}: {line!r} is not an http(s) URL",
                             hint="each line must be a feed or sitemap URL such as https://example.org/rss")
        urls.append(line)
    if not urls:
        raise WatchError(f"no feed URLs in {path}", hint="add one feed or sitemap URL per line")
    return urls


def normalize_url(url: str) -> str:
    """The URL an item is known by: no fragment, no tracking parameters, lower-case host."""
    parts = urlsplit(url.strip())
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)])
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", query, ""))


class LRU(OrderedDict):
    """A dict that forgets its least recently used entries beyond ``limit``."""

    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit

    def get(self, key, default=None):
        if key in self:
            self.move_to_end(key)
            return self[key]
        return default

    def put(self, key, value) -> None:
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.limit:
            self.popitem(last=False)


@dataclass
class Fetched:
    """A response read in full (up to the size limit)."""

    url: str  # after redirects
    status: int
    headers: httpx.Headers
    content: bytes
    charset: str | None

    @property
    def text(self) -> str:
        return self.content.decode(self.charset or "utf-8", errors="replace")


class PoliteClient:
    """HTTP GET with robots.txt, a per-host delay, timeouts and retries with backoff."""

    def __init__(self, settings: WatchSettings, client: httpx.Client | None = None,
                 sleep: Callable[[float], None] = time.sleep):
        self.settings = settings
        self.client = client or httpx.Client(
            timeout=settings.timeout, follow_redirects=True, headers={"User-Agent": settings.user_agent}
        )
        self.sleep = sleep
        self._robots = LRU(settings.hosts_cached)  # host -> (fetched at, RobotFileParser | None)
        self._last = LRU(settings.hosts_cached)  # host -> monotonic time of the last request

    def close(self) -> None:
        self.client.close()

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets us fetch ``url`` (no robots.txt: yes)."""
        robots = self._robots_for(url)
        return robots is None or robots.can_fetch(self.settings.user_agent, url)

    def get(self, url: str, headers: dict[str, str] | None = None) -> Fetched:
        """GET with retries; the body is read up to ``max_bytes``. Raises :class:`FetchError`."""
        delay = self.settings.backoff
        for attempt in range(self.settings.retries + 1):
            last = attempt == self.settings.retries
            self._wait_for_host(url)
            try:
                resp = self._get_capped(url, headers or {})
            except httpx.TransportError as exc:
                if last:
                    raise FetchError(f"{type(exc).__name__}: {exc}") from exc
            else:
                if resp.status < 400:
                    return resp
                if resp.status not in (408, 429) and resp.status < 500:
                    raise FetchError(f"HTTP {resp.status}", permanent=resp.status in (404, 410, 451))
                if last:
                    raise FetchError(f"HTTP {resp.status}")
                delay = max(delay, _retry_after(resp))
            self.sleep(delay)
            delay *= 2
        raise AssertionError("unreachable")

    def _get_capped(self, url: str, headers: dict[str, str]) -> Fetched:
        with self.client.stream("GET", url, headers=headers) as resp:
            body = bytearray()
            for chunk in resp.iter_bytes():
                body += chunk
                if len(body) > self.settings.max_bytes:
                    raise FetchError(f"larger than {self.settings.max_bytes:,} bytes", permanent=True)
            return Fetched(str(resp.url), resp.status_code, resp.headers, bytes(body), resp.charset_encoding)

    def _wait_for_host(self, url: str) -> None:
        host = urlsplit(url).netloc
        robots = self._robots.get(host)
        delay = self.settings.host_delay
        if robots and robots[1] is not None:
            delay = max(delay, float(robots[1].crawl_delay(self.settings.user_agent) or 0))
        last = self._last.get(host)
        if last is not None:
            wait = last + delay - time.monotonic()
            if wait > 0:
                self.sleep(wait)
        self._last.put(host, time.monotonic())

    def _robots_for(self, url: str) -> RobotFileParser | None:
        parts = urlsplit(url)
        host = parts.netloc
        cached = self._robots.get(host)
        if cached and time.monotonic() - cached[0] < self.settings.robots_ttl:
            return cached[1]
        robots_url = f"{parts.scheme}://{host}/robots.txt"
        parser: RobotFileParser | None = RobotFileParser(robots_url)
        self._wait_for_host(robots_url)
        try:
            resp = self._get_capped(robots_url, {})
            if resp.status >= 500:
                parser.disallow_all = True  # server trouble: stay away this time (RFC 9309)
            elif resp.status >= 400:
                parser = None  # no robots.txt: everything allowed
            else:
                parser.parse(resp.text.splitlines())
        except (httpx.TransportError, FetchError):
            parser.disallow_all = True
        self._robots.put(host, (time.monotonic(), parser))
        return parser


def _retry_after(resp: Fetched) -> float:
    value = resp.headers.get("Retry-After", "")
    return min(float(value), 300.0) if value.isdigit() else 0.0


# -- reading feeds and sitemaps ---------------------------------------------------


@dataclass
class FeedItems:
    items: list[str]  # item (article page) URLs, as listed
    sitemaps: list[str] = field(default_factory=list)  # child sitemaps of a sitemap index
    title: str | None = None  # the feed's title (RSS/Atom only)


def parse_listing(body: bytes, url: str) -> FeedItems:
    """Item URLs of an RSS/Atom feed or an XML sitemap (or sitemap index)."""
    root = _xml_root(body)
    if root is not None and etree.QName(root).localname in ("urlset", "sitemapindex"):
        locs = [(el.text or "").strip() for el in root.iter("{*}loc")]
        locs = [loc for loc in locs if loc]
        if etree.QName(root).localname == "sitemapindex":
            return FeedItems([], locs)
        return FeedItems(locs)
    parsed = feedparser.parse(body)
    if not parsed.entries and parsed.bozo:
        raise FetchError(f"not a feed or sitemap: {parsed.bozo_exception}", permanent=True)
    return FeedItems([e.get("link") for e in parsed.entries if e.get("link")], title=parsed.feed.get("title") or None)


def _xml_root(body: bytes):
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
        return etree.fromstring(body, parser)
    except etree.XMLSyntaxError:
        return None


# -- the watcher -----------------------------------------------------------------


@dataclass
class CycleReport:
    feeds: int = 0  # feeds polled
    not_modified: int = 0
    items: int = 0  # item URLs seen for the first time
    counts: dict[str, int] = field(default_factory=lambda: {
        "new": 0, "updated": 0, "duplicate": 0, "failed": 0, "disallowed": 0, "retry": 0})
    errors: list[str] = field(default_factory=list)
    analysis: dict[str, dict] = field(default_factory=dict)


class Watcher:
    """Polls the feeds of a store; see the module docstring."""

    def __init__(
        self,
        store: Store,
        feeds: list[str],
        settings: WatchSettings | None = None,
        *,
        ingest_settings: Settings | None = None,
        client: PoliteClient | None = None,
        analyse: Callable[[Store], dict] | None = None,
    ):
        from ..pipeline import run_analysis

        self.store = store
        self.settings = settings or WatchSettings()
        self.ingest_settings = ingest_settings or Settings.from_env()
        self.http = client or PoliteClient(self.settings)
        self.analyse = analyse if analyse is not None else run_analysis
        self.add_feeds(feeds)

    def close(self) -> None:
        self.http.close()

    def add_feeds(self, feeds: list[str]) -> None:
        with self.store.transaction() as c:
            c.executemany("INSERT OR IGNORE INTO watch_feeds (url) VALUES (?)", [(u,) for u in feeds])

    def run(self, once: bool = False, on_cycle: Callable[[CycleReport], None] | None = None,
            stop: Callable[[], bool] = lambda: False) -> None:
        """Poll forever (or one cycle with ``once``), sleeping until the next feed is due.

        Running forever, a cycle that fails (the disk is full, the database is
        locked too long) is logged and the next one starts on schedule.
        """
        while True:
            try:
                report = self.cycle(force=once)
            except Exception:
                if once:
                    raise
                log.exception("watch cycle failed; trying again at the next poll")
                time.sleep(min(self.settings.every, 60.0))
                continue
            if on_cycle:
                on_cycle(report)
            if once or stop():
                return
            while not stop() and (wait := self.seconds_to_next_poll()) > 0:
                time.sleep(min(wait, 5.0))
            if stop():
                return

    def cycle(self, force: bool = False) -> CycleReport:
        """Poll the due feeds (all with ``force``), fetch pending pages, run the analyses."""
        report = CycleReport()
        run_id = self.store.start_run("watch", {"force": force})
        status = "failed"
        try:
            polled: set[str] = set()
            while due := [u for u in self._due_feeds(force) if u not in polled]:
                for url in due:  # a sitemap index adds its sitemaps: they are polled in this cycle too
                    polled.add(url)
                    self._poll_feed(url, report)
            self._fetch_pending(run_id, report)
            status = "partial" if report.errors else "ok"
        finally:
            self.store.finish_run(run_id, status, {k: v for k, v in report.counts.items()} | {
                "feeds": report.feeds, "not_modified": report.not_modified, "items": report.items})
        if report.counts["new"] or report.counts["updated"]:
            report.analysis = self.analyse(self.store)
        return report

    def seconds_to_next_poll(self) -> float:
        row = self.store.query("SELECT min(COALESCE(next_poll, '')) FROM watch_feeds")[0][0]
        if not row:
            return 0.0
        return max(0.0, (datetime.fromisoformat(row) - datetime.now(timezone.utc)).total_seconds())

    # -- feeds --------------------------------------------------------------------

    def _due_feeds(self, force: bool) -> list[str]:
        if force:
            return [r[0] for r in self.store.query("SELECT url FROM watch_feeds ORDER BY url")]
        return [r[0] for r in self.store.query(
            "SELECT url FROM watch_feeds WHERE next_poll IS NULL OR next_poll <= ? ORDER BY next_poll, url", (now(),))]

    def _poll_feed(self, url: str, report: CycleReport) -> None:
        feed = self.store.query("SELECT etag, last_modified, failures FROM watch_feeds WHERE url = ?", (url,))[0]
        report.feeds += 1
        headers = {}
        if feed["etag"]:
            headers["If-None-Match"] = feed["etag"]
        if feed["last_modified"]:
            headers["If-Modified-Since"] = feed["last_modified"]
        try:
            if not self.http.allowed(url):
                raise FetchError("robots.txt disallows this feed")
            resp = self.http.get(url, headers)
            listing = None if resp.status == 304 else parse_listing(resp.content, url)
        except FetchError as exc:
            report.errors.append(f"{url}: {exc}")
            with self.store.transaction() as c:
                failures = feed["failures"] + 1
                c.execute("UPDATE watch_feeds SET last_polled = ?, next_poll = ?, failures = ?, last_error = ? "
                          "WHERE url = ?", (now(), self._next_poll(failures), failures, str(exc), url))
            return
        etag, modified = resp.headers.get("ETag"), resp.headers.get("Last-Modified")
        with self.store.transaction() as c:
            if listing is None:
                report.not_modified += 1
                etag, modified = feed["etag"], feed["last_modified"]
            else:
                added = self._record_items(url, listing)
                report.items += added
                if added >= self.settings.items_per_poll:
                    etag = modified = None  # items are left: the next poll must get the whole feed again
            c.execute(
                "UPDATE watch_feeds SET etag = ?, last_modified = ?, last_polled = ?, next_poll = ?, failures = 0, "
                "last_error = NULL, title = COALESCE(?, title) WHERE url = ?",
                (etag, modified, now(), self._next_poll(0), listing.title if listing else None, url),
            )

    def _record_items(self, feed_url: str, listing: FeedItems) -> int:
        """Record the feed's items; new pages become pending. Call inside a transaction."""
        c, stamp, added = self.store.conn, now(), 0
        c.executemany("INSERT OR IGNORE INTO watch_feeds (url) VALUES (?)", [(u,) for u in listing.sitemaps])
        for raw in listing.items:
            if added >= self.settings.items_per_poll:
                break
            item = normalize_url(raw)
            if urlsplit(item).scheme not in ("http", "https"):
                continue  # mailto:, javascript: and the like are not articles
            if c.execute("INSERT OR IGNORE INTO watch_items (feed_url, item_url, first_seen) VALUES (?, ?, ?)",
                         (feed_url, item, stamp)).rowcount == 0:
                continue
            added += 1
            page = c.execute("SELECT article_id FROM watch_pages WHERE url = ?", (item,)).fetchone()
            if page is None:
                c.execute("INSERT INTO watch_pages (url, status, attempts, fetched_at) VALUES (?, 'pending', 0, ?)",
                          (item, stamp))
            elif page[0]:  # already stored: this feed is one more source of the article
                c.execute("INSERT OR IGNORE INTO article_sources (article_id, source, first_seen) VALUES (?, ?, ?)",
                          (page[0], feed_url, stamp))
        return added

    def _next_poll(self, failures: int) -> str:
        wait = self.settings.every * min(2 ** failures, 16)
        return (datetime.now(timezone.utc) + timedelta(seconds=wait)).isoformat(timespec="seconds")

    # -- pages --------------------------------------------------------------------

    def _fetch_pending(self, run_id: int, report: CycleReport) -> None:
        from ..pipeline import article_steps

        pending = [r[0] for r in self.store.query(
            "SELECT url FROM watch_pages WHERE status IN ('pending', 'retry') ORDER BY fetched_at, url LIMIT ?",
            (self.settings.pages_per_cycle,))]
        if not pending:
            return
        records = LocalEngine().map(self._read_pages(run_id, pending, report), article_steps(self.ingest_settings))
        for record in records:
            if isinstance(record, Rejected):
                self._page_failed(run_id, record.source, f"{record.stage}: {record.reason}", True, report)
            else:
                self._store_page(run_id, record, report)

    def _read_pages(self, run_id: int, urls: list[str], report: CycleReport) -> Iterator[Article | Rejected]:
        from ..ingest.decode import decode
        from ..ingest import check_article
        from ..ingest.html import article_from_html, declared_charset

        for url in urls:
            try:
                if not self.http.allowed(url):
                    with self.store.transaction() as c:
                        c.execute("UPDATE watch_pages SET status = 'disallowed', reason = ?, fetched_at = ? "
                                  "WHERE url = ?", ("robots.txt disallows it", now(), url))
                    report.counts["disallowed"] += 1
                    continue
                resp = self.http.get(url)
                html, _ = decode(resp.content, resp.charset or declared_charset(resp.content))
                article = article_from_html(html, article_id="", source=url, url=resp.url)
            except FetchError as exc:
                self._page_failed(run_id, url, str(exc), exc.permanent, report)
                continue
            except InputError as exc:
                yield Rejected(url, exc.message)
                continue
            article.id = self._article_id(article.url or url)
            article.outlet = self._outlet(article.outlet, url)
            yield check_article(article, self.ingest_settings)

    def _article_id(self, url: str) -> str:
        """The id of the stored article at this URL, else a new id derived from it."""
        from ..ingest.ids import id_from_url

        row = self.store.query("SELECT id FROM articles WHERE url = ? ORDER BY rowid LIMIT 1", (url,))
        return row[0][0] if row else id_from_url(normalize_url(url))

    def _outlet(self, extracted: str | None, item_url: str) -> str | None:
        """The page's outlet; when the page names none (the extractor falls back
        to the host name), the title of the feed that listed it."""
        parts = urlsplit(item_url)
        if extracted and extracted.lower() not in (parts.netloc, parts.hostname, parts.hostname.removeprefix("www.")):
            return extracted
        row = self.store.query(
            "SELECT f.title FROM watch_items i JOIN watch_feeds f ON f.url = i.feed_url "
            "WHERE i.item_url = ? AND f.title IS NOT NULL ORDER BY i.first_seen LIMIT 1", (item_url,))
        return row[0][0] if row else extracted or parts.hostname

    def _store_page(self, run_id: int, article: Article, report: CycleReport) -> None:
        url = article.source_path
        with self.store.transaction() as c:
            same = c.execute("SELECT id FROM articles WHERE content_hash = ? AND id != ? LIMIT 1",
                             (content_hash(article.text), article.id)).fetchone()
            if same:  # the same text under another URL: one article, one more source
                article_id, status = same[0], "duplicate"
                c.execute("INSERT OR IGNORE INTO article_sources (article_id, source, first_seen) VALUES (?, ?, ?)",
                          (article_id, url, now()))
            else:
                article_id, status = article.id, self.store.save_article(article)
            c.execute(
                "INSERT OR IGNORE INTO article_sources (article_id, source, first_seen) "
                "SELECT ?, feed_url, ? FROM watch_items WHERE item_url = ?", (article_id, now(), url))
            c.execute("UPDATE watch_pages SET article_id = ?, status = ?, attempts = attempts + 1, reason = NULL, "
                      "fetched_at = ? WHERE url = ?", (article_id, status, now(), url))
            self.store.record_items(run_id, [(url, status, article_id, None)])
        report.counts[status] += 1

    def _page_failed(self, run_id: int | None, url: str, reason: str, permanent: bool, report: CycleReport) -> None:
        with self.store.transaction() as c:
            attempts = c.execute("SELECT attempts FROM watch_pages WHERE url = ?", (url,)).fetchone()[0] + 1
            give_up = permanent or attempts >= self.settings.max_page_attempts
            status = "failed" if give_up else "retry"
            c.execute("UPDATE watch_pages SET status = ?, attempts = ?, reason = ?, fetched_at = ? WHERE url = ?",
                      (status, attempts, reason, now(), url))
            if run_id is not None:
                self.store.record_items(run_id, [(url, "failed" if give_up else "skipped", None, reason)])
        report.counts[status] += 1
        report.errors.append(f"{url}: {reason}")


def watch_status(store: Store) -> list[dict[str, Any]]:
    """Per feed: validators, schedule, errors, and how many items and articles it brought."""
    rows = store.query(
        "SELECT f.url, f.last_polled, f.next_poll, f.failures, f.last_error, "
        "(SELECT count(*) FROM watch_items i WHERE i.feed_url = f.url) AS items, "
        "(SELECT count(*) FROM watch_items i JOIN watch_pages p ON p.url = i.item_url "
        " WHERE i.feed_url = f.url AND p.article_id IS NOT NULL) AS articles "
        "FROM watch_feeds f ORDER BY f.url")
    return [dict(r) for r in rows]
