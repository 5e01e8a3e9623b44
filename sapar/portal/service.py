"""What a participant sees and does in the portal, each call scoped to their own cases.

A participant's cases are the cases whose participant has the participant's verified e-mail
(the address the sign-in link went to). Every call that names a case checks that first and
writes a refused attempt to that case's history, as staff refusals are written.

Nothing here takes a step of the regulation: a participant opens an application (the same
`CaseIn` model and the same first state as staff use) and hands in their own papers; every
step after that is still an office's, with the same guards (`states/kinds.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, func, or_, select

from sapar import clock
from sapar.services import access_log, partners, people
from sapar.services.actors import Actor
from sapar.services.case_access import READS
from sapar.services.cases import log_refusal, open_case
from sapar.services.papers import AttachedPaper, DocumentNotFound, UploadRefused, attach_paper
from sapar.services.schemas import CaseIn
from sapar.services.users import User
from states import guards as g
from states.dossier import DocumentKind as D
from states.dossier import Origin
from states.kinds import DEFINITIONS, SAME_STATE, Step
from states.machine import NotPermitted, possible_events
from states.model import (
    Case,
    CaseKind,
    DeadlineStatus,
    Participant,
    ParticipantKind,
    Role,
)
from states.periods import academic_year_of
from states.quotas import PLACED_STATES, QuotaType, quota_type_of
from storage.files import FileStore
from storage.orm import (
    AgreementRow,
    AuditEventRow,
    AuditOutcome,
    CaseRow,
    DeadlineRow,
    DocumentRow,
    NotificationRow,
    ParticipantRow,
    PartnerRow,
    QuotaRow,
)
from storage.uow import UnitOfWork

from .uploads import check_portal_upload

# The papers a participant hands in themselves: the application set (4.2, Student duties),
# the evidence brought back (1.3.5, 3.6) and a staff member's reports (ИПК duties). Papers
# the offices issue or receive (nominations, orders, the host's invitation) are not theirs.
OWN_PAPERS = frozenset(
    {
        D.application,
        D.study_plan,
        D.parents_consent,
        D.transcript,
        D.questionnaire,
        D.motivation_letter,
        D.passport_copy,
        D.language_certificate,
        D.learning_agreement,
        D.host_transcript,
        D.certificate,
        D.reference_letter,
        D.trip_report,
        D.expense_report,
        D.staff_report,
        D.other,
    }
)
# Issued papers a participant may download: those addressed to them or about them alone.
ISSUED_TO_SEE = frozenset(
    {
        D.dean_nomination,
        D.invitation_request,
        D.invitation_letter,
        D.mobility_order,
        D.staff_trip_order,
        D.return_order,
        D.recognition_decision,
        D.missed_deadline_notice,
        D.incoming_invitation,
        D.enrolment_order,
        D.issued_transcript,
    }
)
# Side exits are the offices' decisions, not a next step the participant prepares for.
SIDE_EXITS = frozenset({"withdrawn", "rejected", "cancelled"})
# Guards fed by the step's own form (a reason, a date): they say nothing about readiness.
_FROM_THE_FORM = frozenset(
    {g.reason_given, g.return_date_valid, g.failed_credits_given, g.exam_term_given}
)


class NotYourCase(NotPermitted):
    """A participant asked for a case that is not theirs."""


# --- scope ---------------------------------------------------------------------------------


def _own(user: User) -> Any:
    """Cases whose participant carries this account's (verified) e-mail."""
    return CaseRow.participant_id.in_(
        select(ParticipantRow.id).where(func.lower(ParticipantRow.email) == user.username)
    )


def is_own(user: User, case: Case) -> bool:
    email = (case.participant.email or "").strip().lower()
    return user.role is Role.participant and bool(email) and email == user.username


