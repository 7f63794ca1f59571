"""Plain text and Markdown files: one article per file, the text kept as written.

The layout (a Markdown heading or short first line as title, link lines, outlet
lines, captions) is left to the cleaning step, which reads it from the text. A
YAML-style front matter block (``---`` / ``key: value`` lines / ``---``) at the
very top is read as metadata.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

from ..config import Settings
from ..model import Article, Record
from .dates import to_iso
from .decode import decode
from .files import read_bytes

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n((?:[A-Za-z_][\w-]*[ \t]*:.*\n){1,30})---[ \t]*\n")
_FIELD = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*?)[ \t]*$", re.M)
# Front-matter keys, by the article field they fill.
_KEYS = {
    "title": ("title",),
    "url": ("url", "link", "canonical_url"),
    "outlet": ("outlet", "source", "publisher", "site"),
    "published": ("date", "published", "published_at"),
    "language": ("lang", "language"),
}


def read(path: Path, settings: Settings) -> Iterator[Record]:
    text, encoding = decode(read_bytes(path, settings))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    article = Article(id=path.stem, raw_text=text, source_path=str(path))
    if encoding not in ("utf-8", "utf-8-sig"):
        article.extra["encoding"] = encoding
    m = _FRONT_MATTER.match(text)
    if m:
        fields = {k.lower(): v.strip("\"'") for k, v in _FIELD.findall(m.group(1))}
        for attr, keys in _KEYS.items():
            value = next((fields[k] for k in keys if fields.get(k)), None)
            if value:
                setattr(article, attr, to_iso(value) if attr == "published" else value)
        article.raw_text = text[m.end():]
    yield article
