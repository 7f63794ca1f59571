"""Request size limits for the HTTP server.

:class:`LimitBody` is ASGI middleware that answers ``413 Payload Too Large``
before the app reads a body over ``max_bytes``: at once when the declared
``Content-Length`` is too big, and as soon as the bytes received pass the limit
when the body is sent in chunks without a length. Nothing over the limit is ever
held in memory.
"""

from __future__ import annotations

import json

# Largest request body accepted: a POST /api/ingest of a few hundred long articles.
DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024


class LimitBody:
    def __init__(self, app, max_bytes: int = DEFAULT_MAX_BODY_BYTES):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(send)
            return
        received = 0
        started = refused = False

        async def limited_receive():
            nonlocal received, refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes and not refused:
                    refused = True
                    if not started:
                        await self._refuse(send)
                    return {"type": "http.disconnect"}  # the app stops reading, as if the client left
            return message

        async def tracking_send(message):
            nonlocal started
            if refused:
                return  # the 413 has been sent; what the app says afterwards is dropped
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except Exception:
            if not refused:
                raise

    async def _refuse(self, send) -> None:
        body = json.dumps({"error": {
            "status": 413,
            "message": f"request body over the limit of {self.max_bytes:,} bytes",
            "hint": "send fewer or shorter articles per request",
        }}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})
