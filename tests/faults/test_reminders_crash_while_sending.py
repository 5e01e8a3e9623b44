"""A check killed (kill -9) while it sends: what it had not handed over is sent by the next
check, once; what the server had taken is not sent again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from sapar.services.deadlines import check_deadlines
from tests.faults.reminders_helpers import (
    ECONOMICS,
    MailServer,
    add_official,
    letters,
    message_ids,
    returned_students,
)

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
DAY = date(2026, 11, 23)  # the reports of students back on Oct 22 were due yesterday
TAKEN_BEFORE_THE_CRASH = 5


def test_a_check_killed_while_sending_leaves_its_letters_to_the_next_which_sends_each_once(
    postgres_engine: Engine, postgres_url: str, tmp_path: Path
) -> None:
    engine = postgres_engine
    add_official(engine, "dean", "dean_office", ECONOMICS)
    add_official(engine, "iro", "iro", None)
    returned_students(engine, tmp_path, 5, end=date(2026, 10, 22))  # 5 × 3 letters

    with MailServer("accept") as server:
        # The server takes five letters, then hangs on the next ones: the check is killed
        # in the middle of handing a letter over.
        server.hang_after = TAKEN_BEFORE_THE_CRASH
        checking = subprocess.Popen(
            [sys.executable, "-m", "tests.faults.reminders_helpers", postgres_url,
             str(server.port), DAY.isoformat()],
            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip
        try:
            _wait_until_hanging(engine, server, checking)
            checking.send_signal(signal.SIGKILL)
            checking.wait(timeout=10)
        finally:
            if checking.poll() is None:
                checking.kill()
        before = letters(engine)
        taken = dict(server.accepted)
        server.mode = "accept"
        server.release.set()

        report = check_deadlines(engine, today=DAY, settings=server.settings())
        check_deadlines(engine, today=DAY, settings=server.settings())

    assert sum(taken.values()) == TAKEN_BEFORE_THE_CRASH
    sent_before = [i for i, *_, status, _ in before if status == "sent"]
    # Each letter the server took was marked sent before the sender took the next one.
    assert Counter(message_ids(sent_before)) == Counter(taken)
    left = [i for i, *_, status, _ in before if status != "sent"]
    assert len(left) == 15 - TAKEN_BEFORE_THE_CRASH and report.sent == len(left)
    after = letters(engine)
    assert {status for *_, status, _ in after} == {"sent"}
    # Every letter exactly once at the server, over both checks.
    assert server.accepted == Counter(message_ids([i for i, *_ in after]))


def _wait_until_hanging(
    engine: Engine, server: MailServer, checking: subprocess.Popen[bytes]
) -> None:
    """Until a sender hangs and every letter the server took is marked sent (so no sender is
    between the server's "250" and its own commit): bounded to a minute."""
    deadline = time.monotonic() + 60
    while not (
        server.hanging
        and sum(1 for *_, status, _ in letters(engine) if status == "sent") == server.total()
    ):
        _still_running(checking, deadline)
        time.sleep(0.05)


def _still_running(checking: subprocess.Popen[bytes], deadline: float) -> None:
    if checking.poll() is not None:
        _, err = checking.communicate()
        pytest.fail(f"the check ended before it could be killed: {err.decode()[-2000:]}")
    if time.monotonic() > deadline:
        pytest.fail("the check did not reach the mail server within 60 s")
