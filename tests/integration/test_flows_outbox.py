"""What the sweep takes from the outbox, its retry schedule, and the web's retry button (no
Prefect here)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from sapar.services import issuing
from sapar.services.outbox import (
    MAX_DELAY,
    RETRY_WINDOW,
    NothingToRetry,
    after_failure,
    case_outbox,
    items_to_sweep,
    retry_delay,
    retry_effect,
)
from storage.files import FileStore
from storage.orm import OutboxRow
from storage.uow import UnitOfWork
from tests.builders import a_case
from tests.integration.desk import Desk

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def queued(engine: Engine, case_id: int, *states: tuple[str, int]) -> list[int]:
    """Items in the given states; a failed one failed `attempts` times, the first at T0."""
    ids = []
    with UnitOfWork(engine) as uow:
        for status, attempts in states:
            row = OutboxRow(
                case_id=case_id,
                kind="render_document",
                payload={"document": "mobility_order"},
                status="pending" if status == "failed" else status,
                attempts=0 if status == "failed" else attempts,
                created_at=T0,
            )
            at = T0
            for _ in range(attempts if status == "failed" else 0):
                after_failure(row, at)
                at = row.next_attempt_at or at
            uow.session.add(row)
            uow.session.flush()
            ids.append(row.id)
        uow.commit()
    return ids


def test_retries_back_off_up_to_an_hour_apart_for_three_days() -> None:
    assert [retry_delay(n) for n in (1, 2, 3, 7)] == [
        timedelta(minutes=1),
        timedelta(minutes=2),
        timedelta(minutes=4),
        timedelta(hours=1),
    ]
    assert retry_delay(50) == MAX_DELAY
    item = OutboxRow(status="pending", attempts=0)
    at, tries = T0, 0
    while True:
        after_failure(item, at)
        tries += 1
        if item.next_attempt_at is None:
            break
        at = item.next_attempt_at
    assert at - T0 <= RETRY_WINDOW < at - T0 + MAX_DELAY + timedelta(minutes=1)
    assert 70 <= tries <= 80, "about three days of hourly tries after the first hour"


def test_a_prefect_retry_of_the_same_try_spends_no_attempt() -> None:
    item = OutboxRow(status="pending", attempts=0)
    after_failure(item, T0)
    scheduled = item.next_attempt_at
    for seconds in (5, 35, 155):  # the task's own retries within the flow run
        after_failure(item, T0 + timedelta(seconds=seconds), count_attempt=False)
    assert item.attempts == 1
    assert item.next_attempt_at == scheduled + timedelta(seconds=155)


def test_the_sweep_takes_pending_items_and_failed_ones_whose_retry_is_due(
    engine: Engine, tmp_path: Path
) -> None:
    case_id = Desk(engine, tmp_path).open(a_case())
    pending, _done, failed_once, failed_twice = queued(
        engine, case_id, ("pending", 0), ("done", 1), ("failed", 1), ("failed", 2)
    )
    assert items_to_sweep(engine, now=T0) == [pending]
    # failed once at T0: due at T0+1'; failed twice (T0, T0+1'): due at T0+3'
    assert items_to_sweep(engine, now=T0 + timedelta(minutes=1)) == [pending, failed_once]
    assert items_to_sweep(engine, now=T0 + timedelta(minutes=3)) == [
        pending,
        failed_once,
        failed_twice,
    ]


def test_an_item_that_failed_for_three_days_waits_for_the_retry_button(
    engine: Engine, tmp_path: Path
) -> None:
    case_id = Desk(engine, tmp_path).open(a_case())
    [given_up] = queued(engine, case_id, ("failed", 200))
    assert items_to_sweep(engine, now=T0 + RETRY_WINDOW * 2) == []
    retry_effect(engine, given_up)  # a person pressed "retry"
    assert items_to_sweep(engine, now=T0 + RETRY_WINDOW * 2) == [given_up]
    assert [(i.id, i.status) for i in case_outbox(engine, case_id)][-1] == (given_up, "pending")


def test_the_retry_button_refuses_items_that_are_not_failed(engine: Engine, tmp_path: Path) -> None:
    case_id = Desk(engine, tmp_path).open(a_case())
    [done] = queued(engine, case_id, ("done", 1))
    with pytest.raises(NothingToRetry, match="is done, not failed"):
        retry_effect(engine, done)
    with pytest.raises(NothingToRetry, match="does not exist"):
        retry_effect(engine, done + 1000)
    assert items_to_sweep(engine) == []


def test_a_permanent_failure_is_not_retried_automatically(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class MissingData(ValueError):
        permanent = True  # an error that cannot pass by itself says so on its class

    def render_fails(*_args: object, **_kwargs: object) -> None:
        raise MissingData("participant.group_name is missing")

    monkeypatch.setattr(issuing, "build_context", render_fails)
    case_id = Desk(engine, tmp_path).open(a_case())
    [item] = queued(engine, case_id, ("pending", 0))
    with pytest.raises(MissingData):
        issuing.execute_effect(engine, FileStore(tmp_path / "files"), item, now=T0)
    [line] = case_outbox(engine, case_id)
    assert (line.status, line.attempts, line.next_attempt_at) == ("failed", 1, None)
    assert items_to_sweep(engine, now=T0 + RETRY_WINDOW) == []
