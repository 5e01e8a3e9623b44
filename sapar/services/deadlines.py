"""The deadline check: reminders before a due date, overdue marking and escalation after it.

Called once a day by a flow with the day as a parameter; the cost grows with what is due,
not with the number of cases. Set-based, in a few statements whatever the number of
letters (issue 15.2):

1. `UPDATE deadlines … RETURNING` claims the open deadlines past their due date as overdue;
2. one `INSERT … SELECT` writes every letter about the newly overdue (the overdue notices,
   escalations to the dean's office and ЭАБД, escalations with nobody to write to), reading
   those deadlines with their cases and participants once; one more writes the reminders;
   their words are built by the database from the templates of `sapar.services.reminders`,
   and the missed-report notices are queued by an `INSERT … SELECT` too (no row of the
   overdue goes through Python but its id);
3. letters no longer worth sending are set aside (a nearer reminder or the overdue notice
   replaced a reminder: `superseded`; the duty was met or voided: `moot`), and a reminder
   waiting since an earlier day is reworded for today (the days left);
4. every e-mail letter still `pending` or `failed` — new today, failed on an earlier day,
   or left pending by a check that crashed — goes to bounded parallel senders
   (`sapar.services.senders`), which mark each one `sent` the moment the server took it.

Exactly once (issue 11.3): steps 1–3 are one transaction, and a letter is a row unique per
(deadline, kind), so a check repeated or retried writes nothing twice. Checks run one at a
time under a lock (`storage.locks`: a PostgreSQL advisory lock, a file lock on SQLite) that
the database or the kernel releases if the process dies; a second check waits for the first
and then finds nothing left to send.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from typing import cast as cast_type

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Date,
    Integer,
    Select,
    String,
    Table,
    and_,
    bindparam,
    case,
    cast,
    exists,
    func,
    literal,
    null,
    or_,
    select,
    true,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine

from sapar import clock
from sapar.config import Settings
from sapar.services import outbox, reminders
from sapar.services.letters_sql import Columns, body_sql, days_between, subject_sql, text
from sapar.services.mailer import Mailer, SmtpMailer
from sapar.services.senders import send_letters, unsent
from states.model import DeadlineStatus, Role
from storage.locks import one_at_a_time
from storage.orm import (
    CaseRow,
    Channel,
    DeadlineRow,
    NotificationRow,
    NotificationStatus,
    ParticipantRow,
    UserRow,
)

D = cast_type(Table, DeadlineRow.__table__)
C = cast_type(Table, CaseRow.__table__)
P = cast_type(Table, ParticipantRow.__table__)
U = cast_type(Table, UserRow.__table__)
N = cast_type(Table, NotificationRow.__table__)
LOCK = "check-deadlines"


@dataclass
class CheckReport:
    today: date
    looked_at: int = 0  # open deadlines due up to the horizon, the newly overdue included
    marked_overdue: list[int] = field(default_factory=list)
    sent: int = 0
    recorded: int = 0
    failed: int = 0  # the mail server did not take them now: the next check tries again
    refused: int = 0  # the mail server refused the address for good: not tried again
    dropped: int = 0  # unsent letters set aside: superseded by a newer one, or moot


def check_deadlines(
    engine: Engine,
    *,
    today: date,
    settings: Settings,
    mailer: Mailer | None = None,
) -> CheckReport:
    """Remind, mark overdue and escalate, for the deadlines due up to the horizon of `today`.

    Letters go through `mailer` (one sender), else through SMTP when settings name a host
    (`smtp_senders` parallel senders), else they are only recorded on the case.
    """
    report = CheckReport(today=today)
    offsets = sorted({d for d in settings.reminder_days_before if d >= 0})
    horizon = today + timedelta(days=max(offsets, default=0))
    by_email = mailer is not None or bool(settings.smtp_host)
    with one_at_a_time(engine, LOCK, wait_seconds=settings.deadline_check_wait_seconds):
        with engine.begin() as conn:
            _write_letters(conn, today, horizon, offsets, by_email, report)
        if not by_email:
            return report
        with engine.connect() as conn:
            ids = list(
                conn.scalars(
                    select(N.c.id).where(unsent(), N.c.channel == Channel.email).order_by(N.c.id)
                )
            )
        if mailer is not None:
            tally = send_letters(
                engine,
                ids,
                mailers=lambda: nullcontext(mailer),
                workers=1,
                sender=settings.smtp_from,
            )
        else:
            tally = send_letters(
                engine,
                ids,
                mailers=lambda: _smtp(settings),
                workers=settings.smtp_senders,
                sender=settings.smtp_from,
            )
    report.sent, report.failed, report.refused = tally.sent, tally.failed, tally.refused
    return report


@contextmanager
def _smtp(settings: Settings) -> Iterator[Mailer]:
    with SmtpMailer(settings) as smtp:
        yield smtp


def due_deadlines_query(horizon: date) -> Select[tuple[int, int, date]]:
    """Open deadlines due up to `horizon` (the overdue ones included): what the check
    considers. A range scan of ix_deadlines_open_due: (status = 'open', due_date <= horizon)."""
    return (
        select(D.c.id, D.c.case_id, D.c.due_date)
        .where(D.c.status == DeadlineStatus.open, D.c.due_date <= horizon)
        .order_by(D.c.due_date, D.c.id)
    )


# --- writing the letters ---------------------------------------------------------------------


def _write_letters(
    conn: Connection,
    today: date,
    horizon: date,
    offsets: list[int],
    by_email: bool,
    report: CheckReport,
) -> None:
    dialect = conn.dialect.name
    marked = conn.execute(
        update(D)
        .where(D.c.status == DeadlineStatus.open, D.c.due_date < today)
        .values(status=DeadlineStatus.overdue)
        .returning(D.c.id, D.c.case_id, D.c.kind)
    ).all()
    report.marked_overdue = sorted(r.id for r in marked)
    if marked:
        ids = _among(D.c.id, [r.id for r in marked], dialect)
        report.recorded += _insert_letters(conn, _overdue_letters(ids, by_email), today, by_email)
        _queue_missed_report_notices(conn, ids)
    if offsets:
        reminders_due = _reminders(today, horizon, offsets, by_email)
        report.recorded += _insert_letters(conn, reminders_due, today, by_email)
    report.dropped = _set_aside(conn)
    _reword_waiting_reminders(conn, today)
    report.looked_at = len(marked) + (
        conn.scalar(
            select(func.count())
            .select_from(D)
            .where(
                D.c.status == DeadlineStatus.open, D.c.due_date >= today, D.c.due_date <= horizon
            )
        )
        or 0
    )


def _among(col: ColumnElement[int], ids: Sequence[int], dialect: str) -> ColumnElement[bool]:
    """`col` is one of `ids`, as one parameter whatever their number."""
    if dialect == "postgresql":
        return col == func.any(bindparam("ids", list(ids), type_=ARRAY(Integer)))
    each = func.json_each(bindparam("ids", json.dumps(list(ids)), type_=String)).table_valued(
        "value"
    )
    return col.in_(select(each.c.value))


@dataclass(frozen=True)
class _About:
    """Where the fields of a letter about a deadline come from in the query writing it."""

    case_id: ColumnElement[int]
    deadline_id: ColumnElement[int]
    kind: ColumnElement[str]
    due: ColumnElement[date]
    participant: ColumnElement[str]
    email: ColumnElement[str | None]
    faculty: ColumnElement[str | None]
    host: ColumnElement[str]

    def columns(self) -> Columns:
        return Columns(
            case_id=self.case_id,
            kind=self.kind,
            due=self.due,
            participant=self.participant,
            faculty=self.faculty,
            host=self.host,
        )


def _tables() -> _About:
    """The fields straight from the deadline, its case and the participant."""
    return _About(
        case_id=C.c.id,
        deadline_id=D.c.id,
        kind=D.c.kind,
        due=D.c.due_date,
        participant=P.c.full_name,
        email=P.c.email,
        faculty=_faculty(),
        host=C.c.host_institution,
    )


def _columns() -> Columns:
    return _tables().columns()


def _faculty() -> ColumnElement[str | None]:
    """The faculty a case answers to: its own, else its participant's."""
    return func.coalesce(func.nullif(C.c.faculty, ""), func.nullif(P.c.faculty, ""))


