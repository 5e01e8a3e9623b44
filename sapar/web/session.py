"""Logging in and out, the session cookie and the CSRF check every form goes through.

The cookie holds a random token (HttpOnly, SameSite=Lax); the database keeps its sha256 and
the session's CSRF token, which each form carries back in a hidden field. The login form,
before any session exists, uses a double-submit cookie instead.
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from sapar.deps import services
from sapar.i18n import t
from sapar.problems import CsrfRefused, LoginRequired
from sapar.services import users
from states.model import Role

from .render import LANG_COOKIE, language_of, page

COOKIE = "sapar_session"
LOGIN_CSRF_COOKIE = "sapar_login_csrf"
router = APIRouter(include_in_schema=False)


def client_ip(request: Request) -> str:
    """The peer's address as uvicorn reports it (behind a proxy: run uvicorn with
    --proxy-headers and --forwarded-allow-ips so this is the client, not the proxy)."""
    return request.client.host if request.client else "unknown"


def web_user(request: Request) -> users.User:
    token = request.cookies.get(COOKIE)
    found = users.session_for(services(request).engine, token) if token else None
    # A participant's session (the portal's) never opens a staff page.
    if found is None or found.user.role is Role.participant:
        raise LoginRequired("please log in")
    request.state.user, request.state.csrf = found.user, found.csrf_token
    return found.user


async def posted_form(request: Request, user: Annotated[users.User, Depends(web_user)]) -> FormData:
    """The submitted form, once its CSRF token matches this session's."""
    form = await request.form()
    sent = form.get("csrf")
    if not isinstance(sent, str) or not secrets.compare_digest(sent, request.state.csrf):
        raise CsrfRefused(t(user.language, "error.csrf"))
    return form


WebUser = Annotated[users.User, Depends(web_user)]
PostedForm = Annotated[FormData, Depends(posted_form)]


def _safe_next(target: str | None) -> str:
    # Only paths of our own: "//evil.example" or "https://..." would leave the site.
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/desk"  # each role lands on its desk (issue 13.2)


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:
    token = secrets.token_urlsafe(24)
    response = page(request, "login.html", login_csrf=token, next=_safe_next(next))
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict")
    if "lang" in request.query_params:
        response.set_cookie(LANG_COOKIE, language_of(request, None), samesite="lax")
    return response


@router.post("/login")
def login(
    request: Request,
    username: Annotated[str, Form(max_length=80)],
    password: Annotated[str, Form(max_length=200)],
    csrf: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/desk",
) -> Response:
    svc = services(request)
    lang = language_of(request, None)
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not secrets.compare_digest(csrf, expected):
        raise CsrfRefused(t(lang, "error.csrf"))
    try:
        user = users.authenticate(
            svc.engine, username=username.strip(), password=password, ip=client_ip(request)
        )
    except users.LoginRefused as refused:
        # One answer for an unknown name, a deactivated account and a wrong password.
        message = (
            t(lang, "login.throttled", seconds=refused.wait_seconds)
            if refused.wait_seconds
            else t(lang, "login.failed")
        )
        status = 429 if refused.wait_seconds else 401
        headers = {"Retry-After": str(refused.wait_seconds)} if refused.wait_seconds else {}
        refusal = page(
            request, "login.html", status=status, error=message, login_csrf=expected,
            next=_safe_next(next), username=username,
        )  # fmt: skip
        refusal.headers.update(headers)
        return refusal
    token, _csrf = users.start_session(
        svc.engine, user_id=user.id, hours=svc.settings.session_hours
    )
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=svc.settings.secure_cookies,
        max_age=svc.settings.session_hours * 3600,
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
def logout(request: Request, form: PostedForm) -> Response:
    users.end_session(services(request).engine, request.cookies.get(COOKIE, ""))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE)
    return response


@router.post("/language")
def switch_language(request: Request, user: WebUser, form: PostedForm) -> Response:
    language = str(form.get("language", ""))
    users.set_language(services(request).engine, user_id=user.id, language=language)
    response = RedirectResponse(_safe_next(str(form.get("next", ""))), status_code=303)
    response.set_cookie(LANG_COOKIE, language, samesite="lax")
    return response
