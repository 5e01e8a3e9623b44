"""What every benchmark needs: timers, percentiles, results, /proc memory, throwaway databases."""

from __future__ import annotations

import math
import os
import re
import socket
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url

from .targets import BY_KEY, FORMAT, TARGETS

PG_URL = os.environ.get(
    "SAPAR_BENCH_PG_URL",
    os.environ.get("SAPAR_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"),
)
# The "today" of every benchmark: fixed, so a run is comparable with the last one.
TODAY = date(2026, 11, 23)


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (0-100) by nearest rank; NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def median_ratio(measured: list[float], bare: list[float]) -> float:
    """The median of per-pair ratios (measured[i] / bare[i], taken side by side): a load spike
    hits both members of a pair, so it cancels out instead of skewing one side."""
    ratios = [m / b for m, b in zip(measured, bare, strict=True) if b > 0]
    return percentile(ratios, 50)


def timed(fn: Callable[[], Any]) -> float:
    """Milliseconds one call of `fn` took."""
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


@dataclass
class Figure:
    """One line of the results table."""

    section: str
    metric: str
    value: float | None
    unit: str
    target: str = ""
    ok: bool | None = None  # None: no target, or not measurable
    note: str = ""
    key: str | None = None  # one of bench.targets.TARGETS, when this figure is one of them


@dataclass
class Results:
    quick: bool
    figures: list[Figure] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    started_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    load_at_start: str = field(default_factory=lambda: loadavg())

    def add(
        self,
        section: str,
        metric: str,
        value: float | None,
        unit: str,
        *,
        target: str = "",
        ok: bool | None = None,
        note: str = "",
    ) -> Figure:
        fig = Figure(section, metric, value, unit, target, ok, note)
        self.figures.append(fig)
        return fig

    def measure(
        self, key: str, value: float | None, *, section: str = "", note: str = ""
    ) -> Figure:
        """Record the figure of one of issue 15's targets (bench/targets.py): its target and
        whether it was met come from there. A later measure of the same key replaces it."""
        t = BY_KEY[key]  # KeyError: add the target to bench/targets.py first
        if value is not None and value != value:  # NaN: nothing was measured
            value = None
        self.figures = [f for f in self.figures if f.key != key]
        fig = Figure(section or "targets", t.figure, value, t.unit, t.target, t.met(value),
                     note, key)  # fmt: skip
        self.figures.append(fig)
        return fig

    def targets(self) -> list[dict[str, Any]]:
        """Every target, in the table's order; one not measured is not met."""
        found = {f.key: f for f in self.figures if f.key}
        out = []
        for t in TARGETS:
            f = found.get(t.key)
            out.append({
                "key": t.key, "figure": t.figure, "target": t.target, "limit": t.limit,
                "better": t.better, "unit": t.unit,
                "value": f.value if f else None,
                "met": t.met(f.value) if f else False,
                "note": f.note if f else "not measured in this run",
                "section": f.section if f else "",
            })  # fmt: skip
        return out

    def as_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "quick": self.quick,
            "today": TODAY.isoformat(),
            "started_at": self.started_at,
            "machine": {"cpus": os.cpu_count(), "loadavg_at_start": self.load_at_start},
            "targets": self.targets(),
            "figures": [asdict(f) for f in self.figures],
            "details": self.details,
        }


# --- memory, from /proc (no psutil) --------------------------------------------------------

_KB = re.compile(r"^(\w+):\s+(\d+) kB", re.M)


def proc_status(pid: int | str = "self") -> dict[str, int]:
    """VmRSS, VmHWM (peak RSS), ... of a process, in kB; {} when it is gone."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return {}
    return {k: int(v) for k, v in _KB.findall(text)}


def peak_rss_mb(pid: int | str = "self") -> float | None:
    kb = proc_status(pid).get("VmHWM")
    return kb / 1024 if kb is not None else None


def loadavg() -> str:
    """The 1-minute load average: other work on the machine skews every figure."""
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "?"


def rss_mb(pid: int | str = "self") -> float | None:
    kb = proc_status(pid).get("VmRSS")
    return kb / 1024 if kb is not None else None


# --- throwaway databases -------------------------------------------------------------------


def _admin() -> psycopg.Connection[Any]:
    u = make_url(PG_URL)
    return psycopg.connect(
        host=u.host, port=u.port or 5432, user=u.username, dbname=u.database, autocommit=True
    )


def pg_available() -> str | None:
    """None when PostgreSQL answers, else why not."""
    try:
        with _admin() as conn:
            conn.execute("SELECT 1")
    except psycopg.OperationalError as exc:
        return str(exc).strip().splitlines()[0]
    return None


@contextmanager
def pg_database(label: str) -> Iterator[str]:
    """A database of our own (sapar_bench_<label>_<random>), dropped afterwards."""
    name = f"sapar_bench_{label}_{uuid.uuid4().hex[:8]}"
    with _admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with _admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def psycopg_dsn(url: str) -> str:
    """A libpq connection string from a SQLAlchemy URL."""
    u = make_url(url)
    parts = {"host": u.host, "port": u.port or 5432, "user": u.username, "dbname": u.database}
    if u.password:
        parts["password"] = u.password
    return " ".join(f"{k}={v}" for k, v in parts.items() if v is not None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class StatementCounter:
    """Counts the SQL statements an engine sends while the block runs."""

    def __init__(self, engine: Engine) -> None:
        self.engine, self.n = engine, 0

    def _count(self, *_: Any) -> None:
        self.n += 1

    def __enter__(self) -> StatementCounter:
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *_: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._count)


def appoint_officials(url: str) -> None:
    """The signers an order needs, as an administrator records them (steps that ask for a
    paper are refused without them, 4.1, 4.8)."""
    from sapar.services.officials import save_all
    from scripts.demo import demo_officials
    from storage.db import make_engine

    engine = make_engine(url)
    save_all(engine, demo_officials(), actor="bench")
    engine.dispose()
