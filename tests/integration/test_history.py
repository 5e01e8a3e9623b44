"""The case history: every step and every refusal, chained so that tampering shows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text

from sapar.services.cases import Actor
from states.guards import RuleViolation
from states.machine import InvalidTransition, NotPermitted
from states.model import Role
from storage import audit
from storage.orm import AuditEventRow
from storage.uow import UnitOfWork
from tests.builders import a_case, a_student
from tests.integration.desk import DEAN, IRO, Desk


@pytest.fixture
def desk(engine: Engine, tmp_path: Path) -> Desk:
    return Desk(engine, tmp_path / "files")


def events(engine: Engine, case_id: int) -> list[AuditEventRow]:
    with UnitOfWork(engine, read_only=True) as uow:
        rows = list(
            uow.session.scalars(
                select(AuditEventRow)
                .where(AuditEventRow.case_id == case_id)
                .order_by(AuditEventRow.seq)
            )
        )
        uow.session.expunge_all()  # keep them readable after the unit of work ends
        return rows


def test_a_refused_step_is_written_to_the_history_and_changes_nothing_else(
    desk: Desk, engine: Engine
) -> None:
    case_id = desk.open(a_case(a_student(gpa=2.8)))
    with pytest.raises(RuleViolation, match=re.escape("GPA 2.8 is not above 3 — 4.8, ФД duties")):
        desk.step(case_id, "nominate", DEAN)
    with UnitOfWork(engine) as uow:
        case = uow.cases.get(case_id)
        assert (case.state, case.version) == ("application", 0)
    last = events(engine, case_id)[-1]
    assert (last.event, last.outcome, last.role) == ("nominate", "refused", "dean_office")
    assert last.reason is not None and "GPA 2.8 is not above 3" in last.reason


def test_a_step_by_the_wrong_role_and_an_impossible_step_are_both_logged(
    desk: Desk, engine: Engine
) -> None:
    case_id = desk.open(a_case())
    with pytest.raises(NotPermitted):
        desk.step(case_id, "nominate", Actor("Accountant", Role.accounting))
    with pytest.raises(InvalidTransition):
        desk.step(case_id, "depart", IRO)
    assert [(e.event, e.outcome) for e in events(engine, case_id)] == [
        ("open", "applied"),
        ("nominate", "refused"),
        ("depart", "refused"),
    ]


def test_history_records_who_when_what_from_and_to(desk: Desk, engine: Engine) -> None:
    case_id = desk.open(a_case())
    desk.step(case_id, "withdraw", IRO, reason="went to another programme")
    last = events(engine, case_id)[-1]
    assert (last.actor, last.role, last.event) == (IRO.name, "iro", "withdraw")
    assert (last.from_state, last.to_state, last.reason) == (
        "application",
        "withdrawn",
        "went to another programme",
    )
    assert last.at is not None
    assert last.prev_hash == events(engine, case_id)[-2].hash


def test_the_database_refuses_to_change_or_delete_a_history_event(
    desk: Desk, engine: Engine
) -> None:
    case_id = desk.open(a_case())
    for statement in ("UPDATE audit_events SET actor = 'x'", "DELETE FROM audit_events"):
        with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
            conn.execute(text(statement + f" WHERE case_id = {case_id}"))


def _drop_append_only_guard(engine: Engine) -> None:
    """What someone with the database owner's rights could do."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events"))
        else:
            conn.execute(text("DROP TRIGGER audit_events_no_update"))
            conn.execute(text("DROP TRIGGER audit_events_no_delete"))


@pytest.mark.parametrize(
    ("tampering", "broken_seq", "problem"),
    [
        ("UPDATE audit_events SET reason = 'forged' WHERE seq = 2", 2, "changed after"),
        ("UPDATE audit_events SET to_state = 'closed' WHERE seq = 3", 3, "changed after"),
        ("DELETE FROM audit_events WHERE seq = 2", 2, "missing"),
    ],
)
def test_a_tampered_history_is_detected_at_the_first_broken_link(
    desk: Desk, engine: Engine, tampering: str, broken_seq: int, problem: str
) -> None:
    case_id = desk.open(a_case())
    with pytest.raises(RuleViolation):
        desk.step(case_id, "nominate", DEAN)
    desk.step(case_id, "withdraw", IRO, reason="changed her mind")
    with UnitOfWork(engine) as uow:
        assert audit.verify(uow.session, case_id).intact
    _drop_append_only_guard(engine)
    with engine.begin() as conn:
        conn.execute(text(tampering + f" AND case_id = {case_id}"))
    with UnitOfWork(engine) as uow:
        report = audit.verify(uow.session, case_id)
    assert report.first_broken_seq == broken_seq
    assert problem in (report.problem or "")


def test_a_rehashed_forgery_still_breaks_the_next_link(desk: Desk, engine: Engine) -> None:
    case_id = desk.open(a_case())
    desk.step(case_id, "withdraw", IRO, reason="true reason")
    with pytest.raises(InvalidTransition):
        desk.step(case_id, "nominate", DEAN)
    _drop_append_only_guard(engine)
    with UnitOfWork(engine) as uow:
        row = uow.session.scalars(
            select(AuditEventRow).where(AuditEventRow.case_id == case_id, AuditEventRow.seq == 2)
        ).one()
        row.reason = "forged reason"
        row.hash = audit.event_hash(row)  # the forger recomputes this row's hash...
        uow.commit()
    with UnitOfWork(engine) as uow:
        report = audit.verify(uow.session, case_id)
    assert report.first_broken_seq == 3  # ...but event 3 still points at the old one
