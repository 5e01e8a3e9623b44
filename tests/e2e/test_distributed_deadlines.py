"""Distributed mode for real: a Prefect server on PostgreSQL, a process work pool, the
deployments of prefect.yaml, a worker process, and the app's own PostgreSQL database."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from states.dossier import DocumentKind as D
from storage.uow import UnitOfWork
from tests.builders import LONG_STAY_PAPERS, a_case, a_student
from tests.integration.desk import DEAN, IRO, Desk

REPO = Path(__file__).resolve().parents[2]
PG_URL = os.environ.get(
    "SAPAR_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
PREFECT = [sys.executable, "-m", "prefect"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def prefect_database() -> Iterator[str]:
    """A throwaway PostgreSQL database for the Prefect server itself."""
    name = f"sapar_prefect_{uuid.uuid4().hex[:10]}"
    u = make_url(PG_URL)
    params = {"host": u.host, "port": u.port or 5432, "user": u.username, "dbname": u.database}
    with psycopg.connect(**params, autocommit=True) as admin:  # type: ignore[arg-type]
        admin.execute(f'CREATE DATABASE "{name}"')
    yield u.set(drivername="postgresql+asyncpg", database=name).render_as_string(False)
    with psycopg.connect(**params, autocommit=True) as admin:  # type: ignore[arg-type]
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Processes:
    """Started processes, each in a session of its own, stopped in reverse order."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.started: list[subprocess.Popen[bytes]] = []

    def start(self, name: str, args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        with (self.logs / f"{name}.log").open("wb") as out:
            p = subprocess.Popen(
                args,
                env=env,
                cwd=REPO,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.started.append(p)
        return p

    def stop_all(self) -> None:
        for p in reversed(self.started):
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
                try:
                    p.wait(15)
                except subprocess.TimeoutExpired:
                    os.killpg(p.pid, signal.SIGKILL)
                    p.wait()

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text(errors="replace")[-4000:]


def wait_healthy(api: str, server: subprocess.Popen[bytes], procs: Processes) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert server.poll() is None, procs.log("server")
        try:
            with urllib.request.urlopen(f"{api}/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"prefect server did not start:\n{procs.log('server')}")


def scheduled_starts(api: str) -> list[str]:
    body = json.dumps({"flow_runs": {"state": {"type": {"any_": ["SCHEDULED"]}}}}).encode()
    request = urllib.request.Request(
        f"{api}/flow_runs/filter",
        data=body,
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return [r["expected_start_time"] for r in json.load(response)]


def returned_a_month_ago(engine: Engine, files: Path) -> int:
    """Back on Oct 22: the results were due at the dean's office on Nov 22."""
    desk = Desk(engine, files)
    case_id = desk.open(
        a_case(a_student(), start_date=date(2026, 6, 1), end_date=date(2026, 10, 22))
    )
    desk.hand_in(case_id, *LONG_STAY_PAPERS)
    desk.step(case_id, "nominate", DEAN)
    desk.hand_in(case_id, D.invitation_letter, D.dean_nomination)
    desk.step(case_id, "receive_invitation", IRO)
    desk.step(case_id, "issue_order", IRO)
    desk.hand_in(case_id, D.mobility_order)
    desk.step(case_id, "depart", IRO)
    desk.step(case_id, "return_home", IRO, actual_end_date=date(2026, 10, 22))
    return case_id


@pytest.mark.postgres
@pytest.mark.slow
def test_a_worker_runs_the_deployed_deadline_check_and_marks_a_late_report_overdue(
    postgres_engine: Engine, postgres_url: str, prefect_database: str, tmp_path: Path
) -> None:
    case_id = returned_a_month_ago(postgres_engine, tmp_path / "files")
    api = f"http://127.0.0.1:{free_port()}/api"
    port = api.rsplit(":", 1)[1].split("/")[0]
    env = {
        **os.environ,
        "PREFECT_HOME": str(tmp_path / "prefect-home"),
        "PREFECT_API_URL": api,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_API_DATABASE_CONNECTION_URL": prefect_database,
        "PREFECT_WORKER_QUERY_SECONDS": "1",
        # What each worker machine sets: where the code is, the app database and files.
        "SAPAR_CODE_DIR": str(REPO),
        "SAPAR_DATABASE_URL": postgres_url,
        "SAPAR_FILES_DIR": str(tmp_path / "files"),
    }
    procs = Processes(tmp_path)
    try:
        # `prefect server start`, as the README runs it.
        server = procs.start(
            "server", [*PREFECT, "server", "start", "--host", "127.0.0.1", "--port", port], env
        )
        wait_healthy(api, server, procs)

        def cli(*args: str, timeout: float = 120) -> str:
            done = subprocess.run(
                [*PREFECT, "--no-prompt", *args],
                env=env,
                cwd=REPO,
                capture_output=True,
                text=True,
                timeout=timeout,
            )
            assert done.returncode == 0, f"prefect {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
            return done.stdout

        cli("work-pool", "create", "sapar", "--type", "process")
        cli("deploy", "--all")
        procs.start("worker", [*PREFECT, "worker", "start", "--pool", "sapar"], env)
        out = cli(
            "deployment",
            "run",
            "check-deadlines/daily",
            "--param",
            'today="2026-11-23"',
            "--watch",
            "--watch-timeout",
            "180",
            timeout=240,
        )
        assert "Completed" in out, out + procs.log("worker")
        # The daily schedule is in force: tomorrow's 07:00 in Osh (01:00 UTC) is planned.
        assert any(start.endswith("T01:00:00Z") for start in scheduled_starts(api))
    finally:
        procs.stop_all()

    assert all(p.poll() is not None for p in procs.started)
    with UnitOfWork(postgres_engine, read_only=True) as uow:
        assert [(d.kind, d.status) for d in uow.cases.deadlines(case_id)] == [
            ("student_report", "overdue")
        ]
