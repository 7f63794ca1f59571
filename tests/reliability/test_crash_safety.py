"""``storywire ingest`` killed with SIGKILL at random points, then run again to the end.

After the kills and one complete run, the store must pass SQLite's integrity
check, hold every article exactly once (one ``new`` run item each), have every
analysis stage caught up, and hold the same derived data (copies, stories,
mentions, quotes, figures) as one uninterrupted run over the same inputs.
"""

from __future__ import annotations

import json
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest

from reliability_kit import ENV, scale, write_inputs


def ingest_cmd(folder: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "storywire", "ingest", str(folder), "--db", str(db), "--json"]


def last_run(db: Path) -> int:
    if not db.exists():
        return 0
    conn = sqlite3.connect(db, timeout=30)
    try:
        return conn.execute("SELECT max(id) FROM runs").fetchone()[0] or 0
    except sqlite3.OperationalError:  # not migrated yet
        return 0
    finally:
        conn.close()


def wait_for_new_run(db: Path, after: int, proc: subprocess.Popen) -> None:
    """Until the process has started its ingest run (imports and migrations are not worth killing)."""
    deadline = time.monotonic() + 120
    while proc.poll() is None and last_run(db) <= after and time.monotonic() < deadline:
        time.sleep(0.05)


def partition(rows) -> set[frozenset]:
    """Groups as sets of members, whatever the group ids are called."""
    groups = defaultdict(set)
    for member, group in rows:
        groups[group].add(member)
    return {frozenset(g) for g in groups.values()}


def derived(db: Path) -> dict[str, object]:
    """The analysis results, in a form that does not depend on generated ids or times."""
    conn = sqlite3.connect(db)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}

    def rows(sql):
        return sorted(conn.execute(sql).fetchall(), key=repr)

    out: dict[str, object] = {
        "copy_pairs": rows("SELECT a, b, verdict, round(score, 6), source_id FROM copy_pairs"),
        "copy_groups": partition(conn.execute("SELECT article_id, group_id FROM copy_groups")),
        "stories": partition(conn.execute("SELECT article_id, story_id FROM story_articles")),
        "mentions": rows("SELECT article_id, text, kind, start, end FROM mentions"),
        "actors": partition(conn.execute(
            "SELECT article_id || ':' || start, actor_id FROM mentions WHERE actor_id IS NOT NULL")),
        "quotes": rows("SELECT article_id, speaker, text, kind, start, end FROM quotes"),
        "figures": rows("SELECT article_id, value, what, raw, start, end FROM figures"),
    }
    if "alerts" in tables:
        out["alerts"] = conn.execute("SELECT count(*) FROM alerts").fetchone()[0]
    conn.close()
    return out


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_killed_ingests_resume_to_the_same_store_as_a_clean_run(tmp_path, record_figures):
    n = scale("crash_articles", 100)
    kills = scale("crash_kills", 5)
    ids = write_inputs(tmp_path / "in", n, seed=11)

    clean_db = tmp_path / "clean.db"
    started = time.monotonic()
    done = subprocess.run(ingest_cmd(tmp_path / "in", clean_db), env=ENV, capture_output=True, text=True,
                          timeout=300)
    clean_seconds = time.monotonic() - started
    assert done.returncode == 0, done.stderr[-2000:]

    db = tmp_path / "killed.db"
    rng = random.Random(8)
    survived = 0
    for _ in range(kills):
        before = last_run(db)
        proc = subprocess.Popen(ingest_cmd(tmp_path / "in", db), env=ENV, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        wait_for_new_run(db, before, proc)
        time.sleep(rng.uniform(0.0, 0.5) * clean_seconds)  # later kills meet a shorter, resumed run
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            survived += 1
        proc.wait(60)
    final = subprocess.run(ingest_cmd(tmp_path / "in", db), env=ENV, capture_output=True, text=True, timeout=300)
    assert final.returncode == 0, final.stderr[-2000:]

    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    stored = [r[0] for r in conn.execute("SELECT id FROM articles")]
    assert sorted(stored) == sorted(ids)
    # exactly one "new" run item per article over all the runs, killed ones included
    news = conn.execute("SELECT article_id, count(*) FROM run_items WHERE status = 'new' GROUP BY article_id").fetchall()
    assert sorted(news) == sorted((i, 1) for i in ids)
    assert conn.execute("SELECT count(*) FROM article_versions").fetchone()[0] == 0
    # every stage has processed every article at its current version
    stages = [r[0] for r in sqlite3.connect(clean_db).execute("SELECT DISTINCT stage FROM analysis_state")]
    for stage in stages:
        behind = conn.execute(
            "SELECT count(*) FROM articles a LEFT JOIN analysis_state s ON s.stage = ? AND s.article_id = a.id "
            "AND s.version = a.version WHERE s.article_id IS NULL", (stage,)).fetchone()[0]
        assert behind == 0, f"stage {stage} left {behind} articles behind"
    runs = conn.execute("SELECT id, status, finished_at, stats FROM runs ORDER BY id").fetchall()
    last = runs[-1]
    assert last[1] == "ok" and last[2] is not None
    for run_id, status, finished, stats in runs:
        # a killed run is left 'running' without an end; a finished one has its counts
        assert (status == "running" and finished is None) or (finished is not None and json.loads(stats))
    conn.close()

    clean, resumed = derived(clean_db), derived(db)
    differ = [k for k in clean if clean[k] != resumed[k]]
    record_figures("crash", {"articles": n, "kills": survived, "runs": len(runs),
                             "clean_run_seconds": round(clean_seconds, 1), "derived_tables_differing": differ})
    assert survived >= 1
    assert not differ, f"derived data differs from a clean run in: {differ}"
