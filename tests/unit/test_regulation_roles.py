"""Who sees which cases and which offices do what beyond the steps (4.1, 4.8, the lists of
duties): states/roles.py, asked of accounts without a database."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from states import roles
from states.kinds import DEFINITIONS
from states.model import Case, CaseKind, FundingSource, Role
from tests.builders import a_case, a_guest, a_staff_member, a_student

ECONOMICS = "Экономика факультети"
INFORMATICS_FACULTY = "Математика жана информатика факультети"
INFORMATICS = "Информатика кафедрасы"


@dataclass(frozen=True)
class Account:
    role: Role
    faculty: str | None = None
    department: str | None = None


def a_student_case() -> Case:
    return a_case(a_student(faculty=ECONOMICS))


def a_staff_trip(**overrides: object) -> Case:
    return a_case(a_staff_member(), **overrides)


@pytest.mark.parametrize("role", sorted(roles.SEES_ALL))
def test_the_university_wide_offices_see_every_case_4_1(role: Role) -> None:
    for case in (a_student_case(), a_staff_trip(), a_case(a_guest())):
        assert roles.sees(Account(role), case)


def test_a_dean_office_sees_its_own_faculty_s_cases_only_fd_duties() -> None:
    assert roles.sees(Account(Role.dean_office, ECONOMICS), a_student_case())
    assert not roles.sees(Account(Role.dean_office, INFORMATICS_FACULTY), a_student_case())


def test_a_dean_office_account_without_a_faculty_sees_no_case() -> None:
    assert not roles.sees(Account(Role.dean_office), a_student_case())


def test_a_head_of_department_sees_the_staff_trips_of_their_department_only_ipk_duties() -> None:
    head = Account(Role.head_of_department, INFORMATICS_FACULTY, INFORMATICS)
    assert roles.sees(head, a_staff_trip())
    assert not roles.sees(head, a_staff_trip(department="Физика кафедрасы"))
    student = a_case(a_student(faculty=INFORMATICS_FACULTY, department=INFORMATICS))
    assert not roles.sees(head, student)


def test_a_project_lead_sees_only_the_trips_a_research_project_funds_ipk_duties() -> None:
    lead = Account(Role.project_lead, INFORMATICS_FACULTY)
    assert roles.sees(lead, a_staff_trip(funding_source=FundingSource.research_project))
    assert not roles.sees(lead, a_staff_trip(funding_source=FundingSource.university))


def test_accounting_sees_staff_trips_for_the_expense_report_and_no_student_case() -> None:
    assert roles.sees(Account(Role.accounting), a_staff_trip())
    assert not roles.sees(Account(Role.accounting), a_student_case())


def test_a_participant_account_sees_no_case_through_the_offices_rules() -> None:
    assert not roles.sees(Account(Role.participant), a_student_case())


def test_the_offices_that_open_cases_are_those_that_take_a_case_s_first_step() -> None:
    first_steps = {
        role
        for definition in DEFINITIONS.values()
        for step in definition.steps
        if definition.initial in step.source and step.dest not in definition.terminal
        for role in step.roles
    }
    # ЭАБД opens any case on a partner's nomination (4.3), though a guest's first step is its own.
    assert roles.OPENERS - {Role.iro} <= first_steps
    assert Role.iro in roles.OPENERS


def test_the_partner_registry_is_edited_by_iro_alone_5_4() -> None:
    assert {Role.iro} == roles.PARTNER_EDITORS
    assert roles.PARTNER_EDITORS <= roles.PARTNER_IMPORTERS


def test_recognition_is_the_dean_office_s_3_4_and_4_5() -> None:
    assert {Role.dean_office} == roles.RECOGNISERS


def test_group_orders_are_issued_by_those_who_take_the_order_step_1_4() -> None:
    order_roles = {
        role
        for kind in (CaseKind.outgoing_student_long, CaseKind.outgoing_student_short)
        for step in DEFINITIONS[kind].steps
        if step.event == "issue_order"
        for role in step.roles
    }
    assert order_roles == roles.ORDER_ISSUERS


def test_the_statistics_are_read_by_the_leadership_iro_and_the_faculties_5_6() -> None:
    assert {Role.iro, Role.rector, Role.dean_office} <= roles.STATISTICS_READERS
    assert Role.accounting not in roles.STATISTICS_READERS
    assert Role.participant not in roles.STATISTICS_READERS
