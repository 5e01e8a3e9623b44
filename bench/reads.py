"""Reads at scale: the case list with filters (through the API when sapar.app exists, else
through sapar.services.queries.list_cases) and a case's history; the web process's memory.

The web process is `sapar serve --no-prefect` (uvicorn serving `sapar.app`) in a child
process, so its peak RSS (VmHWM) is its own; requests come from this process over HTTP.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine, text

from sapar.services import queries, users
from sapar.services.schemas import CaseFilter

from .common import TODAY, free_port, peak_rss_mb, percentile, rss_mb, timed


@dataclass(frozen=True)
class Scenario:
    name: str
    user: str  # bench_iro sees all; dean1 sees one faculty
    params: dict[str, str]


SCENARIOS = (
    Scenario("all cases, newest first (ЭАБД)", "bench_iro", {}),
    Scenario("dean's office: own faculty, state", "dean1", {"state": "closed"}),
    Scenario("kind + state", "bench_iro", {"kind": "outgoing_staff", "state": "closed"}),
    Scenario("academic year", "bench_iro", {"academic_year": "2024-2025"}),
    Scenario("host country", "bench_iro", {"host_country": "Германия"}),
    Scenario("programme", "bench_iro", {"programme": "DAAD"}),
    Scenario("name search q", "bench_iro", {"q": "Асанов"}),
    Scenario("overdue only", "bench_iro", {"overdue": "true"}),
)


@dataclass
class WebServer:
    pid: int
    base: str
    startup_s: float
    rss_idle_mb: float | None


@contextmanager
def web_server(url: str, files: Path, var: Path) -> Iterator[WebServer]:
    """`sapar serve` without its Prefect side, on a free port; stopped afterwards.

    The service's own start (not a bare uvicorn) so the pages are timed in the process users
    get, start-up objects frozen and all (sapar/heap.py).
    """
    port = free_port()
    env = {
        **os.environ,
        "SAPAR_DATABASE_URL": url,
        "SAPAR_FILES_DIR": str(files),
        "SAPAR_VAR_DIR": str(var),
        # The day the data was generated for: the pages' "overdue" and "this year" see it so.
        "SAPAR_TODAY": TODAY.isoformat(),
    }
    cmd = [sys.executable, "-m", "sapar.cli", "serve", "--no-prefect",
           "--host", "127.0.0.1", "--port", str(port)]  # fmt: skip
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        while True:
            if proc.poll() is not None:
                err = proc.stderr.read().decode() if proc.stderr else ""
                raise RuntimeError(f"the web process exited: {err[-2000:]}")
            try:
                httpx.get(base + "/openapi.json", timeout=1)
                break
            except httpx.TransportError:
                if time.perf_counter() - start > 120:
                    raise RuntimeError("the web process did not answer in 120 s") from None
                time.sleep(0.1)
        yield WebServer(proc.pid, base, time.perf_counter() - start, rss_mb(proc.pid))
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _p95(fn: Callable[[], Any], reps: int, budget_s: float = 10.0) -> tuple[float, int]:
    """p95 of `reps` calls (fewer when they are slow: at most ~budget_s), and the count."""
    timed(fn)  # warm-up, not counted
    times: list[float] = []
    start = time.perf_counter()
    for _ in range(reps):
        times.append(timed(fn))
        if time.perf_counter() - start > budget_s and len(times) >= 3:
            break
    return percentile(times, 95), len(times)


def list_through_api(
    server: WebServer, tokens: dict[str, str], total: int, reps: int
) -> list[dict[str, Any]]:
    out = []
    deep_after = max(2, total // 10)  # 90 % of the ids are above the cursor
    with httpx.Client(base_url=server.base, timeout=120) as client:
        for sc in SCENARIOS:
            headers = {"Authorization": f"Bearer {tokens[sc.user]}"}

            def get(params: dict[str, str], headers: dict[str, str] = headers) -> int:
                r = client.get("/api/cases", params=params, headers=headers)
                r.raise_for_status()
                return len(r.json()["cases"])

            rows = get(sc.params)
            p_first, n_first = _p95(partial(get, sc.params), reps)
            deep = {**sc.params, "after": str(deep_after)}
            rows_deep = get(deep)
            p_deep, n_deep = _p95(partial(get, deep), reps)
            out.append({
                "scenario": sc.name, "params": sc.params, "first_p95_ms": p_first,
                "deep_p95_ms": p_deep, "deep_after": deep_after, "rows_first": rows,
                "rows_deep": rows_deep, "n": min(n_first, n_deep),
            })  # fmt: skip
    return out


def list_in_process(engine: Engine, total: int, reps: int) -> list[dict[str, Any]]:
    """The same scenarios through queries.list_cases, for when no API exists yet."""
    out = []
    deep_after = max(2, total // 10)
    for sc in SCENARIOS:
        user = users.get_user(engine, username=sc.user)
        first = CaseFilter(**sc.params)  # type: ignore[arg-type]
        deep = CaseFilter(**sc.params, after=deep_after)  # type: ignore[arg-type]

        def page(f: CaseFilter, u: users.User = user) -> None:
            queries.list_cases(engine, user=u, filters=f)

        p_first, n = _p95(partial(page, first), reps)
        p_deep, _ = _p95(partial(page, deep), reps)
        out.append({"scenario": sc.name, "params": sc.params, "first_p95_ms": p_first,
                    "deep_p95_ms": p_deep, "deep_after": deep_after, "n": n})  # fmt: skip
    return out


def history(
    engine: Engine, total: int, reps: int, server: WebServer | None, token: str | None
) -> dict[str, Any]:
    """p95 of one case's history: service function, bare SQL, and the API when up."""
    rnd = random.Random(11)
    ids = [rnd.randint(1, total) for _ in range(reps)]
    user = users.get_user(engine, username="bench_iro")
    it = iter(ids * 3)
    p_service, _ = _p95(lambda: queries.history(engine, user=user, case_id=next(it)), reps)
    sql = text("SELECT * FROM audit_events WHERE case_id = :c ORDER BY seq")

    def bare() -> None:
        with engine.connect() as conn:
            conn.execute(sql, {"c": next(it)}).all()

    p_bare, _ = _p95(bare, reps)
    out: dict[str, Any] = {"service_p95_ms": p_service, "bare_p95_ms": p_bare}
    if server is not None and token is not None:
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=server.base, timeout=60, headers=headers) as client:
            it_api = iter(ids * 2)

            def api() -> None:
                client.get(f"/api/cases/{next(it_api)}/history").raise_for_status()

            out["api_p95_ms"], _ = _p95(api, reps)
    return out


def web_peak_mb(server: WebServer) -> float | None:
    return peak_rss_mb(server.pid)
