"""Embedded mode: `sapar serve` starts a Prefect server and the flows, and stops both."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import datetime
from datetime import time as dt_time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, select

from flows.embedded import STARTUP_TIMEOUT_SECONDS, healthy, prefect_side
from flows.trigger import request_case_documents
from sapar.config import Settings
from sapar.services.study_plan import PlanLine, set_study_plan
from storage.orm import DocumentRow, OutboxRow
from storage.uow import UnitOfWork
from tests.builders import LONG_STAY_PAPERS, a_case, a_student
from tests.integration.desk import DEAN, Desk


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def processes_with(marker: str) -> list[int]:
    """Processes whose environment mentions `marker` (here: their own Prefect home)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if marker.encode() in (proc / "environ").read_bytes():
                found.append(int(proc.name))
        except OSError:
            continue  # gone meanwhile, or not ours to read
    return found


def deployment_names(base: str) -> set[str]:
    request = urllib.request.Request(
        f"{base}/api/deployments/filter",
        data=b"{}",
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return {d["name"] for d in json.load(response)}


def scheduled_starts(base: str, flow_name: str) -> list[datetime]:
    """When the scheduled runs of a flow are due, as the Prefect server created them."""
    body = {
        "flows": {"name": {"any_": [flow_name]}},
        "flow_runs": {"state": {"type": {"any_": ["SCHEDULED"]}}},
    }
    request = urllib.request.Request(
        f"{base}/api/flow_runs/filter",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return [datetime.fromisoformat(run["expected_start_time"]) for run in json.load(response)]


def nominated(desk: Desk) -> int:
    """A dean's nomination: the transition asks for annex 1 to be issued."""
    student = a_student(specialty="Финансы жана кредит", group_name="ФК-3-23")
    case_id = desk.open(a_case(student, host_language="англис тили", language_level="B2"))
    desk.hand_in(case_id, *LONG_STAY_PAPERS)
    set_study_plan(
        desk.engine,
        case_id=case_id,
        actor=DEAN,
        lines=[PlanLine("Uluslararası Finans", 6, replaces="Эл аралык финансы")],
    )
    desk.step(case_id, "nominate", DEAN)
    return case_id


def issued(engine: Engine, case_id: int) -> tuple[list[str], list[str]]:
    with UnitOfWork(engine, read_only=True) as uow:
        items = uow.session.scalars(select(OutboxRow.status).where(OutboxRow.case_id == case_id))
        docs = uow.session.scalars(
            select(DocumentRow.doc_type).where(
                DocumentRow.case_id == case_id, DocumentRow.origin == "generated"
            )
        )
        return list(items), list(docs)


@pytest.mark.slow
def test_the_embedded_prefect_starts_serves_the_ui_and_the_deployments_and_stops_cleanly(
    sqlite_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The scheduler looks for deployments to schedule every 2 s rather than every minute.
    monkeypatch.setenv("PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS", "2")
    port = free_port()
    home = tmp_path / "prefect-home"
    settings = Settings(
        database_url=sqlite_engine.url.render_as_string(False),
        files_dir=tmp_path / "files",
        prefect_home=home,
        prefect_port=port,
        _env_file=None,  # type: ignore[call-arg]
    )
    base = f"http://127.0.0.1:{port}"

    with prefect_side(settings):
        with urllib.request.urlopen(base + "/", timeout=10) as ui:
            assert ui.status == 200 and b"<html" in ui.read().lower()
        deadline = time.monotonic() + 90
        names: set[str] = set()
        while time.monotonic() < deadline and len(names) < 3:
            names = deployment_names(base)
            time.sleep(0.5)
        assert {"daily", "every-5-minutes", "on-demand"} <= names
        # Prefect's own server schedules the runs of prefect.yaml's schedules: the deadline
        # check's are due at 07:00 in Osh (01:00 UTC), one a day.
        starts: list[datetime] = []
        while time.monotonic() < deadline and not starts:
            starts = scheduled_starts(base, "check-deadlines")
            time.sleep(0.5)
        assert starts, "no scheduled run of the deadline check"
        in_osh = {
            s.astimezone(ZoneInfo("Asia/Bishkek")).timetz().replace(tzinfo=None) for s in starts
        }
        assert in_osh == {dt_time(7, 0)}
        assert len({s.date() for s in starts}) == len(starts)
        assert len(processes_with(str(home.resolve()))) >= 2
        assert (home / "prefect.db").exists()

        # A transition's document, asked for on demand, is issued by the served flows.
        desk = Desk(sqlite_engine, tmp_path / "files")
        case_id = nominated(desk)
        assert request_case_documents(sqlite_engine, case_id, settings) is not None
        while time.monotonic() < deadline and set(issued(sqlite_engine, case_id)[0]) != {"done"}:
            time.sleep(0.5)
        assert issued(sqlite_engine, case_id) == (
            ["done", "done"],
            ["dean_nomination", "invitation_request"],
        )

    assert processes_with(str(home.resolve())) == []
    with pytest.raises(OSError):
        urllib.request.urlopen(base + "/api/health", timeout=2)


@pytest.mark.slow
def test_sapar_serve_does_not_wait_for_prefect_and_the_flows_catch_up_when_they_start(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    """`sapar serve` enters the Prefect side at once (the pages answer while Prefect's server
    starts). A document asked for before the flows run is never asked for again by anyone:
    it is issued once the flows start (their catch-up sweep), with no one waiting for the
    5-minute schedule."""
    port = free_port()
    home = tmp_path / "prefect-home"
    settings = Settings(
        database_url=sqlite_engine.url.render_as_string(False),
        files_dir=tmp_path / "files",
        prefect_home=home,
        prefect_port=port,
        _env_file=None,  # type: ignore[call-arg]
    )
    desk = Desk(sqlite_engine, tmp_path / "files")
    with prefect_side(settings, in_background=True):
        # Entered before the server could answer: nothing listens on its port yet.
        with pytest.raises(OSError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2)
        case_id = nominated(desk)  # its papers wait in the outbox; nobody is told
        up_by = time.monotonic() + STARTUP_TIMEOUT_SECONDS  # a loaded machine is slow
        while time.monotonic() < up_by and not healthy(settings):
            time.sleep(0.5)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and set(issued(sqlite_engine, case_id)[0]) != {"done"}:
            time.sleep(0.5)
        assert issued(sqlite_engine, case_id) == (
            ["done", "done"],
            ["dean_nomination", "invitation_request"],
        )
        assert "sweep-outbox" in (home / "serve.log").read_text(errors="replace")
    assert processes_with(str(home.resolve())) == []


@pytest.mark.slow
def test_a_serve_process_killed_outright_leaves_no_prefect_server_behind(tmp_path: Path) -> None:
    port = free_port()
    home = (tmp_path / "prefect-home").resolve()
    script = (
        "import time\n"
        "from flows.embedded import prefect_side\n"
        "from sapar.config import Settings\n"
        f"settings = Settings(database_url='sqlite:///{tmp_path}/app.db', "
        f"prefect_home='{home}', prefect_port={port}, _env_file=None)\n"
        "with prefect_side(settings):\n"
        "    print('up', flush=True)\n"
        "    time.sleep(600)\n"
    )
    serve = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert serve.stdout is not None and serve.stdout.readline().strip() == "up"
        assert processes_with(str(home)) != []
    finally:
        serve.kill()  # SIGKILL: no clean-up code of ours runs
        serve.wait()
    deadline = time.monotonic() + 30
    while processes_with(str(home)) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert processes_with(str(home)) == []
