"""What the pages beyond the case list read and change, as a logged-in user may: the partner
registry (5.3, 5.4), the year's statistics (5.6), a case's side effects and reminders, and
its recognition (ЖОП, host transcript, AVN export). Every call checks scope and duty first;
the work itself is done by `partners`, `statistics`, `study_plan` and `outbox`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import ColumnElement, Engine, and_, false, func, or_, select
from sqlalchemy.orm import Session

from sapar import clock
from states import guards as g
from states import roles
from states.grades import Scale
from states.kinds import DEFINITIONS, SAME_STATE, Step
from states.machine import NotPermitted
from states.model import TERMINAL_STATES, Case, CaseKind, Role
from states.quotas import PLACED_STATES, quota_type_of
from storage.orm import (
    AgreementRow,
    CaseRow,
    DeadlineRow,
    NotificationRow,
    ParticipantRow,
    PartnerRow,
    QuotaRow,
    RecognisedCourseRow,
)
from storage.uow import UnitOfWork

from . import access, outbox, partners, statistics, study_plan
from .casework import case_for
from .users import User

# --- partners --------------------------------------------------------------------------------


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


def partner_registry(
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
        query = query.where(PartnerRow.country == country)
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
        found = partners.add_agreement(
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
        partners.set_quota(
            uow.session,
            partner_id=partner_id,
            academic_year=academic_year,
            participant_type=participant_type,
            places=places,
        )
        uow.commit()


# --- statistics ------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatisticsView:
    stats: statistics.YearStatistics
    years: list[tuple[str, int]]
    faculty: str | None


def statistics_faculty(user: User) -> str | None:
    """None: the whole university; a dean's office sees its own faculty only."""
    if user.role not in roles.STATISTICS_READERS:
        raise NotPermitted(
            f"a {user.role.value} account does not read the statistics",
            "not_statistics_reader",
            role=user.role,
        )
    if user.role is Role.dean_office:
        if not user.faculty:
            raise NotPermitted(
                "a dean's office account without a faculty reads no statistics",
                "statistics_without_faculty",
            )
        return user.faculty
    return None


def year_statistics(
    engine: Engine, *, user: User, academic_year: str | None = None, today: date | None = None
) -> StatisticsView:
    faculty = statistics_faculty(user)
    with UnitOfWork(engine, read_only=True) as uow:
        years = _years(uow, faculty)
        chosen = academic_year or current_academic_year(today or clock.today())
        stats = statistics.year_statistics(uow.session, chosen, faculty=faculty)
    return StatisticsView(stats, years, faculty)


def _years(uow: UnitOfWork, faculty: str | None) -> list[tuple[str, int]]:
    if faculty is None:
        return statistics.academic_years(uow.session)
    rows = uow.session.execute(
        select(CaseRow.academic_year, func.count())
        .where(CaseRow.state.in_(PLACED_STATES), CaseRow.faculty == faculty)
        .group_by(CaseRow.academic_year)
        .order_by(CaseRow.academic_year)
    ).all()
    return [(str(y), int(n)) for y, n in rows]


def current_academic_year(today: date) -> str:
    start = today.year if today.month >= 9 else today.year - 1
    return f"{start}-{start + 1}"


# --- a case's side effects and reminders ------------------------------------------------------


@dataclass(frozen=True)
class NotificationLine:
    kind: str
    due_date: date
    recipient: str | None
    channel: str
    status: str
    sent_at: datetime | None
    error: str | None


def case_outbox(engine: Engine, *, user: User, case_id: int) -> list[outbox.OutboxItem]:
    case_for(engine, user=user, case_id=case_id)
    return outbox.case_outbox(engine, case_id)


def case_notifications(engine: Engine, *, user: User, case_id: int) -> list[NotificationLine]:
    case_for(engine, user=user, case_id=case_id)
    with UnitOfWork(engine, read_only=True) as uow:
        rows = uow.session.scalars(
            select(NotificationRow)
            .where(NotificationRow.case_id == case_id)
            .order_by(NotificationRow.created_at, NotificationRow.id)
        )
        return [
            NotificationLine(
                r.kind, r.due_date, r.recipient, r.channel, r.status, r.sent_at, r.error
            )
            for r in rows
        ]


def retry_effect(engine: Engine, *, user: User, case_id: int, outbox_id: int) -> None:
    case_for(engine, user=user, case_id=case_id, action="retry_effect")
    if user.role not in roles.RETRIERS:
        raise NotPermitted(
            f"a {user.role.value} account does not retry documents", "not_retrier", role=user.role
        )
    if not any(item.id == outbox_id for item in outbox.case_outbox(engine, case_id)):
        raise outbox.NothingToRetry(f"case #{case_id} has no outbox item #{outbox_id}")
    outbox.retry_effect(engine, outbox_id)


