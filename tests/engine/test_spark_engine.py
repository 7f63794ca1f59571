"""The parts of the Spark engine that need no Spark session."""

from __future__ import annotations

import sys

import pytest

from storywire.engine import spark as spark_engine


def test_missing_pyspark_is_a_storywire_error_with_a_hint(monkeypatch):
    monkeypatch.setitem(sys.modules, "pyspark", None)
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    with pytest.raises(spark_engine.SparkUnavailable) as err:
        spark_engine.spark_session("local[1]")
    assert "storywire[spark]" in err.value.hint
