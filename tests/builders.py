"""Readable test data: a student, a staff member, a case, with sensible defaults."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from states.dossier import DocumentKind as D
from states.kinds import DEFINITIONS
from states.model import (
    Basis,
    Case,
    CaseKind,
    FundingBasis,
    FundingSource,
    Level,
    Participant,
    ParticipantKind,
    Scope,
)
from states.periods import is_short_term

# What a student hands in with the application (4.2); long stays add the ЖОП (1.3.6).
SHORT_STAY_PAPERS = (
    D.application, D.transcript, D.questionnaire, D.motivation_letter, D.passport_copy,
    D.parents_consent,
)  # fmt: skip
LONG_STAY_PAPERS = (*SHORT_STAY_PAPERS, D.study_plan)


def a_student(**overrides: Any) -> Participant:
    base = Participant(
        full_name="Айгерим Жолдошбекова",
        kind=ParticipantKind.student,
        faculty="Экономика факультети",
        department="Финансы кафедрасы",
        level=Level.bachelor,
        year=3,
        semester=1,
        gpa=3.6,
        funding_basis=FundingBasis.budget,
        specialty="Финансы жана кредит",
        group_name="ФК-22",
    )
    return replace(base, **overrides)


def a_staff_member(**overrides: Any) -> Participant:
    base = Participant(
        full_name="Нурбек Асанов",
        kind=ParticipantKind.staff,
        faculty="Математика жана информатика факультети",
        department="Информатика кафедрасы",
        position="доцент",
    )
    return replace(base, **overrides)


def a_guest(**overrides: Any) -> Participant:
    base = Participant(
        full_name="Mehmet Yılmaz",
        kind=ParticipantKind.student,
        level=Level.bachelor,
        home_institution="Ankara Üniversitesi",
        citizenship="Türkiye",
        specialty="Computer Science",
    )
    return replace(base, **overrides)


def a_case(participant: Participant | None = None, **overrides: Any) -> Case:
    """An outgoing student semester at a partner abroad unless told otherwise."""
    participant = participant or a_student()
    start = overrides.pop("start_date", date(2026, 2, 2))
    end = overrides.pop("end_date", date(2026, 6, 30))
    kind = overrides.pop("kind", None)
    if kind is not None:
        kind = CaseKind(kind)
    else:
        if participant.kind is ParticipantKind.staff:
            kind = CaseKind.outgoing_staff
        elif participant.home_institution:
            kind = CaseKind.incoming_student
        elif is_short_term(start, end):
            kind = CaseKind.outgoing_student_short
        else:
            kind = CaseKind.outgoing_student_long
    fields: dict[str, Any] = {
        "kind": kind,
        "state": DEFINITIONS[kind].initial,
        "participant": participant,
        "scope": Scope.international,
        "host_institution": "Ankara Üniversitesi",
        "host_country": "Türkiye",
        "host_city": "Ankara",
        "programme": "Mevlana",
        "start_date": start,
        "end_date": end,
        "funding_source": FundingSource.credit_mobility,
        # Partner rules have tests of their own; elsewhere a case needs no registry.
        "basis": Basis.individual_invitation,
        "faculty": participant.faculty,
        "department": participant.department,
    }
    # What the API requires of each kind at opening (schemas.required_particulars).
    if kind.is_outgoing_student:
        fields.update(host_language="англис тили", language_level="B2")
    elif kind is CaseKind.outgoing_staff:
        fields.update(substitute="ага окутуучу А. Токтогулов")
    else:
        fields.update(home_country=participant.citizenship or "Türkiye")
        fields["faculty"] = fields["faculty"] or "Математика жана информатика факультети"
    fields.update(overrides)
    if fields["funding_source"] is FundingSource.research_project and not fields.get("project"):
        fields["project"] = "«Тоо экосистемалары» илимий долбоору"
    return Case(**fields)
