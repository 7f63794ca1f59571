"""RSS and Atom feeds (feedparser): one article per entry.

An entry's text is its full content when the feed carries it, else its summary;
HTML in either is turned into plain paragraphs. Its id is the entry's own id
(or link) turned into a readable id; the feed's title is the outlet.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

import feedparser

from ..config import Settings
from ..errors import InputError
from ..model import Article, Record, Rejected
from .dates import to_iso
from .files import read_bytes
from .html import html_to_text
from .ids import clean_id, id_from_url, is_url


_FEED = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]", re.I)


def looks_like_feed(head: bytes) -> bool:
    """True when the first bytes of a document open an RSS, Atom or RDF feed."""
    return bool(_FEED.search(head[:2048]))


def entries(data: bytes, source: str) -> Iterator[Record]:
    """Articles from the bytes of a feed; ``source`` names the file or URL."""
    feed = feedparser.parse(data)
    if not feed.entries:
        if feed.bozo:
            raise InputError(f"not a valid RSS/Atom feed: {feed.bozo_exception}")
        raise InputError("feed has no entries")
    outlet = feed.feed.get("title") or None
    for n, entry in enumerate(feed.entries, 1):
        where = f"{source}#{n}"
        body = entry.get("content", [{}])[0].get("value") or entry.get("summary") or ""
        text = html_to_text(body) if "<" in body else body.strip()
        link = entry.get("link") or None
        if not text:
            yield Rejected(where, f"entry {n} has no text")
            continue
        entry_id = clean_id(entry.get("id")) or link
        if entry_id is None:
            yield Rejected(where, f"entry {n} has neither id nor link")
            continue
        yield Article(
            id=id_from_url(entry_id) if is_url(entry_id) else entry_id,
            raw_text=text,
            title=entry.get("title") or None,
            url=link,
            outlet=outlet,
            published=to_iso(entry.get("published_parsed") or entry.get("updated_parsed")),
            source_path=where,
        )


def read(path: Path, settings: Settings) -> Iterator[Record]:
    yield from entries(read_bytes(path, settings), str(path))
