"""The records every stage shares.

An :class:`Article` flows through the pipeline; a :class:`Rejected` flows beside it
whenever a reader or a step could not handle an input, so that every bad input is
reported exactly once with its reason and never stops the batch.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any, Union

_SPACE = re.compile(r"\s+")


def content_hash(text: str) -> str:
    """Hash of a text that ignores whitespace and Unicode form differences."""
    norm = _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()[:32]


@dataclass
class Paragraph:
    text: str
    lang: str | None = None


@dataclass
class Article:
    """One news article, from raw input to clean text.

    ``id`` is the record's own id when it has one, else the file stem, else derived
    from the URL or the content. ``published`` is an ISO 8601 string (date or
    datetime, UTC where known). ``raw_text`` is what the reader extracted before
    cleaning; ``clean_text`` is paragraphs joined by blank lines.
    """

    id: str
    raw_text: str
    outlet: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None
    language: str | None = None
    clean_text: str = ""
    paragraphs: list[Paragraph] = field(default_factory=list)
    content_hash: str = ""
    ingested_at: str | None = None
    source_path: str | None = None
    version: int = 1
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The best text available: clean if cleaning ran, raw otherwise."""
        return self.clean_text or self.raw_text

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Article":
        data = dict(data)
        data["paragraphs"] = [
            p if isinstance(p, Paragraph) else Paragraph(**p) for p in data.get("paragraphs") or []
        ]
        known = {f for f in cls.__dataclass_fields__}
        extra = {k: v for k, v in data.items() if k not in known}
        clean = {k: v for k, v in data.items() if k in known}
        if extra:
            clean.setdefault("extra", {}).update(extra)
        return cls(**clean)


@dataclass
class Rejected:
    """An input that could not become an article: where it came from and why."""

    source: str
    reason: str
    stage: str = "read"


Record = Union[Article, Rejected]
