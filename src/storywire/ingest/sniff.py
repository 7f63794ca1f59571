"""Which reader a file needs: by extension when it is telling, else by its first bytes."""

from __future__ import annotations

import re
from pathlib import Path

from .decode import looks_binary
from .feed import looks_like_feed

TEXT, HTML, JSON, JSONL, FEED, WARC = "text", "html", "json", "jsonl", "feed", "warc"

_BY_SUFFIX = {
    ".txt": TEXT, ".text": TEXT, ".md": TEXT, ".markdown": TEXT,
    ".html": HTML, ".htm": HTML, ".xhtml": HTML,
    ".json": JSON, ".jsonl": JSONL, ".ndjson": JSONL,
    ".rss": FEED, ".atom": FEED,
    ".warc": WARC, ".arc": WARC,
}
_HTML = re.compile(rb"<(!doctype html|html|head|body|article|p|div)[\s>]", re.I)
_GZIP = b"\x1f\x8b"


def file_format(path: Path, head: bytes) -> str | None:
    """The format of a file from its name and first bytes; ``None`` for binary data."""
    name = path.name.lower()
    if name.endswith((".warc.gz", ".warc.zst", ".warc.lz4")) or head.startswith(b"WARC/"):
        return WARC
    if head.startswith(_GZIP):
        return None
    suffix = _BY_SUFFIX.get(path.suffix.lower())
    if suffix in (TEXT, JSON, JSONL, WARC):
        return suffix
    if looks_binary(head):
        return None
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1024]
    if looks_like_feed(head):
        return FEED
    if suffix:
        return suffix
    if _HTML.search(head[:4096]) and start.startswith(b"<"):
        return HTML
    if start[:1] == b"[":
        return JSON
    if start[:1] == b"{":
        first_line = start.split(b"\n", 1)[0].rstrip()
        return JSONL if first_line.endswith(b"}") else JSON
    return TEXT
