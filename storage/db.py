"""Engines and migrations. SQLite (a file under ./var, WAL) by default; PostgreSQL by URL."""

from __future__ import annotations

import select
import time
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.engine import make_url

MIGRATIONS = Path(__file__).parent / "migrations"

# A pooled connection is checked without a round trip on every checkout: if its socket has
# something to read while idle, the server has closed it (a restart, pg_terminate_backend)
# and the pool takes another. Only one idle for longer than this is pinged (a firewall may
# have dropped it silently). A ping per step would be a round trip on the hot path; a
# connection that dies while in use fails its transaction, which the service answers with
# "try again" (503) after SQLAlchemy has recycled the pool.
IDLE_PING_SECONDS = 10.0


def make_engine(url: str, *, audit_key: str | None = None, **kwargs: Any) -> Engine:
    """An engine for `url`; `audit_key` (SAPAR_AUDIT_KEY) signs the audit chain heads."""
    engine = _make_engine(url, **kwargs)
    return engine.execution_options(audit_key=audit_key) if audit_key else engine


def _ping_when_idle(engine: Engine, idle_seconds: float) -> None:
    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_conn: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get("idle_since")
        if since is None:
            return  # just connected
        if _closed_by_server(dbapi_conn):
            raise exc.DisconnectionError("the server closed this connection")
        if time.monotonic() - since < idle_seconds:
            return
        try:
            cur = dbapi_conn.cursor()
            cur.execute("SELECT 1")
            cur.close()
            if not getattr(dbapi_conn, "autocommit", True):
                dbapi_conn.rollback()
        except Exception as error:
            # The pool drops this connection and checks out another (SQLAlchemy's recipe).
            raise exc.DisconnectionError() from error


def _closed_by_server(dbapi_conn: Any) -> bool:
    """An idle connection with bytes waiting (the server's goodbye, or EOF) is dead."""
    pgconn = getattr(dbapi_conn, "pgconn", None)
    if pgconn is None:
        return False
    try:
        readable, _, _ = select.select([pgconn.socket], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)


def _make_engine(url: str, **kwargs: Any) -> Engine:
    u = make_url(url)
    if u.get_backend_name() != "sqlite":
        ping_idle = not kwargs.pop("pool_pre_ping", False)
        engine = create_engine(url, **kwargs)
        if ping_idle:
            _ping_when_idle(engine, IDLE_PING_SECONDS)
        return engine
    if u.database and u.database != ":memory:":
        Path(u.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let us issue BEGIN ourselves (pysqlite's own transaction handling defers it).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Writers take the write lock up front: a deferred transaction that reads and then
        # writes fails at once with SQLITE_BUSY when another writer got in between.
        mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def reader(engine: Engine) -> Engine:
    """The same engine for read-only work: on SQLite its transactions take no write lock."""
    if engine.dialect.name == "sqlite":
        return engine.execution_options(sqlite_begin="DEFERRED")
    return engine


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the schema of the database at `url` to `revision`."""
    command.upgrade(alembic_config(url), revision)


def grant_app_role(engine: Engine, role: str) -> None:
    """Distributed mode on PostgreSQL: let `role` (an existing login role that does not own
    the tables) run the app — read and write every table, except that the history may only
    be inserted into and read. Run as the tables' owner, after `upgrade`; again after each
    upgrade that adds tables. Not owning audit_events, the app cannot disable or drop its
    triggers either."""
    if engine.dialect.name != "postgresql":
        raise ValueError("roles exist on PostgreSQL only")
    if not role.replace("_", "").isalnum():
        raise ValueError(f"'{role}' is not a plain role name")
    with engine.begin() as conn:
        for statement in (
            f'GRANT USAGE ON SCHEMA public TO "{role}"',
            f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"',
            f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{role}"',
            f'REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM "{role}"',
            f'REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_events FROM "{role}"',
        ):
            conn.exec_driver_sql(statement)
