"""`python -m flows.serve`: run sapar's flows in this process (embedded mode).

Two things, against the app database of SAPAR_DATABASE_URL:
- the task worker for documents on demand (flows/tasks.py), in a thread: a step's papers are
  issued here, in this process, within about a second;
- the runner of the deployments (the sweep, the daily check, the on-demand flows), polling
  the Prefect server at PREFECT_API_URL; each of its flow runs is a subprocess, at most
  FLOW_RUNS_AT_ONCE at a time;
- at start, one sweep of the outbox in a thread: what waited while no flows ran.
"""

from __future__ import annotations

import logging
import threading

from prefect import serve

from flows.deployments import runner_deployments
from flows.issuing import sweep_outbox
from flows.tasks import start_in_thread

# The sweep and the daily check: two at once is plenty on a small machine; more wait.
FLOW_RUNS_AT_ONCE = 2
log = logging.getLogger(__name__)


def catch_up() -> None:
    """What was asked for while no flows ran (the app starts serving before its Prefect
    server is up, or was down a while) is issued now, not at the next 5-minute sweep."""
    try:
        sweep_outbox()
    except Exception:
        log.exception("catching up the outbox failed; the 5-minute sweep will try again")


def main() -> None:
    start_in_thread()
    threading.Thread(target=catch_up, name="sapar-catch-up", daemon=True).start()
    # pause_on_shutdown=False: the schedules stay active while the app is stopped, so the
    # next start catches up instead of waiting for someone to resume them in the UI.
    serve(
        *runner_deployments(),
        pause_on_shutdown=False,
        print_starting_message=False,
        limit=FLOW_RUNS_AT_ONCE,
    )


if __name__ == "__main__":
    main()
