"""The work waiting in a user's scope, for their landing page (issue 13.2): the cases waiting
for a step of their role (oldest first, each with what is missing), the cases waiting for
someone else (with who acts next), and the deadlines falling due within a week and a month."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import ColumnElement, Engine, and_, false, func, or_, select

from sapar import clock
from states import guards as g
from states.kinds import DEFINITIONS
from states.model import TERMINAL_STATES, CaseKind, DeadlineStatus, Role
from storage.orm import CaseRow, DeadlineRow, ParticipantRow
from storage.uow import UnitOfWork

from . import access
from .steps import NextStep, facts, forward_steps, next_steps
from .users import User

ROWS = 50
SOON_DAYS, LATER_DAYS = 7, 30


@dataclass(frozen=True)
class WaitingCase:
    id: int
    kind: str
    state: str
    full_name: str
    faculty: str | None
    host_institution: str
    since: datetime  # the last change: how long the case has waited
    next_steps: tuple[NextStep, ...]

    @property
    def actors(self) -> list[Role]:
        return sorted({r for s in self.next_steps for r in s.roles}, key=list(Role).index)

    @property
    def missing(self) -> list[g.Refusal]:
        return list(dict.fromkeys(m for s in self.next_steps for m in s.missing))


@dataclass(frozen=True)
class FallingDue:
    case_id: int
    full_name: str
    kind: str
    due_date: date
    days_left: int


@dataclass(frozen=True)
class WaitingWork:
    mine: list[WaitingCase]
    mine_total: int
    others: list[WaitingCase]
    others_total: int
    soon: list[FallingDue]  # due within SOON_DAYS
    later: list[FallingDue]  # due after that, within LATER_DAYS
    overdue: int
    takes_steps: bool  # False for the read-only roles (an auditor, the rector...)


def _zoned(at: datetime) -> datetime:
    # SQLite hands timestamps back without their zone; we always write UTC.
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at


def _role_states(role: Role) -> dict[CaseKind, list[str]]:
    """Per kind, the states from which a step of this role moves a case on."""
    found: dict[CaseKind, list[str]] = {}
    for kind, definition in DEFINITIONS.items():
        states = [
            s
            for s in definition.states
            if s not in definition.terminal
            and any(role in st.roles for st in forward_steps(kind, s))
        ]
        if states:
            found[kind] = states
    return found


def _mine_clause(role: Role) -> ColumnElement[bool]:
    parts = [
        and_(CaseRow.kind == kind.value, CaseRow.state.in_(states))
        for kind, states in _role_states(role).items()
    ]
    return or_(*parts) if parts else false()


def waiting_work(engine: Engine, *, user: User, today: date | None = None) -> WaitingWork:
    """The landing page of a user: the cases waiting for a step of their role (oldest first,
    each with what is missing), the cases in their scope waiting for someone else (with who
    acts next), and the deadlines due in the next SOON_DAYS and LATER_DAYS days."""
    today = today or clock.today()
    scope = access.scope_clause(user)
    open_cases = and_(scope, CaseRow.state.not_in(sorted(TERMINAL_STATES)))
    mine = _mine_clause(user.role)
    with UnitOfWork(engine, read_only=True) as uow:
        s = uow.session

        def count(where: ColumnElement[bool]) -> int:
            return int(s.scalar(select(func.count()).select_from(CaseRow).where(where)) or 0)

        def oldest(where: ColumnElement[bool]) -> list[WaitingCase]:
            ids = list(
                s.scalars(
                    select(CaseRow.id)
                    .where(where)
                    .order_by(CaseRow.updated_at, CaseRow.id)
                    .limit(ROWS)
                )
            )
            cases = uow.cases.get_many(ids) if ids else []
            stamps = dict(
                s.execute(select(CaseRow.id, CaseRow.updated_at).where(CaseRow.id.in_(ids)))
                .tuples()
                .all()
            )
            return [
                WaitingCase(
                    case_id,
                    c.kind.value,
                    c.state,
                    c.participant.full_name,
                    c.faculty,
                    c.host_institution,
                    _zoned(stamps[case_id]),
                    tuple(next_steps(c, facts(uow.cases, c, today))),
                )
                for case_id, c in zip(ids, cases, strict=True)
            ]

        mine_where, others_where = and_(open_cases, mine), and_(open_cases, ~mine)
        waiting, others = oldest(mine_where), oldest(others_where)
        mine_total, others_total = count(mine_where), count(others_where)
        due = s.execute(
            select(DeadlineRow, ParticipantRow.full_name)
            .join(CaseRow, CaseRow.id == DeadlineRow.case_id)
            .join(ParticipantRow, ParticipantRow.id == CaseRow.participant_id)
            .where(
                scope,
                DeadlineRow.status == DeadlineStatus.open,
                DeadlineRow.due_date >= today,
                DeadlineRow.due_date <= today + timedelta(days=LATER_DAYS),
            )
            .order_by(DeadlineRow.due_date, DeadlineRow.id)
            .limit(4 * ROWS)
        ).all()
        overdue = int(
            s.scalar(
                select(func.count(DeadlineRow.id))
                .join(CaseRow, CaseRow.id == DeadlineRow.case_id)
                .where(
                    scope,
                    or_(
                        DeadlineRow.status == DeadlineStatus.overdue,
                        and_(
                            DeadlineRow.status == DeadlineStatus.open, DeadlineRow.due_date < today
                        ),
                    ),
                )
            )
            or 0
        )
    # A step's exact conditions (a path guard) may put a case of "my" states elsewhere.
    mine_now = [c for c in waiting if any(user.role in st.roles for st in c.next_steps)]
    moved = [c for c in waiting if c not in mine_now]
    lines = [
        FallingDue(d.case_id, name, d.kind, d.due_date, (d.due_date - today).days)
        for d, name in due
    ]
    return WaitingWork(
        mine=mine_now,
        mine_total=mine_total - len(moved),
        others=sorted([*others, *moved], key=lambda c: (c.since, c.id))[:ROWS],
        others_total=others_total + len(moved),
        soon=[d for d in lines if d.days_left <= SOON_DAYS],
        later=[d for d in lines if d.days_left > SOON_DAYS],
        overdue=overdue,
        takes_steps=bool(_role_states(user.role)),
    )
