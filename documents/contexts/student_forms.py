"""Contexts of the regulation's annexes: nomination (1), study plan (2), trip report (4),
questionnaire (5) and parents' consent (6)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from pydantic import Field, computed_field

from documents.contexts.common import (
    Credits,
    LongText,
    Model,
    Period,
    Person,
    StudentIdentity,
    Text,
    Tuition,
)

Gpa = Annotated[Decimal, Field(ge=0, le=5, decimal_places=2)]


class HostCourse(Model):
    """A course taken at the host; `replaces` is the home course it stands for, or None when
    it will count as a university-component / elective course (clause 4.5)."""

    title: Text
    credits: Credits
    replaces: Text | None = None


class DistanceCourse(Model):
    """A home "difference" course taught by distance while the student is away."""

    title: Text
    credits: Credits
    teacher: Text


class PlanChange(Model):
    version: int = Field(ge=2)
    date: dt.date
    description: LongText


class StudyPlanBody(Model):
    """The ЖОП itself: what the student takes at the host and at home by distance."""

    academic_year: Text
    semester: Text
    host_courses: list[HostCourse] = Field(min_length=1)
    distance_courses: list[DistanceCourse] = Field(default_factory=list)
    version: int = Field(default=1, ge=1)
    changes: list[PlanChange] = Field(default_factory=list)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def host_credits(self) -> Decimal:
        return sum((c.credits for c in self.host_courses), Decimal(0))

    @computed_field  # type: ignore[prop-decorator]
    @property
    def distance_credits(self) -> Decimal:
        return sum((c.credits for c in self.distance_courses), Decimal(0))


class StudyPlan(StudentIdentity, Period):
    """Annex 2: the individual study plan (ЖОП)."""

    date: dt.date
    host_institution: Text
    host_country: Text
    programme: Text
    plan: StudyPlanBody
    agreed_by: list[Person] = Field(min_length=1)
    approved_by: Person


class NominatedStudent(StudentIdentity, Period):
    tuition: Tuition
    gpa: Gpa
    language: Text
    """Language of instruction at the host and the student's level, e.g. "англис тили, B2"."""
    host_institution: Text
    host_country: Text
    plan: StudyPlanBody | None = None
    """The ЖОП (annex 2); a short stay (at most a month) has none (1.3.5)."""


class DeanNomination(Model):
    """Annex 1: the dean's nomination of selected students, each with the ЖОП attached."""

    number: Text | None = None
    date: dt.date
    faculty: Text
    programme: Text
    students: list[NominatedStudent] = Field(min_length=1)
    agreed_by: list[Person] = Field(min_length=1)
    dean: Person


class CompletedCourse(Model):
    title: Text
    credits: Credits
    grade: Text


class TripReportForm(StudentIdentity, Period):
    """Annex 4: the student's report to ЭАБД; the parts not given are left to fill by hand."""

    date: dt.date
    host_institution: Text
    host_country: Text
    programme: Text
    courses: list[CompletedCourse] = Field(default_factory=list)
    academic_results: LongText | None = None
    experience: LongText | None = None
    suggestions: LongText | None = None


class LanguageSkill(Model):
    language: Text
    level: Text


class Questionnaire(StudentIdentity, Period):
    """Annex 5: the applicant's questionnaire."""

    date: dt.date
    birth_date: dt.date
    citizenship: Text
    passport_number: Text
    phone: Text
    email: Text
    address: Text
    tuition: Tuition
    gpa: Gpa
    languages: list[LanguageSkill] = Field(min_length=1)
    host_institution: Text
    host_country: Text
    programme: Text
    funding_source: Text
    previous_mobility: LongText | None = None


class ParentsConsent(StudentIdentity, Period):
    """Annex 6: a parent's consent to the trip and guarantee letter, to the rector."""

    date: dt.date
    parent_full_name: Text
    parent_relation: Text
    """How the parent is related, in the document's language: "атасы" / "отец"."""
    parent_passport: Text
    parent_address: Text
    parent_phone: Text
    host_institution: Text
    host_country: Text
    programme: Text
    funding_source: Text
