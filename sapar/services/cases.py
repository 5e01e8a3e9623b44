"""The service layer for cases: open one, attach papers, fire a step. One call, one transaction.

A step that is refused leaves the case as it was and is itself written to the case's history,
in a transaction of its own (the step's own transaction is rolled back).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

from sqlalchemy import Engine, Table, insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from sapar import clock, explain
from sapar.officials import Officials
from states.dossier import DocumentKind
from states.guards import Facts, RuleViolation, no_unfinished_case
from states.kinds import DEFINITIONS, facts_needed
from states.machine import InvalidTransition, NotPermitted, machine_for
from states.model import Case, CloseDeadline, Effect, OpenDeadline, RenderDocument, Role
from states.policy import DEFAULT_POLICY, Policy
from storage import audit
from storage.orm import AuditEventRow, AuditOutcome
from storage.repository import ConcurrencyConflict, StepRead
from storage.uow import UnitOfWork

from . import outbox, readiness
from .actors import Actor
from .contexts.signers import needs
from .partners import partner_facts
from .people import check_new
from .schemas import check_case
from .study_plan import distance_terms

Refused = RuleViolation | NotPermitted | InvalidTransition | ConcurrencyConflict
_INSERT_EVENT = insert(cast(Table, AuditEventRow.__table__))

# The steps that may ask for a paper, of any kind of case: their first statement reads the
# registry of officials with the case (the signers are checked before the paper is queued).
_MAY_ASK_FOR_PAPERS = frozenset(s.event for d in DEFINITIONS.values() for s in d.steps if s.effects)


@dataclass(frozen=True)
class FireResult:
    case_id: int
    event: str
    from_state: str
    to_state: str
    version: int
    effects: list[Effect] = field(default_factory=list)
    # The documents the step queued: the web asks the flow for exactly these.
    outbox_ids: list[int] = field(default_factory=list)


def open_case(engine: Engine, *, actor: Actor, case: Case, confirm_new_person: bool = True) -> int:
    """Record a new case in its kind's first state, with its first history event. Refuses
    what the API would refuse (an end before the start, ...), naming the field.

    The case's participant is a person of the registry (its id set) or a new person, who is
    recorded with it unless they are already there (people.check_new). A student whose
    previous mobility is unfinished cannot apply for another (4.8, Student duties): the
    application itself is refused, naming the unfinished case."""
    check_case(case)
    definition = machine_for(case.kind).definition
    case.state = definition.initial
    with UnitOfWork(engine) as uow:
        person_id = case.participant.id
        if person_id is None:
            check_new(uow.session, case.participant, confirm=confirm_new_person)
        elif case.kind.is_outgoing_student:
            unfinished = uow.cases.unfinished_cases(person_id)
            refusal = no_unfinished_case(
                case, Facts(today=clock.today(), unfinished_cases=unfinished)
            )
            if refusal is not None:
                raise RuleViolation([refusal])
        case_id = uow.cases.add(case)
        audit.append(
            uow.session,
            case_id=case_id,
            actor=actor.name,
            role=actor.role.value,
            event="open",
            outcome=AuditOutcome.applied,
            from_state=None,
            to_state=case.state,
            data={
                "kind": case.kind,
                "start": case.start_date,
                "end": case.end_date,
                "case_version": 0,
            },
        )
        uow.commit()
    return case_id


def fire(
    engine: Engine,
    *,
    case_id: int,
    event: str,
    actor: Actor,
    payload: dict[str, Any] | None = None,
    expected_version: int | None = None,
    today: date | None = None,
    policy: Policy = DEFAULT_POLICY,
) -> FireResult:
    """Take one step on a case: guards, state, history and side effects in one transaction.

    The case row is locked first, so concurrent steps (and uploads, issuing) on one case
    queue: the loser then sees the winner's version and gets a ConcurrencyConflict. Raises
    RuleViolation, NotPermitted, InvalidTransition or ConcurrencyConflict when the step is
    refused; the refusal is then in the case's history — written under the same lock, in
    the same transaction — and nothing else changed.
    """
    payload = dict(payload or {})
    today = today or clock.today()
    try:
        return _fire(engine, case_id, event, actor, payload, expected_version, today, policy)
    except _LostBeforeWriting:
        pass
    # The pooled connection was dead before anything was sent (a database restart, a killed
    # backend): SQLAlchemy has recycled the pool; the step starts over once.
    try:
        return _fire(engine, case_id, event, actor, payload, expected_version, today, policy)
    except _LostBeforeWriting as lost:
        assert isinstance(lost.__cause__, DBAPIError)
        raise lost.__cause__ from None


class _LostBeforeWriting(Exception):
    pass


def _fire(
    engine: Engine,
    case_id: int,
    event: str,
    actor: Actor,
    payload: dict[str, Any],
    expected_version: int | None,
    today: date,
    policy: Policy,
) -> FireResult:
    with UnitOfWork(engine) as uow:
        try:
            read = uow.cases.get_for_step(case_id, officials=event in _MAY_ASK_FOR_PAPERS)
        except DBAPIError as error:
            if error.connection_invalidated:
                raise _LostBeforeWriting from error
            raise
        case, head = read.case, read.head
        from_state, version = case.state, case.version
        try:
            if expected_version is not None and expected_version != version:
                raise ConcurrencyConflict(case_id, version, expected_version)
            facts = _gather_facts(uow, read, event, actor.role, today, payload, policy)
            effects = machine_for(case.kind).fire(case, event, role=actor.role, facts=facts)
            papers = [DocumentKind(e.document) for e in effects if isinstance(e, RenderDocument)]
            officials = _check_signers(uow, read, papers, today)
            missing = readiness.problems(
                uow.session, case, papers, today=today, officials=officials
            )
            if missing:  # the flow could not print them: refuse now, not eight times later
                raise readiness.NotReady(missing)
        except (RuleViolation, NotPermitted, InvalidTransition, ConcurrencyConflict) as refusal:
            # Nothing was written yet: the refusal goes into the history in this very
            # transaction, still holding the case's lock.
            record_refusal(uow.session, case_id=case_id, event=event, actor=actor,
                           state=from_state, refusal=refusal, payload=payload)  # fmt: skip
            uow.commit()
            raise
        row = audit.event_values(
            head,
            case_id=case_id,
            actor=actor.name,
            role=actor.role.value,
            event=event,
            outcome=AuditOutcome.applied,
            from_state=from_state,
            to_state=case.state,
            reason=payload.get("reason"),
            data={
                "payload": payload,
                "effects": [_describe(e) for e in effects],
                "case_version": version + 1,
            },
        )
        # The row is locked: the version check cannot fail here, but stays as a last guard.
        uow.cases.save_state(
            case, expected_version=version, also=audit.head_values(uow.session, row)
        )
        outbox_ids = _record_effects(uow, case_id, effects, row)
        uow.commit()
        return FireResult(case_id, event, from_state, case.state, case.version, effects, outbox_ids)


def _gather_facts(
    uow: UnitOfWork,
    read: StepRead,
    event: str,
    role: Role,
    today: date,
    payload: dict[str, Any],
    policy: Policy,
) -> Facts:
    """Read what the step's rules use, and nothing more: a step is on the hot path (the
    papers in the file and the partner came with the case)."""
    case = read.case
    assert case.id is not None and case.participant.id is not None
    step = machine_for(case.kind).definition.step(event)
    if step is None or case.state not in step.source or role not in step.roles:
        return Facts(today=today, payload=payload, policy=policy)  # the machine refuses it
    needed = facts_needed(step)
    return Facts(
        today=today,
        documents=read.documents,
        unfinished_cases=(
            uow.cases.unfinished_cases(case.participant.id, besides=case.id)
            if "unfinished_cases" in needed
            else ()
        ),
        payload=payload,
        policy=policy,
        partner=(
            partner_facts(uow.session, case, read=read.partner) if "partner" in needed else None
        ),
        distance_terms=(
            distance_terms(uow.session, case.id) if "distance_terms" in needed else frozenset()
        ),
    )


def _check_signers(
    uow: UnitOfWork, read: StepRead, kinds: list[DocumentKind], today: date
) -> Officials | None:
    """A paper the step asks for must have its signers and approvers on record for today:
    otherwise the step is refused, naming each missing post (4.1, 4.8), rather than queueing
    a paper that cannot be issued. Returns the registry (read with the case, else here), for
    the readiness check to build the papers from; None when the step asks for none."""
    if not kinds:
        return None
    from .officials import load_officials, officials_from_json  # officials → users → cases

    if read.officials is not None:
        officials = officials_from_json(read.officials)
    else:
        officials = load_officials(uow.session)
    missing = [m for kind in kinds for m in officials.missing(needs(kind, read.case), on=today)]
    if missing:
        raise RuleViolation(dict.fromkeys(missing))
    return officials


def _describe(effect: Effect) -> dict[str, Any]:
    if isinstance(effect, RenderDocument):
        return {"render": effect.document}
    if isinstance(effect, OpenDeadline):
        return {"open_deadline": effect.kind, "due": effect.due}
    return {"close_deadline": effect.kind}


def _record_effects(
    uow: UnitOfWork, case_id: int, effects: list[Effect], event: dict[str, Any]
) -> list[int]:
    """Deadlines are rows of our own database: written here. Documents need a flow: queued.
    The step's history event and the outbox rows are inserted from their columns (one
    INSERT each table, no ORM objects built and flushed). Returns the ids of the queued
    documents."""
    uow.session.execute(_INSERT_EVENT, event)
    documents: list[dict[str, str]] = []
    for effect in effects:
        if isinstance(effect, OpenDeadline):
            uow.cases.open_deadline(case_id, effect.kind, effect.due)
        elif isinstance(effect, CloseDeadline):
            uow.cases.close_deadline(case_id, effect.kind)
        else:
            documents.append({"document": effect.document})
    return outbox.queue_ids(uow.session, case_id, documents)


def log_refusal(
    engine: Engine,
    *,
    case_id: int,
    event: str,
    actor: Actor,
    state: str,
    refusal: Exception,
    payload: dict[str, Any],
) -> None:
    """Write a refused attempt to the case's history, in a transaction of its own. The
    case's row lock (taken by audit.append) queues it behind concurrent writers."""
    with UnitOfWork(engine) as uow:
        record_refusal(uow.session, case_id=case_id, event=event, actor=actor, state=state,
                       refusal=refusal, payload=payload)  # fmt: skip
        uow.commit()


def record_refusal(
    session: Session,
    *,
    case_id: int,
    event: str,
    actor: Actor,
    state: str,
    refusal: Exception,
    payload: dict[str, Any],
) -> None:
    """A refused attempt as a history event (flushed, not committed): what was asked, why it
    was refused, and the message key so each reader sees it in their own language."""
    audit.append(
        session,
        case_id=case_id,
        actor=actor.name,
        role=actor.role.value,
        event=event,
        outcome=AuditOutcome.refused,
        from_state=state,
        to_state=None,
        reason=str(refusal)[:2000],  # the column holds 2000 (a long list of refusals)
        data={"payload": payload, "refusal": type(refusal).__name__, "said": explain.said(refusal)},
    )
