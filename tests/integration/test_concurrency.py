"""Two clerks at one case at the same moment: exactly one step applies, on PostgreSQL."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import Engine

from sapar.services.cases import Actor, fire
from states.machine import InvalidTransition
from storage import audit
from storage.repository import ConcurrencyConflict
from storage.uow import UnitOfWork
from tests.builders import a_case
from tests.integration.desk import DEAN, IRO, TODAY, Desk


def race(engine: Engine, case_id: int, *, expected_version: int | None) -> list[str]:
    """An ЭАБД clerk withdraws and a dean's office rejects the same case at the same moment."""
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def clerk(event: str, actor: Actor) -> None:
        barrier.wait()
        try:
            fire(
                engine,
                case_id=case_id,
                event=event,
                actor=actor,
                payload={"reason": "r"},
                today=TODAY,
                expected_version=expected_version,
            )
            outcomes.append("applied")
        except ConcurrencyConflict:
            outcomes.append("conflict")
        except InvalidTransition:
            outcomes.append("too late")

    threads = [
        threading.Thread(target=clerk, args=a) for a in (("withdraw", IRO), ("reject", DEAN))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


@pytest.mark.postgres
@pytest.mark.parametrize("expected_version", [0, None])
def test_two_concurrent_steps_on_one_case_leave_exactly_one_applied(
    postgres_engine: Engine, tmp_path: Path, expected_version: int | None
) -> None:
    desk = Desk(postgres_engine, tmp_path)
    for _ in range(15):
        case_id = desk.open(a_case())
        outcomes = race(postgres_engine, case_id, expected_version=expected_version)
        assert outcomes.count("applied") == 1, outcomes
        with UnitOfWork(postgres_engine) as uow:
            case = uow.cases.get(case_id)
            assert case.version == 1
            assert case.state in ("withdrawn", "rejected")
            report = audit.verify(uow.session, case_id)
            assert report.intact
            # open + the applied step + the loser's refusal: nothing half-written
            assert report.events == 3
