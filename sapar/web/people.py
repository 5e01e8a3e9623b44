"""The registry of people as pages: search, import, a person's record with their cases, and
its correction. The same service functions as the API's /api/people."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from sapar.deps import services
from sapar.problems import problem_of
from sapar.services import people
from sapar.services.schemas import ParticipantIn, describe, form_fields
from storage.repository import ConcurrencyConflict

from .render import page
from .session import PostedForm, WebUser

router = APIRouter(include_in_schema=False)
MAX_IMPORT_BYTES = 5 * 1024 * 1024
# The record's fields in the correction form, in the order a clerk reads them.
RECORD_FIELDS = form_fields(ParticipantIn)


@router.get("/people")
def people_view(request: Request, user: WebUser) -> Response:
    return people_list(request, user)


def people_list(request: Request, user: WebUser, *, status: int = 200, **extra: Any) -> Response:
    engine = services(request).engine
    q = request.query_params.get("q", "").strip()[:100]
    return page(
        request, "people.html", user=user, status=status, q=q,
        found=people.find(engine, user=user, q=q or None, limit=100),
        can_keep=user.role in people.KEEPERS, **extra,
    )  # fmt: skip


@router.post("/people/import")
async def people_import(request: Request, user: WebUser, form: PostedForm) -> Response:
    file = form.get("file")
    try:
        if not isinstance(file, UploadFile) or not file.filename:
            raise people.PersonImportError("file: choose a .csv or .xlsx file")
        content = await file.read(MAX_IMPORT_BYTES + 1)
        if len(content) > MAX_IMPORT_BYTES:
            raise people.PersonImportError("file: over 5 MB")
        done = people.import_people(
            services(request).engine, user=user, filename=file.filename, content=content
        )
    except people.PersonImportError as exc:
        return people_list(request, user, status=400, import_error=str(exc))
    return RedirectResponse(
        f"/people?added={done['added']}&corrected={done['corrected']}", status_code=303
    )


def person_page(
    request: Request, user: WebUser, person_id: int, *, status: int = 200, **extra: Any
) -> Response:
    engine = services(request).engine
    person = people.get(engine, person_id, user=user)
    return page(
        request, "person.html", user=user, status=status, person=person,
        cases=people.cases_of(engine, user=user, person_id=person_id), fields=RECORD_FIELDS,
        can_keep=user.role in people.KEEPERS, **extra,
    )  # fmt: skip


@router.get("/people/{person_id}")
def person_view(request: Request, user: WebUser, person_id: int) -> Response:
    return person_page(request, user, person_id)


@router.post("/people/{person_id}")
def person_correct(request: Request, user: WebUser, person_id: int, form: PostedForm) -> Response:
    fields = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf"}
    raw_version = fields.pop("expected_version", "")
    # An unticked checkbox sends nothing: the form always shows tuition_debt, so absent is no.
    fields.setdefault("tuition_debt", "false")
    try:
        if not raw_version.isdigit():
            raise people.PersonProblem("expected_version: reload the page and correct again")
        people.correct(services(request).engine, user=user, person_id=person_id,
                       changes=fields, expected_version=int(raw_version))  # fmt: skip
    except ValidationError as exc:
        errors = {e["field"]: e["message"] for e in describe(list(exc.errors()))}
        return person_page(request, user, person_id, status=422, errors=errors, values=fields)
    except (people.PersonProblem, ConcurrencyConflict) as exc:
        problem = problem_of(exc, user.language)
        return person_page(request, user, person_id, status=problem.status,
                           refused=[problem.message], values=fields)  # fmt: skip
    return RedirectResponse(f"/people/{person_id}?saved=1", status_code=303)
