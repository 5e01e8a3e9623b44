"""The yearly mobility statistics (5.6): counted in the database, exported as XLSX and as the
annual-report section (DOCX).

A mobility counts once its order was issued (or a guest was accepted): cases that ended
before that (withdrawn, rejected, cancelled) are reported apart, as "how cases ended".
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import docx
from docx.shared import Pt
from openpyxl import Workbook
from sqlalchemy import ColumnElement, Engine, String, case, cast, func, select
from sqlalchemy.orm import Session

from sapar import clock
from sapar.faculties import faculty_name
from sapar.i18n import label, t
from states import roles
from states.machine import NotPermitted
from states.model import CaseKind, DeadlineStatus, Role
from states.periods import academic_year_of
from states.quotas import PLACED_STATES
from storage import countries
from storage.orm import CaseRow, DeadlineRow
from storage.uow import UnitOfWork

from .exports import append_row

if TYPE_CHECKING:  # users imports cases, which imports partners, which we import
    from .users import User

DIRECTION = {k.value: ("incoming" if k.is_incoming else "outgoing") for k in CaseKind}
WHO = {
    k.value: ("staff" if k in (CaseKind.outgoing_staff, CaseKind.incoming_staff) else "students")
    for k in CaseKind
}
TERM = {
    CaseKind.outgoing_student_short.value: "short",
    CaseKind.outgoing_student_long.value: "long",
}


@dataclass
class YearStatistics:
    academic_year: str
    mobilities: int = 0
    # (direction, scope, who) → count, e.g. ("outgoing", "international", "students")
    matrix: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    by_faculty: Counter[str] = field(default_factory=Counter)
    by_country: Counter[str] = field(default_factory=Counter)
    by_programme: Counter[str] = field(default_factory=Counter)
    by_funding: Counter[str] = field(default_factory=Counter)
    by_term: Counter[str] = field(default_factory=Counter)
    ended: Counter[str] = field(default_factory=Counter)  # final/side states of all cases
    outcomes: Counter[str] = field(default_factory=Counter)
    reports: Counter[str] = field(default_factory=Counter)  # on_time | late | overdue | pending

    def breakdowns(self) -> dict[str, Counter[str]]:
        return {
            "faculty": self.by_faculty,
            "country": self.by_country,
            "programme": self.by_programme,
            "funding source": self.by_funding,
            "term": self.by_term,
            "how cases ended": self.ended,
            "recognition outcome": self.outcomes,
            "student reports": self.reports,
        }


def academic_years(session: Session, *, faculty: str | None = None) -> list[tuple[str, int]]:
    """Every academic year with its number of mobilities (of the faculty, if given), oldest
    first (the 'by year' chart)."""
    where: list[ColumnElement[bool]] = [CaseRow.state.in_(PLACED_STATES)]
    if faculty is not None:
        where.append(CaseRow.faculty == faculty)
    rows = session.execute(
        select(CaseRow.academic_year, func.count())
        .where(*where)
        .group_by(CaseRow.academic_year)
        .order_by(CaseRow.academic_year)
    ).all()
    return [(str(year), int(count)) for year, count in rows]


def year_statistics(
    session: Session, academic_year: str, *, faculty: str | None = None
) -> YearStatistics:
    stats = YearStatistics(academic_year)
    scope: list[ColumnElement[bool]] = [CaseRow.academic_year == academic_year]
    if faculty is not None:
        scope.append(CaseRow.faculty == faculty)
    placed = [*scope, CaseRow.state.in_(PLACED_STATES)]

    def count_by(*columns: Any, where: Sequence[ColumnElement[bool]] = placed) -> list[Any]:
        q = select(*columns, func.count()).where(*where).group_by(*columns)
        return list(session.execute(q).all())

    for kind, scope_value, n in count_by(CaseRow.kind, CaseRow.scope):
        stats.matrix[(DIRECTION[str(kind)], str(scope_value), WHO[str(kind)])] += int(n)
        stats.mobilities += int(n)
        if str(kind) in TERM:
            stats.by_term[TERM[str(kind)]] += int(n)
    for target, column in (
        (stats.by_faculty, CaseRow.faculty),
        (stats.by_country, CaseRow.host_country),
        (stats.by_programme, CaseRow.programme),
        (stats.by_funding, CaseRow.funding_source),
    ):
        for value, n in count_by(column):
            target[str(value or "—")] += int(n)
    for state, n in count_by(CaseRow.state, where=scope):
        stats.ended[str(state)] += int(n)
    for outcome, n in count_by(CaseRow.outcome, where=[*scope, CaseRow.outcome.is_not(None)]):
        stats.outcomes[str(outcome)] += int(n)
    stats.reports.update(_report_timeliness(session, scope))
    return stats


@dataclass(frozen=True)
class StatisticsView:
    """The statistics page: the chosen year's counts, every year's total, and whose they are
    (None: the whole university)."""

    stats: YearStatistics
    years: list[tuple[str, int]]
    faculty: str | None


def statistics_faculty(user: User) -> str | None:
    """None: the whole university; a dean's office sees its own faculty only."""
    if user.role not in roles.STATISTICS_READERS:
        raise NotPermitted(
            f"a {user.role.value} account does not read the statistics",
            "not_statistics_reader",
            role=user.role,
        )
    if user.role is Role.dean_office:
        if not user.faculty:
            raise NotPermitted(
                "a dean's office account without a faculty reads no statistics",
                "statistics_without_faculty",
            )
        return user.faculty
    return None