def own_case(engine: Engine, *, user: User, case_id: int, action: str = "view") -> Case:
    """The case if it is this participant's; else the attempt is logged and refused."""
    with UnitOfWork(engine, read_only=True) as uow:
        case = uow.cases.get(case_id)
    if not is_own(user, case):
        error = NotYourCase(f"case #{case_id} is not yours: a participant sees their own cases")
        if action in READS:  # as for staff: a refused read goes to the access log,
            access_log.record(  # a refused change to the case's history
                engine, actor=user.actor, case_id=case_id, action=action, reason=str(error)
            )
        else:
            log_refusal(
                engine,
                case_id=case_id,
                event=action,
                actor=user.actor,
                state=case.state,
                refusal=error,
                payload={},
            )
        raise error
    return case


def my_person(engine: Engine, *, user: User) -> Participant | None:
    """The participant's record in the persons registry (by the verified address), if any."""
    with UnitOfWork(engine, read_only=True) as uow:
        person_id = uow.session.scalar(
            select(ParticipantRow.id)
            .where(func.lower(ParticipantRow.email) == user.username)
            .order_by(ParticipantRow.id.desc())
            .limit(1)
        )
        return people.load(uow.session, person_id) if person_id is not None else None


# --- the participant's cases --------------------------------------------------------------


@dataclass(frozen=True)
class CaseCard:
    id: int
    kind: str
    state: str
    host_institution: str
    host_country: str
    start_date: date
    end_date: date
    next_roles: tuple[str, ...]
    late: int  # deadlines past due


def next_steps(case: Case) -> list[Step]:
    """The steps that move the case forward from here (side exits left out)."""
    definition = DEFINITIONS[case.kind]
    steps = [definition.step(e) for e in possible_events(case)]
    return [
        s
        for s in steps
        if s is not None and s.dest not in SIDE_EXITS and s.dest not in (SAME_STATE, case.state)
    ]


def who_acts_next(case: Case) -> tuple[str, ...]:
    roles = {r.value for s in next_steps(case) for r in s.roles}
    return tuple(sorted(roles))


def my_cases(engine: Engine, *, user: User, today: date | None = None) -> list[CaseCard]:
    today = today or clock.today()
    with UnitOfWork(engine, read_only=True) as uow:
        ids = list(uow.session.scalars(select(CaseRow.id).where(_own(user)).order_by(CaseRow.id)))
        cases = [uow.cases.get(i) for i in ids]
        late = dict(
            uow.session.execute(
                select(DeadlineRow.case_id, func.count())
                .where(
                    DeadlineRow.case_id.in_(ids),
                    or_(
                        DeadlineRow.status == DeadlineStatus.overdue,
                        (DeadlineRow.status == DeadlineStatus.open)
                        & (DeadlineRow.due_date < today),
                    ),
                )
                .group_by(DeadlineRow.case_id)
            )
            .tuples()
            .all()
        )
    return [
        CaseCard(
            c.id or 0,
            c.kind.value,
            c.state,
            c.host_institution,
            c.host_country,
            c.start_date,
            c.end_date,
            who_acts_next(c),
            int(late.get(c.id or 0, 0)),
        )
        for c in cases
    ]


# --- calls: what the university opened -----------------------------------------------------


@dataclass(frozen=True)
class Call:
    partner_id: int
    name: str
    country: str
    city: str | None
    academic_year: str
    places: int
    used: int
    agreements: tuple[str, ...]

    @property
    def left(self) -> int:
        return max(0, self.places - self.used)


