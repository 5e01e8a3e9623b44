"""What the forms, the API and the CLI accept, checked before anything is written.

Every refusal names the field (`participant.gpa`, `end_date`, ...) so a clerk sees what
to fix; `describe()` turns pydantic's errors into those lines.
"""

from __future__ import annotations

import enum
import math
import re
import typing
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    WithJsonSchema,
    field_validator,
)
from pydantic_core import ErrorDetails, PydanticCustomError

from documents import TEMPLATED
from sapar import clock
from sapar.faculties import is_faculty
from sapar.i18n import t
from states.dossier import DocumentKind
from states.grades import Scale
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
from states.periods import is_academic_year, is_short_term
from states.quotas import QuotaType
from storage import countries

from .study_plan import PlanLine, TranscriptLine

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


_DOTTED_DAY = re.compile(r"^\s*(\d{1,2})[./](\d{1,2})[./](\d{4})\s*$")


def _day(value: Any) -> Any:
    """A date as clerks here write it, day first: 01.09.2026 is the 1st of September
    (ISO 2026-09-01 is accepted too; pydantic reads it)."""
    if isinstance(value, str) and (found := _DOTTED_DAY.match(value)):
        day, month, year = (int(g) for g in found.groups())
        try:
            return date(year, month, day)
        except ValueError:
            raise PydanticCustomError(
                "date_parsing", "{value} is not a day of the calendar", {"value": value}
            ) from None
    return value


Day = Annotated[date, BeforeValidator(_day)]
"""A date given as dd.mm.yyyy (day first) or yyyy-mm-dd."""


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str):  # a nested model checks its own fields, naming them
        check_text(value)
    # HTML forms send "" for an empty field: that means "not given", not an empty name.
    return None if isinstance(value, str) and not value.strip() else value


def _faculty(value: str | None) -> str | None:
    if value is not None and not is_faculty(value):
        raise PydanticCustomError(
            "not_a_faculty",
            "'{value}' is not a faculty of OshSU (see the faculty list)",
            {"value": value},
        )
    return value


def country_code(value: str | None) -> str | None:
    """A country as its ISO 3166 code (issue 13.5): the picklist sends the code; the API also
    takes a name it recognises ("Türkiye", "Германия"); anything else is refused by field."""
    if value is None:
        return None
    code = countries.code_of(value)
    if code is None:
        raise PydanticCustomError(
            "not_a_country",
            "'{value}' is not a country of the list (ISO 3166)",
            {"value": value[:80]},
        )
    return code


class _Form(BaseModel):
    # NaN and infinity are not numbers a clerk means (a GPA, credits): refused as input.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)


class ParticipantIn(_Form):
    """A person of the registry: a student, a member of staff, or a guest."""

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
    university_id: str | None = Field(
        None, max_length=32, pattern=r"^[A-Za-z0-9А-Яа-яЁё./-]+$",
        description="The student's or employee's number at OshSU (unique)",
    )  # fmt: skip
    pin: str | None = Field(
        None, pattern=r"^\d{14}$", description="Personal identification number (ПИН), 14 digits"
    )
    full_name_latin: str | None = Field(None, max_length=200, description="As in the passport")
    gender: Literal["female", "male"] | None = None
    birth_date: Day | None = None
    study_language: str | None = Field(
        None, max_length=40, description="The language the person studies or teaches in at OshSU"
    )
    passport_number: str | None = Field(None, max_length=40)
    address: str | None = Field(None, max_length=300)
    parent_full_name: str | None = Field(None, max_length=200, description="For annex 6")
    parent_relation: str | None = Field(None, max_length=40, description="e.g. атасы / энеси")
    parent_passport: str | None = Field(None, max_length=40)
    parent_address: str | None = Field(None, max_length=300)
    parent_phone: str | None = Field(None, max_length=40)

    _blanks = field_validator("*", mode="before")(_blank_to_none)
    # Citizenship is a country of the list (ISO 3166), kept as its code like every country.
    _citizenship = field_validator("citizenship")(country_code)

    @field_validator("faculty")
    @classmethod
    def _known_faculty(cls, value: str | None) -> str | None:
        return _faculty(value)

    @field_validator("birth_date")
    @classmethod
    def _born_in_the_past(cls, value: date | None) -> date | None:
        if value is not None and not date(1900, 1, 1) <= value < clock.today():
            raise ValueError(f"{value:%d.%m.%Y} is not a possible birth date")
        return value

    @field_validator("gpa")
    @classmethod
    def _on_four_point_scale(cls, value: float | None) -> float | None:
        if value is not None and not 0 <= value <= GPA_SCALE:
            raise PydanticCustomError(
                "gpa_scale",
                "GPA is on a 4.0 scale: {value} is not possible",
                {"value": f"{value:g}"},
            )
        return value

    def to_participant(self) -> Participant:
        return Participant(**self.model_dump())


