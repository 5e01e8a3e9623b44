"""The daily deadline check: reminders before, overdue and escalation after, each once."""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import Engine, select, text

from sapar.config import Settings
from sapar.services.deadlines import check_deadlines, due_deadlines_query
from sapar.services.study_plan import PlanLine, set_study_plan
from states.dossier import DocumentKind as D
from states.model import FundingSource
from storage.orm import DeadlineRow, NotificationRow, UserRow
from storage.uow import UnitOfWork
from tests.builders import LONG_STAY_PAPERS, a_case, a_staff_member, a_student
from tests.integration.desk import DEAN, HEAD, IRO, VICE_RECTOR, Desk

ECONOMICS = "Экономика факультети"
STUDENT_PAPERS = LONG_STAY_PAPERS


class Inbox:
    """An aiosmtpd handler keeping what arrives."""

    def __init__(self) -> None:
        self.letters: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        content = envelope.content  # type: ignore[attr-defined]
        message = email.message_from_bytes(content, policy=policy.default)
        self.letters.append((list(envelope.rcpt_tos), message))  # type: ignore[attr-defined]
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for rcpt, m in self.letters if address in rcpt]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    box, port = Inbox(), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    yield box, port
    controller.stop()


@pytest.fixture
def desk(engine: Engine, tmp_path: Path) -> Desk:
    return Desk(engine, tmp_path / "files")


def record_only() -> Settings:
    return Settings(smtp_host=None, _env_file=None)  # type: ignore[call-arg]


def by_smtp(port: int) -> Settings:
    return Settings(smtp_host="127.0.0.1", smtp_port=port, _env_file=None)  # type: ignore[call-arg]


def add_user(engine: Engine, username: str, role: str, faculty: str | None, mail: str) -> None:
    with UnitOfWork(engine) as uow:
        uow.session.add(
            UserRow(
                username=username,
                full_name=username,
                password_hash="-",
                role=role,
                faculty=faculty,
                email=mail,
                language="ky",
                active=True,
                failed_logins=0,
                created_at=datetime.now(UTC),
            )
        )
        uow.commit()


def returned_student(desk: Desk, *, end: date, mail: str = "aigerim@example.kg") -> int:
    """A semester abroad that ended on `end`: the return opens the one-month report duty."""
    case_id = desk.open(
        a_case(a_student(email=mail), start_date=end - timedelta(days=120), end_date=end)
    )
    desk.hand_in(case_id, *STUDENT_PAPERS)
    desk.step(case_id, "nominate", DEAN)
    desk.hand_in(case_id, D.invitation_letter, D.dean_nomination)
    desk.step(case_id, "receive_invitation", IRO)
    desk.step(case_id, "issue_order", IRO)
    desk.hand_in(case_id, D.mobility_order)
    desk.step(case_id, "depart", IRO)
    desk.step(case_id, "return_home", IRO, actual_end_date=end)
    return case_id


def deadlines_of(engine: Engine, case_id: int) -> list[tuple[str, date, str]]:
    with UnitOfWork(engine, read_only=True) as uow:
        return [(d.kind, d.due_date, d.status) for d in uow.cases.deadlines(case_id)]


def notifications_of(engine: Engine, case_id: int) -> list[tuple[str, str | None, str, str]]:
    with UnitOfWork(engine, read_only=True) as uow:
        rows = uow.session.scalars(
            select(NotificationRow)
            .where(NotificationRow.case_id == case_id)
            .order_by(NotificationRow.id)
        )
        return [(n.kind, n.recipient, n.channel, n.status) for n in rows]


