"""The database kills the service's connections in the middle of steps (pg_terminate_backend,
as a restart or an administrator would): every step is then either wholly applied or not at
all, the histories hold, and the service answers again at once — without a ping per step."""

from __future__ import annotations

import contextlib
import threading
import time
from collections import Counter
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, event, select, text

from sapar.services.cases import fire, open_case
from states.machine import InvalidTransition
from storage import audit
from storage.db import make_engine
from storage.orm import AuditEventRow, CaseRow
from storage.uow import UnitOfWork
from tests.builders import a_case
from tests.faults.conftest import LiveOffice
from tests.integration.desk import IRO, TODAY
from tests.integration.office import student_case

pytestmark = pytest.mark.postgres
APP = "sapar-fault-victim"
KILL_ALL = (
    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
    "WHERE datname = current_database() AND pid <> pg_backend_pid() {extra}"
)


STILL_THERE = (
    "SELECT count(*) FROM pg_stat_activity "
    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
)


def test_steps_whose_connections_are_killed_are_applied_wholly_or_not_at_all(
    postgres_url: str, postgres_engine: Engine
) -> None:
    victim = make_engine(postgres_url, connect_args={"application_name": APP})
    cases = [open_case(postgres_engine, actor=IRO, case=a_case()) for _ in range(12)]
    stop = threading.Event()
    killed = 0

    def killer() -> None:
        nonlocal killed
        with postgres_engine.connect() as conn:
            while not stop.is_set():
                killed += conn.execute(
                    text(KILL_ALL.format(extra=f"AND application_name = '{APP}'"))
                ).scalar_one()
                conn.commit()
                time.sleep(0.003)

    outcomes: Counter[str] = Counter()

    def clerk(case_id: int) -> None:
        try:
            fire(victim, case_id=case_id, event="withdraw", actor=IRO,
                 payload={"reason": "killed?"}, today=TODAY)  # fmt: skip
            outcomes["applied"] += 1
        except Exception as exc:
            outcomes[type(exc).__name__] += 1

    thread = threading.Thread(target=killer)
    thread.start()
    try:
        clerks = [threading.Thread(target=clerk, args=(c,)) for c in cases]
        for c in clerks:
            c.start()
        for c in clerks:
            c.join(timeout=60)
    finally:
        stop.set()
        thread.join(timeout=10)
    assert killed > 0, "the fault was injected"
    assert set(outcomes) <= {"applied", "OperationalError"}, outcomes
    # Every case: applied exactly once or not at all; its history holds either way. A clerk
    # who got an error tries again and sees where the case is.
    for case_id in cases:
        with UnitOfWork(postgres_engine, read_only=True) as uow:
            assert audit.verify(uow.session, case_id).intact
        with contextlib.suppress(InvalidTransition):  # refused: it had been applied
            fire(postgres_engine, case_id=case_id, event="withdraw", actor=IRO,
                 payload={"reason": "again"}, today=TODAY)  # fmt: skip
        with UnitOfWork(postgres_engine, read_only=True) as uow:
            applied = uow.session.scalars(
                select(AuditEventRow.event).where(
                    AuditEventRow.case_id == case_id, AuditEventRow.outcome == "applied"
                )
            ).all()
            assert applied == ["open", "withdraw"], applied
            assert uow.session.get(CaseRow, case_id).state == "withdrawn"  # type: ignore[union-attr]
            assert audit.verify(uow.session, case_id).intact
    victim.dispose()


def test_after_its_pooled_connections_were_killed_the_next_step_answers(
    live_office: LiveOffice, postgres_engine: Engine
) -> None:
    office = live_office.office
    case_id = office.open("iro", student_case())
    with httpx.Client(base_url=live_office.url, timeout=30) as http:
        assert http.get(f"/api/cases/{case_id}", headers=live_office.auth("iro")).is_success
        with postgres_engine.connect() as conn:  # a restart, as the pool sees it
            assert conn.execute(text(KILL_ALL.format(extra=""))).scalar_one() > 0
            conn.commit()
            # pg_terminate_backend only signals: on a loaded machine a backend may still be
            # exiting when the next request checks its connection out. A restart is over when
            # the old backends are gone, so wait for that (their sockets are closed then).
            gone_by = time.monotonic() + 10
            while time.monotonic() < gone_by and conn.execute(text(STILL_THERE)).scalar_one():
                conn.commit()
                time.sleep(0.05)
        postgres_engine.dispose()
        answer = http.post(
            f"/api/cases/{case_id}/events",
            json={"event": "withdraw", "expected_version": 0, "reason": "after the restart"},
            headers=live_office.auth("iro"),
        )
        assert answer.status_code == 200, answer.text
        again = [
            http.get(f"/api/cases/{case_id}", headers=live_office.auth("iro")).status_code
            for _ in range(3)
        ]
        assert again == [200, 200, 200], "the dead connections were left out of the pool"


def test_a_step_whose_connection_dies_before_its_first_statement_starts_over_once(
    postgres_url: str, postgres_engine: Engine
) -> None:
    victim = make_engine(postgres_url)
    case_id = open_case(postgres_engine, actor=IRO, case=a_case())
    kills: list[int] = []

    @event.listens_for(victim, "checkout")
    def kill_once(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
        # After the pool's own check: the backend dies between checkout and the step's
        # first statement, the one moment a retry can know nothing was written.
        if not kills:
            kills.append(dbapi_conn.info.backend_pid)
            with postgres_engine.connect() as conn:
                conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": kills[0]})
                conn.commit()
            time.sleep(0.05)

    lost: list[object] = []
    event.listen(victim, "invalidate", lambda *args: lost.append(args))
    result = fire(victim, case_id=case_id, event="withdraw", actor=IRO,
                  payload={"reason": "once"}, today=TODAY)  # fmt: skip
    assert result.to_state == "withdrawn" and len(kills) == 1
    assert lost, "the first try did hit the dead connection"
    with UnitOfWork(postgres_engine, read_only=True) as uow:
        report = audit.verify(uow.session, case_id)
        assert report.intact and report.events == 2
    victim.dispose()
