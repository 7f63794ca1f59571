"""How the batch job's cost grows with the corpus, per stage, for both engines.

    python bench/bench_scale.py 10000 100000 [--engines local,spark] [--work /tmp/storywire-bench]

For each size, a corpus is generated once (storywire.synth, seed 1, JSONL files
of 5,000 articles; generation is not timed). Each engine then runs
``storywire batch`` over it in a fresh process while this script samples the
memory of that process and all its children (Spark's JVM and Python workers
included). Printed per stage: wall seconds, docs/s, milliseconds per article,
peak memory, Parquet size. A flat ms/article column from 10k to 1M means no
stage is quadratic. ``--plot FILE.png`` draws CPU ms/article per stage, and the total's wall
ms/article, against corpus size (matplotlib). Results are also written as JSON next to the plot;
``--combine A.json B.json --plot all.png`` prints and plots runs made
separately (say, 1M on its own) as one table.

Output goes to ``WORK/out-ENGINE-SIZE``; the tables of the stages measured are
deleted first, so that a folder left by an earlier run is never skipped as
complete. ``--resume`` keeps them instead (a killed long run goes on where it
stopped; the stages it skips are reported as skipped, not measured).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

FILE_ARTICLES = 5000


def make_corpus(n: int, folder: Path) -> Path:
    from storywire.synth import generate

    done = folder.with_name(folder.name + ".complete")  # outside the folder: it is input
    if done.exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    out = None
    for i, record in enumerate(generate(n, 1)):
        if i % FILE_ARTICLES == 0:
            if out:
                out.close()
            out = open(folder / f"part-{i // FILE_ARTICLES:05d}.jsonl", "w", encoding="utf-8")
        record = {k: v for k, v in record.items() if k not in ("story", "copy_of")}  # truth stays out
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    if out:
        out.close()
    done.write_text("")
    return folder


def tree_usage(pid: int) -> tuple[int, float]:
    """(resident bytes, CPU seconds) of ``pid`` and all its descendants, from /proc.

    CPU includes children that already exited and were reaped (cutime, cstime),
    so Spark's short-lived Python workers count too.
    """
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    rss, ticks, todo = 0, 0, [pid]
    while todo:
        p = todo.pop()
        todo.extend(children.get(p, []))
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            ticks += sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        rss += int(line.split()[1]) * 1024
        except (OSError, ValueError):
            pass
    return rss, ticks / os.sysconf("SC_CLK_TCK")


def run_one(corpus: Path, out: Path, engine: str, workers: int, stages: list[str] | None) -> list[dict]:
    """Run the batch in this process, sampling memory per stage; return stage rows."""
    from storywire.batch.plan import run_batch
    from storywire.config import Settings

    peak = {"value": 0, "cpu": 0.0, "cpu_start": tree_usage(os.getpid())[1]}
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            rss, cpu = tree_usage(os.getpid())
            peak["value"] = max(peak["value"], rss)
            peak["cpu"] = max(peak["cpu"], cpu)
            time.sleep(0.25)

    rows: list[dict] = []
    thread = threading.Thread(target=sample, daemon=True)
    thread.start()

    def on_stage(report) -> None:
        rss, cpu = tree_usage(os.getpid())
        cpu = max(cpu, peak["cpu"])
        rows.append({"stage": report.stage, "skipped": report.skipped, "seconds": report.seconds, "rows": report.rows,
                     "bytes": sum(report.bytes.values()), "peak_rss": max(peak["value"], rss),
                     "cpu": cpu - peak["cpu_start"]})
        peak.update(value=rss, cpu_start=cpu)

    # The bench measures the pipeline, not the sentence encoder (see docs/spark.md).
    settings = Settings.from_env(encoder="none", ner="rules")
    run_batch([str(corpus)], out, engine=engine, settings=settings, workers=workers,
              stages=stages, on_stage=on_stage)
    stop.set()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="+", type=int)
    parser.add_argument("--engines", default="local,spark")
    parser.add_argument("--work", type=Path, default=Path("/tmp/storywire-bench"))
    parser.add_argument("--workers", type=int, default=1, help="local engine processes for reading and cleaning")
    parser.add_argument("--plot", type=Path, default=None)
    parser.add_argument("--stages", default=None, help="comma-separated stages (default: all)")
    parser.add_argument("--resume", action="store_true",
                        help="keep the finished stages of an earlier run in the out-* folder (they are skipped, "
                             "not measured); by default the measured stages' tables are deleted first")
    parser.add_argument("--combine", nargs="+", type=Path, metavar="JSON",
                        help="print and plot (--plot) the results of earlier runs (their JSON files) together, "
                             "instead of running; the sizes given are ignored")
    parser.add_argument("--one", nargs=2, metavar=("SIZE", "ENGINE"), help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.combine:
        results = [r for path in args.combine for r in json.loads(path.read_text())]
        print_table(results)
        if args.plot:
            args.plot.with_suffix(".json").write_text(json.dumps(results, indent=1))
            plot(results, args.plot)
        return

    if args.one:  # child process: one engine, one size
        size, engine = int(args.one[0]), args.one[1]
        corpus = args.work / f"corpus-{size}"
        stages = args.stages.split(",") if args.stages else None
        rows = run_one(corpus, args.work / f"out-{engine}-{size}", engine, args.workers, stages)
        print(json.dumps(rows))
        return

    results = []
    for size in args.sizes:
        corpus = make_corpus(size, args.work / f"corpus-{size}")
        for engine in args.engines.split(","):
            out = args.work / f"out-{engine}-{size}"
            if args.resume:
                print(f"{engine} {size}: resuming in {out}; finished stages are skipped", file=sys.stderr)
            else:
                clear_stages(out, args.stages.split(",") if args.stages else None)
            started = time.perf_counter()
            cmd = [sys.executable, __file__, str(size), "--one", str(size), engine,
                   "--work", str(args.work), "--workers", str(args.workers)]
            if args.stages:
                cmd += ["--stages", args.stages]
            proc = subprocess.run(cmd, capture_output=True, text=True)
            if proc.returncode != 0:
                print(f"{engine} {size}: failed\n{proc.stderr[-3000:]}", file=sys.stderr)
                continue
            rows = json.loads(proc.stdout.strip().splitlines()[-1])
            skipped = [r["stage"] for r in rows if r.get("skipped")]
            if skipped:
                print(f"{engine} {size}: skipped (already complete): {', '.join(skipped)}", file=sys.stderr)
            for row in rows:
                row.update(engine=engine, size=size)
            total = {"engine": engine, "size": size, "stage": "TOTAL", "seconds": time.perf_counter() - started,
                     "bytes": sum(r["bytes"] for r in rows), "peak_rss": max(r["peak_rss"] for r in rows),
                     "cpu": sum(r.get("cpu", 0) for r in rows)}
            results.extend(rows + [total])
            print_table([r for r in results if r["engine"] == engine and r["size"] == size])
    print_table(results)
    if args.plot:
        args.plot.with_suffix(".json").write_text(json.dumps(results, indent=1))
        plot(results, args.plot)


def clear_stages(out: Path, stages: list[str] | None) -> None:
    """Delete what an earlier run left for ``stages`` (all by default) under ``out``,
    so that they run and are measured again instead of being skipped as complete."""
    from storywire.batch.plan import STAGES

    for stage in stages or STAGES:
        for table in STAGES[stage]:
            shutil.rmtree(out / table, ignore_errors=True)


def print_table(rows: list[dict]) -> None:
    print(f"{'engine':6} {'size':>8} {'stage':16} {'seconds':>9} {'docs/s':>9} {'ms/doc':>8} "
          f"{'cpu ms/doc':>10} {'peak MB':>8} {'out MB':>8}")
    for r in rows:
        secs = r["seconds"]
        print(f"{r['engine']:6} {r['size']:>8} {r['stage']:16} {secs:9.1f} {r['size'] / secs if secs else 0:9.0f} "
              f"{1000 * secs / r['size']:8.3f} {1000 * r.get('cpu', 0) / r['size']:10.3f} "
              f"{r['peak_rss'] / 2**20:8.0f} {r['bytes'] / 2**20:8.1f}")
    sys.stdout.flush()


def plot(results: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    engines = sorted({r["engine"] for r in results})
    fig, axes = plt.subplots(1, len(engines), figsize=(6 * len(engines), 4.5), squeeze=False, sharey=True)
    for ax, engine in zip(axes[0], engines):
        mine = [r for r in results if r["engine"] == engine]
        # CPU time of the whole process tree per stage: what the work costs,
        # whatever else runs on the machine (wall time depends on that).
        for stage in dict.fromkeys(r["stage"] for r in mine):
            pts = sorted((r["size"], 1000 * r["cpu"] / r["size"]) for r in mine
                         if r["stage"] == stage and r.get("cpu"))
            ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=f"{stage} (CPU)",
                    linewidth=2.5 if stage == "TOTAL" else 1.2)
        wall = sorted((r["size"], 1000 * r["seconds"] / r["size"]) for r in mine if r["stage"] == "TOTAL")
        ax.plot([p[0] for p in wall], [p[1] for p in wall], "k--", marker="s", label="TOTAL (wall)")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("articles in the corpus")
        ax.set_title(f"{engine} engine")
        ax.grid(True, which="both", alpha=0.3)
    axes[0][0].set_ylabel("ms per article (flat = linear cost)")
    axes[0][-1].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    print(f"plot: {path}")


if __name__ == "__main__":
    main()
