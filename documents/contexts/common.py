"""Building blocks shared by the document contexts.

Every required text must be non-blank: an official order with an empty line where a name
should be is worse than no order, so the caller gets a ContextError instead.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Literal, Self, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, computed_field, model_validator

from documents import names

# Unicode's control characters (category Cc) are exactly these 65 code points; one regex
# search instead of asking unicodedata about every character of every text (a group order
# of a thousand students validates some ten thousand texts).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROL_BUT_NEWLINE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def _single_line(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    # Control characters are invalid in XML (Word refuses the file), and docxtpl turns
    # \t \a \f into tabs, paragraphs and page breaks: typed text must not restructure an order.
    if _CONTROL.search(value):
        raise ValueError("must be a single line without control characters")
    return value


def _free_text(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    # Line breaks are allowed in free text (purposes, remarks); docxtpl renders them as <w:br/>.
    if _CONTROL_BUT_NEWLINE.search(value):
        raise ValueError("must not contain control characters other than line breaks")
    return value


Text = Annotated[str, AfterValidator(_single_line)]
"""A required single-line text: names, institutions, positions, numbers."""

LongText = Annotated[str, AfterValidator(_free_text)]
"""A required free text that may span lines: purposes, reasons, remarks."""

Credits = Annotated[Decimal, Field(ge=0, le=120, decimal_places=1)]
YearOfStudy = Annotated[int, Field(ge=1, le=6)]
Tuition = Literal["budget", "contract"]
"""Budget (state-funded) or contract (fee-paying) student."""


class Model(BaseModel):
    """Strict base: unknown keys are typos in the caller, not data to drop silently."""

    model_config = ConfigDict(extra="forbid", frozen=True, revalidate_instances="always")


Gender = Literal["female", "male"]


class Person(Model):
    """Someone named with a position: a signer, a visa, a responsible person."""

    full_name: Text
    position: Text
    gender: Gender | None = None


class Executor(Model):
    """The clerk who prepared the document (исполнитель / аткаруучу), printed at the foot."""

    full_name: Text
    phone: Text


class DocumentRef(Model):
    """A document cited as a basis: an invitation, a nomination, an earlier order."""

    issuer: Text
    number: Text | None = None
    date: dt.date


class NumberedRef(DocumentRef):
    """A cited document that must carry its number: a host's invitation, an order of ours."""

    number: Text


R = TypeVar("R", bound=DocumentRef)


def distinct_refs(refs: list[R]) -> list[R]:
    """Each cited document once, in first-seen order: forty students nominated in one dean's
    submission cite it once, not forty times."""
    seen: set[tuple[str, str | None, dt.date]] = set()
    out: list[R] = []
    for ref in refs:
        key = (ref.issuer, ref.number, ref.date)
        if key not in seen:
            seen.add(key)
            out.append(ref)
    return out


class Period(Model):
    period_from: dt.date
    period_to: dt.date

    @model_validator(mode="after")
    def _ends_after_start(self) -> Self:
        if self.period_to < self.period_from:
            raise ValueError("period_to is before period_from")
        return self


class Versioned(Model):
    """A corrected reissue keeps its number and says which version it replaces."""

    version: int = Field(default=1, ge=1)
    replaces: dt.date | None = None
    """The date of the version this one replaces (None for the first)."""


class OrderBase(Versioned):
    """What every order carries: its registration, the signer, the visas and the executor."""

    number: Text
    date: dt.date
    signer: Person
    visas: list[Person] = Field(min_length=1)
    executor: Executor


class StudentIdentity(Model):
    """Who the student is at OshSU."""

    full_name: Text
    faculty: Text
    specialty: Text
    year_of_study: YearOfStudy
    group: Text
    gender: Gender | None = None
    """As recorded; without it the Russian forms read it from the name (documents/names.py)."""

    @computed_field  # type: ignore[prop-decorator]
    @property
    def female(self) -> bool:
        """Russian agreement: "студентка … обучалась"; unknown takes the generic masculine."""
        return names.gender_of(self.full_name, self.gender) == "female"
