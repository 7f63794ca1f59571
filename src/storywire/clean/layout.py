"""Reading a scraped article's layout: metadata out, furniture out, body paragraphs kept.

Scraped text carries its metadata in the layout rather than in fields: a
Markdown heading or a short first line is the title, a line holding only a link
is the URL, a line holding only a date is the publication date, "Outlet - " before the first sentence or a short line after the
body (``**Outlet**``, "Source: Outlet") is the outlet, "By ..." is the byline,
and a bold or duplicated line before the first paragraph is an image caption.
:func:`read_layout` takes those out, drops boilerplate (see :mod:`.boilerplate`)
and repeated lines, and returns the body as paragraphs.

What is not body text is never silently lost: captions and the byline are kept
as metadata and every removed line is listed with its reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from . import markdown as md
from .boilerplate import MAX_WORDS, boilerplate_reason
from ..ingest.dates import to_iso
from .glued import split_glued
from .normalize import fold_quotes, line_key, normalize_meta, normalize_text

# Words that mark a name as a news outlet, for "Outlet - text" prefixes.
_OUTLET_WORDS = re.compile(
    r"\b(?:times|news|post|press|agency|agence|radio|tv|television|journal|herald|tribune|daily|gazette|"
    r"telegraph|wire|network|media|online|today|observer|chronicle|express|monitor|review|mail|standard|"
    r"guardian|courier|zeitung|presse|nachrichten|noticias|diario|periódico|info|24|reuters|afp|dpa|efe|"
    r"ansa|xinhua|tass|irna|isna|mehr|fars|tasnim|anadolu|bbc|cnn|sputnik|al-\w+|rt)\b",
    re.I,
)
_PREFIX = re.compile(r"^(?P<name>[^\W\d_][\w.&'’-]*(?: [\w.&'’-]+){0,4}) ?(?:\s[-–—|]|:)\s+(?=\S)")
_SOURCE_LINE = re.compile(r"^(?:source|sources|quelle|fuente|fonte)\s*:\s*(?P<name>.{2,60})$", re.I)
_BYLINE = re.compile(r"^(?:by|par|von|por|di|de)\s+\S.{0,60}$", re.I)
_CREDIT = re.compile(
    r"\b(?:photo|image|picture|credit|foto|bild|crédit|imagen)s?\s*(?:credit)?\s*:|\bvia getty images\b|"
    r"\b(?:getty images|afp photo|reuters/|ap photo)\b",
    re.I,
)
_DATE = (
    r"(?:\d{1,2}\.? (?:de )?\w+\.? (?:de )?\d{4}|\w+\.? \d{1,2},? \d{4}|\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{4})"
    r"(?:,? (?:at |à |um |a las )?\d{1,2}[:.h]\d{2}(?: ?[ap]\.?m\.?)?)?"
)
_DATE_LINE = re.compile(
    r"^(?:(?:published|updated|posted|publié|mis à jour|veröffentlicht|aktualisiert|publicado|actualizado)"
    r"(?: on| le| am| el)?:? )?(?:\w+,? )?(?P<date>" + _DATE + r")(?: Uhr| GMT| UTC| CET| CEST)?$",
    re.I,
)
_DATELINE = re.compile(r"^[A-ZÀ-Ý][A-ZÀ-Ý .'-]+, (?P<date>" + _DATE + r")(?: \([^)]{1,40}\))? ?[-–—]")
_SENTENCE_END = re.compile(r"[.!?][\"'”’»)\]]*$")
_WORD = re.compile(r"[^\W_]+")


@dataclass
class Layout:
    paragraphs: list[str]
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    byline: str | None = None
    captions: list[str] = field(default_factory=list)
    removed: list[tuple[str, str]] = field(default_factory=list)  # (reason, line)


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _is_sentence(text: str) -> bool:
    return bool(_SENTENCE_END.search(text))


def _is_body(line: md.Line) -> bool:
    """A line that reads like article text: a sentence, or a long run of words."""
    if line.kind != md.TEXT or line.emphasized and not _is_sentence(line.text):
        return False
    return _is_sentence(line.text) or _words(line.text) > 25


def _title_like(text: str) -> bool:
    return 1 <= _words(text) <= 25 and len(text) <= 200 and not re.search(r"[.,;:]$", text)


def _outlet_prefix(text: str, known: Callable[[str], bool]) -> str | None:
    m = _PREFIX.match(text)
    if not m:
        return None
    name = m.group("name").strip()
    return name if known(name) or _OUTLET_WORDS.search(name) else None


def read_layout(
    raw: str,
    *,
    title: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
    known_outlet: Callable[[str], bool] = lambda name: False,
    repeated: Callable[[str | None, str], bool] = lambda outlet, line: False,
) -> Layout:
    """The body paragraphs and metadata of a scraped text.

    ``title``, ``url`` and ``outlet`` are what the reader already knows; lines
    repeating them are removed. ``known_outlet(name)`` tells whether a name is an
    outlet seen before; ``repeated(outlet, line)`` whether a line recurs across
    that outlet's articles (see :mod:`.outlet_lines`).
    """
    page = _Page(raw, Layout([], normalize_meta(title), url, normalize_meta(outlet)), known_outlet, repeated)
    page.drop_furniture()
    page.find_title()
    page.find_header_items()
    page.find_date()
    page.find_outlet()
    page.drop_repeated()  # again, now that the layout may have named the outlet
    page.out.paragraphs = _paragraphs(page.lines, page.gone)
    return page.out


class _Page:
    """The lines of one text while :func:`read_layout` sorts them, in reading order."""

    def __init__(self, raw: str, out: Layout, known_outlet, repeated):
        self.lines = md.parse_lines(normalize_text(raw))
        self.out = out
        self.known_outlet = lambda name: name == out.outlet or known_outlet(name)
        self.repeated = repeated
        self.gone: set[int] = set()
        self.first_body = len(self.lines)  # index of the first paragraph of body text

    @property
    def content(self) -> list[int]:
        """Indexes of the text lines still in play."""
        kinds, gone = (md.TEXT, md.HEADING), self.gone
        return [i for i, ln in enumerate(self.lines) if ln.kind in kinds and i not in gone]

    def drop(self, i: int, reason: str) -> None:
        self.gone.add(i)
        self.out.removed.append((reason, self.lines[i].text or self.lines[i].url or ""))

    def drop_furniture(self) -> None:
        """Link lines (the first is the URL), boilerplate, the outlet's repeated lines."""
        for i, ln in enumerate(self.lines):
            if ln.kind == md.LINK:
                self.out.url = self.out.url or ln.url
                self.drop(i, "link line")
            elif ln.kind == md.TEXT and (reason := boilerplate_reason(ln.text)):
                self.drop(i, reason)
        self.drop_repeated()  # with the outlet the reader gave, before the title is looked for
        self.first_body = next((i for i in self.content if _is_body(self.lines[i])), len(self.lines))

    def drop_repeated(self) -> None:
        for i in self.content:
            text = self.lines[i].text
            if self.repeated(self.out.outlet, text) and _words(text) <= MAX_WORDS:
                self.drop(i, "repeated in the outlet's articles")

    def find_title(self) -> None:
        """A heading before the body, else a short first line followed by more text;
        short lines above it are page furniture, and lines repeating it go."""
        lines, content, out = self.lines, self.content, self.out
        if out.title is None and content:
            heading = next((i for i in content if lines[i].kind == md.HEADING and i < self.first_body), None)
            first = content[0]
            wrapped = first + 1 < len(lines) and lines[first + 1].kind == md.TEXT and lines[first + 1].text[:1].islower()
            if heading is None and len(content) > 1 and not _is_body(lines[first]) and not wrapped \
                    and _title_like(lines[first].text):
                heading = first
            if heading is not None:
                out.title = normalize_meta(lines[heading].text)
                self.gone.add(heading)
                for i in content:
                    if i < heading and not _is_body(lines[i]):
                        self.drop(i, "before the headline")
        if out.title:
            name = _outlet_prefix(out.title, self.known_outlet)  # "Outlet - Headline"
            if name and out.outlet in (None, name):
                out.outlet = name
                out.title = out.title[_PREFIX.match(out.title).end():]
            title_key = line_key(out.title)
            for i in self.content:
                if line_key(lines[i].text) == title_key:
                    self.drop(i, "title repeated")

    def find_header_items(self) -> None:
        """Repeated lines (a caption when above the body), the byline, captions."""
        lines, out = self.lines, self.out
        seen: dict[str, int] = {}
        for i in self.content:
            key = line_key(lines[i].text)
            if key not in seen:
                seen[key] = i
                continue
            if _words(lines[i].text) <= 25 or seen[key] == i - 1:  # short, or right after itself
                self.drop(i, "repeated line")
                first = seen[key]
                if first < self.first_body and first not in self.gone and not _is_body(lines[first]):
                    out.captions.append(lines[first].text)
                    self.gone.add(first)
        for i in self.content:
            text, header = lines[i].text, i < self.first_body
            if header and out.byline is None and _BYLINE.match(text) and not _is_sentence(text):
                out.byline = text
                self.gone.add(i)
            elif not _is_sentence(text) and (_CREDIT.search(text) or header and lines[i].emphasized):
                out.captions.append(text)
                self.gone.add(i)

    def find_date(self) -> None:
        """A line holding only a date above the body, else the dateline that opens
        the first paragraph ("CITY, March 9, 2025 (Agency) –"), which stays in the text."""
        for i in self.content:
            m = _DATE_LINE.match(self.lines[i].text) if i < self.first_body else None
            if m and to_iso(m.group("date")):
                self.out.published = to_iso(m.group("date"))
                self.drop(i, "date line")
                return
        content = self.content
        m = _DATELINE.match(self.lines[content[0]].text) if content else None
        self.out.published = to_iso(m.group("date")) if m else None

    def find_outlet(self) -> None:
        """A "Name - " prefix on the first paragraph, or a short line after the body."""
        lines, out, content = self.lines, self.out, self.content
        if not content:
            return
        first = lines[content[0]]
        name = _outlet_prefix(first.text, self.known_outlet)
        if name and out.outlet in (None, name):
            out.outlet = name
            first.text = first.text[_PREFIX.match(first.text).end():]
        trailer = _trailer_outlet(lines, content)
        if trailer and (out.outlet is None or line_key(trailer) == line_key(out.outlet)):
            out.outlet = out.outlet or normalize_meta(trailer)
            self.drop(content[-1], "outlet line")


