"""Fixtures every test may use."""

from __future__ import annotations

from pathlib import Path

import pytest

from storywire.store import Store

SHARED_EVAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval"


@pytest.fixture
def store(tmp_path):
    """A fresh, migrated database in a temporary folder."""
    s = Store.open(tmp_path / "test.db")
    yield s
    s.close()


@pytest.fixture(scope="session")
def shared_eval() -> Path:
    """``../shared/eval``; the test is skipped when it is absent."""
    if not SHARED_EVAL.is_dir():
        pytest.skip("../shared/eval is not present")
    return SHARED_EVAL


@pytest.fixture(scope="session")
def seeds(shared_eval) -> Path:
    path = shared_eval / "seeds"
    if not (path / "gold.json").is_file():
        pytest.skip("../shared/eval/seeds is not present")
    return path