# --- recognition ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recognition:
    plan: list[study_plan.PlanLine]
    plan_version: int | None
    transcript: list[RecognisedCourseRowView]
    may_edit: bool


@dataclass(frozen=True)
class RecognisedCourseRowView:
    host_course: str
    credits: float
    host_grade: str
    host_scale: str
    score: float
    home_letter: str
    home_points: int
    home_course: str | None
    credited: bool
    refusal_reason: str | None


def may_recognise(user: User) -> bool:
    return user.role in roles.RECOGNISERS


def _check_recogniser(engine: Engine, user: User, case_id: int, action: str) -> None:
    case_for(engine, user=user, case_id=case_id, action=action)
    if not may_recognise(user):
        raise NotPermitted(
            f"a {user.role.value} account does not enter study plans or grades",
            "not_recogniser",
            role=user.role,
        )


def recognition(engine: Engine, *, user: User, case_id: int) -> Recognition:
    case_for(engine, user=user, case_id=case_id)
    with UnitOfWork(engine, read_only=True) as uow:
        rows = study_plan.current_plan(uow.session, case_id)
        plan = [
            study_plan.PlanLine(r.title, r.credits, r.mode, r.replaces, r.teacher, r.term)
            for r in rows
        ]
        courses = uow.session.scalars(
            select(RecognisedCourseRow)
            .where(RecognisedCourseRow.case_id == case_id)
            .order_by(RecognisedCourseRow.id)
        )
        transcript = [
            RecognisedCourseRowView(
                c.host_course,
                c.credits,
                c.host_grade,
                c.host_scale,
                c.score,
                c.home_letter,
                c.home_points,
                c.home_course,
                c.credited,
                c.refusal_reason,
            )
            for c in courses
        ]
    version = rows[0].plan_version if rows else None
    return Recognition(plan, version, transcript, may_recognise(user))


def set_study_plan(
    engine: Engine, *, user: User, case_id: int, lines: list[study_plan.PlanLine]
) -> int:
    _check_recogniser(engine, user, case_id, "set_study_plan")
    return study_plan.set_study_plan(engine, case_id=case_id, lines=lines, actor=user.actor)


def record_transcript(
    engine: Engine, *, user: User, case_id: int, lines: list[study_plan.TranscriptLine]
) -> float:
    _check_recogniser(engine, user, case_id, "record_transcript")
    return study_plan.record_transcript(engine, case_id=case_id, lines=lines, actor=user.actor)


def avn_csv(engine: Engine, *, user: User, case_id: int) -> bytes:
    case_for(engine, user=user, case_id=case_id, action="avn_export")
    with UnitOfWork(engine, read_only=True) as uow:
        return study_plan.avn_csv(uow.session, [case_id])


SCALES = [s.value for s in Scale]


# --- a role's desk: what waits for this user, what waits for others, what falls due ----------

# Steps that end a case early rather than move it on: offered on the case page, but no one
# "waits" for them, so they decide neither the desk nor who acts next.
SIDE_EXITS = frozenset({"withdraw", "reject", "cancel"})
# Guards that choose the path (a project-funded trip goes by the project lead) rather than
# name something missing: a step they refuse is not this case's next step at all.
PATH_GUARDS = frozenset({g.project_funded_only, g.project_lead_first_unless_done})
# Guards fed by the step's own form (a reason, a date, a number): not missing before the form.
FORM_GUARDS = frozenset({g.reason_given, g.return_date_valid, g.failed_credits_given})
DESK_ROWS = 50
SOON_DAYS, LATER_DAYS = 7, 30


@dataclass(frozen=True)
class NextStep:
    """A step that moves the case on, who may take it, and what the regulation still misses."""

    event: str
    dest: str
    roles: tuple[Role, ...]
    missing: tuple[g.Refusal, ...]


@dataclass(frozen=True)
class DeskCase:
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
class DeskDeadline:
    case_id: int
    full_name: str
    kind: str
    due_date: date
    days_left: int


@dataclass(frozen=True)
class RoleDesk:
    mine: list[DeskCase]
    mine_total: int
    others: list[DeskCase]
    others_total: int
    soon: list[DeskDeadline]  # due within SOON_DAYS
    later: list[DeskDeadline]  # due after that, within LATER_DAYS
    overdue: int
    takes_steps: bool  # False for the read-only roles (an auditor, the rector...)


