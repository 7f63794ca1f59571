"""HTML pages: main text and metadata (title, date, outlet, canonical URL) via trafilatura.

trafilatura finds the article body and its metadata; when it finds no body (very
short or unusual pages) resiliparse's main-content extraction is tried before
the page is rejected. Paragraphs become blank-line separated lines, which is
what the cleaning step expects.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

import trafilatura
from resiliparse.extract.html2text import extract_plain_text
from resiliparse.parse.html import HTMLTree

from ..config import Settings
from ..errors import InputError, LimitExceeded
from ..model import Article, Record
from .dates import to_iso
from .decode import decode
from .files import read_bytes

_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.I)
_CLOSED = re.compile(r"</html\s*>\s*$", re.I)


# Deeper pages skip main-content detection in the fallback: its cost grows with depth squared.
MAX_DEPTH = 500
_TAG = re.compile(r"<(/?)(?!(?:br|img|meta|link|hr|input|wbr|source|area|col|embed|param|track)\b)[a-zA-Z][^>]*?(/?)>", re.I)


def too_deep(html: str, limit: int = MAX_DEPTH) -> bool:
    """True when elements nest deeper than ``limit`` (counted from the tags, in one pass)."""
    depth = 0
    for m in _TAG.finditer(html):
        depth += -1 if m.group(1) else 0 if m.group(2) else 1
        if depth > limit:
            return True
    return False


def declared_charset(data: bytes) -> str | None:
    """The charset named in a ``<meta>`` tag near the top of a page."""
    m = _CHARSET.search(data[:4096])
    return m.group(1).decode("ascii") if m else None


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (feed summaries, JSON fields), one block per paragraph."""
    text = extract_plain_text(HTMLTree.parse(fragment), preserve_formatting=True, main_content=False)
    return re.sub(r"\n\s*\n+", "\n\n", text).strip()


def article_from_html(html: str, *, article_id: str, source: str, url: str | None = None) -> Article:
    """Extract one article from a page; :class:`InputError` when the page has no text."""
    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=True, favor_recall=True
    )
    text = doc.text if doc is not None and doc.text else ""
    if not text.strip():
        text = extract_plain_text(HTMLTree.parse(html), preserve_formatting=True, main_content=not too_deep(html))
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    if not paragraphs:
        raise InputError("no article text found in the HTML page", hint="is it a page with an article?")
    extra = {}
    if not _CLOSED.search(html.rstrip()[-200:]):
        extra["truncated"] = True  # the page ends before </html>: kept, but flagged
    if doc is not None and doc.author:
        extra["author"] = doc.author
    return Article(
        id=article_id,
        raw_text="\n\n".join(paragraphs),
        title=doc.title if doc is not None else None,
        url=(doc.url if doc is not None and doc.url else None) or url,
        outlet=doc.sitename if doc is not None else None,
        published=to_iso(doc.date) if doc is not None else None,
        source_path=source,
        extra=extra,
    )


# Tags in the largest page extracted; extraction time grows with them (a news page has a few thousand).
MAX_HTML_TAGS = 50_000


def check_html_size(data: bytes, settings: Settings) -> None:
    """Refuse pages whose extraction would take minutes: too many bytes, or too many tags."""
    if data.count(b"<") > MAX_HTML_TAGS:
        raise LimitExceeded(f"HTML page with over {MAX_HTML_TAGS:,} tags", hint="is it an article page?")
    if len(data) > settings.max_html_bytes:
        raise LimitExceeded(
            f"HTML page too large: {len(data):,} bytes, over the limit of {settings.max_html_bytes:,} bytes",
            hint="raise it with STORYWIRE_MAX_HTML_BYTES if such pages are real articles",
        )


def read(path: Path, settings: Settings) -> Iterator[Record]:
    data = read_bytes(path, settings)
    check_html_size(data, settings)
    html, _ = decode(data, declared_charset(data))
    yield article_from_html(html, article_id=path.stem, source=str(path))
