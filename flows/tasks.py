"""`python -m flows.tasks`: the task worker issuing documents on demand (distributed mode).

A long-lived process subscribed to the Prefect server's queue of scheduled background tasks
(a websocket): a task the web submitted runs here at once, in a thread, with no new Python
process per step. At most DOCUMENT_TASKS_AT_ONCE run at a time; more wait in the server's
queue. In embedded mode `python -m flows.serve` runs the same worker in a thread of its own.

The task's parameters (a few outbox ids) travel through Prefect's result storage:
PREFECT_RESULTS_LOCAL_STORAGE_PATH must name the same directory for the web and the task
workers (embedded mode: <SAPAR_PREFECT_HOME>/storage, set for both).
"""

from __future__ import annotations

import asyncio
import logging
import threading

from prefect.task_worker import aserve

from flows.issuing import issue_documents_now

# Bounded: each runs one document at a time against the app's database; two cores.
DOCUMENT_TASKS_AT_ONCE = 4
log = logging.getLogger(__name__)


async def serve_document_tasks() -> None:
    await aserve(issue_documents_now, limit=DOCUMENT_TASKS_AT_ONCE)


def _run_forever() -> None:
    """Serve the tasks; if the subscription breaks (the server restarted), subscribe again."""
    while True:
        try:
            asyncio.run(serve_document_tasks())
        except Exception:
            log.exception("the task worker stopped; starting again in 2 s")
        threading.Event().wait(2.0)


def start_in_thread() -> threading.Thread:
    """The task worker in a daemon thread (embedded mode: beside the flows' runner, which
    keeps the main thread and its signal handling)."""
    thread = threading.Thread(target=_run_forever, name="sapar-document-tasks", daemon=True)
    thread.start()
    return thread


def main() -> None:
    asyncio.run(serve_document_tasks())


if __name__ == "__main__":
    main()
