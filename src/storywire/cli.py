"""The ``storywire`` command line: a thin layer over plain functions.

Core commands live here; each stage package may add its own in a module
``storywire/<package>/commands.py`` exposing ``COMMANDS`` (a list of click
commands), which is found and registered at start-up.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
import sys
from pathlib import Path

import click

import storywire

from .cliutil import db_option, emit_json, emit_table, json_option, open_store
from .config import Settings
from .errors import StorywireError


class Group(click.Group):
    """Prints storywire errors with their hint instead of a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except StorywireError as exc:
            raise click.ClickException(str(exc)) from exc


@click.group(cls=Group)
@click.version_option(storywire.__version__, prog_name="storywire")
def main() -> None:
    """storywire: copies, stories, actors and claims in news articles."""


@main.command()
@click.argument("sources", nargs=-1, required=True)
@db_option
@click.option("--no-analyse", is_flag=True, help="Only store articles; skip copies, stories, actors and claims.")
@click.option("--workers", type=int, default=1, show_default=True, help="Processes for reading and cleaning.")
@click.option("--max-file-mb", type=float, default=None, help="Reject input files larger than this (default 50).")
@click.option("--max-article-chars", type=int, default=None, help="Reject articles longer than this (default 2,000,000).")
@click.option("--batch-size", type=int, default=None, help="Articles written per transaction (default 200).")
@click.option("--field", "fields", multiple=True, metavar="FIELD=KEY",
              help="JSON/JSONL field mapping, e.g. --field text=body --field outlet=source.name.")
@json_option
def ingest(sources, db, no_analyse, workers, max_file_mb, max_article_chars, batch_size, fields, as_json):
    """Read articles from files, folders or URLs (text, Markdown, HTML, JSON/JSONL, RSS/Atom, WARC)."""
    from .engine.local import LocalEngine
    from .ingest.jsonrecords import DEFAULT_FIELDS
    from .pipeline import ingest as run_ingest

    settings = Settings.from_env(
        max_file_bytes=int(max_file_mb * 1024 * 1024) if max_file_mb else None,
        max_article_chars=max_article_chars,
        batch_size=batch_size,
    )
    for item in fields:
        name, sep, key = item.partition("=")
        if not sep or name.strip() not in DEFAULT_FIELDS or not key.strip():
            raise click.BadParameter(f"{item!r} is not FIELD=KEY with FIELD one of {', '.join(DEFAULT_FIELDS)}",
                                     param_hint="--field")
        settings.extra.setdefault("fields", {})[name.strip()] = key.strip()
    with open_store(db) as store:
        show_progress = sys.stderr.isatty() and not as_json
        with click.progressbar(length=0, label="ingesting", file=sys.stderr, show_pos=True) as bar:
            def progress(source: str, status: str) -> None:
                if show_progress:
                    bar.length = bar.pos + 2
                    bar.update(1)
            report = run_ingest(
                list(sources), store, settings, engine=LocalEngine(workers), analyse=not no_analyse,
                on_record=progress,
            )
    if as_json:
        emit_json({"run": report.run_id, "counts": report.counts,
                   "failures": [{"source": f.source, "stage": f.stage, "reason": f.reason} for f in report.failures],
                   "analysis": report.analysis})
    else:
        for f in report.failures:
            click.echo(f"failed: {f.source}: {f.stage}: {f.reason}", err=True)
        c = report.counts
        click.echo(f"read {report.read}: {c['new']} new, {c['updated']} updated, "
                   f"{c['duplicate']} duplicate, {c['failed']} failed (run {report.run_id})")
        for stage, stats in report.analysis.items():
            click.echo(f"{stage}: " + ", ".join(f"{k} {v}" for k, v in stats.items()))
    if report.failures:
        sys.exit(1)


@main.command()
@db_option
def analyse(db):
    """Bring copies, stories, actors and claims up to date with the stored articles."""
    from .pipeline import run_analysis

    with open_store(db, must_exist=True) as store:
        for stage, stats in run_analysis(store).items():
            click.echo(f"{stage}: " + ", ".join(f"{k} {v}" for k, v in stats.items()))


@main.command()
@db_option
@click.option("--language", help="Only articles in this language (ISO 639-1 code).")
@click.option("--outlet", help="Only articles of this outlet.")
@click.option("--story", help="Only articles of this story.")
@click.option("--limit", type=int, default=50, show_default=True)
@click.option("--offset", type=int, default=0)
@json_option
def articles(db, language, outlet, story, limit, offset, as_json):
    """List stored articles, newest first."""
    with open_store(db, must_exist=True) as store:
        rows = store.list_articles(language=language, outlet=outlet, story=story, limit=limit, offset=offset)
    if as_json:
        emit_json(rows)
    else:
        emit_table(rows, ["id", "published", "language", "outlet", "title"], {"title": 60})


@main.command()
@click.argument("article_id")
@db_option
@click.option("--raw", is_flag=True, help="Show the raw text as read, before cleaning.")
@json_option
def show(article_id, db, raw, as_json):
    """Show one article: metadata and clean text."""
    with open_store(db, must_exist=True) as store:
        article = store.get_article(article_id)
    if as_json:
        emit_json(article)
        return
    for key in ("id", "title", "outlet", "url", "published", "language", "version", "source_path"):
        click.echo(f"{key:12} {getattr(article, key) or '-'}")
    click.echo("")
    click.echo(article.raw_text if raw else article.clean_text)


@main.command()
@click.argument("query")
@db_option
@click.option("--limit", type=int, default=20, show_default=True)
@json_option
def search(query, db, limit, as_json):
    """Full-text search over titles, texts and outlets."""
    with open_store(db, must_exist=True) as store:
        rows = store.search(query, limit=limit)
    if as_json:
        emit_json(rows)
    else:
        emit_table(rows, ["id", "outlet", "title", "snippet"], {"title": 40, "snippet": 60})


def _register_stage_commands() -> None:
    for info in pkgutil.iter_modules(storywire.__path__):
        modname = f"storywire.{info.name}.commands"
        if info.ispkg and importlib.util.find_spec(modname) is not None:
            for command in importlib.import_module(modname).COMMANDS:
                main.add_command(command)


_register_stage_commands()

if __name__ == "__main__":
    main()
