"""Curation decisions survive a full re-run of the real pipeline."""

import pytest

from storywire.pipeline import analysis_stages, ingest, run_analysis
from storywire.store import Store
from storywire.workflow.curation import merge_actors, merge_stories, rename_story, set_copy_verdict, split_story

# Tables that hold inputs or the analyst's own work; everything else is derived and is wiped.
KEEP = ("articles", "article_versions", "article_sources", "runs", "run_items", "schema_migrations", "decisions",
        "follows", "alerts", "watch_feeds", "watch_items", "watch_pages")

FERRY = """# Ferry to Osk suspended after hull crack

Tidewater Post

The coastal authority of Brennmark suspended the ferry service to Osk island on Wednesday after inspectors \
found a crack in the hull of the only vessel. Harbour master Ilse Marwick said about two hundred visitors were \
stranded on the island.

Marwick said a replacement ship would arrive from Lunde by Saturday.
"""
FERRY_COPY = FERRY.replace("Tidewater Post", "Island Courier").replace("suspended the", "halted the") \
    .replace("about two hundred", "some 200")
FLOOD = """# River Aske bursts its banks in Dornholm

Dornholm Daily

The River Aske burst its banks in Dornholm on Monday night, flooding the old town and forcing the evacuation \
of three care homes. Mayor Tobias Renner said the water had reached the market square by midnight.

Renner asked residents to stay away from the riverside until the level drops.
"""
FLOOD_2 = """# Dornholm cleans up after night of flooding

Valley Herald

Volunteers in Dornholm began clearing mud from the old town on Tuesday after the River Aske flooded streets \
overnight. Mayor Tobias Renner thanked firefighters who evacuated three care homes in the dark.

Insurers said claims would take weeks to process.
"""
FAIR = """# Dornholm autumn fair cancelled

Dornholm Daily

Organisers cancelled the Dornholm autumn fair, which was due to open on the market square next week. \
Councillor Petra Holm said the square needed repairs before any event could be held there.

Holm said the fair would return next year.
"""


def reset_analysis(store: Store) -> None:
    """Forget every derived result, as a full re-run from scratch would."""
    tables = [r[0] for r in store.query("SELECT name FROM sqlite_master WHERE type = 'table'")]
    with store.transaction() as c:
        c.execute("DELETE FROM analysis_state")
        for table in tables:
            if table not in KEEP and table != "analysis_state" and not table.startswith(("articles_fts", "sqlite_")):
                c.execute(f'DELETE FROM "{table}"')


def story_of(store, article):
    rows = store.query("SELECT story_id FROM story_articles WHERE article_id = ?", (article,))
    return rows[0][0] if rows else None


def actor_of(store, surname):
    return store.query("SELECT actor_id FROM mentions WHERE text LIKE ? AND actor_id IS NOT NULL "
                       "ORDER BY length(text) DESC LIMIT 1", (f"%{surname}",))[0][0]


@pytest.fixture
def analysed(tmp_path, monkeypatch):
    """The articles above, ingested and analysed by the real pipeline (model-free NER, no encoder)."""
    monkeypatch.setenv("STORYWIRE_NER", "rules")
    monkeypatch.setenv("STORYWIRE_ENCODER", "none")
    inputs = tmp_path / "articles"
    inputs.mkdir()
    for name, text in [("ferry", FERRY), ("ferry-copy", FERRY_COPY), ("flood", FLOOD), ("flood-2", FLOOD_2),
                       ("fair", FAIR)]:
        (inputs / f"{name}.md").write_text(text, encoding="utf-8")
    store = Store.open(tmp_path / "t.db")
    assert ingest([str(inputs)], store).ok
    yield store
    store.close()


def full_rerun(store: Store) -> None:
    reset_analysis(store)
    assert store.query("SELECT count(*) FROM copy_pairs")[0][0] == 0
    run_analysis(store)


@pytest.mark.slow
def test_copy_and_actor_decisions_hold_after_a_full_rerun(analysed):
    store = analysed
    assert store.query("SELECT verdict FROM copy_pairs WHERE a = 'ferry' AND b = 'ferry-copy'")[0][0] == "copy"
    set_copy_verdict(store, "ferry", "ferry-copy", "independent")
    # (Two people as one actor: the analyst's call; what is tested is that it holds.)
    merge_actors(store, actor_of(store, "Renner"), actor_of(store, "Holm"))
    kept = actor_of(store, "Renner")

    def holds() -> None:
        assert store.query("SELECT verdict FROM copy_pairs WHERE a = 'ferry' AND b = 'ferry-copy'")[0][0] == \
            "independent"
        assert store.query("SELECT count(*) FROM copy_groups WHERE article_id LIKE 'ferry%'")[0][0] == 0
        assert actor_of(store, "Holm") == actor_of(store, "Renner") == kept

    holds()
    full_rerun(store)
    holds()


@pytest.mark.slow
def test_story_decisions_hold_after_a_full_rerun(analysed):
    if "stories" not in {s.name for s in analysis_stages()}:
        pytest.skip("the stories stage is not in the pipeline yet")
    store = analysed
    merge_stories(store, story_of(store, "flood"), story_of(store, "fair"))
    _, split = split_story(store, story_of(store, "ferry"), ["ferry-copy"])
    rename_story(store, story_of(store, "flood"), "Dornholm: flood and fair")

    def holds() -> None:
        assert story_of(store, "flood") == story_of(store, "fair")
        assert store.query("SELECT title FROM stories WHERE id = ?", (story_of(store, "flood"),))[0][0] == \
            "Dornholm: flood and fair"
        assert story_of(store, "ferry-copy") == split != story_of(store, "ferry")
        assert store.query("SELECT manual FROM story_articles WHERE article_id = 'ferry-copy'")[0][0] == 1

    holds()
    full_rerun(store)
    holds()
