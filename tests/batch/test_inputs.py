"""Batch inputs: folders expanded per file, Parquet rows read like JSONL records."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq

from storywire.batch.inputs import input_files, read_inputs
from storywire.config import Settings
from storywire.model import Article, Rejected


def test_input_files_expands_folders_in_order_and_keeps_files_and_urls(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.jsonl").write_text("{}")
    (tmp_path / "1.txt").write_text("x")
    (tmp_path / ".hidden").write_text("x")
    listed = input_files([str(tmp_path), "https://example.org/feed.xml"])
    assert listed == [str(tmp_path / "1.txt"), str(tmp_path / "b" / "2.jsonl"), "https://example.org/feed.xml"]


def test_parquet_rows_become_articles_and_bad_rows_are_rejected(tmp_path):
    path = tmp_path / "export.parquet"
    pq.write_table(pa.table({
        "id": ["p1", "p2"],
        "title": ["Harbour reopens", "Empty"],
        "text": ["The harbour of Tolvan reopened on Tuesday after the storm.", ""],
        "date": ["2024-03-05", None],
        "source": ["Coast Courier", None],
    }), path)
    records = list(read_inputs([str(path)], Settings()))
    article, rejected = records
    assert isinstance(article, Article) and article.id == "p1" and article.outlet == "Coast Courier"
    assert article.published.startswith("2024-03-05")
    assert isinstance(rejected, Rejected) and rejected.source.endswith("export.parquet#2")
