"""The pydantic model of each document kind's context."""

from documents.contexts.common import DocumentRef, Executor, Person
from documents.contexts.letters import (
    IncomingInvitation,
    InvitationRequest,
    MissedDeadlineNotice,
    RecognitionDecision,
)
from documents.contexts.orders import EnrolmentOrder, MobilityOrder, ReturnOrder, StaffTripOrder
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
    "IncomingInvitation",
    "InvitationRequest",
    "MissedDeadlineNotice",
    "MobilityOrder",
    "ParentsConsent",
    "Person",
    "Questionnaire",
    "RecognitionDecision",
    "ReturnOrder",
    "StaffTripOrder",
    "StudyPlan",
    "TripReportForm",
]
