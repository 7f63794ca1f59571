"""JSON and JSONL (one record per line): articles from records, with a field mapping.

JSONL is streamed line by line, so a file of any size is read in constant
memory; each bad line is reported on its own (``file.jsonl#12``) and the rest
of the file is read. A JSON file (read whole, within the size limit) holds one
record, a list of records, or an object with the list under ``articles``,
``items``, ``data``, ``records``, ``entries``, ``results`` or ``docs``.

Fields are found by name: the first of the default candidates present, unless
``settings.extra["fields"]`` maps an article field to a record key (dotted
paths reach into nested objects: ``{"outlet": "source.name"}``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Iterator

from ..config import Settings
from ..errors import InputError
from ..model import Article, Record, Rejected
from .dates import to_iso
from .decode import decode
from .files import read_bytes
from .html import html_to_text
from .ids import clean_id

# Candidate record keys for each article field, in order of preference.
DEFAULT_FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("id", "guid", "uuid", "doc_id", "_id"),
    "title": ("title", "headline"),
    "text": ("text", "content", "body", "maintext", "article", "full_text"),
    "url": ("url", "link", "canonical_url", "href"),
    "date": ("date", "published", "published_at", "publishedAt", "pubdate", "date_publish", "datetime", "timestamp"),
    "outlet": ("source", "outlet", "publisher", "site_name", "sitename", "domain"),
    "lang": ("lang", "language"),
}
_LIST_KEYS = ("articles", "items", "data", "records", "entries", "results", "docs")
_HTML = re.compile(r"<(p|div|br|span|a|html|body)\b[^>]*>", re.I)


def field_map(settings: Settings) -> dict[str, tuple[str, ...]]:
    """The default candidates, with ``settings.extra["fields"]`` taking precedence."""
    fields = dict(DEFAULT_FIELDS)
    for name, key in (settings.extra.get("fields") or {}).items():
        if name not in DEFAULT_FIELDS:
            raise InputError(f"unknown article field {name!r} in the field mapping",
                             hint=f"map one of: {', '.join(DEFAULT_FIELDS)}")
        fields[name] = (key,)
    return fields


def _lookup(record: dict, key: str) -> Any:
    value: Any = record
    for part in key.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _get(record: dict, keys: tuple[str, ...]) -> Any:
    for key in keys:
        value = _lookup(record, key)
        if value not in (None, "", [], {}):
            return value
    return None


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dict):  # e.g. {"id": ..., "name": "Outlet"}
        value = value.get("name") or value.get("title")
    elif isinstance(value, list):
        value = "\n\n".join(str(v) for v in value if v)
    text = str(value).strip() if value is not None else ""
    return text or None


def article_from_record(record: Any, fields: dict, *, fallback_id: str, source: str) -> Article:
    """One article from a JSON record; :class:`InputError` when it has no text."""
    if not isinstance(record, dict):
        raise InputError(f"record is a JSON {type(record).__name__}, not an object")
    text = _as_text(_get(record, fields["text"]))
    if not text:
        raise InputError(f"record has no text (looked for: {', '.join(fields['text'])})",
                         hint="map the text field, e.g. --field text=body")
    if _HTML.search(text):
        text = html_to_text(text)
    url = _as_text(_get(record, fields["url"]))
    raw_date = _get(record, fields["date"])
    article = Article(
        id=clean_id(_get(record, fields["id"])) or fallback_id,
        raw_text=text,
        title=_as_text(_get(record, fields["title"])),
        url=url,
        outlet=_as_text(_get(record, fields["outlet"])),
        published=to_iso(raw_date),
        language=_as_text(_get(record, fields["lang"])),
        source_path=source,
    )
    if raw_date is not None and article.published is None:
        article.extra["date_raw"] = str(raw_date)
    used = {k for keys in fields.values() for k in keys}
    for key, value in record.items():
        if key not in used and isinstance(value, (str, int, float, bool)):
            article.extra[key] = value
    return article


def read_jsonl(path: Path, settings: Settings) -> Iterator[Record]:
    """Stream a JSONL file; one article or one :class:`Rejected` per non-empty line."""
    if path.stat().st_size == 0:
        raise InputError("empty file")
    fields = field_map(settings)
    limit = settings.max_file_bytes
    seen = 0
    with open(path, "rb") as f:
        lineno = 0
        while True:
            line = f.readline(limit + 1)
            if not line:
                break
            lineno += 1
            source = f"{path}#{lineno}"
            if len(line) > limit and not line.endswith(b"\n"):
                while (rest := f.readline(1 << 20)) and not rest.endswith(b"\n"):
                    pass  # skip the remainder of the over-long line
                yield Rejected(source, f"line {lineno} is over the limit of {limit:,} bytes")
                continue
            if not line.strip():
                continue
            seen += 1
            try:
                text, _ = decode(line)
                record = json.loads(text)
            except json.JSONDecodeError as exc:
                yield Rejected(source, f"not valid JSON at line {lineno}: {exc.msg} (column {exc.colno})")
                continue
            except RecursionError:
                yield Rejected(source, f"line {lineno}: JSON nested too deeply")
                continue
            except InputError as exc:
                yield Rejected(source, f"line {lineno}: {exc.message}")
                continue
            try:
                yield article_from_record(record, fields, fallback_id=f"{path.stem}-{lineno}", source=source)
            except InputError as exc:
                yield Rejected(source, f"line {lineno}: {exc.message}")
    if not seen:
        raise InputError("empty file (no records)")


def read_json(path: Path, settings: Settings) -> Iterator[Record]:
    """A JSON file with one record or a list of records."""
    fields = field_map(settings)
    text, _ = decode(read_bytes(path, settings))
    try:
        data = json.loads(text)
    except RecursionError as exc:
        raise InputError("JSON nested too deeply", hint="is it a file of article records?") from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
                         hint="fix the file, or save one record per line as .jsonl") from exc
    if isinstance(data, dict) and _get(data, fields["text"]) is None:
        listed = next((data[k] for k in _LIST_KEYS if isinstance(data.get(k), list)), None)
        if listed is None:
            raise InputError(
                "JSON object holds no article: no text field and no list of records "
                f"under {', '.join(_LIST_KEYS)}",
                hint="map the text field with --field text=KEY",
            )
        data = listed
    if isinstance(data, dict):
        yield article_from_record(data, fields, fallback_id=path.stem, source=str(path))
        return
    if not isinstance(data, list):
        raise InputError(f"JSON file holds a {type(data).__name__}, not records")
    for n, record in enumerate(data, 1):
        source = f"{path}#{n}"
        try:
            yield article_from_record(record, fields, fallback_id=f"{path.stem}-{n}", source=source)
        except InputError as exc:
            yield Rejected(source, f"record {n}: {exc.message}")
