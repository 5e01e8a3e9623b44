"""The registry of people: students, staff and guests, each with any number of cases.

A case is opened for a person of the registry; a new person is recorded only when none
matches. The same university ID twice is refused; the same name and birth date asks the
clerk to confirm that it is someone else (namesakes exist, double records should not).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from sqlalchemy import ColumnElement, Engine, or_, select, true, update
from sqlalchemy.orm import Session

from states.machine import NotPermitted
from states.model import Participant, Role
from storage.orm import CaseRow, ParticipantRow
from storage.repository import (
    PERSON_FIELDS,
    CaseRepository,
    ConcurrencyConflict,
    participant_from_row,
)
from storage.uow import UnitOfWork

from . import access
from .schemas import ParticipantIn, describe
from .tables import TableRefused, read_rows

if TYPE_CHECKING:
    from .users import User

# Who records and corrects people: the offices that open cases (access.OPENERS) and the admin.
KEEPERS = frozenset({Role.iro, Role.dean_office, Role.head_of_department, Role.admin})
IMPORT_COLUMNS = tuple(ParticipantIn.model_fields)
MAX_IMPORT_LINES = 20_000


class PersonNotFound(LookupError):
    pass


class PersonProblem(ValueError):
    """A person that cannot be recorded as given: says which field and why."""


class PossibleDuplicate(PersonProblem):
    """A person with the same name and birth date is in the registry already."""

    def __init__(self, existing: list[int], full_name: str, birth_date: date) -> None:
        self.existing = existing
        ids = ", ".join(f"#{i}" for i in existing)
        super().__init__(
            f"participant: {full_name}, born {birth_date:%d.%m.%Y}, is in the registry already "
            f"(person {ids}): open the case for that person (person_id), or confirm that this "
            "is someone else (confirm_new_person)"
        )


class PersonImportError(ValueError):
    pass


class PersonConflict(ConcurrencyConflict):
    """Someone else corrected the person's record since it was read."""

    def __init__(self, person_id: int, version: int, expected: int) -> None:
        Exception.__init__(
            self,
            f"person #{person_id} is at version {version}, not {expected}: someone else "
            "corrected the record meanwhile; reload it and correct again",
        )
        self.key = "conflict.person"
        self.values = {"person_id": person_id, "version": version, "expected": expected}


@dataclass(frozen=True)
class PersonLine:
    """A person in a search result."""

    id: int
    full_name: str
    kind: str
    university_id: str | None
    birth_date: date | None
    faculty: str | None
    group_name: str | None
    home_institution: str | None


@dataclass(frozen=True)
class PersonCase:
    """One of a person's cases, for the person's page."""

    id: int
    kind: str
    state: str
    host_institution: str
    host_country: str
    start_date: date
    end_date: date
    academic_year: str


def check_can_keep(user: User) -> None:
    if user.role not in KEEPERS:
        raise NotPermitted(f"a {user.role.value} account does not record or correct people")


def scope_clause(user: User) -> ColumnElement[bool]:
    """Whom a user may see: everyone for the offices that see every case (access.SEES_ALL);
    else the people of their faculty (a head: of their department) and anyone with a case the
    user sees."""
    if user.role in access.SEES_ALL:
        return true()
    has_case = (
        select(CaseRow.id)
        .where(CaseRow.participant_id == ParticipantRow.id, access.scope_clause(user))
        .exists()
    )
    if user.role is Role.dean_office and user.faculty:
        return or_(ParticipantRow.faculty == user.faculty, has_case)
    if user.role is Role.head_of_department and user.department:
        return or_(ParticipantRow.department == user.department, has_case)
    return has_case


def _check_can_see(session: Session, user: User, person_id: int) -> None:
    seen = session.scalar(
        select(ParticipantRow.id).where(ParticipantRow.id == person_id, scope_clause(user))
    )
    if seen is None:
        load(session, person_id)  # an unknown person is "not found", not "not yours"
        raise NotPermitted(
            f"person #{person_id} is outside your scope: a {user.role.value} account sees the "
            "people of its own faculty and of the cases it sees"
        )


def _line(row: ParticipantRow) -> PersonLine:
    return PersonLine(
        row.id, row.full_name, row.kind, row.university_id, row.birth_date, row.faculty,
        row.group_name, row.home_institution,
    )  # fmt: skip


