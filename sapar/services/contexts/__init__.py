"""From a case file to a document context: what each official paper prints about the case,
by family as documents/contexts/ holds their models (orders, letters, student forms, papers,
guests); the dossier read from the database and the paper's registration in `dossier`, who
signs each paper in `signers`.

A field the case does not hold yet (a student's group, the host's invitation number, ...)
is left out here and the document's pydantic model refuses it by name, so an order is never
issued with a blank where a name or number belongs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from states.dossier import DocumentKind

from .dossier import Dossier, Issue
from .guests import issued_transcript
from .letters import (
    incoming_invitation,
    invitation_request,
    missed_deadline_notice,
    recognition_decision,
)
from .orders import enrolment_order, mobility_order, return_order, staff_trip_order
from .papers import expulsion_submission, referral_letter, staff_report_form
from .student_forms import dean_nomination, student_form

BUILDERS = {
    DocumentKind.mobility_order: mobility_order,
    DocumentKind.return_order: return_order,
    DocumentKind.staff_trip_order: staff_trip_order,
    DocumentKind.dean_nomination: dean_nomination,
    DocumentKind.invitation_request: invitation_request,
    DocumentKind.recognition_decision: recognition_decision,
    DocumentKind.incoming_invitation: incoming_invitation,
    DocumentKind.enrolment_order: enrolment_order,
    DocumentKind.missed_deadline_notice: missed_deadline_notice,
    DocumentKind.referral_letter: referral_letter,
    DocumentKind.staff_report_form: staff_report_form,
    DocumentKind.expulsion_submission: expulsion_submission,
    DocumentKind.issued_transcript: issued_transcript,
}


def build_context(kind: DocumentKind, dossiers: Sequence[Dossier], issue: Issue) -> dict[str, Any]:
    """The context for `kind`, from the case's named fields, its person and its papers."""
    builder = BUILDERS.get(kind)
    if builder is None:
        return student_form(kind, dossiers, issue)
    return builder(dossiers, issue)
