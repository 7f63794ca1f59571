"""Copy detection at scale, side by side with datasketch.

    .venv/bin/python bench/bench_copies.py                 # 10k and 100k articles
    .venv/bin/python bench/bench_copies.py --sizes 10000   # quick
    .venv/bin/python bench/bench_copies.py --million       # adds 1M (long)
    .venv/bin/python bench/bench_copies.py --corpus synth.jsonl --parallel

Articles come from :mod:`storywire.synth` (news-length, four languages, about
12 % planted copies with edits). The corpus is written once to a temporary
JSONL file; every method then runs in its own forked process streaming that
file, so its peak memory (``resource.getrusage``, minus the process's memory at
start) is its own. Timings are CPU seconds of the method's work
(``time.process_time``; reading the file is not counted), so that figures taken
on a busy shared machine stay comparable: docs/s means documents per CPU second.

Methods, all on the same word 5-gram shingles (storywire.text) and the same LSH
shape (128 permutations, 64 bands of 2 rows):

* ``storywire-lsh`` — rensa MinHash + storywire's band index: candidates only;
* ``datasketch-lsh`` — datasketch MinHash + MinHashLSH: candidates only;
* ``storywire-full`` — candidates, then alignment and verdict of every
  candidate pair (what the copies stage does, without SQLite).

Recall is the share of planted copies (``copy_of``) found: as a candidate for
the LSH methods, judged ``copy`` or ``partial`` for the full method.
text-dedup is included when it is importable (it is not installed by default:
it pulls in datasets, onnxruntime and Sphinx and pins urllib3 < 2).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from storywire.copies.align import align
from storywire.copies.index import BANDS, NUM_PERM, ROWS, SEED, BandIndex, article_shingles, band_keys, signature
from storywire.copies.verdict import verdict
from storywire.synth import generate


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _records(path: str):
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def _result(name: str, n: int, seconds: float, shingle_s: float, found: int, planted: int, start_mb: float,
            **extra) -> dict:
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"method": name, "docs": n, "seconds": round(seconds, 2), "docs_per_s": round(n / seconds),
            "us_per_doc": round(seconds / n * 1e6), "shingle_s": round(shingle_s, 2),
            "recall": round(found / max(1, planted), 4), "planted": planted,
            "peak_mb": round(peak_mb - start_mb), **extra}


def _lsh_run(name: str, path: str, query_and_add) -> dict:
    """Time shingling plus ``query_and_add(id, shingles) -> candidate ids`` over a corpus."""
    start_mb = _rss_mb()
    work, shingling, n, planted, found, cand = 0.0, 0.0, 0, 0, 0, 0
    for r in _records(path):
        t0 = time.process_time()
        items = article_shingles(r["text"])
        t1 = time.process_time()
        hits = query_and_add(r["id"], items)
        t2 = time.process_time()
        shingling += t1 - t0
        work += t2 - t0
        n += 1
        cand += len(hits)
        if r["copy_of"]:
            planted += 1
            found += r["copy_of"] in hits
    return _result(name, n, work, shingling, found, planted, start_mb, candidates_per_doc=round(cand / n, 2))


def storywire_lsh(path: str) -> dict:
    index = BandIndex()

    def query_and_add(article_id, items):
        keys = band_keys(signature(items))
        hits = index.query(keys)
        index.add(article_id, keys)
        return hits

    return _lsh_run("storywire-lsh", path, query_and_add)


def datasketch_lsh(path: str) -> dict:
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(num_perm=NUM_PERM, params=(BANDS, ROWS))

    def query_and_add(article_id, items):
        m = MinHash(num_perm=NUM_PERM, seed=SEED)
        m.update_batch([s.encode("utf-8") for s in items])
        hits = set(lsh.query(m))
        lsh.insert(article_id, m)
        return hits

    return _lsh_run("datasketch-lsh", path, query_and_add)


def storywire_full(path: str) -> dict:
    start_mb = _rss_mb()
    index, texts = BandIndex(), {}
    work, shingling, n, planted, found, aligned, derived = 0.0, 0.0, 0, 0, 0, 0, 0
    for r in _records(path):
        t0 = time.process_time()
        items = article_shingles(r["text"])
        t1 = time.process_time()
        keys = band_keys(signature(items))
        judged = {}
        for other in index.query(keys):
            label, _ = verdict(align(texts[other], r["text"]))
            judged[other] = label
        aligned += len(judged)
        index.add(r["id"], keys)
        texts[r["id"]] = r["text"]
        t2 = time.process_time()
        shingling += t1 - t0
        work += t2 - t0
        n += 1
        derived += sum(1 for v in judged.values() if v != "independent")
        if r["copy_of"]:
            planted += 1
            found += judged.get(r["copy_of"], "independent") != "independent"
    return _result("storywire-full", n, work, shingling, found, planted, start_mb,
                   aligned_per_doc=round(aligned / n, 3), derived_pairs=derived)


def textdedup_available() -> bool:
    try:
        import text_dedup  # noqa: F401
    except ImportError:
        return False
    return True


METHODS = {"storywire-lsh": storywire_lsh, "datasketch-lsh": datasketch_lsh, "storywire-full": storywire_full}


def run_all(path: str, parallel: bool) -> list[dict]:
    """Each method in its own forked process; all at once with ``parallel``."""
    ctx = mp.get_context("fork")
    with ctx.Pool(len(METHODS) if parallel else 1) as pool:
        pending = [pool.apply_async(m, (path,)) for m in METHODS.values()]
        results = []
        for job in pending:
            results.append(job.get())
            if parallel or len(results) < len(METHODS):
                print(f"# done: {json.dumps(results[-1])}", file=sys.stderr, flush=True)
    return results


def write_corpus(path: str, n: int, seed: int) -> None:
    t0 = time.perf_counter()
    with open(path, "w", encoding="utf-8") as fh:
        for rec in generate(n, seed=seed):
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"# {n} articles generated in {time.perf_counter() - t0:.0f}s", file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated corpus sizes")
    parser.add_argument("--million", action="store_true", help="also run 1,000,000 articles")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--corpus", help="use this JSONL corpus (from storywire.synth) instead of generating one")
    parser.add_argument("--parallel", action="store_true", help="run the methods at the same time (CPU times are per method)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON lines")
    args = parser.parse_args()
    if not textdedup_available():
        print("text-dedup: not importable, left out", file=sys.stderr)
    rows = []
    if args.corpus:
        results = run_all(args.corpus, args.parallel)
        rows += results
        _print(results[0]["docs"], results, args.json)
    else:
        sizes = [int(s) for s in args.sizes.split(",") if s] + ([1_000_000] if args.million else [])
        with tempfile.TemporaryDirectory() as tmp:
            for n in sizes:
                path = str(Path(tmp) / f"synth-{n}.jsonl")
                write_corpus(path, n, args.seed)
                results = run_all(path, args.parallel)
                rows += results
                _print(n, results, args.json)
                os.unlink(path)
    if len({r["docs"] for r in rows}) > 1 and not args.json:
        print("\nper-document cost (us/doc) by size, should stay flat:")
        for method in METHODS:
            cells = [f"{r['docs']}: {r['us_per_doc']}" for r in rows if r["method"] == method]
            print(f"  {method:15} " + "  ".join(cells))


def _print(n: int, results: list[dict], as_json: bool) -> None:
    if as_json:
        for r in results:
            print(json.dumps(r))
        return
    print(f"\n== {n} articles ==")
    print(f"{'method':15} {'docs/s':>8} {'us/doc':>7} {'shingle s':>9} {'peak MB':>8} {'recall':>7}  extra"
          "   (CPU time)")
    for r in results:
        extra = {k: v for k, v in r.items() if k in ("candidates_per_doc", "aligned_per_doc", "derived_pairs")}
        print(f"{r['method']:15} {r['docs_per_s']:>8} {r['us_per_doc']:>7} {r['shingle_s']:>9} "
              f"{r['peak_mb']:>8} {r['recall']:>7}  {extra}")
    ours, theirs = results[0], results[1]
    print(f"storywire-lsh vs datasketch-lsh: {ours['docs_per_s'] / theirs['docs_per_s']:.1f}x docs/s, "
          f"MinHash+LSH alone {(theirs['seconds'] - theirs['shingle_s']) / max(1e-9, ours['seconds'] - ours['shingle_s']):.1f}x, "
          f"peak memory {ours['peak_mb'] / max(1, theirs['peak_mb']):.2f}x, "
          f"recall {ours['recall']:.3f} vs {theirs['recall']:.3f}")


if __name__ == "__main__":
    main()
