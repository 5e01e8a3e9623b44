"""The daily deadline check as a flow: reminders, overdue marks, escalation."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from prefect import flow, task

from flows.runtime import app
from sapar import clock
from sapar.services.deadlines import check_deadlines


@task(name="check-deadlines", retries=2, retry_delay_seconds=[60, 300])
def check(today: date) -> dict[str, Any]:
    # A retry is safe: a letter already written is never written again, one already sent
    # never sent again, and what a failed attempt left pending is sent by the retry.
    with app() as a:
        report = check_deadlines(a.engine, today=today, settings=a.settings)
    return asdict(report)


@flow(name="check-deadlines", log_prints=True)
def check_deadlines_flow(today: date | None = None) -> dict[str, Any]:
    """Check the deadlines as of `today` (default: today in Osh)."""
    today = today or clock.today()
    report = check(today)
    print(
        f"{today}: {report['looked_at']} deadlines due soon, "
        f"{len(report['marked_overdue'])} overdue now, {report['sent']} letters sent, "
        f"{report['recorded']} recorded, {report['failed']} failed (tried again next time), "
        f"{report['refused']} refused, {report['dropped']} set aside"
    )
    return report
