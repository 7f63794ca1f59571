"""Acceptance on ../shared/eval/seeds: metadata, boilerplate, languages, no body text lost."""

from __future__ import annotations

import json
import re
import unicodedata

import pytest

from storywire.clean import CleanArticle
from storywire.config import Settings
from storywire.engine import chain
from storywire.ingest import read_sources
from storywire.lang import DetectLanguage
from storywire.model import Article
from storywire.text import sentences

pytestmark = pytest.mark.eval


@pytest.fixture
def cleaned(seeds):
    files = sorted(str(p) for p in seeds.glob("*.txt"))
    records = list(chain(read_sources(files, Settings()), [CleanArticle(Settings()), DetectLanguage()]))
    assert all(isinstance(r, Article) for r in records)
    return {a.id: a for a in records}


@pytest.fixture
def gold(seeds):
    return json.loads((seeds / "gold.json").read_text(encoding="utf-8"))


def test_languages_match_gold(cleaned, gold):
    assert {i: cleaned[i].language for i in gold["languages"]} == gold["languages"]


def test_metadata_matches_gold(cleaned, gold):
    for doc, fields in gold["metadata"].items():
        for name, value in fields.items():
            assert getattr(cleaned[doc], name) == value, (doc, name)


def test_boilerplate_lines_are_gone(cleaned, gold):
    for doc, lines in gold["boilerplate_lines"].items():
        for line in lines:
            assert line not in cleaned[doc].clean_text, (doc, line)


def test_every_body_sentence_is_kept(cleaned, gold, seeds, body_check):
    """Each sentence of the raw file is in the clean text, or is metadata, or is a gold boilerplate line."""
    for doc, article in cleaned.items():
        raw = (seeds / f"{doc}.txt").read_text(encoding="utf-8")
        assert body_check(raw, article, gold["boilerplate_lines"].get(doc, [])) == [], doc


def test_glued_sentences_of_001_are_split(cleaned, seeds):
    raw = (seeds / "001_6272633729e66e34.txt").read_text(encoding="utf-8")
    glued = re.findall(r"[a-z0-9][.!?]['\"‘’“”]*[A-Z‘“][a-z]", raw)
    assert len(glued) >= 5  # the seed really is glued
    clean = cleaned["001_6272633729e66e34"].clean_text
    assert re.search(r"[a-z0-9][.!?]['\"]*[A-Z'\"][a-z]", clean) is None
    assert len(sentences(clean)) >= len(sentences(raw)) + len(glued)


def test_no_paragraph_is_empty_and_text_is_nfc(cleaned):
    for article in cleaned.values():
        assert article.paragraphs and all(p.text.strip() for p in article.paragraphs)
        assert article.clean_text == unicodedata.normalize("NFC", article.clean_text)
        assert "’" not in article.clean_text and "“" not in article.clean_text
