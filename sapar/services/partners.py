"""The partner registry (5.3, 5.4): institutions, agreements and quotas, imported and exported.

`partner_facts` is what the guards see of it when a case takes a step.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import get_args

from openpyxl import Workbook
from sqlalchemy import Engine, bindparam, func, or_, select
from sqlalchemy.orm import Session

from sapar import clock
from states.guards import PartnerFacts
from states.model import Case, CaseKind, Scope
from states.periods import academic_year_of
from states.quotas import PLACED_STATES, quota_type_of
from storage import countries
from storage.orm import AgreementRow, CaseRow, ImportStatus, PartnerRow, QuotaRow
from storage.uow import UnitOfWork

from . import exports
from .schemas import AgreementKind
from .tables import Cell, LineRefused, read_lines

AGREEMENT_KINDS: tuple[str, ...] = get_args(AgreementKind)
COLUMNS = (
    "name", "name_latin", "country", "city", "website", "emails", "phones", "scope",
    "agreement_kind", "agreement_number", "signed_on", "valid_from", "valid_to",
)  # fmt: skip


class PartnerImportError(LineRefused):
    """A partner (or a line of a file of partners) refused: the field and why, as a message
    key, so each reader hears it in their own language (sapar.services.tables)."""


class PartnerNotFound(LookupError):
    """No partner with that id in the registry."""


# The quota row locked, and the places used counted after the lock: built once (a step runs
# them with its own parameters).
_QUOTA_LOCKED = (
    select(QuotaRow)
    .where(
        QuotaRow.partner_id == bindparam("partner_id"),
        QuotaRow.academic_year == bindparam("year"),
        QuotaRow.participant_type == bindparam("type"),
    )
    .with_for_update()
)
_PLACES_USED = (
    select(func.count())
    .select_from(CaseRow)
    .where(
        CaseRow.partner_id == bindparam("partner_id"),
        CaseRow.academic_year == bindparam("year"),
        CaseRow.kind.in_(bindparam("kinds", expanding=True)),
        CaseRow.state.in_(PLACED_STATES),
        CaseRow.id != bindparam("case_id"),
    )
)


def partner_facts(
    session: Session, case: Case, *, read: tuple[str, tuple[str, ...]] | None = None
) -> PartnerFacts | None:
    """The registry as it stands for this case; locks the quota row so two orders cannot
    both take the last place. Three statements at most: the partner with the kinds of its
    agreements covering the stay (unless a step read them with the case: `read`, its name
    and those kinds), the quota row locked, the places used counted after the lock (so the
    count sees an order committed while this one waited)."""
    if case.partner_id is None:
        return None
    if read is None:
        covering_kinds = (
            select(func.aggregate_strings(AgreementRow.kind, ","))
            .where(
                AgreementRow.partner_id == PartnerRow.id,
                AgreementRow.valid_from <= case.start_date,
                or_(AgreementRow.valid_to.is_(None), AgreementRow.valid_to >= case.end_date),
            )
            .scalar_subquery()
        )
        found = session.execute(
            select(PartnerRow.name, covering_kinds).where(PartnerRow.id == case.partner_id)
        ).first()
        if found is None:
            return None
        name, covering_text = found
        read = (name, tuple(covering_text.split(",")) if covering_text else ())
    name, covering = read
    partner_id = case.partner_id
    year = academic_year_of(case.start_date)
    qtype = quota_type_of(case.kind)
    quota = session.scalars(
        _QUOTA_LOCKED,
        {"partner_id": partner_id, "year": year, "type": qtype.value},
    ).first()
    used = 0
    if quota is not None:
        kinds = [k.value for k in CaseKind if quota_type_of(k) is qtype]
        used = (
            session.scalar(
                _PLACES_USED,
                {"partner_id": partner_id, "year": year, "kinds": kinds, "case_id": case.id},
            )
            or 0
        )
    return PartnerFacts(
        name=name,
        agreements_covering=tuple(covering),
        quota_places=quota.places if quota else None,
        quota_used=used,
    )


@dataclass(frozen=True)
class PartnerIn:
    name: str
    country: str
    name_latin: str | None = None
    city: str | None = None
    website: str | None = None
    emails: str | None = None
    phones: str | None = None
    scope: Scope = Scope.international

    def __post_init__(self) -> None:
        # The registry keeps a country as its ISO 3166 code (issue 13.5), whichever way it
        # was typed ("Türkiye", "Түркия", "TR"), so one country is one country everywhere.
        # The front doors refuse a name nobody recognises; the seed list keeps it as typed.
        code = countries.code_of(self.country)
        if code is not None:
            object.__setattr__(self, "country", code)


def add_partner(session: Session, p: PartnerIn) -> int:
    """Add the partner, or return the one already registered under that name and country."""
    found = session.scalar(
        select(PartnerRow.id).where(PartnerRow.name == p.name, PartnerRow.country == p.country)
    )
    if found is not None:
        return found
    row = PartnerRow(**{**vars(p), "scope": p.scope.value}, created_at=clock.now())
    session.add(row)
    session.flush()
    return row.id


def write_agreement(
    session: Session,
    *,
    partner_id: int,
    kind: str,
    valid_from: date,
    valid_to: date | None = None,
    number: str | None = None,
    signed_on: date | None = None,
    title: str | None = None,
) -> int:
    if kind not in AGREEMENT_KINDS:
        raise _not_one_of("kind", kind, AGREEMENT_KINDS)
    _check_period(valid_from, valid_to)
    row = AgreementRow(
        partner_id=partner_id, kind=kind, valid_from=valid_from, valid_to=valid_to,
        number=number, signed_on=signed_on, title=title,
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row.id


def write_quota(
    session: Session, *, partner_id: int, academic_year: str, participant_type: str, places: int
) -> None:
    if places < 0:
        raise PartnerImportError("partners.negative", field="places", value=places)
    row = session.scalar(
        select(QuotaRow).where(
            QuotaRow.partner_id == partner_id,
            QuotaRow.academic_year == academic_year,
            QuotaRow.participant_type == participant_type,
        )
    )
    if row is None:
        session.add(
            QuotaRow(
                partner_id=partner_id, academic_year=academic_year,
                participant_type=participant_type, places=places,
            )
        )  # fmt: skip
    else:
        row.places = places
    session.flush()


def _not_one_of(field: str, value: str, allowed: Iterable[str]) -> PartnerImportError:
    return PartnerImportError("partners.not_one_of", field=field, value=value[:40],
                              allowed=", ".join(allowed))  # fmt: skip


def _check_period(valid_from: date, valid_to: date | None) -> None:
    if valid_to is not None and valid_to < valid_from:
        raise PartnerImportError(
            "partners.ends_before_start",
            field="valid_to",
            end=f"{valid_to:%d.%m.%Y}",
            start=f"{valid_from:%d.%m.%Y}",
        )


# --- import and export ---------------------------------------------------------------------

# The registry's columns (storage/orm.py): an imported cell longer than its column is refused.
LENGTHS = {"name": 300, "name_latin": 300, "country": 80, "city": 120, "website": 300,
           "emails": 500, "phones": 300, "scope": 16, "agreement_kind": 32,
           "agreement_number": 80}  # fmt: skip
# Rows written per transaction: a login or a step waits for one batch at most, not the file.
BATCH = 500


def _date(value: object, field: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise PartnerImportError(
            "partners.not_a_date", field=field, value=str(value)[:40]
        ) from None


@dataclass(frozen=True)
class ImportLine:
    partner: PartnerIn
    agreement_kind: str | None = None
    agreement_number: str | None = None
    signed_on: date | None = None
    valid_from: date | None = None
    valid_to: date | None = None


Progress = Callable[[str, int, int], None]


def _no_progress(stage: str, done: int, total: int) -> None:
    pass


def read_import(
    filename: str, content: bytes, *, progress: Progress = _no_progress
) -> list[ImportLine]:
    """Every line of the file checked, nothing written: the first bad line refuses the file,
    naming the line and the field."""

    def parse(line: int, raw: dict[str, Cell]) -> ImportLine | None:
        row: dict[str, object] = {
            k: v if isinstance(v, date) else (v or "") for k, v in raw.items()
        }
        return _import_line(row) if any(row.values()) else None

    return read_lines(filename, content, parse, refused=PartnerImportError, progress=progress,
                      every=BATCH)  # fmt: skip


def import_partners(
    engine: Engine, *, filename: str, content: bytes, progress: Progress = _no_progress
) -> int:
    """Import partners (and their agreements) from CSV/XLSX with the COLUMNS header.

    The whole file is checked first, so a bad line refuses it before anything is written;
    then it is written BATCH lines per short transaction, a query or two per batch, never
    one per row. Importing the same file again adds nothing (partners by name and country,
    agreements by kind, start and number), so an import cut off midway is finished by
    running it again."""
    lines = read_import(filename, content, progress=progress)
    total = len(lines)
    progress(ImportStatus.writing, 0, total)
    for start in range(0, total, BATCH):
        with UnitOfWork(engine) as uow:
            _write_batch(uow.session, lines[start : start + BATCH])
            uow.commit()
        progress(ImportStatus.writing, min(start + BATCH, total), total)
    return total


def _write_batch(session: Session, lines: list[ImportLine]) -> None:
    names = {ln.partner.name for ln in lines}
    ids = {
        (name, country): pid
        for pid, name, country in session.execute(
            select(PartnerRow.id, PartnerRow.name, PartnerRow.country).where(
                PartnerRow.name.in_(names)
            )
        )
    }
    now = clock.now()
    new_rows: dict[tuple[str, str], PartnerRow] = {}
    for ln in lines:
        key = (ln.partner.name, ln.partner.country)
        if key not in ids and key not in new_rows:
            p = ln.partner
            new_rows[key] = PartnerRow(**{**vars(p), "scope": p.scope.value}, created_at=now)
    session.add_all(new_rows.values())
    session.flush()
    ids.update({key: row.id for key, row in new_rows.items()})
    wanted = [ln for ln in lines if ln.agreement_kind]
    if not wanted:
        return
    partner_ids = {ids[(ln.partner.name, ln.partner.country)] for ln in wanted}
    have = {
        tuple(found)
        for found in session.execute(
            select(
                AgreementRow.partner_id, AgreementRow.kind, AgreementRow.valid_from,
                AgreementRow.number,
            ).where(AgreementRow.partner_id.in_(partner_ids))
        )
    }  # fmt: skip
    for ln in wanted:
        pid = ids[(ln.partner.name, ln.partner.country)]
        key4 = (pid, ln.agreement_kind, ln.valid_from, ln.agreement_number)
        if key4 in have:
            continue
        have.add(key4)
        session.add(
            AgreementRow(
                partner_id=pid, kind=ln.agreement_kind, valid_from=ln.valid_from,
                valid_to=ln.valid_to, number=ln.agreement_number, signed_on=ln.signed_on,
            )
        )  # fmt: skip
    session.flush()


def _import_line(row: dict[str, object]) -> ImportLine:
    text = {k: v for k, v in row.items() if isinstance(v, str)}
    for field, limit in LENGTHS.items():
        if len(text.get(field, "")) > limit:
            raise PartnerImportError("invalid.too_long", field=field, max=limit)
    missing = [f for f in ("name", "country") if not text.get(f)]
    if missing:
        raise PartnerImportError("validation.missing", field=missing[0])
    if countries.code_of(text["country"]) is None:
        raise PartnerImportError("validation.not_a_country", field="country",
                                 value=text["country"][:80])  # fmt: skip
    scope = text.get("scope") or "international"
    if scope not in ("international", "domestic"):
        raise _not_one_of("scope", scope, [s.value for s in Scope])
    partner = PartnerIn(
        name=text["name"],
        country=text["country"],
        scope=Scope(scope),
        **{f: text.get(f) or None for f in ("name_latin", "city", "website", "emails", "phones")},
    )
    kind = text.get("agreement_kind")
    if not kind:
        return ImportLine(partner)
    if kind not in AGREEMENT_KINDS:
        raise _not_one_of("agreement_kind", kind, AGREEMENT_KINDS)
    signed_on = _date(row.get("signed_on"), "signed_on")
    valid_from = _date(row.get("valid_from"), "valid_from") or signed_on
    if valid_from is None:
        raise PartnerImportError("partners.valid_from_required", field="valid_from")
    valid_to = _date(row.get("valid_to"), "valid_to")
    _check_period(valid_from, valid_to)
    return ImportLine(
        partner, kind, text.get("agreement_number") or None, signed_on, valid_from, valid_to
    )


def export_rows(session: Session) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    partners = session.scalars(select(PartnerRow).order_by(PartnerRow.country, PartnerRow.name))
    for p in partners:
        agreements: list[AgreementRow | None] = list(
            session.scalars(select(AgreementRow).where(AgreementRow.partner_id == p.id))
        ) or [None]
        for a in agreements:
            rows.append({
                "name": p.name, "name_latin": p.name_latin, "country": p.country,
                "city": p.city, "website": p.website, "emails": p.emails, "phones": p.phones,
                "scope": p.scope, "agreement_kind": a.kind if a else None,
                "agreement_number": a.number if a else None,
                "signed_on": a.signed_on if a else None, "valid_from": a.valid_from if a else None,
                "valid_to": a.valid_to if a else None,
            })  # fmt: skip
    return rows


def export_csv(session: Session) -> bytes:
    rows = export_rows(session)
    return exports.csv_bytes(COLUMNS, ([row[c] for c in COLUMNS] for row in rows))


def export_xlsx(session: Session) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Partners"
    exports.append_row(sheet, COLUMNS)
    for row in export_rows(session):
        exports.append_row(sheet, [row[c] for c in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


_NUMBERED = re.compile(r"^\s*(\d{1,3})\s*\.\s*(.+?)\s*$")
_COUNTRY = re.compile(r"\(([^()]+)\)\s*$")


def parse_partner_list(text: str) -> list[tuple[str, str]]:
    """(name, country) from a numbered list like seed 002's: "2. Кастамону Университети
    (Түркия)", continuation lines joined; no country in brackets → Кыргызстан (domestic)."""
    items: list[str] = []
    for line in text.splitlines():
        match = _NUMBERED.match(line)
        if match:
            items.append(match.group(2))
        elif (
            items
            and line.strip()
            and not line.strip()[0].isdigit()
            and len(items[-1]) < 90
            and not _COUNTRY.search(items[-1])
        ):
            items[-1] = f"{items[-1]} {line.strip()}"
    result = []
    for item in items:
        country = _COUNTRY.search(item)
        name = _COUNTRY.sub("", item).strip(" .")
        result.append((name, country.group(1).strip() if country else "Кыргызстан"))
    return result
