"""The daily deadline check over many cases with a fixed number of them due.

Through `sapar.services.deadlines.check_deadlines` when it exists (the whole check: scan,
notifications written and delivered, overdue marks), and always the scan alone (the query
the check starts with, open deadlines up to the horizon, index ix_deadlines_open_due).
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, text

from sapar.config import Settings

from .common import TODAY, StatementCounter, percentile

SCAN_SQL = text(
    "SELECT d.id, d.due_date, c.id, p.full_name FROM deadlines d "
    "JOIN cases c ON c.id = d.case_id JOIN participants p ON p.id = c.participant_id "
    "WHERE d.status = 'open' AND d.due_date <= :horizon ORDER BY d.due_date, d.id"
)


def scan_ms(engine: Engine, horizon_days: int = 7, repeat: int = 5) -> tuple[float, int]:
    """p50 ms of the due-deadline query, and how many rows it returns."""
    times, found = [], 0
    try:
        from sapar.services.deadlines import due_deadlines_query

        query: Any = due_deadlines_query(TODAY + timedelta(days=horizon_days))
        params: dict[str, Any] = {}
    except ImportError:
        query, params = SCAN_SQL, {"horizon": TODAY + timedelta(days=horizon_days)}
    for _ in range(repeat):
        with engine.connect() as conn:
            start = time.perf_counter()
            found = len(conn.execute(query, params).all())
            times.append((time.perf_counter() - start) * 1000)
    return percentile(times, 50), found


def check(engine: Engine, url: str) -> dict[str, Any]:
    """One full check as the daily flow runs it (first run of the day: every letter new)."""
    try:
        from sapar.services.deadlines import check_deadlines
    except ImportError as exc:
        return {"skipped": f"sapar.services.deadlines.check_deadlines missing: {exc}"}
    settings = Settings(database_url=url, smtp_host=None, _env_file=None)  # type: ignore[call-arg]
    with StatementCounter(engine) as counter:
        start = time.perf_counter()
        report = check_deadlines(engine, today=TODAY, settings=settings)
        elapsed = time.perf_counter() - start
    return {
        "seconds": elapsed,
        "looked_at": report.looked_at,
        "marked_overdue": len(report.marked_overdue),
        "notifications": report.sent + report.recorded + report.failed,
        "statements": counter.n,
    }
