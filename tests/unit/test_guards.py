"""Every guard refuses with its rule and its clause; the edges of each rule are pinned."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from states.dossier import DocumentKind as D
from states.guards import Facts, RuleViolation
from states.machine import machine_for
from states.model import Case, FundingBasis, FundingSource, Level, Role, Scope
from tests.builders import LONG_STAY_PAPERS, a_case, a_staff_member, a_student

TODAY = date(2026, 11, 23)
APPLICATION = set(LONG_STAY_PAPERS)


def facts(docs: set[D] | None = None, **kwargs: Any) -> Facts:
    documents = frozenset(d.value for d in (APPLICATION if docs is None else docs))
    return Facts(today=TODAY, documents=documents, **kwargs)


def refusal_of(case: Case, event: str, role: Role, f: Facts) -> str:
    with pytest.raises(RuleViolation) as caught:
        machine_for(case.kind).fire(case, event, role=role, facts=f)
    return str(caught.value)


def nominate(case: Case, f: Facts | None = None) -> str:
    return refusal_of(case, "nominate", Role.dean_office, f or facts())


def test_gpa_of_exactly_3_is_refused_because_it_must_be_above_3() -> None:
    message = nominate(a_case(a_student(gpa=3.0)))
    assert "GPA 3 is not above 3 — 4.8, ФД duties" in message


def test_gpa_just_above_3_is_accepted() -> None:
    case = a_case(a_student(gpa=3.01), state="application")
    machine_for(case.kind).fire(case, "nominate", role=Role.dean_office, facts=facts())
    assert case.state == "nominated"


def test_gpa_is_not_checked_outside_competitive_programmes() -> None:
    case = a_case(a_student(gpa=2.5), state="application", competitive=False)
    machine_for(case.kind).fire(case, "nominate", role=Role.dean_office, facts=facts())
    assert case.state == "nominated"


def test_contract_student_with_tuition_debt_is_refused() -> None:
    student = a_student(funding_basis=FundingBasis.contract, tuition_debt=True)
    assert "tuition debt" in nominate(a_case(student, state="application"))
    assert "4.8, Student duties" in nominate(a_case(student, state="application"))


def test_unfinished_previous_case_blocks_a_new_one() -> None:
    message = nominate(a_case(state="application"), facts(unfinished_cases=(7,)))
    assert "previous mobility (#7) is not finished — 4.8, Student duties" in message


@pytest.mark.parametrize(
    ("level", "year", "semester", "scope", "expected"),
    [
        (Level.bachelor, 1, 1, Scope.domestic, "from the 2nd semester of year 1"),
        (Level.bachelor, 1, 2, Scope.international, "domestic institutions only"),
        (Level.bachelor, 5, 1, Scope.international, "beyond the programme's 8 semesters"),
        (Level.master, 1, 1, Scope.international, "semesters 2 and 3 only"),
        (Level.master, 2, 2, Scope.international, "semesters 2 and 3 only"),
        (Level.college, 1, 1, Scope.domestic, "college students go from the 2nd semester"),
        (Level.college, 3, 2, Scope.domestic, "college students go from the 2nd semester"),
    ],
)
def test_semester_long_mobility_outside_the_level_window_is_refused(
    level: Level, year: int, semester: int, scope: Scope, expected: str
) -> None:
    student = a_student(level=level, year=year, semester=semester)
    message = nominate(a_case(student, state="application", scope=scope))
    assert expected in message
    assert "4.8, Student duties" in message


@pytest.mark.parametrize(
    ("level", "year", "semester", "scope"),
    [
        (Level.bachelor, 1, 2, Scope.domestic),
        (Level.bachelor, 2, 1, Scope.international),
        (Level.bachelor, 4, 2, Scope.international),
        (Level.master, 1, 2, Scope.international),
        (Level.master, 2, 1, Scope.international),
        (Level.college, 1, 2, Scope.domestic),
        (Level.college, 3, 1, Scope.international),
    ],
)
def test_semester_long_mobility_inside_the_level_window_is_accepted(
    level: Level, year: int, semester: int, scope: Scope
) -> None:
    case = a_case(
        a_student(level=level, year=year, semester=semester), state="application", scope=scope
    )
    machine_for(case.kind).fire(case, "nominate", role=Role.dean_office, facts=facts())
    assert case.state == "nominated"


def test_short_term_mobility_ignores_the_semester_windows() -> None:
    student = a_student(year=1, semester=1)
    case = a_case(
        student, state="application", start_date=date(2026, 7, 1), end_date=date(2026, 7, 14)
    )
    machine_for(case.kind).fire(
        case, "nominate", role=Role.dean_office, facts=facts(APPLICATION - {D.study_plan})
    )
    assert case.state == "nominated"


def test_every_missing_application_paper_is_named_at_once() -> None:
    message = nominate(a_case(state="application"), facts({D.application}))
    for name in (
        "transcript",
        "questionnaire (annex 5)",
        "motivation letter",
        "citizenship document",
        "parents' consent",
    ):
        assert name in message
    assert "4.2, Student duties" in message


def test_long_term_nomination_needs_the_study_plan() -> None:
    message = nominate(a_case(state="application"), facts(APPLICATION - {D.study_plan}))
    assert "individual study plan (ЖОП, annex 2) is missing — 1.3.6" in message


def test_language_certificate_is_needed_where_the_host_asks_for_one() -> None:
    case = a_case(state="application", language_certificate_required=True)
    assert "language certificate is missing" in nominate(case)


def test_invitation_is_received_only_with_the_letter() -> None:
    case = a_case(state="nominated")
    message = refusal_of(case, "receive_invitation", Role.iro, facts(set()))
    assert "official invitation letter is missing — 4.3" in message


def test_order_is_refused_without_invitation() -> None:
    case = a_case(state="invited")
    message = refusal_of(case, "issue_order", Role.iro, facts({D.dean_nomination, D.study_plan}))
    assert "invitation letter is missing — 1.4, 4.3" in message


def test_long_term_order_needs_the_dean_nomination_and_study_plan() -> None:
    case = a_case(state="invited")
    message = refusal_of(case, "issue_order", Role.iro, facts({D.invitation_letter}))
    assert "dean's nomination (annex 1) is missing" in message
    assert "study plan (ЖОП, annex 2) is missing" in message


def test_departure_is_refused_before_the_order() -> None:
    case = a_case(state="ordered")
    message = refusal_of(case, "depart", Role.iro, facts(set()))
    assert "mobility order is missing — 1.4" in message


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({}, "actual date of return is required"),
        ({"actual_end_date": date(2026, 1, 5)}, "before the mobility started"),
        ({"actual_end_date": date(2026, 12, 1)}, "is in the future"),
    ],
)
def test_return_needs_a_real_return_date(payload: dict[str, Any], expected: str) -> None:
    case = a_case(state="abroad")
    assert expected in refusal_of(case, "return_home", Role.iro, facts(payload=payload))


def test_long_term_recognition_needs_the_host_transcript_and_certificate() -> None:
    case = a_case(state="returned")
    message = refusal_of(case, "start_recognition", Role.dean_office, facts(set()))
    assert "host's transcript with credits is missing — 1.3.5, 3.6" in message
    assert "participation certificate is missing" in message


def test_short_term_recognition_needs_the_reference_letter_with_hours() -> None:
    case = a_case(state="returned", start_date=date(2026, 7, 1), end_date=date(2026, 7, 20))
    message = refusal_of(case, "start_recognition", Role.dean_office, facts({D.certificate}))
    assert "reference letter with course hours is missing — 1.3.5" in message


def test_recognition_decision_needs_the_failed_credits() -> None:
    case = a_case(state="recognition")
    message = refusal_of(case, "decide_recognition", Role.dean_office, facts())
    assert "failed host credits (0 or more) is required — 4.8, ФД duties" in message


@pytest.mark.parametrize("event", ["reject", "cancel"])
def test_rejection_and_cancellation_need_a_reason(event: str) -> None:
    case = a_case(state="nominated")
    role = Role.iro
    assert "a reason is required" in refusal_of(case, event, role, facts(payload={"reason": " "}))


def test_staff_application_needs_invitation_copy_and_substitution_note() -> None:
    case = a_case(a_staff_member(), state="application")
    message = refusal_of(case, "approve_by_head", Role.head_of_department, facts({D.application}))
    assert "invitation letter is missing — ИПК duties" in message
    assert "class substitution note is missing" in message


def test_project_lead_approves_only_project_funded_trips() -> None:
    case = a_case(a_staff_member(), state="dean_approved")
    message = refusal_of(case, "approve_by_project_lead", Role.project_lead, facts())
    assert "only trips funded by a research project — ИПК duties" in message


def test_vice_rector_cannot_approve_a_project_funded_trip_before_the_project_lead() -> None:
    case = a_case(
        a_staff_member(), state="dean_approved", funding_source=FundingSource.research_project
    )
    message = refusal_of(case, "approve_by_vice_rector", Role.vice_rector_research, facts())
    assert "needs the project lead's approval before the vice-rector's — ИПК duties" in message


def test_university_funded_staff_report_needs_the_expense_report() -> None:
    case = a_case(a_staff_member(), state="returned", funding_source=FundingSource.university)
    message = refusal_of(
        case, "file_report", Role.iro, facts({D.presentation_minutes, D.staff_report})
    )
    assert "expense report to accounting is missing — ИПК duties" in message


def test_host_funded_staff_report_does_not_need_an_expense_report() -> None:
    case = a_case(a_staff_member(), state="returned", funding_source=FundingSource.host)
    machine_for(case.kind).fire(
        case, "file_report", role=Role.iro, facts=facts({D.presentation_minutes, D.staff_report})
    )
    assert case.state == "reported"


def test_incoming_acceptance_needs_the_partners_nomination() -> None:
    from tests.builders import a_guest

    case = a_case(a_guest(), state="nominated")
    message = refusal_of(case, "accept", Role.iro, facts(set()))
    assert "partner's nomination is missing — 1.5, КАОЖ duties" in message
