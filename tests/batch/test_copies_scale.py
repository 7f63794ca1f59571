"""The copy stages' bounds on memory: LSH keys without owner arrays, pairs judged in blocks."""

from __future__ import annotations

import pyarrow.parquet as pq

from storywire.batch import copies, tables
from storywire.batch.local import LocalBatch
from storywire.batch.plan import BatchContext


def test_pair_blocks_keep_order_and_name_at_most_the_limit():
    pairs = [("a", "b"), ("a", "c"), ("b", "c"), ("d", "e"), ("e", "f"), ("g", "h")]
    blocks = list(copies.pair_blocks(pairs, max_articles=3))
    assert [p for block, _ in blocks for p in block] == pairs
    for block, ids in blocks:
        assert ids == {x for p in block for x in p} and len(ids) <= 3
    assert [ids for _, ids in blocks] == [{"a", "b", "c"}, {"d", "e", "f"}, {"g", "h"}]


def test_read_rows_in_keeps_only_the_wanted_ids(tmp_path):
    writer = tables.TableWriter(tmp_path / "copy_groups", "copy_groups", row_group=2)
    writer.write_all([(f"a{i}", "g", 0) for i in range(7)])
    writer.close()
    rows = tables.read_rows_in(tmp_path / "copy_groups", "article_id", {"a1", "a5", "zz"}, ["article_id"])
    assert [r["article_id"] for r in rows] == ["a1", "a5"]
    assert tables.row_count(tmp_path / "copy_groups") == 7


def _table(folder, drop=()):
    return sorted(tuple(r.values()) for r in pq.read_table(folder).drop_columns(list(drop)).to_pylist())


def test_copy_pairs_judged_in_small_blocks_equal_one_block(local_run, fast_settings, tmp_path, monkeypatch):
    """The local run's candidates judged with room for only 3 articles at a time."""
    out = tmp_path / "out"
    out.mkdir()
    for table in ("articles", "copy_candidates"):
        (out / table).symlink_to(local_run / table)
    monkeypatch.setattr(copies, "BLOCK_ARTICLES", 3)
    LocalBatch(BatchContext([], out, fast_settings)).copy_pairs()
    assert _table(out / "copy_pairs", ["computed_at"]) == _table(local_run / "copy_pairs", ["computed_at"])
    assert _table(out / "copy_pairs")


def test_copy_candidates_skip_articles_without_words(fast_settings, tmp_path):
    text = "The council voted on Tuesday to close the old bridge for repairs until the spring. " * 3
    writer = tables.TableWriter(tmp_path / "articles", "articles")
    for aid, clean in (("a", text), ("b", "... !!! ..."), ("c", text), ("d", "—"), ("e", "Nothing alike here.")):
        writer.write((aid, None, None, None, None, "en", clean, clean, "[]", aid, 1, None, None, None))
    writer.close()
    LocalBatch(BatchContext([], tmp_path, fast_settings)).copy_candidates()
    assert _table(tmp_path / "copy_candidates") == [("a", "c")]
