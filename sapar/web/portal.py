"""/portal: the participants' pages. Sign-in by a one-time e-mail link, the participant's own
cases, the application under an open call, the paper checklist with uploads, downloads.

Its own cookie (`sapar_portal`) and its own session check: a participant's session never
opens a staff page, and a staff session opens no portal page (sapar/web/session.py refuses
the participant role)."""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import FormData, UploadFile

from sapar import explain
from sapar.deps import services
from sapar.http import CaseId, DocumentId, attachment
from sapar.i18n import LANGUAGES, label, t
from sapar.portal import accounts, service
from sapar.portal.uploads import MAX_PORTAL_UPLOAD_BYTES
from sapar.problems import CsrfRefused, LoginRequired
from sapar.services import users
from sapar.services.papers import Download, UploadRefused
from sapar.services.people import PersonProblem
from sapar.services.schemas import describe
from states.guards import RuleViolation
from states.model import FundingSource, Level, Role

from .render import LANG_COOKIE, page

COOKIE = "sapar_portal"
LINK_CSRF_COOKIE = "sapar_portal_csrf"
router = APIRouter(prefix="/portal", include_in_schema=False)
# What the participant fills in; the call gives the host, the sign-in gives the e-mail.
PERSON_FIELDS = (
    "full_name",
    "faculty",
    "department",
    "level",
    "year",
    "semester",
    "gpa",
    "funding_basis",
    "specialty",
    "group_name",
    "phone",
)
CASE_FIELDS = (
    "partner_id",
    "call_year",
    "start_date",
    "end_date",
    "programme",
    "purpose",
    "funding_source",
    "host_language",
    "language_level",
)
FUNDING = (
    FundingSource.credit_mobility,
    FundingSource.host,
    FundingSource.sponsor,
    FundingSource.own,
    FundingSource.republican_budget,
)


def lang_of(request: Request, user: users.User | None = None) -> str:
    if user is not None:
        return user.language
    chosen = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE, "ky")
    return chosen if chosen in LANGUAGES else "ky"


