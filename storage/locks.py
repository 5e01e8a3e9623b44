"""One at a time: a named lock held for a whole job, across processes and machines.

On PostgreSQL a session-level advisory lock on a connection of its own: it is released
when the job ends, and by the server when the process holding it dies (the connection
closes), so a crash never leaves it taken. On SQLite (one machine, `make run`) an
exclusive `flock` on a file beside the database, which the kernel releases the same way.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, text

# How often a waiting job asks again.
POLL_SECONDS = 0.1
# In-memory SQLite databases live in one process: a plain lock per name is enough.
_memory_locks: dict[str, threading.Lock] = {}
_memory_guard = threading.Lock()


class StillRunning(RuntimeError):
    """Another run of the same job holds the lock for longer than we may wait."""


def advisory_key(name: str) -> int:
    """A stable signed 64-bit key for PostgreSQL's advisory locks, derived from the name."""
    return int.from_bytes(
        hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True
    )


@contextmanager
def one_at_a_time(engine: Engine, name: str, *, wait_seconds: float) -> Iterator[None]:
    """Hold the lock `name` for the block; wait up to `wait_seconds` for another holder,
    then raise StillRunning."""
    if engine.dialect.name == "postgresql":
        with _advisory(engine, name, wait_seconds):
            yield
    else:
        with _file_lock(engine, name, wait_seconds):
            yield


def _wait(try_once: Callable[[], bool], name: str, wait_seconds: float) -> None:
    deadline = time.monotonic() + wait_seconds
    while not try_once():
        if time.monotonic() >= deadline:
            raise StillRunning(
                f"another '{name}' is still running after {wait_seconds:.0f} s of waiting; "
                "it does the same work, so this run stops here"
            )
        time.sleep(POLL_SECONDS)


@contextmanager
def _advisory(engine: Engine, name: str, wait_seconds: float) -> Iterator[None]:
    key = advisory_key(name)
    conn: Connection = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    try:

        def try_once() -> bool:
            return bool(conn.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}))

        _wait(try_once, name, wait_seconds)
        try:
            yield
        finally:
            try:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
            except Exception:
                # The connection broke: the server has let go of the lock with it; make
                # sure the pool does not hand this connection out again.
                conn.invalidate()
    finally:
        conn.close()


@contextmanager
def _file_lock(engine: Engine, name: str, wait_seconds: float) -> Iterator[None]:
    database = engine.url.database
    if not database or database == ":memory:":
        with _memory_guard:
            lock = _memory_locks.setdefault(name, threading.Lock())
        _wait(lambda: lock.acquire(blocking=False), name, wait_seconds)
        try:
            yield
        finally:
            lock.release()
        return
    path = Path(f"{database}.{name}.lock")
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:

        def try_once() -> bool:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            return True

        _wait(try_once, name, wait_seconds)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
