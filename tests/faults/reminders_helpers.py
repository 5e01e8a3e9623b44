"""What the reminder fault tests share: a mail server of their own that can refuse, hang or
accept, counting what it accepted by Message-ID; and returned students whose reports fall
due, built through the same service calls the desk uses."""

from __future__ import annotations

import asyncio
import email
import socket
import sys
import threading
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email import policy
from pathlib import Path

from aiosmtpd.controller import Controller
from sqlalchemy import Engine, select

from sapar.config import Settings
from sapar.services.senders import message_id
from states.dossier import DocumentKind as D
from storage.orm import NotificationRow, UserRow
from storage.uow import UnitOfWork
from tests.builders import LONG_STAY_PAPERS, a_case, a_student
from tests.integration.desk import DEAN, IRO, Desk

ECONOMICS = "Экономика факультети"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def mail_settings(port: int, **overrides: object) -> Settings:
    return Settings(smtp_host="127.0.0.1", smtp_port=port, _env_file=None, **overrides)  # type: ignore[call-arg]


def nobody_listening() -> Settings:
    """A mail server that is down: nothing accepts connections on its port."""
    return mail_settings(free_port())


class MailServer:
    """An SMTP server on a free port. `mode`: "accept"; "greylist" (451 at RCPT, as a
    server under load says "try later"); "hang" (takes the letter's data and never
    answers, as a server does while the sender is killed)."""

    def __init__(self, mode: str = "accept", delay: float = 0.0) -> None:
        self.mode, self.delay = mode, delay
        # Switch to "hang" by itself once this many letters were accepted.
        self.hang_after: int | None = None
        self.accepted: Counter[str] = Counter()  # Message-ID → times accepted (250)
        self.by_recipient: Counter[str] = Counter()
        self.refused = 0
        self.hanging = 0
        self.release = threading.Event()
        self.port = free_port()
        self._guard = threading.Lock()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> MailServer:
        self._controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self._controller.stop()

    def settings(self, **overrides: object) -> Settings:
        return mail_settings(self.port, **overrides)

    async def handle_RCPT(
        self, server: object, session: object, envelope: object, address: str, options: object
    ) -> str:
        if self.mode == "greylist":
            with self._guard:
                self.refused += 1
            return "451 4.7.1 greylisted, try again later"
        envelope.rcpt_tos.append(address)  # type: ignore[attr-defined]
        return "250 OK"

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        with self._guard:
            if self.hang_after is not None and sum(self.accepted.values()) >= self.hang_after:
                self.mode, self.hang_after = "hang", None
            hangs = self.mode == "hang"
            if hangs:
                self.hanging += 1
        if hangs:
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            return "451 4.3.0 the sender went away"  # never counted as delivered
        if self.delay:
            await asyncio.sleep(self.delay)
        message = email.message_from_bytes(envelope.content, policy=policy.default)  # type: ignore[attr-defined]
        with self._guard:
            self.accepted[str(message["Message-ID"])] += 1
            for rcpt in envelope.rcpt_tos:  # type: ignore[attr-defined]
                self.by_recipient[rcpt] += 1
        return "250 OK"

    def total(self) -> int:
        with self._guard:
            return sum(self.accepted.values())


def add_official(engine: Engine, username: str, role: str, faculty: str | None) -> str:
    mail = f"{username}@oshsu.kg"
    with UnitOfWork(engine) as uow:
        uow.session.add(
            UserRow(
                username=username, full_name=username, password_hash="-", role=role,
                faculty=faculty, email=mail, language="ky", active=True, failed_logins=0,
                created_at=datetime.now(UTC),
            )
        )  # fmt: skip
        uow.commit()
    return mail


@dataclass(frozen=True)
class Student:
    case_id: int
    mail: str


def returned_students(engine: Engine, files: Path, count: int, *, end: date) -> list[Student]:
    """`count` students back from a semester abroad on `end`: each owes the dean's office
    the results one month later."""
    desk = Desk(engine, files)
    students = []
    for i in range(count):
        mail = f"student{i}.{end:%m%d}@example.kg"
        case_id = desk.open(
            a_case(
                a_student(full_name=f"Студент {end:%m%d} №{i}", email=mail),
                start_date=end - timedelta(days=120),
                end_date=end,
            )
        )
        desk.hand_in(case_id, *LONG_STAY_PAPERS)
        desk.step(case_id, "nominate", DEAN)
        desk.hand_in(case_id, D.invitation_letter, D.dean_nomination)
        desk.step(case_id, "receive_invitation", IRO)
        desk.step(case_id, "issue_order", IRO)
        desk.hand_in(case_id, D.mobility_order)
        desk.step(case_id, "depart", IRO)
        desk.step(case_id, "return_home", IRO, actual_end_date=end)
        students.append(Student(case_id, mail))
    return students


def letters(engine: Engine) -> list[tuple[int, str, str | None, str, int]]:
    """(id, kind, recipient, status, attempts) of every e-mail letter written."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                NotificationRow.id, NotificationRow.kind, NotificationRow.recipient,
                NotificationRow.status, NotificationRow.attempts,
            )
            .where(NotificationRow.channel == "email")
            .order_by(NotificationRow.id)
        ).all()  # fmt: skip
    return [(r[0], r[1], r[2], r[3], r[4]) for r in rows]


def message_ids(ids: list[int]) -> list[str]:
    """The Message-ID each letter goes out with (the same on every attempt)."""
    sender = Settings(_env_file=None).smtp_from  # type: ignore[call-arg]
    return [message_id(i, sender) for i in ids]


def main() -> None:
    """`python -m tests.faults.reminders_helpers URL PORT DAY`: one check, as the daily flow
    runs it, in a process of its own (so that a test can kill it)."""
    from sapar.services.deadlines import check_deadlines
    from storage.db import make_engine

    url, port, day = sys.argv[1], int(sys.argv[2]), date.fromisoformat(sys.argv[3])
    settings = Settings(smtp_host="127.0.0.1", smtp_port=port, smtp_senders=2, _env_file=None)  # type: ignore[call-arg]
    print("checking", flush=True)
    check_deadlines(make_engine(url), today=day, settings=settings)


if __name__ == "__main__":
    main()