def find(engine: Engine, *, user: User, q: str | None = None, limit: int = 20) -> list[PersonLine]:
    """People the user may see, by part of their name, their university ID or their ПИН."""
    stmt = (
        select(ParticipantRow)
        .where(scope_clause(user))
        .order_by(ParticipantRow.full_name, ParticipantRow.id)
    )
    text = (q or "").strip()[:100]
    if text:
        # SQLite's ILIKE folds ASCII only: also try the usual spellings of a Cyrillic name.
        variants = {_escape(v) for v in (text, text.lower(), text.title(), text.capitalize())}
        stmt = stmt.where(
            or_(
                *(ParticipantRow.full_name.ilike(f"%{v}%", escape="\\") for v in variants),
                *(ParticipantRow.full_name_latin.ilike(f"%{v}%", escape="\\") for v in variants),
                ParticipantRow.university_id == text,
                ParticipantRow.pin == text,
            )
        )
    with UnitOfWork(engine, read_only=True) as uow:
        return [_line(r) for r in uow.session.scalars(stmt.limit(max(1, min(limit, 200))))]


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def get(engine: Engine, person_id: int, *, user: User | None = None) -> Participant:
    """A person's record; with `user`, only if that user may see the person."""
    with UnitOfWork(engine, read_only=True) as uow:
        if user is not None:
            _check_can_see(uow.session, user, person_id)
        return load(uow.session, person_id)


def load(session: Session, person_id: int) -> Participant:
    row = session.get(ParticipantRow, person_id)
    if row is None:
        raise PersonNotFound(f"person_id: person #{person_id} is not in the registry")
    return participant_from_row(row)


def cases_of(engine: Engine, *, user: User, person_id: int) -> list[PersonCase]:
    """The person's cases this user may see, oldest first."""
    with UnitOfWork(engine, read_only=True) as uow:
        _check_can_see(uow.session, user, person_id)
        rows = uow.session.scalars(
            select(CaseRow)
            .where(CaseRow.participant_id == person_id, access.scope_clause(user))
            .order_by(CaseRow.id)
        )
        return [
            PersonCase(r.id, r.kind, r.state, r.host_institution, r.host_country,
                       r.start_date, r.end_date, r.academic_year)
            for r in rows
        ]  # fmt: skip


def check_new(
    session: Session, data: Participant | ParticipantIn, *, confirm: bool = False
) -> None:
    """Refuse a second record of the same person; warn of a namesake born the same day."""
    if data.university_id:
        taken = session.scalar(
            select(ParticipantRow.id).where(ParticipantRow.university_id == data.university_id)
        )
        if taken is not None:
            raise PersonProblem(
                f"participant.university_id: {data.university_id} is person #{taken} of the "
                "registry already: open the case for that person (person_id)"
            )
    if data.pin:
        taken = session.scalar(select(ParticipantRow.id).where(ParticipantRow.pin == data.pin))
        if taken is not None:
            raise PersonProblem(
                f"participant.pin: this ПИН is person #{taken} of the registry already: "
                "open the case for that person (person_id)"
            )
    if data.birth_date and not confirm:
        # Born the same day, then the name compared in Python: SQLite's lower() knows only
        # ASCII, and a Cyrillic name must match whatever its case.
        name = " ".join(data.full_name.split()).casefold()
        same = [
            pid
            for pid, other in session.execute(
                select(ParticipantRow.id, ParticipantRow.full_name).where(
                    ParticipantRow.birth_date == data.birth_date
                )
            )
            if " ".join(other.split()).casefold() == name
        ]
        if same:
            raise PossibleDuplicate(same, data.full_name, data.birth_date)


def add(engine: Engine, *, user: User, data: ParticipantIn, confirm: bool = False) -> int:
    """Record a new person; refused as `check_new` says."""
    check_can_keep(user)
    with UnitOfWork(engine) as uow:
        check_new(uow.session, data, confirm=confirm)
        person_id = CaseRepository(uow.session).add_participant(data.to_participant())
        uow.commit()
    return person_id


