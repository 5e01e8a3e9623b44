"""Contexts of the papers OshSU issues to its guests at the end of their stay."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, computed_field, field_validator

from documents.contexts.common import (
    Credits,
    Executor,
    Gender,
    LongText,
    Model,
    Period,
    Person,
    Text,
    Versioned,
)


class GuestCourse(Model):
    """A course the guest took at OshSU, with the grade the faculty recorded in AVN."""

    title: Text
    credits: Credits
    score_100: Annotated[int, Field(ge=0, le=100)]
    letter: Text
    """The letter grade of OshSU's scale, e.g. "A" (its ECTS equivalent)."""
    points: Annotated[int, Field(ge=2, le=5)]
    """The grade on the 5-point scale."""


class IssuedTranscript(Period, Versioned):
    """What OshSU gives a guest when the stay ends ("КАОЖ duties", 1.5): to an incoming
    student a transcript of records — the courses taken and the grades obtained, course by
    course with their credits; to an incoming staff member a certificate of the stay. It is
    addressed to the guest's home university, so it also exists in English."""

    number: Text
    date: dt.date
    participant: Literal["student", "staff"]
    full_name: Text
    """In an English paper: as in the passport (sapar prints the registry's Latin spelling)."""
    gender: Gender | None = None
    birth_date: dt.date | None = None
    citizenship: Text
    home_institution: Text
    home_country: Text
    faculty: Text
    """The OshSU faculty that hosted the guest."""
    specialty: Text | None = None
    programme: Text | None = None
    purpose: LongText
    grades: list[GuestCourse] = Field(default_factory=list, max_length=200)
    signer: Person
    """The dean of the host faculty, who records the guest's grades (ФД duties)."""
    countersigner: Person
    """The director of ЭАБД, who coordinates the guests (КАОЖ duties)."""
    executor: Executor

    @field_validator("grades")
    @classmethod
    def _a_student_has_grades(
        cls, value: list[GuestCourse], info: ValidationInfo
    ) -> list[GuestCourse]:
        # A transcript of records without a course would certify nothing; a staff member's
        # certificate of the stay lists courses only when they taught some.
        if info.data.get("participant") == "student" and not value:
            raise ValueError("a student's transcript lists at least one course with its grade")
        return value

    @computed_field  # type: ignore[prop-decorator]
    @property
    def total_credits(self) -> Decimal:
        return sum((c.credits for c in self.grades), Decimal(0))
