"""What the sweep takes from the outbox, and the web's retry button (no Prefect here)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from sapar.services.outbox import (
    MAX_AUTOMATIC_ATTEMPTS,
    NothingToRetry,
    case_outbox,
    items_to_sweep,
    retry_effect,
)
from storage.orm import OutboxRow
from storage.uow import UnitOfWork
from tests.builders import a_case
from tests.integration.desk import Desk


def queued(engine: Engine, case_id: int, *states: tuple[str, int]) -> list[int]:
    ids = []
    with UnitOfWork(engine) as uow:
        for status, attempts in states:
            row = OutboxRow(
                case_id=case_id,
                kind="render_document",
                payload={"document": "mobility_order"},
                status=status,
                attempts=attempts,
                last_error="TemplateError: boom" if status == "failed" else None,
                created_at=datetime.now(UTC),
            )
            uow.session.add(row)
            uow.session.flush()
            ids.append(row.id)
        uow.commit()
    return ids


def test_the_sweep_takes_pending_and_failed_items_until_they_failed_too_often(
    engine: Engine, tmp_path: Path
) -> None:
    case_id = Desk(engine, tmp_path).open(a_case())
    pending, _done, failing, given_up = queued(
        engine,
        case_id,
        ("pending", 0),
        ("done", 1),
        ("failed", MAX_AUTOMATIC_ATTEMPTS - 1),
        ("failed", MAX_AUTOMATIC_ATTEMPTS),
    )

    assert items_to_sweep(engine) == [pending, failing]

    retry_effect(engine, given_up)  # a person pressed "retry"
    assert items_to_sweep(engine) == [pending, failing, given_up]
    assert [(i.id, i.status) for i in case_outbox(engine, case_id)][-1] == (given_up, "pending")


def test_the_retry_button_refuses_items_that_are_not_failed(engine: Engine, tmp_path: Path) -> None:
    case_id = Desk(engine, tmp_path).open(a_case())
    [done] = queued(engine, case_id, ("done", 1))
    with pytest.raises(NothingToRetry, match="is done, not failed"):
        retry_effect(engine, done)
    with pytest.raises(NothingToRetry, match="does not exist"):
        retry_effect(engine, done + 1000)
    assert items_to_sweep(engine) == []
