"""The team's sample corpus (storywire.samples): reading, cleaning and languages match its annotations."""

from __future__ import annotations

import pytest

from storywire import samples
from storywire.clean import CleanArticle
from storywire.config import Settings
from storywire.engine import chain
from storywire.ingest import read_sources
from storywire.lang import DetectLanguage
from storywire.model import Article


@pytest.fixture(scope="module")
def corpus():
    records = list(chain(read_sources([str(samples.corpus_dir())], Settings()),
                         [CleanArticle(Settings()), DetectLanguage()]))
    assert all(isinstance(r, Article) for r in records), [r for r in records if not isinstance(r, Article)]
    return {a.id: a for a in records}


@pytest.fixture(scope="module")
def notes():
    return samples.annotations()


def test_languages(corpus, notes):
    assert {i: corpus[i].language for i in notes["languages"]} == notes["languages"]


@pytest.mark.parametrize("field", ["title", "url", "outlet"])
def test_metadata(corpus, notes, field):
    expected = {i: m[field] for i, m in notes["metadata"].items() if field in m}
    assert {i: corpus[i].__getattribute__(field) for i in expected} == expected


def test_publication_dates(corpus, notes):
    assert {i: (corpus[i].published or "")[:10] for i in notes["published"]} == notes["published"]


def test_boilerplate_lines_are_gone(corpus, notes):
    left = [(i, line) for i, lines in notes["boilerplate_lines"].items() for line in lines
            if line in corpus[i].clean_text]
    assert left == []


def test_every_body_sentence_is_kept(corpus, notes, body_check):
    for path in sorted(samples.corpus_dir().iterdir()):
        if path.suffix in (".txt", ".md"):
            raw = path.read_text(encoding="utf-8")
            lost = body_check(raw, corpus[path.stem], notes["boilerplate_lines"].get(path.stem, []))
            assert lost == [], path.name
