"""Deadline checks run one at a time: a second one waits for the first, or stops saying why."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import Engine

from sapar.config import Settings
from sapar.services.deadlines import LOCK, check_deadlines
from storage.locks import StillRunning, one_at_a_time
from tests.integration.desk import TODAY


def settings(wait: float) -> Settings:
    return Settings(smtp_host=None, deadline_check_wait_seconds=wait, _env_file=None)  # type: ignore[call-arg]


def test_a_second_check_waits_for_the_running_one_and_then_runs(engine: Engine) -> None:
    finished = threading.Event()

    def second() -> None:
        check_deadlines(engine, today=TODAY, settings=settings(wait=30))
        finished.set()

    with one_at_a_time(engine, LOCK, wait_seconds=1):
        runner = threading.Thread(target=second)
        runner.start()
        time.sleep(0.5)
        assert not finished.is_set()
    runner.join(timeout=30)
    assert finished.is_set()


def test_a_check_that_waited_too_long_stops_naming_the_running_one(engine: Engine) -> None:
    with (
        one_at_a_time(engine, LOCK, wait_seconds=1),
        pytest.raises(StillRunning, match="another 'check-deadlines' is still running after 0 s"),
    ):
        check_deadlines(engine, today=TODAY, settings=settings(wait=0.3))
    # Released: the next one runs at once.
    check_deadlines(engine, today=TODAY, settings=settings(wait=0))
