"""CLI commands of the story view: ``serve``, ``compare`` and ``demo``."""

from __future__ import annotations

import click

from ..cliutil import db_option, emit_json, json_option, open_store
from ..config import default_db_path
from ..store import Store


@click.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=8000, show_default=True)
@click.option("--allow-ingest", is_flag=True, help="Accept POST /api/ingest (off: the server only reads).")
def serve(db, host, port, allow_ingest):
    """Serve the web UI and the HTTP API (OpenAPI at /api/docs)."""
    serve_app(db or default_db_path(), host, port, allow_ingest)


def serve_app(db, host: str, port: int, allow_ingest: bool = False) -> None:
    import uvicorn

    from .app import create_app

    app = create_app(db, allow_ingest=allow_ingest)
    with Store.open(db, readonly=True, migrate=False) as store:
        if not store.count_articles():
            click.echo(f"note: {db} holds no articles yet; add some with `storywire ingest PATH --db {db}`", err=True)
    if allow_ingest and host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"warning: anyone who can reach {host}:{port} can add articles", err=True)
    click.echo(f"storywire: serving {db} at http://{host}:{port}/ (API docs at /api/docs); Ctrl-C stops")
    uvicorn.run(app, host=host, port=port, log_level="warning")


@click.command()
@click.argument("story_id")
@db_option
@json_option
def compare(story_id, db, as_json):
    """How each outlet tells one story: copies, substitutions, additions, omissions, word choices."""
    from ..compare import compare_story

    with open_store(db, must_exist=True) as store:
        result = compare_story(store, story_id).to_dict()
    if as_json:
        emit_json(result)
        return
    echo_comparison(result)


def echo_comparison(c: dict) -> None:
    story = c["story"]
    click.echo(f"{story['title'] or story['id']}  ({len(c['articles'])} articles, "
               f"{', '.join(story['languages']) or '?'})")
    click.echo(f"\ncopies: {c['copies_total']}")
    for pair in c["copies"]:
        arrow = "->" if pair["direction_known"] else "--"
        click.echo(f"  {pair['source']['outlet'] or pair['source']['id']} {arrow} "
                   f"{pair['copy']['outlet'] or pair['copy']['id']}  {pair['verdict']} {pair['score']:.2f}, "
                   f"{len(pair['edits'])} edits")
    for title, rows, fmt in (
        ("substitutions", c["substitutions"], lambda r: f"{r['source']!r} -> {r['copy']!r}"),
        ("additions", c["additions"], lambda r: f"+ {r['text']!r}"),
        ("omissions", c["omissions"], lambda r: f"- {r['text']!r}"),
    ):
        if rows:
            click.echo(f"\n{title}:")
            for r in rows:
                click.echo(f"  {r['outlet'] or r['article']}: {fmt(r)}")
    if c["word_choices"]:
        click.echo("\nword choices:")
        for w in c["word_choices"]:
            cells = "; ".join(f"{o}: {', '.join(v)}" for o, v in w["by_outlet"].items())
            click.echo(f"  {w['referent']} ({w['kind']}): {cells}")
    disputed = [f for f in c["figures"] if f["disagreement"]]
    if disputed:
        click.echo("\nfigures the outlets disagree on:")
        for f in disputed:
            cells = "; ".join(f"{x['outlet']}: {x['raw']}" for x in f["by_outlet"])
            click.echo(f"  {f['what']}: {cells}")


@click.command()
@db_option
@click.option("--no-serve", is_flag=True, help="Stop after the summary instead of serving the UI.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=8000, show_default=True)
def demo(db, no_serve, host, port):
    """Ingest the sample corpus, print what storywire found, then serve the web UI."""
    from ..demo import run_demo

    run_demo(db or default_db_path(), serve=not no_serve, host=host, port=port)


COMMANDS = [serve, compare, demo]
