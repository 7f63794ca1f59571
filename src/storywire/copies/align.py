"""Word-level alignment of two texts: shared passages, containment, edit script.

``align(text_a, text_b)`` is a pure function (no store, no settings) that says
how text B differs from text A, the way an analyst reads a republished article:

* **passages** — runs of the same words in both texts, wherever they sit
  (a moved paragraph is still a shared passage);
* **containment** both ways — the share of A's words found in B and of B's in A;
* **edits** — what turns A into B: ``replace`` ("Storm" -> "Flood"),
  ``insert`` (words only B has), ``delete`` (words only A has), ``move``
  (a passage both have, in another place).

Comparison is on words (:func:`storywire.text.tokens`), case-insensitive, so
whitespace, line breaks, punctuation style and typographic quote styles never
make an edit. Two things do, and are marked with a ``kind``:

* ``kind="quote"``: the same words quoted on one side only, e.g. Israeli ->
  ‘Israeli’ (scare quotes are an editorial choice analysts track). The edit is a
  ``replace`` whose texts include the quote marks; it does not lower containment.
  Changing only the style of quotes (" to “) is not an edit.
* ``kind="boilerplate"``: short unmatched text at the very start or end of a
  side (a dateline, "Outlet -", "All rights reserved."): reported, but left out
  of containment so that a copy with its outlet's furniture is still a copy.

All offsets are character offsets into the texts passed in (for articles, their
``clean_text``), end-exclusive.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher

from ..text import Token, normalize_words, tokens

# Shortest run of equal words taken as a shared passage on its own. Shorter
# equal runs count only inside a short gap between passages (see _refine).
ANCHOR_WORDS = 4
# Gaps between passages up to this many words per side are aligned word by word.
REFINE_WORDS = 30
# Unmatched text at a text's start or end of at most this many words is boilerplate.
BOILERPLATE_WORDS = 10
# How far apart (in words) the quote marks of one quoted phrase may be.
QUOTE_SPAN_WORDS = 12
# Occurrences of a repeated 4-gram followed up, so repetitive texts stay fast.
MAX_OCCURRENCES = 16

QUOTE_MARKS = "\"'“”‘’«»„‚‹›「」『』"
_CLOSES_AFTER = re.compile(f"^[.,;:!?]?[{QUOTE_MARKS}]")


@dataclass(frozen=True)
class Passage:
    """Words shared by both texts; ``words`` counts them."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    words: int


@dataclass(frozen=True)
class Edit:
    """One change from A to B. Inserts have ``a_start == a_end`` (where in A the
    words would go); deletes have ``b_start == b_end``."""

    op: str  # replace | insert | delete | move
    a: str
    b: str
    a_start: int
    a_end: int
    b_start: int
    b_end: int
    kind: str | None = None  # None | "quote" | "boilerplate"


@dataclass
class Alignment:
    passages: list[Passage] = field(default_factory=list)
    edits: list[Edit] = field(default_factory=list)
    words_a: int = 0
    words_b: int = 0
    shared_a: int = 0  # words of A found in B
    shared_b: int = 0
    containment_ab: float = 0.0  # share of A's words (boilerplate aside) found in B
    containment_ba: float = 0.0
    longest: int = 0  # words in the longest passage

    def to_dict(self) -> dict:
        return asdict(self)


