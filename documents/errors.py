"""Errors raised while rendering official documents."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import ValidationError


class ContextError(ValueError):
    """The context is missing a field or has an invalid one; the message names the field path.

    Permanent: it fails the same way until a person completes the case (no automatic retry).

    `problems` holds (path, message) pairs, e.g. ("students[2].host_institution", "field required").
    """

    permanent = True

    def __init__(self, kind: str, problems: Sequence[tuple[str, str]]) -> None:
        self.kind = kind
        self.problems = list(problems)
        details = "; ".join(f"{path}: {message}" for path, message in self.problems)
        super().__init__(f"{kind} context: {details}")

    @classmethod
    def from_validation(cls, kind: str, error: ValidationError) -> ContextError:
        problems = []
        for item in error.errors():
            path = ""
            for part in item["loc"]:
                path += f"[{part}]" if isinstance(part, int) else f".{part}" if path else str(part)
            message = item["msg"]
            message = message[:1].lower() + message[1:]
            problems.append((path or "(context)", message))
        return cls(kind, problems)


class TemplateProblem(RuntimeError):
    """A template is missing, broken, or uses a variable its context does not declare.
    Permanent: it fails the same way until the template is fixed."""

    permanent = True


class LibreOfficeMissing(RuntimeError):
    """Neither `soffice` nor `libreoffice` is on PATH, so PDFs cannot be made."""
