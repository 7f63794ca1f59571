"""Articles from http(s) URLs: feeds become their entries, pages go through HTML extraction.

Downloads use httpx with connect/read timeouts, follow redirects and stop at
``settings.max_file_bytes``. Every failure (network, HTTP status, size, no
text) becomes one :class:`Rejected` naming the URL.
"""

from __future__ import annotations

import json
from typing import Iterator

import httpx

import storywire

from ..config import Settings
from ..errors import InputError, LimitExceeded
from ..model import Record, Rejected
from . import feed
from .decode import content_type_charset, decode
from .html import article_from_html, declared_charset
from .ids import id_from_url
from .jsonrecords import article_from_record, field_map

TIMEOUT = httpx.Timeout(30.0, connect=10.0)
USER_AGENT = f"storywire/{storywire.__version__} (news monitoring)"


def client() -> httpx.Client:
    """The HTTP client used for every fetch (tests replace it with a mock transport)."""
    return httpx.Client(timeout=TIMEOUT, follow_redirects=True, headers={"User-Agent": USER_AGENT})


def fetch(url: str, settings: Settings) -> tuple[bytes, str, str]:
    """(body, content type, final URL); raises :class:`InputError` with the reason."""
    limit = settings.max_file_bytes
    try:
        with client() as http, http.stream("GET", url) as resp:
            if resp.status_code >= 400:
                raise InputError(f"HTTP {resp.status_code} {resp.reason_phrase}", hint="check the URL")
            chunks, size = [], 0
            for chunk in resp.iter_bytes():
                size += len(chunk)
                if size > limit:
                    raise LimitExceeded(f"download over the limit of {limit:,} bytes",
                                        hint="raise the limit with --max-file-mb")
                chunks.append(chunk)
            return b"".join(chunks), resp.headers.get("content-type", ""), str(resp.url)
    except httpx.TimeoutException as exc:
        raise InputError(f"timed out ({type(exc).__name__})", hint="try again later") from exc
    except httpx.HTTPError as exc:
        raise InputError(f"cannot fetch: {exc}", hint="check the URL and the network") from exc


def read_url(url: str, settings: Settings) -> Iterator[Record]:
    try:
        data, content_type, final_url = fetch(url, settings)
        kind = content_type.split(";")[0].strip().lower()
        head = data[:2048].lstrip()
        if "rss" in kind or "atom" in kind or (kind.endswith("xml") and feed.looks_like_feed(head)):
            yield from feed.entries(data, url)
            return
        if kind == "application/json":
            record = json.loads(decode(data)[0])
            yield article_from_record(record, field_map(settings), fallback_id=id_from_url(final_url), source=url)
            return
        if kind and "html" not in kind and not kind.startswith("text/"):
            raise InputError(f"unsupported content type {kind!r}", hint="give a page, a feed or a JSON record")
        if feed.looks_like_feed(head):
            yield from feed.entries(data, url)
            return
        html, _ = decode(data, content_type_charset(content_type) or declared_charset(data))
        yield article_from_html(html, article_id=id_from_url(final_url), source=url, url=final_url)
    except InputError as exc:
        yield Rejected(url, exc.message)
    except json.JSONDecodeError as exc:
        yield Rejected(url, f"not valid JSON: {exc}")
