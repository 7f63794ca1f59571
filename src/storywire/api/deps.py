"""What the API routes and the web pages share: the per-request store and the date pattern."""

from __future__ import annotations

from typing import Iterator

from fastapi import Request

from ..store import Store

# ISO 8601 date or date-time, as accepted by the since/until filters.
DATE = r"^\d{4}(-\d{2}(-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?)?)?$"


def read_store(request: Request) -> Iterator[Store]:
    """A read-only connection for one request, closed when the response is sent."""
    store = Store.open(request.app.state.db_path, readonly=True, migrate=False)
    try:
        yield store
    finally:
        store.close()
