"""Comparing two stored articles: alignment, verdict and direction as one record.

A :class:`CopyPair` is what the ``copy_pairs`` table holds (``a < b`` by id;
edits and passages as char offsets into each article's ``clean_text``).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from ..model import Article
from ..store import now
from .align import Alignment, align
from .verdict import VERDICTS, direction, verdict


@dataclass
class CopyPair:
    a: str
    b: str
    verdict: str
    score: float
    source_id: str | None
    direction_conf: float
    alignment: Alignment

    @property
    def derived(self) -> bool:
        return self.verdict in ("copy", "partial")

    def row(self) -> tuple:
        al = self.alignment
        edits = [
            {"op": e.op, "a": e.a, "b": e.b, "a_start": e.a_start, "a_end": e.a_end,
             "b_start": e.b_start, "b_end": e.b_end, **({"kind": e.kind} if e.kind else {})}
            for e in al.edits
        ]
        passages = [vars(p) for p in al.passages]
        return (self.a, self.b, self.verdict, round(self.score, 4), self.source_id, round(self.direction_conf, 3),
                round(al.containment_ab, 4), round(al.containment_ba, 4),
                json.dumps(edits, ensure_ascii=False), json.dumps(passages), now())


def compare(x: Article, y: Article, decided: str | None = None) -> CopyPair:
    """Align two articles (ordered by id) and judge the pair.

    ``decided`` is an analyst's verdict for the pair, which replaces the automatic one.
    """
    a, b = (x, y) if x.id < y.id else (y, x)
    al = align(a.text, b.text)
    label, score = verdict(al)
    if decided in VERDICTS:
        label = decided
    side, conf = direction(al, a.published, b.published) if label != "independent" else (None, 0.0)
    source = {"a": a.id, "b": b.id}.get(side or "")
    return CopyPair(a.id, b.id, label, score, source, conf, al)


def decided_verdict(conn: sqlite3.Connection, a: str, b: str) -> str | None:
    """The analyst's active ``copy_verdict`` decision for the pair, if any.

    The decision's subject is ``"a|b"`` (either order); its value is the verdict,
    as a JSON string or ``{"verdict": ...}``.
    """
    row = conn.execute(
        "SELECT value FROM decisions WHERE kind = 'copy_verdict' AND active = 1 AND subject IN (?, ?) "
        "ORDER BY id DESC LIMIT 1",
        (f"{a}|{b}", f"{b}|{a}"),
    ).fetchone()
    if row is None or row[0] is None:
        return None
    try:
        value = json.loads(row[0])
    except ValueError:
        value = row[0]
    return value.get("verdict") if isinstance(value, dict) else value


PAIR_COLUMNS = ("a, b, verdict, score, source_id, direction_conf, containment_ab, containment_ba, "
                "edits, passages, computed_at")


def save(conn: sqlite3.Connection, pair: CopyPair) -> None:
    conn.execute(f"INSERT OR REPLACE INTO copy_pairs ({PAIR_COLUMNS}) VALUES ({', '.join('?' * 11)})", pair.row())
