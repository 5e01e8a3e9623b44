"""The case page is built from one read (sapar/services/case_file.py): the case, its papers,
deadlines, history, outbox, reminders and recognition come from one transaction, not one per
section, so the sections agree with each other and the page's cost does not grow with them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import Engine, event
from sqlalchemy.engine import Connection

from sapar.services import users
from sapar.services.case_file import case_file
from states.dossier import DocumentKind as D
from states.machine import NotPermitted
from storage.orm import AccessLogRow
from storage.uow import UnitOfWork
from tests.integration.office import Office, student_case
from tests.integration.web_client import log_in

# What the case page shows: a transaction reading any of these is a read of the case file.
CASE_TABLES = ("cases", "participants", "documents", "deadlines", "audit_events", "outbox",
               "notifications", "plan_courses", "recognised_courses")  # fmt: skip
_TABLE = re.compile(r"\b(?:FROM|JOIN)\s+\"?(\w+)\"?", re.IGNORECASE)


@contextmanager
def transactions(engine: Engine) -> Iterator[list[set[str]]]:
    """The tables each transaction begun on the engine read, in order."""
    seen: list[set[str]] = []

    def begun(conn: Connection) -> None:
        seen.append(set())

    def executed(conn: Connection, cursor: Any, statement: str, *args: Any) -> None:
        # SQLAlchemy begins a transaction before any statement (SQLite's own BEGIN is sent
        # from the engine's "begin" listener, before ours has counted it).
        if seen and not statement.lstrip().upper().startswith("BEGIN"):
            seen[-1].update(_TABLE.findall(statement))

    event.listen(engine, "begin", begun)
    event.listen(engine, "before_cursor_execute", executed)
    try:
        yield seen
    finally:
        event.remove(engine, "begin", begun)
        event.remove(engine, "before_cursor_execute", executed)


def reading_the_case(seen: list[set[str]]) -> list[set[str]]:
    return [tables for tables in seen if tables & set(CASE_TABLES)]


@pytest.fixture
def case_id(sqlite_office: Office) -> int:
    case_id = sqlite_office.open("dean_econ", student_case())
    sqlite_office.hand_in("dean_econ", case_id, D.application)
    return case_id


def test_the_case_file_is_read_in_one_transaction(sqlite_office: Office, case_id: int) -> None:
    user = users.get_user(sqlite_office.engine, username="dean_econ")
    with transactions(sqlite_office.engine) as seen:
        found = case_file(sqlite_office.engine, user=user, case_id=case_id)
    assert len(seen) == 1
    assert {"cases", "documents", "deadlines", "audit_events", "outbox"} <= seen[0]
    assert [d.doc_type for d in found.documents] == ["application"]
    assert [h.event for h in found.history] == ["open", "attach_document"]
    assert found.missing.get("nominate")  # papers still missing


def test_the_case_page_reads_the_case_once_whatever_it_shows(
    sqlite_office: Office, case_id: int
) -> None:
    browser = sqlite_office.client
    log_in(browser, "dean_econ")
    served_by = browser.app.state.services.engine  # type: ignore[attr-defined]
    with transactions(served_by) as seen:
        page = browser.get(f"/cases/{case_id}")
    assert page.status_code == 200
    assert "application.pdf" in page.text
    # Besides the login's own reads (the session, the user): one read of the case file.
    assert len(reading_the_case(seen)) == 1, seen


def test_a_case_outside_the_scope_is_refused_and_the_attempt_logged(
    sqlite_office: Office, case_id: int
) -> None:
    other = users.get_user(sqlite_office.engine, username="dean_math")
    with pytest.raises(NotPermitted):
        case_file(sqlite_office.engine, user=other, case_id=case_id)
    with UnitOfWork(sqlite_office.engine, read_only=True) as uow:
        logged = uow.session.query(AccessLogRow).filter_by(case_id=case_id).all()
    assert [(r.role, r.action) for r in logged] == [("dean_office", "view")]
