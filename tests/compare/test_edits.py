"""A copy's edits seen from its source: orientation, changed words, segments."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from storywire.compare.edits import changed_core, oriented_edits, segments, side_segments


def test_changed_core_cuts_shared_words():
    assert changed_core("Operation Harbour Storm", "Operation Harbour Flood") == ("Storm", "Flood")
    assert changed_core("Anna Petrova said", "Anna Petrowa said") == ("Petrova", "Petrowa")
    assert changed_core("the ministry", "THE Ministry") == ("", "")
    # Punctuation alone is not a change of words: this is an addition.
    assert changed_core("rose to 1,200.", "rose to 1,200 victims.") == ("", "victims")
    assert changed_core("Dr. Lena Ortiz", "Dr. Lina Ortiz,") == ("Lena", "Lina")
    assert changed_core("Kelport's mayor", "the 'Kelport' mayor") == ("Kelport's", "the 'Kelport'")
    assert changed_core("", "A new sentence.") == ("", "A new sentence.")
    assert changed_core("Der Hafen", "Le port") == ("Der Hafen", "Le port")


def test_oriented_edits_turn_a_pair_around():
    stored = [{"op": "insert", "a": "", "b": "extra", "a_start": 3, "a_end": 3, "b_start": 3, "b_end": 8},
              {"op": "replace", "a": "x", "b": "y", "a_start": 0, "a_end": 1, "b_start": 0, "b_end": 1}]
    as_is = oriented_edits(stored, source_is_a=True)
    assert (as_is[0].op, as_is[0].copy, as_is[0].copy_start) == ("insert", "extra", 3)
    flipped = oriented_edits(stored, source_is_a=False)
    assert (flipped[0].op, flipped[0].source, flipped[0].source_end, flipped[0].copy) == ("delete", "extra", 8, "")
    assert (flipped[1].source, flipped[1].copy) == ("y", "x")


def test_segments_cover_the_text_once():
    text = "one two three four"
    segs = segments(text, [(4, 7, "replace", 0), (5, 9, "delete", 1), (14, 18, "insert", 2)])
    assert "".join(s["text"] for s in segs) == text
    assert [(s["text"], s["op"]) for s in segs if s["op"] != "same"] == [("two", "replace"), ("four", "insert")]


def test_side_segments_mark_only_the_changed_word():
    src, cpy = "Operation Harbour Storm began.", "Operation Harbour Flood began."
    edits = oriented_edits([{"op": "replace", "a": "Operation Harbour Storm", "b": "Operation Harbour Flood",
                             "a_start": 0, "a_end": 23, "b_start": 0, "b_end": 23}], source_is_a=True)
    s, c = side_segments(src, cpy, edits)
    assert [x["text"] for x in s if x["op"] == "replace"] == ["Storm"]
    assert [x["text"] for x in c if x["op"] == "replace"] == ["Flood"]
    assert "".join(x["text"] for x in c) == cpy


@given(st.text(max_size=60), st.lists(st.tuples(st.integers(-5, 70), st.integers(-5, 70)), max_size=6))
def test_segments_always_rebuild_the_text(text, spans):
    segs = segments(text, [(s, e, "replace", i) for i, (s, e) in enumerate(spans)])
    assert "".join(s["text"] for s in segs) == text


@given(st.text(max_size=40), st.text(max_size=40))
def test_changed_core_parts_come_from_their_phrases(before, after):
    b, a = changed_core(before, after)
    assert b in before and a in after
