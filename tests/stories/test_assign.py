"""Scoring rules of the story assigner, on hand-made profiles (no encoder needed)."""

from collections import Counter

import numpy as np

from storywire.stories.assign import AssignerConfig, Story, StoryAssigner

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
