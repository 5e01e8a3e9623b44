"""The service has one clock (sapar/clock.py): its "today" is the university's date."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest

from sapar import clock
from sapar.config import get_settings


@pytest.fixture
def settings_from_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


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
