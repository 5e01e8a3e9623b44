"""Contexts of the papers issue 12 found missing: the referral letter a student carries to
the host, the staff member's short trip report, the dean's submission to expel a student
who failed too many credits abroad, and the faculty's mobility report to ЭАБД."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Self

from pydantic import Field, computed_field, model_validator

from documents.contexts.common import (
    Credits,
    DocumentRef,
    Executor,
    LongText,
    Model,
    Period,
    Person,
    StudentIdentity,
    Text,
    Tuition,
    Versioned,
)
from documents.contexts.letters import Contact
from documents.contexts.orders import StaffMember


class ReferralLetter(StudentIdentity, Period, Versioned):
    """The referral letter (жолдомо каты / направление, "ЭАБД duties"): OshSU sends the
    student to the host for the period, on the basis of the host's invitation; ЭАБД
    re-checks the student before it is sent, and the student carries it on departure."""

    number: Text
    date: dt.date
    host_institution: Text
    host_country: Text
    programme: Text
    invitation: DocumentRef
    plan_credits: Credits | None = None
    """The credits of the ЖОП's host courses (a short stay has no ЖОП, 1.3.5)."""
    contact: Contact
    signer: Person
    executor: Executor


class StaffTripReport(Period, Versioned):
    """The staff member's short report to ЭАБД on the trip (3.6, "ИПК duties"): printed with
    what the case knows; the parts not given are left to fill in by hand."""

    date: dt.date
    addressee: Person
    """The ЭАБД director, to whom the report is handed."""
    staff: StaffMember
    order: DocumentRef
    """The business-trip order the trip was made on."""
    host_institution: Text
    host_country: Text
    host_city: Text | None = None
    purpose: LongText
    funding_source: Text
    work_done: LongText | None = None
    results: LongText | None = None
    proposals: LongText | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def days(self) -> int:
        return (self.period_to - self.period_from).days + 1


class FailedCourse(Model):
    title: Text
    credits: Credits
    grade: Text


class ExpulsionSubmission(StudentIdentity, Period, Versioned):
    """The dean's submission (представление / сунуш) to the rector to expel a student whose
    failed credits at the host exceed the threshold (4.8, "ФД duties": more than 15)."""

    number: Text | None = None
    date: dt.date
    tuition: Tuition
    host_institution: Text
    host_country: Text
    transcript: DocumentRef
    failed_credits: Credits
    threshold: Annotated[int, Field(ge=0)]
    courses: list[FailedCourse] = Field(default_factory=list)
    """The courses not credited, as the recognition recorded them (may be none yet)."""
    addressee: Person
    signer: Person
    agreed_by: list[Person] = Field(min_length=1)

    @model_validator(mode="after")
    def _above_threshold(self) -> Self:
        # The regulation expels only above the threshold; at or below it the debt is
        # cleared in the summer semester, so a submission there would be a wrong paper.
        if self.failed_credits <= self.threshold:
            raise ValueError("failed_credits do not exceed the threshold")
        return self

    @computed_field  # type: ignore[prop-decorator]
    @property
    def courses_credits(self) -> Decimal:
        return sum((c.credits for c in self.courses), Decimal(0))


class ReportedCase(Period):
    """One participant's line in the faculty's report."""

    full_name: Text
    unit: Text | None = None
    """The student's group or the staff member's department."""
    institution: Text
    """The host (outgoing) or the home institution (incoming)."""
    country: Text
    programme: Text | None = None
    status: Text
    result: Text | None = None


class FacultyMobilityReport(Period):
    """The faculty's report on academic mobility to ЭАБД ("Deputy dean duties", 5.6): every
    case of the faculty whose mobility overlaps the reported period, by direction."""

    date: dt.date
    faculty: Text
    outgoing_students: list[ReportedCase] = Field(default_factory=list)
    outgoing_staff: list[ReportedCase] = Field(default_factory=list)
    incoming: list[ReportedCase] = Field(default_factory=list)
    addressee: Person
    signer: Person

    @computed_field  # type: ignore[prop-decorator]
    @property
    def total(self) -> int:
        return len(self.outgoing_students) + len(self.outgoing_staff) + len(self.incoming)
