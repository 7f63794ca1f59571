"""Scoring copy detection against labelled pairs (``storywire eval-copies``).

Input, both JSON Lines:

* DOCS — one article a line: ``{"id", "text", ...}``; ``date`` (ISO 8601) is
  used for direction when present, other fields are ignored.
* PAIRS — one labelled pair a line: ``{"a", "b", "label"}`` with ``label`` in
  ``copy``, ``partial``, ``independent``; an optional ``source`` (the id of the
  original) is scored as direction accuracy.

Every labelled pair is aligned and judged directly (the candidate search is not
in the loop; its recall is measured by bench/bench_copies.py). Reported:
macro-F1 over the three labels, ROC AUC of derived (copy + partial) against
independent using the pair's score, per-label precision/recall/F1, the
confusion matrix, and direction accuracy.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from .align import Alignment, align
from .verdict import VERDICTS, Thresholds, direction, verdict


@dataclass
class Judged:
    a: str
    b: str
    label: str
    alignment: Alignment
    source: str | None
    predicted_source: str | None


def read_jsonl(path: str | Path) -> list[dict]:
    rows = []
    try:
        with open(path, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if line.strip():
                    try:
                        rows.append(json.loads(line))
                    except json.JSONDecodeError as exc:
                        raise InputError(f"{path}:{n}: not JSON: {exc}", hint="one JSON object per line") from exc
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc}", hint="check the path") from exc
    return rows


def judge(docs_path: str | Path, pairs_path: str | Path) -> list[Judged]:
    """Align every labelled pair of PAIRS using the texts of DOCS."""
    docs = {str(d["id"]): d for d in read_jsonl(docs_path)}
    out = []
    for n, p in enumerate(read_jsonl(pairs_path), 1):
        try:
            a, b, label = str(p["a"]), str(p["b"]), p["label"]
        except KeyError as exc:
            raise InputError(f"{pairs_path}:{n}: missing {exc}", hint='each line needs "a", "b" and "label"') from exc
        if label not in VERDICTS:
            raise InputError(f"{pairs_path}:{n}: label {label!r}", hint=f"use one of {', '.join(VERDICTS)}")
        missing = [x for x in (a, b) if x not in docs]
        if missing:
            raise InputError(f"{pairs_path}:{n}: no document {missing[0]!r} in {docs_path}",
                             hint="every id in PAIRS must be a line of DOCS")
        al = align(docs[a]["text"] or "", docs[b]["text"] or "")
        side, _ = direction(al, docs[a].get("date"), docs[b].get("date"))
        out.append(Judged(a, b, label, al, p.get("source"), {"a": a, "b": b}.get(side)))
    return out


def report(judged: list[Judged], thresholds: Thresholds | None = None) -> dict:
    gold = [j.label for j in judged]
    calls = [verdict(j.alignment, thresholds) for j in judged]
    pred = [v for v, _ in calls]
    scores = [s for _, s in calls]
    per_label = {}
    for label in VERDICTS:
        tp = sum(1 for g, p in zip(gold, pred) if g == p == label)
        fp = sum(1 for g, p in zip(gold, pred) if p == label != g)
        fn = sum(1 for g, p in zip(gold, pred) if g == label != p)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per_label[label] = {"precision": round(prec, 4), "recall": round(rec, 4), "f1": round(f1, 4),
                            "support": tp + fn}
    present = [lab for lab in VERDICTS if per_label[lab]["support"]]
    macro = sum(per_label[lab]["f1"] for lab in present) / max(1, len(present))
    with_source = [j for j in judged if j.source and j.label != "independent"]
    return {
        "pairs": len(judged),
        "macro_f1": round(macro, 4),
        "auc_derived": round(roc_auc([g != "independent" for g in gold], scores), 4),
        "labels": per_label,
        "confusion": {g: {p: sum(1 for x, y in zip(gold, pred) if x == g and y == p) for p in VERDICTS}
                      for g in VERDICTS},
        "direction_accuracy": round(sum(j.predicted_source == j.source for j in with_source) / len(with_source), 4)
        if with_source else None,
    }


def roc_auc(positive: list[bool], scores: list[float]) -> float:
    """Probability that a random positive outscores a random negative (ties count half)."""
    ranked = sorted(zip(scores, positive))
    n_pos = sum(positive)
    n_neg = len(positive) - n_pos
    if not n_pos or not n_neg:
        return float("nan")
    rank_sum, i = 0.0, 0
    while i < len(ranked):
        j = i
        while j < len(ranked) and ranked[j][0] == ranked[i][0]:
            j += 1
        avg_rank = (i + 1 + j) / 2
        rank_sum += avg_rank * sum(1 for _, p in ranked[i:j] if p)
        i = j
    return (rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


def tune(judged: list[Judged]) -> tuple[Thresholds, float]:
    """The thresholds (on a coarse grid) that give the best macro-F1 on ``judged``."""
    best, best_f1 = Thresholds(), -1.0
    grid = itertools.product(
        [0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9],
        [0.3, 0.4, 0.5, 0.6, 0.7],
        [0.08, 0.1, 0.12, 0.15, 0.2, 0.25, 0.3],
        [5, 8, 12, 16],
    )
    for cs, co, ps, pl in grid:
        t = Thresholds(cs, co, ps, pl)
        f1 = report(judged, t)["macro_f1"]
        if f1 > best_f1:
            best, best_f1 = t, f1
    return best, best_f1
