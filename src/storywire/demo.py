"""``storywire demo``: the sample corpus, analysed and shown, in one command."""

from __future__ import annotations

from pathlib import Path

import click

from .store import Store


def run_demo(db: str | Path, *, serve: bool = True, host: str = "127.0.0.1", port: int = 8000) -> dict:
    """Ingest the sample corpus into ``db``, print a summary, then serve the UI unless ``serve`` is False."""
    from .pipeline import ingest
    from .samples import corpus_dir

    with Store.open(db) as store:
        report = ingest([str(corpus_dir())], store)
        summary = demo_summary(store)
    c = report.counts
    click.echo(f"sample corpus → {db}: {c['new']} new, {c['updated']} updated, {c['duplicate']} already stored, "
               f"{c['failed']} failed")
    click.echo(f"{summary['articles']} articles, {summary['stories']} stories, "
               f"{summary['copies']} copies found, {summary['actors']} actors")
    for s in summary["top_stories"]:
        click.echo(f"  {s['article_count']:3} articles  {', '.join(s['languages']):12}  {s['title'] or s['id']}")
        click.echo(f"               outlets: {', '.join(s['outlets'])}")
    if serve:
        from .api.commands import serve_app

        serve_app(db, host, port)
    return summary


def demo_summary(store: Store, top: int = 10) -> dict:
    """Counts and the biggest stories, for the demo's printout."""
    from .api.queries import list_stories

    one = lambda sql: store.conn.execute(sql).fetchone()[0]  # noqa: E731
    return {
        "articles": one("SELECT count(*) FROM articles"),
        "stories": one("SELECT count(*) FROM stories WHERE status = 'active'"),
        "copies": one("SELECT count(*) FROM copy_pairs WHERE verdict IN ('copy', 'partial')"),
        "actors": one("SELECT count(*) FROM actors"),
        "top_stories": list_stories(store, sort="size", limit=top, offset=0)["items"],
    }