def statistics_for(
    engine: Engine, *, user: User, academic_year: str | None = None, today: date | None = None
) -> StatisticsView:
    """The year's statistics as this user may read them (the current year unless chosen)."""
    faculty = statistics_faculty(user)
    with UnitOfWork(engine, read_only=True) as uow:
        years = academic_years(uow.session, faculty=faculty)
        chosen = academic_year or academic_year_of(today or clock.today())
        stats = year_statistics(uow.session, chosen, faculty=faculty)
    return StatisticsView(stats, years, faculty)


def _report_timeliness(session: Session, scope: Sequence[ColumnElement[bool]]) -> Counter[str]:
    closed_on = func.substr(cast(DeadlineRow.closed_at, String), 1, 10)
    due_on = cast(DeadlineRow.due_date, String)
    verdict = case(
        (DeadlineRow.status == DeadlineStatus.overdue, "overdue"),
        ((DeadlineRow.status == DeadlineStatus.met) & (closed_on <= due_on), "on_time"),
        (DeadlineRow.status == DeadlineStatus.met, "late"),
        else_="pending",
    )
    rows = session.execute(
        select(verdict, func.count())
        .join(CaseRow, CaseRow.id == DeadlineRow.case_id)
        .where(
            *scope, DeadlineRow.kind == "student_report", DeadlineRow.status != DeadlineStatus.void
        )
        .group_by(verdict)
    ).all()
    return Counter({str(v): int(n) for v, n in rows})


# Breakdowns that count the year's mobilities, each once: their tables add up to the headline.
OF_MOBILITIES = ("faculty", "country", "programme", "funding source")
_GROUPS = {"how cases ended": "state", "recognition outcome": "outcome",
           "funding source": "funding"}  # fmt: skip


def value_name(lang: str, breakdown: str, key: str) -> str:
    """A breakdown's value as a reader reads it in `lang`: a label, never a stored code."""
    if key == "—":
        return key
    if breakdown in _GROUPS:
        return label(lang, _GROUPS[breakdown], key)
    if breakdown in ("term", "student reports"):
        return t(lang, f"stats.{key}")
    if breakdown == "country":
        return countries.name(lang, key)
    if breakdown == "faculty":
        return faculty_name(key, lang)
    return key


def breakdown_title(lang: str, breakdown: str) -> str:
    return t(lang, "stats.b." + breakdown.replace(" ", "_"))


def matrix_names(lang: str, direction: str, scope: str, who: str) -> tuple[str, str, str]:
    return t(lang, f"stats.{direction}"), label(lang, "scope", scope), t(lang, f"stats.{who}")


def _sheet_title(text: str, taken: set[str]) -> str:
    # Excel: at most 31 characters, none of []:*?/\ , and unique in the workbook.
    title = "".join(" " if ch in "[]:*?/\\" else ch for ch in text)[:31]
    while title in taken:
        title = title[:28] + f" {len(taken)}"
    taken.add(title)
    return title


def to_xlsx(stats: YearStatistics, lang: str = "ky") -> bytes:
    """The statistics as a workbook in `lang`: every value by its name, every table with its
    total (which, for the breakdowns of mobilities, is the headline)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    taken: set[str] = set()
    sheet.title = _sheet_title(t(lang, "report.summary_sheet"), taken)
    append_row(sheet, [t(lang, "field.academic_year"), stats.academic_year])
    append_row(sheet, [t(lang, "report.mobilities"), stats.mobilities])
    append_row(sheet, [])
    append_row(sheet, [t(lang, f"report.{c}") for c in ("direction", "scope", "who", "count")])
    for (direction, scope, who), n in sorted(stats.matrix.items()):
        append_row(sheet, [*matrix_names(lang, direction, scope, who), n])
    append_row(sheet, [t(lang, "stats.total"), "", "", sum(stats.matrix.values())])
    for key, counter in stats.breakdowns().items():
        ws = book.create_sheet(_sheet_title(breakdown_title(lang, key), taken))
        append_row(ws, [breakdown_title(lang, key), t(lang, "report.count")])
        for value, n in counter.most_common():
            # A country or programme typed by a clerk is text, never a formula.
            append_row(ws, [value_name(lang, key, value), n])
        append_row(ws, [t(lang, "stats.total"), sum(counter.values())])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_docx(stats: YearStatistics, lang: str = "ky") -> bytes:
    """The annual report's section on academic mobility (5.6) in `lang`: labels, never codes."""
    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)
    document.add_heading(t(lang, "report.heading", year=stats.academic_year), level=1)
    document.add_paragraph(t(lang, "report.summary", year=stats.academic_year, n=stats.mobilities))
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    heads = [t(lang, f"report.{c}") for c in ("direction", "scope", "who", "count")]
    for cell, text in zip(table.rows[0].cells, heads, strict=True):
        cell.text = text
    for (direction, scope, who), n in sorted(stats.matrix.items()):
        row = table.add_row().cells
        names = (*matrix_names(lang, direction, scope, who), str(n))
        for cell, text in zip(row, names, strict=True):
            cell.text = text
    total = table.add_row().cells
    total[0].text, total[3].text = t(lang, "stats.total"), str(sum(stats.matrix.values()))
    for key, counter in stats.breakdowns().items():
        if not counter:
            continue
        document.add_heading(breakdown_title(lang, key), level=2)
        rows = document.add_table(rows=0, cols=2)
        rows.style = "Table Grid"
        for value, n in counter.most_common():
            cells = rows.add_row().cells
            cells[0].text, cells[1].text = value_name(lang, key, value), str(n)
        cells = rows.add_row().cells
        cells[0].text, cells[1].text = t(lang, "stats.total"), str(sum(counter.values()))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
