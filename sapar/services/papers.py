"""A case's papers as staff handle them: a scan or file handed in (checked, filed, written to
the case's history), a paper asked for now, a document downloaded, a failed issuing retried.
Every call a user makes checks scope and duty first (sapar/services/case_access.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, func, select

from documents.kinds import TEMPLATED
from documents.render import languages_of
from sapar import clock
from states import guards as g
from states import roles
from states.dossier import PRINTED_ONLY, DocumentKind, Origin
from states.explained import Explained
from states.machine import NotPermitted
from storage import audit
from storage.files import FileStore
from storage.orm import AuditOutcome, DocumentRow
from storage.uow import UnitOfWork

from . import access, outbox
from . import readiness as paper_readiness
from .actors import Actor
from .case_access import case_for, refuse
from .contexts.signers import needs
from .issuing import request_document
from .officials import load_officials
from .outbox import unblock_case
from .schemas import FieldRefused
from .users import User

# A scanned paper: 10 MB is plenty (sapar.limits refuses a bigger upload at the door).
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# A signed order or a host's letter arrives as PDF (a scan) or DOCX; nothing else is filed.
ACCEPTED = {
    ".pdf": ("application/pdf", b"%PDF-"),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        b"PK\x03\x04",
    ),
}


@dataclass(frozen=True)
class PaperFacts:
    """What the papers OshSU issues print about a paper handed in: who issued it, its number
    and its date (the orders cite the host's invitation by them)."""

    issuer: str | None = None
    number: str | None = None
    date: dt.date | None = None


# The facts a paper must come with, because a document of the university prints them.
FACTS_REQUIRED: dict[DocumentKind, tuple[str, ...]] = {
    DocumentKind.invitation_letter: ("issuer", "number", "date"),  # the order's preamble (1.4)
    DocumentKind.partner_nomination: ("issuer", "date"),  # the enrolment order's basis (1.5)
    DocumentKind.host_transcript: ("issuer", "date"),  # the recognition decision (3.6)
}
FACT_LIMITS = {"issuer": 300, "number": 80}


def check_facts(doc_type: DocumentKind, facts: PaperFacts) -> None:
    for name, limit in FACT_LIMITS.items():
        value = getattr(facts, name)
        if value is not None and (len(value) > limit or not value.strip()):
            raise UploadRefused(f"{name}: at most {limit} characters, not blank")
    missing = [f for f in FACTS_REQUIRED.get(doc_type, ()) if getattr(facts, f) in (None, "")]
    if missing:
        raise UploadRefused(
            f"{missing[0]}: required with {doc_type.value} — the university's papers cite "
            f"its {', '.join(FACTS_REQUIRED[doc_type])}"
        )


class UploadRefused(Explained, ValueError):
    """A file we do not keep; the text starts with the field ("file: ...")."""


@dataclass(frozen=True)
class AttachedPaper:
    document_id: int
    sha256: str


def check_upload(filename: str, content: bytes) -> str:
    """Return the media type, or refuse with a message naming what is wrong."""
    suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix not in ACCEPTED:
        raise UploadRefused(
            f"file: '{filename}' is not a PDF or DOCX document", "file_type", name=filename
        )
    media_type, magic = ACCEPTED[suffix]
    if not content:
        raise UploadRefused(f"file: '{filename}' is empty", "file_empty", name=filename)
    if len(content) > MAX_UPLOAD_BYTES:
        size, limit = f"{len(content) / 1e6:.1f}", MAX_UPLOAD_BYTES // (1024 * 1024)
        raise UploadRefused(
            f"file: '{filename}' is {size} MB; at most {limit} MB",
            "file_too_big",
            name=filename,
            size=size,
            limit=limit,
        )
    if not content.startswith(magic):
        kind = suffix[1:].upper()
        raise UploadRefused(
            f"file: '{filename}' is not really a {kind} file", "file_fake", name=filename, type=kind
        )
    return media_type


def attach_paper(
    engine: Engine,
    files: FileStore,
    *,
    case_id: int,
    doc_type: DocumentKind,
    filename: str,
    content: bytes,
    actor: Actor,
    facts: PaperFacts | None = None,
    media_type: str | None = None,
) -> AttachedPaper:
    """File the paper and write it to the case's history. `media_type` comes with a file the
    caller checked by its own rules (the portal takes photos, see sapar/portal/uploads.py)."""
    if doc_type in PRINTED_ONLY:
        raise UploadRefused(
            f"doc_type: {doc_type.value} is printed here, never handed in",
            "paper_printed_only",
            type=doc_type.value,
        )
    media_type = media_type or check_upload(filename, content)
    facts = facts or PaperFacts()
    check_facts(doc_type, facts)
    # The file goes first: a crash after it leaves an unreferenced file, never a row
    # pointing at nothing.
    sha = files.put(content)
    with UnitOfWork(engine) as uow:
        audit.lock_head(uow.session, case_id)  # writers of a case's history queue here
        case = uow.cases.get(case_id)
        version = 1 + (
            uow.session.scalar(
                select(func.count()).where(
                    DocumentRow.case_id == case_id, DocumentRow.doc_type == doc_type.value
                )
            )
            or 0
        )
        row = DocumentRow(
            case_id=case_id,
            doc_type=doc_type.value,
            origin=Origin.uploaded,
            filename=filename,
            media_type=media_type,
            sha256=sha,
            size=len(content),
            version=version,
            created_by=actor.name,
            created_at=clock.now(),
            issuer=facts.issuer,
            ref_number=facts.number,
            ref_date=facts.date,
        )
        uow.session.add(row)
        uow.session.flush()
        audit.append(
            uow.session,
            case_id=case_id,
            actor=actor.name,
            role=actor.role.value,
            event="attach_document",
            outcome=AuditOutcome.applied,
            from_state=case.state,
            to_state=case.state,
            data={
                "document": doc_type,
                "filename": filename,
                "sha256": sha,
                "version": version,
                "issuer": facts.issuer,
                "number": facts.number,
                "date": facts.date,
            },
        )
        unblock_case(uow.session, case_id)  # a paper came: what waited for it may succeed
        uow.commit()
        return AttachedPaper(row.id, sha)


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
    """A paper handed into the case file by a member of staff who may."""
    # The file is checked before any refusal is logged: a bad file is the clerk's slip,
    # not an attempt on the case.
    media_type = check_upload(filename, content)
    facts = facts or PaperFacts()
    check_facts(doc_type, facts)
    case = case_for(engine, user=user, case_id=case_id, action="attach_document")
    try:
        access.check_can_upload(user, case)
    except NotPermitted as error:
        refuse(engine, user, case, "attach_document", error)
    return attach_paper(engine, files, case_id=case_id, doc_type=doc_type, filename=filename,
                        content=content, actor=user.actor, facts=facts,
                        media_type=media_type)  # fmt: skip


def request_paper(
    engine: Engine,
    *,
    user: User,
    case_id: int,
    kind: DocumentKind,
    language: str | None = None,
    today: dt.date | None = None,
) -> int:
    """Ask for a paper now: a form to print (ЖОП, questionnaire, consent, trip report) or the
    corrected reissue of one already issued. Refused, naming each missing field, when the
    case cannot fill it; returns the outbox item."""
    case = case_for(engine, user=user, case_id=case_id, action="request_document")
    try:
        access.check_can_upload(user, case)
    except NotPermitted as error:
        refuse(engine, user, case, "request_document", error)
    if kind not in TEMPLATED or kind is DocumentKind.faculty_mobility_report:
        # A paper someone hands in (an invitation, a transcript from abroad), or the
        # faculty's report, which belongs to no case: nothing to print for this case.
        raise FieldRefused("kind", "paper.not_printed_for_a_case", kind=kind.value)
    if language is not None and language not in languages_of(kind):
        # English exists for the papers that go abroad only (templates/en decides).
        raise FieldRefused("language", "paper.language_not_offered",
                           languages=", ".join(languages_of(kind)))  # fmt: skip
    day = today or clock.today()
    with UnitOfWork(engine, read_only=True) as uow:
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


class DocumentNotFound(LookupError):
    pass


@dataclass(frozen=True)
class Download:
    filename: str
    media_type: str
    content: bytes


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


def retry_paper(engine: Engine, *, user: User, case_id: int, outbox_id: int) -> None:
    """The case page's "retry": a failed issuing of this case goes back in the queue."""
    case_for(engine, user=user, case_id=case_id, action="retry_effect")
    if user.role not in roles.RETRIERS:
        raise NotPermitted(
            f"a {user.role.value} account does not retry documents", "not_retrier", role=user.role
        )
    if not any(item.id == outbox_id for item in outbox.case_outbox(engine, case_id)):
        raise outbox.NothingToRetry(f"case #{case_id} has no outbox item #{outbox_id}")
    outbox.retry_effect(engine, outbox_id)
