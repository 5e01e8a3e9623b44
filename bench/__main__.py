"""`python -m bench [--quick]`: generate data, measure, print a table, write var/bench.json.

Sections (README, "Performance"): transitions on SQLite and PostgreSQL against bare writes;
documents through issuing (and the Prefect flow) against bare docxtpl; the deadline check,
the case list and a case's history at national scale; memory of the web process and of a
document worker; start-up of a fresh clone.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import psycopg
from rich.console import Console
from rich.table import Table

from sapar.services import users
from storage.db import make_engine, upgrade

from . import deadline, gen, ondemand, reads, startup, transitions
from .common import (
    TODAY,
    Results,
    appoint_officials,
    loadavg,
    pg_available,
    pg_database,
    psycopg_dsn,
)

ROOT = Path(__file__).resolve().parent.parent
console = Console(width=max(Console().width, 180))


@dataclass(frozen=True)
class Sizes:
    sqlite_cases: int
    pg_small: int
    pg_large: int
    due: int
    fires: int
    documents: int
    group: int
    flow: int
    batch: int
    reps: int
    history_reps: int
    cold_start: bool
    embedded_cases: int
    singles: int
    burst: int


FULL = Sizes(100_000, 100_000, 1_000_000, 10_000, 1000, 1000, 1000, 300, 50, 30, 300, True,
             20_000, 30, 20)  # fmt: skip
QUICK = Sizes(10_000, 2_000, 10_000, 200, 200, 50, 50, 50, 25, 15, 100, False, 2_000, 8, 20)
PROFILED = 50  # service steps run under cProfile after the timed ones
GROUPS = 3  # group orders, each beside its bare render: the ratio is the median of three


def _ok(value: float | None, limit: float) -> bool | None:
    return None if value is None else value <= limit


class Bench:
    def __init__(self, sizes: Sizes, results: Results, out: Path, *, cold: bool = False) -> None:
        self.cold, self.out = cold, out
        self.s, self.r = sizes, results
        self.failures: list[str] = []
        self.tmp = Path(tempfile.mkdtemp(prefix="sapar-bench-"))

    def section(self, name: str, fn: Callable[[], None]) -> None:
        console.print(f"[bold cyan]▶ {name}[/bold cyan]")
        start = time.perf_counter()
        self.r.details.setdefault("loadavg", {})[name] = [loadavg()]
        try:
            fn()
        except Exception as exc:
            self.failures.append(name)
            self.r.add(name, "failed", None, "", note=f"{type(exc).__name__}: {exc}"[:300])
            console.print(traceback.format_exc())
        self.r.details["loadavg"][name].append(loadavg())
        console.print(f"  done in {time.perf_counter() - start:.1f} s (load {loadavg()})")
        self.save()

    def save(self) -> None:
        """Write what is known so far: a run stopped midway still leaves its figures."""
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.out.write_text(json.dumps(self.r.as_json(), indent=2, ensure_ascii=False,
                                       default=str))  # fmt: skip

    # --- 1. transitions ----------------------------------------------------------------

    def _transitions(
        self, db: str, label: str, url: str, ids: list[int], links: dict[int, tuple[int, str]]
    ) -> None:
        engine = make_engine(url)
        try:
            f, pg = self.s.fires, db == "PostgreSQL"
            service_ids, bare_ids = ids[0 : 2 * f : 2], ids[1 : 2 * f : 2]
            # PostgreSQL: a third case a round, the service's statements in plain psycopg.
            same_ids = ids[2 * f + PROFILED : 3 * f + PROFILED] if pg else []
            fig = transitions.run(
                engine, service_ids, bare_ids, links, same_ids=same_ids,
                dsn=psycopg_dsn(url) if pg else None,
                profile_ids=ids[2 * f : 2 * f + PROFILED],
            )  # fmt: skip
        finally:
            engine.dispose()
        s = fig.summary()
        sec = f"transition ({db}, {label})"
        pg = db == "PostgreSQL"
        self.r.add(sec, "service p50", s["service_p50"], "ms")
        self.r.add(sec, "service p99", s["service_p99"], "ms", target="≤ 20 ms" if pg else "",
                   ok=_ok(s["service_p99"], 20) if pg else None)  # fmt: skip
        self.r.add(sec, "bare p50", s["bare_p50"], "ms")
        self.r.add(sec, "bare p99", s["bare_p99"], "ms")
        self.r.add(sec, "ratio service/the same writes by hand (median of pairs)",
                   s["ratio_median"], "×", note=f"p50 ratio {s['ratio_p50']:.2f}×, p99 ratio "
                   f"{s['ratio_p99']:.2f}×; {s['statements_service']:.0f} SQL statements vs "
                   f"{s['statements_bare']:.0f}: what the guards' reads cost")  # fmt: skip
        if "same_p50" in s:
            self.r.add(sec, "the service's statements in plain psycopg p50", s["same_p50"], "ms",
                       note=f"p99 {s['same_p99']:.1f} ms; median of per-round ratios "
                       f"{s['ratio_same_median']:.2f}×")  # fmt: skip
        self.r.details[f"transition_{db}_{label}"] = {**s, "profile": fig.profile}
        if pg and self.total >= self.s.pg_large:
            how = (f"{label}; services.cases.fire issue_order alternating with the same "
                   f"statements in plain psycopg and the same writes by hand, {s['n']:.0f} "
                   f"rounds")  # fmt: skip
            self.r.measure("step_p99", s["service_p99"], section=sec, note=how)
            self.r.measure("step_p50_ratio", s.get("ratio_same_median"), section=sec,
                           note=f"p50 {s['service_p50']:.1f} ms vs {s.get('same_p50', 0):.1f} ms "
                           f"for the service's {s['statements_service']:.0f} statements captured "
                           f"and replayed with psycopg alone; against only the 3 writes by hand "
                           f"(bare {s['bare_p50']:.1f} ms) {s['ratio_median']:.2f}×")  # fmt: skip

    def sqlite_transitions(self) -> None:
        path = self.tmp / "sqlite.db"
        url = f"sqlite:///{path}"
        upgrade(url)
        appoint_officials(url)
        start = time.perf_counter()
        counts = gen.sqlite_load(str(path), self.s.sqlite_cases)
        self.r.details["sqlite_data"] = {**counts, "load_s": time.perf_counter() - start}
        n = self.s.sqlite_cases
        ids = list(range(n - 2 * self.s.fires - PROFILED + 1, n + 1))
        links = gen.sqlite_ready_to_order(str(path), ids)
        self._transitions("SQLite", f"{n:,} cases", url, ids, links)

    # --- PostgreSQL: all sections on one database that grows -----------------------------

    def postgres(self) -> None:
        why = pg_available()
        if why:
            self.r.add("PostgreSQL", "not available", None, "", note=why)
            self.failures.append("PostgreSQL")
            return
        with pg_database("main") as url:
            upgrade(url)
            appoint_officials(url)
            self.url = url
            self.conn = psycopg.connect(psycopg_dsn(url), autocommit=True)
            try:
                gen.pg_reference_data(self.conn)
                self._grow(1, self.s.pg_small)
                self.section("transition (PostgreSQL, small)", self.pg_transitions)
                self.section("documents", self.documents)
                self.section("deadline check (small)", lambda: self.deadlines(self.s.due))
                self._grow(self.s.pg_small + 1, self.s.pg_large)
                self.section("transition (PostgreSQL, large)", self.pg_transitions)
                self.section(
                    "deadline check (large)", lambda: self.deadlines(self.s.due, smtp=True)
                )
                self.section(
                    "deadline check (large, ten times as many due)",
                    lambda: self.deadlines(self.s.due * 10),
                )
                self.section("case list, history, web memory", self.reads)
            finally:
                self.conn.close()

    def _grow(self, lo: int, hi: int) -> None:
        console.print(f"[bold cyan]▶ data: cases {lo:,}…{hi:,}[/bold cyan]")
        start = time.perf_counter()
        counts = gen.pg_grow(self.conn, lo, hi)
        elapsed = time.perf_counter() - start
        self.total = hi
        self.r.details.setdefault("pg_data", []).append({**counts, "load_s": elapsed})
        self.r.add("data (PostgreSQL)", f"generate cases {lo:,}…{hi:,}", elapsed, "s",
                   note=f"{counts['cases']:,} cases, {counts['audit_events']:,} audit events "
                   f"in the table")  # fmt: skip
        console.print(f"  {counts} in {elapsed:.1f} s")

    def pg_transitions(self) -> None:
        n, f = self.total, self.s.fires
        ids = list(range(n - 3 * f - PROFILED + 1, n + 1))
        gen.pg_ready_to_order(self.conn, ids)
        links = gen.pg_last_links(self.conn, ids)
        self.fired_upto = ids[0]
        self._transitions("PostgreSQL", f"{n:,} cases", self.url, ids, links)

    # --- 2. documents --------------------------------------------------------------------

    def _queue(self, ids: list[int]) -> list[int]:
        gen.pg_ready_to_order(self.conn, ids, state="ordered")
        rows = self.conn.execute(
            "SELECT id FROM outbox WHERE case_id = ANY(%s) AND status = 'pending' ORDER BY id",
            (ids,),
        ).fetchall()
        return [int(r[0]) for r in rows]

    def documents(self) -> None:
        top = self.fired_upto - 1
        g = self.s.group
        groups = [list(range(top - (k + 1) * g + 1, top - k * g + 1)) for k in range(GROUPS)]
        low = min(groups[-1])
        flow_cases = list(range(low - self.s.flow, low))
        args = {
            "url": self.url,
            "files": str(self.tmp / "files"),
            "individual": self.s.documents,
            "group_ids": [self._queue(cases) for cases in groups],
            "flow_ids": self._queue(flow_cases),
            "batch": self.s.batch,
        }
        # SAPAR_TODAY: the papers are dated the day the data was generated for.
        env = {**os.environ, "SAPAR_DATABASE_URL": self.url, "SAPAR_TODAY": TODAY.isoformat(),
               "SAPAR_FILES_DIR": str(self.tmp / "files"), "PYTHONPATH": str(ROOT)}  # fmt: skip
        proc = subprocess.run(
            [sys.executable, "-m", "bench.docs_worker", json.dumps(args)],
            env=env, capture_output=True, text=True, cwd=self.tmp,
        )  # fmt: skip
        if proc.returncode != 0:
            raise RuntimeError(f"document worker failed: {proc.stderr[-3000:]}")
        d = json.loads(proc.stdout.strip().splitlines()[-1])
        self.r.details["documents"] = d
        ind = d["individual"]
        self.r.add("documents", f"execute_effect, {ind['n']} mobility orders", ind["per_doc_ms"],
                   "ms/doc", note=f"bare docxtpl {ind['bare_per_doc_ms']:.1f} ms/doc")  # fmt: skip
        self.r.add("documents", "ratio issuing/bare", ind["ratio"], "×")
        self.r.measure("issuing_one_order_ratio", ind.get("ratio_median", ind["ratio"]),
                       section="documents", note=f"{ind['n']} mobility orders through "
                       f"execute_effect, {ind['per_doc_ms']:.1f} ms/doc vs bare docxtpl "
                       f"{ind['bare_per_doc_ms']:.1f} ms/doc")  # fmt: skip
        if "group" in d:
            g = d["group"]
            self.r.add("documents", f"group order, {g['students']} students", g["total_s"], "s",
                       note=f"{g['per_student_ms']:.1f} ms/student; "
                       f"bare {g['bare_s']:.2f} s")  # fmt: skip
            self.r.add("documents", "ratio group order/bare", g["ratio"], "×")
            if g["students"] >= 1000:
                self.r.measure("group_order_ratio", g.get("ratio_median", g["ratio"]),
                               section="documents", note=f"{g['students']} students: "
                               f"{g['total_s']:.2f} s vs bare {g['bare_s']:.2f} s")  # fmt: skip
        flow = d.get("flow")
        if flow and "skipped" not in flow:
            self.r.add("documents", f"through the flow, {flow['n']} in batches of "
                       f"{flow['batch']}", flow["per_doc_ms"], "ms/doc",
                       note=f"bare {flow['bare_per_doc_ms']:.1f} ms/doc; Prefect server start "
                       f"{flow['server_start_s']:.0f} s (not counted)")  # fmt: skip
            self.r.add("documents", "ratio flow/bare", flow["ratio"], "×", target="≤ 1.3×",
                       ok=_ok(flow["ratio"], 1.3))  # fmt: skip
        elif flow:
            self.r.add("documents", "through the flow", None, "", note=flow["skipped"])
        self.r.add("memory", "document worker peak RSS (issuing)", d["rss_peak_mb_issuing"], "MB")
        if "rss_peak_mb_with_flow" in d:
            self.r.add("memory", "document worker peak RSS (with the flow)",
                       d["rss_peak_mb_with_flow"], "MB")  # fmt: skip

    # --- 3. deadline check ---------------------------------------------------------------

    def deadlines(self, due: int, *, smtp: bool = False) -> None:
        gen.pg_set_due(self.conn, due, self.total)
        engine = make_engine(self.url)
        mailed: dict[str, Any] | None = None
        try:
            scan, found = deadline.scan_ms(engine)
            full = deadline.check(engine, self.url)
            if smtp:
                gen.pg_set_due(self.conn, due, self.total)  # the same day again, no letters yet
                with deadline.smtp_sink() as (port, counts):
                    mailed = deadline.check(engine, self.url, smtp_port=port)
                mailed["accepted_by_server"] = counts.get("letters")
        finally:
            engine.dispose()
        sec = f"deadline check ({self.total:,} cases, {due:,} due)"
        self.r.details[sec] = {"scan_ms": scan, "scan_rows": found, **full, "smtp": mailed}
        self.r.add(sec, "due scan (query)", scan, "ms", note=f"{found:,} rows")
        large = self.total >= self.s.pg_large
        limit = 1.0 if due <= 10_000 else 8.0
        self.r.add(sec, "check_deadlines, first run of the day (letters recorded)",
                   full["seconds"], "s", target=f"≤ {limit:g} s" if large else "",
                   ok=_ok(full["seconds"], limit) if large else None,
                   note=f"{full['notifications']:,} letters, {full['marked_overdue']:,} "
                   f"marked overdue, {full['statements']:,} SQL statements")  # fmt: skip
        if large and due in (10_000, 100_000):
            self.r.measure("deadline_check_10k" if due == 10_000 else "deadline_check_100k",
                           full["seconds"], section=sec, note=f"first run of the day, "
                           f"{full['notifications']:,} notifications")  # fmt: skip
        if mailed is not None:
            rate = mailed["sent"] / mailed["seconds"] if mailed["seconds"] else None
            self.r.add(sec, f"check_deadlines with SMTP on ({mailed['senders']} senders)", rate,
                       "letters/s", target="≥ 200 letters/s",
                       ok=None if rate is None else rate >= 200,
                       note=f"{mailed['sent']:,} letters sent in {mailed['seconds']:.1f} s to a "
                       f"local SMTP server (aiosmtpd, own process), which accepted "
                       f"{mailed['accepted_by_server']}; {mailed['failed']} failed, "
                       f"{mailed['recorded']} recorded (no address)")  # fmt: skip
            if large:
                self.r.measure("deadline_smtp_letters_per_s", rate, section=sec,
                               note=f"{mailed['sent']:,} letters, {mailed['senders']} senders, "
                               f"to a local SMTP server in its own process")  # fmt: skip

    # --- 4-6. reads and the web process --------------------------------------------------

    def reads(self) -> None:
        engine = make_engine(self.url)
        sec_list = f"case list ({self.total:,} cases)"
        try:
            tokens = {u: users.add_token(engine, username=u, name="bench")
                      for u in ("bench_iro", "dean1")}  # fmt: skip
            try:
                import sapar.app  # noqa: F401
            except ImportError:
                server_ctx = None
            else:
                server_ctx = reads.web_server(self.url, self.tmp / "files", self.tmp / "var")
            if server_ctx is None:
                lines = reads.list_in_process(engine, self.total, self.s.reps)
                how = "through sapar.services.queries.list_cases (no sapar.app yet)"
                hist = reads.history(engine, self.total, self.s.history_reps, None, None)
                self._report_reads(sec_list, how, lines, hist)
                return
            with server_ctx as server:
                self.r.add("memory", "web process RSS after start", server.rss_idle_mb, "MB",
                           note=f"answered after {server.startup_s:.1f} s")  # fmt: skip
                lines = reads.list_through_api(server, tokens, self.total, self.s.reps)
                hist = reads.history(
                    engine, self.total, self.s.history_reps, server, tokens["bench_iro"]
                )
                peak = reads.web_peak_mb(server)
            how = "through the API: GET /api/cases over HTTP (sapar serve --no-prefect)"
            self._report_reads(sec_list, how, lines, hist)
            self.r.add("memory", "web process peak RSS (after list + history load)", peak,
                       "MB", target="≤ 300 MB", ok=_ok(peak, 300))  # fmt: skip
        finally:
            engine.dispose()

    def _report_reads(
        self, sec: str, how: str, lines: list[dict[str, Any]], hist: dict[str, Any]
    ) -> None:
        self.r.details["case_list"] = {"measured": how, "scenarios": lines}
        for line in lines:
            worst = max(line["first_p95_ms"], line["deep_p95_ms"])
            self.r.add(sec, line["scenario"], worst, "ms p95", target="≤ 150 ms",
                       ok=_ok(worst, 150), note=f"first page {line['first_p95_ms']:.1f}, "
                       f"deep (after={line['deep_after']:,}) "
                       f"{line['deep_p95_ms']:.1f}")  # fmt: skip
        self.r.add(sec, "measured", None, "", note=how)
        if self.total >= self.s.pg_large and lines:
            worst = max(lines, key=lambda x: max(x["first_p95_ms"], x["deep_p95_ms"]))
            self.r.measure("case_list_p95", max(worst["first_p95_ms"], worst["deep_p95_ms"]),
                           section=sec, note=f"worst of {len(lines)} filters: "
                           f"{worst['scenario']}")  # fmt: skip
        events = self.r.details.get("pg_data", [{}])[-1].get("audit_events", 0)
        hsec = f"case history ({events:,} audit events)"
        self.r.details["history"] = hist
        self.r.add(hsec, "queries.history p95", hist["service_p95_ms"], "ms", target="≤ 10 ms",
                   ok=_ok(hist["service_p95_ms"], 10),
                   note=f"bare SELECT {hist['bare_p95_ms']:.2f} ms")  # fmt: skip
        if self.total >= self.s.pg_large:
            self.r.measure("history_p95", hist["service_p95_ms"], section=hsec,
                           note=f"queries.history over {events:,} events; bare SELECT "
                           f"{hist['bare_p95_ms']:.2f} ms")  # fmt: skip
        if "api_p95_ms" in hist:
            self.r.add(hsec, "GET /api/cases/{id}/history p95", hist["api_p95_ms"], "ms")

    # --- 2b. documents on demand: what a registrar waits for -----------------------------

    def on_demand(self) -> None:
        s = self.s
        d = ondemand.measure(self.tmp / "embedded", cases=s.embedded_cases, singles=s.singles,
                             burst=s.burst)  # fmt: skip
        self.r.details["on_demand"] = d
        sec = "documents on demand (embedded mode)"
        how = (f"sapar serve (web, Prefect server, flows + task worker) on SQLite with "
               f"{d['cases']:,} cases; issue_order over HTTP → order listed and downloaded; "
               f"{len(d['samples_s'])} steps one after another")  # fmt: skip
        self.r.measure("step_to_document_p50", d["single_p50_s"], section=sec,
                       note=f"{how}; the POST itself {d['post_p50_ms']:.0f} ms p50")  # fmt: skip
        self.r.measure("step_to_document_p95", d["single_p95_s"], section=sec,
                       note=f"slowest {d['single_max_s']:.2f} s")  # fmt: skip
        self.r.measure("twenty_steps_all_downloadable", d["burst_s"], section=sec,
                       note=f"{d['burst']} POSTs back to back ({d['burst_post_p50_ms']:.0f} ms "
                       f"p50 each), until every order downloads")  # fmt: skip
        self.r.measure("embedded_peak_rss", d["peak_rss_mb"], section=sec,
                       note=f"sum over the {d['processes_at_peak']} processes of sapar serve "
                       f"at the peak, sampled every 100 ms through the whole section")  # fmt: skip
        self.r.add(sec, "sapar serve → answering, then first documents", d["ready_s"], "s",
                   note=f"answering after {d['answering_s']:.1f} s (embedded Prefect "
                   f"included); first documents after the task worker subscribed")  # fmt: skip

    # --- 7. start-up ---------------------------------------------------------------------

    def startup(self) -> None:
        found = startup.measure(cold=self.s.cold_start and self.cold)
        self.r.details["startup"] = found
        for mode, m in found.items():
            if mode == "warm":
                self.r.measure("serve_answering_warm", m["seconds"] if m["serving"] else None,
                               section="start-up", note="fresh clone with a copied .venv: "
                               "make run until / answers")  # fmt: skip
            if m["serving"]:
                self.r.add("start-up", f"fresh clone → make run serving ({mode})", m["seconds"],
                           "s", note=f"clone {m['clone_s']:.1f} s, venv copy "
                           f"{m['venv_copy_s']:.1f} s (not counted)")  # fmt: skip
            else:
                tail = " | ".join(m.get("log_tail", [])[-2:])[-240:]
                self.r.add("start-up", f"fresh clone → make run serving ({mode})", None, "s",
                           note=f"not measurable yet: make run stopped after "
                           f"{m['seconds']:.0f} s without serving: {tail}")  # fmt: skip


def print_table(results: Results) -> None:
    table = Table(title="sapar benchmarks" + (" (quick)" if results.quick else ""))
    for col in ("section", "metric", "value", "target", "", "note"):
        table.add_column(col, overflow="fold")
    for f in results.figures:
        value = "—" if f.value is None else f"{f.value:,.2f} {f.unit}"
        mark = {True: "[green]✓[/green]", False: "[red]✗[/red]", None: ""}[f.ok]
        table.add_row(f.section, f.metric, value, f.target, mark, f.note)
    console.print(table)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, under 3 minutes")
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "bench.json")
    parser.add_argument("--no-startup", action="store_true", help="skip the fresh-clone test")
    cold = "also time a fresh clone that installs its own .venv (minutes)"
    parser.add_argument("--cold", action="store_true", help=cold)
    args = parser.parse_args(argv)
    results = Results(quick=args.quick)
    sizes = QUICK if args.quick else FULL
    results.details["sizes"] = asdict(sizes)
    bench = Bench(sizes, results, args.out, cold=args.cold)
    start = time.perf_counter()
    bench.section("documents on demand (embedded mode)", bench.on_demand)
    bench.section("transition (SQLite)", bench.sqlite_transitions)
    bench.section("PostgreSQL", bench.postgres)
    if not args.no_startup:
        bench.section("start-up", bench.startup)
    shutil.rmtree(bench.tmp, ignore_errors=True)
    results.details["total_s"] = time.perf_counter() - start
    results.details["failed_sections"] = bench.failures
    print_table(results)
    bench.save()
    console.print(f"written {args.out} in {results.details['total_s']:.0f} s total")
    return 1 if bench.failures else 0


if __name__ == "__main__":
    sys.exit(main())
