"""The papers rendered from a template and the context model each one is rendered from.

The papers themselves are named by `states.dossier.DocumentKind`, the one enum of papers; the
ones with a template are the keys of `_MODELS`, listed in `TEMPLATED`.
"""

from __future__ import annotations

from pydantic import BaseModel

from documents import contexts
from states.dossier import DocumentKind

_MODELS: dict[DocumentKind, type[BaseModel]] = {
    DocumentKind.mobility_order: contexts.MobilityOrder,
    DocumentKind.staff_trip_order: contexts.StaffTripOrder,
    DocumentKind.return_order: contexts.ReturnOrder,
    DocumentKind.dean_nomination: contexts.DeanNomination,
    DocumentKind.study_plan: contexts.StudyPlan,
    DocumentKind.trip_report_form: contexts.TripReportForm,
    DocumentKind.questionnaire: contexts.Questionnaire,
    DocumentKind.parents_consent: contexts.ParentsConsent,
    DocumentKind.invitation_request: contexts.InvitationRequest,
    DocumentKind.recognition_decision: contexts.RecognitionDecision,
    DocumentKind.missed_deadline_notice: contexts.MissedDeadlineNotice,
    DocumentKind.incoming_invitation: contexts.IncomingInvitation,
    DocumentKind.enrolment_order: contexts.EnrolmentOrder,
    DocumentKind.referral_letter: contexts.ReferralLetter,
    DocumentKind.staff_report_form: contexts.StaffTripReport,
    DocumentKind.expulsion_submission: contexts.ExpulsionSubmission,
    DocumentKind.faculty_mobility_report: contexts.FacultyMobilityReport,
    DocumentKind.issued_transcript: contexts.IssuedTranscript,
}


# The papers rendered here, in a stable order (the tests and the template drafts go by it).
TEMPLATED: tuple[DocumentKind, ...] = tuple(_MODELS)


def context_model(kind: DocumentKind | str) -> type[BaseModel]:
    """The pydantic model a context of `kind` must satisfy."""
    return _MODELS[DocumentKind(kind)]
