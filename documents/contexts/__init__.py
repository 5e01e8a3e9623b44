"""The pydantic model of each document kind's context."""

from documents.contexts.common import DocumentRef, Executor, Person
from documents.contexts.guests import GuestCourse, IssuedTranscript
from documents.contexts.letters import (
    IncomingInvitation,
    InvitationRequest,
    MissedDeadlineNotice,
    RecognitionDecision,
)
from documents.contexts.orders import EnrolmentOrder, MobilityOrder, ReturnOrder, StaffTripOrder
from documents.contexts.papers import (
    ExpulsionSubmission,
    FacultyMobilityReport,
    ReferralLetter,
    StaffTripReport,
)
from documents.contexts.student_forms import (
    DeanNomination,
    ParentsConsent,
    Questionnaire,
    StudyPlan,
    TripReportForm,
)

__all__ = [
    "DeanNomination",
    "DocumentRef",
    "EnrolmentOrder",
    "Executor",
    "ExpulsionSubmission",
    "FacultyMobilityReport",
    "GuestCourse",
    "IncomingInvitation",
    "InvitationRequest",
    "IssuedTranscript",
    "MissedDeadlineNotice",
    "MobilityOrder",
    "ParentsConsent",
    "Person",
    "Questionnaire",
    "RecognitionDecision",
    "ReferralLetter",
    "ReturnOrder",
    "StaffTripOrder",
    "StaffTripReport",
    "StudyPlan",
    "TripReportForm",
]
