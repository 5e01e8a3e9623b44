"""A mail server that refuses letters for days, then takes them: every letter arrives once."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from sapar.services.deadlines import check_deadlines
from states.dossier import DocumentKind as D
from tests.faults.reminders_helpers import (
    ECONOMICS,
    MailServer,
    add_official,
    letters,
    message_ids,
    nobody_listening,
    returned_students,
)
from tests.integration.desk import DEAN, Desk

pytestmark = pytest.mark.postgres

# Back on Oct 20: results due Nov 20, overdue from Nov 21. Back on Oct 26: due Nov 26.
OVERDUE_END, SOON_END = date(2026, 10, 20), date(2026, 10, 26)


@pytest.mark.parametrize("refusal", ["greylisting", "server down"])
def test_each_letter_refused_for_two_days_arrives_exactly_once_when_the_server_takes_mail(
    postgres_engine: Engine, tmp_path: Path, refusal: str
) -> None:
    engine = postgres_engine
    dean = add_official(engine, "dean", "dean_office", ECONOMICS)
    iro = add_official(engine, "iro", "iro", None)
    late = returned_students(engine, tmp_path, 4, end=OVERDUE_END)
    soon = returned_students(engine, tmp_path, 6, end=SOON_END)

    for day in (21, 22):
        if refusal == "greylisting":
            with MailServer("greylist") as refusing:
                report = check_deadlines(
                    engine, today=date(2026, 11, day), settings=refusing.settings()
                )
            assert refusing.total() == 0 and refusing.refused == 18
        else:
            nobody = nobody_listening()
            report = check_deadlines(engine, today=date(2026, 11, day), settings=nobody)
        assert (report.sent, report.failed) == (0, 18)

    with MailServer("accept") as server:
        taken = check_deadlines(engine, today=date(2026, 11, 23), settings=server.settings())
        again = check_deadlines(engine, today=date(2026, 11, 23), settings=server.settings())
        tomorrow = check_deadlines(engine, today=date(2026, 11, 24), settings=server.settings())

    written = letters(engine)
    # 4 overdue notices, 8 escalations (dean's office and ЭАБД for each), 6 reminders.
    assert Counter(kind.split("_u")[0] for _, kind, *_ in written) == {
        "overdue": 4, "escalation": 8, "before_7": 6,
    }  # fmt: skip
    assert (taken.sent, again.sent, tomorrow.sent) == (18, 0, 0)
    assert {status for *_, status, _ in written} == {"sent"}
    assert server.accepted == Counter(message_ids([i for i, *_ in written]))
    assert server.by_recipient == Counter({dean: 4, iro: 4, **{s.mail: 1 for s in late + soon}})
    assert {attempts for *_, attempts in written} == {3}


def test_overdue_notices_refused_for_days_arrive_once_unless_the_duty_was_met_meanwhile(
    postgres_engine: Engine, tmp_path: Path
) -> None:
    engine = postgres_engine
    iro = add_official(engine, "iro", "iro", None)
    late = returned_students(engine, tmp_path, 3, end=OVERDUE_END)
    nobody = nobody_listening()
    for day in (21, 22, 23):
        assert check_deadlines(engine, today=date(2026, 11, day), settings=nobody).failed == 6
    # Meanwhile the first student hands in her results: her letters are no longer needed.
    desk = Desk(engine, tmp_path)
    met_case = late[0].case_id
    desk.hand_in(met_case, D.host_transcript, D.certificate, actor=DEAN)
    desk.step(met_case, "start_recognition", DEAN)

    with MailServer("accept") as server:
        report = check_deadlines(engine, today=date(2026, 11, 24), settings=server.settings())
    assert (report.sent, report.dropped) == (4, 2)
    assert server.by_recipient == Counter({iro: 2, late[1].mail: 1, late[2].mail: 1})
    assert sorted(status for *_, status, _ in letters(engine)) == ["moot"] * 2 + ["sent"] * 4
