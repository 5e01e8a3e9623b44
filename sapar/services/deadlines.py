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
from typing import Any

from sqlalchemy import Engine, Select, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from sapar.config import Settings
from sapar.services import reminders
from sapar.services.mailer import Mailer, SmtpMailer
from states.model import Role
from storage.orm import (
    CaseRow,
    DeadlineRow,
    NotificationRow,
    OutboxRow,
    ParticipantRow,
    UserRow,
)
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
    planned: list[_Planned] = []
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
        if letters or is_overdue:
            planned.append(_Planned(deadline.id, case.id, deadline.due_date, is_overdue, letters))
    for start in range(0, len(planned), CLAIM_BATCH):
        to_send = _claim(engine, planned[start : start + CLAIM_BATCH], today, mailer, report)
        for notification_id in to_send:
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


@dataclass(frozen=True)
class _Planned:
    deadline_id: int
    case_id: int
    due: date
    overdue: bool
    letters: list[_Letter]


# Deadlines claimed per transaction: one INSERT and one UPDATE for the lot, not one
# transaction (or two) per deadline, so 10,000 due deadlines cost seconds, not minutes.
CLAIM_BATCH = 500


def _claim(
    engine: Engine,
    planned: list[_Planned],
    today: date,
    mailer: Mailer | None,
    report: CheckReport,
) -> list[int]:
    """Write the notifications not yet written (and the overdue marks) of a batch of
    deadlines in one transaction. A letter that only goes into the case file is written as
    recorded at once; returns the e-mails to send: the new ones and earlier failed ones.

    A deadline another check run already marked overdue is skipped, and the unique
    (deadline, kind) key makes a concurrent run's rows win over ours (ON CONFLICT DO NOTHING).
    """
    with UnitOfWork(engine) as uow:
        s = uow.session
        overdue_ids = [p.deadline_id for p in planned if p.overdue]
        marked: set[int] = set()
        if overdue_ids:
            marked = set(
                s.scalars(
                    update(DeadlineRow)
                    .where(DeadlineRow.id.in_(overdue_ids), DeadlineRow.status == "open")
                    .values(status="overdue")
                    .returning(DeadlineRow.id)
                    .execution_options(synchronize_session=False)
                )
            )
        _queue_missed_report_notices(s, marked)
        ours = [p for p in planned if not p.overdue or p.deadline_id in marked]
        known = {
            (n.deadline_id, n.kind): n
            for n in s.scalars(
                select(NotificationRow).where(
                    NotificationRow.deadline_id.in_([p.deadline_id for p in ours])
                )
            )
        }
        to_send = [n.id for n in known.values() if n.status == "failed" and n.channel == "email"]
        now = _now()
        rows = []
        for p in ours:
            for letter in p.letters:
                if (p.deadline_id, letter.kind) in known:
                    continue
                email = mailer is not None and letter.recipient is not None
                rows.append({
                    "case_id": p.case_id, "deadline_id": p.deadline_id, "kind": letter.kind,
                    "due_date": p.due, "checked_on": today, "recipient": letter.recipient,
                    "channel": "email" if email else "record",
                    "status": "pending" if email else "recorded",
                    "subject": letter.message.subject[:300], "body": letter.message.body,
                    "created_at": now,
                })  # fmt: skip
        if rows:
            # executemany form: one cached statement, sent in insertmanyvalues pages.
            inserted = s.execute(
                _insert_new(s, NotificationRow).returning(
                    NotificationRow.id, NotificationRow.channel
                ),
                rows,
            )
            for nid, channel in inserted:
                if channel == "email":
                    to_send.append(nid)
                else:
                    report.recorded += 1
        uow.commit()
    report.marked_overdue.extend(sorted(marked))
    return to_send


def _queue_missed_report_notices(session: Session, marked: set[int]) -> None:
    """A student's missed report gets the official notice, issued by the document flow. The
    overdue mark happens once per deadline, so the notice is queued once."""
    if not marked:
        return
    late = session.execute(
        select(DeadlineRow.id, DeadlineRow.case_id).where(
            DeadlineRow.id.in_(marked), DeadlineRow.kind == "student_report"
        )
    ).all()
    now = _now()
    session.add_all(
        OutboxRow(
            case_id=case_id,
            kind="render_document",
            payload={"document": "missed_deadline_notice", "deadline_id": deadline_id},
            status="pending",
            attempts=0,
            created_at=now,
        )
        for deadline_id, case_id in late
    )


def _insert_new(session: Session, table: type[NotificationRow]) -> Any:
    """INSERT … ON CONFLICT DO NOTHING for the database at hand."""
    if session.get_bind().dialect.name == "postgresql":
        return pg_insert(table).on_conflict_do_nothing()
    return sqlite_insert(table).on_conflict_do_nothing()


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