def portal_page(
    request: Request,
    name: str,
    *,
    user: users.User | None = None,
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    response = page(request, f"portal/{name}", user=user, status=status, **context)
    response.headers["Cache-Control"] = "no-store"  # a shared phone must not show them again
    return response


def participant(request: Request) -> users.User:
    token = request.cookies.get(COOKIE)
    found = users.session_for(services(request).engine, token) if token else None
    if found is None or found.user.role is not Role.participant:
        raise LoginRequired("please sign in to the portal")
    request.state.user, request.state.csrf = found.user, found.csrf_token
    return found.user


Participant = Annotated[users.User, Depends(participant)]


async def posted(request: Request, user: Participant) -> FormData:
    form = await request.form()
    sent = form.get("csrf")
    if not isinstance(sent, str) or not secrets.compare_digest(sent, request.state.csrf):
        raise CsrfRefused(t(user.language, "error.csrf"))
    return form


Posted = Annotated[FormData, Depends(posted)]


def _double_submit(request: Request, sent: str) -> None:
    expected = request.cookies.get(LINK_CSRF_COOKIE, "")
    if not expected or not secrets.compare_digest(sent, expected):
        raise CsrfRefused(t(lang_of(request), "error.csrf"))


def _with_csrf_cookie(request: Request, name: str, **context: Any) -> Response:
    token = secrets.token_urlsafe(24)
    response = portal_page(request, name, form_csrf=token, **context)
    response.set_cookie(LINK_CSRF_COOKIE, token, httponly=True, samesite="strict", path="/portal")
    if "lang" in request.query_params:
        response.set_cookie(LANG_COOKIE, lang_of(request), samesite="lax")
    return response


# --- signing in -----------------------------------------------------------------------------


@router.get("")
def portal_home(request: Request) -> Response:
    token = request.cookies.get(COOKIE)
    found = users.session_for(services(request).engine, token) if token else None
    if found is None or found.user.role is not Role.participant:
        return RedirectResponse("/portal/sign-in", status_code=303)
    return RedirectResponse("/portal/cases", status_code=303)


@router.get("/sign-in")
def sign_in_form(request: Request) -> Response:
    return _with_csrf_cookie(request, "sign_in.html")


@router.post("/sign-in")
def sign_in(
    request: Request,
    email: Annotated[str, Form(max_length=200)],
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    svc = services(request)
    _double_submit(request, csrf)
    lang = lang_of(request)
    try:
        accounts.request_link(
            svc.engine, svc.settings, email=email, lang=lang, base_url=str(request.base_url)
        )
    except accounts.PortalProblem:
        return _with_csrf_cookie(
            request,
            "sign_in.html",
            status=422,
            email=email,
            error=t(lang, "portal.sign_in.bad_email"),
        )
    except accounts.LinkNotSent:
        return _with_csrf_cookie(
            request,
            "sign_in.html",
            status=503,
            email=email,
            error=t(lang, "portal.sign_in.not_sent"),
        )
    return portal_page(request, "sent.html", email=email.strip())


@router.get("/link")
def link_form(request: Request, token: str = "") -> Response:
    # Opening the link only shows a button: mail scanners that fetch links must not spend it.
    return _with_csrf_cookie(request, "link.html", token=token[:100])


@router.post("/link")
def use_link(
    request: Request,
    token: Annotated[str, Form(max_length=100)],
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    svc = services(request)
    _double_submit(request, csrf)
    try:
        user = accounts.consume_link(svc.engine, token=token, lang=lang_of(request))
    except accounts.LinkRefused:
        return _with_csrf_cookie(
            request, "sign_in.html", status=400, error=t(lang_of(request), "portal.link.refused")
        )
    session_token, _csrf = users.start_session(
        svc.engine, user_id=user.id, hours=svc.settings.portal_session_hours
    )
    response = RedirectResponse("/portal/cases", status_code=303)
    response.set_cookie(
        COOKIE,
        session_token,
        httponly=True,
        samesite="lax",
        path="/portal",
        secure=svc.settings.secure_cookies,
        max_age=svc.settings.portal_session_hours * 3600,
    )
    response.delete_cookie(LINK_CSRF_COOKIE, path="/portal")
    return response


@router.post("/sign-out")
def sign_out(request: Request, form: Posted) -> Response:
    users.end_session(services(request).engine, request.cookies.get(COOKIE, ""))
    response = RedirectResponse("/portal/sign-in", status_code=303)
    response.delete_cookie(COOKIE, path="/portal")
    return response


@router.post("/language")
def switch_language(request: Request, user: Participant, form: Posted) -> Response:
    language = str(form.get("language", ""))
    users.set_language(services(request).engine, user_id=user.id, language=language)
    target = str(form.get("next", ""))
    if not target.startswith("/portal") or target.startswith("//"):
        target = "/portal/cases"
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(LANG_COOKIE, language, samesite="lax")
    return response


# --- the participant's cases ------------------------------------------------------------------


@router.get("/cases")
def my_cases(request: Request, user: Participant) -> Response:
    cards = service.my_cases(services(request).engine, user=user)
    return portal_page(request, "home.html", user=user, cards=cards)


def _apply_page(request: Request, user: users.User, *, status: int = 200, **extra: Any) -> Response:
    svc = services(request)
    calls = service.open_calls(svc.engine)
    return portal_page(
        request,
        "apply.html",
        user=user,
        status=status,
        calls=calls,
        person=service.my_person(svc.engine, user=user),
        levels=list(Level),
        funding=FUNDING,
        **extra,
    )


@router.get("/apply")
def apply_form(request: Request, user: Participant) -> Response:
    values = {
        "full_name": "" if "@" in user.full_name else user.full_name,
        "funding_source": FundingSource.credit_mobility.value,
    }
    call = request.query_params.get("call", "")
    if ":" in call:
        values["partner_id"], values["call_year"] = call.split(":", 1)
    return _apply_page(request, user, values=values, errors={})


@router.post("/apply")
def apply(request: Request, user: Participant, form: Posted) -> Response:
    svc = services(request)
    values = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf"}
    call = values.pop("call", "")
    if ":" in call:
        values["partner_id"], values["call_year"] = call.split(":", 1)
    person = {k: values[k] for k in PERSON_FIELDS if values.get(k)}
    data: dict[str, Any] = {k: values[k] for k in CASE_FIELDS if values.get(k)}
    data["participant"] = person
    try:
        case_id = service.apply(svc.engine, user=user, data=data)
    except ValidationError as exc:
        errors = {
            e["field"].removeprefix("participant."): e["message"]
            for e in describe(list(exc.errors()), user.language)
        }
        return _apply_page(request, user, status=422, values=values, errors=errors)
    except service.NotAnOpenCall as exc:
        return _apply_page(request, user, status=422, values=values,
                           errors={exc.field: explain.error(user.language, exc)})  # fmt: skip
    except RuleViolation as exc:  # e.g. a previous mobility not finished (4.8)
        refused = [explain.refusal(user.language, r) for r in exc.refusals]
        return _apply_page(request, user, status=422, values=values, errors={}, refused=refused)
    except PersonProblem as exc:  # said in the participant's language (a message key)
        return _apply_page(request, user, status=422, values=values,
                           errors={exc.field.removeprefix("participant."):
                                   exc.message(user.language)})  # fmt: skip
    opened = service.my_person(svc.engine, user=user)
    if opened is not None:
        accounts.rename(svc.engine, user_id=user.id, full_name=opened.full_name)
    return RedirectResponse(f"/portal/cases/{case_id}?applied=1", status_code=303)


def _case_page(
    request: Request, user: users.User, case_id: int, *, status: int = 200, **extra: Any
) -> Response:
    view = service.case_view(services(request).engine, user=user, case_id=case_id)
    own = sorted(d.value for d in service.OWN_PAPERS)
    return portal_page(
        request,
        "case.html",
        user=user,
        status=status,
        view=view,
        own_papers=own,
        max_mb=MAX_PORTAL_UPLOAD_BYTES // (1024 * 1024),
        **extra,
    )


@router.get("/cases/{case_id}")
def case_page(request: Request, user: Participant, case_id: CaseId) -> Response:
    notice = None
    if "applied" in request.query_params:
        notice = t(user.language, "portal.case.applied")
    elif request.query_params.get("uploaded"):
        paper = label(user.language, "doc", request.query_params["uploaded"][:40])
        notice = t(user.language, "portal.case.uploaded", doc=paper)
    return _case_page(request, user, case_id, notice=notice)


@router.post("/cases/{case_id}/papers")
async def upload(request: Request, user: Participant, case_id: CaseId, form: Posted) -> Response:
    svc = services(request)
    file = form.get("file")
    doc_type = str(form.get("doc_type", ""))
    try:
        if not isinstance(file, UploadFile) or not file.filename:
            raise UploadRefused("file: choose a PDF, JPG or PNG file")
        content = await file.read(MAX_PORTAL_UPLOAD_BYTES + 1)
        service.hand_in(
            svc.engine,
            svc.files,
            user=user,
            case_id=case_id,
            doc_type=doc_type,
            filename=file.filename,
            content=content,
        )
    except UploadRefused as exc:
        return _case_page(
            request,
            user,
            case_id,
            status=400,
            upload_error=_upload_message(user.language, str(exc)),
        )
    return RedirectResponse(f"/portal/cases/{case_id}?uploaded={doc_type}#papers", 303)


def _upload_message(lang: str, message: str) -> str:
    """The refusal in the participant's language (the service says it in English)."""
    for needle, key in (
        ("is not really", "portal.upload.fake"),
        ("larger than", "portal.upload.too_big"),
        ("is empty", "portal.upload.empty"),
        ("is handed in by", "portal.upload.not_yours"),
        ("takes no more", "portal.upload.closed"),
        ("is not a paper", "portal.upload.not_yours"),
    ):
        if needle in message:
            return t(lang, key, mb=MAX_PORTAL_UPLOAD_BYTES // (1024 * 1024))
    return t(lang, "portal.upload.type")


@router.get("/cases/{case_id}/papers/{document_id}")
def download(
    request: Request, user: Participant, case_id: CaseId, document_id: DocumentId
) -> Response:
    svc = services(request)
    found = service.download(
        svc.engine, svc.files, user=user, case_id=case_id, document_id=document_id
    )
    return attachment(Download(found.filename, found.media_type, found.content))
