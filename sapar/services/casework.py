"""The case service as a logged-in user sees it: every call checks scope and duty first.

Thin wrappers over `cases`, `papers` and the repository; a refused change is written to the
case's history (who tried what) before it is raised, a refused read to the access log, so
the web, the API and the CLI all leave the same trace.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, select

from sapar import clock
from sapar.config import get_settings
from sapar.policy_file import load_policy
from states import guards as g
from states.dossier import DocumentKind
from states.machine import NotPermitted
from states.model import Case
from states.policy import Policy
from storage.files import FileStore
from storage.orm import DocumentRow, PartnerRow
from storage.uow import UnitOfWork

from . import access, access_log, people
from . import readiness as paper_readiness
from .cases import FireResult, fire, log_refusal, open_case
from .issuing import request_document
from .papers import AttachedPaper, PaperFacts, attach_paper, check_facts, check_upload
from .paperwork import needs
from .schemas import CaseIn, FieldRefused, FireIn
from .users import User


class DocumentNotFound(LookupError):
    pass


@dataclass(frozen=True)
class Download:
    filename: str
    media_type: str
    content: bytes


# Actions that only read: refused, they go to the capped access log, not the case's history.
READS = frozenset({"view", "download_document", "avn_export"})


def _refuse(engine: Engine, user: User, case: Case, action: str, error: NotPermitted) -> None:
    assert case.id is not None
    if action in READS:
        access_log.record(
            engine, actor=user.actor, case_id=case.id, action=action, reason=str(error)
        )
        raise error
    log_refusal(
        engine,
        case_id=case.id,
        event=action,
        actor=user.actor,
        state=case.state,
        refusal=error,
        payload={},
    )
    raise error


def case_for(engine: Engine, *, user: User, case_id: int, action: str = "view") -> Case:
    """The case, if this user may see it; else the refusal is logged and raised (a read to
    the access log, a change to the case's history)."""
    with UnitOfWork(engine, read_only=True) as uow:
        case = uow.cases.get(case_id)
    ensure_can_see(engine, user=user, case=case, action=action)
    return case


def ensure_can_see(engine: Engine, *, user: User, case: Case, action: str = "view") -> None:
    """For a case already read: refuse (and log) when it is outside the user's scope."""
    try:
        access.check_can_see(user, case)
    except NotPermitted as error:
        _refuse(engine, user, case, action, error)


def open_new_case(engine: Engine, *, user: User, data: CaseIn) -> Case:
    """Open a case for a person of the registry (`person_id`) or, when none matches, for a
    new person; refused as `open_case` says. Returns the opened case."""
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
    case = case_for(engine, user=user, case_id=case_id, action=step.event)
    try:
        return _fire(engine, user, case, case_id, step, today, policy)
    except paper_readiness.NotReady as refusal:
        raise refusal.in_language(user.language) from None


def _fire(
    engine: Engine,
    user: User,
    case: Case,
    case_id: int,
    step: FireIn,
    today: date | None,
    policy: Policy | None,
) -> FireResult:
    return fire(
        engine,
        policy=policy or load_policy(get_settings().policy_file),
        case_id=case.id or case_id,
        event=step.event,
        actor=user.actor,
        payload=step.payload(),
        expected_version=step.expected_version,
        today=today,
    )


def hand_in(
    engine: Engine,
    files: FileStore,
    *,
    user: User,
    case_id: int,
    doc_type: DocumentKind,
    filename: str,
    content: bytes,
    facts: PaperFacts | None = None,
) -> AttachedPaper:
    # The file is checked before any refusal is logged: a bad file is the clerk's slip,
    # not an attempt on the case.
    check_upload(filename, content)
    facts = facts or PaperFacts()
    check_facts(doc_type, facts)
    case = case_for(engine, user=user, case_id=case_id, action="attach_document")
    try:
        access.check_can_upload(user, case)
    except NotPermitted as error:
        _refuse(engine, user, case, "attach_document", error)
    return attach_paper(
        engine,
        files,
        case_id=case_id,
        doc_type=doc_type,
        filename=filename,
        content=content,
        actor=user.actor,
        facts=facts,
    )


def request_paper(
    engine: Engine,
    *,
    user: User,
    case_id: int,
    kind: DocumentKind,
    language: str | None = None,
    today: date | None = None,
) -> int:
    """Ask for a paper now: a form to print (ЖОП, questionnaire, consent, trip report) or the
    corrected reissue of one already issued. Refused, naming each missing field, when the
    case cannot fill it; returns the outbox item."""
    case = case_for(engine, user=user, case_id=case_id, action="request_document")
    try:
        access.check_can_upload(user, case)
    except NotPermitted as error:
        _refuse(engine, user, case, "request_document", error)
    day = today or clock.today()
    with UnitOfWork(engine, read_only=True) as uow:
        from .officials import load_officials  # officials → users → cases → casework

        # Who signs it first, as a step does (cases._check_signers): a missing dean or
        # rector is a refusal naming the post (4.1, 4.8), not a paper that fails later.
        officials = load_officials(uow.session)
        absent = officials.missing(needs(kind, case), on=day)
        if absent:
            raise g.RuleViolation(dict.fromkeys(absent))
        missing = paper_readiness.problems(uow.session, case, [kind], today=day,
                                           officials=officials)  # fmt: skip
    if missing:
        raise paper_readiness.NotReady(missing, user.language)
    return request_document(engine, case_id=case_id, kind=kind, language=language)


def document_download(
    engine: Engine, files: FileStore, *, user: User, case_id: int, document_id: int
) -> Download:
    case_for(engine, user=user, case_id=case_id, action="download_document")
    with UnitOfWork(engine, read_only=True) as uow:
        row = uow.session.scalar(
            select(DocumentRow).where(DocumentRow.id == document_id, DocumentRow.case_id == case_id)
        )
        if row is None:
            raise DocumentNotFound(f"case #{case_id} has no document #{document_id}")
        return Download(row.filename, row.media_type, files.get(row.sha256))


# Guards that read the step's own data (a reason, a date, a number): the form supplies it,
# so they say nothing about whether the case is ready.
_FROM_THE_FORM = frozenset({g.reason_given, g.return_date_valid, g.failed_credits_given})


def readiness(
    engine: Engine, *, user: User, case: Case, today: date | None = None
) -> dict[str, list[g.Refusal]]:
    """For each step this user may take now, what the regulation still misses (empty: ready).

    The same guards the step will run, evaluated without firing: the case page shows the
    missing papers before the clerk tries."""
    assert case.id is not None and case.participant.id is not None
    with UnitOfWork(engine, read_only=True) as uow:
        facts = g.Facts(
            today=today or clock.today(),
            documents=uow.cases.document_types(case.id),
            unfinished_cases=uow.cases.unfinished_cases(case.participant.id, besides=case.id),
        )
    out: dict[str, list[g.Refusal]] = {}
    for step in access.steps_for(user, case):
        missing: list[g.Refusal] = []
        for check in step.checks:
            if check in _FROM_THE_FORM:
                continue
            found = check(case, facts)
            refusals = [found] if isinstance(found, g.Refusal) else list(found or [])
            missing.extend(refusals)
        out[step.event] = missing
    return out
