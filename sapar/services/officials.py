"""The officials registry: who holds which post from when to when (4.1, 4.8).

An administrator appoints (web /officials, `sapar officials`), or the file named by
SAPAR_OFFICIALS_FILE is imported at start. An appointment is never edited in place: a new
holder gets a new entry from their first day and the previous one is ended the day before,
so a reissued or late paper still prints who held the post on its own date.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from sapar import clock
from sapar.faculties import is_faculty
from sapar.officials import PER_DEPARTMENT, PER_FACULTY, Official, Officials, Post, default_titles
from states import roles
from states.machine import NotPermitted
from storage.orm import OfficialRow
from storage.uow import UnitOfWork

from .users import User, UserProblem


class OfficialIn(BaseModel):
    """One appointment as an administrator types it or the officials file lists it."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    post: Post
    unit: str = ""
    full_name: str = Field(min_length=2, max_length=200)
    titles: dict[str, str] = Field(default_factory=dict)
    email: str = ""
    phone: str = ""
    valid_from: date
    valid_to: date | None = None

    @field_validator("titles")
    @classmethod
    def _known_languages(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = set(value) - {"ky", "ru", "en"}
        if unknown:
            raise ValueError(f"languages must be ky, ru, en; not {sorted(unknown)}")
        return {k: v.strip() for k, v in value.items() if v and v.strip()}

    def checked(self) -> OfficialIn:
        """The appointment with its unit and printed titles complete, or UserProblem."""
        unit = self.unit
        if self.post in PER_FACULTY:
            if not is_faculty(unit):
                raise UserProblem(
                    f"unit: '{unit}' is not one of OshSU's faculties", "user_faculty", faculty=unit
                )
        elif self.post in PER_DEPARTMENT:
            if not unit:
                raise UserProblem(
                    "unit: the department is required for a head of department",
                    "user_needs_department",
                )
        else:
            unit = ""
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise UserProblem("valid_to: before valid_from", "valid_to_before_from")
        titles = default_titles(self.post, unit) | self.titles
        lacking = [lang for lang in ("ky", "ru", "en") if not titles.get(lang)]
        if lacking:
            raise UserProblem(
                f"titles: the printed position in {', '.join(lacking)} is required "
                "(a department's name is translated by a person)"
            )
        return self.model_copy(update={"unit": unit, "titles": titles})


def check_can_edit(user: User) -> None:
    if user.role not in roles.OFFICIALS_EDITORS:
        raise NotPermitted(
            "only the administrator edits the officials (4.1, 4.8)", "not_officials_editor"
        )


def _official(row: OfficialRow) -> Official:
    return Official(
        post=Post(row.post),
        unit=row.unit,
        full_name=row.full_name,
        titles=dict(row.titles),
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        email=row.email,
        phone=row.phone,
        id=row.id,
    )


def load_officials(session: Session) -> Officials:
    """The whole registry (a few hundred rows at most) for the papers being built."""
    return Officials(_official(r) for r in session.scalars(select(OfficialRow)))


# The registry last built from a step's JSON: steps follow each other with the same registry,
# and the same text builds the same (read-only) registry, so it is built once per change.
_LAST_READ: tuple[str, Officials] | None = None


def officials_from_json(text: str) -> Officials:
    """The registry from the JSON a step read with its case (storage.repository's
    OFFICIAL_FIELDS rows); a registry changed since is built anew, since its text differs."""
    global _LAST_READ
    last = _LAST_READ
    if last is not None and last[0] == text:
        return last[1]
    entries = []
    for i, post, unit, full_name, titles, email, phone, valid_from, valid_to in json.loads(text):
        entries.append(
            Official(
                post=Post(post),
                unit=unit,
                full_name=full_name,
                titles=dict(titles or {}),
                valid_from=date.fromisoformat(valid_from),
                valid_to=date.fromisoformat(valid_to) if valid_to else None,
                email=email,
                phone=phone,
                id=i,
            )
        )
    officials = Officials(entries)
    _LAST_READ = (text, officials)
    return officials


def list_officials(engine: Engine) -> list[Official]:
    with UnitOfWork(engine, read_only=True) as uow:
        rows = uow.session.scalars(
            select(OfficialRow).order_by(
                OfficialRow.post, OfficialRow.unit, OfficialRow.valid_from.desc()
            )
        )
        return [_official(r) for r in rows]


def _save(session: Session, entry: OfficialIn, actor: str) -> OfficialRow:
    """Insert or replace the appointment starting that day; end the previous holder's."""
    row = session.scalar(
        select(OfficialRow).where(
            OfficialRow.post == entry.post.value,
            OfficialRow.unit == entry.unit,
            OfficialRow.valid_from == entry.valid_from,
        )
    )
    if row is None:
        row = OfficialRow(post=entry.post.value, unit=entry.unit, valid_from=entry.valid_from)
        session.add(row)
    row.full_name = entry.full_name
    row.titles = dict(entry.titles)
    row.email, row.phone, row.valid_to = entry.email, entry.phone, entry.valid_to
    row.created_by, row.created_at = actor, clock.now()
    earlier = session.scalars(
        select(OfficialRow).where(
            OfficialRow.post == entry.post.value,
            OfficialRow.unit == entry.unit,
            OfficialRow.valid_from < entry.valid_from,
        )
    )
    for previous in earlier:
        if previous.valid_to is None or previous.valid_to >= entry.valid_from:
            previous.valid_to = entry.valid_from - timedelta(days=1)
    session.flush()
    return row


def appoint(engine: Engine, *, user: User, entry: OfficialIn) -> int:
    """Record who holds a post from `valid_from`; the previous holder's term ends the day
    before. Returns the entry's id."""
    check_can_edit(user)
    entry = entry.checked()
    with UnitOfWork(engine) as uow:
        row = _save(uow.session, entry, user.username)
        uow.commit()
        return row.id


def end_appointment(engine: Engine, *, user: User, official_id: int, last_day: date) -> None:
    check_can_edit(user)
    with UnitOfWork(engine) as uow:
        row = uow.session.get(OfficialRow, official_id)
        if row is None:
            raise UserProblem(
                f"official: no entry #{official_id}", "official_unknown", entry=official_id
            )
        if last_day < row.valid_from:
            raise UserProblem("valid_to: before valid_from", "valid_to_before_from")
        row.valid_to = last_day
        uow.commit()


@dataclass(frozen=True)
class Imported:
    count: int


def read_file(path: Path) -> list[OfficialIn]:
    """The officials file: a JSON or YAML list of appointments (see README); every problem
    is named with its entry's position."""
    text = path.read_text(encoding="utf-8")
    data: Any = yaml.safe_load(text) if path.suffix in (".yaml", ".yml") else json.loads(text)
    if isinstance(data, dict):
        data = data.get("officials")
    if not isinstance(data, list):
        raise UserProblem(f"{path}: a list of appointments is expected")
    entries = []
    for index, item in enumerate(data, start=1):
        try:
            entries.append(OfficialIn.model_validate(item).checked())
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise UserProblem(f"{path}: entry {index}: {where}: {first['msg']}") from None
        except UserProblem as problem:
            raise UserProblem(f"{path}: entry {index}: {problem}") from None
    return entries


def import_file(engine: Engine, path: Path, *, actor: str = "officials-file") -> Imported:
    """Every appointment of the file, all or nothing; re-importing the same file changes
    nothing (an entry is keyed by post, unit and first day)."""
    return save_all(engine, read_file(path), actor=actor)


def save_all(engine: Engine, entries: list[OfficialIn], *, actor: str) -> Imported:
    """Several appointments in one transaction (the file import, the demo)."""
    checked = [e.checked() for e in entries]
    with UnitOfWork(engine) as uow:
        for entry in sorted(checked, key=lambda e: e.valid_from):
            _save(uow.session, entry, actor)
        uow.commit()
    return Imported(len(checked))