def align(text_a: str, text_b: str) -> Alignment:
    """Align ``text_a`` with ``text_b`` at word level; see the module docstring."""
    ta, tb = tokens(text_a), tokens(text_b)
    wa, wb = normalize_words([t.text for t in ta]), normalize_words([t.text for t in tb])
    # pair[i] = index in B of A's word i, or -1; filled by passages and refinement.
    pair_a = [-1] * len(wa)
    pair_b = [-1] * len(wb)
    runs = _passages(wa, wb)
    for i, j, n in runs:
        for k in range(n):
            pair_a[i + k], pair_b[j + k] = j + k, i + k
    backbone, moved = _in_order(runs)

    ctx = _Ctx(text_a, text_b, ta, tb)
    edits: list[Edit] = []
    # Gaps between consecutive in-order passages, plus the two ends.
    bounds = [(0, 0)] + [(i + n, j + n) for i, j, n in backbone]
    ends = [(i, j) for i, j, _ in backbone] + [(len(wa), len(wb))]
    for (a0, b0), (a1, b1) in zip(bounds, ends):
        run_a = _free_runs(pair_a, a0, a1)
        run_b = _free_runs(pair_b, b0, b1)
        if len(run_a) == 1 and len(run_b) == 1:
            edits += _refine(ctx, run_a[0], run_b[0], wa, wb, pair_a, pair_b)
        else:
            for s, e in _by_line(ta, text_a, run_a):
                edits.append(ctx.edit("delete", s, e, *_insert_point_b(pair_a, s)))
            for s, e in _by_line(tb, text_b, run_b):
                edits.append(ctx.edit("insert", *_insert_point_a(pair_b, s), s, e))
    for i, j, n in moved:
        edits.append(ctx.edit("move", i, i + n, j, j + n))
    ctx.matched(pair_a, pair_b)
    edits = [_mark_boilerplate(e, ctx) for e in edits]
    edits += _quote_edits(ctx, pair_a)
    edits.sort(key=lambda e: (e.a_start, e.b_start, e.op))

    boiler_a = sum(ctx.count_a(e) for e in edits if e.kind == "boilerplate")
    boiler_b = sum(ctx.count_b(e) for e in edits if e.kind == "boilerplate")
    shared_a = sum(1 for p in pair_a if p >= 0)
    shared_b = sum(1 for p in pair_b if p >= 0)
    passages = [ctx.passage(i, j, n) for i, j, n in sorted(runs)]
    return Alignment(
        passages=passages,
        edits=edits,
        words_a=len(wa),
        words_b=len(wb),
        shared_a=shared_a,
        shared_b=shared_b,
        containment_ab=shared_a / max(1, len(wa) - boiler_a),
        containment_ba=shared_b / max(1, len(wb) - boiler_b),
        longest=max((n for _, _, n in runs), default=0),
    )


class _Ctx:
    """The two texts and their tokens; turns word ranges into offsets and edits."""

    def __init__(self, text_a: str, text_b: str, ta: list[Token], tb: list[Token]):
        self.text_a, self.text_b, self.ta, self.tb = text_a, text_b, ta, tb
        self.starts_a = [t.start for t in ta]
        self.starts_b = [t.start for t in tb]

    def span_a(self, s: int, e: int) -> tuple[int, int]:
        return _span(self.ta, s, e)

    def span_b(self, s: int, e: int) -> tuple[int, int]:
        return _span(self.tb, s, e)

    def edit(self, op: str, a0: int, a1: int, b0: int, b1: int) -> Edit:
        as_, ae = _take_quotes(self.text_a, *self.span_a(a0, a1))
        bs, be = _take_quotes(self.text_b, *self.span_b(b0, b1))
        return Edit(op, self.text_a[as_:ae], self.text_b[bs:be], as_, ae, bs, be)

    def passage(self, i: int, j: int, n: int) -> Passage:
        return Passage(*self.span_a(i, i + n), *self.span_b(j, j + n), n)

    def count_a(self, e: Edit) -> int:
        return bisect_left(self.starts_a, e.a_end) - bisect_left(self.starts_a, e.a_start)

    def count_b(self, e: Edit) -> int:
        return bisect_left(self.starts_b, e.b_end) - bisect_left(self.starts_b, e.b_start)

    def matched(self, pair_a: list[int], pair_b: list[int]) -> None:
        """Note where the shared words begin and end on each side."""
        hit_a = [i for i, p in enumerate(pair_a) if p >= 0]
        hit_b = [j for j, p in enumerate(pair_b) if p >= 0]
        self.first_a = self.ta[hit_a[0]].start if hit_a else len(self.text_a)
        self.last_a = self.ta[hit_a[-1]].end if hit_a else 0
        self.first_b = self.tb[hit_b[0]].start if hit_b else len(self.text_b)
        self.last_b = self.tb[hit_b[-1]].end if hit_b else 0

    def at_edge_a(self, e: Edit) -> bool:
        return e.a_end <= self.first_a or e.a_start >= self.last_a

    def at_edge_b(self, e: Edit) -> bool:
        return e.b_end <= self.first_b or e.b_start >= self.last_b


def _span(toks: list[Token], s: int, e: int) -> tuple[int, int]:
    """Char span of tokens s..e-1; an empty range is the point after token s-1."""
    if s < e:
        return toks[s].start, toks[e - 1].end
    point = toks[s - 1].end if s > 0 else 0
    return point, point


def _take_quotes(text: str, s: int, e: int) -> tuple[int, int]:
    """Widen a span to the quote marks that close or wrap it, so no edit shows half a quote."""
    if s == e:
        return s, e
    inside = sum(text[s:e].count(q) for q in QUOTE_MARKS if q not in "'’")
    inside += len(re.findall(r"(?<!\w)['‘’]|['‘’](?!\w)", text[s:e]))
    before = s > 0 and text[s - 1] in QUOTE_MARKS
    after = e < len(text) and text[e] in QUOTE_MARKS
    if inside % 2 and after:
        return s, e + 1
    if inside % 2 and before:
        return s - 1, e
    if not inside and before and after:
        return s - 1, e + 1
    return s, e