class PersonPatchIn(ParticipantIn):
    """A correction of a person's record: only the fields sent change."""

    expected_version: int = Field(ge=0, description="The version of the record you corrected")
    full_name: str = Field(None, min_length=3, max_length=200)  # type: ignore[assignment]


class Particulars(_Form):
    """What the papers print beyond the person and the dates: each a named field.

    Which are required depends on the kind (`required_particulars`): the dean's nomination
    prints the host's language of instruction, the business-trip order the substitute
    teacher and the city, a guest's invitation the home country."""

    host_language: str | None = Field(
        None, max_length=60,
        description="Language of instruction at the host (dean's nomination, annex 1); "
        "required for outgoing students",
    )  # fmt: skip
    language_level: str | None = Field(
        None, max_length=20, description="The participant's level in it (CEFR, e.g. B2)"
    )
    substitute: str | None = Field(
        None, max_length=200,
        description="Who covers the lecturer's classes (business-trip order); required for "
        "outgoing staff",
    )  # fmt: skip
    project: str | None = Field(
        None, max_length=300,
        description="The research project paying for a staff trip; required when "
        "funding_source is research_project",
    )  # fmt: skip
    host_contact: str | None = Field(
        None, max_length=200, description="Whom the letter requesting the invitation addresses"
    )
    host_contact_position: str | None = Field(None, max_length=200)
    coordinator: str | None = Field(
        None, max_length=200, description="A guest's coordinator at OshSU (default: ЭАБД's head)"
    )
    home_country: str | None = Field(
        None, max_length=80, description="A guest's home country; required for incoming cases"
    )

    _blanks = field_validator("*", mode="before")(_blank_to_none)
    _home_country = field_validator("home_country")(country_code)


def required_particulars(kind: CaseKind, funding_source: FundingSource) -> dict[str, str]:
    """field → why, for the kind: what its papers cannot be issued without."""
    if kind.is_outgoing_student:
        return {"host_language": "the dean's nomination (annex 1) prints it"}
    if kind is CaseKind.outgoing_staff:
        needed = {
            "host_city": "the business-trip order prints it",
            "substitute": "the business-trip order names who covers the classes",
        }
        if funding_source is FundingSource.research_project:
            needed["project"] = "the business-trip order names the funding project"
        return needed
    return {"home_country": "OshSU's invitation and the enrolment order print it"}


