"""Ingest speed: read + clean + language + store (analysis off) of a generated corpus.

    .venv/bin/python bench/bench_ingest.py [--n 10000] [--format txt|jsonl] [--workers 1]

Prints wall-clock and CPU-time rates (the latter is what one idle core would do;
on a shared machine the wall-clock figure mostly measures the other load). Writes N
short invented articles (English, French, German, Spanish; with a title
line, page furniture, an outlet prefix or trailer, glued sentences) to a
temporary folder, ingests them into a fresh database and prints articles/s.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

import storywire.ingest  # noqa: F401  (imported before timing starts)
from storywire.config import Settings
from storywire.engine.local import LocalEngine
from storywire.pipeline import ingest
from storywire.store import Store

SENTENCES = {
    "en": ["The council approved the plan on {day}, officials said.", "About {n} people attended the meeting.",
           "The mayor said the work would start next month.", "Critics warned that costs could rise.",
           "Residents of {town} welcomed the decision.", "The project is expected to take two years."],
    "fr": ["Le conseil a approuvé le projet {day}, selon la mairie.", "Environ {n} personnes ont assisté à la réunion.",
           "Le maire a déclaré que les travaux commenceraient le mois prochain.",
           "Les habitants de {town} ont salué la décision.", "Les critiques craignent une hausse des coûts."],
    "de": ["Der Rat hat den Plan am {day} gebilligt, teilte die Stadt mit.", "Etwa {n} Menschen kamen zur Sitzung.",
           "Der Bürgermeister sagte, die Arbeiten begännen nächsten Monat.",
           "Die Einwohner von {town} begrüßten die Entscheidung.", "Kritiker warnen vor steigenden Kosten."],
    "es": ["El consejo aprobó el plan el {day}, según fuentes oficiales.", "Unas {n} personas asistieron a la reunión.",
           "El alcalde dijo que las obras empezarían el mes próximo.",
           "Los vecinos de {town} celebraron la decisión.", "Los críticos advierten de que los costes podrían subir."],
}
OUTLETS = ["Valley Times", "Hill Herald", "Coast News", "River Post"]
TOWNS = ["Riverton", "Eastport", "Millbrook", "Stonebridge"]


def article(rng: random.Random, i: int) -> dict:
    lang = rng.choice(list(SENTENCES))
    outlet = rng.choice(OUTLETS)
    fill = {"day": rng.choice(["Monday", "Tuesday", "12 May"]), "n": rng.randint(20, 900), "town": rng.choice(TOWNS)}
    paras = []
    for _ in range(rng.randint(3, 6)):
        picked = rng.sample(SENTENCES[lang], 2)
        glue = "" if rng.random() < 0.2 else " "
        paras.append(glue.join(s.format(**fill) for s in picked))
    title = f"{fill['town']}: plan {i} approved"
    text = f"Please wait...\n\n{title}\n\nShare on Telegram\n\n{outlet} - " + "\n\n".join(paras)
    return {"id": f"a{i:06d}", "title": title, "text": text, "outlet": outlet}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--format", choices=["txt", "jsonl"], default="txt")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        if args.format == "txt":
            for i in range(args.n):
                a = article(rng, i)
                (corpus / f"{a['id']}.txt").write_text(a["text"], encoding="utf-8")
        else:
            with open(corpus / "corpus.jsonl", "w", encoding="utf-8") as f:
                for i in range(args.n):
                    a = article(rng, i)
                    f.write(json.dumps({"id": a["id"], "text": a["text"]}, ensure_ascii=False) + "\n")
        size = sum(p.stat().st_size for p in corpus.iterdir())
        with Store.open(Path(tmp) / "bench.db") as store:
            started, cpu_started = time.perf_counter(), time.process_time()
            report = ingest([str(corpus)], store, Settings(), engine=LocalEngine(args.workers), analyse=False)
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
            rerun_started = time.perf_counter()
            again = ingest([str(corpus)], store, Settings(), engine=LocalEngine(args.workers), analyse=False)
            rerun = time.perf_counter() - rerun_started
    print(f"corpus: {args.n} articles, {size / 1e6:.1f} MB, format {args.format}, workers {args.workers}")
    print(f"ingest: {report.counts} in {elapsed:.1f} s = {report.read / elapsed:.0f} articles/s")
    # CPU time of this process (workers=1): the rate on an idle core, whatever the machine's load.
    print(f"ingest CPU time: {cpu:.1f} s = {report.read / cpu:.0f} articles per CPU-second")
    print(f"re-run: {again.counts} in {rerun:.1f} s = {again.read / rerun:.0f} articles/s")
    if not report.ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
