"""Shared by the reliability tests: size knobs, the environment of CLI runs, synthetic inputs."""

from __future__ import annotations

import json
import os
from pathlib import Path

from storywire.synth import generate


def scale(name: str, default: int) -> int:
    """``$STORYWIRE_<NAME>`` when set, else ``default`` (bigger runs by hand, CI stays quick)."""
    return int(os.environ.get(f"STORYWIRE_{name.upper()}", default))


ENV = {
    **os.environ,
    "STORYWIRE_BATCH_SIZE": "10",  # many small transactions: more places to be killed between
    "STORYWIRE_NER": "rules",      # model-free NER and no encoder keep each run short
    "STORYWIRE_ENCODER": "none",
}


def write_inputs(folder: Path, n: int, seed: int) -> list[str]:
    folder.mkdir()
    records = list(generate(n, seed))
    for k in range(0, n, 25):
        with (folder / f"part{k // 25:02d}.jsonl").open("w", encoding="utf-8") as f:
            for r in records[k : k + 25]:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return [r["id"] for r in records]