def open_calls(
    engine: Engine, *, today: date | None = None, qtype: QuotaType = QuotaType.outgoing_students
) -> list[Call]:
    """Partners with places for this academic year or the next (4.8, ЭАБД duties) under an
    agreement still in force (3.2, 5.4), with the places left."""
    today = today or clock.today()
    this_year = academic_year_of(today)
    first = int(this_year[:4])
    years = (this_year, f"{first + 1}-{first + 2}")
    kinds = [k.value for k in CaseKind if quota_type_of(k) is qtype]
    with UnitOfWork(engine, read_only=True) as uow:
        rows = uow.session.execute(
            select(QuotaRow, PartnerRow)
            .join(PartnerRow, PartnerRow.id == QuotaRow.partner_id)
            .where(
                QuotaRow.academic_year.in_(years),
                QuotaRow.participant_type == qtype.value,
                QuotaRow.places > 0,
            )
            .order_by(QuotaRow.academic_year, PartnerRow.country, PartnerRow.name)
        ).all()
        ids = [p.id for _, p in rows]
        agreements: dict[int, list[str]] = {}
        for a in uow.session.scalars(
            select(AgreementRow).where(
                AgreementRow.partner_id.in_(ids),
                or_(AgreementRow.valid_to.is_(None), AgreementRow.valid_to >= today),
            )
        ):
            agreements.setdefault(a.partner_id, []).append(a.kind)
        used = dict(
            ((p, y), n)
            for p, y, n in uow.session.execute(
                select(CaseRow.partner_id, CaseRow.academic_year, func.count())
                .where(
                    CaseRow.partner_id.in_(ids),
                    CaseRow.kind.in_(kinds),
                    CaseRow.state.in_(PLACED_STATES),
                )
                .group_by(CaseRow.partner_id, CaseRow.academic_year)
            ).all()
        )
    return [
        Call(
            p.id,
            p.name,
            p.country,
            p.city,
            q.academic_year,
            q.places,
            int(used.get((p.id, q.academic_year), 0)),
            tuple(sorted(set(agreements[p.id]))),
        )
        for q, p in rows
        if p.id in agreements
    ]


class NotAnOpenCall(NotPermitted):
    """The application names a partner or year the university has no open call for; the
    form shows it beside `field`, in the participant's language (error.<key>)."""

    def __init__(self, text: str, key: str, *, field: str, **params: object) -> None:
        super().__init__(text, key, **params)
        self.field = field


def apply(engine: Engine, *, user: User, data: dict[str, Any], today: date | None = None) -> int:
    """Open an outgoing student's application for this participant under an open call.

    `data` is CaseIn's shape without the host (the call gives it) and with the participant's
    e-mail fixed to the signed-in address; pydantic's ValidationError names a bad field."""
    if user.role is not Role.participant:
        raise NotPermitted(
            "only a participant applies through the portal", "portal_participants_only"
        )
    call_year = str(data.pop("call_year", ""))
    partner_id = data.get("partner_id")
    calls = {(c.partner_id, c.academic_year): c for c in open_calls(engine, today=today)}
    raw_partner = str(partner_id or "")
    found = calls.get((int(raw_partner), call_year)) if raw_partner.isdigit() else None
    if found is None:
        raise NotAnOpenCall(
            "partner_id: the university has no open call for this partner and year (4.8, 5.4)",
            "no_open_call",
            field="partner_id",
        )
    body = {
        **{k: v for k, v in data.items() if k != "participant"},
        "direction": "outgoing",
        "host_institution": found.name,
        "host_country": found.country,
        "host_city": found.city,
        "basis": "agreement",
    }
    person = my_person(engine, user=user)
    if person is not None:  # the registry knows them: the case is for that person
        body["person_id"] = person.id
        case = CaseIn.model_validate(body).to_case(person)
    else:
        participant = dict(data.get("participant") or {})
        participant.update(kind=ParticipantKind.student.value, email=user.username)
        # A new person of the registry; a same-name-and-birthday namesake is no concern here
        # (the portal asks no birth date), the verified address tells them apart.
        body.update(participant=participant, confirm_new_person=True)
        case = CaseIn.model_validate(body).to_case()
    if academic_year_of(case.start_date) != call_year:
        raise NotAnOpenCall(
            f"start_date: the call is for {call_year}; {case.start_date:%d.%m.%Y} falls in "
            f"{academic_year_of(case.start_date)} (4.8)",
            "call_year_mismatch",
            field="start_date",
            call_year=call_year,
            start=f"{case.start_date:%d.%m.%Y}",
            year=academic_year_of(case.start_date),
        )
    # The history names the applicant as they wrote their name (the account had only the
    # address until now).
    actor = Actor(f"{case.participant.full_name} ({user.username})", Role.participant)
    return open_case(engine, actor=actor, case=case)


