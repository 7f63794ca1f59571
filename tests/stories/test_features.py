"""Anchors of the story features: keys that survive translation."""

from storywire.stories.features import number_anchors


def test_numbers_agree_across_digit_scripts_and_separators():
    latin = number_anchors("On the 25th, 3,500 people marched; turnout was 12.5%.")
    fullwidth = number_anchors("２５日、3 500人がデモ行進した。")
    persian = number_anchors("در ۲۵ ژوئیه ۳۵۰۰ نفر")
    assert {"n:25", "n:3500", "n:12.5"} <= latin
    assert {"n:25", "n:3500"} <= fullwidth
    assert {"n:25", "n:3500"} <= persian


def test_single_digits_are_not_anchors():
    assert number_anchors("3 ministers met on day 7") == set()
