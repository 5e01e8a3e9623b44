"""The faculty's report on academic mobility to ЭАБД ("Deputy dean duties": the deputy dean
for international relations writes it; 5.6: ЭАБД builds the yearly statistics from them).

An on-demand paper, not a step of a case: it is about a faculty and a period, not one
person, so nothing in a case's history asks for it and it takes no number. The deputy dean
(or ЭАБД) prints it when the period closes, from the cases as they stand: every case of the
faculty whose mobility overlaps the period, outgoing students, outgoing staff and guests
apart, each with its state and, once decided, its recognition outcome."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Engine, select

from documents import Language, RenderedDocument, render
from sapar import clock
from sapar.faculties import faculty_name
from sapar.i18n import label
from sapar.officials import Post
from states.model import Case, CaseKind
from storage import countries
from storage.orm import CaseRow
from storage.uow import UnitOfWork

from .contexts.dossier import Issue
from .officials import load_officials

WITHDRAWN = ("withdrawn", "rejected", "cancelled")


def _line(c: Case, language: str) -> dict[str, Any]:
    p = c.participant
    incoming = c.kind.is_incoming
    return {
        "full_name": p.full_name,
        "unit": p.group_name
        if c.kind != CaseKind.outgoing_staff
        else (c.department or p.department),
        "institution": (p.home_institution or c.host_institution)
        if incoming
        else c.host_institution,
        "country": countries.name(
            language,
            (c.home_country or p.citizenship or c.host_country) if incoming else c.host_country,
        ),
        "programme": c.programme,
        "period_from": c.start_date,
        "period_to": c.mobility_end,
        "status": label(language, "state", c.state),
        "result": label(language, "outcome", c.outcome) if c.outcome else None,
    }


def faculty_report_context(
    engine: Engine, *, faculty: str, period_from: date, period_to: date, language: str = "ky",
    today: date | None = None,
) -> dict[str, Any]:  # fmt: skip
    """The report's context: the faculty's cases overlapping the period (those withdrawn,
    rejected or cancelled before going are left out: no mobility took place)."""
    if period_to < period_from:
        raise ValueError("the period ends before it starts")
    day = today or clock.today()
    with UnitOfWork(engine, read_only=True) as uow:
        ids = list(
            uow.session.scalars(
                select(CaseRow.id)
                .where(
                    CaseRow.faculty == faculty,
                    CaseRow.start_date <= period_to,
                    CaseRow.end_date >= period_from,
                    CaseRow.state.not_in(WITHDRAWN),
                )
                .order_by(CaseRow.start_date, CaseRow.id)
            )
        )
        cases = uow.cases.get_many(ids) if ids else []
        officials = load_officials(uow.session)
    issue = Issue(None, day, officials, "sapar", "", language)
    groups: dict[str, list[dict[str, Any]]] = {
        "outgoing_students": [], "outgoing_staff": [], "incoming": []
    }  # fmt: skip
    for c in cases:
        key = (
            "incoming"
            if c.kind.is_incoming
            else "outgoing_staff"
            if c.kind == CaseKind.outgoing_staff
            else "outgoing_students"
        )
        groups[key].append(_line(c, language))
    return {
        "date": day,
        "faculty": faculty_name(faculty, language),
        "period_from": period_from,
        "period_to": period_to,
        **groups,
        "addressee": issue.person(Post.iro_director),
        "signer": issue.person(Post.deputy_dean_international, faculty),
    }


def faculty_report(
    engine: Engine, *, faculty: str, period_from: date, period_to: date, language: str = "ky",
    today: date | None = None,
) -> RenderedDocument:  # fmt: skip
    """The report as a DOCX in Kyrgyz or Russian; OfficialsMissing names a missing signer."""
    context = faculty_report_context(
        engine,
        faculty=faculty,
        period_from=period_from,
        period_to=period_to,
        language=language,
        today=today,
    )
    lang: Language = "ru" if language == "ru" else "ky"
    return render("faculty_mobility_report", lang, context)


__all__ = ["faculty_report", "faculty_report_context"]
