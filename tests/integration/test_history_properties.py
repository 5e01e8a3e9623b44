"""Through the service layer, random steps never lose or reorder a history event."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from sapar.services.cases import Actor
from states.kinds import DEFINITIONS
from states.model import CaseKind, Role
from storage import audit
from storage.orm import AuditEventRow
from storage.uow import UnitOfWork
from tests.builders import a_case
from tests.integration.desk import Desk

EVENTS = sorted({s.event for s in DEFINITIONS[CaseKind.outgoing_student_long].steps})


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=st.lists(st.tuples(st.sampled_from(EVENTS), st.sampled_from(list(Role))), max_size=12))
def test_every_attempt_is_in_the_history_once_and_in_order(
    sqlite_engine: Engine, tmp_path: Path, steps: list[tuple[str, Role]]
) -> None:
    desk = Desk(sqlite_engine, tmp_path)
    case_id = desk.open(a_case())
    for event, role in steps:
        try:
            desk.step(
                case_id,
                event,
                Actor("clerk", role),
                reason="r",
                actual_end_date=date(2026, 6, 30),
                failed_credits=0,
            )
        except Exception as exc:  # every refusal kind is expected here
            assert type(exc).__name__ in {"RuleViolation", "NotPermitted", "InvalidTransition"}, exc
    with UnitOfWork(sqlite_engine) as uow:
        rows = list(
            uow.session.scalars(
                select(AuditEventRow)
                .where(AuditEventRow.case_id == case_id)
                .order_by(AuditEventRow.id)
            )
        )
        assert [r.event for r in rows] == ["open"] + [e for e, _ in steps]
        assert [r.seq for r in rows] == list(range(1, len(steps) + 2))
        applied = [r for r in rows if r.outcome == "applied"]
        assert uow.cases.get(case_id).version == len(applied) - 1
        assert audit.verify(uow.session, case_id).intact
