"""Story page latency with the sample corpus scaled to 100k articles.

    .venv/bin/python bench/bench_story_page.py [--articles 100000] [--requests 300]

1. The sample corpus goes through the real pipeline once (bench/out/sample.db).
   Should no stories stage be installed yet, the corpus annotations' story labels
   fill the stories tables instead (said in the output).
2. That analysed database is cloned with changed ids (article, story, copy
   group and statement ids get a ``~N`` suffix; actors are shared, as real actors
   recur across stories) until it holds ``--articles`` articles, and one "big"
   story is made by joining the clones of the largest story (``--big`` articles).
   The scaled database is kept in bench/out and reused while the sample is unchanged.
3. A uvicorn server on 127.0.0.1 serves it; the story page (``/stories/ID``, HTML
   with the framing comparison), its API twin and the story list are requested
   one at a time for random stories, and p50/p95/p99 latencies are printed.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import shutil
import statistics
import sys
import threading
import time
from pathlib import Path

import httpx
import uvicorn

from storywire.api.app import create_app
from storywire.pipeline import ingest
from storywire.samples import annotations, corpus_dir
from storywire.store import Store, now

OUT = Path(__file__).resolve().parent / "out"


def analysed_sample(path: Path) -> str:
    """The sample corpus through the pipeline; returns where its stories came from."""
    has_stage = importlib.util.find_spec("storywire.stories.stage") is not None
    if path.exists() and has_stage:
        with Store.open(path) as store:
            stale = not store.query("SELECT count(*) FROM analysis_state WHERE stage = 'stories'")[0][0]
        if stale:  # made before the stories stage was installed
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
    if not path.exists():
        with Store.open(path) as store:
            ingest([str(corpus_dir())], store)
    if has_stage:
        return "stories stage"
    with Store.open(path) as store:
        known = {r[0] for r in store.query("SELECT id FROM articles")}
        with store.transaction() as c:
            c.execute("DELETE FROM stories")
            c.execute("DELETE FROM story_articles")
            for story_id, ids in annotations()["stories"].items():
                rows = store.query(
                    f"SELECT id, outlet, language, published FROM articles WHERE id IN ({','.join('?' * len(ids))})",
                    [i for i in ids if i in known])
                if not rows:
                    continue
                dates = sorted(r["published"] for r in rows if r["published"])
                c.execute(
                    "INSERT INTO stories (id, title, first_seen, last_seen, article_count, languages, outlets, updated_at) "
                    "SELECT ?, title, ?, ?, ?, ?, ?, ? FROM articles WHERE id = ?",
                    (story_id, dates[0] if dates else None, dates[-1] if dates else None, len(rows),
                     json.dumps(sorted({r["language"] for r in rows if r["language"]})),
                     json.dumps(sorted({r["outlet"] for r in rows if r["outlet"]})), now(), rows[0]["id"]))
                c.executemany("INSERT OR REPLACE INTO story_articles (article_id, story_id) VALUES (?, ?)",
                              [(r["id"], story_id) for r in rows])
    return "the sample annotations' story labels (no stories stage installed)"


CLONE = [
    "INSERT INTO articles (id, outlet, url, title, published, language, raw_text, clean_text, paragraphs, "
    "content_hash, version, ingested_at, source_path, extra) SELECT id || :s, outlet, url, title, published, "
    "language, raw_text, clean_text, paragraphs, content_hash, version, ingested_at, source_path, extra "
    "FROM base.articles",
    "INSERT INTO stories (id, title, first_seen, last_seen, article_count, languages, outlets, key_actors, "
    "summary, status, merged_into, updated_at) SELECT id || :s, title, first_seen, last_seen, article_count, "
    "languages, outlets, key_actors, summary, status, merged_into || :s, updated_at FROM base.stories",
    "INSERT INTO story_articles (article_id, story_id, score, manual) SELECT article_id || :s, story_id || :s, "
    "score, manual FROM base.story_articles",
    "INSERT INTO copy_pairs (a, b, verdict, score, source_id, direction_conf, containment_ab, containment_ba, "
    "edits, passages, computed_at) SELECT a || :s, b || :s, verdict, score, source_id || :s, direction_conf, "
    "containment_ab, containment_ba, edits, passages, computed_at FROM base.copy_pairs",
    "INSERT INTO copy_groups (article_id, group_id, is_origin) SELECT article_id || :s, group_id || :s, is_origin "
    "FROM base.copy_groups",
    "INSERT INTO mentions (article_id, actor_id, text, kind, start, end) SELECT article_id || :s, actor_id, text, "
    "kind, start, end FROM base.mentions",
    "INSERT INTO quotes (article_id, speaker, actor_id, text, kind, start, end, statement_id) SELECT "
    "article_id || :s, speaker, actor_id, text, kind, start, end, statement_id || :s FROM base.quotes",
    "INSERT INTO figures (article_id, value, low, high, what, raw, start, end, date) SELECT article_id || :s, "
    "value, low, high, what, raw, start, end, date FROM base.figures",
]


def scale(sample: Path, target: Path, articles: int, big: int) -> dict:
    shutil.copy(sample, target)
    with Store.open(target) as store:
        store.conn.execute("ATTACH DATABASE ? AS base", (str(sample),))
        base = store.query("SELECT count(*) FROM base.articles")[0][0]
        clones = max(0, -(-articles // base) - 1)
        started = time.perf_counter()
        for k in range(1, clones + 1):
            with store.transaction() as c:
                for sql in CLONE:
                    c.execute(sql, {"s": f"~{k}"})
        # One big story: the clones of the largest story joined under its id.
        biggest = store.query("SELECT id, article_count FROM base.stories ORDER BY article_count DESC LIMIT 1")[0]
        joined = max(1, big // max(biggest["article_count"], 1))
        with store.transaction() as c:
            for k in range(1, min(joined, clones + 1)):
                c.execute("UPDATE story_articles SET story_id = ? WHERE story_id = ?", (biggest["id"], f"{biggest['id']}~{k}"))
                c.execute("UPDATE stories SET status = 'merged', merged_into = ? WHERE id = ?",
                          (biggest["id"], f"{biggest['id']}~{k}"))
            size = c.execute("SELECT count(*) FROM story_articles WHERE story_id = ?", (biggest["id"],)).fetchone()[0]
            c.execute("UPDATE stories SET article_count = ? WHERE id = ?", (size, biggest["id"]))
        store.conn.execute("ANALYZE")
        counts = {t: store.query(f"SELECT count(*) FROM {t}")[0][0]
                  for t in ("articles", "stories", "copy_pairs", "mentions", "quotes", "figures")}
        return {"clones": clones, "seconds": round(time.perf_counter() - started, 1), "counts": counts,
                "big_story": biggest["id"], "big_story_articles": size}


def measure(client: httpx.Client, urls: list[str]) -> dict:
    times = []
    for url in urls:
        started = time.perf_counter()
        r = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        if r.status_code != 200:
            raise SystemExit(f"{url}: HTTP {r.status_code}: {r.text[:300]}")
    times.sort()
    pick = lambda q: times[min(len(times) - 1, int(q * len(times)))]  # noqa: E731
    return {"n": len(times), "p50": round(statistics.median(times), 1), "p95": round(pick(0.95), 1),
            "p99": round(pick(0.99), 1), "max": round(times[-1], 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=300)
    ap.add_argument("--big", type=int, default=1000, help="articles in the one big story")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rebuild", action="store_true", help="rebuild the scaled database even if it is up to date")
    args = ap.parse_args()
    OUT.mkdir(exist_ok=True)

    source = analysed_sample(OUT / "sample.db")
    target = OUT / f"story-page-{args.articles}.db"
    info = Path(str(target) + ".json")
    if args.rebuild or not info.exists() or info.stat().st_mtime < (OUT / "sample.db").stat().st_mtime:
        for suffix in ("", "-wal", "-shm", ".json"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        info.write_text(json.dumps(scale(OUT / "sample.db", target, args.articles, args.big)))
    built = json.loads(info.read_text())
    print(f"stories from: {source}")
    print(f"scaled: {built['clones']} clones in {built['seconds']} s -> {json.dumps(built['counts'])}")

    app = create_app(target)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    rng = random.Random(args.seed)
    with Store.open(target, readonly=True) as store:
        ids = [r[0] for r in store.query("SELECT id FROM stories WHERE status = 'active'")]
    sample = [rng.choice(ids) for _ in range(args.requests)]
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            client.get("/stories/" + sample[0])  # warm up
            rows = {
                "story page /stories/ID": measure(client, [f"/stories/{i}" for i in sample]),
                "story API /api/stories/ID": measure(client, [f"/api/stories/{i}" for i in sample[:100]]),
                "compare API /api/stories/ID/compare": measure(client, [f"/api/stories/{i}/compare" for i in sample[:100]]),
                "story list / (newest)": measure(client, ["/"] * 50),
                "story list /?sort=size": measure(client, ["/?sort=size"] * 50),
                "story search /?q=earthquake": measure(client, ["/?q=earthquake"] * 20),
                f"big story page ({built['big_story_articles']} articles)":
                    measure(client, [f"/stories/{built['big_story']}"] * 20),
            }
    finally:
        server.should_exit = True
        thread.join()
    print(f"{'request':44} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for name, r in rows.items():
        print(f"{name:44} {r['n']:4} {r['p50']:8} {r['p95']:8} {r['p99']:8} {r['max']:8}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
