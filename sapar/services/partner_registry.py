"""The partner registry (5.3, 5.4) as staff read and keep it: open to every logged-in user,
edited by ЭАБД, imported by ЭАБД and the admin. The rows, the import and the export are
`partners`'."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from states import roles
from states.machine import NotPermitted
from states.model import CaseKind
from states.quotas import PLACED_STATES, quota_type_of
from storage import countries
from storage.orm import AgreementRow, CaseRow, PartnerRow, QuotaRow
from storage.uow import UnitOfWork

from . import partners
from .users import User


@dataclass(frozen=True)
class AgreementLine:
    id: int
    kind: str
    number: str | None
    valid_from: date
    valid_to: date | None

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)


@dataclass(frozen=True)
class QuotaLine:
    academic_year: str
    participant_type: str
    places: int
    used: int


@dataclass(frozen=True)
class PartnerLine:
    id: int
    name: str
    name_latin: str | None
    country: str
    city: str | None
    website: str | None
    emails: str | None
    phones: str | None
    scope: str
    agreements: list[AgreementLine] = field(default_factory=list)
    quotas: list[QuotaLine] = field(default_factory=list)


def _quota_used(engine: Engine) -> Counter[tuple[int, str, str]]:
    """Places used per (partner, academic year, participant type): cases from the order on."""
    used: Counter[tuple[int, str, str]] = Counter()
    with UnitOfWork(engine, read_only=True) as uow:
        rows = uow.session.execute(
            select(CaseRow.partner_id, CaseRow.academic_year, CaseRow.kind, func.count())
            .where(CaseRow.partner_id.is_not(None), CaseRow.state.in_(PLACED_STATES))
            .group_by(CaseRow.partner_id, CaseRow.academic_year, CaseRow.kind)
        ).all()
    for partner_id, year, kind, n in rows:
        if partner_id is not None:
            used[(partner_id, str(year), quota_type_of(CaseKind(kind)).value)] += int(n)
    return used


PARTNER_PAGE = 100


def registry_page(
    engine: Engine,
    *,
    user: User,
    country: str | None = None,
    agreement_kind: str | None = None,
    page: int = 1,
) -> tuple[list[PartnerLine], bool]:
    """One page (PARTNER_PAGE partners) of the registry, open to every logged-in user;
    filtered by country and agreement kind. Returns the page and whether more follow."""
    query = (
        select(PartnerRow)
        .order_by(PartnerRow.country, PartnerRow.name, PartnerRow.id)
        .limit(PARTNER_PAGE + 1)
        .offset((page - 1) * PARTNER_PAGE)
    )
    if country:
        # The code, or a name of it in any language we know ("Kazakhstan", "Казахстан").
        query = query.where(PartnerRow.country == (countries.code_of(country) or country))
    if agreement_kind:
        query = query.where(
            PartnerRow.id.in_(
                select(AgreementRow.partner_id).where(AgreementRow.kind == agreement_kind)
            )
        )
    used = _quota_used(engine)
    with UnitOfWork(engine, read_only=True) as uow:
        rows = list(uow.session.scalars(query))
        more = len(rows) > PARTNER_PAGE
        return _lines(uow.session, rows[:PARTNER_PAGE], used), more


def partner(engine: Engine, *, user: User, partner_id: int) -> PartnerLine:
    """One partner of the registry with its agreements and quotas (places used counted)."""
    used = _quota_used(engine)
    with UnitOfWork(engine, read_only=True) as uow:
        row = uow.session.get(PartnerRow, partner_id)
        if row is None:
            raise partners.PartnerNotFound(f"partner #{partner_id} does not exist")
        return _lines(uow.session, [row], used)[0]


def _lines(
    session: Session, rows: list[PartnerRow], used: Counter[tuple[int, str, str]]
) -> list[PartnerLine]:
    """The partners with their agreements and quotas: two queries, whatever the page size."""
    ids = [r.id for r in rows]
    agreements: dict[int, list[AgreementLine]] = {i: [] for i in ids}
    for a in session.scalars(
        select(AgreementRow)
        .where(AgreementRow.partner_id.in_(ids))
        .order_by(AgreementRow.valid_from)
    ):
        agreements[a.partner_id].append(
            AgreementLine(a.id, a.kind, a.number, a.valid_from, a.valid_to)
        )
    quotas: dict[int, list[QuotaLine]] = {i: [] for i in ids}
    for q in session.scalars(
        select(QuotaRow)
        .where(QuotaRow.partner_id.in_(ids))
        .order_by(QuotaRow.academic_year, QuotaRow.participant_type)
    ):
        key = (q.partner_id, q.academic_year, q.participant_type)
        quotas[q.partner_id].append(
            QuotaLine(q.academic_year, q.participant_type, q.places, used[key])
        )
    return [
        PartnerLine(
            r.id, r.name, r.name_latin, r.country, r.city, r.website, r.emails, r.phones,
            r.scope, agreements[r.id], quotas[r.id],
        )
        for r in rows
    ]  # fmt: skip


def partner_countries(engine: Engine) -> list[str]:
    with UnitOfWork(engine, read_only=True) as uow:
        return list(
            uow.session.scalars(select(PartnerRow.country).distinct().order_by(PartnerRow.country))
        )


def check_can_edit_partners(user: User) -> None:
    if user.role not in roles.PARTNER_EDITORS:
        raise NotPermitted(
            f"a {user.role.value} account does not edit the partner registry",
            "not_registry_editor",
            role=user.role,
        )


def check_can_import_partners(user: User) -> None:
    if user.role not in roles.PARTNER_IMPORTERS:
        raise NotPermitted(
            f"a {user.role.value} account does not import partners", "not_importer", role=user.role
        )


def export_partners(engine: Engine, *, user: User, fmt: str) -> bytes:
    with UnitOfWork(engine, read_only=True) as uow:
        if fmt == "xlsx":
            return partners.export_xlsx(uow.session)
        return partners.export_csv(uow.session)


def save_partner(
    engine: Engine, *, user: User, partner_id: int | None, data: partners.PartnerIn
) -> int:
    """Add a partner (partner_id None) or change one; the registry's name+country stay unique."""
    check_can_edit_partners(user)
    with UnitOfWork(engine) as uow:
        if partner_id is None:
            found = partners.add_partner(uow.session, data)
        else:
            row = uow.session.get(PartnerRow, partner_id)
            if row is None:
                raise partners.PartnerNotFound(f"partner #{partner_id} does not exist")
            # The registry's name+country stay unique: refused by field, not by the database.
            other = uow.session.scalar(
                select(PartnerRow.id).where(
                    PartnerRow.name == data.name,
                    PartnerRow.country == data.country,
                    PartnerRow.id != partner_id,
                )
            )
            if other is not None:
                raise partners.PartnerImportError("partners.name_taken", field="name", id=other)
            for key, value in vars(data).items():
                setattr(row, key, value.value if key == "scope" else value)
            found = row.id
        uow.commit()
        return found


def add_agreement(
    engine: Engine,
    *,
    user: User,
    partner_id: int,
    kind: str,
    valid_from: date,
    valid_to: date | None,
    number: str | None,
) -> int:
    check_can_edit_partners(user)
    with UnitOfWork(engine) as uow:
        if uow.session.get(PartnerRow, partner_id) is None:
            raise partners.PartnerNotFound(f"partner #{partner_id} does not exist")
        found = partners.write_agreement(
            uow.session,
            partner_id=partner_id,
            kind=kind,
            valid_from=valid_from,
            valid_to=valid_to,
            number=number,
        )
        uow.commit()
        return found


def set_quota(
    engine: Engine,
    *,
    user: User,
    partner_id: int,
    academic_year: str,
    participant_type: str,
    places: int,
) -> None:
    check_can_edit_partners(user)
    with UnitOfWork(engine) as uow:
        if uow.session.get(PartnerRow, partner_id) is None:
            raise partners.PartnerNotFound(f"partner #{partner_id} does not exist")
        partners.write_quota(
            uow.session,
            partner_id=partner_id,
            academic_year=academic_year,
            participant_type=participant_type,
            places=places,
        )
        uow.commit()
