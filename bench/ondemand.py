"""What a registrar waits for: from the POST of a step that issues an order to the document
being downloadable, in embedded mode — `sapar serve` for real (the web, its own Prefect
server, the flows and the task worker), over HTTP, on a SQLite app database of
`cases` generated cases, as `make run` starts it.

One step at a time (each timed from the POST to the last byte of the download), then
`burst` steps in a row (timed until every one of their documents downloads). Meanwhile the
resident memory of the whole embedded tree (every process `sapar serve` started) is
sampled every 100 ms: its peak is what the machine must hold.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from sapar.services import users
from states.model import Role
from storage.db import make_engine, upgrade

from . import gen
from .common import TODAY, appoint_officials, free_port, percentile, proc_status

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-admin-password"
POLL_S = 0.05
WAIT_S = 120.0  # one document; beyond that it is a failure, not a figure


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def tree(pid: int) -> list[int]:
    """`pid` and every process below it."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += _children(p)
    return out


def tree_rss_mb(pid: int) -> float:
    return sum(proc_status(p).get("VmRSS", 0) for p in tree(pid)) / 1024


class RssSampler:
    """The peak of the summed RSS of a process tree, sampled in a thread."""

    def __init__(self, pid: int, every_s: float = 0.1) -> None:
        self.pid, self.every_s, self.peak_mb = pid, every_s, 0.0
        self.processes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            pids = tree(self.pid)
            mb = sum(proc_status(p).get("VmRSS", 0) for p in pids) / 1024
            if mb > self.peak_mb:
                self.peak_mb, self.processes = mb, len(pids)
            self._stop.wait(self.every_s)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


@contextmanager
def embedded_service(tmp: Path, db: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """`sapar serve` (web + embedded Prefect + flows) on free ports; stopped afterwards."""
    port, prefect_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SAPAR_", "PREFECT_"))}
    env.update(
        SAPAR_DATABASE_URL=f"sqlite:///{db}",
        SAPAR_FILES_DIR=str(tmp / "files"),
        SAPAR_VAR_DIR=str(tmp / "var"),
        SAPAR_PREFECT_HOME=str(tmp / "prefect"),
        SAPAR_PREFECT_PORT=str(prefect_port),
        SAPAR_ADMIN_PASSWORD=PASSWORD,
        # The service's "today" is the one the data was generated around (its officials'
        # terms, the cases' dates), as the bench's other service processes have it.
        SAPAR_TODAY=TODAY.isoformat(),
        PYTHONPATH=str(ROOT),
    )
    log = (tmp / "serve.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "sapar.cli", "serve", "--port", str(port)],
        env=env, cwd=tmp, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        yield proc, f"http://127.0.0.1:{port}"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        log.close()


def _wait_answering(proc: subprocess.Popen[bytes], http: httpx.Client, log: Path) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < 300:
        if proc.poll() is not None:
            raise RuntimeError(f"sapar serve exited: {log.read_text()[-2000:]}")
        try:
            if http.get("/api/me").status_code == 200:
                return time.perf_counter() - start
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"sapar serve did not answer: {log.read_text()[-2000:]}")


def _order_of(http: httpx.Client, case_id: int) -> int | None:
    for line in http.get(f"/api/cases/{case_id}/documents").json():
        if line["doc_type"] == "mobility_order" and line["origin"] == "generated":
            return int(line["id"])
    return None


def _step(http: httpx.Client, case_id: int) -> float:
    start = time.perf_counter()
    answer = http.post(f"/api/cases/{case_id}/events", json={"event": "issue_order"})
    if answer.status_code != 200:
        raise RuntimeError(f"issue_order on case {case_id}: {answer.status_code} {answer.text}")
    return time.perf_counter() - start


def _downloaded(http: httpx.Client, case_id: int, deadline: float) -> None:
    """Poll the case's documents until its order is listed, then download it."""
    while time.perf_counter() < deadline:
        doc = _order_of(http, case_id)
        if doc is not None:
            got = http.get(f"/api/cases/{case_id}/documents/{doc}")
            if got.status_code == 200 and got.content.startswith(b"PK"):
                return
        time.sleep(POLL_S)
    raise RuntimeError(f"the order of case {case_id} was not downloadable in {WAIT_S:.0f} s")


def measure(tmp: Path, *, cases: int, singles: int, burst: int, warmup: int = 2) -> dict[str, Any]:
    db = tmp / "embedded.db"
    url = f"sqlite:///{db}"
    upgrade(url)
    appoint_officials(url)
    gen.sqlite_load(str(db), cases)
    ids = list(range(cases - warmup - singles - burst + 1, cases + 1))
    gen.sqlite_ready_to_order(str(db), ids)
    engine = make_engine(url)
    try:
        users.create_user(engine, username="bench_iro", full_name="Гүлнара Мамытова",
                          password=PASSWORD, role=Role.iro)  # fmt: skip
        token = users.add_token(engine, username="bench_iro", name="bench")
    finally:
        engine.dispose()
    warm, single_ids, burst_ids = ids[:warmup], ids[warmup : warmup + singles], ids[-burst:]
    result: dict[str, Any] = {"cases": cases}
    start = time.perf_counter()
    with embedded_service(tmp, db) as (proc, base):
        headers = {"Authorization": f"Bearer {token}"}
        with (
            RssSampler(proc.pid) as rss,
            httpx.Client(base_url=base, headers=headers, timeout=60) as http,
        ):
            result["answering_s"] = _wait_answering(proc, http, tmp / "serve.log")
            # The first documents wait for the flows' process and its task worker to be up.
            for case_id in warm:
                _step(http, case_id)
                _downloaded(http, case_id, time.perf_counter() + 300)
            result["ready_s"] = time.perf_counter() - start
            posts, totals = [], []
            for case_id in single_ids:
                t0 = time.perf_counter()
                posts.append(_step(http, case_id))
                _downloaded(http, case_id, t0 + WAIT_S)
                totals.append(time.perf_counter() - t0)
                time.sleep(0.5)  # one registrar, one step after another
            t0 = time.perf_counter()
            burst_posts = [_step(http, case_id) for case_id in burst_ids]
            for case_id in burst_ids:
                _downloaded(http, case_id, t0 + WAIT_S)
            burst_s = time.perf_counter() - t0
        result.update(
            single_p50_s=percentile(totals, 50), single_p95_s=percentile(totals, 95),
            single_max_s=max(totals), post_p50_ms=percentile(posts, 50) * 1000,
            samples_s=totals, burst=burst, burst_s=burst_s,
            burst_post_p50_ms=percentile(burst_posts, 50) * 1000,
            peak_rss_mb=rss.peak_mb, processes_at_peak=rss.processes,
        )  # fmt: skip
    return result
