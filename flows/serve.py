"""`python -m flows.serve`: run sapar's deployments in this process (embedded mode).

Polls the Prefect server at PREFECT_API_URL for scheduled and requested runs and executes
them here, against the app database of SAPAR_DATABASE_URL.
"""

from __future__ import annotations

from prefect import serve

from flows.deployments import runner_deployments


def main() -> None:
    # pause_on_shutdown=False: the schedules stay active while the app is stopped, so the
    # next start catches up instead of waiting for someone to resume them in the UI.
    serve(*runner_deployments(), pause_on_shutdown=False, print_starting_message=False)


if __name__ == "__main__":
    main()