# --- papers: the checklist the guards make --------------------------------------------------


@dataclass(frozen=True)
class Paper:
    doc_type: str
    clause: str
    handed_in: bool
    yours: bool  # the participant hands it in (else an office does)


@dataclass(frozen=True)
class Checklist:
    step: str | None  # the next step the list is for
    roles: tuple[str, ...]  # who takes it
    papers: list[Paper] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)  # other rules not met yet

    @property
    def missing(self) -> list[Paper]:
        return [p for p in self.papers if not p.handed_in]


def _refusals(step: Step, case: Case, facts: g.Facts) -> list[g.Refusal]:
    out: list[g.Refusal] = []
    for check in step.checks:
        if check in _FROM_THE_FORM:
            continue
        found = check(case, facts)
        out.extend([found] if isinstance(found, g.Refusal) else list(found or []))
    return out


def checklist(engine: Engine, *, case: Case, today: date | None = None) -> Checklist:
    """For the next step: each paper its guards ask for, handed in or not, with the clause;
    and the other rules of that step the case does not meet yet.

    A paper is on the list when taking it away from a complete file makes the step's guards
    refuse: the list is the guards', never a second copy of the rules."""
    assert case.id is not None and case.participant.id is not None
    steps = next_steps(case)
    if not steps:
        return Checklist(None, ())
    step = steps[0]
    with UnitOfWork(engine, read_only=True) as uow:
        have = uow.cases.document_types(case.id)
        facts = g.Facts(
            today=today or clock.today(),
            documents=have,
            unfinished_cases=uow.cases.unfinished_cases(case.participant.id, besides=case.id),
            partner=partners.partner_facts(uow.session, case),
        )
    every = frozenset(d.value for d in D)
    complete = {str(r) for r in _refusals(step, case, _with(facts, every))}
    papers = []
    for doc in D:
        appearing = [
            r
            for r in _refusals(step, case, _with(facts, every - {doc.value}))
            if str(r) not in complete
        ]
        if appearing:
            papers.append(
                Paper(doc.value, appearing[0].clause, doc.value in have, doc in OWN_PAPERS)
            )
    conditions = sorted(complete)
    roles = tuple(sorted(r.value for r in step.roles))
    return Checklist(step.event, roles, papers, conditions)


def _with(facts: g.Facts, documents: frozenset[str]) -> g.Facts:
    return g.Facts(
        today=facts.today,
        documents=documents,
        unfinished_cases=facts.unfinished_cases,
        payload=facts.payload,
        policy=facts.policy,
        partner=facts.partner,
        distance_terms=facts.distance_terms,
    )


def hand_in(
    engine: Engine,
    files: FileStore,
    *,
    user: User,
    case_id: int,
    doc_type: str,
    filename: str,
    content: bytes,
) -> AttachedPaper:
    """A paper of the participant's own into their case file: an event in its history with
    the participant as the actor. PDF, JPG or PNG, checked by content, at most 10 MB."""
    try:
        paper = D(doc_type)
    except ValueError:
        raise UploadRefused(f"doc_type: '{doc_type[:40]}' is not a paper") from None
    if paper not in OWN_PAPERS:
        raise UploadRefused(f"doc_type: {paper.value} is handed in by the university's offices")
    media_type = check_portal_upload(filename, content)
    case = own_case(engine, user=user, case_id=case_id, action="attach_document")
    if case.is_terminal:
        raise UploadRefused(f"case: #{case_id} is {case.state}; it takes no more papers")
    return attach_paper(
        engine,
        files,
        case_id=case_id,
        doc_type=paper,
        filename=filename,
        content=content,
        actor=user.actor,
        media_type=media_type,
    )


