"""``storywire eval``: score the story assigner on a labelled clustering file.

The file has one article per line, ``{"id", "text", "title", "lang", "date",
"source", "url", "story"}`` (see ``../shared/eval/README.md``). Articles are
streamed in date order (file order among equal or missing dates) through the
same :class:`~storywire.stories.assign.StoryAssigner` the stage uses. The gold
``story`` field is read only to score.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..model import Article
from .assign import AssignerConfig, StoryAssigner
from .encoder import Encoder
from .features import features
from .metrics import clustering_scores


@dataclass
class LabelledArticle:
    article: Article
    gold: str


def read_labelled(path: str | Path) -> list[LabelledArticle]:
    """The file's articles with their gold stories, in date order (undated last, stable)."""
    out = []
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc}", hint="pass a JSONL clustering file") from exc
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
            text = rec.get("text") or ""
            article = Article(
                id=str(rec["id"]),
                raw_text=text,
                clean_text=text,
                title=rec.get("title"),
                language=rec.get("lang"),
                published=rec.get("date"),
                outlet=rec.get("source"),
                url=rec.get("url"),
            )
            out.append(LabelledArticle(article, str(rec["story"])))
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(
                f"{path}:{n}: not a clustering record: {exc}",
                hint='each line must be a JSON object with at least "id", "text" and "story"',
            ) from exc
    return sorted(out, key=lambda la: (la.article.published is None, la.article.published or ""))


def stream(items: list[LabelledArticle], encoder: Encoder | None, config: AssignerConfig | None = None,
           batch_size: int = 64) -> dict[str, str]:
    """Article id -> story id once every article has been assigned, one at a time in order.

    Embeddings are computed a batch ahead (the encoder is faster on batches); the
    assignment itself sees one article at a time, exactly as the stage does.
    """
    assigner = StoryAssigner(config)
    for i in range(0, len(items), batch_size):
        feats = [features(la.article) for la in items[i : i + batch_size]]
        vectors = encoder.encode([f.embed_text for f in feats]) if encoder else [None] * len(feats)
        for f, vector in zip(feats, vectors):
            assigner.assign(f, vector)
    return assigner.membership()


def evaluate(path: str | Path, encoder: Encoder | None, config: AssignerConfig | None = None) -> dict:
    """Stream the file through the assigner; return scores, sizes and timings."""
    started = time.perf_counter()
    items = read_labelled(path)
    predicted = stream(items, encoder, config)
    seconds = time.perf_counter() - started
    gold = {la.article.id: la.gold for la in items}
    langs = {la.article.id: la.article.language for la in items}
    multilingual = len({lang for lang in langs.values() if lang}) > 1
    scores = clustering_scores(gold, predicted, langs if multilingual else None)
    return {
        "file": str(path),
        "articles": len(items),
        "gold_stories": len(set(gold.values())),
        "predicted_stories": len(set(predicted.values())),
        "encoder": encoder.name if encoder else "none",
        "seconds": round(seconds, 2),
        **scores,
    }
