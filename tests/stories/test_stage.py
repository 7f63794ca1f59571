"""The stories stage over a real store, without an encoder (fast, deterministic)."""

import json

from click.testing import CliRunner

from storywire.cli import main
from storywire.model import Article
from storywire.pipeline import run_analysis
from storywire.stories.assign import story_id_for
from storywire.stories.stage import StoriesStage

QUAKE = "A magnitude 6.1 earthquake struck Qeshm island in southern Iran on Monday, killing 10 people in the villages near Bandar Abbas."
QUAKE2 = "The earthquake on Qeshm island near Bandar Abbas killed 10 people, Iranian officials said on Monday; the quake measured 6.1."
STRIKE = "Dockworkers in Rotterdam began a 48-hour strike over pensions, halting container traffic at Europe's largest port."


def _articles():
    return [
        Article(id="q1", raw_text=QUAKE, clean_text=QUAKE, title="Earthquake kills 10 on Iran's Qeshm island",
                published="2024-03-04", language="en", outlet="Wire A"),
        Article(id="s1", raw_text=STRIKE, clean_text=STRIKE, title="Rotterdam dockworkers strike over pensions",
                published="2024-03-04", language="en", outlet="Wire B"),
        Article(id="q2", raw_text=QUAKE2, clean_text=QUAKE2, title="Qeshm earthquake toll reaches 10",
                published="2024-03-05", language="en", outlet="Wire C"),
    ]


def _save(store, articles):
    with store.transaction():
        for a in articles:
            store.save_article(a)


def test_same_event_joins_other_event_apart(store):
    _save(store, _articles())
    stats = run_analysis(store, [StoriesStage(encoder_spec="none")])
    assert stats["stories"]["articles"] == 3
    rows = {r["article_id"]: r["story_id"] for r in store.query("SELECT * FROM story_articles")}
    assert rows["q1"] == rows["q2"] == story_id_for("q1")
    assert rows["s1"] != rows["q1"]
    story = store.query("SELECT * FROM stories WHERE id = ?", (rows["q1"],))[0]
    assert story["article_count"] == 2
    assert json.loads(story["outlets"]) == ["Wire A", "Wire C"]
    assert story["first_seen"] == "2024-03-04" and story["last_seen"] == "2024-03-05"
    assert story["title"] in {"Earthquake kills 10 on Iran's Qeshm island", "Qeshm earthquake toll reaches 10"}


def test_stream_equals_batch(tmp_path):
    from storywire.store import Store

    results = []
    for name, batch in (("batch", 500), ("stream", 1)):
        with Store.open(tmp_path / f"{name}.db") as s:
            _save(s, _articles())
            run_analysis(s, [StoriesStage(encoder_spec="none")], batch_size=batch)
            results.append({r["article_id"]: r["story_id"] for r in s.query("SELECT * FROM story_articles")})
    assert results[0] == results[1]


def test_cold_story_is_not_joined(store):
    arts = _articles()
    arts[2].published = "2024-06-30"  # months later: the first story has gone cold
    _save(store, arts)
    run_analysis(store, [StoriesStage(encoder_spec="none")])
    rows = {r["article_id"]: r["story_id"] for r in store.query("SELECT * FROM story_articles")}
    assert rows["q1"] != rows["q2"]


def test_copy_republished_after_its_story_went_cold_still_joins_it(tmp_path):
    """Copies are always in their original's story, whether the stream brings the
    republication one by one or in one batch with the original."""
    from storywire.store import Store

    for batch in (1, 500):
        with Store.open(tmp_path / f"late-{batch}.db") as s:
            arts = _articles()
            late = Article(id="q1-late", raw_text=QUAKE, clean_text=QUAKE, title="Earthquake kills 10",
                           published="2024-06-30", language="en", outlet="Reprint")
            _save(s, arts + [late])
            with s.transaction() as c:
                c.executemany("INSERT INTO copy_groups (article_id, group_id, is_origin) VALUES (?, 'q1', ?)",
                              [("q1", 1), ("q1-late", 0)])
            run_analysis(s, [StoriesStage(encoder_spec="none")], batch_size=batch)
            rows = {r["article_id"]: r["story_id"] for r in s.query("SELECT * FROM story_articles")}
            assert rows["q1-late"] == rows["q1"] == story_id_for("q1"), batch


def test_cli_lists_and_shows(tmp_path):
    from storywire.store import Store

    db = tmp_path / "cli.db"
    with Store.open(db) as s:
        _save(s, _articles())
        run_analysis(s, [StoriesStage(encoder_spec="none")])
    runner = CliRunner()
    out = runner.invoke(main, ["stories", "--db", str(db), "--json"])
    assert out.exit_code == 0, out.output
    listed = json.loads(out.output)
    assert listed[0]["article_count"] == 2  # newest and biggest first
    shown = runner.invoke(main, ["story", listed[0]["id"], "--db", str(db), "--json"])
    assert shown.exit_code == 0
    assert [a["id"] for a in json.loads(shown.output)["articles"]] == ["q1", "q2"]
    missing = runner.invoke(main, ["story", "nope", "--db", str(db)])
    assert missing.exit_code != 0 and "hint" in missing.output


def _story_of(store):
    return {r["article_id"]: (r["story_id"], r["manual"]) for r in store.query("SELECT * FROM story_articles")}


def test_changed_article_leaves_its_old_story(store):
    _save(store, _articles())
    stage = StoriesStage(encoder_spec="none")
    run_analysis(store, [stage])
    quake = _story_of(store)["q1"][0]
    assert _story_of(store)["q2"][0] == quake
    # q2 is re-ingested with new text: now a report on the dock strike.
    changed = _articles()[2]
    changed.raw_text = changed.clean_text = STRIKE.replace("began", "continued")
    changed.title = "Rotterdam dock strike continues"
    _save(store, [changed])
    assert store.pending("stories") == ["q2"]
    run_analysis(store, [stage])
    rows = _story_of(store)
    assert rows["q2"][0] == rows["s1"][0] != quake
    assert store.query("SELECT article_count FROM stories WHERE id = ?", (quake,))[0][0] == 1


def test_analyst_placement_and_merge_hold(store):
    from storywire.workflow.curation import merge_stories, split_story

    arts = _articles()
    _save(store, arts[:2])
    stage = StoriesStage(encoder_spec="none")
    run_analysis(store, [stage])
    quake, strike = _story_of(store)["q1"][0], _story_of(store)["s1"][0]
    merge_stories(store, strike, quake)  # the analyst's call: one story
    # A new quake report is bound for the merged story: it lands in the one it was merged into.
    _save(store, [arts[2]])
    run_analysis(store, [stage])
    rows = _story_of(store)
    assert rows["q2"][0] == rows["q1"][0] == rows["s1"][0] == strike
    # The analyst moves q2 out; re-analysing it (new version) leaves it where it was put.
    _, alone = split_story(store, strike, ["q2"])
    arts[2].raw_text = arts[2].clean_text = QUAKE2 + " Rescue teams are still searching."
    _save(store, [arts[2]])
    run_analysis(store, [stage])
    assert _story_of(store)["q2"] == (alone, 1)
