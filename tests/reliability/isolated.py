"""Run the readers and article steps on one input at a time, in worker processes
that are killed when an input takes longer than its budget.

A hang inside a C extension (an HTML parser stuck on a deep tree) cannot be
interrupted from Python, and a crash inside one takes the process with it; a
worker process per slot turns both into a result naming the input (``hang`` or
``died``) and the next input goes to a fresh worker.
"""

from __future__ import annotations

import multiprocessing as mp
import traceback
from dataclasses import dataclass, field


@dataclass
class Outcome:
    name: str
    status: str  # ok | crash | hang | died
    articles: list[tuple[str, str]] = field(default_factory=list)  # (id, source)
    rejected: list[tuple[str, str, str]] = field(default_factory=list)  # (source, stage, reason)
    error: str = ""


def _worker(conn) -> None:
    from storywire.config import Settings
    from storywire.engine import chain
    from storywire.ingest import read_sources
    from storywire.model import Rejected
    from storywire.pipeline import article_steps

    settings = Settings()
    steps = article_steps(settings)
    while True:
        path = conn.recv()
        if path is None:
            return
        out = Outcome(path, "ok")
        try:
            for record in chain(read_sources([path], settings), steps):
                if isinstance(record, Rejected):
                    out.rejected.append((record.source, record.stage, record.reason))
                else:
                    out.articles.append((record.id, record.source_path or record.url or record.id))
        except BaseException:  # noqa: BLE001 - any escape is the finding
            out.status, out.error = "crash", traceback.format_exc(limit=6)
        conn.send(out)


class Isolated:
    """``workers`` processes; :meth:`run` sends each path to a free one, with ``budget`` seconds."""

    def __init__(self, workers: int = 2, budget: float = 20.0):
        self.budget = budget
        self.ctx = mp.get_context("spawn")
        self.slots = [self._start() for _ in range(workers)]

    def _start(self):
        parent, child = self.ctx.Pipe()
        proc = self.ctx.Process(target=_worker, args=(child,), daemon=True)
        proc.start()
        child.close()
        return proc, parent

    def run(self, paths: list[str]) -> list[Outcome]:
        import time
        from multiprocessing.connection import wait

        todo = list(reversed(paths))
        busy: dict[int, tuple[str, float]] = {}
        results: list[Outcome] = []
        first_call = {i: True for i in range(len(self.slots))}
        while todo or busy:
            for i, (proc, conn) in enumerate(self.slots):
                if i not in busy and todo:
                    path = todo.pop()
                    conn.send(path)
                    busy[i] = (path, time.monotonic())
            ready = wait([self.slots[i][1] for i in busy] + [self.slots[i][0].sentinel for i in busy], timeout=0.5)
            now = time.monotonic()
            for i in list(busy):
                proc, conn = self.slots[i]
                path, started = busy[i]
                # the first input of a worker also pays for loading the libraries and the language model
                budget = self.budget * (3 if first_call[i] else 1)
                if conn in ready or conn.poll():
                    try:
                        results.append(conn.recv())
                    except (EOFError, OSError):
                        results.append(Outcome(path, "died", error=f"exit code {proc.exitcode}"))
                        self._replace(i)
                    first_call[i] = not proc.is_alive()
                    del busy[i]
                elif not proc.is_alive():
                    results.append(Outcome(path, "died", error=f"exit code {proc.exitcode}"))
                    self._replace(i)
                    first_call[i] = True
                    del busy[i]
                elif now - started > budget:
                    results.append(Outcome(path, "hang", error=f"over {budget:.0f}s"))
                    self._replace(i)
                    first_call[i] = True
                    del busy[i]
        return results

    def _replace(self, i: int) -> None:
        proc, conn = self.slots[i]
        if proc.is_alive():
            proc.kill()
        proc.join(5)
        conn.close()
        self.slots[i] = self._start()

    def close(self) -> None:
        for proc, conn in self.slots:
            try:
                conn.send(None)
            except OSError:
                pass
            proc.join(5)
            if proc.is_alive():
                proc.kill()
                proc.join(5)
            conn.close()
