"""Copy groups: articles connected by copy or partial pairs, and their likely origin.

A group is a connected component of the graph whose edges are the pairs judged
``copy`` or ``partial``. Its id is the id of its origin, chosen as: the earliest
published member; among equals, the member most often judged the source of its
pairs; then the smallest id.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from typing import Iterable

from .verdict import parse_time

_EDGES = "SELECT a, b, source_id FROM copy_pairs WHERE verdict IN ('copy', 'partial') AND {} = ?"


def regroup(conn: sqlite3.Connection, article_ids: Iterable[str]) -> int:
    """Recompute the groups of ``article_ids`` (and of everything linked to them).

    Returns the number of groups written. Call inside the stage's transaction.
    """
    seeds = set(article_ids)
    old_groups = _in_chunks(conn, "SELECT DISTINCT group_id FROM copy_groups WHERE article_id IN ({})", seeds)
    seeds |= set(_in_chunks(conn, "SELECT article_id FROM copy_groups WHERE group_id IN ({})", old_groups))
    seen: set[str] = set()
    groups = 0
    for start in sorted(seeds):
        if start in seen:
            continue
        members, votes = _component(conn, start)
        seen |= members
        conn.executemany("DELETE FROM copy_groups WHERE article_id = ?", [(m,) for m in members])
        if len(members) < 2:
            continue
        origin = _origin(conn, members, votes)
        conn.executemany(
            "INSERT INTO copy_groups (article_id, group_id, is_origin) VALUES (?, ?, ?)",
            [(m, origin, int(m == origin)) for m in sorted(members)],
        )
        groups += 1
    return groups


def _component(conn: sqlite3.Connection, start: str) -> tuple[set[str], Counter]:
    members, todo, votes = {start}, [start], Counter()
    while todo:
        node = todo.pop()
        for column in ("a", "b"):
            for a, b, source in conn.execute(_EDGES.format(column), (node,)):
                if node == a and source:
                    votes[source] += 1
                other = b if column == "a" else a
                if other not in members:
                    members.add(other)
                    todo.append(other)
    return members, votes


def _origin(conn: sqlite3.Connection, members: set[str], votes: Counter) -> str:
    published = dict(_in_chunks(conn, "SELECT id, published FROM articles WHERE id IN ({})", members, pairs=True))
    far_future = parse_time("9999-12-31")

    def rank(aid: str):
        return (parse_time(published.get(aid)) or far_future, -votes[aid], aid)

    return min(members, key=rank)


def _in_chunks(conn: sqlite3.Connection, sql: str, ids: Iterable[str], pairs: bool = False) -> list:
    ids = list(ids)
    out: list = []
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        rows = conn.execute(sql.format(",".join("?" * len(chunk))), chunk).fetchall()
        out += [tuple(r) if pairs else r[0] for r in rows]
    return out
