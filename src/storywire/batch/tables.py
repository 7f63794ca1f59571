"""The Parquet tables a batch run writes, one folder per table under the output.

Columns follow the SQLite contract (``store/migrations/0002_analysis.sql``) so
that :mod:`storywire.batch.load` copies them across unchanged; nested values
(paragraphs, edits, passages, lists) are JSON strings, as in SQLite. A folder is
complete when it holds a ``_SUCCESS`` file, which both engines write last.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator

import pyarrow as pa
import pyarrow.parquet as pq

S, I, F = "string", "int", "float"

# table -> [(column, type, nullable)]
TABLES: dict[str, list[tuple[str, str]]] = {
    "articles": [
        ("id", S), ("outlet", S), ("url", S), ("title", S), ("published", S), ("language", S),
        ("raw_text", S), ("clean_text", S), ("paragraphs", S), ("content_hash", S), ("version", I),
        ("ingested_at", S), ("source_path", S), ("extra", S),
    ],
    "rejected": [("source", S), ("stage", S), ("reason", S)],
    # Candidate pairs from LSH banding (a < b), before alignment.
    "copy_candidates": [("a", S), ("b", S)],
    "copy_pairs": [
        ("a", S), ("b", S), ("verdict", S), ("score", F), ("source_id", S), ("direction_conf", F),
        ("containment_ab", F), ("containment_ba", F), ("edits", S), ("passages", S), ("computed_at", S),
    ],
    "copy_groups": [("article_id", S), ("group_id", S), ("is_origin", I)],
    "story_articles": [("article_id", S), ("story_id", S), ("score", F), ("manual", I)],
    "stories": [
        ("id", S), ("title", S), ("first_seen", S), ("last_seen", S), ("article_count", I),
        ("languages", S), ("outlets", S), ("key_actors", S), ("summary", S), ("status", S),
        ("merged_into", S), ("updated_at", S),
    ],
    "actors": [("id", S), ("name", S), ("kind", S), ("key", S)],
    "mentions": [
        ("article_id", S), ("actor_id", S), ("text", S), ("kind", S), ("start", I), ("end", I),
    ],
    "quotes": [
        ("article_id", S), ("speaker", S), ("actor_id", S), ("text", S), ("kind", S), ("start", I),
        ("end", I), ("statement_id", S),
    ],
    "figures": [
        ("article_id", S), ("value", F), ("low", F), ("high", F), ("what", S), ("raw", S),
        ("start", I), ("end", I), ("date", S), ("part", S),
    ],
}

_ARROW = {S: pa.string(), I: pa.int64(), F: pa.float64()}

SUCCESS = "_SUCCESS"


def columns(table: str) -> list[str]:
    return [name for name, _ in TABLES[table]]


def arrow_schema(table: str) -> pa.Schema:
    return pa.schema([(name, _ARROW[kind]) for name, kind in TABLES[table]])


def spark_schema(table: str):
    from pyspark.sql.types import DoubleType, LongType, StringType, StructField, StructType

    kinds = {S: StringType(), I: LongType(), F: DoubleType()}
    return StructType([StructField(name, kinds[kind], True) for name, kind in TABLES[table]])


def coerce(table: str, row: tuple) -> tuple:
    """``row`` with its float columns as floats (an int score is fine in Python, not in Spark)."""
    return tuple(
        float(v) if kind == F and v is not None else v for v, (_, kind) in zip(row, TABLES[table])
    )


def complete(folder: Path) -> bool:
    return (folder / SUCCESS).is_file()


class TableWriter:
    """Writes rows (tuples in column order) of one table to ``folder`` in row groups.

    Used by the local engine; Spark writes the same layout with ``DataFrame.write``.
    ``close()`` writes ``_SUCCESS``; a folder without it is redone on the next run.
    """

    def __init__(self, folder: Path, table: str, row_group: int = 5000):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.iterdir():
            old.unlink()
        self.table = table
        self.schema = arrow_schema(table)
        self.names = self.schema.names
        self.row_group = row_group
        self.rows: list[tuple] = []
        self.count = 0
        self._writer = pq.ParquetWriter(self.folder / "part-00000.parquet", self.schema, compression="zstd")

    def write(self, row: tuple) -> None:
        self.rows.append(coerce(self.table, row))
        if len(self.rows) >= self.row_group:
            self._flush()

    def write_all(self, rows: Iterable[tuple]) -> None:
        for row in rows:
            self.write(row)

    def _flush(self) -> None:
        if self.rows:
            cols = list(zip(*self.rows))
            self._writer.write_table(pa.table(
                [pa.array(c, type=t) for c, t in zip(cols, self.schema.types)], schema=self.schema
            ))
            self.count += len(self.rows)
            self.rows = []

    def close(self) -> int:
        self._flush()
        self._writer.close()
        (self.folder / SUCCESS).write_text("")
        return self.count


def read_rows(folder: Path, columns_: list[str] | None = None, batch_size: int = 2000) -> Iterator[dict]:
    """Rows of a table folder as dicts, streaming, whichever engine wrote it."""
    for path in sorted(Path(folder).glob("*.parquet")):
        pf = pq.ParquetFile(path)
        for batch in pf.iter_batches(batch_size=batch_size, columns=columns_):
            yield from batch.to_pylist()


def read_rows_in(
    folder: Path, key: str, values: set[str], columns_: list[str] | None = None, batch_size: int = 2000
) -> Iterator[dict]:
    """The rows whose ``key`` column is one of ``values``, streaming; the other rows
    are skipped in Arrow, never turned into Python objects."""
    import pyarrow.compute as pc

    wanted = pa.array(sorted(values), type=pa.string())
    for path in sorted(Path(folder).glob("*.parquet")):
        pf = pq.ParquetFile(path)
        for batch in pf.iter_batches(batch_size=batch_size, columns=columns_):
            yield from batch.filter(pc.is_in(batch.column(key), value_set=wanted)).to_pylist()


def row_count(folder: Path) -> int:
    return sum(pq.ParquetFile(p).metadata.num_rows for p in sorted(Path(folder).glob("*.parquet")))


def read_table(folder: Path, columns_: list[str] | None = None) -> pa.Table:
    files = sorted(Path(folder).glob("*.parquet"))
    if not files:
        return arrow_schema_empty(folder.name, columns_)
    return pa.concat_tables([pq.read_table(f, columns=columns_) for f in files])


def arrow_schema_empty(table: str, columns_: list[str] | None) -> pa.Table:
    schema = arrow_schema(table)
    if columns_:
        schema = pa.schema([schema.field(c) for c in columns_])
    return schema.empty_table()


def size_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in Path(folder).glob("*.parquet"))
