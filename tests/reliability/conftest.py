"""Shared helpers of the reliability tests: figures written to test-artifacts/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def record_figures():
    """``record_figures(name, dict)``: print figures and write them to test-artifacts/<name>.json."""

    def record(name: str, figures: dict) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / f"{name}.json").write_text(json.dumps(figures, indent=2, default=str) + "\n")
        print(f"\n{name}: " + json.dumps(figures, default=str))

    return record
