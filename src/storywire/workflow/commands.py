"""CLI: export, follow/unfollow/follows/alerts/feed, watch, curate."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..cliutil import db_option, emit_json, emit_table, json_option, open_store
from . import curation
from .export import GRAPH_FORMATS, KINDS, TABLE_FORMATS, export as run_export


@click.command()
@click.argument("kind", type=click.Choice(KINDS))
@click.option("--format", "fmt", type=click.Choice(TABLE_FORMATS + GRAPH_FORMATS), default="csv", show_default=True,
              help="gexf/graphml export the copy graph (copies) or the actor co-occurrence graph (actors).")
@click.option("--story", help="Only what belongs to this story.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Output file (default: stdout).")
@db_option
def export(kind, fmt, story, out, db):
    """Export stories, articles, copies, actors, quotes or figures for other tools."""
    with open_store(db, must_exist=True) as store:
        if out is None:
            count = run_export(store, kind, fmt, sys.stdout.buffer, story)
        else:
            with open(out, "wb") as f:
                count = run_export(store, kind, fmt, f, story)
    unit = "nodes" if fmt in GRAPH_FORMATS else "rows"
    click.echo(f"exported {count} {unit} of {kind} as {fmt}" + (f" to {out}" if out else ""), err=True)


@click.command()
@click.argument("kind", type=click.Choice(("story", "actor", "outlet", "passage")))
@click.argument("target")
@click.option("--label", help="A name for this follow (default: from the target).")
@click.option("--webhook", help="URL that receives each new alert as a JSON POST.")
@click.option("--article", "article_id", help="For a passage: the article it was taken from.")
@db_option
@json_option
def follow(kind, target, label, webhook, article_id, db, as_json):
    """Follow a story, an actor, an outlet or a passage of text; alerts come with new articles."""
    from .follows import follow as add_follow, get_follow

    with open_store(db, must_exist=True) as store:
        follow_id = add_follow(store, kind, target, label=label, webhook=webhook, article_id=article_id)
        row = get_follow(store, follow_id)
    if as_json:
        emit_json(row)
    else:
        click.echo(f"following #{follow_id}: {row['label']}")


@click.command()
@click.argument("follow_id", type=int)
@db_option
def unfollow(follow_id, db):
    """Stop following (its alerts are kept)."""
    from .follows import unfollow as remove

    with open_store(db, must_exist=True) as store:
        remove(store, follow_id)
    click.echo(f"unfollowed #{follow_id}")


@click.command()
@db_option
@json_option
def follows(db, as_json):
    """List what is followed, with alert counts."""
    from .follows import list_follows

    with open_store(db, must_exist=True) as store:
        rows = list_follows(store)
    if as_json:
        emit_json(rows)
    else:
        emit_table(rows, ["id", "kind", "label", "alerts", "unseen", "webhook"], {"label": 60})


@click.command()
@click.option("--follow", "follow_id", type=int, help="Only the alerts of this follow.")
@click.option("--unseen", is_flag=True, help="Only alerts not marked seen.")
@click.option("--mark-seen", is_flag=True, help="Mark the listed alerts as seen.")
@click.option("--limit", type=int, default=50, show_default=True)
@db_option
@json_option
def alerts(follow_id, unseen, mark_seen, limit, db, as_json):
    """List alerts, newest first."""
    from .alerts import list_alerts, mark_seen as mark

    with open_store(db, must_exist=True) as store:
        rows = list_alerts(store, follow_id=follow_id, unseen=unseen, limit=limit)
        if mark_seen and rows:
            mark(store, [r["id"] for r in rows])
    if as_json:
        emit_json(rows)
    else:
        emit_table(rows, ["id", "created_at", "kind", "article_id", "message"], {"message": 80})


@click.command()
@click.argument("follow_id", type=int)
@db_option
@json_option
def feed(follow_id, db, as_json):
    """Print a follow's alerts as an Atom feed (or JSON)."""
    from .feeds import atom_for, json_for

    with open_store(db, must_exist=True) as store:
        if as_json:
            emit_json(json_for(store, follow_id))
        else:
            click.echo(atom_for(store, follow_id))


@click.command()
@click.argument("feeds_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--every", default="15m", show_default=True, help="Time between polls of a feed (90s, 15m, 2h).")
@click.option("--once", is_flag=True, help="Poll every feed once, ingest what is new, and stop.")
@click.option("--host-delay", type=float, default=1.0, show_default=True,
              help="Seconds between two requests to one host.")