# --- following the case ---------------------------------------------------------------------


@dataclass(frozen=True)
class PaperLine:
    id: int
    doc_type: str
    origin: str
    filename: str
    number: str | None
    version: int
    created_at: datetime


@dataclass(frozen=True)
class DeadlineLine:
    kind: str
    due_date: date
    status: str
    late: bool


@dataclass(frozen=True)
class ReminderLine:
    kind: str
    due_date: date
    channel: str
    status: str
    created_at: datetime


@dataclass(frozen=True)
class StepLine:
    at: datetime
    event: str
    role: str
    from_state: str | None
    to_state: str | None
    doc_type: str | None


@dataclass(frozen=True)
class CaseView:
    case: Case
    next_roles: tuple[str, ...]
    checklist: Checklist
    papers: list[PaperLine]
    deadlines: list[DeadlineLine]
    reminders: list[ReminderLine]
    history: list[StepLine]


def _visible(row: DocumentRow) -> bool:
    try:
        kind = D(row.doc_type)
    except ValueError:
        return False
    return kind in ISSUED_TO_SEE or (row.origin == Origin.uploaded and kind in OWN_PAPERS)


def case_view(engine: Engine, *, user: User, case_id: int, today: date | None = None) -> CaseView:
    today = today or clock.today()
    case = own_case(engine, user=user, case_id=case_id)
    with UnitOfWork(engine, read_only=True) as uow:
        docs = uow.session.scalars(
            select(DocumentRow)
            .where(DocumentRow.case_id == case_id)
            .order_by(DocumentRow.created_at, DocumentRow.id)
        )
        papers = [
            PaperLine(r.id, r.doc_type, r.origin, r.filename, r.number, r.version, r.created_at)
            for r in docs
            if _visible(r)
        ]
        deadlines = [
            DeadlineLine(
                d.kind,
                d.due_date,
                d.status,
                d.status == DeadlineStatus.overdue
                or (d.status == DeadlineStatus.open and d.due_date < today),
            )
            for d in uow.cases.deadlines(case_id)
        ]
        # Letters to the participant; the escalations to the offices are the offices' own.
        reminders = [
            ReminderLine(n.kind, n.due_date, n.channel, n.status, n.created_at)
            for n in uow.session.scalars(
                select(NotificationRow)
                .where(NotificationRow.case_id == case_id, NotificationRow.kind != "escalation")
                .order_by(NotificationRow.created_at, NotificationRow.id)
            )
        ]
        events = uow.session.scalars(
            select(AuditEventRow)
            .where(AuditEventRow.case_id == case_id, AuditEventRow.outcome == AuditOutcome.applied)
            .order_by(AuditEventRow.seq)
        )
        history = [
            StepLine(
                e.at,
                e.event,
                e.role,
                e.from_state,
                e.to_state,
                str(e.data.get("document")) if e.event == "attach_document" else None,
            )
            for e in events
        ]
    return CaseView(
        case,
        who_acts_next(case),
        checklist(engine, case=case, today=today),
        papers,
        deadlines,
        reminders,
        history,
    )


@dataclass(frozen=True)
class Download:
    filename: str
    media_type: str
    content: bytes


class PaperNotFound(DocumentNotFound):
    pass


def download(
    engine: Engine, files: FileStore, *, user: User, case_id: int, document_id: int
) -> Download:
    own_case(engine, user=user, case_id=case_id, action="download_document")
    with UnitOfWork(engine, read_only=True) as uow:
        row = uow.session.scalar(
            select(DocumentRow).where(DocumentRow.id == document_id, DocumentRow.case_id == case_id)
        )
        if row is None or not _visible(row):
            raise PaperNotFound(f"case #{case_id} has no paper #{document_id} for you")
        return Download(row.filename, row.media_type, files.get(row.sha256))
