"""The scorer: precision and recall of actors, quotes and figures."""

import pytest

from storywire.claims.evaluate import analyse_samples, evaluate


def fill(store):
    with store.transaction() as c:
        for aid in ("d1", "d2"):
            c.execute(
                "INSERT INTO articles (id, raw_text, clean_text, paragraphs, content_hash, ingested_at) "
                "VALUES (?, 'x', 'x', '[]', ?, 'now')", (aid, aid))
        c.executemany("INSERT INTO actors (id, name, kind, key) VALUES (?, ?, 'person', ?)",
                      [("p1", "Lena Okafor", "k1"), ("p2", "Okafor", "k2"), ("p3", "Jan Novak", "k3")])
        c.executemany("INSERT INTO mentions (article_id, actor_id, text, kind, start, end) VALUES (?, ?, ?, 'person', 0, 1)",
                      [("d1", "p1", "Lena Okafor"), ("d1", "p1", "Okafor"), ("d2", "p2", "Okafor"),
                       ("d2", "p3", "Jan Novak")])
        c.executemany("INSERT INTO quotes (article_id, speaker, actor_id, text, kind, start, end, statement_id) "
                      "VALUES (?, ?, ?, ?, 'direct', 0, 1, ?)",
                      [("d1", "Lena Okafor", "p1", "We will rebuild the bridge soon.", "s1"),
                       ("d2", "Jan Novak", "p3", "The bridge will be rebuilt soon.", "s2"),
                       ("d2", "Jan Novak", "p3", "Something nobody annotated here.", "s3")])
        c.executemany("INSERT INTO figures (article_id, value, low, high, what, raw, start, end) VALUES (?, ?, ?, ?, ?, '', 0, 1)",
                      [("d1", 27, None, None, "killed"), ("d2", None, 20, 99, "injured"), ("d2", 5, None, None, "killed")])


GOLD = {
    "actors": [{"canonical": "Lena Okafor", "kind": "person", "variants": ["Lena Okafor", "Mayor Okafor", "Okafor"]},
               {"canonical": "Jan Novak", "kind": "person", "variants": ["Jan Novak"]},
               {"canonical": "Aldova", "kind": "place", "variants": ["Aldova"]}],
    "quotes": [{"speaker": "Lena Okafor", "doc": "d1", "starts": "We will rebuild"},
               {"speaker": "Lena Okafor", "doc": "d2", "starts": "The bridge will be", "same_statement_as": "We will rebuild"}],
    "figures": [{"doc": "d1", "what": "killed", "value": 27}, {"doc": "d2", "what": "injured", "low": 20, "high": 99},
                {"doc": "d2", "what": "missing", "value": 4}],
}


def test_scores_on_a_small_store(store):
    fill(store)
    s = evaluate(store, GOLD)
    assert s["actors"]["precision"] == 1.0 and s["actors"]["recall"] == pytest.approx(2 / 3, abs=0.001)
    # Okafor split over two actors: 1 of 3 annotated mention pairs put together.
    assert s["actor_mention_pairs"]["recall"] == pytest.approx(1 / 3, abs=0.001)
    assert s["actor_mention_pairs"]["precision"] == 1.0
    assert s["quotes"]["recall"] == 1.0 and s["quotes"]["precision"] == pytest.approx(2 / 3, abs=0.001)
    assert s["quote_speakers"]["correct"] == 1
    assert s["statement_pairs"]["recall"] == 0.0
    assert s["figures"]["recall"] == pytest.approx(2 / 3, abs=0.001)
    assert s["figures"]["precision"] == pytest.approx(2 / 3, abs=0.001)
    assert [m["what"] for m in s["_missed"]] == ["missing"]


@pytest.mark.slow
def test_sample_corpus_quality(store):
    """The figures reported in the closing note, checked to stay above a floor."""
    s = evaluate(store, analyse_samples(store, ner="rules"))
    assert s["figures"]["recall"] >= 0.85 and s["figures"]["precision"] >= 0.85
    assert s["quotes"]["recall"] >= 0.85 and s["quotes"]["precision"] >= 0.9
    assert s["actors"]["recall"] >= 0.85
    assert s["non_quotes_kept"] == 0
