"""Batch inputs: everything the readers read, plus Parquet files of article records.

A Parquet row is read like a JSONL record (the same field mapping: id, title,
text, url, date, source, lang), so a corpus exported from a data lake can be fed
to ``storywire batch`` as it is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator

from ..config import Settings
from ..errors import InputError
from ..ingest import read_sources
from ..ingest.files import walk
from ..ingest.jsonrecords import article_from_record, field_map
from ..model import Record, Rejected


def input_files(sources: Iterable[str]) -> list[str]:
    """Expand folders into the files under them, in the readers' walk order; keep
    files and URLs as given. A folder that cannot be listed stays as it is, so
    that reading it reports why.

    This is how input work is shared out: one task reads whole files.
    """
    out: list[str] = []
    for source in sources:
        if Path(source).is_dir():
            out.extend(item.source if isinstance(item, Rejected) else str(item) for item in walk(Path(source)))
        else:
            out.append(source)
    return out


def read_inputs(files: Iterable[str], settings: Settings) -> Iterator[Record]:
    """Records of ``files`` (files, folders or URLs), in order."""
    for source in files:
        if str(source).lower().endswith(".parquet") and Path(source).is_file():
            yield from read_parquet(Path(source), settings)
        else:
            yield from read_sources([source], settings)


def read_parquet(path: Path, settings: Settings) -> Iterator[Record]:
    """One article (or one :class:`Rejected`) per row of a Parquet file."""
    import pyarrow.parquet as pq

    fields = field_map(settings)
    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:  # not Parquet, truncated, unreadable
        yield Rejected(str(path), f"cannot read as Parquet: {exc}")
        return
    row = 0
    for batch in pf.iter_batches(batch_size=1000):
        for record in batch.to_pylist():
            row += 1
            source = f"{path}#{row}"
            try:
                article = article_from_record(record, fields, fallback_id=f"{path.stem}-{row}", source=source)
            except InputError as exc:
                yield Rejected(source, f"row {row}: {exc.message}")
                continue
            if len(article.raw_text) > settings.max_article_chars:
                yield Rejected(source, f"article text over the limit of {settings.max_article_chars:,} characters")
                continue
            yield article