def correct(
    engine: Engine, *, user: User, person_id: int, changes: dict[str, Any], expected_version: int
) -> Participant:
    """Correct a person's record (optimistic lock on its version). `changes` are fields of
    ParticipantIn; the result is validated as a whole, so a correction cannot make a record
    invalid."""
    check_can_keep(user)
    unknown = sorted(set(changes) - set(IMPORT_COLUMNS))
    if unknown:
        raise PersonProblem(f"{unknown[0]}: not a field of a person")
    with UnitOfWork(engine) as uow:
        _check_can_see(uow.session, user, person_id)
        current = load(uow.session, person_id)
        merged = {f: getattr(current, f) for f in IMPORT_COLUMNS} | changes
        data = ParticipantIn.model_validate(merged)
        if data.university_id and data.university_id != current.university_id:
            taken = uow.session.scalar(
                select(ParticipantRow.id).where(
                    ParticipantRow.university_id == data.university_id,
                    ParticipantRow.id != person_id,
                )
            )
            if taken is not None:
                raise PersonProblem(f"university_id: {data.university_id} is person #{taken}")
        values = _row_values(data)
        done = uow.session.execute(
            update(ParticipantRow)
            .where(ParticipantRow.id == person_id, ParticipantRow.version == expected_version)
            .values(**values, version=expected_version + 1)
            .execution_options(synchronize_session=False)
        )
        if done.rowcount != 1:  # type: ignore[attr-defined]
            raise PersonConflict(person_id, current.version, expected_version)
        from .issuing import unblock_case  # here: issuing → officials → users → cases → people

        for case_id in uow.session.scalars(
            select(CaseRow.id).where(CaseRow.participant_id == person_id)
        ):
            unblock_case(uow.session, case_id)  # papers that waited for this record
        uow.commit()
    return get(engine, person_id, user=user)


def _row_values(data: ParticipantIn) -> dict[str, Any]:
    p = data.to_participant()
    values = {f: getattr(p, f) for f in PERSON_FIELDS}
    values["kind"] = p.kind.value
    values["level"] = p.level.value if p.level else None
    values["funding_basis"] = p.funding_basis.value if p.funding_basis else None
    return values


# --- import ----------------------------------------------------------------------------------


def _rows_of(filename: str, content: bytes) -> Iterable[dict[str, object]]:
    """Rows streamed with the caps of every upload (size, rows, cells, zip bombs, control
    characters: sapar.services.tables)."""
    try:
        for row in read_rows(filename, content):
            yield dict(row)
    except TableRefused as exc:
        raise PersonImportError(f"file: {exc}") from None


def _cell(value: object) -> object:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, bool):
        return value
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return str(int(value))  # a spreadsheet's university ID 2023001 comes as a number
    if isinstance(value, str | int | float | date):
        return value if not isinstance(value, str) else value.strip()
    return None if value is None else str(value)


def import_people(engine: Engine, *, user: User, filename: str, content: bytes) -> dict[str, int]:
    """Import people from CSV/XLSX (header: the fields of a person, IMPORT_COLUMNS).

    A line whose university ID is in the registry corrects that person; others are added.
    All or nothing: a bad line refuses the whole file, naming the line and the field."""
    check_can_keep(user)
    added = corrected = 0
    with UnitOfWork(engine) as uow:
        seen: dict[str, int] = {}
        for line, raw in enumerate(_rows_of(filename, content), start=2):
            if line > MAX_IMPORT_LINES + 1:
                raise PersonImportError(f"file: more than {MAX_IMPORT_LINES} lines")
            row = {k.strip(): _cell(v) for k, v in raw.items() if k and k.strip()}
            unknown = sorted(set(row) - set(IMPORT_COLUMNS))
            if unknown:
                raise PersonImportError(f"line 1: {unknown[0]}: not a column of the registry")
            row = {k: v for k, v in row.items() if v not in (None, "")}
            if not row:
                continue
            try:
                data = ParticipantIn.model_validate(row)
            except ValidationError as exc:
                first = describe(list(exc.errors()))[0]
                raise PersonImportError(
                    f"line {line}: {first['field']}: {first['message']}"
                ) from None
            uid = data.university_id
            if uid and uid in seen:
                raise PersonImportError(
                    f"line {line}: university_id: {uid} is also on line {seen[uid]}"
                )
            existing = (
                uow.session.scalar(
                    select(ParticipantRow).where(ParticipantRow.university_id == uid)
                )
                if uid
                else None
            )
            if existing is not None:
                for name, value in _row_values(data).items():
                    setattr(existing, name, value)
                existing.version += 1
                corrected += 1
            else:
                try:
                    check_new(uow.session, data, confirm=True)
                except PersonProblem as exc:
                    raise PersonImportError(f"line {line}: {exc}".replace(
                        "participant.", "")) from None  # fmt: skip
                CaseRepository(uow.session).add_participant(data.to_participant())
                added += 1
            if uid:
                seen[uid] = line
            uow.session.flush()
        uow.commit()
    return {"added": added, "corrected": corrected}
