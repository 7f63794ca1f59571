"""50 clients read the API and the pages while ``storywire ingest`` writes to the same store.

The server runs as ``storywire serve`` in its own process on a free loopback
port; the ingest runs in another (SQLite WAL: one writer, many readers). Every
request must succeed. Request count and latency percentiles are printed and
written to test-artifacts/load.json.
"""

from __future__ import annotations

import random
import socket
import subprocess
import sys
import threading
import time

import httpx
import pytest

from reliability_kit import ENV, scale, write_inputs


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(base: str, proc: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited: {proc.stderr.read().decode()[-2000:]}")
        try:
            if httpx.get(base + "/api/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError("server did not start")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


@pytest.mark.slow
@pytest.mark.timeout(400)
def test_fifty_clients_read_while_an_ingest_writes(tmp_path, record_figures):
    clients = scale("load_clients", 50)
    seconds = scale("load_seconds", 15)
    db = tmp_path / "load.db"
    ids = write_inputs(tmp_path / "first", 60, seed=21)
    subprocess.run([sys.executable, "-m", "storywire", "ingest", str(tmp_path / "first"), "--db", str(db)],
                   env=ENV, check=True, capture_output=True, timeout=300)
    write_inputs(tmp_path / "second", 200, seed=22)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "storywire", "serve", "--db", str(db), "--port", str(port)],
                              env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    writer = None
    try:
        wait_until_up(base, server)
        paths = ["/api/health", "/api/articles?limit=20", "/api/stories", "/api/copies", "/api/actors",
                 "/api/search?q=the", "/", "/search?q=said", "/actors"]
        paths += [f"/api/articles/{i}" for i in ids[:20]] + [f"/articles/{i}" for i in ids[:10]]
        writer = subprocess.Popen([sys.executable, "-m", "storywire", "ingest", str(tmp_path / "second"),
                                   "--db", str(db)], env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        latencies: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()
        stop = time.monotonic() + seconds

        def client(n: int) -> None:
            rng = random.Random(n)
            with httpx.Client(base_url=base, timeout=30) as http:
                while time.monotonic() < stop:
                    path = rng.choice(paths)
                    t = time.perf_counter()
                    try:
                        status = http.get(path).status_code
                        problem = None if status == 200 else f"{path}: HTTP {status}"
                    except httpx.HTTPError as exc:
                        problem = f"{path}: {type(exc).__name__}: {exc}"
                    with lock:
                        latencies.append(time.perf_counter() - t)
                        if problem:
                            errors.append(problem)

        threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(seconds + 120)
        writer_still_running = writer.poll() is None
        writer.wait(300)
        assert writer.returncode == 0, writer.stderr.read().decode()[-2000:]
    finally:
        for proc in (writer, server):
            if proc is not None and proc.poll() is None:
                proc.terminate()
                proc.wait(30)

    figures = {
        "clients": clients, "seconds": seconds, "requests": len(latencies), "errors": len(errors),
        "requests_per_second": round(len(latencies) / seconds, 1),
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 1), "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
        "max_ms": round(max(latencies, default=0) * 1000, 1), "ingest_overlapped_whole_window": writer_still_running,
    }
    record_figures("load", figures)
    assert latencies
    assert not errors, f"{len(errors)} failed requests, e.g. {errors[:5]}"
