"""What the forms, the API and the CLI accept, checked before anything is written.

Every refusal names the field (`participant.gpa`, `end_date`, ...) so a clerk sees what
to fix; `describe()` turns pydantic's errors into those lines.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import ErrorDetails

from sapar.faculties import is_faculty
from states.model import (
    Basis,
    Case,
    CaseKind,
    FundingBasis,
    FundingSource,
    Level,
    Participant,
    ParticipantKind,
    Scope,
)
from states.periods import is_short_term

GPA_SCALE = 4.0


def _blank_to_none(value: Any) -> Any:
    # HTML forms send "" for an empty field: that means "not given", not an empty name.
    return None if isinstance(value, str) and not value.strip() else value


def _faculty(value: str | None) -> str | None:
    if value is not None and not is_faculty(value):
        raise ValueError(f"'{value}' is not a faculty of OshSU (see the faculty list)")
    return value


class _Form(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ParticipantIn(_Form):
    full_name: str = Field(min_length=3, max_length=200)
    kind: ParticipantKind = ParticipantKind.student
    faculty: str | None = None
    department: str | None = Field(None, max_length=120)
    level: Level | None = None
    year: int | None = Field(None, ge=1, le=6)
    semester: int | None = Field(None, ge=1, le=2)
    gpa: float | None = None
    funding_basis: FundingBasis | None = None
    tuition_debt: bool = False
    position: str | None = Field(None, max_length=120)
    home_institution: str | None = Field(None, max_length=300)
    citizenship: str | None = Field(None, max_length=80)
    email: str | None = Field(None, max_length=200, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    phone: str | None = Field(None, max_length=40)
    specialty: str | None = Field(None, max_length=200)
    group_name: str | None = Field(None, max_length=40)

    _blanks = field_validator("*", mode="before")(_blank_to_none)

    @field_validator("faculty")
    @classmethod
    def _known_faculty(cls, value: str | None) -> str | None:
        return _faculty(value)

    @field_validator("gpa")
    @classmethod
    def _on_four_point_scale(cls, value: float | None) -> float | None:
        if value is not None and not 0 <= value <= GPA_SCALE:
            raise ValueError(f"GPA is on a 4.0 scale: {value:g} is not possible")
        return value

    def to_participant(self) -> Participant:
        return Participant(**self.model_dump())


class CaseIn(_Form):
    direction: Literal["outgoing", "incoming"] = "outgoing"
    participant: ParticipantIn
    host_institution: str = Field(min_length=2, max_length=300)
    host_country: str = Field(min_length=2, max_length=80)
    host_city: str | None = Field(None, max_length=120)
    programme: str | None = Field(None, max_length=120)
    purpose: str = Field("study", min_length=2, max_length=300)
    scope: Scope = Scope.international
    start_date: date
    end_date: date
    funding_source: FundingSource
    # What the mobility rests on (3.2): an agreement with a registered partner, or not.
    basis: Basis = Basis.agreement
    partner_id: int | None = Field(None, ge=1)
    # The faculty that runs the case: the participant's own, or the hosting one for guests.
    faculty: str | None = None
    department: str | None = Field(None, max_length=120)
    competitive: bool = True
    language_certificate_required: bool = False
    details: dict[str, str] = Field(default_factory=dict)

    _blanks = field_validator("*", mode="before")(_blank_to_none)

    @field_validator("faculty")
    @classmethod
    def _known_faculty(cls, value: str | None) -> str | None:
        return _faculty(value)

    @field_validator("end_date")
    @classmethod
    def _not_before_start(cls, value: date, info: Any) -> date:
        start = info.data.get("start_date")
        if start is not None and value < start:
            raise ValueError(f"the mobility ends ({value}) before it starts ({start})")
        return value

    @property
    def kind(self) -> CaseKind:
        """Derived, never chosen: the dates decide long or short (1.3.5)."""
        staff = self.participant.kind is ParticipantKind.staff
        if self.direction == "incoming":
            return CaseKind.incoming_staff if staff else CaseKind.incoming_student
        if staff:
            return CaseKind.outgoing_staff
        if is_short_term(self.start_date, self.end_date):
            return CaseKind.outgoing_student_short
        return CaseKind.outgoing_student_long

    def to_case(self) -> Case:
        participant = self.participant.to_participant()
        if self.direction == "incoming" and not participant.home_institution:
            participant.home_institution = self.host_institution
        faculty = self.faculty or participant.faculty
        if faculty is None:
            raise _missing("faculty", "the faculty that runs the case is required")
        data = self.model_dump(exclude={"direction", "participant", "faculty", "department"})
        return Case(
            kind=self.kind,
            state="",
            participant=participant,
            faculty=faculty,
            department=self.department or participant.department,
            **data,
        )


def check_case(case: Case) -> None:
    """What CaseIn checks, for a Case that did not come through it (the CLI, imports, other
    services): the service layer refuses what the API refuses, naming the field."""
    if case.end_date < case.start_date:
        raise _missing(
            "end_date", f"the mobility ends ({case.end_date}) before it starts ({case.start_date})"
        )
    if case.faculty is not None and not is_faculty(case.faculty):
        raise _missing("faculty", f"'{case.faculty}' is not a faculty of OshSU")
    short = is_short_term(case.start_date, case.end_date)
    if case.kind is CaseKind.outgoing_student_long and short:
        raise _missing("end_date", "a stay of at most one month is short-term (1.3.5)")
    if case.kind is CaseKind.outgoing_student_short and not short:
        raise _missing("end_date", "a stay of more than one month is long-term (1.3.5)")


def _missing(field: str, message: str) -> ValidationError:
    return ValidationError.from_exception_data(
        "CaseIn",
        [{"type": "value_error", "loc": (field,), "input": None, "ctx": {"error": message}}],
    )


class FireIn(_Form):
    """A step with the data its guards read."""

    event: str = Field(min_length=2, max_length=40, pattern=r"^[a-z_]+$")
    expected_version: int | None = Field(None, ge=0)
    reason: str | None = Field(None, max_length=2000)
    actual_end_date: date | None = None
    failed_credits: int | None = Field(None, ge=0, le=400)
    term: Literal["fall", "spring"] | None = None  # whose distance-course exams were sat

    _blanks = field_validator("*", mode="before")(_blank_to_none)

    def payload(self) -> dict[str, Any]:
        return self.model_dump(exclude={"event", "expected_version"}, exclude_none=True)


class CaseFilter(_Form):
    kind: CaseKind | None = None
    state: str | None = Field(None, max_length=32, pattern=r"^[a-z_]+$")
    faculty: str | None = None
    programme: str | None = Field(None, max_length=120)
    host_country: str | None = Field(None, max_length=80)
    academic_year: str | None = Field(None, pattern=r"^\d{4}-\d{4}$")
    overdue: bool = False
    q: str | None = Field(None, max_length=100)
    after: int | None = Field(None, ge=1)
    limit: int = Field(50, ge=1, le=200)

    _blanks = field_validator("*", mode="before")(_blank_to_none)

    @field_validator("faculty")
    @classmethod
    def _known_faculty(cls, value: str | None) -> str | None:
        return _faculty(value)


def field_name(loc: tuple[int | str, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form")]
    return ".".join(parts) or "input"


def describe(errors: list[ErrorDetails] | list[dict[str, Any]]) -> list[dict[str, str]]:
    """[{field, message}] from pydantic errors, without the input echoed back."""
    out = []
    for error in errors:
        if error.get("type") == "json_invalid":
            # loc is ("body", <character offset>): name the body and say where it broke.
            where = tuple(error.get("loc", ()))[-1]
            detail = dict(error.get("ctx") or {}).get("error", "")
            out.append({"field": "body", "message": f"not valid JSON at character {where}: "
                        f"{detail}".rstrip(": ")})  # fmt: skip
            continue
        message = str(error.get("msg", "invalid"))
        message = message.removeprefix("Value error, ")
        out.append({"field": field_name(tuple(error.get("loc", ()))), "message": message})
    return out


def one_line(errors: list[dict[str, str]]) -> str:
    return "; ".join(f"{e['field']}: {e['message']}" for e in errors)
