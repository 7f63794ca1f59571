"""Repair sentences glued together by scrapers: "in Gaza.He said" -> "in Gaza. He said".

A space is inserted after . ! or ? when a lower-case letter or a digit comes
before it and a capitalised word comes right after, possibly with quotes in
between. Quotes after the stop are split into those that close the sentence
and those that open the next: curly quotes say which they are; an ASCII ``"``
closes when the paragraph has an odd number of them before it. Initials and
abbreviations ("U.S.Army": a capital before the period), decimals ("3.5") and
file names ("report.PDF": no lower-case letter after the capital) are left alone.
"""

from __future__ import annotations

import re

_GLUE = re.compile(r"(?<=[^\W_])([.!?]+)([\"'“”‘’«»]*)(?=([^\W\d_])([^\W\d_]?))")
_CLOSING = "”’»"
_OPENING = "“‘«'"


def _split_quotes(text: str, quotes: str, pos: int) -> tuple[str, str]:
    """(closing, opening) parts of the quotes found at ``pos`` after a stop."""
    closing = ""
    for i, q in enumerate(quotes):
        if q in _CLOSING or (q == '"' and text.count('"', 0, pos + i) % 2 == 1):
            closing += q
        else:
            return closing, quotes[i:]
    return closing, ""


def _space(m: re.Match) -> str:
    before, first, second = m.string[m.start() - 1], m.group(3), m.group(4)
    glued = (before.islower() or before.isdigit()) and first.isupper() and not second.isupper()
    if not glued:
        return m.group(0)
    closing, opening = _split_quotes(m.string, m.group(2), m.start(2))
    return f"{m.group(1)}{closing} {opening}"


def split_glued(text: str) -> str:
    return _GLUE.sub(_space, text)
