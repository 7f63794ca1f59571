"""An API client over the invented fixture database (see storyfixture.py)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from storyfixture import build

from storywire.api.app import create_app
from storywire.store import Store


@pytest.fixture
def fixture_db(tmp_path):
    path = tmp_path / "fixture.db"
    with Store.open(path) as store:
        build(store)
    return path


@pytest.fixture
def client(fixture_db):
    with TestClient(create_app(fixture_db)) as c:
        yield c
