"""`python -m flows.serve`: run sapar's flows in this process (embedded mode).

Two things, against the app database of SAPAR_DATABASE_URL:
- the task worker for documents on demand (flows/tasks.py), in a thread: a step's papers are
  issued here, in this process, within about a second;
- the runner of the deployments (the sweep, the daily check, the on-demand flows), polling
  the Prefect server at PREFECT_API_URL; each of its flow runs is a subprocess, at most
  FLOW_RUNS_AT_ONCE at a time.
"""

from __future__ import annotations

from prefect import serve

from flows.deployments import runner_deployments
from flows.tasks import start_in_thread

# The sweep and the daily check: two at once is plenty on a small machine; more wait.
FLOW_RUNS_AT_ONCE = 2


def main() -> None:
    start_in_thread()
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
