"""The registry of people as pages: search, import, a person's record with their cases, and
its correction. The same service functions as the API's /api/people."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from sapar.deps import services
from sapar.http import PersonId
from sapar.problems import problem_of
from sapar.services import imports, people
from sapar.services.schemas import ParticipantIn, describe, form_fields
from sapar.services.tables import LineRefused
from states import roles
from storage.repository import ConcurrencyConflict

from .registry import JobId, queue_upload
from .render import page
from .session import PostedForm, WebUser

router = APIRouter(include_in_schema=False)
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
        can_keep=user.role in roles.PEOPLE_KEEPERS, **extra,
    )  # fmt: skip


@router.post("/people/import")
async def people_import(
    request: Request, user: WebUser, form: PostedForm, later: BackgroundTasks
) -> Response:
    """Store the file, queue the import and answer at once: it runs after the answer (the
    partner import's machinery, sapar.services.imports) and /people/imports/{id} shows it."""
    people.check_can_keep(user)
    try:
        job_id = await queue_upload(request, user, form, later, kind="people")
    except LineRefused as exc:
        return people_list(request, user, status=400, import_error=exc.say(user.language))
    return RedirectResponse(f"/people/imports/{job_id}", status_code=303)


@router.get("/people/imports/{job_id}")
def people_import_progress(request: Request, user: WebUser, job_id: JobId) -> Response:
    job = imports.import_job(services(request).engine, user=user, job_id=job_id, kind="people")
    return page(request, "import.html", user=user, job=job)


def person_page(
    request: Request, user: WebUser, person_id: int, *, status: int = 200, **extra: Any
) -> Response:
    engine = services(request).engine
    person = people.get(engine, person_id, user=user)
    return page(
        request, "person.html", user=user, status=status, person=person,
        cases=people.cases_of(engine, user=user, person_id=person_id), fields=RECORD_FIELDS,
        can_keep=user.role in roles.PEOPLE_KEEPERS, **extra,
    )  # fmt: skip


@router.get("/people/{person_id}")
def person_view(request: Request, user: WebUser, person_id: PersonId) -> Response:
    return person_page(request, user, person_id)


@router.post("/people/{person_id}")
def person_correct(
    request: Request, user: WebUser, person_id: PersonId, form: PostedForm
) -> Response:
    fields = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf"}
    raw_version = fields.pop("expected_version", "")
    # An unticked checkbox sends nothing: the form always shows tuition_debt, so absent is no.
    fields.setdefault("tuition_debt", "false")
    try:
        # ASCII digits only: "²".isdigit() is True, yet int() refuses it.
        if not re.fullmatch(r"[0-9]{1,9}", raw_version):
            raise people.PersonProblem("expected_version", "person.reload")
        people.correct(services(request).engine, user=user, person_id=person_id,
                       changes=fields, expected_version=int(raw_version))  # fmt: skip
    except ValidationError as exc:
        errors = {e["field"]: e["message"] for e in describe(list(exc.errors()), user.language)}
        return person_page(request, user, person_id, status=422, errors=errors, values=fields)
    except (people.PersonProblem, ConcurrencyConflict) as exc:
        problem = problem_of(exc, user.language)
        return person_page(request, user, person_id, status=problem.status,
                           refused=[problem.message], values=fields)  # fmt: skip
    return RedirectResponse(f"/people/{person_id}?saved=1", status_code=303)
