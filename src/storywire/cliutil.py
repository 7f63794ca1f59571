"""Helpers shared by every CLI command: the --db and --json options, output."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any, Iterable, Sequence

import click

from .config import default_db_path
from .store import Store

db_option = click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="SQLite database file (default: $STORYWIRE_DB or ./storywire.db).",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")


def open_store(db: Path | None, *, must_exist: bool = False) -> Store:
    path = db or default_db_path()
    if must_exist and not Path(path).exists():
        raise click.ClickException(
            f"no database at {path}: run `storywire ingest PATH` first, or pass --db FILE"
        )
    return Store.open(path)


def plain(value: Any) -> Any:
    """sqlite3.Row and dataclasses to JSON-friendly values."""
    if isinstance(value, sqlite3.Row):
        return {k: value[k] for k in value.keys()}
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if hasattr(value, "__dataclass_fields__"):
        from dataclasses import asdict

        return asdict(value)
    return value


def emit_json(data: Any) -> None:
    if isinstance(data, list):
        data = [plain(d) for d in data]
    else:
        data = plain(data)
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def emit_table(rows: Iterable[Any], columns: Sequence[str], widths: dict[str, int] | None = None) -> None:
    """A plain-text table; long cells are cut to their column's width."""
    rows = [plain(r) for r in rows]
    widths = dict(widths or {})
    for col in columns:
        if col not in widths:
            widths[col] = max([len(col)] + [len(_cell(r.get(col))) for r in rows])
            widths[col] = min(widths[col], 60)
    click.echo("  ".join(col.upper().ljust(widths[col]) for col in columns).rstrip())
    for r in rows:
        click.echo("  ".join(_cut(_cell(r.get(col)), widths[col]).ljust(widths[col]) for col in columns).rstrip())


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    return " ".join(str(value).split())


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