def _cases_and_people() -> Any:
    return D.join(C, C.c.id == D.c.case_id).join(P, P.c.id == C.c.participant_id)


def _channel(recipient: ColumnElement[str | None] | None, by_email: bool) -> tuple[Any, Any]:
    """(channel, status) of a new letter: an e-mail waiting to be sent where there is an
    address and a mail server, else a record on the case."""
    if recipient is None or not by_email:
        return text(Channel.record), text(NotificationStatus.recorded)
    has = and_(recipient.is_not(None), recipient != "")
    return (
        case((has, text(Channel.email)), else_=text(Channel.record)),
        case((has, text(NotificationStatus.pending)), else_=text(NotificationStatus.recorded)),
    )


LETTER_COLUMNS = (
    "case_id", "deadline_id", "kind", "due_date", "recipient", "channel", "status",
    "subject", "body",
)  # fmt: skip


def _letter(
    about: _About,
    kind: ColumnElement[str],
    recipient: ColumnElement[str | None] | None,
    template: reminders.Template,
    by_email: bool,
    today: date | None = None,
) -> list[Any]:
    c = about.columns()
    channel, status = _channel(recipient, by_email)
    values = [
        about.case_id,
        about.deadline_id,
        kind,
        about.due,
        recipient if recipient is not None else null(),
        channel,
        status,
        subject_sql(template, c, today),
        body_sql(template, c, today),
    ]
    # Named as the columns they fill: a union of letters is read back by these names.
    return [value.label(name) for name, value in zip(LETTER_COLUMNS, values, strict=True)]


