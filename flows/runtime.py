"""What a flow run works on: the app's settings, database and file store.

Read from the environment of the process running the flow (SAPAR_DATABASE_URL, ...), never
from flow parameters: a database URL with a password must not show in the Prefect UI.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import Engine

from sapar.config import Settings
from storage.db import make_engine
from storage.files import FileStore


@dataclass(frozen=True)
class App:
    settings: Settings
    engine: Engine
    files: FileStore


@lru_cache(maxsize=8)
def _engine(url: str, audit_key: str | None) -> Engine:
    # One pool per database per process: a worker runs many flow runs in a row.
    return make_engine(url, audit_key=audit_key)


@contextmanager
def app() -> Iterator[App]:
    settings = Settings()
    engine = _engine(settings.database_url, settings.audit_key)
    yield App(settings, engine, FileStore(settings.files_dir))
