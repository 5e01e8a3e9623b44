"""Who acts on a case."""

from __future__ import annotations

from dataclasses import dataclass

from states.model import Role


@dataclass(frozen=True)
class Actor:
    """Who acts, in which role; faculty/department scope the role where it is local."""

    name: str
    role: Role
    faculty: str | None = None
    department: str | None = None
