"""How a refusal reads at the door: one status and one plain message per kind of problem,
shared by the API (JSON) and the pages (HTML), so both say the same thing.

The API's error body is always `ProblemOut` (documented in the OpenAPI schema for every
status a route answers with): `detail`, one line; `errors`, one entry per field at fault.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import DataError, DBAPIError
from starlette.exceptions import HTTPException

from sapar.i18n import t
from sapar.services.casework import DocumentNotFound
from sapar.services.imports import JobNotFound
from sapar.services.papers import UploadRefused
from sapar.services.people import (
    PersonImportError,
    PersonNotFound,
    PersonProblem,
    PossibleDuplicate,
)
from sapar.services.schemas import FieldRefused, describe, one_line
from sapar.services.users import UserProblem
from states.guards import RuleViolation
from states.machine import InvalidTransition, NotPermitted
from storage.repository import CaseNotFound, ConcurrencyConflict


class LoginRequired(Exception):
    """No valid session or token: the pages send the user to the login form."""

    def __init__(self, message: str = "", *, key: str | None = None) -> None:
        super().__init__(message or (t("en", key) if key else ""))
        self.key = key


class CsrfRefused(Exception):
    """A form without this session's CSRF token: it did not come from our own page."""


class FieldError(BaseModel):
    """One field at fault: `field` is its dotted name (`participant.gpa`, `body`); for a
    rule of the regulation, `rule` and `clause` instead."""

    field: str | None = None
    message: str | None = None
    rule: str | None = None
    clause: str | None = None


class ProblemOut(BaseModel):
    """Every 4xx of the API: a one-line `detail` in the caller's language (Accept-Language,
    else the account's own) and, where fields are at fault, one entry per field."""

    detail: str
    errors: list[FieldError] = []


@dataclass(frozen=True)
class Problem:
    status: int
    message: str
    errors: list[dict[str, str]] = field(default_factory=list)

    def body(self) -> dict[str, object]:
        out: dict[str, object] = {"detail": self.message}
        if self.errors:
            out["errors"] = self.errors
        return out


HANDLED: tuple[type[Exception], ...] = (
    RequestValidationError,
    ValidationError,
    FieldRefused,
    RuleViolation,
    InvalidTransition,
    NotPermitted,
    ConcurrencyConflict,
    CaseNotFound,
    DocumentNotFound,
    JobNotFound,
    UploadRefused,
    UserProblem,
    PersonProblem,
    PersonImportError,
    PersonNotFound,
    LoginRequired,
    CsrfRefused,
    DBAPIError,
)


def problem_of(exc: Exception, lang: str = "en") -> Problem:
    """The answer to `exc`; messages with a catalogue key (`exc.key`) in `lang`."""
    if isinstance(exc, DBAPIError):
        # A lost connection (a restarted or overloaded database): the transaction was rolled
        # back or its outcome is unknown; either way the user may try again.
        if exc.connection_invalidated or "terminat" in str(exc.orig).lower():
            return Problem(503, t(lang, "db.unavailable"))
        if isinstance(exc, DataError):
            # A value the database refused that no check caught first (too long, NUL, out
            # of range): the input's fault, a 422, never a 500 (issue 14); sapar.app logs it.
            message = t(lang, "error.bad_input")
            return Problem(422, message, [{"field": "input", "message": message}])
        # Anything else the database refused is a defect of ours and stays a 500.
        return Problem(500, "internal error")
    key = getattr(exc, "key", None)
    if isinstance(exc, ConcurrencyConflict) and isinstance(key, str):
        return Problem(409, t(lang, key, **exc.values))
    if isinstance(exc, RequestValidationError | ValidationError):
        errors = describe(list(exc.errors()), lang)
        return Problem(422, one_line(errors), errors)
    if isinstance(exc, FieldRefused):
        errors = [{"field": exc.field, "message": exc.message(lang)}]
        return Problem(422, one_line(errors), errors)
    if isinstance(exc, RuleViolation):
        errors = [{"rule": r.rule, "clause": r.clause} for r in exc.refusals]
        return Problem(422, str(exc), errors)
    if isinstance(exc, PossibleDuplicate):
        return Problem(409, str(exc), [{"field": "confirm_new_person", "message": str(exc)}])
    if isinstance(exc, UploadRefused | UserProblem | PersonProblem | PersonImportError):
        field_, _, message = str(exc).partition(": ")
        return Problem(400, str(exc), [{"field": field_, "message": message or str(exc)}])
    if isinstance(exc, HTTPException):
        if exc.status_code == 400:
            # FastAPI's "There was an error parsing the body" (e.g. not UTF-8): the body is
            # not JSON, said like any other bad JSON.
            message = t(lang, "invalid.json", where=0)
            return Problem(422, f"body: {message}", [{"field": "body", "message": message}])
        return Problem(exc.status_code, str(exc.detail))
    if isinstance(exc, LoginRequired) and exc.key:
        return Problem(401, t(lang, exc.key))
    status = {
        InvalidTransition: 400,
        NotPermitted: 403,
        ConcurrencyConflict: 409,
        CaseNotFound: 404,
        PersonNotFound: 404,
        DocumentNotFound: 404,
        JobNotFound: 404,
        LoginRequired: 401,
        CsrfRefused: 403,
    }
    for kind, code in status.items():
        if isinstance(exc, kind):
            return Problem(code, str(exc) or kind.__doc__ or kind.__name__)
    return Problem(500, "internal error")
