"""Every kind of tampering with a case's history is named by `verify` — on PostgreSQL, where
the service runs in distributed mode, including as an app role that may only insert into
and read the history."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import Engine, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError

from sapar.services.cases import Actor, fire, open_case
from states.machine import InvalidTransition
from states.model import Role
from storage import audit
from storage.db import grant_app_role, make_engine
from storage.orm import AuditEventRow, CaseRow
from storage.uow import UnitOfWork
from tests.builders import a_case
from tests.integration.desk import IRO, TODAY

pytestmark = pytest.mark.postgres
KEY = "a-key-kept-in-the-vault"


def history(engine: Engine) -> int:
    """A case with three events: opened, a refused step, withdrawn."""
    case_id = open_case(engine, actor=IRO, case=a_case())
    with pytest.raises(InvalidTransition):
        fire(engine, case_id=case_id, event="depart", actor=IRO, today=TODAY)
    fire(engine, case_id=case_id, event="withdraw", actor=IRO, payload={"reason": "ill"},
         today=TODAY)  # fmt: skip
    return case_id


def as_owner(engine: Engine, *statements: str) -> None:
    """What the tables' owner (or a superuser) could do behind the service's back."""
    with engine.begin() as conn:
        conn.execute(text("SET LOCAL session_replication_role = replica"))  # triggers off
        for statement in statements:
            conn.execute(text(statement))


def report(engine: Engine, case_id: int) -> audit.ChainReport:
    with UnitOfWork(engine, read_only=True) as uow:
        return audit.verify(uow.session, case_id)


@pytest.mark.parametrize(
    ("tampering", "named"),
    [
        ("DELETE FROM audit_events WHERE case_id = {c} AND seq = 3", "event 3 is missing"),
        ("DELETE FROM audit_events WHERE case_id = {c} AND seq = 2", "event 2 is missing"),
        ("TRUNCATE audit_events", "event 1–3 is missing"),
        ("UPDATE audit_events SET reason = 'forged' WHERE case_id = {c} AND seq = 3",
         "event 3 was changed"),
        ("UPDATE cases SET state = 'application', version = 0 WHERE id = {c}",
         "a step without its event"),
        ("UPDATE cases SET version = version + 1 WHERE id = {c}", "a step without its event"),
    ],
)  # fmt: skip
def test_each_kind_of_tampering_is_named(
    postgres_engine: Engine, tampering: str, named: str
) -> None:
    case_id = history(postgres_engine)
    assert report(postgres_engine, case_id).intact
    as_owner(postgres_engine, tampering.format(c=case_id))
    found = report(postgres_engine, case_id)
    assert not found.intact
    assert named in (found.problem or ""), found


def test_verify_all_names_a_case_whose_whole_history_is_gone(postgres_engine: Engine) -> None:
    intact, emptied = history(postgres_engine), history(postgres_engine)
    as_owner(postgres_engine, f"DELETE FROM audit_events WHERE case_id = {emptied}")
    with UnitOfWork(postgres_engine, read_only=True) as uow:
        reports = {r.case_id: r for r in audit.verify_all(uow.session)}
    assert reports[intact].intact
    assert "missing" in (reports[emptied].problem or "")


def test_the_database_refuses_truncating_the_history(postgres_engine: Engine) -> None:
    history(postgres_engine)
    with pytest.raises(Exception, match="append-only"), postgres_engine.begin() as conn:
        conn.execute(text("TRUNCATE audit_events CASCADE"))


def test_a_rewritten_history_with_recomputed_hashes_fails_the_keyed_checkpoint(
    postgres_url: str, postgres_engine: Engine
) -> None:
    keyed = make_engine(postgres_url, audit_key=KEY)
    case_id = history(keyed)
    assert report(keyed, case_id).intact
    # The forger rewrites event 3 and recomputes its hash and the case's head — everything
    # but the HMAC, for which the key is needed.
    with UnitOfWork(postgres_engine) as uow:
        row = uow.session.scalars(
            select(AuditEventRow).where(AuditEventRow.case_id == case_id, AuditEventRow.seq == 3)
        ).one()
        forged_reason = "left for another university"
        uow.session.expunge(row)
    row.reason = forged_reason
    forged_hash = audit.event_hash(row)
    as_owner(
        postgres_engine,
        f"UPDATE audit_events SET reason = '{forged_reason}', hash = '{forged_hash}' "
        f"WHERE case_id = {case_id} AND seq = 3",
        f"UPDATE cases SET audit_hash = '{forged_hash}' WHERE id = {case_id}",
    )
    assert report(postgres_engine, case_id).intact, "without the key the forgery passes"
    found = report(keyed, case_id)
    assert "not signed with the audit key" in (found.problem or ""), found
    keyed.dispose()


def test_a_reason_given_as_a_number_keeps_the_chain_intact(postgres_engine: Engine) -> None:
    case_id = open_case(postgres_engine, actor=IRO, case=a_case())
    fire(postgres_engine, case_id=case_id, event="withdraw", actor=IRO,
         payload={"reason": 123, "note": (1, 2.5)}, today=TODAY)  # fmt: skip
    assert report(postgres_engine, case_id).intact


@pytest.fixture
def app_role(postgres_url: str, postgres_engine: Engine) -> Iterator[Engine]:
    """The app as distributed mode runs it: a login role that owns nothing."""
    role = f"sapar_app_{uuid.uuid4().hex[:8]}"
    u = make_url(postgres_url)
    with psycopg.connect(host=u.host, port=u.port or 5432, user=u.username, dbname=u.database,
                         autocommit=True) as admin:  # fmt: skip
        admin.execute(f'CREATE ROLE "{role}" LOGIN')
    grant_app_role(postgres_engine, role)
    engine = make_engine(u.set(username=role).render_as_string(hide_password=False))
    yield engine
    engine.dispose()
    with psycopg.connect(host=u.host, port=u.port or 5432, user=u.username, dbname=u.database,
                         autocommit=True) as admin:  # fmt: skip
        admin.execute(f'DROP OWNED BY "{role}"')
        admin.execute(f'DROP ROLE "{role}"')


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET reason = 'x'",
        "DELETE FROM audit_events",
        "TRUNCATE audit_events",
        "ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only",
        "DROP TRIGGER audit_events_append_only ON audit_events",
    ],
)
def test_the_app_role_may_only_insert_and_read_the_history(
    app_role: Engine, statement: str
) -> None:
    case_id = history(app_role)  # the service works as this role: steps, refusals, history
    assert report(app_role, case_id).intact
    with (
        pytest.raises(ProgrammingError, match=r"permission denied|must be owner"),
        app_role.begin() as conn,
    ):
        conn.execute(text(statement))


def test_the_service_refuses_a_case_that_ends_before_it_starts(postgres_engine: Engine) -> None:
    from datetime import date

    from pydantic import ValidationError

    bad = a_case(
        kind="outgoing_student_long", start_date=date(2027, 2, 1), end_date=date(2027, 1, 1)
    )
    with pytest.raises(ValidationError, match="end_date"):
        open_case(postgres_engine, actor=Actor("ЭАБД", Role.iro), case=bad)
    with UnitOfWork(postgres_engine, read_only=True) as uow:
        assert uow.session.scalar(select(CaseRow.id)) is None, "nothing written"


def test_update_of_the_head_alone_is_named(postgres_engine: Engine) -> None:
    case_id = history(postgres_engine)
    with postgres_engine.begin() as conn:
        conn.execute(update(CaseRow).where(CaseRow.id == case_id).values(audit_seq=2))
    assert "does not match its last event" in (report(postgres_engine, case_id).problem or "")


def test_histories_written_before_the_key_are_signed_once_it_is_set(
    postgres_url: str, postgres_engine: Engine
) -> None:
    older = history(postgres_engine)  # written without a key
    keyed = make_engine(postgres_url, audit_key=KEY)
    assert "not signed with the audit key" in (report(keyed, older).problem or "")
    with UnitOfWork(keyed) as uow:
        assert audit.sign_heads(uow.session) == 1
        uow.commit()
    assert report(keyed, older).intact
    newer = history(keyed)  # signed as it is written
    assert report(keyed, newer).intact
    keyed.dispose()
