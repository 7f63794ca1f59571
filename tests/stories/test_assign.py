"""Scoring rules of the story assigner, on hand-made profiles (no encoder needed)."""

from collections import Counter

import numpy as np

from storywire.stories.assign import AssignerConfig, Story, StoryAssigner
from storywire.stories.features import ArticleFeatures

NAMES = [f"e:name{i}" for i in range(20)]


def _profile(lang, anchors, vector):
    v = np.asarray(vector, dtype=np.float32)
    weight = 1 / len(anchors) ** 0.5
    return Story(id=lang, seq=0, size=1, anchors={k: weight for k in anchors}, embeddings={lang: v / np.linalg.norm(v)},
                 languages=Counter({lang: 1}))


def test_cross_language_embedding_needs_shared_names_when_both_name_many():
    assigner = StoryAssigner(AssignerConfig())
    en = _profile("en", NAMES[:16], [1.0, 0.3])
    fr_same_names = _profile("fr", NAMES[:16], [1.0, 0.32])
    fr_other_names = _profile("fr", [f"e:other{i}" for i in range(16)], [1.0, 0.32])
    assert assigner.similarity(en, fr_same_names) > assigner.config.join_threshold
    assert assigner.similarity(en, fr_other_names) < assigner.config.join_threshold


def test_short_texts_keep_the_encoder_across_languages():
    # Few names on a side (a snippet, or a script without capitals): the encoder alone may decide.
    assigner = StoryAssigner(AssignerConfig())
    en = _profile("en", NAMES[:3], [1.0, 0.3])
    zh = _profile("zh", ["n:2024"], [1.0, 0.32])
    assert assigner.similarity(en, zh) > assigner.config.join_threshold


def test_a_story_of_many_translations_still_needs_shared_names():
    # Five translations of one text name the same ten people and places; another
    # text on the same topic naming others embeds just as close but must not join.
    config = AssignerConfig()
    assigner = StoryAssigner(config)
    story = Story(id="s", seq=0)
    for lang in ["de", "es", "it", "ru", "cs"]:
        member = _profile(lang, NAMES[:10], [1.0, 0.31])
        story.add({}, member.anchors, member.embeddings, member.languages, [None], 1, config)
    same_names = _profile("fr", NAMES[:10], [1.0, 0.32])
    other_names = _profile("fr", [f"e:other{i}" for i in range(10)], [1.0, 0.32])
    assert assigner.similarity(same_names, story) > config.join_threshold
    assert assigner.similarity(other_names, story) < config.join_threshold


def _member(terms, anchors, vector, lang="en"):
    v = np.asarray(vector, dtype=np.float32)
    unit = lambda keys: {k: 1 / len(keys) ** 0.5 for k in keys}
    return Story(id="", seq=0, size=1, terms=unit(terms), anchors=unit(anchors),
                 embeddings={lang: v / np.linalg.norm(v)}, languages=Counter({lang: 1}))


def test_cohesion_of_two_members_is_their_match():
    config = AssignerConfig()
    assigner = StoryAssigner(config)
    a = _member(["fire", "store", "night"], ["e:surrey", "n:40"], [1.0, 0.2, 0.1])
    b = _member(["fire", "store", "arson"], ["e:surrey", "n:12"], [1.0, 0.25, 0.0], lang="fr")
    story = Story(id="s", seq=0)
    for m in (a, b):
        story.add(m.terms, m.anchors, m.embeddings, m.languages, [None], 1, config)
    assert abs(assigner.cohesion(story) - assigner.similarity(a, b)) < 1e-5
    assert assigner.cohesion(Story(id="t", seq=1, size=1)) is None


def _features(article_id, terms, anchors):
    return ArticleFeatures(article_id=article_id, language="en", day=None, title="", embed_text="",
                           terms={t: 1.0 for t in terms}, anchors=set(anchors))


def _sibling_stream():
    # Two fires at one store chain, reported alternately: the reports of one fire
    # share its town and its toll; all share the topic's words.
    topic = ["fire", "store", "blaze"]
    stream = []
    for i in range(3):
        a = _features(f"a{i}", topic + ["surrey", "suspicious", f"wa{i}"], ["e:surrey", "n:40"])
        b = _features(f"b{i}", topic + ["wellington", "major", f"wb{i}"], ["e:wellington", "n:12"])
        stream += [(a, [1.0, 0.30, 0.05 * i]), (b, [1.0, 0.05 * i, 0.30])]
    # Filler articles on other topics, so that the topic's words are rare.
    filler = [(_features(f"x{i}", [f"other{i}", f"word{i}"], [f"e:x{i}"]), [0.0, 1.0, float(i)]) for i in range(20)]
    return filler + stream


def _stories(config):
    assigner = StoryAssigner(config)
    for feats, vector in _sibling_stream():
        assigner.assign(feats, np.asarray(vector, dtype=np.float32))
    groups = {}
    for article_id, story_id in assigner.membership().items():
        if article_id[0] in "ab":
            groups.setdefault(story_id, set()).add(article_id[0])
    return sorted("".join(sorted(g)) for g in groups.values())


def test_sibling_events_of_one_topic_stay_apart():
    assert _stories(AssignerConfig()) == ["a", "b"]
    # Without the one-article bar the first report of the second fire joins the
    # first fire's story, and the mixed story takes everything; without the
    # cohesion bar the merge step folds the two fires' stories into one.
    assert _stories(AssignerConfig(single_join_threshold=0.75)) == ["ab"]
    assert _stories(AssignerConfig(cohesion_ratio=0.0)) == ["ab"]


def test_an_article_must_match_a_tight_story_in_its_language_nearly_as_its_members_do():
    filler = [(_features(f"x{i}", [f"other{i}", f"word{i}"], [f"e:x{i}"]), [0.0, 1.0, float(i)]) for i in range(20)]
    # Two reports of a fire in Surrey, then the first report of a fire in Wellington:
    # same topic words, another town and toll. It scores 0.79 against the Surrey
    # story, above the join threshold (0.75), far below the story's cohesion (2.5).
    surrey = [(_features(f"a{i}", ["fire", "store", "blaze", "surrey", "suspicious", "arson"], ["e:surrey", "n:40"]),
               [1.0, 0.3, 0.0]) for i in range(2)]
    wellington = (_features("b0", ["fire", "store", "wellington", "major"], ["e:wellington", "n:12"]), [0.93, 0.0, 0.2])

    def joined(config):
        assigner = StoryAssigner(config)
        for feats, vector in filler + surrey + [wellington]:
            result = assigner.assign(feats, np.asarray(vector, dtype=np.float32))
        return not result.new

    assert not joined(AssignerConfig())
    assert joined(AssignerConfig(join_cohesion_ratio=0.0))
