"""The kinds of official documents and the context model each one is rendered from."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel

from documents import contexts


class DocumentKind(StrEnum):
    """Values are stable identifiers stored in the database and used as template file names."""

    mobility_order = "mobility_order"
    staff_trip_order = "staff_trip_order"
    return_order = "return_order"
    dean_nomination = "dean_nomination"
    study_plan = "study_plan"
    trip_report_form = "trip_report_form"
    questionnaire = "questionnaire"
    parents_consent = "parents_consent"
    invitation_request = "invitation_request"
    recognition_decision = "recognition_decision"
    missed_deadline_notice = "missed_deadline_notice"
    incoming_invitation = "incoming_invitation"
    enrolment_order = "enrolment_order"
    referral_letter = "referral_letter"
    staff_report_form = "staff_report_form"
    expulsion_submission = "expulsion_submission"
    faculty_mobility_report = "faculty_mobility_report"
    issued_transcript = "issued_transcript"
    """A guest's transcript of records, or a staff guest's certificate of the stay."""


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


def context_model(kind: DocumentKind | str) -> type[BaseModel]:
    """The pydantic model a context of `kind` must satisfy."""
    return _MODELS[DocumentKind(kind)]
