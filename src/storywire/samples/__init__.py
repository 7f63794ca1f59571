"""The sample corpus: invented news articles and their annotations.

About forty short articles in English, French, German and Spanish about seven
invented events (two earthquakes, a port strike, a ministerial phone call and an
older statement by the same minister, a flood, a trade summit). They include wire
copies with small telling edits, a partial reuse, independent write-ups and
translations, name variants, quotes and casualty figures. The corpus is the
default input of the demo and of the tests of every stage; ``annotations()``
says what each stage should find (see docs/sample-corpus.md).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path


def corpus_dir() -> Path:
    """The folder holding the sample articles (.txt, .md, .html and one .jsonl)."""
    return Path(str(resources.files(__name__).joinpath("corpus")))


@cache
def _annotations_text() -> str:
    return resources.files(__name__).joinpath("annotations.json").read_text(encoding="utf-8")


def annotations() -> dict:
    """The corpus annotations: a fresh dict each call, so callers may change it."""
    return json.loads(_annotations_text())
