"""The service has one clock (sapar/clock.py): its "today" is the university's date."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from sapar import clock
from sapar.config import get_settings

ROOT = Path(__file__).resolve().parents[2]
# Where the service's code lives; migrations are history and keep what they were written with.
SERVICE_CODE = ("sapar", "flows", "storage", "documents", "states")
MIGRATIONS = ROOT / "storage" / "migrations" / "versions"


def service_sources() -> list[Path]:
    return [
        p
        for top in SERVICE_CODE
        for p in sorted((ROOT / top).rglob("*.py"))
        if MIGRATIONS not in p.parents
    ]


def clock_reads(tree: ast.AST) -> list[int]:
    """Lines calling date.today(), datetime.today(), datetime.now() or datetime.utcnow(), however
    the module was imported (`dt.datetime.now(...)` too)."""
    lines = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        owner = node.func.value
        owner_name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
        if node.func.attr in ("today", "now", "utcnow") and owner_name in ("date", "datetime"):
            lines.append(node.lineno)
    return lines


@pytest.fixture
def settings_from_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def test_no_module_but_the_clock_reads_the_machines_clock() -> None:
    found = {
        f"{p.relative_to(ROOT)}:{line}"
        for p in service_sources()
        if p != ROOT / "sapar" / "clock.py"
        for line in clock_reads(ast.parse(p.read_text(encoding="utf-8")))
    }
    assert not found, f"read the time through sapar.clock (now/today), not directly: {found}"


def test_the_scan_would_see_a_second_clock() -> None:
    # The check above is only worth its silence if it recognises each way of reading the clock.
    source = "date.today()\ndatetime.now(UTC)\ndt.datetime.utcnow()\nclock.today()\n"
    assert clock_reads(ast.parse(source)) == [1, 2, 3]


def test_today_turns_at_midnight_in_osh_not_on_the_machine(
    settings_from_env: pytest.MonkeyPatch,
) -> None:
    settings_from_env.delenv("SAPAR_TODAY", raising=False)
    settings_from_env.setenv("SAPAR_TIMEZONE", "Asia/Bishkek")  # UTC+6
    late_evening_in_utc = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)
    settings_from_env.setattr(clock, "now", lambda: late_evening_in_utc)
    assert clock.today() == date(2026, 11, 24)


def test_sapar_today_pins_the_day_and_leaves_the_moment_alone(
    settings_from_env: pytest.MonkeyPatch,
) -> None:
    settings_from_env.setenv("SAPAR_TODAY", "2026-11-23")
    assert clock.today() == date(2026, 11, 23)
    # Sessions, sign-in links and retries count real time, whatever day the data is set on.
    assert abs(clock.now() - datetime.now(UTC)) < timedelta(seconds=5)