@click.option("--timeout", type=float, default=15.0, show_default=True, help="Seconds per request.")
@click.option("--no-analyse", is_flag=True, help="Only store articles; skip the analysis stages.")
@db_option
@json_option
def watch(feeds_file, every, once, host_delay, timeout, no_analyse, db, as_json):
    """Poll RSS/Atom feeds and sitemaps listed in FEEDS_FILE and ingest new articles."""
    from .watch import Watcher, WatchSettings, parse_interval, read_feed_list

    settings = WatchSettings(every=parse_interval(every), host_delay=host_delay, timeout=timeout)
    feeds_list = read_feed_list(feeds_file)

    def show(report) -> None:
        if as_json:
            emit_json({"feeds": report.feeds, "not_modified": report.not_modified, "items": report.items,
                       "counts": report.counts, "errors": report.errors, "analysis": report.analysis})
            return
        for error in report.errors:
            click.echo(f"error: {error}", err=True)
        c = report.counts
        click.echo(f"polled {report.feeds} feeds ({report.not_modified} unchanged), {report.items} new items: "
                   f"{c['new']} new, {c['duplicate']} duplicate, {c['failed']} failed, {c['retry']} to retry, "
                   f"{c['disallowed']} disallowed by robots.txt")

    with open_store(db) as store:
        watcher = Watcher(store, feeds_list, settings, analyse=(lambda s: {}) if no_analyse else None)
        try:
            watcher.run(once=once, on_cycle=show)
        except KeyboardInterrupt:
            click.echo("stopped; the next `storywire watch` resumes where this one was", err=True)
        finally:
            watcher.close()


@click.group()
def curate():
    """Correct the machine: merge/split/rename stories, copy verdicts, actor merges."""


def _done(store, decision_id: int, message: str, as_json: bool) -> None:
    if as_json:
        emit_json(next(d for d in curation.list_decisions(store) if d["id"] == decision_id))
    else:
        click.echo(f"decision #{decision_id}: {message}")


@curate.command("merge-stories")
@click.argument("keep")
@click.argument("other")
@click.option("--note", help="Why (kept with the decision).")
@db_option
@json_option
def merge_stories(keep, other, note, db, as_json):
    """Make story OTHER part of story KEEP."""
    with open_store(db, must_exist=True) as store:
        _done(store, curation.merge_stories(store, keep, other, note), f"{other} merged into {keep}", as_json)


@curate.command("split-story")
@click.argument("story")
@click.argument("article_ids", nargs=-1, required=True)
@click.option("--note")
@db_option
@json_option
def split_story(story, article_ids, note, db, as_json):
    """Move ARTICLE_IDS out of STORY into a new story."""
    with open_store(db, must_exist=True) as store:
        decision, new = curation.split_story(store, story, article_ids, note)
        _done(store, decision, f"{len(set(article_ids))} articles moved to new story {new}", as_json)


@curate.command("rename-story")
@click.argument("story")
@click.argument("title")
@click.option("--note")
@db_option
@json_option
def rename_story(story, title, note, db, as_json):
    """Give STORY a title of your own."""
    with open_store(db, must_exist=True) as store:
        _done(store, curation.rename_story(store, story, title, note), f"{story} renamed", as_json)


@curate.command("copy-verdict")
@click.argument("a")
@click.argument("b")
@click.argument("verdict", type=click.Choice(curation.VERDICTS))
@click.option("--note")
@db_option
@json_option
def copy_verdict(a, b, verdict, note, db, as_json):
    """Set the verdict of the pair A, B (e.g. mark a wrong copy as independent)."""
    with open_store(db, must_exist=True) as store:
        _done(store, curation.set_copy_verdict(store, a, b, verdict, note), f"{a} ~ {b} is {verdict}", as_json)


@curate.command("merge-actors")
@click.argument("keep")
@click.argument("other")
@click.option("--note")
@db_option
@json_option
def merge_actors(keep, other, note, db, as_json):
    """Actor OTHER is the same as actor KEEP."""
    with open_store(db, must_exist=True) as store:
        _done(store, curation.merge_actors(store, keep, other, note), f"{other} merged into {keep}", as_json)


@curate.command("split-actor")
@click.argument("actor")
@click.argument("variants", nargs=-1, required=True)
@click.option("--note")
@db_option
@json_option
def split_actor(actor, variants, note, db, as_json):
    """The mentions of ACTOR written as VARIANTS are someone else (undo a wrong merge)."""
    with open_store(db, must_exist=True) as store:
        decision, new = curation.split_actor(store, actor, variants, note)
        _done(store, decision, f"{', '.join(variants)} moved to new actor {new}", as_json)


@curate.command()
@click.argument("decision_id", type=int)
@db_option
def undo(decision_id, db):
    """Withdraw a decision (what it changed is recomputed by the next full run)."""
    with open_store(db, must_exist=True) as store:
        curation.undo(store, decision_id)
    click.echo(f"decision #{decision_id} withdrawn")


@curate.command()
@click.option("--kind", type=click.Choice(curation.KINDS))
@click.option("--subject", help="Only decisions about this story, actor or pair.")
@click.option("--all", "include_undone", is_flag=True, help="Include withdrawn decisions.")
@db_option
@json_option
def decisions(kind, subject, include_undone, db, as_json):
    """List the analyst decisions, oldest first."""
    with open_store(db, must_exist=True) as store:
        rows = curation.list_decisions(store, kind=kind, subject=subject, include_undone=include_undone)
    if as_json:
        emit_json(rows)
    else:
        emit_table(rows, ["id", "created_at", "kind", "subject", "object", "value", "active", "note"],
                   {"value": 50, "note": 30})


COMMANDS = [export, follow, unfollow, follows, alerts, feed, watch, curate]
