"""CLI: `storywire actors` and `storywire actor ID`."""

from __future__ import annotations

import click

from ..cliutil import db_option, emit_json, emit_table, json_option, open_store
from .queries import actor_detail, list_actors


@click.command("actors")
@db_option
@click.option("--story", help="Only actors mentioned in this story.")
@click.option("--kind", type=click.Choice(["person", "org", "place"]), help="Only actors of this kind.")
@click.option("--limit", type=int, default=100, show_default=True)
@json_option
def actors(db, story, kind, limit, as_json):
    """List actors (people, organisations, places), most mentioned first."""
    with open_store(db, must_exist=True) as store:
        rows = list_actors(store, story=story, kind=kind, limit=limit)
    if as_json:
        emit_json(rows)
    else:
        emit_table(rows, ["id", "kind", "name", "mentions", "articles", "variants"])


@click.command("actor")
@click.argument("actor_id")
@db_option
@json_option
def actor(actor_id, db, as_json):
    """Show one actor: its name variants, the outlets that used each, its stories."""
    with open_store(db, must_exist=True) as store:
        info = actor_detail(store, actor_id)
    if as_json:
        emit_json(info)
        return
    click.echo(f"{info['id']}  {info['name']}  ({info['kind']})")
    click.echo("")
    emit_table(
        [{"variant": v["variant"], "count": v["count"],
          "outlets": [f"{o} ({n})" for o, n in v["outlets"].items()]} for v in info["variants"]],
        ["variant", "count", "outlets"],
    )
    if info["stories"]:
        click.echo("")
        emit_table(info["stories"], ["id", "mentions", "title"], {"title": 60})


COMMANDS = [actors, actor]
