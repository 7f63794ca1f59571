"""Exports: stories, articles, copies, actors, quotes and figures as tables
(CSV, JSONL, Parquet), and the copy graph and actor co-occurrence graph as
GEXF/GraphML for Gephi.

Tables stream from SQLite in batches, so exports of large stores stay in
bounded memory. ``--story ID`` restricts every kind to one story.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import IO, Any, Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import StorywireError
from ..store import Store

TABLE_FORMATS = ("csv", "jsonl", "parquet")
GRAPH_FORMATS = ("gexf", "graphml")
BATCH = 1000


class ExportError(StorywireError):
    """An export that cannot be made as asked."""


@dataclass(frozen=True)
class Table:
    """One exportable kind: its query and its typed columns."""

    sql: str  # selects exactly ``columns``; has a ``{where}`` slot for the story filter
    story_filter: str  # SQL condition on ``?`` (the story id)
    columns: tuple[tuple[str, pa.DataType], ...]
    # Columns stored as JSON lists in SQLite, exported as real lists (JSONL, Parquet).
    list_columns: tuple[str, ...] = ()


_S, _I, _F, _L = pa.string(), pa.int64(), pa.float64(), pa.list_(pa.string())

TABLES: dict[str, Table] = {
    "stories": Table(
        "SELECT s.id, s.title, s.first_seen, s.last_seen, s.article_count, s.languages, s.outlets, "
        "s.key_actors, s.summary, s.status, s.merged_into, s.updated_at FROM stories s {where} ORDER BY s.id",
        "s.id = ?",
        (("id", _S), ("title", _S), ("first_seen", _S), ("last_seen", _S), ("article_count", _I),
         ("languages", _L), ("outlets", _L), ("key_actors", _L), ("summary", _S), ("status", _S),
         ("merged_into", _S), ("updated_at", _S)),
        ("languages", "outlets", "key_actors"),
    ),
    "articles": Table(
        "SELECT a.id, a.outlet, a.url, a.title, a.published, a.language, sa.story_id, a.version, "
        "a.content_hash, a.ingested_at, a.clean_text FROM articles a "
        "LEFT JOIN story_articles sa ON sa.article_id = a.id {where} ORDER BY a.rowid",
        "sa.story_id = ?",
        (("id", _S), ("outlet", _S), ("url", _S), ("title", _S), ("published", _S), ("language", _S),
         ("story_id", _S), ("version", _I), ("content_hash", _S), ("ingested_at", _S), ("clean_text", _S)),
    ),
    "copies": Table(
        "SELECT p.a, p.b, p.verdict, p.score, p.source_id, p.direction_conf, p.containment_ab, "
        "p.containment_ba, xa.outlet AS outlet_a, xb.outlet AS outlet_b, p.edits, p.passages, p.computed_at "
        "FROM copy_pairs p LEFT JOIN articles xa ON xa.id = p.a LEFT JOIN articles xb ON xb.id = p.b "
        "{where} ORDER BY p.a, p.b",
        "(p.a IN (SELECT article_id FROM story_articles WHERE story_id = ?1) "
        "OR p.b IN (SELECT article_id FROM story_articles WHERE story_id = ?1))",
        (("a", _S), ("b", _S), ("verdict", _S), ("score", _F), ("source_id", _S), ("direction_conf", _F),
         ("containment_ab", _F), ("containment_ba", _F), ("outlet_a", _S), ("outlet_b", _S), ("edits", _S),
         ("passages", _S), ("computed_at", _S)),
    ),
    "actors": Table(
        "SELECT x.id, x.name, x.kind, x.key, count(m.id) AS mentions, "
        "json_group_array(DISTINCT m.text) AS variants, json_group_array(DISTINCT a.outlet) AS outlets "
        "FROM actors x JOIN mentions m ON m.actor_id = x.id LEFT JOIN articles a ON a.id = m.article_id "
        "{where} GROUP BY x.id ORDER BY mentions DESC, x.id",
        "m.article_id IN (SELECT article_id FROM story_articles WHERE story_id = ?)",
        (("id", _S), ("name", _S), ("kind", _S), ("key", _S), ("mentions", _I), ("variants", _L),
         ("outlets", _L)),
        ("variants", "outlets"),
    ),
    "quotes": Table(
        "SELECT q.id, q.article_id, a.outlet, a.published, sa.story_id, q.speaker, q.actor_id, q.text, "
        "q.kind, q.statement_id, q.start, q.end FROM quotes q LEFT JOIN articles a ON a.id = q.article_id "
        "LEFT JOIN story_articles sa ON sa.article_id = q.article_id {where} ORDER BY q.id",
        "sa.story_id = ?",
        (("id", _I), ("article_id", _S), ("outlet", _S), ("published", _S), ("story_id", _S),
         ("speaker", _S), ("actor_id", _S), ("text", _S), ("kind", _S), ("statement_id", _S),
         ("start", _I), ("end", _I)),
    ),
    "figures": Table(
        "SELECT f.id, f.article_id, a.outlet, sa.story_id, f.what, f.value, f.low, f.high, f.raw, "
        "f.date, f.start, f.end FROM figures f LEFT JOIN articles a ON a.id = f.article_id "
        "LEFT JOIN story_articles sa ON sa.article_id = f.article_id {where} ORDER BY f.id",
        "sa.story_id = ?",
        (("id", _I), ("article_id", _S), ("outlet", _S), ("story_id", _S), ("what", _S), ("value", _F),
         ("low", _F), ("high", _F), ("raw", _S), ("date", _S), ("start", _I), ("end", _I)),
    ),
}
# Kinds that also export as a graph, and the graph they export as.
GRAPHS = {"copies": "copy graph", "actors": "actor co-occurrence graph"}
KINDS = tuple(TABLES)


def rows(store: Store, kind: str, story: str | None = None) -> Iterator[dict[str, Any]]:
    """The rows of ``kind`` as dicts, JSON list columns decoded, in batches from SQLite."""
    table = _table(kind)
    where, params = ("", ()) if story is None else ("WHERE " + table.story_filter, (story,))
    cur = store.conn.execute(table.sql.format(where=where), params)
    names = [name for name, _ in table.columns]
    while batch := cur.fetchmany(BATCH):
        for row in batch:
            out = dict(zip(names, tuple(row)))
            for col in table.list_columns:
                out[col] = [v for v in json.loads(out[col] or "[]") if v is not None]
            yield out


def write_table(store: Store, kind: str, fmt: str, out: IO[bytes], story: str | None = None) -> int:
    """Write ``kind`` to the binary stream ``out`` as ``fmt``; return the row count."""
    if fmt not in TABLE_FORMATS:
        raise ExportError(
            f"{kind} cannot be exported as {fmt!r}",
            hint=f"use one of {', '.join(TABLE_FORMATS)}"
            + (f"; {', '.join(GRAPH_FORMATS)} export the {GRAPHS[kind]}" if kind in GRAPHS else ""),
        )
    table = _table(kind)
    it = rows(store, kind, story)
    if fmt == "parquet":
        return _write_parquet(table, it, out)
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    count = 0
    try:
        if fmt == "csv":
            writer = csv.DictWriter(text, fieldnames=[n for n, _ in table.columns])
            writer.writeheader()
            for row in it:
                writer.writerow({k: json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v
                                 for k, v in row.items()})
                count += 1
        else:
            for row in it:
                text.write(json.dumps(row, ensure_ascii=False) + "\n")
                count += 1
        text.flush()
    finally:
        text.detach()
    return count


def _write_parquet(table: Table, it: Iterator[dict], out: IO[bytes]) -> int:
    schema = pa.schema([pa.field(name, typ) for name, typ in table.columns])
    count = 0
    with pq.ParquetWriter(out, schema) as writer:
        batch: list[dict] = []
        for row in it:
            batch.append(row)
            if len(batch) >= BATCH:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                count += len(batch)
                batch = []
        # An empty export still writes a valid file with the schema.
        writer.write_table(pa.Table.from_pylist(batch, schema=schema))
        count += len(batch)
    return count


def copy_graph(store: Store, story: str | None = None):
    """Directed graph of copy and partial-copy pairs: source -> copy where known."""
    import networkx as nx

    graph = nx.DiGraph(name="storywire copy graph")
    for pair in rows(store, "copies", story):
        if pair["verdict"] not in ("copy", "partial"):
            continue
        src, dst = pair["a"], pair["b"]
        if pair["source_id"] == pair["b"]:
            src, dst = dst, src
        graph.add_edge(src, dst, verdict=pair["verdict"], score=pair["score"],
                       direction_conf=pair["direction_conf"], directed=pair["source_id"] is not None)
    _add_article_attributes(store, graph)
    return graph


def actor_graph(store: Store, story: str | None = None):
    """Undirected graph of actors; edge weight = articles mentioning both."""
    import networkx as nx

    graph = nx.Graph(name="storywire actor co-occurrence graph")
    for actor in rows(store, "actors", story):
        graph.add_node(actor["id"], label=actor["name"], kind=actor["kind"], mentions=actor["mentions"],
                       variants="; ".join(actor["variants"]))
    where, params = "", ()
    if story is not None:
        where, params = "AND x.article_id IN (SELECT article_id FROM story_articles WHERE story_id = ?)", (story,)
    cur = store.conn.execute(
        "WITH x AS (SELECT DISTINCT article_id, actor_id FROM mentions WHERE actor_id IS NOT NULL) "
        "SELECT x.actor_id AS u, y.actor_id AS v, count(*) AS n FROM x JOIN x AS y "
        f"ON y.article_id = x.article_id AND x.actor_id < y.actor_id WHERE 1 {where} GROUP BY u, v",
        params,
    )
    for row in cur:
        graph.add_edge(row["u"], row["v"], weight=row["n"])
    return graph


def write_graph(store: Store, kind: str, fmt: str, out: IO[bytes], story: str | None = None) -> int:
    """Write the graph of ``kind`` (copies or actors) as GEXF or GraphML; return its node count."""
    import networkx as nx

    if kind not in GRAPHS:
        raise ExportError(f"{kind} has no graph to export as {fmt}",
                          hint=f"graphs exist for {', '.join(GRAPHS)}; export {kind} as csv, jsonl or parquet")
    graph = copy_graph(store, story) if kind == "copies" else actor_graph(store, story)
    _drop_missing(graph)
    if fmt == "gexf":
        nx.write_gexf(graph, out)
    else:
        nx.write_graphml(graph, out)
    return graph.number_of_nodes()


def export(store: Store, kind: str, fmt: str, out: IO[bytes], story: str | None = None) -> int:
    """Write one export; tables return rows written, graphs return nodes written."""
    _table(kind)
    if fmt in GRAPH_FORMATS:
        return write_graph(store, kind, fmt, out, story)
    return write_table(store, kind, fmt, out, story)


def _table(kind: str) -> Table:
    if kind not in TABLES:
        raise ExportError(f"unknown export kind {kind!r}", hint=f"use one of {', '.join(KINDS)}")
    return TABLES[kind]


def _add_article_attributes(store: Store, graph) -> None:
    ids = list(graph.nodes)
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        for row in store.query(
            "SELECT a.id, a.outlet, a.title, a.published, a.language, g.group_id, g.is_origin "
            f"FROM articles a LEFT JOIN copy_groups g ON g.article_id = a.id WHERE a.id IN ({marks})",
            chunk,
        ):
            graph.nodes[row["id"]].update(
                label=row["title"] or row["id"], outlet=row["outlet"], published=row["published"],
                language=row["language"], group=row["group_id"], is_origin=bool(row["is_origin"]),
            )


def _drop_missing(graph) -> None:
    """GEXF and GraphML have no null: leave out attributes that are unknown."""
    for _, data in graph.nodes(data=True):
        for key in [k for k, v in data.items() if v is None]:
            del data[key]
    for _, _, data in graph.edges(data=True):
        for key in [k for k, v in data.items() if v is None]:
            del data[key]
