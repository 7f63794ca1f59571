"""Batch runs over large corpora, on this machine or on Apache Spark.

``storywire batch INPUT... --out DIR`` runs :mod:`storywire.batch.plan`: read,
clean, language, copies, stories, actors and claims, each stage writing Parquet
tables under ``DIR`` (:mod:`storywire.batch.tables`). ``storywire load DIR``
imports them into SQLite for the API and the web UI (:mod:`storywire.batch.load`).
"""

from .load import load
from .plan import STAGES, BatchError, run_batch

__all__ = ["STAGES", "BatchError", "load", "run_batch"]
