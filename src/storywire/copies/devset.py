"""Labelled copy-detection dev data made from real articles.

From a clustering file (one article a line: ``{"id", "text", "story", ...}``,
e.g. ``../shared/eval/clustering/ecbplus-dev.jsonl``) it writes two files in
the eval format that ``storywire eval-copies`` reads (see the docstring of storywire.copies):

* ``DOCS.jsonl`` — ``{"id", "text", "date", "source"}``: the real articles
  used, plus the derived texts made here;
* ``PAIRS.jsonl`` — ``{"a", "b", "label", "source"}`` with ``label`` one of
  ``copy``, ``partial``, ``independent`` and ``source`` the id of the original
  for derived pairs (``null`` for independent ones).

Derived texts are what republishers do:

* ``copy`` — the whole text with a few edits: word swaps, name respellings,
  a cut or added sentence, reordered paragraphs, changed quote marks or scare
  quotes, glued sentences, the outlet's boilerplate at the top or bottom;
* ``partial`` — part of the text (a block or scattered sentences, 20-60 %)
  mixed with other writing (another article of the same story, or an
  unrelated one), or a short excerpt under the outlet's own introduction.

Independent pairs are two different real articles of the same story, which
share names, numbers and sometimes quotes but were written separately. Pairs
that share a verbatim run of ``WIRE_RUN`` words or more are left out: those are
wire copies inside the corpus, not independent writing.

Run: ``python -m storywire.copies.devset IN.jsonl OUT_DIR [--seed 0] [--sources 200]``.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterable

from ..text import sentences
from .align import align

WIRE_RUN = 25
_BOILERPLATE = [
    "{outlet} -", "By {outlet} staff", "Source: {outlet}", "All rights reserved © {outlet}",
    "Follow {outlet} on Telegram and X.", "Read more on {outlet}", "Share this story",
    "({outlet})", "Subscribe to the {outlet} newsletter",
]
_OUTLETS = ["Gulf Herald", "Daily Courier", "News Agency Today", "The Observer Post", "Radio Monde",
            "Global Wire", "Morning Ledger", "Capital Times", "Eastern Tribune", "Free Voice"]
_RESPELL = [("i$", "y"), ("q", "gh"), ("k", "c"), ("ou", "u"), ("ph", "f"), ("ee", "i"), ("y$", "i"), ("ch", "sh")]
_FILLER = ["reportedly", "on Thursday", "officials said", "according to sources", "also", "again", "late"]


def load(path: str | Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _sents(text: str) -> list[str]:
    out = []
    for line in text.splitlines():
        out += sentences(line)
    return [s for s in out if s.strip()]


def _respell(word: str, rng: random.Random) -> str:
    rules = [(p, r) for p, r in _RESPELL if re.search(p, word)]
    if not rules:
        return word[:-2] + word[-1] + word[-2] if len(word) > 3 else word
    p, r = rng.choice(rules)
    return re.sub(p, r, word, count=1)


def _edit_words(sent: str, rng: random.Random, vocab: list[str]) -> str:
    words = sent.split(" ")
    if len(words) < 4:
        return sent
    i = rng.randrange(len(words))
    roll = rng.random()
    if roll < 0.3 and words[i][:1].isupper() and words[i].isalpha():
        words[i] = _respell(words[i], rng)
    elif roll < 0.6:
        words[i] = rng.choice(vocab)
    elif roll < 0.8:
        words.insert(i, rng.choice(_FILLER))
    elif words[i][:1].isupper() and words[i].isalpha():
        words[i] = f"‘{words[i]}’"  # scare quotes
    else:
        del words[i]
    return " ".join(words)


def make_copy(text: str, rng: random.Random, vocab: list[str], other: list[str], outlet: str) -> str:
    """The whole text, republished with a few edits."""
    sents = _sents(text)
    for _ in range(rng.randint(1, 5)):
        k = rng.randrange(len(sents))
        sents[k] = _edit_words(sents[k], rng, vocab)
    if len(sents) > 5 and rng.random() < 0.4:
        for _ in range(rng.randint(1, max(1, len(sents) // 8))):
            sents.pop(rng.randrange(1, len(sents)))
    if other and rng.random() < 0.35:
        sents.insert(rng.randint(1, len(sents)), rng.choice(other))
    paras = _paragraphs(sents, rng)
    if len(paras) > 2 and rng.random() < 0.25:
        i, j = rng.sample(range(1, len(paras)), 2) if len(paras) > 3 else (0, len(paras) - 1)
        paras[i], paras[j] = paras[j], paras[i]
    out = "\n\n".join(paras)
    if rng.random() < 0.3:
        out = out.replace('"', "“", 1).replace("``", "“").replace("''", "”")
    if rng.random() < 0.2:
        out = re.sub(r"([.!?])\s+(?=[A-Z])", r"\1", out, count=rng.randint(1, 4))  # glued sentences
    return _boilerplate(out, rng, outlet)


def make_partial(text: str, rng: random.Random, other: list[str], outlet: str) -> str:
    """Part of the text mixed with other writing, or an excerpt under an introduction."""
    sents = _sents(text)
    share = rng.uniform(0.2, 0.6)
    k = max(2, round(len(sents) * share))
    if rng.random() < 0.5:
        start = rng.randrange(0, max(1, len(sents) - k + 1))
        reused = sents[start : start + k]
    else:
        reused = [s for i, s in sorted(rng.sample(list(enumerate(sents)), min(k, len(sents))))]
    own = list(other)
    rng.shuffle(own)
    n_own = max(2, round(len(reused) * rng.uniform(0.7, 2.0)))
    own = own[:n_own]
    if rng.random() < 0.5:
        mixed = own[: len(own) // 2] + reused + own[len(own) // 2 :]
    else:
        mixed = list(reused)
        for s in own:
            mixed.insert(rng.randint(0, len(mixed)), s)
    return _boilerplate("\n\n".join(_paragraphs(mixed, rng)), rng, outlet)


def _paragraphs(sents: list[str], rng: random.Random) -> list[str]:
    paras, cur = [], []
    for s in sents:
        cur.append(s)
        if rng.random() < 0.4:
            paras.append(" ".join(cur))
            cur = []
    if cur:
        paras.append(" ".join(cur))
    return paras


def _boilerplate(text: str, rng: random.Random, outlet: str) -> str:
    if rng.random() < 0.5:
        line = rng.choice(_BOILERPLATE).format(outlet=outlet)
        text = f"{line}\n\n{text}" if rng.random() < 0.5 else f"{text}\n\n{line}"
    return text


def _wire_copies(a: str, b: str) -> bool:
    return align(a, b).longest >= WIRE_RUN


def build(records: Iterable[dict], seed: int = 0, sources: int = 200, independent: int | None = None):
    """(docs, pairs) of a dev set built from ``records``; deterministic for a seed."""
    rng = random.Random(seed)
    records = [r for r in records if len(_sents(r.get("text") or "")) >= 4]
    by_story: dict[str, list[dict]] = {}
    for r in records:
        by_story.setdefault(r["story"], []).append(r)
    vocab = sorted({w for r in records for w in r["text"].split() if w.isalpha() and len(w) > 3})
    base = datetime(2024, 1, 1, tzinfo=timezone.utc)
    docs: dict[str, dict] = {}

    def real(r: dict, when: datetime) -> str:
        docs.setdefault(r["id"], {"id": r["id"], "text": r["text"], "date": when.isoformat(), "source": None})
        return r["id"]

    pairs = []
    picked = rng.sample(records, min(sources, len(records)))
    for n, r in enumerate(picked):
        when = base + timedelta(hours=n)
        src = real(r, when)
        same = [x for x in by_story[r["story"]] if x["id"] != r["id"]]
        pool = same if same and rng.random() < 0.6 else [rng.choice(records)]
        other = [s for x in pool[:3] for s in _sents(x["text"]) if x["id"] != r["id"]]
        for label in ("copy", "partial"):
            outlet = rng.choice(_OUTLETS)
            if label == "copy":
                text = make_copy(r["text"], rng, vocab, other, outlet)
            else:
                text = make_partial(r["text"], rng, other, outlet)
            did = f"{src}~{label}"
            docs[did] = {"id": did, "text": text, "date": (when + timedelta(hours=rng.randint(1, 48))).isoformat(),
                         "source": outlet}
            a, b = (src, did) if rng.random() < 0.5 else (did, src)
            pairs.append({"a": a, "b": b, "label": label, "source": src})
    want = independent if independent is not None else len(pairs) // 2
    candidates = [(x, y) for group in by_story.values() for i, x in enumerate(group) for y in group[i + 1 :]]
    rng.shuffle(candidates)
    for x, y in candidates:
        if want <= 0:
            break
        if _wire_copies(x["text"], y["text"]):
            continue
        a = real(x, base + timedelta(hours=rng.randint(0, 500)))
        b = real(y, base + timedelta(hours=rng.randint(0, 500)))
        pairs.append({"a": a, "b": b, "label": "independent", "source": None})
        want -= 1
    return list(docs.values()), pairs


def write(docs: list[dict], pairs: list[dict], out_dir: str | Path) -> tuple[Path, Path]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = out / "docs.jsonl", out / "pairs.jsonl"
    for path, rows in zip(paths, (docs, pairs)):
        with open(path, "w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Make labelled copy-detection pairs from a clustering file.")
    parser.add_argument("input", help="clustering JSONL: one article a line with id, text, story")
    parser.add_argument("out_dir", help="folder to write docs.jsonl and pairs.jsonl into")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--sources", type=int, default=200, help="articles to derive a copy and a partial from")
    args = parser.parse_args(argv)
    docs, pairs = build(load(args.input), seed=args.seed, sources=args.sources)
    d, p = write(docs, pairs, args.out_dir)
    print(f"{len(docs)} docs -> {d}\n{len(pairs)} pairs -> {p}")


if __name__ == "__main__":
    main()
