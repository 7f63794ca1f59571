"""Each followed item as an Atom feed and as JSON, for the API to serve.

Everything is escaped by the XML serializer; characters XML cannot carry at all
(NUL and other control characters in scraped text) are dropped first. Links
are only emitted for http(s) URLs.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any
from urllib.parse import urlsplit

from ..store import Store
from .alerts import list_alerts
from .follows import get_follow

ATOM_NS = "http://www.w3.org/2005/Atom"
FEED_ENTRIES = 50
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def json_for(store: Store, follow_id: int, limit: int = FEED_ENTRIES) -> dict[str, Any]:
    """The follow and its latest alerts, newest first, as plain JSON-ready data."""
    f = get_follow(store, follow_id)
    return {
        "follow": {k: f[k] for k in ("id", "kind", "target", "label", "created_at")} | {"active": bool(f["active"])},
        "alerts": list_alerts(store, follow_id=follow_id, limit=limit),
    }


def atom_for(store: Store, follow_id: int, limit: int = FEED_ENTRIES, base_url: str = "") -> str:
    """An Atom 1.0 document of the follow's latest alerts."""
    data = json_for(store, follow_id, limit)
    f, alerts = data["follow"], data["alerts"]
    ET.register_namespace("", ATOM_NS)
    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    _sub(feed, "id", f"urn:storywire:follow:{f['id']}")
    _sub(feed, "title", f"storywire — {f['label'] or f['kind'] + ' ' + f['target']}")
    _sub(feed, "updated", _atom_date(alerts[0]["created_at"] if alerts else f["created_at"]))
    author = ET.SubElement(feed, f"{{{ATOM_NS}}}author")
    _sub(author, "name", "storywire")
    if base_url and _is_web_url(base_url):
        ET.SubElement(feed, f"{{{ATOM_NS}}}link", rel="self",
                      href=f"{base_url.rstrip('/')}/follows/{f['id']}/atom")
    for alert in alerts:
        entry = ET.SubElement(feed, f"{{{ATOM_NS}}}entry")
        _sub(entry, "id", f"urn:storywire:alert:{alert['id']}")
        _sub(entry, "title", alert["message"])
        _sub(entry, "updated", _atom_date(alert["created_at"]))
        if alert["published"]:
            _sub(entry, "published", _atom_date(alert["published"]))
        if alert["url"] and _is_web_url(alert["url"]):
            ET.SubElement(entry, f"{{{ATOM_NS}}}link", rel="alternate", href=_clean(alert["url"]))
        _sub(entry, "category", None).set("term", alert["kind"])
        summary = alert["data"].get("excerpt") or alert["data"].get("text") or alert["message"]
        _sub(entry, "summary", summary).set("type", "text")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode")


def _sub(parent: ET.Element, tag: str, text: str | None) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}")
    if text is not None:
        el.text = _clean(str(text))
    return el


def _clean(text: str) -> str:
    return _XML_INVALID.sub("", text)


def _is_web_url(url: str) -> bool:
    parts = urlsplit(url.strip())
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _atom_date(value: str) -> str:
    """RFC 3339 as Atom requires: dates get midnight UTC, naive times get Z."""
    value = value.strip()
    if len(value) == 10:
        return value + "T00:00:00Z"
    if value.endswith("Z") or re.search(r"[+-]\d\d:\d\d$", value):
        return value
    return value + "Z"
