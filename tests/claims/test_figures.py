"""Figures: what a number counts, its normalised value, per language."""

import pytest

from storywire.claims.figures import find_figures, parse_number


@pytest.mark.parametrize(
    "raw, scale, value",
    [("3,500", None, 3500), ("9 220", None, 9220), ("13.000", None, 13000), ("1.2", "million", 1.2e6),
     ("2,5", "millions", 2.5e6), ("1,234,567", None, 1234567), ("12.5", None, 12.5), ("7", None, 7),
     ("4\u202f100", None, 4100)],
)
def test_parse_number(raw, scale, value):
    assert parse_number(raw, scale) == value


def one(text):
    (f,) = find_figures(text)
    return f


def test_english_toll_keyword_before_the_number():
    f = one("The death toll from the floods has climbed to 1,240.")
    assert (f.what, f.value) == ("killed", 1240)


def test_english_keyword_after_the_number_and_at_least():
    f = one("At least 13,500 others have been injured since Friday.")
    assert (f.what, f.value, f.low) == ("injured", 13500, 13500)


def test_each_amount_takes_its_own_clause():
    a, b = find_figures("Gunmen killed 40 villagers and wounded 75 others on Sunday.")
    assert (a.what, a.value) == ("killed", 40)
    assert (b.what, b.value) == ("injured", 75)


def test_french_groups_inherit_the_event():
    figs = find_figures("L'armée a tué plus de 1 150 personnes, dont au moins 420 enfants et 310 femmes, depuis le 3 mars.")
    assert [(f.what, f.value) for f in figs] == [("killed", 1150), ("children killed", 420), ("women killed", 310)]
    assert figs[0].low == 1150


def test_german_numbers_and_vague_amounts():
    figs = find_figures("Nach Angaben der Behörden wurden 2.300 Menschen festgenommen und Hunderte verletzt.")
    assert [(f.what, f.value, f.low, f.high) for f in figs] == [
        ("arrested", 2300, None, None), ("injured", None, 200, 999)]


def test_spanish_more_than_and_millions():
    figs = find_figures("Más de 1,2 millones de personas han sido desplazadas, y 15 niños murieron.")
    assert [(f.what, f.value) for f in figs] == [("displaced", 1.2e6), ("children killed", 15)]
    assert figs[0].low == 1.2e6


def test_vague_words_are_ranges():
    f = one("Dozens were arrested outside the parliament.")
    assert (f.value, f.low, f.high, f.what) == (None, 24, 99, "arrested")
    f = one("Des dizaines de personnes ont été blessées.")
    assert (f.value, f.low, f.high, f.what) == (None, 20, 99, "injured")


@pytest.mark.parametrize(
    "text",
    [
        "A 45-year-old man was killed on October 7.",
        "He was killed in 2019 after 30 years in office.",
        "The strike killed a commander near kilometre marker; 12% of the town was destroyed.",
        "The attack on 7 octobre a tué un homme.",
    ],
)
def test_dates_years_ages_and_percentages_are_not_figures(text):
    assert find_figures(text) == []


def test_raw_and_offsets_point_at_the_figure():
    text = "Officials said 3,500 martyrs had been buried."
    f = one(text)
    assert text[f.start:f.end] == f.raw == "3,500 martyrs"
