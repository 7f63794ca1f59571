"""The batch plan: stages in order, each writing Parquet tables under the output folder.

::

    articles         read → clean → language          (map over input files)
    copy_candidates  LSH band keys → buckets → pairs   (map, then a shuffle by band key)
    copy_pairs       alignment and verdict per pair    (join with article texts, map)
    copy_groups      connected components              (iterative, global)
    stories          features → the stories stage      (map, then a sort by date, sequential)
    actors           mentions per article → the actors stage  (map, then a sort by date, sequential)
    claims           quotes and figures per article    (map)

Both engines run this same plan and call the same analysis functions; only the
data movement differs (:mod:`storywire.batch.local`, :mod:`storywire.batch.spark`).
A stage whose tables are all complete (``_SUCCESS``) is skipped, so a killed run
resumes at the first unfinished stage; once a stage runs, every later stage runs
too, since it reads what that stage wrote.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Sequence

from ..config import Settings
from ..errors import StorywireError
from . import tables

# stage -> the tables it writes
STAGES: dict[str, tuple[str, ...]] = {
    "articles": ("articles", "rejected"),
    "copy_candidates": ("copy_candidates",),
    "copy_pairs": ("copy_pairs",),
    "copy_groups": ("copy_groups",),
    "stories": ("story_articles", "stories"),
    "actors": ("mentions", "actors"),
    "claims": ("quotes", "figures"),
}


class BatchError(StorywireError):
    """A batch run cannot start or a stage cannot read what the previous one wrote."""


@dataclass
class BatchContext:
    inputs: list[str]
    out: Path
    settings: Settings
    # One timestamp for the whole run, so that both engines write the same rows.
    started_at: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))

    def table(self, name: str) -> Path:
        return self.out / name


@dataclass
class StageReport:
    stage: str
    skipped: bool
    seconds: float
    rows: dict[str, int]
    bytes: dict[str, int]


def stage_complete(out: Path, stage: str) -> bool:
    return all(tables.complete(out / t) for t in STAGES[stage])


def run_batch(
    inputs: Sequence[str],
    out: str | Path,
    *,
    engine: str = "local",
    master: str | None = None,
    settings: Settings | None = None,
    stages: Sequence[str] | None = None,
    workers: int = 1,
    session=None,
    on_stage: Callable[[StageReport], None] | None = None,
) -> list[StageReport]:
    """Run the batch plan over ``inputs`` into ``out``; return one report per stage."""
    out = Path(out)
    ctx = BatchContext(list(inputs), out, settings or Settings.from_env())
    wanted = list(stages or STAGES)
    unknown = [s for s in wanted if s not in STAGES]
    if unknown:
        raise BatchError(f"unknown stage(s): {', '.join(unknown)}", hint=f"stages are: {', '.join(STAGES)}")
    if not stage_complete(out, "articles") and not ctx.inputs:
        raise BatchError(f"no inputs and no articles under {out}", hint="pass input files or folders")
    if engine not in ("local", "spark"):
        raise BatchError(f"unknown engine {engine!r}", hint="use --engine local or --engine spark")
    out.mkdir(parents=True, exist_ok=True)
    runner = None  # started when a stage needs it (a Spark session takes seconds)
    reports = []
    redo = False
    for stage in STAGES:
        if stage not in wanted:
            continue
        skipped = not redo and stage_complete(out, stage)
        redo = redo or not skipped
        started = time.perf_counter()
        if not skipped:
            if runner is None:
                runner = _runner(ctx, engine, master, session, workers)
            getattr(runner, stage)()
        report = StageReport(
            stage, skipped, time.perf_counter() - started,
            {t: tables.row_count(out / t) for t in STAGES[stage]},
            {t: tables.size_bytes(out / t) for t in STAGES[stage]},
        )
        reports.append(report)
        if on_stage:
            on_stage(report)
    return reports


def _runner(ctx: BatchContext, engine: str, master: str | None, session, workers: int):
    if engine == "spark":
        from .spark import SparkBatch

        return SparkBatch(ctx, master=master, session=session)
    from .local import LocalBatch

    return LocalBatch(ctx, workers=workers)
