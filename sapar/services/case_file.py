"""The case file: everything the case page shows, read in one unit of work, as the user may
see it. One read, not one per section: the sections agree with each other (a step taken
between two reads cannot show the new state beside the old papers), and the page costs one
transaction however many sections it grows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from sapar import clock
from states import guards as g
from states import roles
from states.kinds import Step
from states.machine import NotPermitted
from states.model import Case
from storage.orm import NotificationRow
from storage.uow import UnitOfWork

from . import access, outbox, queries, recognition
from .case_access import refuse
from .steps import NextStep, facts, missing_for_my_steps, next_steps
from .users import User


@dataclass(frozen=True)
class NotificationLine:
    kind: str
    due_date: date
    recipient: str | None
    channel: str
    status: str
    sent_at: datetime | None
    error: str | None


@dataclass(frozen=True)
class CaseFile:
    case: Case
    steps: list[Step]  # the steps this user may take now
    missing: dict[str, list[g.Refusal]]  # per step of `steps`, what it still misses
    next_steps: list[NextStep]  # what moves the case on, whoever takes it
    documents: list[queries.DocumentLine]
    deadlines: list[queries.DeadlineLine]
    history: list[queries.HistoryLine]
    outbox: list[outbox.OutboxItem]
    notifications: list[NotificationLine]
    recognition: recognition.Recognition
    may_upload: bool
    may_retry: bool


def case_file(engine: Engine, *, user: User, case_id: int, today: date | None = None) -> CaseFile:
    """The case page's contents; a case outside the user's scope is refused (and the attempt
    written to the access log) before anything but the case is read."""
    today = today or clock.today()
    refused: NotPermitted | None = None
    with UnitOfWork(engine, read_only=True) as uow:
        case = uow.cases.get(case_id)
        try:
            access.check_can_see(user, case)
        except NotPermitted as error:
            refused = error
        else:
            known = facts(uow.cases, case, today)
            return CaseFile(
                case=case,
                steps=access.steps_for(user, case),
                missing=missing_for_my_steps(user, case, known),
                next_steps=next_steps(case, known),
                documents=queries.document_lines(uow.session, case_id),
                deadlines=queries.deadline_lines(uow, case_id, today),
                history=queries.history_lines(uow.session, case_id),
                outbox=outbox.outbox_items(uow.session, case_id),
                notifications=_notifications(uow.session, case_id),
                recognition=recognition.read(uow.session, user=user, case_id=case_id),
                may_upload=user.role in roles.UPLOADERS,
                may_retry=user.role in roles.RETRIERS,
            )
    refuse(engine, user, case, "view", refused)


def _notifications(session: Session, case_id: int) -> list[NotificationLine]:
    rows = session.scalars(
        select(NotificationRow)
        .where(NotificationRow.case_id == case_id)
        .order_by(NotificationRow.created_at, NotificationRow.id)
    )
    return [
        NotificationLine(r.kind, r.due_date, r.recipient, r.channel, r.status, r.sent_at, r.error)
        for r in rows
    ]
