"""The registry of people: students, staff and guests, each with any number of cases.

A case is opened for a person of the registry; a new person is recorded only when none
matches. The same university ID twice is refused; the same name and birth date asks the
clerk to confirm that it is someone else (namesakes exist, double records should not).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from sqlalchemy import ColumnElement, Engine, or_, select, true, update
from sqlalchemy.orm import Session

from sapar import clock
from sapar.i18n import t
from states import roles
from states.machine import NotPermitted
from states.model import Participant, Role
from storage.orm import CaseRow, ImportStatus, ParticipantRow
from storage.repository import (
    PERSON_FIELDS,
    CaseRepository,
    ConcurrencyConflict,
    participant_from_row,
)
from storage.uow import UnitOfWork

from . import access, outbox
from .schemas import ParticipantIn, describe
from .tables import Cell, LineRefused, read_lines

if TYPE_CHECKING:
    from .users import User

IMPORT_COLUMNS = tuple(ParticipantIn.model_fields)
MAX_IMPORT_LINES = 20_000
Progress = Callable[[str, int, int], None]


class PersonNotFound(LookupError):
    pass


class PersonProblem(ValueError):
    """A person that cannot be recorded as given: the field, and why as a message key, so
    the API and the pages say it in the reader's language (`message`)."""

    def __init__(self, field: str, key: str, **values: object) -> None:
        self.field, self.key, self.values = field, key, values
        super().__init__(f"{field}: {t('en', key, **values)}")

    def message(self, lang: str) -> str:
        return t(lang, self.key, **self.values)


class PossibleDuplicate(PersonProblem):
    """A person with the same name and birth date is in the registry already."""

    def __init__(self, existing: list[int], full_name: str, birth_date: date) -> None:
        self.existing = existing
        ids = ", ".join(f"#{i}" for i in existing)
        super().__init__("participant", "person.namesake", full_name=full_name,
                         born=f"{birth_date:%d.%m.%Y}", ids=ids)  # fmt: skip


class PersonImportError(LineRefused):
    """A file of people refused: the line and the field, and why (sapar.services.tables)."""


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
    if user.role not in roles.PEOPLE_KEEPERS:
        raise NotPermitted(f"a {user.role.value} account does not record or correct people",
                           "not_people_keeper", role=user.role)  # fmt: skip


def scope_clause(user: User) -> ColumnElement[bool]:
    """Whom a user may see: everyone for the offices that see every case (roles.SEES_ALL);
    else the people of their faculty (a head: of their department) and anyone with a case the
    user sees."""
    if user.role in roles.SEES_ALL:
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
            "people of its own faculty and of the cases it sees",
            "person_outside_scope",
            person_id=person_id,
            role=user.role,
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
            raise PersonProblem("participant.university_id", "person.id_taken",
                                value=data.university_id, person=taken)  # fmt: skip
    if data.pin:
        taken = session.scalar(select(ParticipantRow.id).where(ParticipantRow.pin == data.pin))
        if taken is not None:
            raise PersonProblem("participant.pin", "person.pin_taken", person=taken)
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
        raise PersonProblem(unknown[0][:64], "person.no_such_field")
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
                raise PersonProblem("university_id", "person.id_taken",
                                    value=data.university_id, person=taken)  # fmt: skip
        values = _row_values(data)
        done = uow.session.execute(
            update(ParticipantRow)
            .where(ParticipantRow.id == person_id, ParticipantRow.version == expected_version)
            .values(**values, version=expected_version + 1)
            .execution_options(synchronize_session=False)
        )
        if done.rowcount != 1:  # type: ignore[attr-defined]
            raise PersonConflict(person_id, current.version, expected_version)
        for case_id in uow.session.scalars(
            select(CaseRow.id).where(CaseRow.participant_id == person_id)
        ):
            outbox.unblock_case(uow.session, case_id)  # papers that waited for this record
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

# Lines checked or written per transaction: a login or a step waits for one batch at most.
BATCH = 500


def _no_progress(stage: str, done: int, total: int) -> None:
    pass


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


@dataclass(frozen=True)
class ImportLine:
    """A line of the file, checked on its own: `line` counts the header as 1."""

    line: int
    data: ParticipantIn


def read_import(
    filename: str, content: bytes, *, lang: str = "en", progress: Progress = _no_progress
) -> list[ImportLine]:
    """Every line of the file read and validated, nothing read from the database: the first
    bad line refuses the file, naming the line and the field (in `lang`)."""
    seen: dict[str, dict[str, int]] = {"university_id": {}, "pin": {}}

    def parse(line: int, raw: dict[str, Cell]) -> ImportLine | None:
        if line > MAX_IMPORT_LINES + 1:
            raise PersonImportError("import.too_many_rows", field="file", max=MAX_IMPORT_LINES)
        row = {k.strip(): _cell(v) for k, v in raw.items() if k and k.strip()}
        unknown = sorted(set(row) - set(IMPORT_COLUMNS))
        if unknown:
            raise PersonImportError("import.unknown_column", line=1, field=unknown[0][:64])
        row = {k: v for k, v in row.items() if v not in (None, "")}
        if not row:
            return None
        try:
            data = ParticipantIn.model_validate(row)
        except ValidationError as exc:
            first = describe(list(exc.errors()), lang)[0]
            raise PersonImportError("", field=first["field"], text=first["message"]) from None
        for name in ("university_id", "pin"):
            value = getattr(data, name)
            if value and value in seen[name]:
                raise PersonImportError("import.same_as_line", field=name, other=seen[name][value])
            if value:
                seen[name][value] = line
        return ImportLine(line, data)

    return read_lines(filename, content, parse, refused=PersonImportError, progress=progress,
                      every=BATCH)  # fmt: skip


