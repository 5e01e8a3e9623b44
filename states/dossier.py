"""The papers of a mobility: what participants hand in and what the university issues.

One enum for all of them: a paper handed in, a paper generated from a template
(`documents/` renders those, named by the same values), or both (a generated order comes back
as a signed scan). Values are stable identifiers stored in the database (documents.doc_type)
and used as the templates' file names: append, never rename.
"""

from enum import StrEnum


class Origin(StrEnum):
    """Where a paper in a case file came from."""

    uploaded = "uploaded"  # handed in: a scan or file from a participant or an office
    generated = "generated"  # printed here from a template, with its number


class DocumentKind(StrEnum):
    # Handed in with a student's application (4.2, "Student duties")
    application = "application"  # арыз
    study_plan = "study_plan"  # ЖОП, annex 2
    parents_consent = "parents_consent"  # annex 6
    transcript = "transcript"  # home transcript
    questionnaire = "questionnaire"  # annex 5
    motivation_letter = "motivation_letter"
    passport_copy = "passport_copy"
    language_certificate = "language_certificate"
    # Selection and invitation ("ФД duties", "ЭАБД duties", 4.3)
    dean_nomination = "dean_nomination"  # билдирүү, annex 1
    invitation_request = "invitation_request"
    invitation_letter = "invitation_letter"  # чакыруу каты, the basis of the mobility
    learning_agreement = "learning_agreement"
    # Orders (1.4)
    mobility_order = "mobility_order"
    staff_trip_order = "staff_trip_order"
    return_order = "return_order"
    # Return evidence (1.3.5, "Student duties")
    host_transcript = "host_transcript"  # statement/transcript with credits (long-term)
    certificate = "certificate"
    reference_letter = "reference_letter"  # academic reference with course hours (short-term)
    trip_report = "trip_report"  # annex 4
    recognition_decision = "recognition_decision"
    missed_deadline_notice = "missed_deadline_notice"
    # Staff ("ИПК duties")
    substitution_note = "substitution_note"  # head of department: who covers the classes
    expense_report = "expense_report"  # to accounting, within 5 working days
    presentation_minutes = "presentation_minutes"  # discussed at department / presented at faculty
    staff_report = "staff_report"  # short report to ЭАБД
    # Incoming ("КАОЖ duties", 1.5)
    partner_nomination = "partner_nomination"
    incoming_invitation = "incoming_invitation"
    enrolment_order = "enrolment_order"
    issued_transcript = "issued_transcript"
    other = "other"
    # The papers issue 12 added (appended: values are stored)
    referral_letter = "referral_letter"  # жолдомо каты, "ЭАБД duties"
    staff_report_form = "staff_report_form"  # the form of the short report to ЭАБД (3.6)
    expulsion_submission = "expulsion_submission"  # the dean's submission, 4.8 "ФД duties"
    # Printed only, never handed in (appended: values are stored)
    trip_report_form = "trip_report_form"  # annex 4 blank, printed for the student to fill in
    faculty_mobility_report = "faculty_mobility_report"  # to ЭАБД (5.6), in no case file


# Papers the university prints for someone to fill in or read, which nobody hands back in as
# such: the filled-in trip report is a `trip_report`, and the faculty's report belongs to no
# case file.
PRINTED_ONLY = frozenset({DocumentKind.trip_report_form, DocumentKind.faculty_mobility_report})