def test_a_report_one_day_late_marks_the_case_overdue_and_its_reminder_arrives_once(
    desk: Desk, engine: Engine, inbox: tuple[Inbox, int]
) -> None:
    box, port = inbox
    add_user(engine, "dean", "dean_office", ECONOMICS, "dean@oshsu.kg")
    add_user(engine, "other-dean", "dean_office", "Медицина факультети", "med@oshsu.kg")
    add_user(engine, "iro", "iro", None, "iro@oshsu.kg")
    # Back on Oct 22: the results were due at the dean's office on Nov 22.
    case_id = returned_student(desk, end=date(2026, 10, 22))
    assert deadlines_of(engine, case_id) == [("student_report", date(2026, 11, 22), "open")]

    first = check_deadlines(engine, today=date(2026, 11, 23), settings=by_smtp(port))
    second = check_deadlines(engine, today=date(2026, 11, 23), settings=by_smtp(port))

    assert deadlines_of(engine, case_id) == [("student_report", date(2026, 11, 22), "overdue")]
    assert len(first.marked_overdue) == 1 and first.sent == 3
    assert second.marked_overdue == [] and second.sent == 0
    [to_student] = box.to("aigerim@example.kg")
    assert "Срок истёк" in to_student["Subject"]
    body = to_student.get_content()
    assert "мөөнөтү өттү" in body and "22.11.2026" in body
    # Kyrgyz first, Russian below it.
    assert body.index("мөөнөтү өттү") < body.index("срок истёк")
    assert len(box.to("dean@oshsu.kg")) == 1
    assert len(box.to("iro@oshsu.kg")) == 1
    assert box.to("med@oshsu.kg") == []
    kinds = [(k, r, ch, st) for k, r, ch, st in notifications_of(engine, case_id)]
    assert kinds[0] == ("overdue", "aigerim@example.kg", "email", "sent")
    assert {(r, st) for k, r, _, st in kinds[1:]} == {
        ("dean@oshsu.kg", "sent"),
        ("iro@oshsu.kg", "sent"),
    }


def test_reminders_come_seven_days_and_one_day_before_the_due_date_each_once(
    desk: Desk, engine: Engine
) -> None:
    case_id = returned_student(desk, end=date(2026, 10, 22))  # due Nov 22
    sent_by_day = {}
    for day in (date(2026, 11, d) for d in range(13, 23)):
        report = check_deadlines(engine, today=day, settings=record_only())
        sent_by_day[day.day] = report.recorded
    assert sent_by_day == {13: 0, 14: 0, 15: 1, 16: 0, 17: 0, 18: 0, 19: 0, 20: 0, 21: 1, 22: 0}
    assert [k for k, *_ in notifications_of(engine, case_id)] == ["before_7", "before_1"]
    assert deadlines_of(engine, case_id)[0][2] == "open"


def test_a_check_that_was_down_for_days_sends_only_the_nearest_reminder(
    desk: Desk, engine: Engine
) -> None:
    case_id = returned_student(desk, end=date(2026, 10, 22))  # due Nov 22
    check_deadlines(engine, today=date(2026, 11, 21), settings=record_only())
    assert [k for k, *_ in notifications_of(engine, case_id)] == ["before_1"]


def test_without_a_mail_server_every_reminder_is_recorded_on_the_case(
    desk: Desk, engine: Engine
) -> None:
    add_user(engine, "dean", "dean_office", ECONOMICS, "dean@oshsu.kg")
    case_id = returned_student(desk, end=date(2026, 10, 22))
    report = check_deadlines(engine, today=date(2026, 11, 23), settings=record_only())
    assert report.recorded == 2 and report.sent == 0
    assert notifications_of(engine, case_id) == [
        ("overdue", "aigerim@example.kg", "record", "recorded"),
        ("escalation_u1", "dean@oshsu.kg", "record", "recorded"),
    ]


