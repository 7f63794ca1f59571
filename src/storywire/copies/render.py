"""Readable diffs of two texts from their alignment, for the terminal.

The text of A is printed with B's changes inline, like ``git diff --word-diff``:

* ``[-words-]`` only in A (deleted), ``{+words+}`` only in B (inserted);
  a replacement is the two side by side: ``[-Storm-]{+Flood+}``;
* ``[>words<]`` a passage that B has in another place (moved);
* quote edits and boilerplate use the same markers, with a legend.

In a terminal the markers are replaced by colour (click.style): red deleted,
green inserted, yellow quote changes, cyan moved, dim boilerplate.
"""

from __future__ import annotations

import re

import click

from .align import Alignment, Edit

# Control characters (ANSI escapes among them) in article text never reach the terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe(text: str) -> str:
    return _CONTROL.sub("\ufffd", text)


_PLAIN = {"del": ("[-", "-]"), "ins": ("{+", "+}"), "move": ("[>", "<]")}
_STYLE = {
    "del": {"fg": "red", "strikethrough": True},
    "ins": {"fg": "green", "bold": True},
    "move": {"fg": "cyan", "underline": True},
}


def _mark(text: str, what: str, colour: bool, kind: str | None) -> str:
    if not text:
        return ""
    text = safe(text)
    if colour:
        style = dict(_STYLE[what])
        if kind == "quote":
            style["fg"] = "yellow"
        if kind == "boilerplate":
            style = {"dim": True}
        return click.style(text, **style)
    start, end = _PLAIN[what]
    return f"{start}{text}{end}"


def inline_diff(text_a: str, al: Alignment, colour: bool = False) -> str:
    """Text A with the edits that turn it into B marked inline."""
    out, cursor = [], 0
    for e in sorted(al.edits, key=lambda e: (e.a_start, e.a_end)):
        if e.a_start < cursor:
            continue  # overlaps an edit already shown
        out.append(safe(text_a[cursor : e.a_start]))
        if e.op == "insert" and e.a_start and not text_a[e.a_start - 1].isspace():
            out.append(" ")
        if e.op == "move":
            out.append(_mark(e.a, "move", colour, e.kind))
        else:
            out.append(_mark(e.a, "del", colour, e.kind))
            out.append(_mark(e.b, "ins", colour, e.kind))
            if e.op == "insert" and e.a_start == 0:
                out.append(" ")
        cursor = max(cursor, e.a_end)
    out.append(safe(text_a[cursor:]))
    return "".join(out)


def describe(e: Edit) -> str:
    """One line for an edit: ``replace "Storm" -> "Flood"``."""
    tag = f" ({e.kind})" if e.kind else ""
    a, b = _short(e.a), _short(e.b)
    if e.op == "insert":
        return f"insert{tag} {b}"
    if e.op == "delete":
        return f"delete{tag} {a}"
    if e.op == "move":
        return f"move{tag} {a}"
    return f"replace{tag} {a} -> {b}"


def _short(text: str, width: int = 70) -> str:
    text = " ".join(safe(text).split())
    return repr(text if len(text) <= width else text[: width - 1] + "…")
