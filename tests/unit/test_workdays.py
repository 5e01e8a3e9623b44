"""Kyrgyz working days and the staff expense report ("ИПК duties": 5 working days)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from states.workdays import WorkCalendar, expense_report_due

KG = WorkCalendar()


def test_a_return_on_monday_of_a_plain_week_is_due_next_monday() -> None:
    assert date(2026, 10, 12).weekday() == 0
    assert expense_report_due(date(2026, 10, 12), KG) == date(2026, 10, 19)


def test_a_return_on_friday_skips_the_weekend_and_is_due_next_friday() -> None:
    assert date(2026, 10, 16).weekday() == 4
    assert expense_report_due(date(2026, 10, 16), KG) == date(2026, 10, 23)


def test_a_return_on_saturday_counts_from_monday() -> None:
    assert expense_report_due(date(2026, 10, 17), KG) == date(2026, 10, 23)


def test_nooruz_on_a_friday_moves_the_deadline_by_a_day() -> None:
    # Mar 21, 2025 is a Friday: Thu 20, Mon 24 … Thu 27.
    assert not KG.is_working_day(date(2025, 3, 21))
    assert expense_report_due(date(2025, 3, 19), KG) == date(2025, 3, 27)


def test_eid_al_fitr_next_to_nooruz_in_2026_is_skipped() -> None:
    # Mar 20, 2026 (Friday) is Orozo Ait, Mar 21 Nooruz falls on the Saturday.
    assert not KG.is_working_day(date(2026, 3, 20))
    assert expense_report_due(date(2026, 3, 19), KG) == date(2026, 3, 27)


def test_independence_day_on_a_monday_moves_the_deadline() -> None:
    assert date(2026, 8, 31).weekday() == 0
    assert not KG.is_working_day(date(2026, 8, 31))
    assert expense_report_due(date(2026, 8, 28), KG) == date(2026, 9, 7)


def test_the_new_year_holidays_of_january_1_to_7_2026_are_days_off() -> None:
    for day in range(1, 8):
        assert not KG.is_working_day(date(2026, 1, day))
    assert KG.is_working_day(date(2026, 1, 8))


def test_a_return_on_new_years_eve_is_due_after_the_new_year_holidays() -> None:
    assert KG.is_working_day(date(2025, 12, 31))
    assert expense_report_due(date(2025, 12, 31), KG) == date(2026, 1, 14)


def test_a_saturday_made_a_working_day_by_decree_counts() -> None:
    # 2025: Jan 2 off in exchange for Saturday Jan 11 worked.
    assert date(2025, 1, 11).weekday() == 5
    assert KG.is_working_day(date(2025, 1, 11))
    assert not KG.is_working_day(date(2025, 1, 2))
    assert expense_report_due(date(2025, 1, 10), KG) == date(2025, 1, 16)


def test_a_saturday_worked_for_a_january_day_off_counts_in_the_december_before() -> None:
    # The 2013 decree moved work onto Saturday Dec 29, 2012.
    assert KG.is_working_day(date(2012, 12, 29))


def test_commemorative_days_made_working_in_2025_are_working_days() -> None:
    # Nov 7 was a day off until 2024; the 2025 Labour Code keeps it as a working day.
    assert not KG.is_working_day(date(2024, 11, 7))
    assert KG.is_working_day(date(2025, 11, 7))


def test_an_extra_holiday_from_a_fresh_decree_is_a_day_off() -> None:
    cal = WorkCalendar(extra_holidays=frozenset({date(2026, 10, 14)}))
    assert not cal.is_working_day(date(2026, 10, 14))
    assert expense_report_due(date(2026, 10, 12), cal) == date(2026, 10, 20)


def test_an_extra_workday_on_a_saturday_counts() -> None:
    cal = WorkCalendar(extra_workdays=frozenset({date(2026, 10, 17)}))
    assert cal.is_working_day(date(2026, 10, 17))
    assert expense_report_due(date(2026, 10, 16), cal) == date(2026, 10, 22)


def test_an_extra_workday_overrides_a_library_holiday() -> None:
    cal = WorkCalendar(extra_workdays=frozenset({date(2025, 3, 21)}))
    assert cal.is_working_day(date(2025, 3, 21))
    assert expense_report_due(date(2025, 3, 19), cal) == date(2025, 3, 26)


def test_a_day_both_off_and_worked_is_refused() -> None:
    day = date(2026, 10, 14)
    with pytest.raises(ValueError, match="2026-10-14"):
        WorkCalendar(extra_holidays=frozenset({day}), extra_workdays=frozenset({day}))


def test_overrides_from_a_settings_file_may_be_lists_and_the_calendar_stays_hashable() -> None:
    cal = WorkCalendar(extra_holidays=[date(2026, 10, 14)])  # type: ignore[arg-type]
    assert cal.extra_holidays == frozenset({date(2026, 10, 14)})
    assert hash(cal) == hash(WorkCalendar(extra_holidays=frozenset({date(2026, 10, 14)})))


def test_a_datetime_override_is_refused_because_it_would_never_match() -> None:
    with pytest.raises(TypeError, match="extra_holidays"):
        WorkCalendar(extra_holidays=frozenset({datetime(2026, 10, 14, 9, 0)}))


def test_zero_working_days_after_a_day_is_the_day_itself() -> None:
    assert KG.add_working_days(date(2026, 10, 17), 0) == date(2026, 10, 17)


def test_a_negative_count_of_working_days_is_refused() -> None:
    with pytest.raises(ValueError, match="-1"):
        KG.add_working_days(date(2026, 10, 12), -1)


def test_an_expense_report_period_of_no_working_days_is_refused() -> None:
    with pytest.raises(ValueError, match="ИПК duties"):
        expense_report_due(date(2026, 10, 12), KG, working_days=0)


def test_the_period_is_configurable() -> None:
    assert expense_report_due(date(2026, 10, 12), KG, working_days=10) == date(2026, 10, 26)


overrides = st.frozensets(
    st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31)), max_size=20
)


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)),
    st.integers(min_value=0, max_value=30),
    overrides,
    overrides,
)
def test_the_nth_working_day_after_a_day_has_exactly_n_working_days_up_to_it(
    d: date, n: int, off: frozenset[date], worked: frozenset[date]
) -> None:
    cal = WorkCalendar(extra_holidays=off, extra_workdays=worked - off)
    due = cal.add_working_days(d, n)
    days = [d + timedelta(days=i) for i in range(1, (due - d).days + 1)]
    assert sum(cal.is_working_day(day) for day in days) == n
    if n:
        assert cal.is_working_day(due)
