"""The Spark engine: the same steps as the local engine, run in Spark partitions.

``SparkEngine.map(records, steps)`` has the local engine's contract: records in,
records out, in input order. The step chain runs inside ``mapPartitions``, so a
step is pickled once per partition and loads its models once per partition.
``SparkEngine.read(sources, settings, steps)`` spreads the *input files* over the
cluster: each task reads its files with the ordinary readers and runs the steps,
so the driver never holds the articles.

PySpark is imported only when a session is first needed; ``pip install
"storywire[spark]"`` (and Java 17) provide it.
"""

from __future__ import annotations

import os
import sys
from typing import Any, Iterable, Iterator, Sequence

from ..config import Settings
from ..errors import StorywireError
from ..model import Record
from . import Step, chain


class SparkUnavailable(StorywireError):
    """PySpark or Java is missing, or the Spark master cannot be reached."""


def spark_session(master: str | None = None, app_name: str = "storywire", conf: dict | None = None):
    """A SparkSession: the active one if any, else a new one on ``master``.

    Without ``master`` (and without spark-submit having set one) it runs in
    ``local[*]`` mode on this machine.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise SparkUnavailable(
            "pyspark is not installed", hint='pip install "storywire[spark]" (needs Java 17 or later)'
        ) from exc
    active = SparkSession.getActiveSession()
    if active is not None and master is None:
        return active
    # Executors in local mode must run this interpreter, which has storywire installed.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(app_name).config("spark.ui.showConsoleProgress", "false")
    if master:
        builder = builder.master(master)
    elif "PYSPARK_GATEWAY_PORT" not in os.environ:
        # Not started by spark-submit (which passes its own --master): use this machine.
        builder = builder.master("local[*]")
        master = "local[*]"
    conf = dict(conf or {})
    if (master or "").startswith("local"):
        # In local mode the driver is the executor: Spark's default 1 GB heap runs
        # out at 100k articles (stories). Set STORYWIRE_SPARK_DRIVER_MEMORY to change it.
        conf.setdefault("spark.driver.memory", os.environ.get("STORYWIRE_SPARK_DRIVER_MEMORY", "4g"))
    for key, value in conf.items():
        builder = builder.config(key, value)
    try:
        session = builder.getOrCreate()
    except Exception as exc:  # Java missing, master unreachable, port clash
        raise SparkUnavailable(
            f"cannot start Spark ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''})",
            hint="install Java 17+ and check --master (e.g. local[2] or spark://host:7077)",
        ) from exc
    session.sparkContext.setLogLevel("ERROR")
    return session


def _read_files(files: Iterable[str], settings: Settings, steps: Sequence[Step]) -> Iterator[Record]:
    from ..batch.inputs import read_inputs

    return chain(read_inputs(list(files), settings), steps)


class SparkEngine:
    """Run steps over records with Spark.

    ``partitions`` defaults to Spark's default parallelism (the cores in local mode).
    """

    name = "spark"

    def __init__(self, master: str | None = None, *, session: Any = None, partitions: int | None = None):
        self.master = master
        self._session = session
        self._partitions = partitions

    @property
    def session(self):
        if self._session is None:
            self._session = spark_session(self.master)
        return self._session

    @property
    def partitions(self) -> int:
        return self._partitions or self.session.sparkContext.defaultParallelism

    def map(self, records: Iterable[Record], steps: Sequence[Step]) -> Iterator[Record]:
        """Run ``steps`` over ``records`` in Spark; yields results in input order."""
        steps = list(steps)
        rdd = self.session.sparkContext.parallelize(list(records), self.partitions)
        yield from rdd.mapPartitions(lambda part: chain(part, steps)).toLocalIterator()

    def read(self, sources: Sequence[str], settings: Settings, steps: Sequence[Step]):
        """An RDD of the records read from ``sources`` and run through ``steps``.

        Input files are spread over the cluster; each partition reads its own
        files, so the paths must be visible to the executors (a shared or
        distributed file system on a real cluster).
        """
        from ..batch.inputs import input_files

        files = input_files(sources)
        steps = list(steps)
        slices = max(1, min(len(files), self.partitions * 4))
        return self.session.sparkContext.parallelize(files, slices).mapPartitions(
            lambda part: _read_files(part, settings, steps)
        )
