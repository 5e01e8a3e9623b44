"""Shared fixtures: databases for real (SQLite file and a throwaway PostgreSQL database)."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from storage.db import make_engine, upgrade
from storage.orm import Base

PG_URL = os.environ.get(
    "SAPAR_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
TABLES = ", ".join(t.name for t in Base.metadata.sorted_tables)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file per test run, copied for each test (migrating is the slow part)."""
    path = tmp_path_factory.mktemp("sqlite") / "template.db"
    upgrade(f"sqlite:///{path}")
    engine = make_engine(f"sqlite:///{path}")
    seed_officials(engine)
    engine.dispose()  # the last connection's close checkpoints the WAL into the file copied
    return path


def seed_officials(engine: Engine) -> None:
    """Who signs the papers, as an administrator records them (the demo's appointments):
    a test of a missing official ends or leaves out the one it is about."""
    from sapar.services.officials import save_all
    from scripts.demo import demo_officials

    save_all(engine, demo_officials(), actor="admin")


@pytest.fixture
def sqlite_engine(sqlite_template: Path, tmp_path: Path) -> Iterator[Engine]:
    path = tmp_path / "sapar.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


def _admin_connect() -> psycopg.Connection:
    u = make_url(PG_URL)
    return psycopg.connect(
        host=u.host, port=u.port or 5432, user=u.username, dbname=u.database, autocommit=True
    )


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A database of our own for this test run (per xdist worker), dropped at the end."""
    name = f"sapar_test_{uuid.uuid4().hex[:10]}"
    try:
        admin = _admin_connect()
    except psycopg.OperationalError as exc:
        pytest.fail(
            f"PostgreSQL is needed at {PG_URL} (set SAPAR_TEST_PG_URL): {exc}", pytrace=False
        )
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    yield url
    with _admin_connect() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def postgres_engine(postgres_url: str) -> Iterator[Engine]:
    engine = make_engine(postgres_url)
    with engine.begin() as conn:
        # The history refuses TRUNCATE (a trigger); the superuser wiping a test database
        # sets triggers aside for this one transaction.
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))
    seed_officials(engine)
    yield engine
    with engine.begin() as conn:  # a tampering test may have dropped them
        conn.execute(
            text(
                "CREATE OR REPLACE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON "
                "audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()"
            )
        )
        conn.execute(
            text(
                "CREATE OR REPLACE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON "
                "audit_events FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()"
            )
        )
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest) -> Engine:
    """Storage tests run on both databases."""
    return request.getfixturevalue(f"{request.param}_engine")
