"""What the forms, the API and the CLI accept, checked before anything is written.

Every refusal names the field (`participant.gpa`, `end_date`, ...) so a clerk sees what
to fix; `describe()` turns pydantic's errors into those lines.
"""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
)
from pydantic_core import ErrorDetails

from sapar.faculties import is_faculty
from sapar.i18n import t
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


# The largest id a database column holds (a signed 64-bit integer): a bigger one in a path, a
# query or a body is refused as input instead of overflowing the database driver.
MAX_ID = 2**63 - 1
# Characters no field may carry: NUL (which PostgreSQL refuses in text) and the other C0
# controls besides tab, line feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control(value: str) -> bool:
    return _CONTROL.search(value) is not None


def check_text(value: Any) -> None:
    """Refuse control characters in a str, or in the keys and values of a dict or list."""
    if isinstance(value, str):
        if has_control(value):
            raise FieldRefused("", "invalid.control")
    elif isinstance(value, dict):
        for key, item in value.items():
            check_text(key)
            check_text(item)
    elif isinstance(value, list | tuple):
        for item in value:
            check_text(item)


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str):  # a nested model checks its own fields, naming them
        check_text(value)
    # HTML forms send "" for an empty field: that means "not given", not an empty name.
    return None if isinstance(value, str) and not value.strip() else value


def _faculty(value: str | None) -> str | None:
    if value is not None and not is_faculty(value):
        raise ValueError(f"'{value}' is not a faculty of OshSU (see the faculty list)")
    return value


class _Form(BaseModel):
    # NaN and infinity are not numbers a clerk means (a GPA, credits): refused as input.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)


class ParticipantIn(_Form):
    full_name: str = Field(min_length=3, max_length=200)
    kind: ParticipantKind = ParticipantKind.student
    faculty: str | None = Field(None, max_length=120)
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


MAX_DETAILS = 30
DetailKey = Annotated[str, StringConstraints(min_length=1, max_length=60)]
DetailValue = Annotated[str, StringConstraints(max_length=1000)]


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
    partner_id: int | None = Field(None, ge=1, le=MAX_ID)
    # The faculty that runs the case: the participant's own, or the hosting one for guests.
    faculty: str | None = Field(None, max_length=120)
    department: str | None = Field(None, max_length=120)
    competitive: bool = True
    language_certificate_required: bool = False
    # Bounded: a few particulars the orders print, never a store for anything (issue 14).
    details: dict[DetailKey, DetailValue] = Field(default_factory=dict, max_length=MAX_DETAILS)

    _blanks = field_validator("*", mode="before")(_blank_to_none)

    @field_validator("details", mode="before")
    @classmethod
    def _no_controls(cls, value: Any) -> Any:
        check_text(value)
        return value

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


def _missing(field: str, message: str) -> ValidationError:
    return ValidationError.from_exception_data(
        "CaseIn",
        [{"type": "value_error", "loc": (field,), "input": None, "ctx": {"error": message}}],
    )


class FireIn(_Form):
    """A step with the data its guards read."""

    event: str = Field(min_length=2, max_length=40, pattern=r"^[a-z_]+$")
    expected_version: int | None = Field(None, ge=0, le=MAX_ID)
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
    faculty: str | None = Field(None, max_length=120)
    programme: str | None = Field(None, max_length=120)
    host_country: str | None = Field(None, max_length=80)
    academic_year: str | None = Field(None, pattern=r"^\d{4}-\d{4}$")
    overdue: bool = False
    q: str | None = Field(None, max_length=100)
    after: int | None = Field(None, ge=1, le=MAX_ID)
    limit: int = Field(50, ge=1, le=200)

    _blanks = field_validator("*", mode="before")(_blank_to_none)

    @field_validator("faculty")
    @classmethod
    def _known_faculty(cls, value: str | None) -> str | None:
        return _faculty(value)


