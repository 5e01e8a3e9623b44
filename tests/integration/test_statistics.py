"""The yearly statistics reconcile with the cases in the database (5.6)."""

from __future__ import annotations

import io
import random
from datetime import UTC, date, datetime

import docx
from openpyxl import load_workbook
from sqlalchemy import Engine, func, select

from sapar.services.statistics import academic_years, to_docx, to_xlsx, year_statistics
from states.kinds import DEFINITIONS
from states.model import CaseKind, FundingSource, Scope
from states.quotas import PLACED_STATES
from storage.orm import CaseRow, DeadlineRow
from storage.uow import UnitOfWork
from tests.builders import a_case, a_guest, a_staff_member, a_student

COUNTRIES = ["Türkiye", "Germany", "Russia", "Kazakhstan", "Kyrgyzstan", "China"]


def seed(engine: Engine, n: int, rng: random.Random) -> None:
    with UnitOfWork(engine) as uow:
        for i in range(n):
            kind = rng.choice(list(CaseKind))
            who = (a_staff_member() if kind is CaseKind.outgoing_staff
                   else a_guest() if kind.is_incoming else a_student())  # fmt: skip
            year = rng.choice([2025, 2026])
            start = date(year, rng.choice([2, 10]), 1)
            case = a_case(
                who, kind=kind, state=rng.choice(DEFINITIONS[kind].states), start_date=start,
                end_date=start.replace(day=20) if kind.value.endswith("short") else
                start.replace(month=start.month + 2), host_country=rng.choice(COUNTRIES),
                scope=rng.choice(list(Scope)), funding_source=rng.choice(list(FundingSource)),
                programme=rng.choice(["Erasmus+", "Mevlana", None]),
            )  # fmt: skip
            case_id = uow.cases.add(case)
            if kind.is_outgoing_student and i % 3 == 0:
                uow.session.add(DeadlineRow(
                    case_id=case_id, kind="student_report", due_date=date(2026, 3, 1),
                    status=rng.choice(["open", "met", "overdue"]), opened_at=datetime.now(UTC),
                    closed_at=datetime(2026, rng.choice([2, 4]), 1, tzinfo=UTC),
                ))  # fmt: skip
        uow.commit()


def test_statistics_totals_reconcile_with_the_cases_in_the_database(engine: Engine) -> None:
    seed(engine, 120, random.Random(7))
    with UnitOfWork(engine) as uow:
        for year, mobilities in academic_years(uow.session):
            stats = year_statistics(uow.session, year)
            in_year = select(func.count()).select_from(CaseRow).where(
                CaseRow.academic_year == year)  # fmt: skip
            placed = uow.session.scalar(in_year.where(CaseRow.state.in_(PLACED_STATES)))
            assert stats.mobilities == placed == mobilities
            assert sum(stats.matrix.values()) == placed
            for breakdown in (stats.by_country, stats.by_faculty, stats.by_funding,
                              stats.by_programme):  # fmt: skip
                assert sum(breakdown.values()) == placed
            assert sum(stats.ended.values()) == uow.session.scalar(in_year)
            outgoing_students = sum(
                n for (d, _, who), n in stats.matrix.items() if (d, who) == ("outgoing", "students")
            )
            assert sum(stats.by_term.values()) == outgoing_students


def test_report_timeliness_counts_on_time_late_and_overdue(engine: Engine) -> None:
    seed(engine, 90, random.Random(3))
    with UnitOfWork(engine) as uow:
        totals: dict[str, int] = {}
        for year, _ in academic_years(uow.session):
            for verdict, n in year_statistics(uow.session, year).reports.items():
                totals[verdict] = totals.get(verdict, 0) + n
        deadlines = uow.session.scalar(select(func.count()).select_from(DeadlineRow))
    assert set(totals) <= {"on_time", "late", "overdue", "pending"}
    assert sum(totals.values()) <= (deadlines or 0)
    assert totals.get("on_time", 0) > 0 and totals.get("late", 0) > 0


def test_statistics_export_as_a_workbook_and_an_annual_report_section(engine: Engine) -> None:
    seed(engine, 40, random.Random(1))
    with UnitOfWork(engine) as uow:
        year = academic_years(uow.session)[-1][0]
        stats = year_statistics(uow.session, year)
    book = load_workbook(io.BytesIO(to_xlsx(stats, "en")))
    assert book["Summary"]["B2"].value == stats.mobilities
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(to_docx(stats))).paragraphs)
    assert f"{stats.mobilities} катышуучу" in text
