"""A registrar's policy file changes the open settings, and refuses what it does not know."""

from __future__ import annotations

from datetime import date

import pytest

from sapar.policy_file import PolicyFileError, policy_from_mapping
from states.guards import Facts, RuleViolation
from states.machine import machine_for
from states.model import Role
from states.policy import DEFAULT_POLICY
from tests.builders import a_case, a_student


def test_a_stricter_gpa_floor_from_the_file_refuses_a_student_the_default_accepts() -> None:
    policy = policy_from_mapping({"min_gpa_exclusive": 3.5, "application_documents": []})
    case = a_case(a_student(gpa=3.4))
    facts = Facts(today=date(2026, 11, 23), documents=frozenset({"study_plan"}), policy=policy)
    with pytest.raises(RuleViolation, match=r"GPA 3\.4 is not above 3\.5"):
        machine_for(case.kind).fire(case, "nominate", role=Role.dean_office, facts=facts)


def test_local_holidays_from_the_file_move_the_expense_report_deadline() -> None:
    policy = policy_from_mapping({"extra_holidays": ["2026-11-24"]})
    assert policy.work_calendar.is_working_day(date(2026, 11, 24)) is False
    assert DEFAULT_POLICY.work_calendar.is_working_day(date(2026, 11, 24)) is True


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"min_gpa": 3}, "unknown settings \\['min_gpa'\\]"),
        ({"programme_years": {"doctor": 3}}, "'doctor' is not a valid Level"),
        ({"extra_holidays": ["31.12.2026"]}, "Invalid isoformat"),
    ],
)
def test_a_bad_policy_file_is_refused_with_the_reason(
    data: dict[str, object], message: str
) -> None:
    with pytest.raises(PolicyFileError, match=message):
        policy_from_mapping(data)
