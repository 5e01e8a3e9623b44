"""`python -m flows.serve`: run sapar's flows in this process (embedded mode).

Two things, against the app database of SAPAR_DATABASE_URL:
- the task worker for documents on demand (flows/tasks.py), in a thread: a step's papers are
  issued here, in this process, within about a second;
- the runner of the deployments prefect.yaml declares (the sweep, the daily check, the
  on-demand flows), polling the Prefect server at PREFECT_API_URL; each of its flow runs is
  a subprocess, at most FLOW_RUNS_AT_ONCE at a time;
- at start, one sweep of the outbox in a thread: what waited while no flows ran.
"""

from __future__ import annotations

import importlib
import logging
import threading
from pathlib import Path
from typing import Any

import yaml
from prefect import serve
from prefect.cli.deploy._schedules import _schedule_config_to_deployment_schedule
from prefect.client.schemas.actions import DeploymentScheduleCreate

from flows.issuing import sweep_outbox
from flows.tasks import start_in_thread
from sapar.heap import settle_after_start_up

# The sweep and the daily check: two at once is plenty on a small machine; more wait.
FLOW_RUNS_AT_ONCE = 2
# The one declaration of the deployments: `prefect deploy --all` reads it in the distributed
# mode, runner_deployments() in the embedded one.
PREFECT_YAML = Path(__file__).resolve().parents[1] / "prefect.yaml"
log = logging.getLogger(__name__)


def declared(path: Path = PREFECT_YAML) -> list[dict[str, Any]]:
    return list(yaml.safe_load(path.read_text(encoding="utf-8"))["deployments"])


def flow_at(entrypoint: str) -> Any:
    """The flow an entrypoint (`flows/issuing.py:sweep_outbox`) names, imported as a module
    of this package rather than from its file, so that it is the flow the tasks know."""
    path, name = entrypoint.split(":")
    module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
    return getattr(module, name)


def runner_deployments(path: Path = PREFECT_YAML) -> list[Any]:
    """The deployments of prefect.yaml for `prefect.serve`: entrypoint, description,
    schedules (read as `prefect deploy` reads them), parameters, concurrency and tags. The
    work pool is the distributed mode's; here this process runs every flow itself."""
    out = []
    for deployment in declared(path):
        schedules = [
            DeploymentScheduleCreate(**_schedule_config_to_deployment_schedule(schedule))
            for schedule in deployment.get("schedules") or []
        ]
        flow = flow_at(deployment["entrypoint"])
        out.append(
            flow.to_deployment(
                name=deployment["name"],
                description=deployment.get("description"),
                schedules=schedules,
                parameters=deployment.get("parameters"),
                concurrency_limit=deployment.get("concurrency_limit"),
                tags=deployment.get("tags"),
                # Prefect picks the async variant when it finds a running event loop or run
                # context (a test worker, a caller inside a flow) and hands back a coroutine;
                # this function is synchronous whatever calls it.
                _sync=True,
            )
        )
    return out


def catch_up() -> None:
    """What was asked for while no flows ran (the app starts serving before its Prefect
    server is up, or was down a while) is issued now, not at the next 5-minute sweep."""
    try:
        sweep_outbox()
    except Exception:
        log.exception("catching up the outbox failed; the 5-minute sweep will try again")


def main() -> None:
    deployments = runner_deployments()
    settle_after_start_up()
    start_in_thread()
    threading.Thread(target=catch_up, name="sapar-catch-up", daemon=True).start()
    # pause_on_shutdown=False: the schedules stay active while the app is stopped, so the
    # next start catches up instead of waiting for someone to resume them in the UI.
    serve(
        *deployments,
        pause_on_shutdown=False,
        print_starting_message=False,
        limit=FLOW_RUNS_AT_ONCE,
    )


if __name__ == "__main__":
    main()
