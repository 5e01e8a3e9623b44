"""How a refusal reads at the door: one status and one plain message per kind of problem,
shared by the API (JSON) and the pages (HTML), so both say the same thing.

The API's error body is always `ProblemOut` (documented in the OpenAPI schema for every
status a route answers with): `detail`, one line; `errors`, one entry per field at fault.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import DataError, DBAPIError
from starlette.exceptions import HTTPException

from sapar import explain
from sapar.i18n import t
from sapar.services.imports import JobNotFound
from sapar.services.papers import DocumentNotFound, UploadRefused
from sapar.services.partners import PartnerNotFound
from sapar.services.pdf_copies import PdfUnavailable
from sapar.services.people import (
    PersonNotFound,
    PersonProblem,
    PossibleDuplicate,
)
from sapar.services.readiness import NotReady
from sapar.services.schemas import FieldRefused, describe, one_line
from sapar.services.tables import LineRefused
from sapar.services.users import UserProblem
from states.explained import Explained
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
    """One field at fault: `field` is its dotted name (`participant.gpa`, `body`), `label`
    its name on the form in the caller's language; for a rule of the regulation, `rule`,
    `clause` and the rule's message `key` instead."""

    field: str | None = None
    line: int | None = None
    label: str | None = None
    message: str | None = None
    rule: str | None = None
    clause: str | None = None
    key: str | None = None


class ProblemOut(BaseModel):
    """Every 4xx of the API: a one-line `detail` in the caller's language (Accept-Language,
    else the account's own) and, where fields are at fault, one entry per field."""

    detail: str
    errors: list[FieldError] = []


@dataclass(frozen=True)
class Problem:
    status: int
    message: str
    errors: list[dict[str, Any]] = field(default_factory=list)

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
    PartnerNotFound,
    UploadRefused,
    UserProblem,
    PersonProblem,
    LineRefused,
    PersonNotFound,
    LoginRequired,
    CsrfRefused,
    DBAPIError,
    PdfUnavailable,
)


def problem_of(exc: Exception, lang: str = "en") -> Problem:
    """The answer to `exc`, in `lang` (the request's Accept-Language or the user's): refusals,
    validation errors and conflicts carry message keys (sapar/explain.py)."""
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
        return Problem(500, t(lang, "error.internal"))
    key = getattr(exc, "key", None)
    if isinstance(exc, ConcurrencyConflict) and isinstance(key, str):
        return Problem(409, t(lang, key, **exc.values))
    if isinstance(exc, RequestValidationError | ValidationError):
        errors = describe(list(exc.errors()), lang)
        return Problem(422, one_line(errors), errors)
    if isinstance(exc, FieldRefused):
        errors = [
            {
                "field": exc.field,
                "label": explain.field_label(lang, exc.field),
                "message": exc.message(lang),
            }
        ]
        return Problem(422, one_line(errors), errors)
    if isinstance(exc, NotReady):
        exc = exc.in_language(lang)  # worded when raised; said in the reader's language
    if isinstance(exc, RuleViolation):
        errors = [
            {"rule": explain.refusal(lang, r), "clause": r.clause, "key": r.key}
            for r in exc.refusals
        ]
        return Problem(422, "; ".join(e["rule"] for e in errors), errors)
    if isinstance(exc, PossibleDuplicate):
        message = exc.message(lang)
        return Problem(409, message, [{"field": "confirm_new_person", "message": message}])
    if isinstance(exc, PersonProblem):
        message = exc.message(lang)
        label = explain.field_label(lang, exc.field)
        return Problem(400, f"{label}: {message}",
                       [{"field": exc.field, "label": label, "message": message}])  # fmt: skip
    if isinstance(exc, LineRefused):
        # A file refused (an import): where (the line, the column) and why, in `lang`.
        error: dict[str, Any] = {"field": exc.field or "file", "message": exc.message(lang)}
        if exc.line is not None:
            error["line"] = exc.line
        return Problem(400, exc.say(lang), [error])
    if isinstance(exc, UploadRefused | UserProblem):
        field_, _, message = str(exc).partition(": ")
        if exc.key:
            message = explain.error(lang, exc)
        text = f"{explain.field_label(lang, field_)}: {message or str(exc)}"
        return Problem(400, text, [{"field": field_, "message": message or str(exc)}])
    if isinstance(exc, HTTPException):
        if exc.status_code == 400:
            # FastAPI's "There was an error parsing the body" (e.g. not UTF-8): the body is
            # not JSON, said like any other bad JSON.
            message = t(lang, "validation.json_invalid", value=0)
            return Problem(422, f"body: {message}", [{"field": "body", "message": message}])
        return Problem(exc.status_code, str(exc.detail))
    if isinstance(exc, LoginRequired) and exc.key:
        return Problem(401, t(lang, exc.key))
    if isinstance(exc, PdfUnavailable):
        # LibreOffice missing, busy or hung: nothing the request did; the DOCX still serves.
        return Problem(503, explain.error(lang, exc))
    if isinstance(exc, Explained) and exc.key:
        return Problem(400 if isinstance(exc, InvalidTransition) else 403, explain.error(lang, exc))
    plain = {
        ConcurrencyConflict: "error.conflict",
        CaseNotFound: "error.not_found",
        PersonNotFound: "error.not_found",
        PartnerNotFound: "error.not_found",
        DocumentNotFound: "error.document_not_found",
        JobNotFound: "error.not_found",
        LoginRequired: "error.login_required",
        CsrfRefused: "error.csrf",
    }
    for kind, message_key in plain.items():
        if isinstance(exc, kind):
            return Problem(_STATUS[kind], t(lang, message_key))
    for kind, code in _STATUS.items():
        if isinstance(exc, kind):
            return Problem(code, str(exc) or kind.__doc__ or kind.__name__)
    return Problem(500, t(lang, "error.internal"))


_STATUS: dict[type[Exception], int] = {
    InvalidTransition: 400,
    NotPermitted: 403,
    ConcurrencyConflict: 409,
    CaseNotFound: 404,
    PersonNotFound: 404,
    PartnerNotFound: 404,
    DocumentNotFound: 404,
    JobNotFound: 404,
    LoginRequired: 401,
    CsrfRefused: 403,
}
