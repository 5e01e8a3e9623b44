"""The partner registry (5.3, 5.4): institutions, agreements and quotas, imported and exported.

`partner_facts` is what the guards see of it when a case takes a step.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from openpyxl import Workbook, load_workbook
from sqlalchemy import Engine, func, or_, select
from sqlalchemy.orm import Session

from states.guards import PartnerFacts
from states.model import Case, CaseKind, Scope, quota_type_of
from storage.orm import AgreementRow, CaseRow, PartnerRow, QuotaRow
from storage.repository import academic_year_of
from storage.uow import UnitOfWork

# States a case is in once its order was issued (or a guest accepted): they use a place.
PLACED_STATES = frozenset(
    {"ordered", "abroad", "returned", "recognition", "reported", "closed", "accepted",
     "enrolled", "at_oshsu", "transcript_issued"}
)  # fmt: skip
AGREEMENT_KINDS = (
    "bilateral", "memorandum", "erasmus_plus", "mevlana", "daad", "itec", "sco_university",
    "orhun", "osh_declaration", "other",
)  # fmt: skip
COLUMNS = (
    "name", "name_latin", "country", "city", "website", "emails", "phones", "scope",
    "agreement_kind", "agreement_number", "signed_on", "valid_from", "valid_to",
)  # fmt: skip


class PartnerImportError(ValueError):
    pass


def partner_facts(session: Session, case: Case) -> PartnerFacts | None:
    """The registry as it stands for this case; locks the quota row so two orders cannot
    both take the last place. Three statements at most: the partner with the kinds of its
    agreements covering the stay, the quota row locked, the places used counted after the
    lock (so the count sees an order committed while this one waited)."""
    if case.partner_id is None:
        return None
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
        select(PartnerRow.id, PartnerRow.name, covering_kinds).where(
            PartnerRow.id == case.partner_id
        )
    ).first()
    if found is None:
        return None
    partner_id, name, covering_text = found
    covering = covering_text.split(",") if covering_text else []
    year = academic_year_of(case.start_date)
    qtype = quota_type_of(case.kind)
    quota = session.scalars(
        select(QuotaRow)
        .where(
            QuotaRow.partner_id == partner_id,
            QuotaRow.academic_year == year,
            QuotaRow.participant_type == qtype.value,
        )
        .with_for_update()
    ).first()
    used = 0
    if quota is not None:
        kinds = [k.value for k in CaseKind if quota_type_of(k) is qtype]
        used = (
            session.scalar(
                select(func.count())
                .select_from(CaseRow)
                .where(
                    CaseRow.partner_id == partner_id,
                    CaseRow.academic_year == year,
                    CaseRow.kind.in_(kinds),
                    CaseRow.state.in_(PLACED_STATES),
                    CaseRow.id != case.id,
                )
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


def add_partner(session: Session, p: PartnerIn) -> int:
    """Add the partner, or return the one already registered under that name and country."""
    found = session.scalar(
        select(PartnerRow.id).where(PartnerRow.name == p.name, PartnerRow.country == p.country)
    )
    if found is not None:
        return found
    row = PartnerRow(**{**vars(p), "scope": p.scope.value}, created_at=datetime.now(UTC))
    session.add(row)
    session.flush()
    return row.id


def add_agreement(
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
        raise PartnerImportError(f"agreement_kind: '{kind}' is not one of {AGREEMENT_KINDS}")
    if valid_to is not None and valid_to < valid_from:
        raise PartnerImportError(f"valid_to: {valid_to} is before valid_from {valid_from}")
    row = AgreementRow(
        partner_id=partner_id, kind=kind, valid_from=valid_from, valid_to=valid_to,
        number=number, signed_on=signed_on, title=title,
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row.id


def set_quota(
    session: Session, *, partner_id: int, academic_year: str, participant_type: str, places: int
) -> None:
    if places < 0:
        raise PartnerImportError(f"places: {places} is negative")
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


# --- import and export ---------------------------------------------------------------------


def _date(value: object, field: str, line: int) -> date | None:
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
            f"line {line}: {field}: '{value}' is not a date (YYYY-MM-DD)"
        ) from None


def _rows_of(filename: str, content: bytes) -> Iterable[dict[str, object]]:
    if filename.lower().endswith(".xlsx"):
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        if sheet is None:
            raise PartnerImportError("the workbook has no sheet")
        rows = sheet.iter_rows(values_only=True)
        header = [str(h or "").strip() for h in next(rows, ())]
        for values in rows:
            yield dict(zip(header, values, strict=False))
    elif filename.lower().endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise PartnerImportError(f"the CSV is not UTF-8: {exc}") from exc
        yield from csv.DictReader(io.StringIO(text))
    else:
        raise PartnerImportError(f"'{filename}' is neither a .csv nor an .xlsx file")


def import_partners(engine: Engine, *, filename: str, content: bytes) -> int:
    """Import partners (and their agreements) from CSV/XLSX with the COLUMNS header.

    All or nothing: a bad line refuses the whole file, naming the line and the field."""
    count = 0
    with UnitOfWork(engine) as uow:
        for line, raw in enumerate(_rows_of(filename, content), start=2):
            row = {k: (str(v).strip() if v is not None else "") for k, v in raw.items() if k}
            if any(row.values()):
                try:
                    _import_line(uow.session, row, raw, line)
                except PartnerImportError as exc:
                    raise PartnerImportError(f"line {line}: {exc}") from None
                count += 1
        uow.commit()
    return count


def _import_line(session: Session, row: dict[str, str], raw: dict[str, object], line: int) -> None:
    missing = [f for f in ("name", "country") if not row.get(f)]
    if missing:
        raise PartnerImportError(f"{missing[0]}: required")
    scope = row.get("scope") or "international"
    if scope not in ("international", "domestic"):
        raise PartnerImportError(f"scope: '{scope}' is not international or domestic")
    partner = PartnerIn(
        name=row["name"],
        country=row["country"],
        scope=Scope(scope),
        **{f: row.get(f) or None for f in ("name_latin", "city", "website", "emails", "phones")},
    )
    pid = add_partner(session, partner)
    if not row.get("agreement_kind"):
        return
    valid_from = _date(raw.get("valid_from") or raw.get("signed_on"), "valid_from", line)
    if valid_from is None:
        raise PartnerImportError("valid_from: required with an agreement")
    add_agreement(
        session,
        partner_id=pid,
        kind=row["agreement_kind"],
        valid_from=valid_from,
        valid_to=_date(raw.get("valid_to"), "valid_to", line),
        number=row.get("agreement_number") or None,
        signed_on=_date(raw.get("signed_on"), "signed_on", line),
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
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for row in export_rows(session):
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return out.getvalue().encode("utf-8-sig")


def export_xlsx(session: Session) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Partners"
    sheet.append(list(COLUMNS))
    for row in export_rows(session):
        sheet.append([row[c] for c in COLUMNS])
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
