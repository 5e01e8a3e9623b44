"""The deadline check: reminders before a due date, overdue marking and escalation after it.

Called once a day by a flow with the day as a parameter. It reads only open deadlines due
within the reminder horizon (index ix_deadlines_open_due), so its cost grows with what is
due, not with the number of cases: an overdue deadline leaves the 'open' status the day it
is marked, and never comes back into the scan.

Each reminder goes out at most once: its notifications row, unique per (deadline, kind),
is committed before the letter is sent. A second run on the same day finds the row and
sends nothing; a letter that failed is tried again on the next run while the deadline is
still open.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine, Select, select, update
from sqlalchemy.exc import IntegrityError

from sapar.config import Settings
from sapar.services import reminders
from sapar.services.mailer import Mailer, SmtpMailer
from states.model import Role
from storage.orm import CaseRow, DeadlineRow, NotificationRow, ParticipantRow, UserRow
from storage.uow import UnitOfWork


@dataclass
class CheckReport:
    today: date
    looked_at: int = 0
    marked_overdue: list[int] = field(default_factory=list)
    sent: int = 0
    recorded: int = 0
    failed: int = 0


@dataclass(frozen=True)
class _Letter:
    """One notification to write and deliver: to a person or only into the case file."""

    kind: str
    recipient: str | None
    message: reminders.Message


def _now() -> datetime:
    return datetime.now(UTC)


def check_deadlines(
    engine: Engine,
    *,
    today: date,
    settings: Settings,
    mailer: Mailer | None = None,
) -> CheckReport:
    """Remind, mark overdue and escalate, for the deadlines due up to the horizon of `today`.

    Letters go through `mailer`, else through SMTP when settings name a host, else they are
    only recorded on the case.
    """
    report = CheckReport(today=today)
    offsets = sorted({d for d in settings.reminder_days_before if d >= 0})
    horizon = today + timedelta(days=max(offsets, default=0))
    if mailer is None and settings.smtp_host:
        with SmtpMailer(settings) as smtp:
            _check(engine, today, horizon, offsets, smtp, report)
    else:
        _check(engine, today, horizon, offsets, mailer, report)
    return report


def _check(
    engine: Engine,
    today: date,
    horizon: date,
    offsets: list[int],
    mailer: Mailer | None,
    report: CheckReport,
) -> None:
    with UnitOfWork(engine, read_only=True) as uow:
        due = uow.session.execute(due_deadlines_query(horizon)).all()
    escalate_to: dict[str | None, list[tuple[int, str | None]]] = {}
    for deadline, case, participant in due:
        report.looked_at += 1
        about = reminders.About(
            case_id=case.id,
            kind=deadline.kind,
            due=deadline.due_date,
            participant=participant.full_name,
            faculty=case.faculty or participant.faculty,
            host=case.host_institution,
        )
        is_overdue = deadline.due_date < today
        if is_overdue:
            if about.faculty not in escalate_to:
                escalate_to[about.faculty] = _dean_office_and_iro(engine, about.faculty)
            letters = _after_due(about, participant.email, escalate_to[about.faculty])
        else:
            letters = _before_due(about, participant.email, today, offsets)
        if not letters and not is_overdue:
            continue
        claimed = _claim(
            engine,
            deadline.id,
            case.id,
            deadline.due_date,
            today,
            letters,
            mailer,
            mark_overdue=is_overdue,
        )
        if claimed is None:
            continue  # another check run got there first
        if is_overdue:
            report.marked_overdue.append(deadline.id)
        for notification_id in claimed:
            status = _deliver(engine, notification_id, mailer)
            setattr(report, status, getattr(report, status) + 1)


def due_deadlines_query(horizon: date) -> Select[DeadlineRow, CaseRow, ParticipantRow]:
    """Open deadlines due up to `horizon` (the overdue ones included), with case and person.

    A range scan of ix_deadlines_open_due: (status = 'open', due_date <= horizon).
    """
    return (
        select(DeadlineRow, CaseRow, ParticipantRow)
        .join(CaseRow, CaseRow.id == DeadlineRow.case_id)
        .join(ParticipantRow, ParticipantRow.id == CaseRow.participant_id)
        .where(DeadlineRow.status == "open", DeadlineRow.due_date <= horizon)
        .order_by(DeadlineRow.due_date, DeadlineRow.id)
    )


def _before_due(
    about: reminders.About, email: str | None, today: date, offsets: list[int]
) -> list[_Letter]:
    """The reminder for where `today` stands: only the nearest offset, so a check that was
    down for a few days sends one reminder, not all it missed."""
    left = (about.due - today).days
    reached = [d for d in offsets if left <= d]
    if not reached:
        return []
    return [_Letter(f"before_{min(reached)}", email, reminders.reminder(about, today=today))]


def _after_due(
    about: reminders.About, email: str | None, officials: Sequence[tuple[int, str | None]]
) -> list[_Letter]:
    letters = [_Letter("overdue", email, reminders.overdue(about))]
    message = reminders.escalation(about)
    if not officials:
        # Nobody to write to: the escalation is still on the case for the web to show.
        return [*letters, _Letter("escalation", None, message)]
    return letters + [_Letter(f"escalation_u{uid}", mail, message) for uid, mail in officials]


def _dean_office_and_iro(engine: Engine, faculty: str | None) -> list[tuple[int, str | None]]:
    """The faculty's dean's office (ФД) and ЭАБД: who answers for an overdue duty."""
    with UnitOfWork(engine, read_only=True) as uow:
        rows = uow.session.execute(
            select(UserRow.id, UserRow.email)
            .where(
                UserRow.active.is_(True),
                (UserRow.role == Role.iro.value)
                | ((UserRow.role == Role.dean_office.value) & (UserRow.faculty == faculty)),
            )
            .order_by(UserRow.id)
        ).all()
    return [(uid, mail) for uid, mail in rows]


def _claim(
    engine: Engine,
    deadline_id: int,
    case_id: int,
    due: date,
    today: date,
    letters: list[_Letter],
    mailer: Mailer | None,
    *,
    mark_overdue: bool,
) -> list[int] | None:
    """Write the notifications not yet written (and the overdue mark) in one transaction.

    Returns the ids to deliver: the new ones and earlier failed ones of the same kinds.
    None when a concurrent check already did this deadline.
    """
    with UnitOfWork(engine) as uow:
        s = uow.session
        known = {
            n.kind: n
            for n in s.scalars(
                select(NotificationRow).where(NotificationRow.deadline_id == deadline_id)
            )
        }
        to_deliver: list[NotificationRow] = []
        for letter in letters:
            existing = known.get(letter.kind)
            if existing is not None:
                if existing.status == "failed" and existing.channel == "email":
                    to_deliver.append(existing)
                continue
            row = NotificationRow(
                case_id=case_id,
                deadline_id=deadline_id,
                kind=letter.kind,
                due_date=due,
                checked_on=today,
                recipient=letter.recipient,
                channel="email" if (mailer is not None and letter.recipient) else "record",
                status="pending",
                subject=letter.message.subject[:300],
                body=letter.message.body,
                created_at=_now(),
            )
            s.add(row)
            to_deliver.append(row)
        try:
            s.flush()
        except IntegrityError:
            return None
        if mark_overdue:
            done = s.execute(
                update(DeadlineRow)
                .where(DeadlineRow.id == deadline_id, DeadlineRow.status == "open")
                .values(status="overdue")
                .execution_options(synchronize_session=False)
            )
            if done.rowcount != 1:  # type: ignore[attr-defined]
                return None
        uow.commit()
        return [n.id for n in to_deliver]


def _deliver(engine: Engine, notification_id: int, mailer: Mailer | None) -> str:
    """Send one notification (or record it) and write down how it went."""
    with UnitOfWork(engine) as uow:
        n = uow.session.get(NotificationRow, notification_id)
        assert n is not None
        if n.channel == "record" or mailer is None or not n.recipient:
            n.status, n.error = "recorded", None
        else:
            try:
                mailer.send([n.recipient], n.subject, n.body)
            except Exception as exc:  # any failure of the mail server is recorded, not raised
                n.status, n.error = "failed", f"{type(exc).__name__}: {exc}"[:2000]
            else:
                n.status, n.error, n.sent_at = "sent", None, _now()
        uow.commit()
        return n.status
