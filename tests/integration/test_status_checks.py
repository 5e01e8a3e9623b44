"""Each status column holds one of its enum's values: the database refuses any other, on
SQLite and PostgreSQL, and migration 0018 keeps the rows of a database in use."""

from __future__ import annotations

import re
import uuid
from datetime import date
from enum import StrEnum
from pathlib import Path

import psycopg
import pytest
from alembic import command
from sqlalchemy import Engine, inspect, make_url, text
from sqlalchemy.exc import IntegrityError

from states.dossier import Origin
from states.model import DeadlineStatus
from storage.db import alembic_config, make_engine, upgrade
from storage.orm import Channel, ImportStatus, NotificationStatus, OutboxStatus
from storage.uow import UnitOfWork
from tests.builders import a_case
from tests.conftest import PG_URL

COLUMNS: dict[tuple[str, str], type[StrEnum]] = {
    ("deadlines", "status"): DeadlineStatus,
    ("documents", "origin"): Origin,
    ("outbox", "status"): OutboxStatus,
    ("notifications", "status"): NotificationStatus,
    ("notifications", "channel"): Channel,
    ("import_jobs", "status"): ImportStatus,
    ("portal_links", "channel"): Channel,
}


def allowed(engine: Engine, table: str, column: str) -> set[str]:
    """The values the database's CHECK on the column lets through, as it reports the CHECK
    (PostgreSQL rewrites it as `= ANY (ARRAY[...])`, SQLite keeps the text)."""
    checks = inspect(engine).get_check_constraints(table)
    found = [c for c in checks if c["name"] == f"ck_{table}_{column}"]
    assert found, f"{table}.{column} has no CHECK"
    return set(re.findall(r"'([^']*)'", found[0]["sqltext"]))


@pytest.mark.parametrize(("table", "column"), list(COLUMNS))
def test_every_status_column_allows_exactly_its_enum_s_values(
    engine: Engine, table: str, column: str
) -> None:
    assert allowed(engine, table, column) == {v.value for v in COLUMNS[table, column]}


def _a_deadline(engine: Engine) -> int:
    with UnitOfWork(engine) as uow:
        case_id = uow.cases.add(a_case())
        uow.cases.open_deadline(case_id, "student_report", date(2026, 7, 30))
        uow.commit()
    return case_id


def test_a_status_outside_its_enum_is_refused_by_the_database(engine: Engine) -> None:
    case_id = _a_deadline(engine)
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(
            text("UPDATE deadlines SET status = 'done' WHERE case_id = :c"), {"c": case_id}
        )
    with engine.connect() as conn:
        kept = conn.execute(text("SELECT status FROM deadlines WHERE case_id = :c"), {"c": case_id})
        assert kept.scalar_one() == DeadlineStatus.open


def _with_a_reminder(engine: Engine) -> None:
    """A case with a deadline and a reminder about it: the rebuilt deadlines table is
    referenced by the reminder."""
    case_id = _a_deadline(engine)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO notifications (case_id, deadline_id, kind, due_date, checked_on, "
                "channel, status, subject, body, created_at, attempts) SELECT case_id, id, "
                "'before_7', due_date, due_date, 'record', 'recorded', 's', 'b', opened_at, 0 "
                "FROM deadlines WHERE case_id = :c"
            ),
            {"c": case_id},
        )


def _counts(engine: Engine) -> tuple[int, int]:
    with engine.connect() as conn:
        deadlines = conn.execute(text("SELECT count(*) FROM deadlines")).scalar_one()
        letters = conn.execute(text("SELECT count(*) FROM notifications")).scalar_one()
    return deadlines, letters


def test_the_migration_keeps_a_database_in_use_on_sqlite(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    upgrade(url)
    command.downgrade(alembic_config(url), "0017")
    engine = make_engine(url)
    _with_a_reminder(engine)
    upgrade(url)
    assert _counts(engine) == (1, 1)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
    engine.dispose()


@pytest.mark.postgres
def test_the_migration_refuses_a_value_outside_the_list_and_names_it_on_postgresql() -> None:
    name = f"sapar_mig_{uuid.uuid4().hex[:10]}"
    u = make_url(PG_URL)
    params = {"host": u.host, "port": u.port or 5432, "user": u.username, "dbname": u.database}
    with psycopg.connect(**params, autocommit=True) as admin:  # type: ignore[arg-type]
        admin.execute(f'CREATE DATABASE "{name}"')
    url = u.set(database=name).render_as_string(hide_password=False)
    try:
        command.upgrade(alembic_config(url), "0017")
        engine = make_engine(url)
        _with_a_reminder(engine)
        with engine.begin() as conn:
            conn.execute(text("UPDATE notifications SET status = 'bounced'"))
        with pytest.raises(RuntimeError, match=r"notifications\.status = 'bounced'"):
            upgrade(url)
        with engine.begin() as conn:
            conn.execute(text("UPDATE notifications SET status = 'refused'"))
        upgrade(url)
        assert _counts(engine) == (1, 1)
        engine.dispose()
    finally:
        with psycopg.connect(**params, autocommit=True) as admin:  # type: ignore[arg-type]
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
