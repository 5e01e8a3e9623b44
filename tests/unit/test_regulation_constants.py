"""The regulation's constants held in states/: the quota's placed states (4.8), the papers'
registration series, the recognition term, the fee waiver and the scholarship (6.3, the
lists of duties)."""

from __future__ import annotations

from datetime import date

import pytest

from states.dossier import DocumentKind as D
from states.fees import fee_waived, keeps_scholarship
from states.kinds import DEFINITIONS
from states.model import CaseKind, FundingBasis
from states.numbering import placeholder_number, registration_number, series_of
from states.periods import recognition_due, report_due
from states.quotas import PLACED_STATES, QuotaType, quota_type_of
from tests.builders import a_case, a_guest, a_student

# The step from which a case holds a place of the partner's quota (4.8, "ЭАБД duties").
PLACING_STEP = {
    CaseKind.outgoing_student_long: "issue_order",
    CaseKind.outgoing_student_short: "issue_order",
    CaseKind.outgoing_staff: "issue_order",
    CaseKind.incoming_student: "accept",
    CaseKind.incoming_staff: "accept",
}


def _on_from(kind: CaseKind, event: str) -> set[str]:
    """The states a case of `kind` can be in once `event` took it on, the exits left out."""
    definition = DEFINITIONS[kind]
    exits = {"withdraw", "reject", "cancel"}
    reached = {next(s.dest for s in definition.steps if s.event == event)}
    grew = True
    while grew:
        more = {
            s.dest
            for s in definition.steps
            if s.event not in exits and s.dest in definition.states and reached & set(s.source)
        }
        grew = not more <= reached
        reached |= more
    return reached


@pytest.mark.parametrize("kind", list(CaseKind))
def test_a_case_holds_a_quota_place_from_its_order_or_acceptance_on_4_8(kind: CaseKind) -> None:
    placed = _on_from(kind, PLACING_STEP[kind])
    assert placed <= PLACED_STATES
    before = set(DEFINITIONS[kind].states) - placed
    assert not before & PLACED_STATES, f"{kind}: {sorted(before & PLACED_STATES)}"


def test_a_withdrawn_case_gives_its_quota_place_back_4_8() -> None:
    assert "withdrawn" not in PLACED_STATES
    assert "closed" in PLACED_STATES


def test_each_quota_counts_students_and_staff_each_way_separately_4_8() -> None:
    assert {quota_type_of(k) for k in CaseKind} == set(QuotaType)
    assert quota_type_of(CaseKind.outgoing_student_short) is QuotaType.outgoing_students
    assert quota_type_of(CaseKind.outgoing_student_long) is QuotaType.outgoing_students


def test_the_orders_on_students_share_one_series_and_staff_trips_have_their_own_1_4() -> None:
    assert series_of(D.mobility_order) == series_of(D.return_order) == "АМ"
    assert series_of(D.enrolment_order) == "АМ"
    assert series_of(D.staff_trip_order) == "ИС"


def test_the_letters_of_iro_are_entered_in_its_own_journal() -> None:
    for letter in (D.invitation_request, D.incoming_invitation, D.referral_letter):
        assert series_of(letter) == "ЭАБД"


def test_a_dean_s_nomination_and_the_annexes_carry_no_university_number() -> None:
    for paper in (D.dean_nomination, D.study_plan, D.questionnaire, D.parents_consent):
        assert series_of(paper) is None
        assert placeholder_number(paper) is None


def test_a_registration_number_reads_sequence_then_series() -> None:
    assert registration_number(12, "АМ") == "12/АМ"
    assert placeholder_number(D.recognition_decision) == "0/ТН"


def test_the_faculty_decides_recognition_two_weeks_after_the_results_are_due_4_5() -> None:
    end = date(2026, 1, 31)
    assert report_due(end) == date(2026, 2, 28)
    assert recognition_due(end) == date(2026, 3, 14)


def test_a_guest_under_an_agreement_or_a_programme_pays_no_fee_kaoj_duties() -> None:
    assert fee_waived(a_case(a_guest(), programme="Mevlana", partner_id=None))
    assert fee_waived(a_case(a_guest(), programme=None, partner_id=7))


def test_a_guest_on_an_individual_invitation_is_not_told_the_fee_is_waived() -> None:
    assert not fee_waived(a_case(a_guest(), programme=None, partner_id=None))


def test_a_budget_student_keeps_the_scholarship_abroad_and_a_contract_student_does_not() -> None:
    assert keeps_scholarship(a_student(funding_basis=FundingBasis.budget))
    assert not keeps_scholarship(a_student(funding_basis=FundingBasis.contract))
