"""Helpers for the cleaning tests: measuring that no body text was dropped."""

from __future__ import annotations

import re
import unicodedata

import pytest

from storywire.model import Article
from storywire.text import sentences


def _norm(text: str) -> str:
    """Compare texts ignoring whitespace, quote style and Markdown markers."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub("[‘’‚‛]", "'", re.sub("[“”„‟]", '"', text))
    return re.sub(r"[\s*#_<>]+", "", text)


def missing_sentences(raw: str, article: Article, boilerplate: list[str]) -> list[str]:
    """Sentences of ``raw`` found neither in the clean text nor in the metadata
    (title, outlet, URL, captions, byline, removed date line), nor among the
    expected ``boilerplate`` lines. A "Name - " outlet prefix may have been cut."""
    meta = [article.title, article.outlet, article.url, article.extra.get("byline"),
            *article.extra.get("captions", []),
            *(line for reason, line in article.extra.get("removed", []) if reason == "date line")]
    meta = [_norm(m) for m in meta if m]
    body = _norm(article.clean_text)
    boiler = {_norm(b) for b in boilerplate}
    missing = []
    for sentence in (s for line in raw.splitlines() for s in sentences(line)):
        s = _norm(sentence)
        if not s.strip("-") or s in boiler or any(s in m for m in meta):
            continue
        prefix = next((m for m in meta if s.startswith(m)), "")
        rest = s[len(prefix):].lstrip("-–—|:")
        if s not in body and rest not in body and not any(rest in m for m in meta):
            missing.append(sentence)
    return missing


@pytest.fixture
def body_check():
    return missing_sentences
