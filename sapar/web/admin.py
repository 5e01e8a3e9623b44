"""The administrator's page: accounts (deactivate, reactivate) and API tokens (list, issue,
revoke). Deactivating ends every session and token of the account at once
(sapar.services.users.end_all_access)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse, Response

from sapar import clock
from sapar.deps import services
from sapar.i18n import t
from sapar.problems import problem_of
from sapar.services import users
from sapar.services.schemas import MAX_ID, FieldRefused, form_text, whole_number
from states.machine import NotPermitted
from states.model import Role

from .render import page
from .session import PostedForm, WebUser

router = APIRouter(include_in_schema=False)
TokenId = Annotated[int, Path(ge=1, le=MAX_ID)]
Username = Annotated[str, Path(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9._-]+$")]


def _check_admin(user: users.User) -> None:
    if user.role is not Role.admin:
        raise NotPermitted(t(user.language, "admin.only_admin"))


def admin_page(request: Request, user: WebUser, *, status: int = 200, **extra: Any) -> Response:
    engine = services(request).engine
    return page(
        request,
        "admin.html",
        user=user,
        status=status,
        accounts=users.list_accounts(engine),
        tokens=users.list_tokens(engine),
        now=clock.now(),
        token_days=users.TOKEN_DAYS,
        **extra,
    )


@router.get("/admin/users")
def admin_users(request: Request, user: WebUser) -> Response:
    _check_admin(user)
    notice = None
    if "deactivated" in request.query_params:
        notice = t(user.language, "admin.deactivated", username=request.query_params["deactivated"])
    elif "activated" in request.query_params:
        notice = t(user.language, "admin.activated", username=request.query_params["activated"])
    elif "revoked" in request.query_params:
        notice = t(user.language, "admin.token_revoked")
    return admin_page(request, user, notice=notice)


@router.post("/admin/users/{username}/active")
def set_active(request: Request, user: WebUser, username: Username, form: PostedForm) -> Response:
    _check_admin(user)
    active = form.get("active") == "1"
    if not active and username == user.username:
        return admin_page(request, user, status=400, error=t(user.language, "admin.not_self"))
    try:
        users.set_active(services(request).engine, username=username, active=active)
    except users.UserProblem as exc:
        return admin_page(request, user, status=400, error=problem_of(exc, user.language).message)
    done = "activated" if active else "deactivated"
    return RedirectResponse(f"/admin/users?{done}={username}", status_code=303)


@router.post("/admin/tokens")
def issue_token(request: Request, user: WebUser, form: PostedForm) -> Response:
    _check_admin(user)
    try:
        owner = form_text(str(form.get("username", "")).strip(), "username", 80)
        name = form_text(str(form.get("name", "")).strip(), "name", 120)
        days = whole_number(str(form.get("days", "")).strip(), "days", maximum=users.MAX_TOKEN_DAYS)
        token = users.add_token(services(request).engine, username=owner, name=name, days=days)
    except (FieldRefused, users.UserProblem) as exc:
        return admin_page(request, user, status=400, error=problem_of(exc, user.language).message)
    return admin_page(request, user, status=201, new_token=token)


@router.post("/admin/tokens/{token_id}/revoke")
def revoke_token(request: Request, user: WebUser, token_id: TokenId, form: PostedForm) -> Response:
    _check_admin(user)
    try:
        users.revoke_token(services(request).engine, token_id=token_id)
    except users.UserProblem as exc:
        return admin_page(request, user, status=404, error=problem_of(exc, user.language).message)
    return RedirectResponse("/admin/users?revoked=1", status_code=303)