def check_against_registry(
    engine: Engine, lines: list[ImportLine], *, progress: Progress = _no_progress
) -> None:
    """Refuse a line whose ПИН is another person's: two queries per BATCH lines, each batch
    in a short read-only transaction. A line whose university ID is known corrects that
    person; a new line may not take a ПИН on record."""
    for start in range(0, len(lines), BATCH):
        batch = lines[start : start + BATCH]
        uids = {ln.data.university_id for ln in batch if ln.data.university_id}
        pins = {ln.data.pin for ln in batch if ln.data.pin}
        with UnitOfWork(engine, read_only=True) as uow:
            known = _ids_by_university_id(uow.session, uids)
            pin_owner: dict[str | None, int] = {}
            if pins:
                found = select(ParticipantRow.pin, ParticipantRow.id).where(
                    ParticipantRow.pin.in_(pins)
                )
                pin_owner = {pin: pid for pin, pid in uow.session.execute(found)}
        for ln in batch:
            owner = pin_owner.get(ln.data.pin or "")
            me = known.get(ln.data.university_id or "")
            if owner is not None and owner != me:
                raise PersonImportError("import.pin_taken", line=ln.line, field="pin",
                                        person=owner)  # fmt: skip
        progress(ImportStatus.checking, min(start + BATCH, len(lines)), len(lines))


def _ids_by_university_id(session: Session, uids: set[str]) -> dict[str, int]:
    if not uids:
        return {}
    found = select(ParticipantRow.university_id, ParticipantRow.id).where(
        ParticipantRow.university_id.in_(uids)
    )
    return {uid: pid for uid, pid in session.execute(found) if uid is not None}


def write_import(
    engine: Engine, lines: list[ImportLine], *, progress: Progress = _no_progress
) -> tuple[int, int]:
    """Write checked lines, BATCH per short transaction: a line whose university ID is on
    record corrects that person (its version moves on, its papers waiting for the record are
    tried again), the others are added. Returns (added, corrected)."""
    added = corrected = 0
    total = len(lines)
    progress(ImportStatus.writing, 0, total)
    for start in range(0, total, BATCH):
        batch = lines[start : start + BATCH]
        with UnitOfWork(engine) as uow:
            a, c = _write_batch(uow.session, batch)
            uow.commit()
        added, corrected = added + a, corrected + c
        progress(ImportStatus.writing, min(start + BATCH, total), total)
    return added, corrected


def _write_batch(session: Session, batch: list[ImportLine]) -> tuple[int, int]:
    uids = {ln.data.university_id for ln in batch if ln.data.university_id}
    # Read again in the writing transaction: someone may have recorded one since the check.
    existing = {
        row.university_id: row
        for row in session.scalars(
            select(ParticipantRow).where(ParticipantRow.university_id.in_(uids))
        )
    } if uids else {}  # fmt: skip
    now = clock.now()
    new_rows = []
    for ln in batch:
        values = _row_values(ln.data)
        row = existing.get(ln.data.university_id or "")
        if row is None:
            new_rows.append(ParticipantRow(**values, created_at=now))
            continue
        for name, value in values.items():
            setattr(row, name, value)
        row.version += 1
    session.add_all(new_rows)
    session.flush()
    if existing:
        outbox.unblock_cases(
            session, select(CaseRow.id).where(
                CaseRow.participant_id.in_([r.id for r in existing.values()])
            )
        )  # fmt: skip
    return len(new_rows), len(batch) - len(new_rows)


def import_people(
    engine: Engine,
    *,
    user: User,
    filename: str,
    content: bytes,
    lang: str | None = None,
    progress: Progress = _no_progress,
) -> dict[str, int]:
    """Import people from CSV/XLSX (header: the fields of a person, IMPORT_COLUMNS).

    A line whose university ID is in the registry corrects that person; others are added.
    All or nothing: every line is checked first (the file alone, then the registry, BATCH
    lines per query), and a bad line refuses the whole file, naming the line and the field,
    before anything is written; then it is written BATCH lines per short transaction, so
    the database's write lock is held for one batch at a time, never for the file."""
    check_can_keep(user)
    return run_import(engine, filename=filename, content=content,
                      lang=lang or user.language, progress=progress)  # fmt: skip


def run_import(
    engine: Engine,
    *,
    filename: str,
    content: bytes,
    lang: str = "en",
    progress: Progress = _no_progress,
) -> dict[str, int]:
    """The import itself, for a caller that checked the user (sapar.services.imports)."""
    lines = read_import(filename, content, lang=lang, progress=progress)
    check_against_registry(engine, lines, progress=progress)
    added, corrected = write_import(engine, lines, progress=progress)
    return {"added": added, "corrected": corrected}
