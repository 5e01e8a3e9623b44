"""The daily deadline check over many cases with a fixed number of them due.

Three figures per data set: the due scan alone (the query the check's work starts from,
index ix_deadlines_open_due), the whole check on the first run of the day with the letters
recorded (no mail server: the set-based writing, issue 15.2), and the whole check with SMTP
on, sending every letter to a local SMTP server (`bench.smtp_sink`, a process of its own on
a free port) through the check's parallel senders.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from sapar.config import Settings

from .common import TODAY, StatementCounter, percentile

ROOT = Path(__file__).resolve().parent.parent


def scan_ms(engine: Engine, horizon_days: int = 7, repeat: int = 5) -> tuple[float, int]:
    """p50 ms of the due-deadline query, and how many rows it returns."""
    from sapar.services.deadlines import due_deadlines_query

    query = due_deadlines_query(TODAY + timedelta(days=horizon_days))
    times, found = [], 0
    for _ in range(repeat):
        with engine.connect() as conn:
            start = time.perf_counter()
            found = len(conn.execute(query).all())
            times.append((time.perf_counter() - start) * 1000)
    return percentile(times, 50), found


def check(engine: Engine, url: str, smtp_port: int | None = None) -> dict[str, Any]:
    """One whole check as the daily flow runs it (first run of the day: every letter new)."""
    from sapar.services.deadlines import check_deadlines

    settings = Settings(  # type: ignore[call-arg]
        database_url=url,
        smtp_host="127.0.0.1" if smtp_port else None,
        smtp_port=smtp_port or 25,
        _env_file=None,
    )
    with StatementCounter(engine) as counter:
        start = time.perf_counter()
        report = check_deadlines(engine, today=TODAY, settings=settings)
        elapsed = time.perf_counter() - start
    return {
        "seconds": elapsed,
        "looked_at": report.looked_at,
        "marked_overdue": len(report.marked_overdue),
        "notifications": report.sent + report.recorded + report.failed + report.refused,
        "sent": report.sent,
        "failed": report.failed,
        "recorded": report.recorded,
        "statements": counter.n,
        "senders": settings.smtp_senders,
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def smtp_sink() -> Iterator[tuple[int, dict[str, int]]]:
    """A local SMTP server of our own on a free port; yields (port, counts), the counts
    filled in when it stops."""
    port, counts = _free_port(), dict[str, int]()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.smtp_sink", str(port)],
        stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        if proc.stdout.readline().strip() != "ready":
            raise RuntimeError("the local SMTP server did not start")
        yield port, counts
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=30)
        lines = out.strip().splitlines()
        if lines:
            counts.update(json.loads(lines[-1]))
