"""The pieces of the batch plan that need no engine."""

from __future__ import annotations

from storywire.batch import copies, tables
from storywire.batch.equivalence import pairwise_f1
from storywire.batch.graph import components


def test_components_label_each_node_with_its_smallest_member():
    labels = components([("c", "b"), ("b", "a"), ("x", "y"), ("d", "d")])
    assert labels == {"a": "a", "b": "a", "c": "a", "x": "x", "y": "x", "d": "d"}


def test_lsh_bucket_gives_all_pairs_and_a_star_when_oversized():
    assert list(copies.bucket_pairs(["b", "a", "c", "a"])) == [("a", "b"), ("a", "c"), ("b", "c")]
    big = [f"id{i:04d}" for i in range(copies.MAX_BUCKET + 5)]
    pairs = list(copies.bucket_pairs(reversed(big)))
    assert len(pairs) == len(big) - 1 and all(a == "id0000" for a, _ in pairs)


def test_pairwise_f1():
    truth = {"a": 1, "b": 1, "c": 2, "d": 2}
    assert pairwise_f1(truth, {"a": "x", "b": "x", "c": "y", "d": "y"}) == 1.0
    assert pairwise_f1(truth, {"a": "x", "b": "y", "c": "z", "d": "w"}) == 0.0
    assert 0 < pairwise_f1(truth, {"a": "x", "b": "x", "c": "x", "d": "y"}) < 1


def test_copy_group_origin_is_earliest_then_most_often_source():
    rows = copies.group_rows([("b", "2024-01-02", 0), ("a", "2024-01-03", 5), ("c", None, 9)])
    assert rows == [("a", "b", 0), ("b", "b", 1), ("c", "b", 0)]
    rows = copies.group_rows([("b", None, 1), ("a", None, 0)])
    assert [r for r in rows if r[2]] == [("b", "b", 1)]


def test_table_writer_round_trip_and_success_marker(tmp_path):
    folder = tmp_path / "copy_groups"
    writer = tables.TableWriter(folder, "copy_groups", row_group=2)
    writer.write_all([("a", "g", 1), ("b", "g", 0), ("c", "h", 1)])
    assert not tables.complete(folder)
    assert writer.close() == 3
    assert tables.complete(folder)
    assert [r["article_id"] for r in tables.read_rows(folder)] == ["a", "b", "c"]
    assert tables.coerce("copy_pairs", ("a", "b", "copy", 1, None, 0, 1, 1, "[]", "[]", "t"))[3] == 1.0