class CaseIn(Particulars):
    """A new case: for a person of the registry (`person_id`), or a new person
    (`participant`) when none matches."""

    direction: Literal["outgoing", "incoming"] = "outgoing"
    person_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="An existing person of the registry"
    )
    participant: ParticipantIn | None = Field(
        None, description="A new person, only when the registry holds none that matches"
    )
    confirm_new_person: bool = Field(
        False,
        description="Open with a new person although one with the same name and birth date "
        "exists (the answer to that warning)",
    )
    host_institution: str = Field(min_length=2, max_length=300)
    host_country: str = Field(min_length=2, max_length=80)
    host_city: str | None = Field(None, max_length=120)
    programme: str | None = Field(None, max_length=120)
    purpose: str = Field("study", min_length=2, max_length=300)
    scope: Scope = Scope.international
    start_date: Day
    end_date: Day
    funding_source: FundingSource
    # What the mobility rests on (3.2): an agreement with a registered partner, or not.
    basis: Basis = Basis.agreement
    partner_id: int | None = Field(None, ge=1, le=MAX_ID)
    # The faculty that runs the case: the participant's own, or the hosting one for guests.
    faculty: str | None = Field(None, max_length=120)
    department: str | None = Field(None, max_length=120)
    competitive: bool = True
    language_certificate_required: bool = False

    _blanks = field_validator("*", mode="before")(_blank_to_none)

    @field_validator("faculty")
    @classmethod
    def _known_faculty(cls, value: str | None) -> str | None:
        return _faculty(value)

    @field_validator("host_country")
    @classmethod
    def _known_country(cls, value: str) -> str:
        return country_code(value) or value

    @field_validator("end_date")
    @classmethod
    def _not_before_start(cls, value: date, info: Any) -> date:
        start = info.data.get("start_date")
        if start is not None and value < start:
            raise PydanticCustomError(
                "ends_before_start",
                "the mobility ends ({value}) before it starts ({start})",
                {"value": value, "start": start},
            )
        return value

    def check_one_person(self) -> None:
        if (self.person_id is None) == (self.participant is None):
            raise _missing(
                "person_id",
                "give either person_id (a person of the registry) or participant (a new person)",
                kind="person_or_participant",
            )

    def kind_for(self, participant_kind: ParticipantKind) -> CaseKind:
        """Derived, never chosen: the dates decide long or short (1.3.5)."""
        staff = participant_kind is ParticipantKind.staff
        if self.direction == "incoming":
            return CaseKind.incoming_staff if staff else CaseKind.incoming_student
        if staff:
            return CaseKind.outgoing_staff
        if is_short_term(self.start_date, self.end_date):
            return CaseKind.outgoing_student_short
        return CaseKind.outgoing_student_long

    @property
    def kind(self) -> CaseKind:
        assert self.participant is not None, "the kind of a registry person's case: kind_for"
        return self.kind_for(self.participant.kind)

    def to_case(self, participant: Participant | None = None) -> Case:
        """The case for `participant` (a person of the registry), or for the new one given."""
        if participant is None:
            assert self.participant is not None
            participant = self.participant.to_participant()
        kind = self.kind_for(participant.kind)
        if self.direction == "incoming" and not participant.home_institution:
            participant.home_institution = self.host_institution
        faculty = self.faculty or participant.faculty
        if faculty is None:
            raise _missing(
                "faculty", "the faculty that runs the case is required", kind="faculty_required"
            )
        missing = [
            (name, f"required: {why}")
            for name, why in required_particulars(kind, self.funding_source).items()
            if getattr(self, name) is None
        ]
        if missing:
            raise _missing_many(missing, kind="missing")
        data = self.model_dump(
            exclude={"direction", "participant", "person_id", "confirm_new_person", "faculty",
                     "department"}
        )  # fmt: skip
        return Case(
            kind=kind,
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
            "end_date",
            f"the mobility ends ({case.end_date}) before it starts ({case.start_date})",
            kind="ends_before_start",
            value=case.end_date,
            start=case.start_date,
        )
    if case.faculty is not None and not is_faculty(case.faculty):
        raise _missing(
            "faculty",
            f"'{case.faculty}' is not a faculty of OshSU",
            kind="not_a_faculty",
            value=case.faculty,
        )
    short = is_short_term(case.start_date, case.end_date)
    if case.kind is CaseKind.outgoing_student_long and short:
        raise _missing(
            "end_date", "a stay of at most one month is short-term (1.3.5)", kind="stay_is_short"
        )
    if case.kind is CaseKind.outgoing_student_short and not short:
        raise _missing(
            "end_date", "a stay of more than one month is long-term (1.3.5)", kind="stay_is_long"
        )
    missing = [
        (name, f"required: {why}")
        for name, why in required_particulars(case.kind, case.funding_source).items()
        if getattr(case, name) in (None, "")
    ]
    if missing:
        raise _missing_many(missing, kind="missing")


def _missing(field: str, message: str, kind: str = "invalid", **ctx: Any) -> ValidationError:
    return _missing_many([(field, message)], kind=kind, **ctx)


