"""Every text column a user can fill has a length, in the models and in the database; input
longer than that is a 422 naming the field, never a 5xx (issue 14, point 2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, String, inspect, select, text
from sqlalchemy.exc import DataError

from sapar.services.cases import log_refusal
from states.machine import NotPermitted
from storage.orm import AuditEventRow, Base
from storage.uow import UnitOfWork
from tests.builders import a_case
from tests.integration.desk import IRO, Desk
from tests.integration.office import Office, student_case

# Text the system writes for itself, never typed by a user (an error it caught, a reminder
# it composed from bounded fields): the only columns left without a length.
SYSTEM_WRITTEN = {"outbox.last_error", "notifications.body", "notifications.error"}
BOUNDED_BY_0013 = {("audit_events", "reason"), ("access_log", "reason"), ("agreements", "notes")}


def test_no_text_column_a_user_can_fill_is_unbounded_in_the_models() -> None:
    unbounded = {
        f"{table.name}.{column.name}"
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, String) and column.type.length is None
    }
    assert unbounded == SYSTEM_WRITTEN


def test_the_database_carries_the_lengths_too(engine: Engine) -> None:
    found = inspect(engine)
    for table, name in BOUNDED_BY_0013:
        column = next(c for c in found.get_columns(table) if c["name"] == name)
        assert getattr(column["type"], "length", None) == 2000, (table, name, column["type"])


@pytest.mark.postgres
def test_postgresql_itself_refuses_a_reason_over_the_limit(postgres_engine: Engine) -> None:
    with pytest.raises(DataError), postgres_engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO access_log (at, actor, role, action, reason) "
                "VALUES (now(), 'x', 'iro', 'view', :reason)"
            ),
            {"reason": "я" * 2001},
        )


def test_a_reason_over_2000_characters_is_a_422_naming_it_and_nothing_is_recorded(
    office: Office,
) -> None:
    case_id = office.open("iro", student_case())
    answer = office.fire("iro", case_id, "withdraw", reason="я" * 2001)
    assert answer.status_code == 422, answer.text
    assert [e["field"] for e in answer.json()["errors"]] == ["reason"]
    assert office.get("iro", f"/api/cases/{case_id}").json()["state"] == "application"
    fitting = office.fire("iro", case_id, "withdraw", reason="я" * 2000)
    assert fitting.status_code == 200, fitting.text


def test_a_refusal_worded_longer_than_the_column_is_kept_cut_to_it(
    engine: Engine, tmp_path: Path
) -> None:
    case_id = Desk(engine, tmp_path / "files").open(a_case())
    log_refusal(engine, case_id=case_id, event="nominate", actor=IRO, state="application",
                refusal=NotPermitted("ж" * 5000), payload={})  # fmt: skip
    with UnitOfWork(engine, read_only=True) as uow:
        reasons = uow.session.scalars(
            select(AuditEventRow.reason).where(AuditEventRow.outcome == "refused")
        ).all()
    assert reasons == ["ж" * 2000]
