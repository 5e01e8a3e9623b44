"""Correcting a case's data: the offices that own the case fix what was typed wrong.

One correction is one transaction: the optimistic lock on the case version, the fields the
case's state still allows, the kind's required particulars, a history event with each
field's value before and after, and the papers blocked for want of data put back in the
queue. Papers already issued that print a corrected value are named, so the clerk can ask
for the corrected reissue (a new version under the same number)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import Field, ValidationError, field_validator
from sqlalchemy import Engine, select, update

from sapar import clock
from sapar.officials import OfficialsMissing
from states import roles
from states.dossier import DocumentKind, Origin
from states.machine import NotPermitted
from states.model import Case, CaseKind
from states.numbering import placeholder_number
from storage import audit
from storage.orm import AuditOutcome, CaseRow, DocumentRow
from storage.repository import ConcurrencyConflict
from storage.uow import UnitOfWork

from . import access
from .contexts import build_context
from .contexts.dossier import Issue, load_dossier
from .officials import load_officials
from .outbox import unblock_case
from .schemas import (
    CaseIn,
    Day,
    Particulars,
    _missing_many,
    country_code,
    required_particulars,
)
from .users import User


class CaseEditIn(Particulars):
    """A correction of a case: only the fields sent change. Which fields the case's state
    still allows: see `editable_fields`."""

    expected_version: int = Field(ge=0, description="The version of the case you corrected")
    host_institution: str | None = Field(None, min_length=2, max_length=300)
    host_country: str | None = Field(None, min_length=2, max_length=80)
    host_city: str | None = Field(None, max_length=120)
    programme: str | None = Field(None, max_length=120)
    purpose: str | None = Field(None, min_length=2, max_length=300)
    start_date: Day | None = None
    end_date: Day | None = None
    department: str | None = Field(None, max_length=120)
    partner_id: int | None = Field(None, ge=1)
    competitive: bool | None = None
    language_certificate_required: bool | None = None

    @field_validator("host_country")
    @classmethod
    def _known_country(cls, value: str | None) -> str | None:
        return country_code(value)


# What the order (1.4) fixes: the host and the dates, what they rest on and who pays.
FIXED_BY_THE_ORDER = frozenset(
    {"host_institution", "host_country", "start_date", "end_date", "partner_id", "competitive",
     "language_certificate_required"}
)  # fmt: skip
_BEFORE_THE_ORDER = {
    CaseKind.outgoing_student_long: {"application", "nominated", "invited"},
    CaseKind.outgoing_student_short: {"application", "nominated", "invited"},
    CaseKind.outgoing_staff: {
        "application", "head_approved", "dean_approved", "project_lead_approved",
        "vice_rector_approved", "invited",
    },
    CaseKind.incoming_student: {"nominated", "accepted"},
    CaseKind.incoming_staff: {"nominated", "accepted"},
}  # fmt: skip
ALL_FIELDS = tuple(f for f in CaseEditIn.model_fields if f != "expected_version")


def editable_fields(case: Case) -> tuple[str, ...]:
    """The fields a correction may change in the case's state: none once it is finished; the
    host, the dates and the basis only before the order (or a guest's enrolment)."""
    if case.is_terminal:
        return ()
    if case.state in _BEFORE_THE_ORDER[case.kind]:
        return ALL_FIELDS
    return tuple(f for f in ALL_FIELDS if f not in FIXED_BY_THE_ORDER)


def check_can_correct(user: User, case: Case) -> None:
    access.check_can_see(user, case)
    if user.role not in roles.OPENERS:
        raise NotPermitted(
            f"a {user.role.value} account does not correct cases: the offices that open them do",
            "not_corrector",
            role=user.role,
        )


@dataclass(frozen=True)
class Corrected:
    case_id: int
    version: int
    changes: dict[str, tuple[Any, Any]]
    # Papers already issued whose text the correction changes: offer their reissue.
    reissue: list[DocumentKind]


def correct_case(
    engine: Engine, *, user: User, case_id: int, data: CaseEditIn, today: date | None = None
) -> Corrected:
    today = today or clock.today()
    sent = data.model_dump(exclude={"expected_version"}, exclude_unset=True)
    with UnitOfWork(engine) as uow:
        case = uow.cases.get(case_id)
        check_can_correct(user, case)
        if case.version != data.expected_version:
            raise ConcurrencyConflict(case_id, case.version, data.expected_version)
        allowed = editable_fields(case)
        locked = [f for f in sent if f not in allowed]
        if locked:
            why = (
                "the case is finished" if case.is_terminal
                else "the order fixed it (1.4): withdraw or cancel the case and open a new one"
            )  # fmt: skip
            raise _missing_many([(f, f"cannot be corrected now: {why}") for f in locked])
        changes = {f: (getattr(case, f), v) for f, v in sent.items() if getattr(case, f) != v}
        if not changes:
            return Corrected(case_id, case.version, {}, [])
        before = _contexts(uow, case, today)
        for name, (_, value) in changes.items():
            setattr(case, name, value)
        _check_whole(case)
        after = _contexts(uow, case, today)
        result = uow.session.execute(
            update(CaseRow)
            .where(CaseRow.id == case_id, CaseRow.version == data.expected_version)
            .values(
                **{f: v for f, (_, v) in changes.items()},
                version=case.version + 1,
                updated_at=clock.now(),
            )
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise ConcurrencyConflict(case_id, case.version + 1, data.expected_version)
        reissue = [k for k in before if before[k] != after.get(k)]
        audit.append(
            uow.session,
            case_id=case_id,
            actor=user.actor.name,
            role=user.role.value,
            event="correct",
            outcome=AuditOutcome.applied,
            from_state=case.state,
            to_state=case.state,
            data={
                "changes": {f: {"before": b, "after": a} for f, (b, a) in changes.items()},
                "reissue_offered": [k.value for k in reissue],
            },
        )
        unblock_case(uow.session, case_id)
        uow.commit()
    return Corrected(case_id, data.expected_version + 1, changes, reissue)


def _check_whole(case: Case) -> None:
    """The corrected case must still be one the kind allows: dates in order, the kind's
    required particulars present, and the same kind (long/short follows the dates)."""
    problems: list[tuple[str, str]] = []
    if case.end_date < case.start_date:
        problems.append(("end_date", f"the mobility ends ({case.end_date}) before it starts"))
    for name, why in required_particulars(case.kind, case.funding_source).items():
        if getattr(case, name) in (None, ""):
            problems.append((name, f"required: {why}"))
    if case.kind.is_outgoing_student:
        probe = CaseIn.model_construct(start_date=case.start_date, end_date=case.end_date,
                                       direction="outgoing")  # fmt: skip
        if probe.kind_for(case.participant.kind) is not case.kind:
            problems.append(("end_date", "the new dates make it another kind of stay (1.3.5): "
                             "withdraw the case and open a new one"))  # fmt: skip
    if problems:
        raise _missing_many(problems)


def _contexts(uow: UnitOfWork, case: Case, today: date) -> dict[DocumentKind, Any]:
    """The context of each paper already issued for the case, as it would print now."""
    assert case.id is not None
    issued = set(
        uow.session.scalars(
            select(DocumentRow.doc_type).where(
                DocumentRow.case_id == case.id, DocumentRow.origin == Origin.generated
            )
        )
    )
    dossier = load_dossier(uow.session, case)
    officials = load_officials(uow.session)  # an empty registry prints no paper at all
    out: dict[DocumentKind, Any] = {}
    for value in sorted(issued):
        kind = DocumentKind(value)
        issue = Issue(placeholder_number(kind), today, officials, "sapar", "-")
        try:
            out[kind] = build_context(kind, [dossier], issue)
        except (ValidationError, OfficialsMissing, KeyError, ValueError):
            out[kind] = None
    return out