def _missing_many(
    problems: list[tuple[str, str]], kind: str = "invalid", **ctx: Any
) -> ValidationError:
    """Errors named by field, of a kind the catalog words (message `validation.<kind>`); the
    English `message` stays for logs and the CLI."""
    return ValidationError.from_exception_data(
        "CaseIn",
        [
            {"type": PydanticCustomError(kind, why.replace("{", "(").replace("}", ")"), ctx),
             "loc": (name,), "input": None}
            for name, why in problems
        ],
    )  # fmt: skip


# --- each step's own input -----------------------------------------------------------------
# The fields are optional here on purpose: the step's guards refuse a missing one citing the
# clause that needs it (and the refusal is written to the case's history).


class NoInput(_Form):
    """A step that takes no data beyond the case itself."""


class ReasonIn(_Form):
    """A decision that must give its reason (reject, cancel)."""

    reason: str | None = Field(None, max_length=2000, json_schema_extra={"widget": "textarea"})

    _blanks = field_validator("*", mode="before")(_blank_to_none)


class ReturnHomeIn(_Form):
    """The return (1.4): the date the participant really came back, early or not."""

    actual_end_date: Day | None = None

    _blanks = field_validator("*", mode="before")(_blank_to_none)


class DecideRecognitionIn(_Form):
    """The recognition decision (4.8, ФД duties): host credits not recognised."""

    failed_credits: int | None = Field(None, ge=0, le=400)

    _blanks = field_validator("*", mode="before")(_blank_to_none)


class DistanceExamsIn(_Form):
    """The exams of the distance-taught courses of one semester were sat."""

    term: Literal["fall", "spring"] | None = None

    _blanks = field_validator("*", mode="before")(_blank_to_none)


STEP_INPUTS: dict[str, type[_Form]] = {
    "withdraw": ReasonIn,  # optional there: the participant's own words, for the history
    "reject": ReasonIn,
    "cancel": ReasonIn,
    "return_home": ReturnHomeIn,
    "decide_recognition": DecideRecognitionIn,
    "record_distance_exams": DistanceExamsIn,
}


def step_input(event: str) -> type[_Form]:
    return STEP_INPUTS.get(event, NoInput)


@dataclass(frozen=True)
class FormField:
    """One input of a form built from a pydantic model."""

    name: str
    widget: str  # text | textarea | date | number | select | checkbox
    required: bool
    choices: tuple[str, ...] = ()
    max_length: int | None = None


def form_fields(model: type[BaseModel]) -> list[FormField]:
    """The inputs of a web form, read off the model: the form cannot ask for anything else."""
    out = []
    for name, info in model.model_fields.items():
        annotation = info.annotation
        args = typing.get_args(annotation) or (annotation,)
        inner = next((a for a in args if a is not type(None)), str)
        if typing.get_origin(inner) is Annotated:  # Day: a date read day first
            inner = typing.get_args(inner)[0]
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        max_length = next((m.max_length for m in info.metadata if hasattr(m, "max_length")), None)
        choices: tuple[str, ...] = ()
        if typing.get_origin(inner) is Literal:
            widget, choices = "select", tuple(str(a) for a in typing.get_args(inner))
        elif isinstance(inner, type) and issubclass(inner, enum.Enum):
            widget, choices = "select", tuple(str(m.value) for m in inner)
        elif inner is date:
            widget = "date"
        elif inner is bool:
            widget = "checkbox"
        elif inner in (int, float):
            widget = "number"
        else:
            widget = str(extra.get("widget", "text"))
        out.append(FormField(name, widget, info.is_required(), choices, max_length))
    return out


class FireIn(_Form):
    """A step with its data: `event`, the version the caller saw, and the step's own fields
    (see STEP_INPUTS: reason; actual_end_date; failed_credits; term)."""

    event: str = Field(min_length=2, max_length=40, pattern=r"^[a-z_]+$")
    expected_version: int | None = Field(None, ge=0, le=MAX_ID)
    reason: str | None = Field(None, max_length=2000)
    actual_end_date: Day | None = None
    failed_credits: int | None = Field(None, ge=0, le=400)
    term: Literal["fall", "spring"] | None = None  # whose distance-course exams were sat

    _blanks = field_validator("*", mode="before")(_blank_to_none)

    def payload(self) -> dict[str, Any]:
        """The step's own input, checked by its model: a field another step takes is refused
        by name rather than ignored."""
        given = self.model_dump(exclude={"event", "expected_version"}, exclude_none=True)
        return step_input(self.event).model_validate(given).model_dump(exclude_none=True)


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


