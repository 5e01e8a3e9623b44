"""Rendering a page in the user's language, and the error page every refusal ends on."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from sapar import clock, explain
from sapar.faculties import FACULTIES
from sapar.http import LANG_COOKIE
from sapar.i18n import LANGUAGE_NAMES, LANGUAGES, label, labels, t
from sapar.problems import Problem
from sapar.services.users import User
from storage import countries

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
# jinja2.ext.i18n gives pages `_()` and `{% trans %}`; both call the `gettext` each page's
# context carries (the user's language), since one environment serves every language at once.
templates.env.add_extension("jinja2.ext.i18n")
templates.env.newstyle_gettext = True  # type: ignore[attr-defined]


def local_time(at: datetime | None) -> str:
    if at is None:
        return ""
    at = at.replace(tzinfo=UTC) if at.tzinfo is None else at
    return clock.local(at).strftime("%d.%m.%Y %H:%M")


def day(d: date | None) -> str:
    return d.strftime("%d.%m.%Y") if d else "—"


templates.env.filters["local_time"] = local_time
templates.env.filters["day"] = day
templates.env.globals.update(
    LANGUAGES=LANGUAGES, LANGUAGE_NAMES=LANGUAGE_NAMES, FACULTIES=FACULTIES, labels=labels
)


def _ngettext(lang: str, singular: str, plural: str, n: int, **values: object) -> str:
    return t(lang, singular if n == 1 else plural, n=n, **values)


def language_of(request: Request, user: User | None) -> str:
    if user is not None:
        return user.language
    chosen = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE, "ky")
    return chosen if chosen in LANGUAGES else "ky"


def page(
    request: Request, name: str, *, user: User | None = None, status: int = 200, **context: Any
) -> HTMLResponse:
    lang = language_of(request, user)
    context.update(
        user=user,
        lang=lang,
        csrf=getattr(request.state, "csrf", ""),
        gettext=partial(t, lang),
        ngettext=partial(_ngettext, lang),
        L=partial(label, lang),
        country=partial(countries.name, lang),
        country_choices=countries.choices(lang),
        refusal=partial(explain.refusal, lang),
        history_reason=partial(explain.history_reason, lang),
    )
    return templates.TemplateResponse(request, name, context, status_code=status)


def render_problem(request: Request, problem: Problem) -> Response:
    portal = request.url.path.startswith("/portal")
    if problem.status == 401:
        target = request.url.path
        if portal:  # participants sign in by a link, not at the staff login
            return RedirectResponse("/portal/sign-in", status_code=303)
        return RedirectResponse(f"/login?next={target}", status_code=303)
    user = getattr(request.state, "user", None)
    if portal:
        from sapar.web.portal import portal_page  # the portal's pages import this module

        return portal_page(request, "error.html", user=user, status=problem.status,
                           problem=problem)  # fmt: skip
    return page(request, "error.html", user=user, status=problem.status, problem=problem)
