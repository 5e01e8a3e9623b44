"""One enum names every paper, handed in or printed: the stored names never change, and the
templates are a part of it, not a second list."""

from __future__ import annotations

import documents
from documents.kinds import TEMPLATED
from states.dossier import PRINTED_ONLY, DocumentKind

# Every value the documents table may already hold (documents.doc_type): the papers handed in
# and the papers printed, as both former enums named them.
STORED = {
    "application", "study_plan", "parents_consent", "transcript", "questionnaire",
    "motivation_letter", "passport_copy", "language_certificate", "dean_nomination",
    "invitation_request", "invitation_letter", "learning_agreement", "mobility_order",
    "staff_trip_order", "return_order", "host_transcript", "certificate", "reference_letter",
    "trip_report", "recognition_decision", "missed_deadline_notice", "substitution_note",
    "expense_report", "presentation_minutes", "staff_report", "partner_nomination",
    "incoming_invitation", "enrolment_order", "issued_transcript", "other", "referral_letter",
    "staff_report_form", "expulsion_submission", "trip_report_form", "faculty_mobility_report",
}  # fmt: skip


def test_every_stored_paper_name_is_still_a_document_kind() -> None:
    assert {k.value for k in DocumentKind} == STORED


def test_the_documents_package_names_papers_by_the_domain_s_enum() -> None:
    assert documents.DocumentKind is DocumentKind


def test_every_template_is_of_a_document_kind_and_not_every_kind_has_one() -> None:
    assert set(TEMPLATED) < set(DocumentKind)
    assert DocumentKind.application not in TEMPLATED  # handed in, never printed


def test_the_papers_printed_only_all_have_a_template() -> None:
    assert set(TEMPLATED) >= PRINTED_ONLY
