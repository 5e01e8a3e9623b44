"""Calendar periods: months, short vs long mobility (1.3.5), the report month, semesters (4.8)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from states.periods import (
    DEFAULT_ACADEMIC_CALENDAR,
    AcademicCalendar,
    academic_year_of,
    add_months,
    distance_exam_window,
    is_academic_year,
    is_short_term,
    parse_academic_year,
    report_due,
)

dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))


# add_months


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 15), 1, date(2026, 2, 15)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2026, 5, 5), 0, date(2026, 5, 5)),
        (date(2026, 11, 30), 14, date(2028, 1, 30)),
    ],
)
def test_add_months_moves_calendar_months_and_clamps_to_month_end(
    start: date, months: int, expected: date
) -> None:
    assert add_months(start, months) == expected


@given(dates, st.integers(min_value=-60, max_value=60))
def test_add_months_lands_in_the_right_month_on_the_same_or_last_day(d: date, months: int) -> None:
    result = add_months(d, months)
    assert (result.year * 12 + result.month) - (d.year * 12 + d.month) == months
    assert result.day == min(d.day, calendar.monthrange(result.year, result.month)[1])


# is_short_term (1.3.5)


def test_exactly_one_month_is_short_term() -> None:
    assert is_short_term(date(2026, 3, 1), date(2026, 4, 1))


def test_one_month_and_a_day_is_long_term() -> None:
    assert not is_short_term(date(2026, 3, 1), date(2026, 4, 2))


def test_a_one_day_event_is_short_term() -> None:
    assert is_short_term(date(2026, 5, 20), date(2026, 5, 20))


def test_from_january_31_the_month_ends_on_the_last_day_of_february() -> None:
    assert is_short_term(date(2026, 1, 31), date(2026, 2, 28))
    assert not is_short_term(date(2026, 1, 31), date(2026, 3, 1))
    assert is_short_term(date(2028, 1, 31), date(2028, 2, 29))


def test_a_semester_is_long_term() -> None:
    assert not is_short_term(date(2026, 9, 1), date(2027, 1, 31))


def test_an_end_before_the_start_is_refused_naming_both_dates_and_the_clause() -> None:
    with pytest.raises(ValueError, match=r"2026-03-01.*2026-04-01.*1\.3\.5"):
        is_short_term(date(2026, 4, 1), date(2026, 3, 1))


@given(dates, st.integers(min_value=0, max_value=400), st.integers(min_value=0, max_value=400))
def test_a_longer_mobility_is_never_shorter_term(start: date, days: int, more: int) -> None:
    end = start + timedelta(days=days)
    if not is_short_term(start, end):
        assert not is_short_term(start, end + timedelta(days=more))


@given(dates, st.integers(min_value=0, max_value=400))
def test_short_term_means_at_most_31_days_and_anything_up_to_28_days_is_short(
    start: date, days: int
) -> None:
    short = is_short_term(start, start + timedelta(days=days))
    if days <= 28:
        assert short
    if days > 31:
        assert not short


# report_due ("Student duties")


def test_report_due_from_january_31_is_end_of_february() -> None:
    assert report_due(date(2026, 1, 31)) == date(2026, 2, 28)


def test_report_due_from_january_31_of_a_leap_year_is_february_29() -> None:
    assert report_due(date(2028, 1, 31)) == date(2028, 2, 29)


def test_report_due_from_december_15_is_january_15_of_the_next_year() -> None:
    assert report_due(date(2026, 12, 15)) == date(2027, 1, 15)


@given(dates)
def test_report_is_due_28_to_31_days_after_the_mobility_ends(end: date) -> None:
    assert 28 <= (report_due(end) - end).days <= 31


# AcademicCalendar


@pytest.mark.parametrize(
    ("d", "year"),
    [
        (date(2026, 9, 1), "2026-2027"),
        (date(2026, 8, 31), "2025-2026"),
        (date(2027, 1, 15), "2026-2027"),
        (date(2027, 7, 1), "2026-2027"),
        (date(2026, 12, 31), "2026-2027"),
    ],
)
def test_the_academic_year_starts_on_september_1(d: date, year: str) -> None:
    assert academic_year_of(d) == year


@pytest.mark.parametrize(
    ("d", "semester"),
    [
        (date(2026, 9, 1), "fall"),
        (date(2026, 12, 31), "fall"),
        (date(2027, 1, 31), "fall"),
        (date(2027, 2, 1), "spring"),
        (date(2027, 6, 20), "spring"),
        (date(2027, 6, 21), "summer"),
        (date(2027, 8, 10), "summer"),
        (date(2027, 8, 25), "summer"),  # summer vacation: the semester just finished
        (date(2027, 8, 31), "summer"),
    ],
)
def test_semester_of_a_date_by_the_default_calendar(d: date, semester: str) -> None:
    assert DEFAULT_ACADEMIC_CALENDAR.semester_of(d) == semester


def test_a_later_fall_start_moves_the_turn_of_the_academic_year() -> None:
    late = AcademicCalendar(fall_starts=(9, 15), summer_ends=(8, 20))
    assert academic_year_of(date(2026, 9, 10), late) == "2025-2026"
    assert academic_year_of(date(2026, 9, 15), late) == "2026-2027"


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("2026-2027", True),
        ("2026-2028", False),  # not consecutive
        ("2026/2027", False),
        (" 2026-2027", False),
        ("٢٠٢٦-٢٠٢٧", False),  # Arabic-Indic digits: int() reads them, the registry must not
        ("²⁰²⁶-²⁰²⁷", False),
    ],
)
def test_an_academic_year_is_named_by_two_consecutive_years_in_ascii_digits(
    text: str, named: bool
) -> None:
    assert is_academic_year(text) is named


def test_semester_dates_of_the_default_calendar() -> None:
    cal = DEFAULT_ACADEMIC_CALENDAR
    assert cal.semester_dates("fall", "2026-2027") == (date(2026, 9, 1), date(2027, 1, 31))
    assert cal.semester_dates("spring", "2026-2027") == (date(2027, 2, 1), date(2027, 6, 20))
    assert cal.semester_dates("summer", "2026-2027") == (date(2027, 6, 21), date(2027, 8, 10))


@given(dates)
def test_every_date_lies_after_the_start_of_its_semester_in_its_academic_year(d: date) -> None:
    cal = DEFAULT_ACADEMIC_CALENDAR
    year = academic_year_of(d, cal)
    first, _ = cal.semester_dates(cal.semester_of(d), year)
    assert first <= d
    assert int(year[:4]) in (d.year, d.year - 1)


def test_a_calendar_whose_fall_semester_ends_in_december_is_read_correctly() -> None:
    cal = AcademicCalendar(
        fall_starts=(9, 1),
        fall_ends=(12, 31),
        spring_starts=(1, 20),
        spring_ends=(5, 31),
        summer_starts=(6, 1),
        summer_ends=(7, 31),
    )
    assert cal.semester_of(date(2027, 1, 19)) == "fall"
    assert cal.semester_of(date(2027, 1, 20)) == "spring"
    assert cal.semester_dates("fall", "2026-2027") == (date(2026, 9, 1), date(2026, 12, 31))


def test_a_calendar_from_a_settings_file_may_give_lists() -> None:
    cal = AcademicCalendar(spring_starts=[2, 9])  # type: ignore[arg-type]
    assert cal.spring_starts == (2, 9)
    assert cal.semester_of(date(2027, 2, 8)) == "fall"
    hash(cal)


def test_semesters_out_of_order_are_refused() -> None:
    with pytest.raises(ValueError, match="spring_starts"):
        AcademicCalendar(fall_ends=(2, 5), spring_starts=(2, 1))


def test_a_summer_semester_running_into_the_next_fall_is_refused() -> None:
    with pytest.raises(ValueError, match="summer_ends"):
        AcademicCalendar(summer_ends=(9, 5))


def test_february_29_is_refused_as_a_semester_boundary() -> None:
    with pytest.raises(ValueError, match="February 29"):
        AcademicCalendar(fall_ends=(2, 29), spring_starts=(3, 1))


def test_a_day_that_does_not_exist_is_refused() -> None:
    with pytest.raises(ValueError, match="not a day of the year"):
        AcademicCalendar(spring_ends=(6, 31))


@pytest.mark.parametrize("text", ["2026/2027", "2026-2028", "26-27", "2026", ""])
def test_an_academic_year_must_be_two_consecutive_years(text: str) -> None:
    with pytest.raises(ValueError, match="2026-2027"):
        parse_academic_year(text)


# distance_exam_window (4.8, "ФД duties")


def test_fall_distance_exams_are_held_in_the_first_month_of_spring() -> None:
    assert distance_exam_window("fall", "2026-2027") == (date(2027, 2, 1), date(2027, 2, 28))


def test_fall_distance_exams_in_a_leap_year_run_to_february_29() -> None:
    assert distance_exam_window("fall", "2027-2028") == (date(2028, 2, 1), date(2028, 2, 29))


def test_spring_distance_exams_are_held_within_the_summer_semester() -> None:
    assert distance_exam_window("spring", "2026-2027") == (date(2027, 6, 21), date(2027, 8, 10))


def test_the_first_month_of_spring_follows_a_configured_start() -> None:
    cal = AcademicCalendar(spring_starts=(2, 9))
    assert distance_exam_window("fall", "2026-2027", cal) == (date(2027, 2, 9), date(2027, 3, 8))


def test_summer_courses_have_no_distance_exam_window() -> None:
    with pytest.raises(ValueError, match=r"4\.8"):
        distance_exam_window("summer", "2026-2027")  # type: ignore[arg-type]
