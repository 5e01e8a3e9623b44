"""Security headers on every answer: pages, API, static files, errors, the 413 of the body
limit. An ASGI middleware (not BaseHTTPMiddleware) so no answer can leave without them.

- Content-Security-Policy: our own scripts, styles and images only; no framing
  (frame-ancestors 'none'), no <base> or form targets elsewhere. The API docs set their own,
  slightly wider one (sapar.docs.DOCS_CSP) and it is kept.
- X-Content-Type-Options: nosniff; X-Frame-Options: DENY (for browsers without CSP 3);
  Referrer-Policy: same-origin.
"""

from __future__ import annotations

from sapar.limits import ASGIApp, Message, Receive, Scope, Send

PAGE_CSP = (
    "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'; object-src 'none'"
)
HEADERS = {
    b"content-security-policy": PAGE_CSP.encode(),
    b"x-content-type-options": b"nosniff",
    b"x-frame-options": b"DENY",
    b"referrer-policy": b"same-origin",
}


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in HEADERS.items() if k not in present]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)
