"""One home for each thing the service must not have two of: the clock (sapar/clock.py), the
academic year (states/periods.py) and the outbox's queries (sapar/services/outbox.py).

Each scan is checked on a snippet too: a scan that could not see a second home would pass
for ever.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
# Where the service's code lives; migrations are history and keep what they were written with.
SERVICE_CODE = ("sapar", "flows", "storage", "documents", "states")
MIGRATIONS = ROOT / "storage" / "migrations" / "versions"
CLOCK = ROOT / "sapar" / "clock.py"
PERIODS = ROOT / "states" / "periods.py"
OUTBOX = ROOT / "sapar" / "services" / "outbox.py"
TABLES = ROOT / "storage" / "orm.py"


def service_modules() -> dict[Path, ast.Module]:
    return {
        p: ast.parse(p.read_text(encoding="utf-8"))
        for top in SERVICE_CODE
        for p in sorted((ROOT / top).rglob("*.py"))
        if MIGRATIONS not in p.parents
    }


def clock_reads(tree: ast.AST) -> list[int]:
    """Lines calling date.today(), datetime.today(), datetime.now() or datetime.utcnow(),
    however the module was imported (`dt.datetime.now(...)` too)."""
    lines = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        owner = node.func.value
        owner_name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
        if node.func.attr in ("today", "now", "utcnow") and owner_name in ("date", "datetime"):
            lines.append(node.lineno)
    return lines


ACADEMIC_YEAR_FUNCTION = re.compile(r"academic_year(_of)?$")


def academic_year_functions(tree: ast.AST) -> list[str]:
    """Functions (and methods) named for telling an academic year, e.g. current_academic_year."""
    return [
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and ACADEMIC_YEAR_FUNCTION.search(node.name)
    ]


def outbox_uses(tree: ast.AST) -> list[int]:
    """Lines using the outbox's table other than as a type (a query, a new row)."""
    annotations: set[int] = set()
    for node in ast.walk(tree):
        notes: list[ast.expr | None] = []
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            every = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
            every += [a for a in (node.args.vararg, node.args.kwarg) if a is not None]
            notes = [a.annotation for a in every] + [node.returns]
        elif isinstance(node, ast.AnnAssign):
            notes = [node.annotation]
        annotations |= {id(n) for note in notes if note is not None for n in ast.walk(note)}
    return sorted(
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and node.id == "OutboxRow" and id(node) not in annotations
    )


def found_outside(homes: tuple[Path, ...], scan: Callable[[ast.Module], list[Any]]) -> list[str]:
    """What `scan` finds in the service's modules other than `homes`, as path:finding."""
    return [
        f"{p.relative_to(ROOT)}:{finding}"
        for p, tree in service_modules().items()
        if p not in homes
        for finding in scan(tree)
    ]


def test_no_module_but_the_clock_reads_the_machines_clock() -> None:
    found = found_outside((CLOCK,), clock_reads)
    assert not found, f"read the time through sapar.clock (now, today), not directly: {found}"


def test_no_module_but_periods_defines_an_academic_year_function() -> None:
    found = found_outside((PERIODS,), academic_year_functions)
    assert not found, f"use states.periods.academic_year_of, do not write another: {found}"


def test_no_module_but_the_outbox_service_queries_the_outbox() -> None:
    found = found_outside((OUTBOX, TABLES), outbox_uses)
    assert not found, f"query the outbox through sapar.services.outbox: {found}"


def test_the_scans_see_a_second_clock_academic_year_and_outbox_query() -> None:
    assert {CLOCK, PERIODS, OUTBOX, TABLES} <= service_modules().keys(), "the scans read the tree"
    clocks = "date.today()\ndatetime.now(UTC)\ndt.datetime.utcnow()\nclock.today()\n"
    assert clock_reads(ast.parse(clocks)) == [1, 2, 3]
    years = (
        "def current_academic_year(d): ...\n"
        "def academic_year_of(d): ...\n"
        "def academic_years(session): ...\n"  # the years on record: a query, not a rule
    )
    assert academic_year_functions(ast.parse(years)) == [
        "current_academic_year",
        "academic_year_of",
    ]
    queries = (
        "def lock(session, ids: list[int]) -> list[OutboxRow]:\n"
        "    return session.scalars(select(OutboxRow))\n"
        "item: OutboxRow | None = OutboxRow(case_id=1)\n"
    )
    assert outbox_uses(ast.parse(queries)) == [2, 3]
