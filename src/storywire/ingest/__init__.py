"""Reading articles: files, folders and URLs in, :class:`Article` or :class:`Rejected` out.

One module per format (``plaintext``, ``html``, ``jsonrecords``, ``feed``,
``warc``, ``web`` for URLs); :mod:`.sniff` picks the reader of each file from
its extension and first bytes. Everything streams: folders are walked lazily,
JSONL and WARC are read record by record. Every failure becomes exactly one
:class:`Rejected` saying which file (or ``file#line`` / ``file#record``) and why,
and reading goes on with the next input.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..config import Settings
from ..errors import InputError
from ..model import Article, Record, Rejected
from . import feed, html, jsonrecords, plaintext, sniff, warc, web
from .files import walk
from .ids import is_url

READERS: dict[str, Callable[[Path, Settings], Iterator[Record]]] = {
    sniff.TEXT: plaintext.read,
    sniff.HTML: html.read,
    sniff.JSON: jsonrecords.read_json,
    sniff.JSONL: jsonrecords.read_jsonl,
    sniff.FEED: feed.read,
    sniff.WARC: warc.read,
}


def read_sources(sources: Iterable[str], settings: Settings) -> Iterator[Record]:
    """Articles from file paths, folders (recursive, name order, hidden files skipped) and URLs."""
    for source in sources:
        source = str(source)
        if is_url(source):
            records = web.read_url(source, settings)
        else:
            records = _read_path(Path(source), settings)
        for record in records:
            yield check_article(record, settings)


def _read_path(path: Path, settings: Settings) -> Iterator[Record]:
    if path.is_dir():
        for item in walk(path):
            if isinstance(item, Rejected):
                yield item
            else:
                yield from read_file(item, settings)
    elif path.exists():
        yield from read_file(path, settings)
    else:
        yield Rejected(str(path), "no such file or folder")


def read_file(path: Path, settings: Settings) -> Iterator[Record]:
    """The records of one file; a failure of the whole file is one :class:`Rejected`."""
    try:
        with open(path, "rb") as f:
            head = f.read(8192)
        fmt = sniff.file_format(path, head)
        if fmt is None:
            raise InputError("binary file (not text)")
        yield from READERS[fmt](path, settings)
    except InputError as exc:
        yield Rejected(str(path), exc.message)
    except PermissionError:
        yield Rejected(str(path), "permission denied: cannot read the file")
    except IsADirectoryError:
        yield Rejected(str(path), "is a folder")
    except OSError as exc:
        yield Rejected(str(path), f"cannot read the file: {exc.strerror or exc}")


_SURROGATE = re.compile("[\ud800-\udfff]")


def _scrub(value):
    """Text without lone UTF-16 surrogates (JSON ``"\\ud800"``), which cannot be stored as UTF-8."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {_scrub(k): _scrub(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    return value


def check_article(record: Record, settings: Settings) -> Record:
    """Reject articles without text or above the configured length; scrub lone surrogates."""
    if isinstance(record, Article):
        for name in ("id", "raw_text", "title", "outlet", "url", "published", "language", "extra"):
            setattr(record, name, _scrub(getattr(record, name)))
        if not record.raw_text.strip():
            return Rejected(record.source_path or record.id, "no article text")
        if len(record.raw_text) > settings.max_article_chars:
            return Rejected(
                record.source_path or record.id,
                f"article text over the limit of {settings.max_article_chars:,} characters",
            )
    return record
