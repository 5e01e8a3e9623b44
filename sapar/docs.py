"""The API's documentation pages, served from our own files: no CDN, and a strict CSP.

FastAPI's default /docs and /redoc load Swagger UI and ReDoc from jsDelivr and start Swagger
with an inline script, which only a CSP with 'unsafe-inline' scripts would allow. Here the
assets come from the `fastapi-offline` package (the swagger-ui-dist and ReDoc builds it
ships), mounted at /docs-assets, and Swagger starts from /static/docs.js. Both libraries set
inline styles, so these two pages (only) allow inline styles; scripts stay 'self'.
"""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = Path(fastapi_offline.__file__).parent / "static"
DOCS_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
)

router = APIRouter(include_in_schema=False)

_SWAGGER = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>sapar API</title>
<link rel="stylesheet" href="/docs-assets/swagger-ui.css">
<link rel="icon" href="/static/favicon.svg">
</head>
<body>
<div id="swagger-ui" data-openapi-url="/openapi.json"></div>
<script src="/docs-assets/swagger-ui-bundle.js"></script>
<script src="/static/docs.js"></script>
</body>
</html>
"""

_REDOC = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>sapar API</title>
<link rel="icon" href="/static/favicon.svg">
</head>
<body>
<redoc spec-url="/openapi.json"></redoc>
<script src="/docs-assets/redoc.standalone.js"></script>
</body>
</html>
"""


def _html(text: str) -> HTMLResponse:
    return HTMLResponse(text, headers={"Content-Security-Policy": DOCS_CSP})


@router.get("/docs")
def swagger() -> HTMLResponse:
    return _html(_SWAGGER)


@router.get("/redoc")
def redoc() -> HTMLResponse:
    return _html(_REDOC)


def mount_docs(app: FastAPI) -> None:
    app.include_router(router)
    app.mount("/docs-assets", StaticFiles(directory=ASSETS), name="docs-assets")
