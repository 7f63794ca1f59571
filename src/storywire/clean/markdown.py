"""Markdown and scraped-text markup: what kind of line each line is, and its bare text.

A :class:`Line` keeps the line's text without markup, its kind (``text``,
``heading``, ``rule``, ``link``, ``blank``), whether the whole line was set in
bold or italics (captions and outlet lines often are), and the URL of a link
line. Inline markup (emphasis, links, images, code) is stripped from the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TEXT, HEADING, RULE, LINK, BLANK = "text", "heading", "rule", "link", "blank"

_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")
_RULE = re.compile(r"^([-*_])(\s*\1){2,}$")
_SETEXT = re.compile(r"^(=+|-+)$")
_LINK_LINE = re.compile(
    r"^(?:<(?P<a>https?://[^>\s]+)>|(?P<b>https?://\S+)|\[[^\]]*\]\((?P<c>https?://[^)\s]+)\))$", re.I
)
_LIST = re.compile(r"^(?:[-*+•]|\d{1,3}[.)])\s+")
_QUOTE = re.compile(r"^>\s?")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_INLINE_LINK = re.compile(r"\[([^\]]+)\]\((?:[^()\s]|\([^)]*\))+\)")
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
_CODE = re.compile(r"`([^`]+)`")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EM = re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])")
_WRAPPED = re.compile(r"^(\*\*\*|\*\*|\*|___|__|_)(?=\S)(.+?)(?<=\S)\1$")
_MARKUP = re.compile(r"[*_\[\]`<\\]")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>])")


@dataclass
class Line:
    text: str
    kind: str = TEXT
    emphasized: bool = False
    url: str | None = None


def strip_inline(text: str) -> str:
    """Text without inline Markdown: emphasis, links (their text kept), images, code."""
    if not _MARKUP.search(text):
        return text.strip()
    text = _IMAGE.sub(r"\1", text)
    text = _INLINE_LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _CODE.sub(r"\1", text)
    for _ in range(2):  # nested emphasis such as ***x*** or **_x_**
        text = _STRONG.sub(r"\2", text)
        text = _EM.sub(r"\2", text)
    return _ESCAPE.sub(r"\1", text).strip()


def parse_lines(text: str) -> list[Line]:
    """One :class:`Line` per line of ``text`` (already normalised)."""
    lines: list[Line] = []
    for raw in text.split("\n"):
        s = raw.strip()
        if not s:
            lines.append(Line("", BLANK))
            continue
        if _SETEXT.match(s) and lines and lines[-1].kind == TEXT:
            lines[-1].kind = HEADING  # "Title\n=====" (a lone "---" after a blank line is a rule)
            continue
        if _RULE.match(s):
            lines.append(Line("", RULE))
            continue
        m = _LINK_LINE.match(s)
        if m:
            lines.append(Line("", LINK, url=m.group("a") or m.group("b") or m.group("c")))
            continue
        kind = TEXT
        h = _HEADING.match(s)
        if h:
            kind, s = HEADING, h.group(1)
        s = _QUOTE.sub("", s)
        s = _LIST.sub("", s)
        wrapped = _WRAPPED.match(s)
        bare = strip_inline(s)
        if not bare:
            continue
        lines.append(Line(bare, kind, emphasized=bool(wrapped) and len(wrapped.group(2)) >= len(s) - 6))
    return lines