# The case list page's own settings (issue 13.3): the API keeps its keyset paging.
LIST_COLUMNS = ("kind", "state", "faculty", "host", "country", "programme", "dates", "year")
DEFAULT_COLUMNS = ("kind", "state", "faculty", "host", "dates")
PAGE_SIZES = (25, 50)


class ListView(CaseFilter):
    """The filters of the case list page, its sort (a column, `-` first for descending),
    page number, rows per page (25 or 50) and the columns shown (comma-separated)."""

    sort: str = Field("-id", pattern=r"^-?(id|name|" + "|".join(LIST_COLUMNS) + r")$")
    page: int = Field(1, ge=1, le=100_000)
    size: int = Field(25, ge=25, le=50)  # 25 or 50 offered; anything between is as good
    cols: str | None = Field(None, max_length=200, pattern=r"^[a-z,]*$")

    def columns(self) -> list[str]:
        chosen = [c for c in (self.cols or "").split(",") if c in LIST_COLUMNS]
        return chosen or list(DEFAULT_COLUMNS)

    def filters(self) -> CaseFilter:
        return CaseFilter.model_validate(self.model_dump(include=set(CaseFilter.model_fields)))


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


def _refused(error: ErrorDetails | dict[str, Any]) -> FieldRefused | None:
    """The FieldRefused a validator raised (a control character), which says itself."""
    found = dict(error.get("ctx") or {}).get("error")
    return found if isinstance(found, FieldRefused) else None


def _field_of(error: ErrorDetails | dict[str, Any]) -> str:
    # A body that is not JSON: loc is ("body", <character offset>); the field is the body.
    if error.get("type") == "json_invalid":
        return "body"
    return field_name(tuple(error.get("loc", ())))


def describe(
    errors: list[ErrorDetails] | list[dict[str, Any]], lang: str | None = None
) -> list[dict[str, str]]:
    """[{field, message}] from pydantic errors, without the input echoed back; in `lang`
    (with the field's label, through sapar.explain) when given, else English."""
    if lang is not None:
        from sapar.explain import field_label, validation_message

        out = []
        for error in errors:
            name = _field_of(error)
            refused = _refused(error)
            message = refused.message(lang) if refused else validation_message(lang, error)
            out.append({"field": name, "label": field_label(lang, name), "message": message})
        return out
    out = []
    for error in errors:
        if error.get("type") == "json_invalid":
            # loc is ("body", <character offset>): name the body and say where it broke.
            where = tuple(error.get("loc", ()))[-1]
            detail = dict(error.get("ctx") or {}).get("error", "")
            out.append({"field": "body", "message": f"not valid JSON at character {where}: "
                        f"{detail}".rstrip(": ")})  # fmt: skip
            continue
        refused = _refused(error)
        message = refused.message("en") if refused else str(error.get("msg", "invalid"))
        message = message.removeprefix("Value error, ")
        out.append({"field": field_name(tuple(error.get("loc", ()))), "message": message})
    return out


def one_line(errors: list[dict[str, str]]) -> str:
    return "; ".join(f"{e.get('label', e['field'])}: {e['message']}" for e in errors)


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
    """A refusal as a page shows it, in the user's language: a field refused by hand (the
    field and what is wrong), else through sapar.explain (a refusal with a message key)."""
    from sapar.explain import error, field_label

    if isinstance(exc, FieldRefused):
        message = exc.message(lang)
        return f"{field_label(lang, exc.field)}: {message}" if exc.field else message
    says = getattr(exc, "say", None)  # a refusal that words itself (tables.LineRefused)
    if callable(says):
        return str(says(lang))
    return error(lang, exc)