def field_name(loc: tuple[int | str, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form")]
    return ".".join(parts) or "input"


class FieldRefused(ValueError):
    """One field's value refused after the models' checks (an unknown partner, a control
    character in a hand-read form field): a 422 naming the field, in the user's language."""

    def __init__(self, field: str, key: str, **values: object) -> None:
        super().__init__(f"{field}: {t('en', key, **values)}")
        self.field, self.key, self.values = field, key, values

    def message(self, lang: str) -> str:
        return t(lang, self.key, **self.values)


# pydantic's error types → our phrases (sapar/i18n.py), with the ctx values they need.
_TYPES: dict[str, tuple[str, dict[str, str]]] = {
    "missing": ("invalid.missing", {}),
    "string_too_long": ("invalid.too_long", {"max": "max_length"}),
    "string_too_short": ("invalid.too_short", {"min": "min_length"}),
    "too_long": ("invalid.too_many", {"max": "max_length"}),
    "string_pattern_mismatch": ("invalid.pattern", {}),
    "int_parsing": ("invalid.integer", {}),
    "int_parsing_size": ("invalid.integer", {}),
    "int_type": ("invalid.integer", {}),
    "int_from_float": ("invalid.integer", {}),
    "float_parsing": ("invalid.number", {}),
    "float_type": ("invalid.number", {}),
    "finite_number": ("invalid.finite", {}),
    "less_than_equal": ("invalid.at_most", {"limit": "le"}),
    "greater_than_equal": ("invalid.at_least", {"limit": "ge"}),
    "greater_than": ("invalid.more_than", {"limit": "gt"}),
    "less_than": ("invalid.less_than", {"limit": "lt"}),
    "enum": ("invalid.choice", {"expected": "expected"}),
    "literal_error": ("invalid.choice", {"expected": "expected"}),
    "date_parsing": ("invalid.date", {}),
    "date_from_datetime_parsing": ("invalid.date", {}),
    "date_from_datetime_inexact": ("invalid.date", {}),
    "date_type": ("invalid.date", {}),
    "datetime_parsing": ("invalid.datetime", {}),
    "datetime_from_date_parsing": ("invalid.datetime", {}),
    "datetime_type": ("invalid.datetime", {}),
    "bool_parsing": ("invalid.bool", {}),
    "bool_type": ("invalid.bool", {}),
    "string_type": ("invalid.text", {}),
    "model_type": ("invalid.object", {}),
    "model_attributes_type": ("invalid.object", {}),
    "dict_type": ("invalid.object", {}),
    "list_type": ("invalid.list", {}),
    "extra_forbidden": ("invalid.extra", {}),
}


def _message(error: ErrorDetails | dict[str, Any], lang: str) -> str:
    kind = str(error.get("type", ""))
    ctx = dict(error.get("ctx") or {})
    if kind == "value_error" and isinstance(ctx.get("error"), FieldRefused):
        refused: FieldRefused = ctx["error"]
        return refused.message(lang)
    if kind in _TYPES:
        key, wanted = _TYPES[kind]
        return t(lang, key, **{name: ctx.get(source, "") for name, source in wanted.items()})
    return str(error.get("msg", "invalid")).removeprefix("Value error, ")


def describe(
    errors: list[ErrorDetails] | list[dict[str, Any]], lang: str = "en"
) -> list[dict[str, str]]:
    """[{field, message}] from pydantic errors, in `lang`, without the input echoed back."""
    out = []
    for error in errors:
        if error.get("type") == "json_invalid":
            # loc is ("body", <character offset>): name the body and say where it broke.
            where = tuple(error.get("loc", ()))[-1]
            out.append({"field": "body", "message": t(lang, "invalid.json", where=where)})
            continue
        out.append(
            {"field": field_name(tuple(error.get("loc", ()))), "message": _message(error, lang)}
        )
    return out


def one_line(errors: list[dict[str, str]]) -> str:
    return "; ".join(f"{e['field']}: {e['message']}" for e in errors)


# --- fields the pages read by hand (the registry, the study plan, the transcript) ------------

_DIGITS = re.compile(r"[0-9]{1,18}")


def form_text(value: str, field: str, max_length: int) -> str:
    """A text field read from a form by hand, held to the same rules as the models: no
    control characters, at most the column's length."""
    if has_control(value):
        raise FieldRefused(field, "invalid.control")
    if len(value) > max_length:
        raise FieldRefused(field, "invalid.too_long", max=max_length)
    return value


def whole_number(text: str, field: str, *, maximum: int = MAX_ID) -> int:
    """A whole number written with the digits 0–9 (not "²", not "٣", not "1e3")."""
    if not _DIGITS.fullmatch(text):
        raise FieldRefused(field, "invalid.integer")
    value = int(text)
    if value > maximum:
        raise FieldRefused(field, "invalid.at_most", limit=maximum)
    return value


def decimal_number(text: str, field: str, *, maximum: float) -> float:
    """A positive finite number like 5, 7.5 or 7,5 (a comma is a decimal point here)."""
    cleaned = text.replace(",", ".")
    if not re.fullmatch(r"[0-9]{1,6}(\.[0-9]{1,4})?", cleaned):
        raise FieldRefused(field, "invalid.number")
    value = float(cleaned)
    if not math.isfinite(value) or value > maximum:
        raise FieldRefused(field, "invalid.at_most", limit=maximum)
    return value


def say(exc: Exception, lang: str) -> str:
    """A refusal as a page shows it: the field and what is wrong, in the user's language."""
    if isinstance(exc, FieldRefused):
        return f"{exc.field}: {exc.message(lang)}" if exc.field else exc.message(lang)
    return str(exc)
