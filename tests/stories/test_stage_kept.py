"""The stories stage keeps its assigner between runs: results equal a run from scratch."""

import pytest

from storywire.model import Article, Paragraph
from storywire.pipeline import run_analysis
from storywire.stories.assign import AssignerConfig, Story, StoryAssigner
from storywire.stories.features import features
from storywire.stories.stage import StoriesStage
from storywire.store import Store
from storywire.synth import generate

N = 90


@pytest.fixture(scope="module")
def stream() -> list[Article]:
    """News-like articles with planted stories and copies, in date order (synth, not shared data)."""
    out = []
    for r in generate(N, seed=3):
        out.append(Article(id=r["id"], raw_text=r["text"], clean_text=r["text"], title=r["title"],
                           paragraphs=[Paragraph(p, r["lang"]) for p in r["text"].split("\n\n")],
                           outlet=r["source"], published=r["date"], language=r["lang"]))
    return out


def _save(store: Store, articles) -> None:
    with store.transaction():
        for a in articles:
            store.save_article(a)


def _stories(store: Store) -> dict[str, str]:
    return {r[0]: r[1] for r in store.query("SELECT article_id, story_id FROM story_articles")}


def _run(path, stream, cuts, stage_for=None):
    """Save and analyse ``stream`` cut at ``cuts``; ``stage_for(i)`` gives the stage of part i."""
    parts = [stream[a:b] for a, b in zip([0, *cuts], [*cuts, len(stream)])]
    one = StoriesStage(encoder_spec="none")
    for i, part in enumerate(parts):
        with Store.open(path) as s:
            _save(s, part)
            run_analysis(s, [stage_for(i) if stage_for else one], batch_size=7)
    with Store.open(path) as s:
        return _stories(s)


@pytest.fixture(scope="module")
def uninterrupted(stream, tmp_path_factory):
    path = tmp_path_factory.mktemp("kept") / "whole.db"
    with Store.open(path) as s:
        _save(s, stream)
        stage = StoriesStage(encoder_spec="none")
        for a in stream:  # one by one, as a stream
            run_analysis(s, [stage], batch_size=1)
        return _stories(s)


def test_batches_equal_one_by_one(stream, uninterrupted, tmp_path):
    assert len(set(uninterrupted.values())) > 5  # several stories, some joined
    assert len(set(uninterrupted.values())) < N
    assert _run(tmp_path / "b.db", stream, []) == uninterrupted


def test_restart_equals_uninterrupted_run(stream, uninterrupted, tmp_path):
    # A new process for each part: a new Store and a new stage object.
    assert _run(tmp_path / "r.db", stream, [30, 60], lambda i: StoriesStage(encoder_spec="none")) == uninterrupted


def test_another_process_writing_is_seen(stream, uninterrupted, tmp_path):
    # Two stage objects take turns on one database, as two processes would: each
    # must notice the other's writes instead of trusting the assigner it kept.
    a, b = StoriesStage(encoder_spec="none"), StoriesStage(encoder_spec="none")
    got = _run(tmp_path / "p.db", stream, [20, 40, 60], lambda i: (a, b)[i % 2])
    assert got == uninterrupted


def test_failed_run_forgets_the_kept_assigner(stream, uninterrupted, tmp_path, monkeypatch):
    import storywire.stories.stage as stage_module

    stage = StoriesStage(encoder_spec="none")
    path = tmp_path / "f.db"
    with Store.open(path) as s:
        _save(s, stream[:45])
        run_analysis(s, [stage])
        _save(s, stream[45:])
        real = stage_module.refresh_story
        monkeypatch.setattr(stage_module, "refresh_story", lambda *a: (_ for _ in ()).throw(RuntimeError("killed")))
        with pytest.raises(RuntimeError):
            run_analysis(s, [stage])  # rolled back: the assigner's changes were never written
        monkeypatch.setattr(stage_module, "refresh_story", real)
        run_analysis(s, [stage])
        assert _stories(s) == uninterrupted


def test_cold_stories_leave_the_kept_assigner(store):
    def art(aid, day, text):
        return Article(id=aid, raw_text=text, clean_text=text, title=text[:30], published=day, language="en")

    stage = StoriesStage(encoder_spec="none")
    _save(store, [art("q1", "2024-03-04", "Earthquake on Qeshm island kills 10 near Bandar Abbas.")])
    run_analysis(store, [stage])
    first = _stories(store)["q1"]
    assert first in stage._kept.assigner.stories
    _save(store, [art("d1", "2024-05-01", "Dockworkers in Rotterdam strike over pensions.")])
    run_analysis(store, [stage])
    assert first not in stage._kept.assigner.stories  # cold for May: not a candidate any more
    # An article dated back in March brings the story back from the store.
    _save(store, [art("q2", "2024-03-05", "Qeshm island earthquake near Bandar Abbas: 10 killed.")])
    run_analysis(store, [stage])
    assert _stories(store)["q2"] == first


def _story(assigner, aid, text):
    a = Article(id=aid, raw_text=text, clean_text=text, title="", published="2024-03-04", language="en")
    return assigner.assign(features(a)).story_id


def _posted(assigner: StoryAssigner) -> dict[str, set[str]]:
    return {sid: {k for k, ids in assigner._postings.items() if sid in ids} for sid in assigner.stories}


def test_index_holds_each_story_under_its_current_keys_only():
    assigner = StoryAssigner(AssignerConfig(lookup_terms=2))  # few look-up terms: a merge changes them
    one = _story(assigner, "a", "Flooding in Valencia closed the port of Valencia on Tuesday.")
    two = _story(assigner, "b", "Dockworkers in Rotterdam went on strike over pensions; "
                                "the Rotterdam strike halted the Rotterdam port.")
    assert one != two
    before = _posted(assigner)[one]
    assert before == set(assigner.stories[one].lookup_keys(2))
    assigner.merge(two, one)
    assert all(two not in ids for ids in assigner._postings.values())  # a merged story's keys are gone
    after = _posted(assigner)[one]
    assert after == set(assigner.stories[one].lookup_keys(2))
    assert before - after  # a term that left the story's top terms no longer finds it
    assigner.drop(one)
    assert assigner._postings == {}


def test_evict_drops_only_stories_gone_cold():
    assigner = StoryAssigner()
    assigner.add_story(Story(id="old", seq=0, size=1, terms={"flood": 1.0}, first_day=10, last_day=12))
    assigner.add_story(Story(id="new", seq=1, size=1, terms={"flood": 1.0}, first_day=20, last_day=25))
    assigner.add_story(Story(id="undated", seq=2, size=1, terms={"flood": 1.0}))
    assert assigner.evict(13) == ["old"]
    assert set(assigner.stories) == {"new", "undated"}
    assert assigner._postings == {"flood": {"new", "undated"}}
