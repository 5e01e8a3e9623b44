"""Closing a case does not mark a duty done that nobody fulfilled (13.7)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from storage.uow import UnitOfWork
from tests.builders import a_case
from tests.integration.desk import Desk


def test_closing_a_case_lets_open_duties_lapse_and_keeps_overdue_ones_overdue(
    engine: Engine, tmp_path: Path
) -> None:
    case_id = Desk(engine, tmp_path).open(a_case())
    with UnitOfWork(engine) as uow:
        uow.cases.open_deadline(case_id, "student_report", date(2026, 7, 30))
        uow.cases.open_deadline(case_id, "distance_exams_spring", date(2026, 6, 30))
        uow.cases.open_deadline(case_id, "expense_report", date(2026, 7, 7))
        uow.cases.close_deadline(case_id, "expense_report")  # handed in: met
        uow.commit()
    with UnitOfWork(engine) as uow:
        for row in uow.cases.deadlines(case_id):
            if row.kind == "student_report":
                row.status = "overdue"  # the check found it late
        uow.commit()
    with UnitOfWork(engine) as uow:
        uow.cases.close_deadline(case_id, "*")  # what `close` and `decide_recognition` do
        uow.commit()
    with UnitOfWork(engine, read_only=True) as uow:
        statuses = {d.kind: d.status for d in uow.cases.deadlines(case_id)}
    assert statuses == {
        "student_report": "overdue",
        "distance_exams_spring": "void",
        "expense_report": "met",
    }