def _passages(wa: list[str], wb: list[str]) -> list[tuple[int, int, int]]:
    """Non-overlapping runs (i, j, n) of equal words, longest first, n >= ANCHOR_WORDS."""
    k = ANCHOR_WORDS
    index: dict[tuple[str, ...], list[int]] = {}
    for j in range(len(wb) - k + 1):
        index.setdefault(tuple(wb[j : j + k]), []).append(j)
    found = []
    for i in range(len(wa) - k + 1):
        hits = index.get(tuple(wa[i : i + k]))
        if not hits:
            continue
        for j in hits[:MAX_OCCURRENCES]:
            if i and j and wa[i - 1] == wb[j - 1]:
                continue  # inside a run that starts earlier
            n = k
            while i + n < len(wa) and j + n < len(wb) and wa[i + n] == wb[j + n]:
                n += 1
            found.append((n, i, j))
    found.sort(key=lambda r: (-r[0], r[1], r[2]))
    used_a = [False] * len(wa)
    used_b = [False] * len(wb)
    runs = []
    for n, i, j in found:
        # Keep the longest stretch of this run whose words are still free on both sides.
        best, start, cur = 0, 0, 0
        for off in range(n):
            cur = cur + 1 if not used_a[i + off] and not used_b[j + off] else 0
            if cur > best:
                best, start = cur, off - cur + 1
        if best >= k:
            i0, j0 = i + start, j + start
            for off in range(best):
                used_a[i0 + off] = used_b[j0 + off] = True
            runs.append((i0, j0, best))
    return runs


def _in_order(runs: list[tuple[int, int, int]]):
    """Split runs into the heaviest chain in the same order in A and B, and the moved rest.

    Weighted longest increasing subsequence over B positions, O(R log R) with a
    Fenwick tree of (best weight, run) by rank of B position.
    """
    runs = sorted(runs)
    ranks = {j: r + 1 for r, j in enumerate(sorted(j for _, j, _ in runs))}
    tree = [(0, -1)] * (len(runs) + 1)
    best, prev = [], []
    for x, (_, j, n) in enumerate(runs):
        w, p = 0, -1  # heaviest chain among runs with a smaller B position
        r = ranks[j] - 1
        while r > 0:
            if tree[r][0] > w:
                w, p = tree[r]
            r -= r & -r
        best.append(w + n)
        prev.append(p)
        r = ranks[j]
        while r <= len(runs):
            if tree[r][0] < w + n:
                tree[r] = (w + n, x)
            r += r & -r
    chain: set[int] = set()
    x = max(range(len(runs)), key=best.__getitem__) if runs else -1
    while x >= 0:
        chain.add(x)
        x = prev[x]
    backbone = [r for x, r in enumerate(runs) if x in chain]
    moved = [r for x, r in enumerate(runs) if x not in chain]
    return backbone, moved


def _free_runs(pair: list[int], s: int, e: int) -> list[tuple[int, int]]:
    """Maximal runs of unmatched words in [s, e)."""
    out, start = [], None
    for i in range(s, e):
        if pair[i] < 0:
            start = i if start is None else start
        elif start is not None:
            out.append((start, i))
            start = None
    if start is not None:
        out.append((start, e))
    return out


