"""Fixtures of the integration tier: the running service with its staff (see office.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.integration.office import Office, build_office


@pytest.fixture
def office(engine: Engine, tmp_path: Path) -> Iterator[Office]:
    """The service on SQLite and (marked postgres) on PostgreSQL, with its staff."""
    built = build_office(engine, tmp_path)
    with built.client:
        yield built


@pytest.fixture
def sqlite_office(sqlite_engine: Engine, tmp_path: Path) -> Iterator[Office]:
    built = build_office(sqlite_engine, tmp_path)
    with built.client:
        yield built