def _officials(faculty: ColumnElement[str | None]) -> ColumnElement[bool]:
    """The faculty's dean's office (ФД) and ЭАБД: who answers for an overdue duty."""
    return and_(
        U.c.active.is_(True),
        or_(
            U.c.role == Role.iro.value,
            and_(U.c.role == Role.dean_office.value, U.c.faculty == faculty),
        ),
    )


def _overdue_letters(ids: ColumnElement[bool], by_email: bool) -> CompoundSelect:
    """Every letter a deadline just marked overdue gets, in one statement: the overdue
    notice to the participant, an escalation to each official who answers for it, or, with
    nobody to write to, an escalation kept on the case for the web to show. The deadlines,
    their cases and participants are read once (`about`), not once per kind of letter."""
    about = (
        select(
            C.c.id.label("case_id"),
            D.c.id.label("deadline_id"),
            D.c.kind,
            D.c.due_date,
            P.c.full_name,
            P.c.email,
            _faculty().label("faculty"),
            C.c.host_institution,
        )
        .select_from(_cases_and_people())
        .where(ids)
        .cte("about")
    )
    a = _About(
        case_id=about.c.case_id,
        deadline_id=about.c.deadline_id,
        kind=about.c.kind,
        due=about.c.due_date,
        participant=about.c.full_name,
        email=about.c.email,
        faculty=about.c.faculty,
        host=about.c.host_institution,
    )
    escalation_u = text("escalation_u") + cast(U.c.id, String())
    return union_all(
        select(*_letter(a, text("overdue"), a.email, reminders.OVERDUE, by_email)),
        select(*_letter(a, escalation_u, U.c.email, reminders.ESCALATION, by_email)).select_from(
            about.join(U, _officials(a.faculty))
        ),
        select(*_letter(a, text("escalation"), None, reminders.ESCALATION, False)).where(
            ~exists().where(_officials(a.faculty))
        ),
    )


def _reminders(today: date, horizon: date, offsets: list[int], by_email: bool) -> Select[Any]:
    """The reminder for where `today` stands: only the nearest offset reached, so a check
    that was down for a few days sends one reminder, not all it missed."""
    left = days_between(literal(today, Date()), D.c.due_date)
    kind = case(*((left <= o, text(f"before_{o}")) for o in offsets), else_=null())
    already = N.alias("already")
    return (
        select(*_letter(_tables(), kind, P.c.email, reminders.REMINDER, by_email, today))
        .select_from(_cases_and_people())
        .where(
            D.c.status == DeadlineStatus.open,
            D.c.due_date >= today,
            D.c.due_date <= horizon,
            ~exists().where(already.c.deadline_id == D.c.id, already.c.kind == kind),
        )
    )