def _by_line(toks: list[Token], text: str, runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Cut word runs where a line ends, so an added paragraph and a footer stay apart."""
    out = []
    for s, e in runs:
        start = s
        for i in range(s + 1, e):
            if "\n" in text[toks[i - 1].end : toks[i].start]:
                out.append((start, i))
                start = i
        out.append((start, e))
    return out


def _insert_point_b(pair_a: list[int], s: int) -> tuple[int, int]:
    """Where in B a deleted A run starting at s would have been: after B's match of A's word s-1."""
    for i in range(s - 1, -1, -1):
        if pair_a[i] >= 0:
            return pair_a[i] + 1, pair_a[i] + 1
    return 0, 0


def _insert_point_a(pair_b: list[int], s: int) -> tuple[int, int]:
    for j in range(s - 1, -1, -1):
        if pair_b[j] >= 0:
            return pair_b[j] + 1, pair_b[j] + 1
    return 0, 0


def _refine(ctx: _Ctx, ra, rb, wa, wb, pair_a, pair_b) -> list[Edit]:
    """Edits for one gap (ra in A against rb in B), word by word when it is short."""
    (a0, a1), (b0, b1) = ra, rb
    if a1 - a0 > REFINE_WORDS or b1 - b0 > REFINE_WORDS:
        return [ctx.edit("replace", a0, a1, b0, b1)]
    out = []
    matcher = SequenceMatcher(None, wa[a0:a1], wb[b0:b1], autojunk=False)
    for op, i0, i1, j0, j1 in matcher.get_opcodes():
        i0, i1, j0, j1 = i0 + a0, i1 + a0, j0 + b0, j1 + b0
        if op == "equal":
            for k in range(i1 - i0):
                pair_a[i0 + k], pair_b[j0 + k] = j0 + k, i0 + k
        elif op == "insert":
            out += [ctx.edit(op, i0, i0, s, e) for s, e in _by_line(ctx.tb, ctx.text_b, [(j0, j1)])]
        elif op == "delete":
            out += [ctx.edit(op, s, e, j0, j0) for s, e in _by_line(ctx.ta, ctx.text_a, [(i0, i1)])]
        else:
            out.append(ctx.edit(op, i0, i1, j0, j1))
    return out


def _mark_boilerplate(e: Edit, ctx: _Ctx) -> Edit:
    """Mark short unmatched text before the first or after the last shared word as boilerplate."""
    if e.op == "move" or max(ctx.count_a(e), ctx.count_b(e)) > BOILERPLATE_WORDS:
        return e
    if ctx.at_edge_a(e) and ctx.at_edge_b(e):
        return Edit(e.op, e.a, e.b, e.a_start, e.a_end, e.b_start, e.b_end, "boilerplate")
    return e


def _quoted_spans(text: str, toks: list[Token]) -> list[tuple[int, int]]:
    """(first, last) token indices of phrases wrapped in quote marks."""
    spans = []
    opened = None
    for i, t in enumerate(toks):
        if t.start and text[t.start - 1] in QUOTE_MARKS:
            opened = i
        if opened is not None and _CLOSES_AFTER.match(text[t.end : t.end + 2]):
            if i - opened < QUOTE_SPAN_WORDS:
                spans.append((opened, i))
            opened = None
        elif opened is not None and i - opened >= QUOTE_SPAN_WORDS:
            opened = None
    return spans


def _quote_edits(ctx: _Ctx, pair_a: list[int]) -> list[Edit]:
    """Same words, quoted on one side only: replace edits of kind "quote"."""
    quoted_a = set(_quoted_spans(ctx.text_a, ctx.ta))
    quoted_b = set(_quoted_spans(ctx.text_b, ctx.tb))
    pair_b = [-1] * len(ctx.tb)
    for i, j in enumerate(pair_a):
        if j >= 0:
            pair_b[j] = i
    out = []
    for s, e in quoted_b:
        i0, i1 = pair_b[s], pair_b[e]
        if i0 >= 0 and i1 - i0 == e - s and all(pair_b[s + k] == i0 + k for k in range(e - s + 1)):
            if (i0, i1) not in quoted_a:
                out.append(_quote_edit(ctx, (i0, i1), (s, e), quoted_side="b"))
    for s, e in quoted_a:
        j0, j1 = pair_a[s], pair_a[e]
        if j0 >= 0 and j1 - j0 == e - s and all(pair_a[s + k] == j0 + k for k in range(e - s + 1)):
            if (j0, j1) not in quoted_b:
                out.append(_quote_edit(ctx, (s, e), (j0, j1), quoted_side="a"))
    return out


def _quote_edit(ctx: _Ctx, ra: tuple[int, int], rb: tuple[int, int], quoted_side: str) -> Edit:
    as_, ae = ctx.span_a(ra[0], ra[1] + 1)
    bs, be = ctx.span_b(rb[0], rb[1] + 1)
    # Widen the quoted side to take in its quote marks.
    if quoted_side == "a":
        as_, ae = _widen(ctx.text_a, as_, ae)
    else:
        bs, be = _widen(ctx.text_b, bs, be)
    return Edit("replace", ctx.text_a[as_:ae], ctx.text_b[bs:be], as_, ae, bs, be, "quote")


def _widen(text: str, s: int, e: int) -> tuple[int, int]:
    if s > 0 and text[s - 1] in QUOTE_MARKS:
        s -= 1
    m = _CLOSES_AFTER.match(text[e : e + 2])
    if m:
        e += m.end()
    return s, e
