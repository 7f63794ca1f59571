"""A copy's edits as seen from its source: oriented, trimmed to the changed words, split into segments.

The copies stage stores each pair once, ``a < b``, with edits from ``a`` to ``b``
(char offsets in each side's clean text). Here a pair is turned around so that
edits always read *source → copy*, each replacement is cut down to the words
that actually differ ("Operation X Storm" → "Operation X Flood" becomes
"Storm" → "Flood"), and a text is split into plain and edited segments for a
side-by-side view.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Iterable

from ..text import tokens

_FLIP_OP = {"insert": "delete", "delete": "insert"}


@dataclass
class Edit:
    """One change from the source to the copy; offsets are in each side's clean text."""

    op: str  # replace | insert | delete | move
    source: str
    copy: str
    source_start: int
    source_end: int
    copy_start: int
    copy_end: int
    kind: str | None = None  # the copies stage's note on the edit, e.g. "quote", "boilerplate"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Passage:
    """A stretch of text the copy took from the source."""

    source_start: int
    source_end: int
    copy_start: int
    copy_end: int
    words: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def oriented_edits(raw: Iterable[dict], source_is_a: bool) -> list[Edit]:
    """Stored edits (``a`` → ``b``) as source → copy edits."""
    out = []
    for e in raw:
        a = (e.get("a") or "", int(e.get("a_start") or 0), int(e.get("a_end") or 0))
        b = (e.get("b") or "", int(e.get("b_start") or 0), int(e.get("b_end") or 0))
        op = e.get("op", "replace")
        if not source_is_a:
            a, b = b, a
            op = _FLIP_OP.get(op, op)
        out.append(Edit(op, a[0], b[0], a[1], a[2], b[1], b[2], e.get("kind")))
    return out


def oriented_passages(raw: Iterable[dict], source_is_a: bool) -> list[Passage]:
    out = []
    for p in raw:
        a, b = (p.get("a_start", 0), p.get("a_end", 0)), (p.get("b_start", 0), p.get("b_end", 0))
        if not source_is_a:
            a, b = b, a
        out.append(Passage(int(a[0]), int(a[1]), int(b[0]), int(b[1]), int(p.get("words") or 0)))
    return out


def changed_core(before: str, after: str) -> tuple[str, str]:
    """The part that differs between two phrases, common leading/trailing words cut.

    Words compare case-insensitively. What is left runs from the first to the
    last differing word, quotation marks around them included; a side left
    without any word becomes "" (so "3,500." → "3,500 martyrs." is the
    addition of "martyrs", not a substitution).
    """
    (bs, be), (as_, ae) = core_spans(before, after)
    return before[bs:be], after[as_:ae]


def core_spans(before: str, after: str) -> tuple[tuple[int, int], tuple[int, int]]:
    """Offsets of :func:`changed_core`'s two parts in ``before`` and ``after``."""
    tb, ta = tokens(before), tokens(after)
    lead = 0
    while lead < min(len(tb), len(ta)) and tb[lead].norm == ta[lead].norm:
        lead += 1
    trail = 0
    while (trail < min(len(tb), len(ta)) - lead
           and tb[len(tb) - 1 - trail].norm == ta[len(ta) - 1 - trail].norm):
        trail += 1
    spans = _middle(before, tb, lead, trail), _middle(after, ta, lead, trail)
    if lead == trail == 0 and (spans[0] == (0, 0) or spans[1] == (0, 0)):
        # A whole passage added or cut: keep it as written, punctuation included.
        return _stripped(before) if tb else (0, 0), _stripped(after) if ta else (0, 0)
    return spans


def _stripped(text: str) -> tuple[int, int]:
    return len(text) - len(text.lstrip()), len(text.rstrip())


_OPENING = "'\"‘“«„"
_CLOSING = "'\"’”»"


def _middle(text: str, toks: list, lead: int, trail: int) -> tuple[int, int]:
    """From the first to the last differing word, with quotation marks attached to them."""
    if lead + trail >= len(toks):
        return 0, 0
    start, end = toks[lead].start, toks[len(toks) - trail - 1].end
    while start > 0 and text[start - 1] in _OPENING:
        start -= 1
    while end < len(text) and text[end] in _CLOSING:
        end += 1
    return start, end


def segments(text: str, spans: Iterable[tuple[int, int, str, int]]) -> list[dict[str, Any]]:
    """Split ``text`` into ``{"text", "op", "edit"}`` pieces.

    ``spans`` are ``(start, end, op, edit_index)``; text outside them has op
    ``same`` and edit ``None``. Spans that overlap an earlier one are dropped.
    """
    out: list[dict[str, Any]] = []
    pos = 0
    for start, end, op, index in sorted(spans):
        start, end = max(start, 0), min(end, len(text))
        if start < pos or end <= start:
            continue
        if start > pos:
            out.append({"text": text[pos:start], "op": "same", "edit": None})
        out.append({"text": text[start:end], "op": op, "edit": index})
        pos = end
    if pos < len(text):
        out.append({"text": text[pos:], "op": "same", "edit": None})
    return out


def side_segments(source_text: str, copy_text: str, edits: list[Edit]) -> tuple[list[dict], list[dict]]:
    """Segments of the source and of the copy, edits marked on each side.

    A replacement is marked on its changed words only ("Storm", not
    "Operation Al-Aqsa Storm"), when both sides keep some.
    """
    src, cpy = [], []
    for i, e in enumerate(edits):
        (bs, be), (as_, ae) = core_spans(e.source, e.copy) if e.op == "replace" else ((0, 0), (0, 0))
        if be > bs and ae > as_:
            src.append((e.source_start + bs, e.source_start + be, e.op, i))
            cpy.append((e.copy_start + as_, e.copy_start + ae, e.op, i))
        else:
            src.append((e.source_start, e.source_end, e.op, i))
            cpy.append((e.copy_start, e.copy_end, e.op, i))
    return segments(source_text, src), segments(copy_text, cpy)
