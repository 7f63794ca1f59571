"""CLI: ``storywire batch`` and ``storywire load``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..cliutil import db_option, emit_json, emit_table, json_option, open_store


@click.command()
@click.argument("inputs", nargs=-1)
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the Parquet tables (one sub-folder per table).")
@click.option("--engine", type=click.Choice(["local", "spark"]), default="local", show_default=True)
@click.option("--master", default=None, help="Spark master URL (default local[*]; spark-submit sets its own).")
@click.option("--stage", "stages", multiple=True, help="Run only these stages (repeatable).")
@click.option("--workers", type=int, default=1, show_default=True, help="Processes for reading and cleaning (local engine).")
@json_option
def batch(inputs, out, engine, master, stages, workers, as_json):
    """Run the whole pipeline over INPUT files or folders into Parquet tables under --out.

    Stages whose tables are complete are skipped, so a re-run resumes a killed one.
    """
    from .plan import run_batch

    def progress(report) -> None:
        if not as_json:
            state = "done already" if report.skipped else f"{report.seconds:.1f}s"
            rows = ", ".join(f"{t} {n}" for t, n in report.rows.items())
            click.echo(f"{report.stage}: {state}; {rows}", err=True)

    reports = run_batch(list(inputs), out, engine=engine, master=master, stages=stages or None,
                        workers=workers, on_stage=progress)
    rows = [{"stage": r.stage, "skipped": r.skipped, "seconds": round(r.seconds, 2),
             "rows": r.rows, "bytes": sum(r.bytes.values())} for r in reports]
    if as_json:
        emit_json(rows)
    else:
        emit_table(rows, ["stage", "skipped", "seconds", "rows", "bytes"])
        click.echo(f"load into SQLite with: storywire load {out}", err=True)


@click.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@db_option
@json_option
def load(folder, db, as_json):
    """Import a batch run's Parquet tables (FOLDER) into the SQLite database."""
    from .load import load as run_load

    with open_store(db) as store:
        counts = run_load(folder, store)
    if as_json:
        emit_json(counts)
    else:
        emit_table([{"table": t, "rows": n} for t, n in counts.items()], ["table", "rows"])


COMMANDS = [batch, load]
