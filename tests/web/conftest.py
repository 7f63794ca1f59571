"""A client for the web pages over the invented fixture database (tests/api/storyfixture.py)."""

from __future__ import annotations

import pytest
from api.storyfixture import build
from fastapi.testclient import TestClient

from storywire.api.app import create_app
from storywire.store import Store


@pytest.fixture
def client(tmp_path):
    path = tmp_path / "fixture.db"
    with Store.open(path) as store:
        build(store)
    with TestClient(create_app(path)) as c:
        yield c
