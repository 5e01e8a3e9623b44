"""The fault tier: the service on PostgreSQL for real, under contention, crashes and outages.

Every test here is bounded in time (see each test's own limits); shared fixtures stay small.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from sapar.app import create_app
from sapar.config import Settings
from sapar.services import users
from sapar.services.partners import PartnerIn, add_partner, write_agreement
from storage.uow import UnitOfWork
from tests.integration.office import ANKARA, PASSWORD, STAFF, Office


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LiveOffice:
    """The app served over real HTTP (uvicorn in a thread), with the office's staff."""

    office: Office
    url: str

    def auth(self, who: str) -> dict[str, str]:
        return self.office.auth(who)


def small_office(engine: Engine, tmp_path: Path, staff: tuple[str, ...] = ("iro",)) -> Office:
    """tests.integration.office's office with only the staff a fault test uses (each
    account costs an argon2 hash)."""
    url = engine.url.render_as_string(hide_password=False)
    # No Prefect here (tests/faults/test_hung_prefect.py has its own): documents wait.
    settings = Settings(database_url=url, files_dir=tmp_path / "files", var_dir=tmp_path,
                        on_demand_documents=False)  # fmt: skip
    app = create_app(settings)
    office = Office(TestClient(app), engine)
    with UnitOfWork(engine) as uow:
        partner = add_partner(uow.session, PartnerIn(name="Ankara Üniversitesi", country="Türkiye"))
        write_agreement(uow.session, partner_id=partner, kind="mevlana",
                        valid_from=date(2020, 1, 1), valid_to=date(2030, 12, 31))  # fmt: skip
        uow.commit()
    assert partner == ANKARA
    for username in staff:
        users.create_user(engine, username=username, password=PASSWORD, **STAFF[username])
        office.tokens[username] = users.add_token(engine, username=username, name="faults")
    return office


@contextmanager
def served(office: Office) -> Iterator[LiveOffice]:
    """The office's app over real HTTP on a free loopback port, for the block's duration."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(office.client.app, host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the test server did not start")
        time.sleep(0.05)
    try:
        yield LiveOffice(office, f"http://127.0.0.1:{port}")
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def live_office(postgres_engine: Engine, tmp_path: Path) -> Iterator[LiveOffice]:
    with served(small_office(postgres_engine, tmp_path)) as live:
        yield live
