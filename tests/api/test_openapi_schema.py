"""The served OpenAPI schema holds: schemathesis calls every endpoint with generated inputs
and checks each response against the schema (status codes, content types, bodies), never a 5xx."""

from __future__ import annotations

import pytest
from storyfixture import build

from storywire.api.app import create_app
from storywire.store import Store

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402

_DB: dict = {}


def app_over_fixture():
    if "app" not in _DB:
        import tempfile
        from pathlib import Path

        path = Path(tempfile.mkdtemp(prefix="storywire-schema-")) / "fixture.db"
        with Store.open(path) as store:
            build(store)
        _DB["app"] = create_app(path)
    return _DB["app"]


schema = schemathesis.openapi.from_asgi("/api/openapi.json", app_over_fixture())


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=10, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case):
    case.call_and_validate()
