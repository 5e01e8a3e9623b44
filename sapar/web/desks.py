"""Each role's landing page (issue 13.2): what waits for this user, what waits for others and
who acts next, and what falls due within a week and a month."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from sapar import clock
from sapar.deps import services
from sapar.services import waiting_work

from .render import page
from .session import WebUser

router = APIRouter(include_in_schema=False)


@router.get("/desk")
def role_desk(request: Request, user: WebUser) -> Response:
    today = clock.today()
    found = waiting_work.waiting_work(services(request).engine, user=user, today=today)
    return page(request, "desk.html", user=user, desk=found, today=today,
                soon_days=waiting_work.SOON_DAYS, later_days=waiting_work.LATER_DAYS)  # fmt: skip
