"""Opening a case and taking its steps, as a logged-in user may; and, before a step is taken,
what it still misses and who takes it.

The refusals of a step (RuleViolation, NotPermitted, InvalidTransition, ConcurrencyConflict)
are written to the case's history by `cases.fire` under the case's lock; a step outside the
user's scope is written there by `case_access` before anything else is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine

from sapar.config import get_settings
from sapar.policy_file import load_policy
from states import guards as g
from states.kinds import DEFINITIONS, SAME_STATE, Step
from states.model import Case, CaseKind, Role
from states.policy import Policy
from storage.orm import PartnerRow
from storage.repository import CaseRepository
from storage.uow import UnitOfWork

from . import access, people
from . import readiness as paper_readiness
from .case_access import case_for
from .cases import FireResult, fire, open_case
from .schemas import CaseIn, FieldRefused, FireIn
from .users import User

# Steps that end a case early rather than move it on: offered on the case page, but no one
# "waits" for them, so they decide neither whose work a case is nor who acts next.
SIDE_EXITS = frozenset({"withdraw", "reject", "cancel"})
# Guards that choose the path (a project-funded trip goes by the project lead) rather than
# name something missing: a step they refuse is not this case's next step at all.
PATH_GUARDS = frozenset({g.project_funded_only, g.project_lead_first_unless_done})
# Guards fed by the step's own form (a reason, a date, a number): not missing before the form.
FORM_GUARDS = frozenset({g.reason_given, g.return_date_valid, g.failed_credits_given})


def open_new_case(engine: Engine, *, user: User, data: CaseIn) -> Case:
    """Open a case for a person of the registry (`person_id`) or, when none matches, for a
    new person; refused as `cases.open_case` says. Returns the opened case."""
    data.check_one_person()
    person = people.get(engine, data.person_id, user=user) if data.person_id is not None else None
    case = data.to_case(person)
    access.check_can_open(user, case)
    if data.partner_id is not None:
        with UnitOfWork(engine, read_only=True) as uow:
            if uow.session.get(PartnerRow, data.partner_id) is None:
                # 5.3: a case rests on a partner of the registry, not on a number typed in.
                raise FieldRefused("partner_id", "invalid.partner_unknown", id=data.partner_id)
    open_case(engine, actor=user.actor, case=case, confirm_new_person=data.confirm_new_person)
    return case


def take_step(
    engine: Engine,
    *,
    user: User,
    case_id: int,
    step: FireIn,
    today: date | None = None,
    policy: Policy | None = None,
) -> FireResult:
    """Fire a step; RuleViolation, NotPermitted, InvalidTransition or ConcurrencyConflict
    come back as they are (and are already in the case's history). The regulation's open
    settings come from the registrar's policy file unless given."""
    case_for(engine, user=user, case_id=case_id, action=step.event)
    try:
        return fire(
            engine,
            policy=policy or load_policy(get_settings().policy_file),
            case_id=case_id,
            event=step.event,
            actor=user.actor,
            payload=step.payload(),
            expected_version=step.expected_version,
            today=today,
        )
    except paper_readiness.NotReady as refusal:
        raise refusal.in_language(user.language) from None


# --- what a step still misses, and who takes it ---------------------------------------------


@dataclass(frozen=True)
class NextStep:
    """A step that moves the case on, who may take it, and what the regulation still misses."""

    event: str
    dest: str
    roles: tuple[Role, ...]
    missing: tuple[g.Refusal, ...]


def facts(cases: CaseRepository, case: Case, today: date) -> g.Facts:
    """What the guards read besides the case: its papers and the person's other cases."""
    assert case.id is not None and case.participant.id is not None
    return g.Facts(
        today=today,
        documents=cases.document_types(case.id),
        unfinished_cases=cases.unfinished_cases(case.participant.id, besides=case.id),
    )


def _missing(step: Step, case: Case, known: g.Facts) -> tuple[list[g.Refusal], bool]:
    """What the step's guards still miss (the form's own fields aside), and whether a path
    guard refused: then the step is not this case's way at all."""
    missing: list[g.Refusal] = []
    off_path = False
    for check in step.checks:
        if check in FORM_GUARDS:
            continue
        found = check(case, known)
        refusals = [found] if isinstance(found, g.Refusal) else list(found or [])
        off_path = off_path or bool(refusals and check in PATH_GUARDS)
        missing.extend(refusals)
    return missing, off_path


def forward_steps(kind: CaseKind, state: str) -> list[Step]:
    """The steps that move a case of this kind on from this state (no side exits)."""
    return [
        s
        for s in DEFINITIONS[kind].steps
        if state in s.source and s.event not in SIDE_EXITS and s.dest != SAME_STATE
    ]


def next_steps(case: Case, known: g.Facts) -> list[NextStep]:
    """The steps that move this case on now, whoever takes them, each with what it misses."""
    out: list[NextStep] = []
    for step in forward_steps(case.kind, case.state):
        missing, off_path = _missing(step, case, known)
        if not off_path:
            roles = tuple(r for r in Role if r in step.roles)
            out.append(NextStep(step.event, step.dest, roles, tuple(missing)))
    return out


def missing_for_my_steps(user: User, case: Case, known: g.Facts) -> dict[str, list[g.Refusal]]:
    """For each step this user may take now, what the regulation still misses (empty: ready):
    the same guards the step will run, evaluated without firing, so the case page shows the
    missing papers before the clerk tries. A path guard's refusal is said too: the button is
    there, and the page says why it would be refused."""
    return {s.event: _missing(s, case, known)[0] for s in access.steps_for(user, case)}