def _trailer_outlet(lines: list[md.Line], content: list[int]) -> str | None:
    """The outlet named by the last line: "Source: Name", or a short name set in
    bold or next to the rule or link line that closes the body."""
    if len(content) < 2:
        return None
    last = lines[content[-1]]
    source = _SOURCE_LINE.match(last.text)
    if source:
        return source.group("name")
    closed = any(ln.kind in (md.RULE, md.LINK) for ln in lines[content[-2] + 1 :])
    if (last.emphasized or closed) and _words(last.text) <= 6 and not _is_sentence(last.text):
        return last.text
    return None


def _paragraphs(lines: list[md.Line], gone: set[int]) -> list[str]:
    """Kept lines as paragraphs: a line continues the previous one only when that
    one stops mid-sentence and this one starts in lower case (hard-wrapped text)."""
    paragraphs: list[str] = []
    joinable = False
    for i, ln in enumerate(lines):
        if ln.kind not in (md.TEXT, md.HEADING) or i in gone:
            joinable = False
            continue
        text = ln.text
        if joinable and text[:1].islower() and not re.search(r"[.!?:;\"'”’)]$", paragraphs[-1]):
            paragraphs[-1] += " " + text
        else:
            paragraphs.append(text)
        joinable = True
    return [fold_quotes(split_glued(p)) for p in paragraphs]
