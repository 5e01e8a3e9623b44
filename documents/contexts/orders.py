"""Contexts of the rector's orders (буйрук / приказ)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, Field, computed_field

from documents.contexts.common import (
    DocumentRef,
    Gender,
    LongText,
    Model,
    NumberedRef,
    OrderBase,
    Period,
    Person,
    StudentIdentity,
    Text,
    Tuition,
    YearOfStudy,
    distinct_refs,
)

# Up to this many distinct nominations are cited in the preamble; more (forty students each
# nominated on their own) are cited in each student's row of the annex instead.
PREAMBLE_LIMIT = 3


class OutgoingStudent(StudentIdentity, Period):
    """One row of a mobility order's table."""

    tuition: Tuition
    host_institution: Text
    host_country: Text
    programme: Text
    funding_source: Text
    scholarship_kept: bool
    invitation: NumberedRef
    """The host's invitation of this student (issuer, number, date): printed in the
    student's row of the annex, not in the preamble."""
    nomination: DocumentRef | None = None
    """The dean's nomination that put the student forward, where its date is known (the
    nomination issued here, or a paper handed in with its date)."""


class MobilityOrder(OrderBase):
    """Students (one or a group) sent on academic mobility; the basis of their departure.

    The preamble cites the common bases once; what differs per student (the host's
    invitation, and the nomination when there are many) is in the student's row."""

    students: list[OutgoingStudent] = Field(min_length=1)
    responsible: list[Person] = Field(min_length=1)
    control: Person
    note: LongText | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def invitations(self) -> list[NumberedRef]:
        """The distinct invitations: one (a single student, or a group invited in one letter)
        is cited in the preamble itself."""
        return distinct_refs([s.invitation for s in self.students])

    @computed_field  # type: ignore[prop-decorator]
    @property
    def nominations(self) -> list[DocumentRef]:
        """The distinct nominations, each cited once."""
        return distinct_refs([s.nomination for s in self.students if s.nomination])

    @computed_field  # type: ignore[prop-decorator]
    @property
    def nominations_in_preamble(self) -> bool:
        return len(self.nominations) <= PREAMBLE_LIMIT


class StaffMember(Model):
    full_name: Text
    gender: Gender | None = None
    position: Text
    department: Text
    faculty: Text


class StaffTripOrder(OrderBase, Period):
    """A staff member's business trip (кызматтык иш сапар / командировка)."""

    staff: StaffMember
    invitation: DocumentRef
    host_institution: Text
    host_country: Text
    host_city: Text
    purpose: LongText
    funding_source: Text
    university_funds: bool
    """The university pays: the expense report to accounting is due within 5 working days."""
    substitute: Text
    """Who covers the staff member's classes (from the head of department's note)."""
    project: Text | None = None
    """The research project that funds the trip, if any."""
    control: Person

    @computed_field  # type: ignore[prop-decorator]
    @property
    def days(self) -> int:
        """Calendar days of the trip, both ends included."""
        return (self.period_to - self.period_from).days + 1


class ReturningStudent(StudentIdentity, Period):
    host_institution: Text
    host_country: Text
    documents_due: dt.date
    """Transcript, statements and certificates to the dean's office (one month after the end)."""


class ReturnOrder(OrderBase):
    """Students counted as returned; their report and recognition duties with deadlines."""

    sending_orders: Annotated[list[NumberedRef], AfterValidator(distinct_refs)] = Field(
        min_length=1
    )
    """The orders that sent these students, each cited once by its number and date."""
    returned_on: dt.date
    students: list[ReturningStudent] = Field(min_length=1)
    recognition_due: dt.date
    """The faculties decide on the recognition of credits by this date."""
    responsible: list[Person] = Field(min_length=1)
    control: Person


class IncomingParticipant(Period):
    full_name: Text
    citizenship: Text
    home_institution: Text
    home_country: Text
    faculty: Text
    """The OshSU faculty that hosts the participant."""
    specialty: Text
    year_of_study: YearOfStudy | None = None
    group: Text | None = None
    programme: Text
    coordinator: Text


class EnrolmentOrder(OrderBase):
    """Incoming participants enrolled at OshSU for their mobility period."""

    basis: Annotated[list[DocumentRef], AfterValidator(distinct_refs)] = Field(min_length=1)
    """The partners' nominations, each cited once (a group nominated in one letter: once)."""
    participants: list[IncomingParticipant] = Field(min_length=1)
    fee_waived: bool
    """No tuition fee, as bilateral agreements provide."""
    responsible: list[Person] = Field(min_length=1)
    control: Person
