"""The case repository: domain objects in, domain objects out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Text, bindparam, cast, func, or_, select, update
from sqlalchemy.orm import Session

from sapar import clock
from states.grades import RecognitionOutcome
from states.model import (
    TERMINAL_STATES,
    Basis,
    Case,
    CaseKind,
    DeadlineStatus,
    FundingBasis,
    FundingSource,
    Level,
    Participant,
    ParticipantKind,
    Scope,
)
from states.periods import academic_year_of
from storage.audit import CaseNotFound, Head
from storage.orm import (
    AgreementRow,
    CaseRow,
    DeadlineRow,
    DocumentRow,
    OfficialRow,
    ParticipantRow,
    PartnerRow,
)

__all__ = ["CaseNotFound", "CaseRepository", "ConcurrencyConflict", "StepRead"]

# The columns of an official, in the order `_officials_json` lists them.
OFFICIAL_FIELDS = (
    "id", "post", "unit", "full_name", "titles", "email", "phone", "valid_from", "valid_to",
)  # fmt: skip


@dataclass(frozen=True)
class StepRead:
    """What the first statement of a step reads (CaseRepository.get_for_step)."""

    case: Case
    head: Head
    documents: frozenset[str]  # the types of the papers in the file
    partner: tuple[str, tuple[str, ...]] | None  # its name, the kinds of covering agreements
    officials: str | None  # the registry as a JSON array of OFFICIAL_FIELDS rows, if asked


def _officials_json(dialect: str) -> Any:
    """The whole registry of officials (a few hundred rows at most) as one JSON text: an
    array of [id, post, unit, full_name, titles, email, phone, valid_from, valid_to]."""
    o = OfficialRow
    if dialect == "postgresql":
        fields = [getattr(o, f) for f in OFFICIAL_FIELDS]
        agg: Any = cast(func.json_agg(func.json_build_array(*fields)), Text)
    else:  # SQLite keeps JSON as text: json() embeds it as JSON, not as a string
        fields = [func.json(o.titles) if f == "titles" else getattr(o, f) for f in OFFICIAL_FIELDS]
        agg = func.json_group_array(func.json_array(*fields))
    return select(agg).scalar_subquery()


# A step's statements are built once (per variant) and run with their parameters: building
# a select with its subqueries, and its cache key, cost more than a step's own rules.


@cache
def _step_query(officials_dialect: str | None) -> Any:
    """CaseRepository.get_for_step's statement; with the officials as the dialect says."""
    doc_types = (
        select(func.aggregate_strings(DocumentRow.doc_type, ","))
        .where(DocumentRow.case_id == CaseRow.id)
        .scalar_subquery()
    )
    partner_name = (
        select(PartnerRow.name).where(PartnerRow.id == CaseRow.partner_id).scalar_subquery()
    )
    # The kinds of the partner's agreements that cover the whole stay (5.3).
    covering = (
        select(func.aggregate_strings(AgreementRow.kind, ","))
        .where(
            AgreementRow.partner_id == CaseRow.partner_id,
            AgreementRow.valid_from <= CaseRow.start_date,
            or_(AgreementRow.valid_to.is_(None), AgreementRow.valid_to >= CaseRow.end_date),
        )
        .scalar_subquery()
    )
    columns: list[Any] = [CaseRow, ParticipantRow, doc_types, partner_name, covering]
    if officials_dialect is not None:
        columns.append(_officials_json(officials_dialect))
    return (
        select(*columns)
        .join(ParticipantRow, ParticipantRow.id == CaseRow.participant_id)
        .where(CaseRow.id == bindparam("case_id"))
        .with_for_update(of=CaseRow)
    )


@cache
def _save_state(also: frozenset[str]) -> Any:
    """CaseRepository.save_state's UPDATE, also writing the columns named in `also`."""
    columns = ["state", "version", "actual_end_date", "failed_credits", "outcome", "updated_at"]
    return (
        update(CaseRow)
        .where(CaseRow.id == bindparam("case_id"), CaseRow.version == bindparam("expected_version"))
        # The parameters are named new_<column>: a column's own name is reserved for its SET.
        .values({c: bindparam(f"new_{c}") for c in [*columns, *sorted(also)]})
        .execution_options(synchronize_session=False)
    )


class ConcurrencyConflict(Exception):
    """Someone else changed the case since it was read.

    `key` and `values` name the message in the interface's catalogue (sapar/i18n.py), so
    the web and the API say it in the user's language; str() is the English text the
    history keeps."""

    def __init__(self, case_id: int, version: int, expected: int) -> None:
        self.key = "conflict.version"
        self.values: dict[str, object] = {
            "case_id": case_id,
            "version": version,
            "expected": expected,
        }
        super().__init__(
            f"case #{case_id} is at version {version}, not {expected}: someone else changed "
            "it meanwhile; reload the case and try again"
        )


