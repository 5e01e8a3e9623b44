"""One FastAPI app for the pages (/), the API (/api) and the OpenAPI schema (/openapi.json)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DataError, DBAPIError
from starlette.exceptions import HTTPException

from flows.trigger import DocumentRequests
from sapar.api.routes import router as api_router
from sapar.config import Settings, get_settings
from sapar.deps import Services
from sapar.docs import mount_docs
from sapar.headers import SecurityHeaders
from sapar.http import request_language
from sapar.limits import BodyLimit
from sapar.problems import HANDLED, problem_of
from sapar.web import admin as web_admin
from sapar.web import desks as web_desks
from sapar.web import officials as web_officials
from sapar.web import pages as web_pages
from sapar.web import people as web_people
from sapar.web import portal as web_portal
from sapar.web import registry as web_registry
from sapar.web import session
from sapar.web.render import render_problem
from storage.db import make_engine, upgrade
from storage.files import FileStore

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "web" / "static"


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    upgrade(settings.database_url)
    if settings.officials_file is not None:  # the appointments the setting names (4.1, 4.8)
        from sapar.services.officials import import_file

        import_file(make_engine(settings.database_url), settings.officials_file)
    engine = make_engine(settings.database_url, audit_key=settings.audit_key)
    # The one place the app meets the flows: the queue whose thread talks to Prefect.
    services = Services(
        settings, engine, FileStore(settings.files_dir), DocumentRequests(engine, settings)
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        services.documents.start()
        yield
        # Bounded: a request for documents stuck on a hung Prefect never holds the exit.
        services.documents.stop()

    app = FastAPI(
        title="sapar",
        summary="Academic-mobility cases of Osh State University",
        version="0.1.0",
        lifespan=lifespan,
        # Served by sapar.docs from local files under a CSP, not from a CDN.
        docs_url=None,
        redoc_url=None,
    )
    app.state.services = services
    app.include_router(api_router)
    app.include_router(session.router)
    app.include_router(web_pages.router)
    app.include_router(web_registry.router)
    app.include_router(web_officials.router)
    app.include_router(web_people.router)
    app.include_router(web_portal.router)
    app.include_router(web_admin.router)
    app.include_router(web_desks.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    mount_docs(app)

    async def answer(request: Request, exc: Exception) -> Response:
        if isinstance(exc, DataError):
            # A value the database refused that no check caught first: the input's fault,
            # never a 500 (sapar.problems); the log says which check is missing.
            log.warning("input refused by the database on %s: %s", request.url.path, exc.orig)
        elif isinstance(exc, DBAPIError):
            log.error("database error on %s %s", request.method, request.url.path, exc_info=exc)
        problem = problem_of(exc, request_language(request))
        if request.url.path.startswith("/api"):
            headers = {"WWW-Authenticate": "Bearer"} if problem.status == 401 else None
            return JSONResponse(problem.body(), status_code=problem.status, headers=headers)
        return render_problem(request, problem)

    # HTTPException: FastAPI's own refusals (a body it cannot decode, an unknown URL, a wrong
    # method) answer in the same shape as ours.
    for kind in (*HANDLED, HTTPException):
        app.add_exception_handler(kind, answer)

    # Outermost first: headers on every answer (the 413 too), then the body limit, which
    # refuses before any route, parser or login check runs.
    app.add_middleware(BodyLimit)
    app.add_middleware(SecurityHeaders)
    return app
