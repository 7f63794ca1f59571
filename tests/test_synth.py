from collections import Counter
from itertools import islice

from storywire.copies.align import align
from storywire.synth import generate

FIELDS = {"id", "title", "text", "url", "date", "source", "lang", "story", "copy_of"}


def test_same_seed_same_corpus_other_seed_other_corpus():
    first = list(generate(200, seed=5))
    assert first == list(generate(200, seed=5))
    assert [r["text"] for r in first] != [r["text"] for r in generate(200, seed=6)]
    # A prefix of a longer run is the shorter run.
    assert list(islice(generate(400, seed=5), 200)) == first


def test_records_look_like_news():
    records = list(generate(600, seed=1, languages=("en", "de")))
    assert len(records) == 600
    assert all(set(r) == FIELDS for r in records)
    assert {r["lang"] for r in records} == {"en", "de"}
    assert len({r["id"] for r in records}) == 600
    dates = [r["date"] for r in records]
    assert dates == sorted(dates)
    lengths = sorted(len(r["text"].split()) for r in records)
    assert 150 < lengths[len(lengths) // 2] < 800


def test_planted_copies_and_long_tailed_stories():
    records = list(generate(2000, seed=2))
    by_id = {r["id"]: r for r in records}
    copies = [r for r in records if r["copy_of"]]
    assert 0.05 < len(copies) / len(records) < 0.25
    for r in copies[:30]:
        src = by_id[r["copy_of"]]
        assert src["date"] < r["date"] and src["story"] == r["story"] and src["lang"] == r["lang"]
        assert max(align(src["text"], r["text"]).containment_ab, 0) > 0.6
    sizes = Counter(r["story"] for r in records if not r["copy_of"]).values()
    assert sum(1 for s in sizes if s == 1) > len(sizes) / 3
    assert max(sizes) >= 10
    # Two originals of one story share names and topic words, not text.
    story = Counter(r["story"] for r in records if not r["copy_of"]).most_common(1)[0][0]
    a, b = [r for r in records if r["story"] == story and not r["copy_of"]][:2]
    al = align(a["text"], b["text"])
    assert max(al.containment_ab, al.containment_ba) < 0.2
