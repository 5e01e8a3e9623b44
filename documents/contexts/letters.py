"""Contexts of letters, notices and the recognition decision."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal, Self

from pydantic import Field, computed_field, model_validator

from documents.contexts.common import (
    Credits,
    DocumentRef,
    Executor,
    Gender,
    LongText,
    Model,
    Period,
    Person,
    StudentIdentity,
    Text,
    Versioned,
    YearOfStudy,
)


class Contact(Model):
    full_name: Text
    position: Text
    email: Text
    phone: Text


class RequestedStudent(Period):
    full_name: Text
    specialty: Text
    year_of_study: YearOfStudy


class InvitationRequest(Versioned):
    """OshSU's letter asking a host for invitation letters and its curriculum."""

    number: Text
    date: dt.date
    addressee: Person
    addressee_institution: Text
    addressee_country: Text
    programme: Text
    agreement: DocumentRef | None = None
    students: list[RequestedStudent] = Field(min_length=1)
    contact: Contact
    signer: Person
    executor: Executor


RecognitionOutcome = Literal["all_credited", "summer_retake", "expulsion_proposal"]


class RecognisedCourse(Model):
    host_course: Text
    credits: Credits
    host_grade: Text
    host_scale: Text
    score_100: Annotated[int, Field(ge=0, le=100)]
    home_grade: Text
    """The letter grade on the home scale, e.g. "A"."""
    home_points: Annotated[int, Field(ge=2, le=5)]
    home_course: Text | None = None
    """None: counted as a university-component / elective course (clause 4.5)."""
    credited: bool


class RecognitionDecision(StudentIdentity, Period, Versioned):
    """The faculty's decision crediting host courses (перезачет), course by course."""

    number: Text
    date: dt.date
    host_institution: Text
    host_country: Text
    transcript: DocumentRef
    courses: list[RecognisedCourse] = Field(min_length=1)
    outcome: RecognitionOutcome
    commission: list[Person] = Field(min_length=1)
    signer: Person

    @computed_field  # type: ignore[prop-decorator]
    @property
    def credited_credits(self) -> Decimal:
        return sum((c.credits for c in self.courses if c.credited), Decimal(0))

    @computed_field  # type: ignore[prop-decorator]
    @property
    def failed_credits(self) -> Decimal:
        return sum((c.credits for c in self.courses if not c.credited), Decimal(0))

    @model_validator(mode="after")
    def _outcome_matches_courses(self) -> Self:
        # The 15-credit threshold is policy decided elsewhere; a document must at least not
        # say "all credited" next to a failed course, or the reverse.
        if (self.outcome == "all_credited") != (self.failed_credits == 0):
            raise ValueError("outcome contradicts the credited flags of the courses")
        return self


class MissedDeadlineNotice(StudentIdentity, Versioned):
    """Tells a student (with a copy to the dean) that a duty's deadline has passed."""

    number: Text
    date: dt.date
    duty: LongText
    deadline: dt.date
    new_deadline: dt.date | None = None
    consequence: LongText | None = None
    order: DocumentRef | None = None
    signer: Person
    executor: Executor


class IncomingInvitation(Period, Versioned):
    """OshSU's invitation / acceptance letter to an incoming student or staff member."""

    number: Text
    date: dt.date
    full_name: Text
    gender: Gender | None = None
    participant: Literal["student", "staff"]
    citizenship: Text
    passport_number: Text | None = None
    home_institution: Text
    home_country: Text
    faculty: Text
    specialty: Text
    programme: Text
    purpose: LongText
    coordinator: Contact
    fee_waived: bool
    accommodation: LongText | None = None
    signer: Person
    executor: Executor