def _zoned(at: datetime) -> datetime:
    # SQLite hands timestamps back without their zone; we always write UTC.
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at


def _forward(kind: CaseKind, state: str) -> list[Step]:
    return [
        s
        for s in DEFINITIONS[kind].steps
        if state in s.source and s.event not in SIDE_EXITS and s.dest != SAME_STATE
    ]


def _role_states(role: Role) -> dict[CaseKind, list[str]]:
    """Per kind, the states from which a step of this role moves a case on."""
    found: dict[CaseKind, list[str]] = {}
    for kind, definition in DEFINITIONS.items():
        states = [
            s
            for s in definition.states
            if s not in definition.terminal and any(role in st.roles for st in _forward(kind, s))
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


def next_steps(case: Case, facts: g.Facts) -> list[NextStep]:
    """The steps that move this case on now, whoever takes them, each with what it misses."""
    out: list[NextStep] = []
    for step in _forward(case.kind, case.state):
        missing: list[g.Refusal] = []
        off_path = False
        for check in step.checks:
            if check in FORM_GUARDS:
                continue
            found = check(case, facts)
            refusals = [found] if isinstance(found, g.Refusal) else list(found or [])
            if refusals and check in PATH_GUARDS:
                off_path = True
                break
            missing.extend(refusals)
        if not off_path:
            roles = tuple(r for r in Role if r in step.roles)
            out.append(NextStep(step.event, step.dest, roles, tuple(missing)))
    return out


def case_next_steps(
    engine: Engine, *, user: User, case: Case, today: date | None = None
) -> list[NextStep]:
    """What the case page tells every role: the next steps, who takes them, what is missing."""
    assert case.id is not None
    case_for(engine, user=user, case_id=case.id)
    with UnitOfWork(engine, read_only=True) as uow:
        return next_steps(case, _facts(uow, case, today or clock.today()))


def _facts(uow: UnitOfWork, case: Case, today: date) -> g.Facts:
    assert case.id is not None and case.participant.id is not None
    return g.Facts(
        today=today,
        documents=uow.cases.document_types(case.id),
        unfinished_cases=uow.cases.unfinished_cases(case.participant.id, besides=case.id),
    )


def role_desk(engine: Engine, *, user: User, today: date | None = None) -> RoleDesk:
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

        def oldest(where: ColumnElement[bool]) -> list[DeskCase]:
            ids = list(
                s.scalars(
                    select(CaseRow.id)
                    .where(where)
                    .order_by(CaseRow.updated_at, CaseRow.id)
                    .limit(DESK_ROWS)
                )
            )
            cases = uow.cases.get_many(ids) if ids else []
            stamps = dict(
                s.execute(select(CaseRow.id, CaseRow.updated_at).where(CaseRow.id.in_(ids)))
                .tuples()
                .all()
            )
            return [
                DeskCase(
                    case_id,
                    c.kind.value,
                    c.state,
                    c.participant.full_name,
                    c.faculty,
                    c.host_institution,
                    _zoned(stamps[case_id]),
                    tuple(next_steps(c, _facts(uow, c, today))),
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
                DeadlineRow.status == "open",
                DeadlineRow.due_date >= today,
                DeadlineRow.due_date <= today + timedelta(days=LATER_DAYS),
            )
            .order_by(DeadlineRow.due_date, DeadlineRow.id)
            .limit(4 * DESK_ROWS)
        ).all()
        overdue = int(
            s.scalar(
                select(func.count(DeadlineRow.id))
                .join(CaseRow, CaseRow.id == DeadlineRow.case_id)
                .where(
                    scope,
                    or_(
                        DeadlineRow.status == "overdue",
                        and_(DeadlineRow.status == "open", DeadlineRow.due_date < today),
                    ),
                )
            )
            or 0
        )
    # A step's exact conditions (a path guard) may put a case of "my" states elsewhere.
    mine_now = [c for c in waiting if any(user.role in st.roles for st in c.next_steps)]
    moved = [c for c in waiting if c not in mine_now]
    lines = [
        DeskDeadline(d.case_id, name, d.kind, d.due_date, (d.due_date - today).days)
        for d, name in due
    ]
    return RoleDesk(
        mine=mine_now,
        mine_total=mine_total - len(moved),
        others=sorted([*others, *moved], key=lambda c: (c.since, c.id))[:DESK_ROWS],
        others_total=others_total + len(moved),
        soon=[d for d in lines if d.days_left <= SOON_DAYS],
        later=[d for d in lines if d.days_left > SOON_DAYS],
        overdue=overdue,
        takes_steps=bool(_role_states(user.role)),
    )
