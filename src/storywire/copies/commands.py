"""CLI commands of the copies stage: ``copies``, ``diff``, ``eval-copies``."""

from __future__ import annotations

import json
import sys

import click

from ..cliutil import db_option, emit_json, emit_table, json_option, open_store
from .align import Edit
from .pairs import PAIR_COLUMNS, compare
from .render import describe, inline_diff


@click.command("copies")
@db_option
@click.option("--article", "article_id", help="Only pairs involving this article id.")
@click.option("--all", "show_all", is_flag=True, help="Also list independent near misses.")
@click.option("--limit", type=int, default=100, show_default=True)
@json_option
def copies(db, article_id, show_all, limit, as_json):
    """List copy pairs: verdict, direction, overlap and edits."""
    where, params = [], []
    if article_id:
        where.append("(a = ? OR b = ?)")
        params += [article_id, article_id]
    if not show_all and not article_id:
        where.append("verdict != 'independent'")
    sql = (f"SELECT {PAIR_COLUMNS}, (SELECT group_id FROM copy_groups WHERE article_id = a) AS group_id "
           f"FROM copy_pairs {'WHERE ' + ' AND '.join(where) if where else ''} "
           "ORDER BY score DESC, a, b LIMIT ?")
    with open_store(db, must_exist=True) as store:
        if article_id:
            store.get_article(article_id)  # a clear error for an unknown id
        rows = [dict(r) for r in store.query(sql, [*params, limit])]
    for r in rows:
        r["edits"] = json.loads(r["edits"])
        r["passages"] = json.loads(r["passages"])
    if as_json:
        emit_json(rows)
        return
    if not rows:
        click.echo("no copy pairs" + (f" for {article_id}" if article_id else ""))
        return
    for r in rows:
        r["overlap"] = f"{r['containment_ab']:.2f}/{r['containment_ba']:.2f}"
        r["source"] = r["source_id"] or "?"
        edits = [e for e in r["edits"] if e.get("kind") != "boilerplate"]
        r["edits_n"] = len(edits)
        r["first edits"] = "; ".join(describe(_edit(e)) for e in edits[:3])
    emit_table(rows, ["a", "b", "verdict", "score", "source", "overlap", "edits_n", "first edits"],
               {"first edits": 70})


def _edit(e: dict) -> Edit:
    return Edit(e["op"], e["a"], e["b"], e["a_start"], e["a_end"], e["b_start"], e["b_end"], e.get("kind"))


@click.command("diff")
@click.argument("a")
@click.argument("b")
@db_option
@click.option("--color/--no-color", "colour", default=None, help="Colour the edits (default: when printing to a terminal).")
@json_option
def diff(a, b, db, colour, as_json):
    """Show how article B differs from article A, edits highlighted inline."""
    with open_store(db, must_exist=True) as store:
        art_a, art_b = store.get_article(a), store.get_article(b)
    pair = compare(art_a, art_b)
    first = art_a if pair.a == art_a.id else art_b
    al = pair.alignment
    if as_json:
        emit_json({"a": pair.a, "b": pair.b, "verdict": pair.verdict, "score": pair.score,
                   "source_id": pair.source_id, "direction_conf": pair.direction_conf, "alignment": al.to_dict()})
        return
    colour = sys.stdout.isatty() if colour is None else colour
    click.echo(f"{pair.a} -> {pair.b}: {pair.verdict} (score {pair.score:.2f}; "
               f"{al.containment_ab:.0%} of {pair.a} in {pair.b}, {al.containment_ba:.0%} of {pair.b} in {pair.a}; "
               f"source {pair.source_id or 'unknown'})")
    if not colour:
        click.echo("legend: [-only in A-] {+only in B+} [>moved<]")
    click.echo("")
    click.echo(inline_diff(first.text, al, colour=colour), color=colour)
    edits = al.edits
    click.echo(f"\n{len(edits)} edits:")
    for e in edits:
        click.echo(f"  {describe(e)}")


@click.command("eval-copies")
@click.argument("docs", type=click.Path(exists=True, dir_okay=False))
@click.argument("pairs", type=click.Path(exists=True, dir_okay=False))
@click.option("--tune", is_flag=True, help="Also grid-search the verdict thresholds for macro-F1 on these pairs.")
@json_option
def eval_copies(docs, pairs, tune, as_json):
    """Score copy detection on labelled pairs: macro-F1 and ROC AUC (format: see storywire.copies)."""
    from . import evaluate

    judged = evaluate.judge(docs, pairs)
    result = evaluate.report(judged)
    if tune:
        best, f1 = evaluate.tune(judged)
        result["tuned"] = {"thresholds": vars(best), "macro_f1": f1}
    if as_json:
        emit_json(result)
        return
    click.echo(f"pairs {result['pairs']}  macro-F1 {result['macro_f1']:.4f}  "
               f"AUC derived vs independent {result['auc_derived']:.4f}  "
               f"direction accuracy {result['direction_accuracy'] if result['direction_accuracy'] is not None else '-'}")
    emit_table([{"label": k, **v} for k, v in result["labels"].items()],
               ["label", "precision", "recall", "f1", "support"])
    click.echo("confusion (rows gold, columns predicted):")
    emit_table([{"gold": g, **row} for g, row in result["confusion"].items()], ["gold", "copy", "partial", "independent"])
    if tune:
        click.echo(f"best thresholds: {json.dumps(result['tuned']['thresholds'])} "
                   f"-> macro-F1 {result['tuned']['macro_f1']:.4f}")


COMMANDS = [copies, diff, eval_copies]