def _templated(kind: DocumentKind) -> DocumentKind:
    if kind not in TEMPLATED:
        shown = ", ".join(f"'{k.value}'" for k in TEMPLATED)
        raise PydanticCustomError("enum", "Choose one of: {expected}", {"expected": shown})
    return kind


PrintedKind = Annotated[
    DocumentKind,
    AfterValidator(_templated),
    WithJsonSchema({"type": "string", "enum": [k.value for k in TEMPLATED]}),
]
"""A paper printed here from a template: a handed-in paper has nothing to print."""


class PaperRequestIn(_Form):
    kind: PrintedKind = Field(description="The paper: a form to print or one to reissue")
    language: Literal["ky", "ru", "en"] | None = Field(
        None,
        description="Default: Kyrgyz. English for the papers that go abroad (the referral "
        "letter, the invitation request, the guest's invitation and transcript)",
    )


class PlanLineIn(_Form):
    """A line of the ЖОП: a host course and the home course it replaces, or a home course
    taught by distance meanwhile (mode distance, with its teacher and term)."""

    title: str = Field(min_length=1, max_length=300)
    credits: float = Field(gt=0, le=60)
    mode: Literal["host", "distance"] = "host"
    replaces: str | None = Field(None, max_length=300)
    teacher: str | None = Field(None, max_length=200)
    term: Literal["fall", "spring"] | None = None

    _blanks = field_validator("*", mode="before")(_blank_to_none)

    def to_line(self) -> PlanLine:
        return PlanLine(**self.model_dump())


class StudyPlanIn(_Form):
    courses: list[PlanLineIn] = Field(min_length=1, max_length=60)


class TranscriptLineIn(_Form):
    """A line of the host transcript with the host's own grade and scale (3.6); for an
    incoming student, a course taken at OshSU with its grade on OshSU's scale."""

    host_course: str = Field(min_length=1, max_length=300)
    credits: float = Field(gt=0, le=60)
    host_grade: str = Field(min_length=1, max_length=16)
    host_scale: Scale
    home_course: str | None = Field(None, max_length=300)
    refusal_reason: str | None = Field(None, max_length=2000)

    _blanks = field_validator("*", mode="before")(_blank_to_none)

    def to_line(self) -> TranscriptLine:
        return TranscriptLine(**self.model_dump())


class TranscriptIn(_Form):
    courses: list[TranscriptLineIn] = Field(min_length=1, max_length=60)


# --- the partner registry (5.3, 5.4), as the API takes it; the pages read the same fields ---


class PartnerBodyIn(_Form):
    """A partner institution: name and country identify it in the registry."""

    name: str = Field(min_length=1, max_length=300)
    country: str = Field(min_length=1, max_length=80)
    name_latin: str | None = Field(None, max_length=300)
    city: str | None = Field(None, max_length=120)
    website: str | None = Field(None, max_length=300)
    emails: str | None = Field(None, max_length=500)
    phones: str | None = Field(None, max_length=300)
    scope: Scope = Scope.international

    _blanks = field_validator("*", mode="before")(_blank_to_none)
    _country = field_validator("country")(country_code)


AgreementKind = Literal[
    "bilateral", "memorandum", "erasmus_plus", "mevlana", "daad", "itec", "sco_university",
    "orhun", "osh_declaration", "other",
]  # fmt: skip


class AgreementIn(_Form):
    """An agreement or memorandum with the partner; a case's dates must fall inside one."""

    kind: AgreementKind
    valid_from: Day
    valid_to: Day | None = Field(None, description="None: until terminated")
    number: str | None = Field(None, max_length=80)

    _blanks = field_validator("*", mode="before")(_blank_to_none)


class QuotaIn(_Form):
    """The places a partner offers in an academic year to one type of participant."""

    academic_year: str = Field(pattern=r"^[0-9]{4}-[0-9]{4}$", description="e.g. 2026-2027")
    participant_type: QuotaType
    places: int = Field(ge=0, le=100_000)

    _blanks = field_validator("*", mode="before")(_blank_to_none)

    @field_validator("academic_year")
    @classmethod
    def _consecutive_years(cls, value: str) -> str:
        if not is_academic_year(value):
            raise FieldRefused("academic_year", "partners.not_academic_year", value=value)
        return value
