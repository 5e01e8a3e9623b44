"""Fault: a Prefect server that accepts connections and never answers (issue 11.2).

The real service (`sapar serve --no-prefect`, its own process, PostgreSQL) is pointed at a
fake Prefect API on a free port that accepts every connection and never says a word. Steps
that ask for documents must still answer at once, the rest of the API too, and the service
must stop cleanly; the documents wait in the outbox and the sweep issues them.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, select

from sapar.services import users
from sapar.services.issuing import sweep
from sapar.services.study_plan import PlanLine, set_study_plan
from storage.files import FileStore
from storage.orm import OutboxRow
from storage.uow import UnitOfWork
from tests.builders import LONG_STAY_PAPERS, a_case, a_student
from tests.integration.desk import DEAN, Desk
from tests.integration.office import PASSWORD, STAFF

STEPS = 40
STEP_LIMIT_S = 1.0
STOP_LIMIT_S = 15.0  # uvicorn's own graceful shutdown included


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class HungPrefect:
    """Accepts connections and keeps them open, silent; counts them."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.server.getsockname()[1])
        self.accepted: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            self.accepted.append(conn)

    def close(self) -> None:
        self.server.close()
        for conn in self.accepted:
            conn.close()


@pytest.fixture
def hung_prefect() -> Iterator[HungPrefect]:
    fake = HungPrefect()
    yield fake
    fake.close()


def ready_to_nominate(desk: Desk) -> int:
    """A long stay with every paper and its study plan: the dean's nomination issues annex 1
    and the invitation request (two outbox items)."""
    student = a_student(specialty="Финансы жана кредит", group_name="ФК-3-23")
    case_id = desk.open(a_case(student, host_language="англис тили", language_level="B2"))
    desk.hand_in(case_id, *LONG_STAY_PAPERS)
    plan = [PlanLine("Uluslararası Finans", 6, replaces="Эл аралык финансы")]
    set_study_plan(desk.engine, case_id=case_id, actor=DEAN, lines=plan)
    return case_id


def pending_items(engine: Engine) -> int:
    with UnitOfWork(engine, read_only=True) as uow:
        query = select(OutboxRow.id).where(OutboxRow.status == "pending")
        return len(list(uow.session.scalars(query)))


@pytest.mark.postgres
@pytest.mark.slow
def test_a_hung_prefect_leaves_every_step_fast_and_shutdown_clean_and_the_sweep_issues_it_all(
    postgres_engine: Engine, postgres_url: str, hung_prefect: HungPrefect, tmp_path: Path
) -> None:
    desk = Desk(postgres_engine, tmp_path / "files")
    cases = [ready_to_nominate(desk) for _ in range(STEPS)]
    users.create_user(postgres_engine, username="dean_econ", password=PASSWORD,
                      **STAFF["dean_econ"])  # fmt: skip
    token = users.add_token(postgres_engine, username="dean_econ", name="fault test")
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SAPAR_", "PREFECT_"))},
        "SAPAR_DATABASE_URL": postgres_url,
        "SAPAR_FILES_DIR": str(tmp_path / "files"),
        "SAPAR_VAR_DIR": str(tmp_path / "var"),
        "SAPAR_PREFECT_HOME": str(tmp_path / "prefect"),
        # Distributed mode: the web asks the Prefect server named here for documents.
        "PREFECT_API_URL": f"http://127.0.0.1:{hung_prefect.port}/api",
        "SAPAR_ADMIN_PASSWORD": PASSWORD,
    }
    log = (tmp_path / "serve.log").open("wb")
    serve = subprocess.Popen(
        [sys.executable, "-m", "sapar.cli", "serve", "--no-prefect", "--port", str(port)],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    auth = {"Authorization": f"Bearer {token}"}
    try:
        deadline = time.monotonic() + 120
        while True:
            assert serve.poll() is None, (tmp_path / "serve.log").read_text()
            try:
                if httpx.get(f"{base}/api/me", headers=auth, timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "sapar serve did not answer"
            time.sleep(0.2)

        slowest_step = slowest_me = 0.0
        times: list[float] = []
        with httpx.Client(base_url=base, headers=auth, timeout=30) as http:
            for case_id in cases:
                start = time.monotonic()
                answer = http.post(f"/api/cases/{case_id}/events", json={"event": "nominate"})
                slowest_step = max(slowest_step, time.monotonic() - start)
                times.append(round(time.monotonic() - start, 3))
                assert answer.status_code == 200, answer.text
                start = time.monotonic()
                assert http.get("/api/me").status_code == 200
                slowest_me = max(slowest_me, time.monotonic() - start)
        assert slowest_step < STEP_LIMIT_S, f"a step took {slowest_step:.2f} s: {times}"
        assert slowest_me < STEP_LIMIT_S, f"/api/me took {slowest_me:.2f} s"
        # The web did try Prefect (and found it hung): the fake was reached.
        deadline = time.monotonic() + 30
        while not hung_prefect.accepted and time.monotonic() < deadline:
            time.sleep(0.1)
        assert hung_prefect.accepted, "the web never asked the (hung) Prefect for documents"
    finally:
        start = time.monotonic()
        os.killpg(serve.pid, signal.SIGTERM)
        try:
            code = serve.wait(STOP_LIMIT_S)
        except subprocess.TimeoutExpired:
            os.killpg(serve.pid, signal.SIGKILL)
            serve.wait()
            pytest.fail(f"sapar serve did not stop within {STOP_LIMIT_S:.0f} s of SIGTERM")
        stopped_in = time.monotonic() - start
        log.close()
    # uvicorn re-raises the SIGTERM it handled once it has shut down: -15 after a clean stop.
    served = (tmp_path / "serve.log").read_text()
    assert code in (0, -signal.SIGTERM), served[-3000:]
    assert "Application shutdown complete" in served, served[-3000:]
    assert stopped_in < STOP_LIMIT_S

    # Nothing was issued, nothing lost: the sweep issues every document that waited.
    assert pending_items(postgres_engine) == 2 * STEPS
    swept = sweep(postgres_engine, FileStore(tmp_path / "files"), limit=10 * STEPS)
    assert len(swept.issued) == 2 * STEPS and not swept.failed
    assert pending_items(postgres_engine) == 0