def _insert_letters(
    conn: Connection, letters: Select[Any] | CompoundSelect, today: date, maybe_email: bool
) -> int:
    """INSERT … SELECT the letters; those already written (unique per deadline and kind)
    are left as they are. Returns how many of the rows written are records on the case:
    all of them when none can be an e-mail (then, on PostgreSQL, no row comes back, only
    the count)."""
    written = letters.subquery()
    rows = select(
        *written.c,
        literal(today, Date()),
        literal(clock.now(), N.c.created_at.type),
        literal(0, Integer()),
    ).where(true())  # SQLite reads `ON CONFLICT` after a SELECT without WHERE as a join's ON
    names = [*LETTER_COLUMNS, "checked_on", "created_at", "attempts"]
    make = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    stmt = make(N).from_select(names, rows).on_conflict_do_nothing()
    # Python's sqlite3 gives no row count for a statement that starts with WITH.
    if not maybe_email and conn.dialect.name == "postgresql":
        # SQLAlchemy keeps an INSERT's row count only when asked to.
        return int(conn.execute(stmt.execution_options(preserve_rowcount=True)).rowcount or 0)
    channels = conn.scalars(stmt.returning(N.c.channel))
    return sum(1 for channel in channels if channel == Channel.record)


def _queue_missed_report_notices(conn: Connection, ids: ColumnElement[bool]) -> None:
    """A student's missed report gets the official notice, issued by the document flow. The
    overdue mark happens once per deadline, so the notice is queued once. The payload is
    built by the database: no row of the marked deadlines comes through Python."""
    build = func.json_build_object if conn.dialect.name == "postgresql" else func.json_object
    payload = build(text("document"), text("missed_deadline_notice"), text("deadline_id"), D.c.id)
    outbox.queue_selected(
        conn,
        select(D.c.case_id, payload)
        .where(ids, D.c.kind == text("student_report"))
        .order_by(D.c.id),
    )


def _set_aside(conn: Connection) -> int:
    """Unsent letters that no longer make sense: a reminder after which a newer letter of
    the same deadline was written (a nearer reminder, the overdue notice) is `superseded`;
    a reminder of a deadline no longer open, or an overdue notice or escalation of a
    deadline no longer overdue (met, voided), is `moot`."""
    later = N.alias("later")
    is_reminder = N.c.kind.startswith("before_", autoescape=True)
    superseded = conn.execute(
        update(N)
        .where(
            unsent(),
            is_reminder,
            exists().where(later.c.deadline_id == N.c.deadline_id, later.c.id > N.c.id),
        )
        .values(status=NotificationStatus.superseded, error=None)
    ).rowcount
    moot = conn.execute(
        update(N)
        .where(
            unsent(),
            N.c.deadline_id == D.c.id,
            or_(
                and_(is_reminder, D.c.status != DeadlineStatus.open),
                and_(~is_reminder, D.c.status != DeadlineStatus.overdue),
            ),
        )
        .values(status=NotificationStatus.moot, error=None)
    ).rowcount
    return int(superseded or 0) + int(moot or 0)


def _reword_waiting_reminders(conn: Connection, today: date) -> None:
    """A reminder that could not be sent on an earlier day says how many days are left as of
    today when it is tried again."""
    c = _columns()
    conn.execute(
        update(N)
        .where(
            unsent(),
            N.c.kind.startswith("before_", autoescape=True),
            N.c.checked_on < today,
            N.c.deadline_id == D.c.id,
            C.c.id == D.c.case_id,
            P.c.id == C.c.participant_id,
        )
        .values(
            subject=subject_sql(reminders.REMINDER, c, today),
            body=body_sql(reminders.REMINDER, c, today),
            checked_on=today,
        )
    )
