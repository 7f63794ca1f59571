"""The local engine: steps run in this process, or spread over a process pool."""

from __future__ import annotations

import multiprocessing as mp
from itertools import islice
from typing import Iterable, Iterator, Sequence

from ..model import Record
from . import Step, chain


def _run_chunk(args: tuple[list[Record], Sequence[Step]]) -> list[Record]:
    records, steps = args
    return list(chain(records, steps))


class LocalEngine:
    """Run steps over records on this machine.

    With ``workers=1`` everything streams in this process. With more, records are
    cut into chunks of ``chunk_size`` and each chunk runs the whole step chain in a
    worker process; output order follows input order.
    """

    name = "local"

    def __init__(self, workers: int = 1, chunk_size: int = 64):
        self.workers = max(1, workers)
        self.chunk_size = chunk_size

    def map(self, records: Iterable[Record], steps: Sequence[Step]) -> Iterator[Record]:
        if self.workers == 1:
            yield from chain(records, steps)
            return
        it = iter(records)
        chunks = iter(lambda: list(islice(it, self.chunk_size)), [])
        ctx = mp.get_context("spawn")
        with ctx.Pool(self.workers) as pool:
            for out in pool.imap(_run_chunk, ((c, steps) for c in chunks)):
                yield from out
