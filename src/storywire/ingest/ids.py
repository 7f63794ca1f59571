"""Article ids: the record's own id, else the file stem, else one derived from the URL."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit

_UNSAFE = re.compile(r"[^\w.-]+")


def clean_id(value) -> str | None:
    """A record id as text, whitespace trimmed; ``None`` when empty."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def id_from_url(url: str) -> str:
    """A readable, stable id: the URL's last path segment plus a short hash of the URL.

    ``https://example.org/world/123-big-fire.html`` -> ``123-big-fire-3f2a9c1b``.
    """
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    last = segments[-1] if segments else parts.hostname or "page"
    last = re.sub(r"\.(html?|php|aspx?|shtml)$", "", last, flags=re.I)
    slug = _UNSAFE.sub("-", last).strip("-._")[:60] or "page"
    digest = hashlib.sha1(url.encode("utf-8")).hexdigest()[:8]
    return f"{slug}-{digest}"


def is_url(text: str) -> bool:
    return bool(re.match(r"^https?://\S+$", text.strip(), re.I))
