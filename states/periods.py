"""Calendar periods of the regulation: short vs long mobility, the report month, semesters.

Pure functions over `datetime.date`; no I/O, no clock. "Month" means a calendar month
(Jan 15 → Feb 15), clamped to the last day of a shorter month (Jan 31 → Feb 28/29),
which is how a registrar counts "within one month".
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

Semester = Literal["fall", "spring", "summer"]
CourseSemester = Literal["fall", "spring"]
MonthDay = tuple[int, int]
"""A (month, day) pair that recurs every academic year, e.g. (9, 1) for September 1."""

# ASCII digits only: `\d` also matches other scripts' digits (٢٠٢٦), which int() reads.
_ACADEMIC_YEAR = re.compile(r"([0-9]{4})-([0-9]{4})")


def add_months(d: date, months: int) -> date:
    """The same day `months` calendar months later (or earlier), clamped to the month's end."""
    month_index = d.year * 12 + (d.month - 1) + months
    year, month0 = divmod(month_index, 12)
    month = month0 + 1
    day = min(d.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def is_short_term(start: date, end: date) -> bool:
    """1.3.5: short-term mobility lasts at most one month, long-term more than one.

    Exactly one calendar month (Mar 1 → Apr 1) is still short-term: "1 айдан көп эмес".
    """
    if end < start:
        raise ValueError(
            f"mobility ends on {end.isoformat()}, before it starts on {start.isoformat()} — 1.3.5"
        )
    return end <= add_months(start, 1)


def report_due(mobility_end: date) -> date:
    """The last day for the student's results ("Student duties").

    Statements, transcripts, references and certificates go to the dean's office within one
    month after the mobility period at the host ends: Jan 31 → Feb 28 (29 in a leap year).
    """
    return add_months(mobility_end, 1)


# The faculty decides on recognition (3.4, 4.5, "ФД duties") once the results are in; the
# regulation sets no term for the decision, so the return order gives it two weeks after the
# results' due date, the term a faculty commission usually sits within.
RECOGNITION_DAYS_AFTER_REPORT = 14


def recognition_due(mobility_end: date) -> date:
    """The day the faculty is to have decided on recognition, as the return order prints it."""
    return report_due(mobility_end) + timedelta(days=RECOGNITION_DAYS_AFTER_REPORT)


@dataclass(frozen=True)
class AcademicCalendar:
    """When OshSU's semesters run, as (month, day) pairs repeated every academic year.

    The regulation names the semesters but not their dates, so these are the usual dates of a
    Kyrgyz university on the credit system; set them from the year's academic-calendar order.
    The academic year starts with the fall semester. Feb 29 is refused as a boundary, since it
    does not recur.
    """

    fall_starts: MonthDay = (9, 1)
    """September 1, the start of the academic year across Kyrgyzstan (Knowledge Day)."""
    fall_ends: MonthDay = (1, 31)
    """January 31: classes end in late December, the winter exam session runs in January."""
    spring_starts: MonthDay = (2, 1)
    """February 1, after the short winter break."""
    spring_ends: MonthDay = (6, 20)
    """June 20: classes end in late May, the summer exam session runs in June."""
    summer_starts: MonthDay = (6, 21)
    """June 21, right after the session: the paid additional semester for retakes."""
    summer_ends: MonthDay = (8, 10)
    """August 10: about seven weeks, leaving the rest of August as vacation."""

    def __post_init__(self) -> None:
        # Lay the boundaries out on one reference academic year and check their order, so a
        # misconfigured calendar fails at start-up rather than in a deadline computation.
        names = (
            "fall_starts",
            "fall_ends",
            "spring_starts",
            "spring_ends",
            "summer_starts",
            "summer_ends",
        )
        for name in names:
            # A settings file gives lists; comparisons below need tuples.
            object.__setattr__(self, name, tuple(getattr(self, name)))
            month, day = getattr(self, name)
            if (month, day) == (2, 29):
                raise ValueError(f"{name}: February 29 does not recur every year")
            try:
                date(2001, month, day)  # 2001 is not a leap year: every accepted day exists
            except ValueError:
                raise ValueError(f"{name}: ({month}, {day}) is not a day of the year") from None
        days = [self._on(getattr(self, name), 2001) for name in names]
        for i in range(1, len(names)):
            earlier, later = names[i - 1], names[i]
            # A semester may end on the day it starts; the next one must start later still.
            if days[i] < days[i - 1] or (later.endswith("starts") and days[i] == days[i - 1]):
                raise ValueError(
                    f"academic calendar: {later} ({days[i]:%b %d}) must come after "
                    f"{earlier} ({days[i - 1]:%b %d}) within one academic year"
                )

    def _on(self, month_day: MonthDay, first_year: int) -> date:
        """The date of `month_day` inside the academic year that starts in `first_year`."""
        if month_day >= self.fall_starts:
            return date(first_year, *month_day)
        return date(first_year + 1, *month_day)

    def first_year_of(self, d: date) -> int:
        """The calendar year the academic year of `d` starts in (with its fall semester)."""
        return d.year if (d.month, d.day) >= self.fall_starts else d.year - 1

    def semester_of(self, d: date) -> Semester:
        """The semester that most recently started on or before `d`.

        Breaks belong to the semester just finished (late August is still "summer"), so every
        date has an answer, consistent with `academic_year_of`.
        """
        first = self.first_year_of(d)
        if d >= self._on(self.summer_starts, first):
            return "summer"
        if d >= self._on(self.spring_starts, first):
            return "spring"
        return "fall"

    def semester_dates(self, semester: Semester, academic_year: str) -> tuple[date, date]:
        """The first and last day (inclusive) of a semester of an academic year like "2026-2027"."""
        first = parse_academic_year(academic_year)
        bounds: dict[str, tuple[MonthDay, MonthDay]] = {
            "fall": (self.fall_starts, self.fall_ends),
            "spring": (self.spring_starts, self.spring_ends),
            "summer": (self.summer_starts, self.summer_ends),
        }
        if semester not in bounds:
            raise ValueError(f"semester {semester!r} is not one of fall, spring, summer")
        starts, ends = bounds[semester]
        return self._on(starts, first), self._on(ends, first)


DEFAULT_ACADEMIC_CALENDAR = AcademicCalendar()


def academic_year_of(d: date, calendar: AcademicCalendar = DEFAULT_ACADEMIC_CALENDAR) -> str:
    """The academic year a date falls in, as "2026-2027": from the start of one fall semester
    (September 1 by default) to the day before the next.

    The one way the service tells a date's academic year: a case's year (its start date's),
    the partner quotas counted per academic year (4.8, 5.3), the yearly statistics (5.6). The
    regulation counts by academic year without dating it; the calendar does (AcademicCalendar).
    """
    first = calendar.first_year_of(d)
    return f"{first}-{first + 1}"


def parse_academic_year(academic_year: str) -> int:
    """The calendar year an academic year like "2026-2027" starts in."""
    match = _ACADEMIC_YEAR.fullmatch(academic_year.strip())
    if match is None or int(match[2]) != int(match[1]) + 1:
        raise ValueError(
            f"academic year {academic_year!r} is not of the form 'YYYY-YYYY' with consecutive "
            "years, e.g. '2026-2027'"
        )
    return int(match[1])


def is_academic_year(text: str) -> bool:
    """Whether `text` names an academic year the way `academic_year_of` writes one."""
    try:
        parse_academic_year(text)
    except ValueError:
        return False
    return text == text.strip()


def distance_exam_window(
    course_semester: CourseSemester,
    academic_year: str,
    calendar: AcademicCalendar = DEFAULT_ACADEMIC_CALENDAR,
) -> tuple[date, date]:
    """When the exams of distance-taught difference courses are held (4.8, "ФД duties").

    Fall-semester courses: within the first month of the spring semester; spring-semester
    courses: within the summer semester. Both at no extra fee. Returns inclusive
    (first day, last day) for the semester of `academic_year` the courses belong to.
    """
    if course_semester == "fall":
        spring_start, _ = calendar.semester_dates("spring", academic_year)
        return spring_start, add_months(spring_start, 1) - timedelta(days=1)
    if course_semester == "spring":
        return calendar.semester_dates("summer", academic_year)
    raise ValueError(
        f"distance-taught courses belong to the fall or spring semester, not {course_semester!r}"
        " — 4.8, ФД duties"
    )
