"""The officials page: who holds which post from when (4.1, 4.8). Everyone logged in reads
it (a refusal sends them here); the administrator appoints and ends terms."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from sapar import clock
from sapar.deps import services
from sapar.faculties import FACULTIES
from sapar.http import OfficialId
from sapar.officials import PER_DEPARTMENT, PER_FACULTY, Post, post_name
from sapar.problems import problem_of
from sapar.services import officials
from sapar.services.schemas import FieldRefused, describe, form_text, one_line, say
from sapar.services.users import UserProblem
from states import roles

from .render import page
from .session import PostedForm, WebUser

router = APIRouter(include_in_schema=False)


def officials_page(request: Request, user: WebUser, *, status: int = 200, **extra: Any) -> Response:
    lang = user.language
    return page(
        request,
        "officials.html",
        user=user,
        status=status,
        officials=officials.list_officials(services(request).engine),
        posts=[(p.value, post_name(p, lang)) for p in Post],
        per_faculty=[p.value for p in PER_FACULTY],
        per_department=[p.value for p in PER_DEPARTMENT],
        faculties=FACULTIES,
        post_name=lambda p: post_name(p, lang),
        can_edit=user.role in roles.OFFICIALS_EDITORS,
        today=clock.today(),
        **extra,
    )


@router.get("/officials")
def official_list(request: Request, user: WebUser) -> Response:
    return officials_page(request, user)


@router.post("/officials")
def official_appoint(request: Request, user: WebUser, form: PostedForm) -> Response:
    officials.check_can_edit(user)
    fields = {k: v.strip() for k, v in form.items() if isinstance(v, str) and k != "csrf"}
    titles = {lang: fields.pop(f"title_{lang}", "") for lang in ("ky", "ru", "en")}
    try:
        for name, value in [*fields.items(), *((f"title_{k}", v) for k, v in titles.items())]:
            form_text(value, name, 2000)  # no NUL or control characters (issue 14)
        entry = officials.OfficialIn.model_validate(
            {
                **{k: v for k, v in fields.items() if v},
                "titles": {k: v for k, v in titles.items() if v},
            }
        )
        officials.appoint(services(request).engine, user=user, entry=entry)
    except ValidationError as error:
        said = describe(list(error.errors()), user.language)
        return officials_page(request, user, status=400, error=one_line(said))
    except FieldRefused as refused:
        return officials_page(request, user, status=400, error=say(refused, user.language))
    except UserProblem as problem:
        return officials_page(
            request, user, status=400, error=problem_of(problem, user.language).message
        )
    return RedirectResponse("/officials?saved=1", status_code=303)


@router.post("/officials/{official_id}/end")
def official_end(
    request: Request, user: WebUser, official_id: OfficialId, form: PostedForm
) -> Response:
    officials.check_can_edit(user)
    value = form.get("last_day")
    try:
        last_day = date.fromisoformat(value) if isinstance(value, str) else None
        if last_day is None:
            raise ValueError
    except ValueError:
        return officials_page(
            request,
            user,
            status=400,
            error=say(FieldRefused("valid_to", "validation.date_parsing"), user.language),
        )
    try:
        officials.end_appointment(
            services(request).engine, user=user, official_id=official_id, last_day=last_day
        )
    except UserProblem as problem:
        return officials_page(
            request, user, status=400, error=problem_of(problem, user.language).message
        )
    return RedirectResponse("/officials?saved=1", status_code=303)
