"""Quotas (4.8, "ЭАБД duties": ЭАБД sets the places each partner gives for a period; 5.3, 5.4:
the registry publishes them): whom a quota counts and which cases use one of its places."""

from __future__ import annotations

from enum import StrEnum

from states.model import CaseKind


class QuotaType(StrEnum):
    """Whom a partner's quota counts: students and staff, each way, separately."""

    outgoing_students = "outgoing_students"
    outgoing_staff = "outgoing_staff"
    incoming_students = "incoming_students"
    incoming_staff = "incoming_staff"


def quota_type_of(kind: CaseKind) -> QuotaType:
    if kind.is_outgoing_student:
        return QuotaType.outgoing_students
    return {
        CaseKind.outgoing_staff: QuotaType.outgoing_staff,
        CaseKind.incoming_student: QuotaType.incoming_students,
        CaseKind.incoming_staff: QuotaType.incoming_staff,
    }[kind]


# A place is used once the participant is sent or taken in: an outgoing case from its order on
# (1.4: one goes by the order), a guest from the acceptance on, and it stays used when the case
# closes. A case withdrawn, even after its order, gives its place back to the partner's quota.
PLACED_STATES = frozenset(
    {"ordered", "abroad", "returned", "recognition", "reported", "closed", "accepted",
     "enrolled", "at_oshsu", "transcript_issued"}
)  # fmt: skip
