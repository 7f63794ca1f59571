"""The HTTP API (FastAPI) and the ``serve``/``compare``/``demo`` commands; see :mod:`storywire.api.app`."""
