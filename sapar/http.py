"""What both front doors (the pages under / and the API under /api) share at the HTTP edge:
the path parameters, the language an answer is in, a file as an attachment, and asking for
a case's documents after a step. Here rather than in either door, so that the web and the
API are siblings that depend inward only (ARCHITECTURE.md)."""

from __future__ import annotations

import logging
from typing import Annotated, Protocol
from urllib.parse import quote

from fastapi import Path, Request
from fastapi.responses import Response

from sapar.deps import Services
from sapar.i18n import LANGUAGES, negotiate
from sapar.services.schemas import MAX_ID
from sapar.services.users import User

log = logging.getLogger(__name__)

# Ids are database keys: above a signed 64-bit integer is not an id, refused as input (422).
CaseId = Annotated[int, Path(ge=1, le=MAX_ID)]
DocumentId = Annotated[int, Path(ge=1, le=MAX_ID)]
PersonId = Annotated[int, Path(ge=1, le=MAX_ID)]
JobId = Annotated[int, Path(ge=1, le=MAX_ID)]
PartnerId = Annotated[int, Path(ge=1, le=MAX_ID)]
FilterId = Annotated[int, Path(ge=1, le=MAX_ID)]
OfficialId = Annotated[int, Path(ge=1, le=MAX_ID)]

LANG_COOKIE = "sapar_lang"


def request_language(request: Request, user: User | None = None) -> str:
    """The language to answer in. The API: the one Accept-Language asks for, else the user's,
    else (before a token is read) English. The pages: the user's (they chose it with the
    switch on every page); before (or without) a login, ?lang or the language cookie, then
    Accept-Language, else Kyrgyz."""
    asked = negotiate(request.headers.get("accept-language"))
    if user is None:
        user = getattr(request.state, "user", None)
    if request.url.path.startswith("/api"):
        return asked or (user.language if user is not None else "en")
    if user is not None:
        return user.language
    chosen = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    if chosen in LANGUAGES:
        return str(chosen)
    return asked or "ky"


class Download(Protocol):
    @property
    def filename(self) -> str: ...
    @property
    def media_type(self) -> str: ...
    @property
    def content(self) -> bytes: ...


def attachment(found: Download) -> Response:
    disposition = f"attachment; filename*=UTF-8''{quote(found.filename)}"
    return Response(
        found.content, media_type=found.media_type, headers={"Content-Disposition": disposition}
    )


def ask_for_documents(svc: Services, case_id: int) -> None:
    """Ask for the case's pending papers now, so they do not wait for the sweep: the case id
    goes on the document requests' queue (flows/trigger.py), whose own thread talks to
    Prefect. Never inline, never in a request's thread, never failing the request."""
    try:
        svc.documents.ask(case_id)
    except Exception:  # the sweep issues them anyway; a step never fails for this
        log.exception("could not ask for the documents of case #%s; the sweep will", case_id)
