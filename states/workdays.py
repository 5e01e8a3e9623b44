"""Kyrgyz working days, for deadlines the regulation counts in working days ("ИПК duties").

Public holidays and the government's day swaps (a Saturday made a working day in exchange
for a bridge day off) come from the `holidays` package, country "KG". Its Islamic holidays
for future years are estimates and new decrees reach it late, so a `WorkCalendar` carries
local overrides the registrar can add without waiting for a library release.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays

_SATURDAY = 5


@lru_cache(maxsize=256)
def _kyrgyz_year(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """(public days off, weekend days made working) falling in `year`, per the library.

    Built once per year: `is_working_day` is on a hot path. Neighbouring years are loaded
    too because a swap decreed for January can move work onto a Saturday of the previous
    December, and the library files it under the later year.
    """
    # Only the PUBLIC category: KG's "workday" category lists commemorative days that are
    # ordinary working days (e.g. Feb 23 since 2025), not days off.
    kg = holidays.country_holidays("KG", years=(year - 1, year, year + 1), language="en_US")
    days_off = frozenset(d for d in kg if d.year == year)
    weekend_workdays = frozenset(d for d in kg.weekend_workdays if d.year == year)
    return days_off, weekend_workdays


def _dates(name: str, values: Iterable[date]) -> frozenset[date]:
    result = frozenset(values)
    for d in result:
        # A datetime never equals a date in a set lookup, so it would silently not apply.
        if not isinstance(d, date) or isinstance(d, datetime):
            raise TypeError(f"{name} must hold dates, got {d!r}")
    return result


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are working days in Kyrgyzstan, with local overrides on top of the library.

    Saturdays and Sundays are days off, public holidays too; a weekend day the government
    made a working day (the library's `weekend_workdays`) is a working day.
    """

    extra_holidays: frozenset[date] = field(default_factory=frozenset)
    """Days off the library does not know yet, e.g. a fresh government decree. Default: none."""
    extra_workdays: frozenset[date] = field(default_factory=frozenset)
    """Days the library calls days off that are in fact worked (a cancelled or moved holiday,
    a Saturday worked by decree). Default: none."""

    def __post_init__(self) -> None:
        # Accept any iterable from a settings file, store frozensets so the calendar hashes.
        object.__setattr__(self, "extra_holidays", _dates("extra_holidays", self.extra_holidays))
        object.__setattr__(self, "extra_workdays", _dates("extra_workdays", self.extra_workdays))
        both = self.extra_holidays & self.extra_workdays
        if both:
            listed = ", ".join(d.isoformat() for d in sorted(both))
            raise ValueError(f"work calendar: {listed} listed both as a day off and as worked")

    def is_working_day(self, d: date) -> bool:
        if d in self.extra_holidays:
            return False
        if d in self.extra_workdays:
            return True
        days_off, weekend_workdays = _kyrgyz_year(d.year)
        if d.weekday() >= _SATURDAY:
            return d in weekend_workdays
        return d not in days_off

    def add_working_days(self, d: date, n: int) -> date:
        """The n-th working day after `d`; `d` itself never counts, working day or not.

        n = 0 gives `d` back unchanged.
        """
        if n < 0:
            raise ValueError(f"cannot count {n} working days: the count must not be negative")
        day = d
        while n:
            day += timedelta(days=1)
            if self.is_working_day(day):
                n -= 1
        return day


def expense_report_due(returned_on: date, calendar: WorkCalendar, working_days: int = 5) -> date:
    """The last day for a staff member's preliminary expense report to accounting.

    "ИПК duties": within 5 working days after returning from the trip, when the university
    funds it. The return day itself is not counted.
    """
    if working_days < 1:
        raise ValueError(
            f"the expense report period must be at least one working day, not {working_days}"
            " — ИПК duties"
        )
    return calendar.add_working_days(returned_on, working_days)
