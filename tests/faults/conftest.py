"""The fault tier: the service on PostgreSQL for real, under contention, crashes and outages.

Every test here is bounded in time (see each test's own limits); shared fixtures stay small.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy import Engine

from tests.integration.office import Office, build_office


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


@pytest.fixture
def live_office(postgres_engine: Engine, tmp_path: Path) -> Iterator[LiveOffice]:
    office = build_office(postgres_engine, tmp_path)
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
