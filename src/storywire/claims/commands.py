"""CLI: `storywire quotes` and `storywire figures`."""

from __future__ import annotations

import click

from ..cliutil import db_option, emit_json, emit_table, json_option, open_store
from .queries import amount, figure_lineup, list_figures, list_quotes


@click.command("quotes")
@db_option
@click.option("--story", help="Only quotes of this story.")
@click.option("--actor", help="Only quotes of this actor.")
@click.option("--limit", type=int, default=200, show_default=True)
@json_option
def quotes(db, story, actor, limit, as_json):
    """Who said what: quotes with speaker, outlet and statement group."""
    with open_store(db, must_exist=True) as store:
        rows = list_quotes(store, story=story, actor=actor, limit=limit)
    if as_json:
        emit_json(rows)
    else:
        emit_table(rows, ["statement_id", "speaker", "outlet", "kind", "text"], {"speaker": 24, "outlet": 20, "text": 70})


@click.command("figures")
@db_option
@click.option("--story", help="Line up this story's figures per quantity and outlet.")
@click.option("--limit", type=int, default=500, show_default=True)
@json_option
def figures(db, story, limit, as_json):
    """Numbers each outlet reported (killed, injured, arrested…); with --story, lined up so disagreements show."""
    with open_store(db, must_exist=True) as store:
        if story:
            lineup = figure_lineup(store, story)
        else:
            rows = list_figures(store, limit=limit)
    if not story:
        if as_json:
            emit_json(rows)
        else:
            emit_table([{**r, "amount": amount(r)} for r in rows],
                       ["what", "amount", "raw", "outlet", "date", "article_id"], {"raw": 30, "outlet": 20})
        return
    if as_json:
        emit_json(lineup)
        return
    rows = [
        {"what": e["what"] + (" (disagree)" if e["disagree"] else ""), "amount": o["amount"],
         "outlet": o["outlet"], "date": o["date"], "raw": o["raw"], "article_id": o["article_id"]}
        for e in lineup for o in e["outlets"]
    ]
    emit_table(rows, ["what", "amount", "outlet", "date", "raw", "article_id"], {"raw": 30, "outlet": 20})


COMMANDS = [quotes, figures]
