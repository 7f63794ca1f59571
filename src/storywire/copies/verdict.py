"""Verdict and direction for an aligned pair of articles.

* ``copy`` — one text is derived wholly from the other: most of its words are
  in the other (``score >= COPY_SCORE``) and the two are of comparable extent
  (the other's words are in it too, ``>= COPY_OTHER``).
* ``partial`` — one reuses part of the other: a real share of one side's words
  (``score >= PARTIAL_SCORE``) in passages long enough not to be stock phrases
  (``longest >= PARTIAL_LONGEST`` words).
* ``independent`` — otherwise.

``score`` is the larger containment: the share of the more derived side's words
found in the other. It is also the ranking used for ROC AUC.

The thresholds were chosen on generated dev pairs (``python -m
storywire.copies.devset`` from the ECB+ dev texts, then ``storywire eval-copies
DOCS PAIRS --tune``), which grid-searches them for macro-F1; the values below
are rounded from that search; see the package docstring of storywire.copies.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from ..text import words
from .align import Alignment

COPY_SCORE = 0.7
COPY_OTHER = 0.6
PARTIAL_SCORE = 0.2
PARTIAL_LONGEST = 12

VERDICTS = ("copy", "partial", "independent")


@dataclass(frozen=True)
class Thresholds:
    copy_score: float = COPY_SCORE
    copy_other: float = COPY_OTHER
    partial_score: float = PARTIAL_SCORE
    partial_longest: int = PARTIAL_LONGEST


def score(al: Alignment) -> float:
    return max(al.containment_ab, al.containment_ba)


def verdict(al: Alignment, thresholds: Thresholds | None = None) -> tuple[str, float]:
    """(verdict, score) of an alignment."""
    t = thresholds or Thresholds()
    hi, lo = score(al), min(al.containment_ab, al.containment_ba)
    if hi >= t.copy_score and lo >= t.copy_other:
        return "copy", hi
    if hi >= t.partial_score and al.longest >= t.partial_longest:
        return "partial", hi
    return "independent", hi


def parse_time(value: str | None) -> datetime | None:
    """An ISO 8601 date or datetime as an aware datetime (UTC when no zone); None if unreadable."""
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def direction(al: Alignment, a_published: str | None, b_published: str | None) -> tuple[str | None, float]:
    """Which side is the source: ``("a" | "b" | None, confidence)``.

    Evidence, strongest first: the earlier publication time; then which side
    has the additions (words of its own beyond boilerplate; a republisher adds
    its framing more often than the wire text has lines the copy lacks). With
    neither, the direction is unknown.
    """
    ta, tb = parse_time(a_published), parse_time(b_published)
    own_a = al.words_a - al.shared_a - _boiler(al, "a")
    own_b = al.words_b - al.shared_b - _boiler(al, "b")
    # > 0 when B has more additions of its own, which points to A as the source.
    lean = (own_b - own_a) / max(1, al.words_a + al.words_b)
    if ta and tb and ta != tb:
        side = "a" if ta < tb else "b"
        agrees = (lean > 0) == (side == "a") and abs(lean) > 0.01
        return side, 0.9 if agrees else 0.75
    if abs(lean) > 0.01:
        return ("a" if lean > 0 else "b"), round(min(0.7, 0.5 + abs(lean)), 3)
    return None, 0.0


def _boiler(al: Alignment, side: str) -> int:
    return sum(len(words(e.a if side == "a" else e.b)) for e in al.edits if e.kind == "boilerplate")
