"""Checks running at the same time after a day the mail server refused everything: each
letter is sent once (the fault once sent 20 e-mails for 10 reminders)."""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from sapar.services.deadlines import CheckReport, check_deadlines
from storage.db import make_engine
from tests.faults.reminders_helpers import (
    ECONOMICS,
    MailServer,
    add_official,
    letters,
    message_ids,
    nobody_listening,
    returned_students,
)

pytestmark = pytest.mark.postgres


@pytest.mark.parametrize("checks", [2, 3])
def test_checks_run_at_once_after_a_failed_day_send_each_letter_once(
    postgres_engine: Engine, postgres_url: str, tmp_path: Path, checks: int
) -> None:
    engine = postgres_engine
    add_official(engine, "iro", "iro", None)
    add_official(engine, "dean", "dean_office", ECONOMICS)
    returned_students(engine, tmp_path, 2, end=date(2026, 10, 20))  # overdue: 2 × 3 letters
    returned_students(engine, tmp_path, 10, end=date(2026, 10, 26))  # 10 reminders
    failed_day = check_deadlines(engine, today=date(2026, 11, 21), settings=nobody_listening())
    assert failed_day.failed == 16

    reports: list[CheckReport] = []
    spans: list[tuple[float, float]] = []
    start = threading.Barrier(checks)
    with MailServer("accept", delay=0.02) as server:

        def check() -> None:
            own = make_engine(postgres_url)  # a process of its own would have its own pool
            try:
                start.wait(timeout=30)
                began = time.monotonic()
                reports.append(
                    check_deadlines(own, today=date(2026, 11, 22), settings=server.settings())
                )
                spans.append((began, time.monotonic()))
            finally:
                own.dispose()

        runners = [threading.Thread(target=check) for _ in range(checks)]
        for runner in runners:
            runner.start()
        for runner in runners:
            runner.join(timeout=120)
    assert len(reports) == checks, "a check failed or hung"
    # They did overlap: every check began before the first one ended.
    assert max(b for b, _ in spans) < min(e for _, e in spans)
    assert sorted(r.sent for r in reports) == [0] * (checks - 1) + [16]
    written = letters(engine)
    assert len(written) == 16 and {status for *_, status, _ in written} == {"sent"}
    assert server.accepted == Counter(message_ids([i for i, *_ in written]))
