"""The Spark engine gives the local engine's answers (Spark local mode, the sample
corpus and a small generated one).

Articles, copy pairs, copy groups and stories identical.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from storywire.batch.equivalence import compare_runs
from storywire.batch.graph import components
from storywire.engine.local import LocalEngine
from storywire.engine.spark import SparkEngine
from storywire.model import Article, Rejected
from storywire.pipeline import article_steps

pytestmark = pytest.mark.spark


def test_spark_engine_runs_steps_like_the_local_engine(spark, fast_settings):
    records = [
        Article(id=f"a{i}", raw_text=f"Headline {i}\n\nThe council met on Monday.He said {i} people came.")
        for i in range(6)
    ] + [Rejected("bad.html", "not an article")]
    steps = article_steps(fast_settings)
    local = list(LocalEngine().map(records, steps))
    remote = list(SparkEngine(session=spark).map(records, steps))
    assert [type(r).__name__ for r in remote] == [type(r).__name__ for r in local]
    assert [(r.id, r.clean_text, r.language) for r in remote if isinstance(r, Article)] == [
        (r.id, r.clean_text, r.language) for r in local if isinstance(r, Article)
    ]


def test_label_propagation_finds_the_union_find_components(spark):
    from storywire.batch.spark import label_components

    edges = [("c", "b"), ("b", "a"), ("x", "y"), ("z", "y")]
    rdd = spark.sparkContext.parallelize(edges, 3)
    assert dict(label_components(rdd, driver_edges=0).collect()) == components(edges)
    assert dict(label_components(rdd).collect()) == components(edges)


@pytest.mark.timeout(900)  # Spark local mode on a shared 2-core machine
def test_batch_on_spark_equals_the_local_engine(spark, inputs, local_run, tmp_path, monkeypatch):
    monkeypatch.setenv("STORYWIRE_ENCODER", "none")
    monkeypatch.setenv("STORYWIRE_NER", "rules")
    out = tmp_path / "spark-out"
    result = CliRunner().invoke(
        __import__("storywire.cli", fromlist=["main"]).main,
        ["batch", *inputs, "--out", str(out), "--engine", "spark", "--json"],
    )
    assert result.exit_code == 0, result.output
    agreement = compare_runs(local_run, out)
    assert agreement["articles_equal"] == 1
    assert agreement["copy_pairs_left"] > 0
    assert agreement["copy_pairs_jaccard"] == 1.0
    assert agreement["copy_groups_f1"] == 1.0
    assert agreement["stories_f1"] == 1.0
