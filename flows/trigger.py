"""Ask the flows to issue a case's documents now, right after a transition committed.

Best effort by design: if the Prefect server is down or not configured, nothing is lost —
the items stay pending in the outbox and the sweep (every 5 minutes) issues them. It costs
two calls to the Prefect API (~20-50 ms), so the web calls it after sending its response
(a background task), never inside the transaction.
"""

from __future__ import annotations

import logging
import os

from sqlalchemy import Engine, select

from flows.embedded import api_url
from sapar.config import Settings
from storage.orm import OutboxRow
from storage.uow import UnitOfWork

ON_DEMAND = "issue-documents/on-demand"
log = logging.getLogger(__name__)


def pending_items_of(engine: Engine, case_id: int) -> list[int]:
    with UnitOfWork(engine, read_only=True) as uow:
        return list(
            uow.session.scalars(
                select(OutboxRow.id)
                .where(OutboxRow.case_id == case_id, OutboxRow.status == "pending")
                .order_by(OutboxRow.id)
            )
        )


def request_case_documents(engine: Engine, case_id: int, settings: Settings) -> str | None:
    """Start the on-demand flow for the case's pending items; the flow run id, or None."""
    outbox_ids = pending_items_of(engine, case_id)
    if not outbox_ids:
        return None
    # Without a server address Prefect would start a throwaway server in this process
    # (5-12 s): use the distributed server if one is configured, else the embedded one.
    api = os.environ.get("PREFECT_API_URL") or api_url(settings)
    try:
        from prefect.client.schemas.objects import FlowRun
        from prefect.deployments import run_deployment
        from prefect.settings import temporary_settings

        with temporary_settings({"api.url": api}):
            run = run_deployment(
                ON_DEMAND, parameters={"outbox_ids": outbox_ids}, timeout=0, as_subflow=False
            )
        assert isinstance(run, FlowRun)  # called from sync code: no coroutine
        return str(run.id)
    except Exception as exc:  # the sweep issues them anyway
        log.warning(
            "could not request documents of case #%s now (%s); the sweep will", case_id, exc
        )
        return None
