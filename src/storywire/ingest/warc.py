"""WARC files (fastwarc): one article per HTML response record, streamed.

Records are read one at a time, so archives of any size are fine; the size
limit applies to each record. Non-HTML responses are skipped silently; an HTML
record without article text is reported as ``file.warc.gz#<offset>``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from fastwarc.warc import ArchiveIterator, WarcRecordType

from ..config import Settings
from ..errors import InputError
from ..model import Record, Rejected
from .decode import content_type_charset, decode
from .html import article_from_html, check_html_size, declared_charset
from .ids import id_from_url


def read(path: Path, settings: Settings) -> Iterator[Record]:
    if path.stat().st_size == 0:
        raise InputError("empty file")
    found = reported = 0
    records = ArchiveIterator(
        str(path),
        record_types=WarcRecordType.response,
        parse_http=True,
        max_content_length=settings.max_file_bytes,
        fsspec_args=False,
    )
    for record in records:
        found += 1
        url = record.headers.get("WARC-Target-URI") or ""
        where = f"{path}#{record.stream_pos}"
        if record.http_headers is None:
            reported += 1
            yield Rejected(where, f"record at byte {record.stream_pos} ({url}): HTTP headers cannot be read "
                                  "(truncated or corrupt record)")
            continue
        content_type = record.http_headers.get("Content-Type", "")
        if "html" not in content_type.lower():
            continue
        try:
            data = record.reader.read()
            check_html_size(data, settings)
            html, _ = decode(data, content_type_charset(content_type) or declared_charset(data))
            article = article_from_html(html, article_id=id_from_url(url) if url else f"{path.stem}-{record.stream_pos}",
                                        source=where, url=url or None)
        except InputError as exc:
            reported += 1
            yield Rejected(where, f"record at byte {record.stream_pos} ({url}): {exc.message}")
            continue
        if not article.published and record.headers.get("WARC-Date"):
            article.extra["crawled"] = record.headers.get("WARC-Date")
        reported += 1
        yield article
    if found and not reported:
        raise InputError(f"no HTML response among the {found} WARC response records (or their HTTP headers are broken)")
    if not found:
        raise InputError("no WARC response records found (not a WARC file, or empty)")