_PARTICIPANT_FIELDS = [
    "full_name",
    "faculty",
    "department",
    "year",
    "semester",
    "gpa",
    "tuition_debt",
    "position",
    "home_institution",
    "citizenship",
    "email",
    "phone",
    "specialty",
    "group_name",
    "university_id",
    "pin",
    "full_name_latin",
    "gender",
    "birth_date",
    "study_language",
    "passport_number",
    "address",
    "parent_full_name",
    "parent_relation",
    "parent_passport",
    "parent_address",
    "parent_phone",
    "version",
]
PERSON_FIELDS = tuple(f for f in _PARTICIPANT_FIELDS if f != "version")
"""The plain columns of a person's record (besides kind, level, funding basis, id, version)."""
_CASE_FIELDS = [
    "state",
    "host_institution",
    "host_country",
    "host_city",
    "programme",
    "partner_id",
    "purpose",
    "competitive",
    "language_certificate_required",
    "faculty",
    "department",
    "start_date",
    "end_date",
    "actual_end_date",
    "failed_credits",
    "host_language",
    "language_level",
    "substitute",
    "project",
    "host_contact",
    "host_contact_position",
    "coordinator",
    "home_country",
    "version",
]
PARTICULARS = (
    "host_language",
    "language_level",
    "substitute",
    "project",
    "host_contact",
    "host_contact_position",
    "coordinator",
    "home_country",
)


def participant_from_row(row: ParticipantRow | SimpleNamespace) -> Participant:
    return Participant(
        id=row.id,
        kind=ParticipantKind(row.kind),
        level=Level(row.level) if row.level else None,
        funding_basis=FundingBasis(row.funding_basis) if row.funding_basis else None,
        **{f: getattr(row, f) for f in _PARTICIPANT_FIELDS},
    )


def case_from_rows(
    row: CaseRow | SimpleNamespace, participant: ParticipantRow | SimpleNamespace
) -> Case:
    return Case(
        id=row.id,
        kind=CaseKind(row.kind),
        participant=participant_from_row(participant),
        scope=Scope(row.scope),
        basis=Basis(row.basis),
        funding_source=FundingSource(row.funding_source),
        outcome=RecognitionOutcome(row.outcome) if row.outcome else None,
        **{f: getattr(row, f) for f in _CASE_FIELDS},
    )


# What case_from_rows reads of each row.
_PARTICIPANT_COLUMNS = ("id", "kind", "level", "funding_basis", *_PARTICIPANT_FIELDS)
_CASE_COLUMNS = ("id", "kind", "scope", "basis", "funding_source", "outcome", *_CASE_FIELDS)


class CaseRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add_participant(self, p: Participant) -> int:
        row = ParticipantRow(
            kind=p.kind.value,
            level=p.level.value if p.level else None,
            funding_basis=p.funding_basis.value if p.funding_basis else None,
            created_at=clock.now(),
            **{f: getattr(p, f) for f in _PARTICIPANT_FIELDS},
        )
        self.session.add(row)
        self.session.flush()
        p.id = row.id
        return row.id

    def add(self, case: Case) -> int:
        if case.participant.id is None:
            self.add_participant(case.participant)
        assert case.participant.id is not None
        now = clock.now()
        row = CaseRow(
            kind=case.kind.value,
            participant_id=case.participant.id,
            scope=case.scope.value,
            basis=case.basis.value,
            funding_source=case.funding_source.value,
            outcome=case.outcome.value if case.outcome else None,
            academic_year=academic_year_of(case.start_date),
            created_at=now,
            updated_at=now,
            **{f: getattr(case, f) for f in _CASE_FIELDS},
        )
        self.session.add(row)
        self.session.flush()
        case.id = row.id
        return row.id

    def get(self, case_id: int) -> Case:
        found = self.session.execute(
            select(CaseRow, ParticipantRow)
            .join(ParticipantRow, ParticipantRow.id == CaseRow.participant_id)
            .where(CaseRow.id == case_id)
        ).first()
        if found is None:
            raise CaseNotFound(f"case #{case_id} does not exist")
        return case_from_rows(found[0], found[1])

    def get_for_step(self, case_id: int, *, officials: bool = False) -> StepRead:
        """The case locked for a step (until the transaction ends), its audit chain head,
        the types of the papers in its file, its partner as the guards see it and, asked
        for, the registry of officials (as JSON text) — one statement, the first of every
        step. What the step reads besides (the quota, locked, and the places counted after
        the lock) cannot ride along: the count must see orders committed while it waited."""
        dialect = self.session.get_bind().dialect.name
        found = self.session.execute(
            _step_query(dialect if officials else None), {"case_id": case_id}
        ).first()
        if found is None:
            raise CaseNotFound(f"case #{case_id} does not exist")
        row, participant, types, name, kinds = found[:5]
        return StepRead(
            case=case_from_rows(row, participant),
            head=Head(row.audit_seq, row.audit_hash),
            documents=frozenset(types.split(",")) if types else frozenset(),
            partner=(name, tuple(kinds.split(",")) if kinds else ()) if name is not None else None,
            officials=(found[5] or "[]") if officials else None,
        )

    def get_many(self, case_ids: list[int]) -> list[Case]:
        """The cases in the order asked for, in one query. Of the columns the domain objects
        hold, not of ORM objects: a group order reads a thousand cases, and building (then
        collecting) two thousand ORM objects cost more than the query itself."""
        c, p = CaseRow.__table__.c, ParticipantRow.__table__.c
        n = len(_CASE_COLUMNS)
        query = (
            select(*(c[k] for k in _CASE_COLUMNS), *(p[k] for k in _PARTICIPANT_COLUMNS))
            .join_from(CaseRow, ParticipantRow, p.id == c.participant_id)
            .where(c.id.in_(case_ids))
        )
        found = {}
        for r in self.session.execute(query):
            case = SimpleNamespace(**dict(zip(_CASE_COLUMNS, r[:n], strict=True)))
            person = SimpleNamespace(**dict(zip(_PARTICIPANT_COLUMNS, r[n:], strict=True)))
            found[case.id] = case_from_rows(case, person)
        missing = [i for i in case_ids if i not in found]
        if missing:
            raise CaseNotFound(f"cases {missing} do not exist")
        return [found[i] for i in case_ids]

    def save_state(
        self, case: Case, *, expected_version: int, also: dict[str, Any] | None = None
    ) -> None:
        """Write the case's state and outcome if nobody changed it since `expected_version`.

        The version check and the write are one UPDATE, so of two clerks firing at once
        exactly one matches; the other gets ConcurrencyConflict and its transaction rolls back.
        """
        assert case.id is not None
        also = also or {}  # e.g. the audit chain's new head, in the same statement
        result = self.session.execute(
            _save_state(frozenset(also)),
            {
                "case_id": case.id,
                "expected_version": expected_version,
                "new_state": case.state,
                "new_version": expected_version + 1,
                "new_actual_end_date": case.actual_end_date,
                "new_failed_credits": case.failed_credits,
                "new_outcome": case.outcome.value if case.outcome else None,
                "new_updated_at": clock.now(),
                **{f"new_{c}": v for c, v in also.items()},
            },
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise ConcurrencyConflict(case.id, expected_version + 1, expected_version)
        case.version = expected_version + 1

    def document_types(self, case_id: int) -> frozenset[str]:
        return frozenset(
            self.session.scalars(
                select(DocumentRow.doc_type).where(DocumentRow.case_id == case_id).distinct()
            )
        )

    def unfinished_cases(
        self, participant_id: int, *, besides: int | None = None
    ) -> tuple[int, ...]:
        q = select(CaseRow.id).where(
            CaseRow.participant_id == participant_id, CaseRow.state.not_in(TERMINAL_STATES)
        )
        if besides is not None:
            q = q.where(CaseRow.id != besides)
        return tuple(self.session.scalars(q.order_by(CaseRow.id)))

    def open_deadline(self, case_id: int, kind: str, due: date) -> None:
        self.close_deadline(
            case_id, kind, status=DeadlineStatus.void
        )  # a re-opened duty replaces the old
        self.session.add(
            DeadlineRow(
                case_id=case_id,
                kind=kind,
                due_date=due,
                status=DeadlineStatus.open,
                opened_at=clock.now(),
            )
        )

    def close_deadline(
        self, case_id: int, kind: str, *, status: DeadlineStatus = DeadlineStatus.met
    ) -> None:
        q = update(DeadlineRow).where(
            DeadlineRow.case_id == case_id,
            DeadlineRow.status.in_((DeadlineStatus.open, DeadlineStatus.overdue)),
        )
        if kind != "*":
            q = q.where(DeadlineRow.kind == kind)
        else:
            # Closing the case ends what is left, but a duty nobody fulfilled was not met:
            # an open one lapses (void), an overdue one stays overdue in the statistics.
            q = q.where(DeadlineRow.status == DeadlineStatus.open)
            status = DeadlineStatus.void
        self.session.execute(
            q.values(status=status, closed_at=clock.now()).execution_options(
                synchronize_session=False
            )
        )

    def deadlines(self, case_id: int) -> list[DeadlineRow]:
        return list(
            self.session.scalars(
                select(DeadlineRow).where(DeadlineRow.case_id == case_id).order_by(DeadlineRow.id)
            )
        )
