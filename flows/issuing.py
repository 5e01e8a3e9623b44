"""Flows that issue the papers transitions asked for (the outbox), one by one or as one order.

Each task is a thin call of sapar.services.issuing, which is idempotent per outbox item: a
retried task or a re-run flow finds the item done and issues nothing twice. A failure is
recorded on the outbox item (status failed, attempts, last_error) by issuing itself, and
the flow run fails after the other items were done, so it shows in Prefect too.
"""

from __future__ import annotations

from typing import Any

from prefect import flow, task
from prefect.context import TaskRunContext
from prefect.states import State

from flows.runtime import app
from sapar.services.issuing import execute_group_order, issue_items
from sapar.services.outbox import items_to_sweep

# Rendering fails for reasons that pass (a locked SQLite file, a PostgreSQL restart): try
# again soon, then later, within the flow run. These retries are one try of the item (they
# spend none of its attempts); what still fails is retried by the sweep on the outbox's own
# schedule (sapar/services/outbox.py: backing off up to an hour apart, for three days).
RETRY_DELAYS: list[float] = [5.0, 30.0, 120.0]


def first_run() -> bool:
    """False inside a Prefect retry of the same task run."""
    ctx = TaskRunContext.get()
    return ctx is None or ctx.task_run.run_count <= 1


class DocumentsFailed(RuntimeError):
    """Some outbox items failed after their retries; they are marked failed on the outbox."""


# On demand a person is waiting: one quick second try (a locked SQLite file passes), then the
# sweep takes over, so a worker thread is never parked for minutes on a broken item.
NOW_RETRY_DELAYS: list[float] = [2.0]

# A task costs Prefect ~10–20 ms of its own; a batch shares it out over its documents.
BATCH_SIZE = 25


@task(
    name="issue-documents-batch",
    retries=len(RETRY_DELAYS),
    retry_delay_seconds=RETRY_DELAYS,
)
def issue_batch(outbox_ids: list[int]) -> list[int | None]:
    """Each item in its own transaction; one item's failure does not stop the others. A retry
    runs the batch again, where the items already done return at once."""
    with app() as a:
        swept = issue_items(a.engine, a.files, outbox_ids, count_attempt=first_run())
    if swept.failed:
        raise DocumentsFailed(f"{len(swept.failed)} of {len(outbox_ids)} outbox items failed: "
                              + "; ".join(swept.failed))  # fmt: skip
    return swept.documents


@task(
    name="issue-group-order",
    retries=len(RETRY_DELAYS),
    retry_delay_seconds=RETRY_DELAYS,
)
def issue_group_order_task(outbox_ids: list[int]) -> int | None:
    with app() as a:
        return execute_group_order(a.engine, a.files, outbox_ids, count_attempt=first_run())


def _each_run_its_own(context: Any, parameters: dict[str, Any]) -> str:
    """A cache key no other run shares. A task worker gives its tasks Prefect's default
    cache policy (same inputs → cached result); asking again for the same items (after a
    failure, or the retry button) must run again, not return the old result."""
    return f"issue-documents-now-{context.task_run.id}"


@task(
    name="issue-documents-now",
    cache_key_fn=_each_run_its_own,
    retries=len(NOW_RETRY_DELAYS),
    retry_delay_seconds=NOW_RETRY_DELAYS,
)
def issue_documents_now(outbox_ids: list[int]) -> list[int | None]:
    """The papers a step just asked for, as a background task: submitted by the web's
    document requests (flows/trigger.py), run at once by the long-lived task worker that
    `python -m flows.serve` (embedded) or `python -m flows.tasks` (distributed) starts — no
    new process per step, so the document is there within about a second. What fails here
    waits for the sweep."""
    return issue_batch.fn(outbox_ids)


@task(name="find-pending-items")
def find_pending(limit: int) -> list[int]:  # the sweep's one selection
    with app() as a:
        return items_to_sweep(a.engine, limit=limit)


def _issue_in_batches(outbox_ids: list[int]) -> list[int | None]:
    """The document ids, in order; or raise naming every item that failed."""
    batches = [outbox_ids[i : i + BATCH_SIZE] for i in range(0, len(outbox_ids), BATCH_SIZE)]
    # return_state: one batch's failure must not keep the others from being issued.
    states: list[State[Any]] = [issue_batch(b, return_state=True) for b in batches]
    failed = [s.message or s.name for s in states if not s.is_completed()]
    if failed:
        raise DocumentsFailed("; ".join(str(f) for f in failed))
    return [doc for s in states for doc in s.result()]


@flow(name="issue-documents", log_prints=True)
def issue_documents(outbox_ids: list[int]) -> list[int | None]:
    """Issue the papers of the given outbox items (e.g. right after a transition)."""
    return _issue_in_batches(outbox_ids)


@flow(name="issue-group-order", log_prints=True)
def issue_group_order(outbox_ids: list[int]) -> int | None:
    """One order for many cases (e.g. all students of a programme leaving together)."""
    return issue_group_order_task(outbox_ids)


@flow(name="sweep-outbox", log_prints=True)
def sweep_outbox(limit: int = 200) -> list[int | None]:
    """Issue everything pending and the failed items whose retry is due: what no flow ran
    for (the flow engine was down when the transition committed) and what failed before
    (the same selection and issuing as sapar.services.issuing.sweep, in batched tasks)."""
    outbox_ids = find_pending(limit)
    if outbox_ids:
        print(f"{len(outbox_ids)} outbox items to issue")
    return _issue_in_batches(outbox_ids)
