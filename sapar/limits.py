"""How much a request may carry, refused at the door (413) before anything reads it; and
no control character (NUL, ...) in the URL's path or query (422, naming the parameter).

An ASGI middleware, outermost, so a body over its limit is refused before the JSON or form
parser runs and before the login or token is even looked at: an anonymous client cannot make
the server parse 100 MB to learn it is not logged in. A `Content-Length` over the limit is
refused without reading a byte; a body sent without one (chunked) is counted as it streams
and cut off at the limit.

| body | limit |
|---|---|
| `multipart/form-data` (an uploaded paper, a partner import) | 10 MB (`UPLOAD_BYTES`) |
| `application/json` | 1 MB (`JSON_BYTES`) |
| a plain form (`application/x-www-form-urlencoded`) and anything else | 1 MB (`FORM_BYTES`) |
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request

from sapar.i18n import t
from sapar.services.schemas import has_control

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MB = 1024 * 1024
# The 10 MB file of sapar.services.papers plus room for the multipart envelope and fields.
UPLOAD_BYTES = 10 * MB + 256 * 1024
JSON_BYTES = 1 * MB
FORM_BYTES = 1 * MB


def limit_for(content_type: str) -> int:
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind == "multipart/form-data":
        return UPLOAD_BYTES
    if kind == "application/json" or kind.endswith("+json"):
        return JSON_BYTES
    return FORM_BYTES


class BodyTooLarge(Exception):
    """The body streamed past its limit: the request ends with 413."""


def _language(scope: Scope) -> str:
    from sapar.http import request_language

    return request_language(Request(scope))


def too_large_message(lang: str, limit: int) -> str:
    return t(lang, "error.too_large", mb=limit // MB)


async def _refuse(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
    message = too_large_message(_language(scope), limit)
    await _answer(scope, send, 413, message, "body")


def _control_in_query(scope: Scope) -> str | None:
    """The first query parameter (or the path) that carries a control character."""
    if has_control(scope.get("path", "")):
        return "path"
    query = scope.get("query_string", b"").decode("latin-1")
    if "%" not in query and not has_control(query):
        return None
    for name, value in parse_qsl(query, keep_blank_values=True):
        if has_control(name) or has_control(value):
            return name if not has_control(name) else "query"
    return None


async def _answer(scope: Scope, send: Send, status: int, message: str, field: str) -> None:
    if scope["path"].startswith("/api"):
        body = json.dumps(
            {"detail": f"{field}: {message}", "errors": [{"field": field, "message": message}]},
            ensure_ascii=False,
        ).encode()
        content_type = b"application/json"
    else:
        from sapar.problems import Problem
        from sapar.web.render import render_problem

        response = render_problem(Request(scope), Problem(status, f"{field}: {message}"))
        body, content_type = bytes(response.body), b"text/html; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """ASGI middleware: 413 for a body over the limit of its content type."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        bad = _control_in_query(scope)
        if bad is not None:
            # NUL and other controls in a URL: refused before any route (PostgreSQL cannot
            # store NUL; no name, country or filter has a control character).
            await _answer(scope, send, 422, t(_language(scope), "invalid.control"), bad)
            return
        headers = {k.lower(): v for k, v in scope.get("headers", [])}
        limit = limit_for(headers.get(b"content-type", b"").decode("latin-1"))
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                size = int(declared)
            except ValueError:
                size = -1
            if size > limit:
                await _refuse(scope, receive, send, limit)
                return
        state = {"read": 0, "over": False, "started": False}

        async def counted_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                state["read"] += len(message.get("body", b""))
                if state["read"] > limit:
                    state["over"] = True
                    raise BodyTooLarge()
            return message

        async def guarded_send(message: Message) -> None:
            if state["over"]:
                return  # the app's answer to a cut-off body is replaced by our 413
            if message["type"] == "http.response.start":
                state["started"] = True
            await send(message)

        with contextlib.suppress(BodyTooLarge):
            await self.app(scope, counted_receive, guarded_send)
        if state["over"] and not state["started"]:
            await _refuse(scope, receive, send, limit)