class FlakyMailer:
    """Fails the first `failures` letters, then delivers."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.delivered: list[tuple[list[str], str, str]] = []

    def send(
        self, to: Sequence[str], subject: str, body: str, *, message_id: str | None = None
    ) -> None:
        if self.failures:
            self.failures -= 1
            raise ConnectionRefusedError("mail server is down")
        self.delivered.append((list(to), subject, body))


def test_a_letter_that_failed_is_recorded_and_sent_on_the_next_run(
    desk: Desk, engine: Engine
) -> None:
    case_id = returned_student(desk, end=date(2026, 10, 22))  # due Nov 22
    mailer = FlakyMailer(failures=1)
    first = check_deadlines(engine, today=date(2026, 11, 15), settings=record_only(), mailer=mailer)
    assert first.failed == 1
    with UnitOfWork(engine, read_only=True) as uow:
        failed = uow.session.scalars(select(NotificationRow)).one()
        assert failed.status == "failed" and "mail server is down" in (failed.error or "")
    second = check_deadlines(
        engine, today=date(2026, 11, 16), settings=record_only(), mailer=mailer
    )
    third = check_deadlines(engine, today=date(2026, 11, 16), settings=record_only(), mailer=mailer)
    assert (second.sent, third.sent) == (1, 0)
    assert notifications_of(engine, case_id) == [
        ("before_7", "aigerim@example.kg", "email", "sent")
    ]
    assert len(mailer.delivered) == 1


def test_a_university_funded_trip_is_reminded_of_its_expense_report_after_five_working_days(
    desk: Desk, engine: Engine
) -> None:
    case_id = desk.open(
        a_case(
            a_staff_member(email="nurbek@example.kg"),
            funding_source=FundingSource.university,
            start_date=date(2026, 11, 2),
            end_date=date(2026, 11, 13),
        )
    )
    desk.hand_in(case_id, D.application, D.invitation_letter, D.substitution_note)
    for event, actor in (
        ("approve_by_head", HEAD),
        ("approve_by_dean", DEAN),
        ("approve_by_vice_rector", VICE_RECTOR),
        ("receive_invitation", IRO),
        ("issue_order", IRO),
    ):
        desk.step(case_id, event, actor)
    desk.hand_in(case_id, D.staff_trip_order)
    desk.step(case_id, "depart", IRO)
    desk.step(case_id, "return_home", IRO, actual_end_date=date(2026, 11, 13))
    [(kind, due, status)] = deadlines_of(engine, case_id)
    assert (kind, status) == ("expense_report", "open")

    check_deadlines(engine, today=due - timedelta(days=1), settings=record_only())
    check_deadlines(engine, today=due + timedelta(days=1), settings=record_only())

    assert [k for k, *_ in notifications_of(engine, case_id)][:2] == ["before_1", "overdue"]
    assert deadlines_of(engine, case_id)[0][2] == "overdue"


def test_a_student_with_distance_courses_is_reminded_before_their_exam_window_closes(
    desk: Desk, engine: Engine
) -> None:
    # Abroad for the fall semester with one home course taught by distance: its exam is
    # held within the first month of the spring semester (Feb 1-28, 2027).
    case_id = desk.open(
        a_case(a_student(), start_date=date(2026, 9, 1), end_date=date(2027, 1, 20))
    )
    desk.hand_in(case_id, *STUDENT_PAPERS)
    set_study_plan(
        engine,
        case_id=case_id,
        actor=DEAN,
        lines=[
            PlanLine("Uluslararası Finans", 6, replaces="Эл аралык финансы"),
            PlanLine("Эконометрика", 4, mode="distance", teacher="Т. Жумабаев", term="fall"),
        ],
    )
    desk.step(case_id, "nominate", DEAN)
    desk.hand_in(case_id, D.invitation_letter, D.dean_nomination)
    desk.step(case_id, "receive_invitation", IRO)
    desk.step(case_id, "issue_order", IRO)
    desk.hand_in(case_id, D.mobility_order)
    desk.step(case_id, "depart", IRO)
    assert deadlines_of(engine, case_id) == [("distance_exams_fall", date(2027, 2, 28), "open")]

    for day in (date(2027, 2, 20), date(2027, 2, 21), date(2027, 2, 21), date(2027, 2, 27)):
        check_deadlines(engine, today=day, settings=record_only())

    assert [k for k, *_ in notifications_of(engine, case_id)] == ["before_7", "before_1"]
    body = notifications_body(engine, case_id)[0]
    assert "аралыктан окулган" in body and "изученным дистанционно" in body


def notifications_body(engine: Engine, case_id: int) -> list[str]:
    with UnitOfWork(engine, read_only=True) as uow:
        return list(
            uow.session.scalars(
                select(NotificationRow.body)
                .where(NotificationRow.case_id == case_id)
                .order_by(NotificationRow.id)
            )
        )


def test_the_check_reads_only_open_deadlines_due_soon_through_their_index(
    desk: Desk, engine: Engine
) -> None:
    due_soon = returned_student(desk, end=date(2026, 10, 22))  # due Nov 22
    later = returned_student(desk, end=date(2026, 11, 20), mail="later@example.kg")  # Dec 20
    report = check_deadlines(engine, today=date(2026, 11, 16), settings=record_only())
    assert report.looked_at == 1
    assert notifications_of(engine, later) == []
    assert [k for k, *_ in notifications_of(engine, due_soon)] == ["before_7"]
    query = due_deadlines_query(date(2026, 11, 23)).compile(
        engine, compile_kwargs={"literal_binds": True}
    )
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            plan = " ".join(str(r) for r in conn.execute(text(f"EXPLAIN QUERY PLAN {query}")))
        else:
            # A tiny table is scanned whatever the indexes: ask PostgreSQL as for a big one.
            conn.execute(text("SET enable_seqscan = off"))
            plan = " ".join(str(r) for r in conn.execute(text(f"EXPLAIN {query}")))
    assert "ix_deadlines_open_due" in plan


def test_a_deadline_met_before_the_check_gets_no_reminder(desk: Desk, engine: Engine) -> None:
    case_id = returned_student(desk, end=date(2026, 10, 22))
    desk.hand_in(case_id, D.host_transcript, D.certificate, actor=DEAN)
    desk.step(case_id, "start_recognition", DEAN)
    report = check_deadlines(engine, today=date(2026, 11, 23), settings=record_only())
    assert report.looked_at == 0
    assert deadlines_of(engine, case_id) == [("student_report", date(2026, 11, 22), "met")]
    with UnitOfWork(engine, read_only=True) as uow:
        assert (
            uow.session.scalars(select(DeadlineRow).where(DeadlineRow.status == "open")).all() == []
        )


def test_when_the_mail_server_is_down_every_letter_is_recorded_as_failed_at_once(
    desk: Desk, engine: Engine
) -> None:
    add_user(engine, "dean", "dean_office", ECONOMICS, "dean@oshsu.kg")
    case_id = returned_student(desk, end=date(2026, 10, 22))
    nobody_listens = free_port()
    report = check_deadlines(engine, today=date(2026, 11, 23), settings=by_smtp(nobody_listens))
    assert (report.failed, report.sent) == (2, 0)
    assert [(k, st) for k, _, _, st in notifications_of(engine, case_id)] == [
        ("overdue", "failed"),
        ("escalation_u1", "failed"),
    ]
    assert deadlines_of(engine, case_id)[0][2] == "overdue"


# --- every letter once, under failures (issue 11.3) ----------------------------------------


def test_an_overdue_notice_and_its_escalations_that_failed_are_sent_by_the_next_check(
    desk: Desk, engine: Engine
) -> None:
    add_user(engine, "dean", "dean_office", ECONOMICS, "dean@oshsu.kg")
    add_user(engine, "iro", "iro", None, "iro@oshsu.kg")
    case_id = returned_student(desk, end=date(2026, 10, 22))  # due Nov 22
    mailer = FlakyMailer(failures=3)
    first = check_deadlines(engine, today=date(2026, 11, 23), settings=record_only(), mailer=mailer)
    assert (first.failed, first.sent, len(first.marked_overdue)) == (3, 0, 1)
    second = check_deadlines(
        engine, today=date(2026, 11, 24), settings=record_only(), mailer=mailer
    )
    third = check_deadlines(engine, today=date(2026, 11, 25), settings=record_only(), mailer=mailer)
    assert (second.sent, second.failed, third.sent) == (3, 0, 0)
    assert sorted(to[0] for to, _, _ in mailer.delivered) == [
        "aigerim@example.kg", "dean@oshsu.kg", "iro@oshsu.kg",
    ]  # fmt: skip
    assert {st for *_, st in notifications_of(engine, case_id)} == {"sent"}


class Crash(BaseException):
    """The process dies in the middle of sending (as kill -9 would, without the kill)."""


class CrashingMailer:
    def __init__(self, after: int) -> None:
        self.after = after
        self.delivered: list[str] = []

    def send(
        self, to: Sequence[str], subject: str, body: str, *, message_id: str | None = None
    ) -> None:
        if len(self.delivered) == self.after:
            raise Crash
        self.delivered.append(to[0])


def test_letters_a_crashed_check_left_pending_are_sent_once_by_the_next_check(
    desk: Desk, engine: Engine
) -> None:
    add_user(engine, "dean", "dean_office", ECONOMICS, "dean@oshsu.kg")
    add_user(engine, "iro", "iro", None, "iro@oshsu.kg")
    case_id = returned_student(desk, end=date(2026, 10, 22))
    crashing = CrashingMailer(after=1)
    with pytest.raises(Crash):
        check_deadlines(engine, today=date(2026, 11, 23), settings=record_only(), mailer=crashing)
    assert [st for *_, st in notifications_of(engine, case_id)] == ["sent", "pending", "pending"]
    mailer = FlakyMailer(failures=0)
    check_deadlines(engine, today=date(2026, 11, 23), settings=record_only(), mailer=mailer)
    check_deadlines(engine, today=date(2026, 11, 23), settings=record_only(), mailer=mailer)
    assert crashing.delivered == ["aigerim@example.kg"]
    assert sorted(to[0] for to, _, _ in mailer.delivered) == ["dean@oshsu.kg", "iro@oshsu.kg"]


def test_a_reminder_sent_a_day_late_counts_the_days_left_from_the_day_it_goes(
    desk: Desk, engine: Engine
) -> None:
    returned_student(desk, end=date(2026, 10, 22))  # due Nov 22
    mailer = FlakyMailer(failures=1)
    check_deadlines(engine, today=date(2026, 11, 15), settings=record_only(), mailer=mailer)
    check_deadlines(engine, today=date(2026, 11, 16), settings=record_only(), mailer=mailer)
    [(_, _, body)] = mailer.delivered
    assert "калды: 6 күн" in body and "осталось дней: 6" in body


def test_a_reminder_that_never_got_through_gives_way_to_the_nearer_one(
    desk: Desk, engine: Engine
) -> None:
    case_id = returned_student(desk, end=date(2026, 10, 22))  # due Nov 22
    down = FlakyMailer(failures=100)
    for day in range(15, 21):
        check_deadlines(engine, today=date(2026, 11, day), settings=record_only(), mailer=down)
    mailer = FlakyMailer(failures=0)
    report = check_deadlines(
        engine, today=date(2026, 11, 21), settings=record_only(), mailer=mailer
    )
    assert (report.sent, report.dropped) == (1, 1)
    assert [(k, st) for k, _, _, st in notifications_of(engine, case_id)] == [
        ("before_7", "superseded"),
        ("before_1", "sent"),
    ]
    [(_, _, body)] = mailer.delivered
    assert "калды: 1 күн" in body


def test_a_failed_letter_about_a_duty_met_meanwhile_is_not_sent(desk: Desk, engine: Engine) -> None:
    case_id = returned_student(desk, end=date(2026, 10, 22))  # due Nov 22
    check_deadlines(
        engine, today=date(2026, 11, 23), settings=record_only(), mailer=FlakyMailer(failures=9)
    )
    desk.hand_in(case_id, D.host_transcript, D.certificate, actor=DEAN)
    desk.step(case_id, "start_recognition", DEAN)
    mailer = FlakyMailer(failures=0)
    report = check_deadlines(
        engine, today=date(2026, 11, 24), settings=record_only(), mailer=mailer
    )
    assert (report.sent, report.dropped, mailer.delivered) == (0, 1, [])
    assert [(k, st) for k, _, _, st in notifications_of(engine, case_id)] == [
        ("overdue", "moot"),
        ("escalation", "recorded"),  # nobody to write to: it stays on the case
    ]


class RefusingInbox(Inbox):
    """Refuses one address for good (550), as a server does for a mailbox that does not exist."""

    def __init__(self, refused: str) -> None:
        super().__init__()
        self.refused = refused
        self.asked: list[str] = []

    async def handle_RCPT(
        self, server: object, session: object, envelope: object, address: str, options: object
    ) -> str:
        self.asked.append(address)
        if address == self.refused:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)  # type: ignore[attr-defined]
        return "250 OK"


def test_an_address_the_mail_server_refuses_for_good_is_not_tried_again(
    desk: Desk, engine: Engine
) -> None:
    add_user(engine, "dean", "dean_office", ECONOMICS, "dean@oshsu.kg")
    case_id = returned_student(desk, end=date(2026, 10, 22), mail="nobody@example.kg")
    box, port = RefusingInbox("nobody@example.kg"), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        first = check_deadlines(engine, today=date(2026, 11, 23), settings=by_smtp(port))
        second = check_deadlines(engine, today=date(2026, 11, 24), settings=by_smtp(port))
    finally:
        controller.stop()
    assert (first.sent, first.refused, second.sent, second.refused) == (1, 1, 0, 0)
    assert box.asked.count("nobody@example.kg") == 1
    assert len(box.to("dean@oshsu.kg")) == 1
    assert [(k, st) for k, _, _, st in notifications_of(engine, case_id)] == [
        ("overdue", "refused"),
        ("escalation_u1", "sent"),
    ]
