"""Issuing the papers transitions asked for: render, number, store — exactly once.

Each outbox item is executed in one transaction that takes its number, records the document
and marks the item done; the file is written (content-addressed, so writing it twice is
harmless) before that commit. Running an item again finds it done and returns the same
document: a re-run flow or a retried task never yields a second number or file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Engine, Row, insert, select
from sqlalchemy.orm import Session

from documents import Language, context_model, render
from documents.errors import ContextError, TemplateProblem
from sapar import clock
from sapar.officials import OfficialsMissing
from states.dossier import DocumentKind, Origin
from states.numbering import registration_number, series_of
from storage import audit
from storage.files import FileStore
from storage.numbering import next_number
from storage.orm import AuditOutcome, DocumentRow, OutboxStatus
from storage.uow import UnitOfWork

from . import outbox
from .contexts import build_context
from .contexts.common import language_for
from .contexts.dossier import Issue, issued_on, load_dossiers
from .contexts.signers import needs
from .officials import load_officials


@dataclass(frozen=True)
class Clerk:
    """Who the papers name as their executor (исполнитель)."""

    name: str = "sapar"
    phone: str = "+996 3222 7-07-12"
    language: str = "ky"


def execute_effect(
    engine: Engine,
    files: FileStore,
    outbox_id: int,
    *,
    clerk: Clerk = Clerk(),
    count_attempt: bool = True,
    now: datetime | None = None,
) -> int | None:
    """Execute one outbox item; return the id of the document it issued."""
    return execute_together(
        engine, files, [outbox_id], clerk=clerk, count_attempt=count_attempt, now=now
    )


def execute_group_order(
    engine: Engine,
    files: FileStore,
    outbox_ids: Sequence[int],
    *,
    clerk: Clerk = Clerk(),
    count_attempt: bool = True,
) -> int | None:
    """One order for many cases (a table row per student), under one number."""
    return execute_together(engine, files, outbox_ids, clerk=clerk, count_attempt=count_attempt)


@dataclass(frozen=True)
class Swept:
    issued: list[int]  # outbox ids now done
    failed: list[str]  # "#id: error" of those that failed this time
    documents: list[int | None] = field(default_factory=list)  # what each issued item made


def sweep(
    engine: Engine,
    files: FileStore,
    *,
    now: datetime | None = None,
    limit: int = 200,
    clerk: Clerk = Clerk(),
) -> Swept:
    """THE sweep: issue what is pending and retry the failed items whose next attempt is
    due (sapar.services.outbox.items_to_sweep), each in its own transaction; one failure is
    recorded on its item and the others go on. The CLI, the demo and the tests call this;
    the sweep flow runs the same selection and the same issue_items in Prefect tasks."""
    return issue_items(engine, files, outbox.items_to_sweep(engine, now=now, limit=limit),
                       clerk=clerk, now=now)  # fmt: skip


def issue_items(
    engine: Engine,
    files: FileStore,
    outbox_ids: Sequence[int],
    *,
    clerk: Clerk = Clerk(),
    count_attempt: bool = True,
    now: datetime | None = None,
) -> Swept:
    """Issue the given items one by one; a failure is recorded on its item and named."""
    swept = Swept([], [])
    for outbox_id in outbox_ids:
        try:
            doc = execute_effect(
                engine, files, outbox_id, clerk=clerk, count_attempt=count_attempt, now=now
            )
        except Exception as exc:  # recorded on the item by execute_together; the rest go on
            swept.failed.append(f"#{outbox_id}: {type(exc).__name__}: {exc}")
            continue
        swept.issued.append(outbox_id)
        swept.documents.append(doc)
    return swept


def execute_together(
    engine: Engine,
    files: FileStore,
    outbox_ids: Sequence[int],
    *,
    clerk: Clerk = Clerk(),
    count_attempt: bool = True,
    now: datetime | None = None,
) -> int | None:
    try:
        with UnitOfWork(engine) as uow:
            items = outbox.lock_items(uow.session, outbox_ids)
            if all(i.status == OutboxStatus.done for i in items):
                return _issued_for(uow.session, items[0])
            kinds = {i.payload["document"] for i in items}
            if len(kinds) != 1:
                raise ValueError(f"items {list(outbox_ids)} ask for different documents: {kinds}")
            doc_id = _issue(uow, files, items, DocumentKind(kinds.pop()), clerk, count_attempt)
            uow.commit()
            return doc_id
    except Exception as exc:
        # An error that says it cannot pass by itself (`permanent = True` on its class:
        # missing data, a broken template) is not retried automatically.
        permanent = is_permanent(exc) or bool(getattr(exc, "permanent", False))
        error = f"{type(exc).__name__}: {exc}"
        outbox.record_failure(engine, outbox_ids, error, permanent=permanent,
                              count_attempt=count_attempt, now=now)  # fmt: skip
        raise


def _issued_for(session: Session, item: Row[Any]) -> int | None:
    return session.scalar(select(DocumentRow.id).where(DocumentRow.request_key == _key(item)))


def _key(item: Row[Any]) -> str:
    return f"outbox:{item.id}"


def _issue(
    uow: UnitOfWork,
    files: FileStore,
    items: list[Row[Any]],
    kind: DocumentKind,
    clerk: Clerk,
    count_attempt: bool = True,
) -> int:
    session = uow.session
    today = clock.today()
    # The cases' rows first, in id order (two group orders never wait on each other in a
    # circle): the history appends below then queue behind any step on these cases, and
    # the states read next are the ones the events will record.
    heads = audit.lock_heads(session, [i.case_id for i in items])
    dossiers = load_dossiers(session, uow.cases.get_many([i.case_id for i in items]))
    series = series_of(kind)
    # A corrected reissue keeps the number of the paper it corrects, also when a signed scan
    # of it was uploaded since (the scan is a later row of the same kind, without a number).
    earlier = (
        [p for p in dossiers[0].papers if p.doc_type == kind.value and p.origin == Origin.generated]
        if len(items) == 1
        else []
    )
    numbered = [p for p in earlier if p.number]
    if numbered:
        number: str | None = numbered[0].number
    elif series:
        number = registration_number(next_number(session, series, today.year), series)
    else:
        number = None
    # A language a clerk chose, else the paper's own: English for a letter abroad (12.7).
    chosen = items[0].payload.get("language") or language_for(
        kind, dossiers[0].case, clerk.language
    )
    language = cast(Language, chosen)
    officials = load_officials(session)
    missing = [m for d in dossiers for m in officials.missing(needs(kind, d.case), on=today)]
    if missing:  # the step checked them; an appointment ended since
        raise OfficialsMissing(dict.fromkeys(missing))
    issue = Issue(number, today, officials, clerk.name, clerk.phone, language)
    context = build_context(kind, dossiers, issue)
    if earlier and "replaces" in context_model(kind).model_fields:
        # Printed: "version 2 (corrected), replaces the one of <date>" (issue 12.4).
        last = max(earlier, key=lambda p: (p.version, p.id))
        context |= {"version": len(earlier) + 1, "replaces": issued_on(last)}
    rendered = render(kind, language, context)
    sha = files.put(rendered.content)
    now = clock.now()
    rows: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    # Every student's document row, outbox mark and history event, written together: one
    # statement each for the whole group, not four per student; as plain column values, since
    # a thousand ORM objects cost more to build (and to collect) than the writes themselves.
    for item, dossier in zip(items, dossiers, strict=True):
        previous = dossier.latest(kind)
        version = (previous.version + 1) if previous else 1
        rows.append(
            {
                "case_id": item.case_id,
                "doc_type": kind.value,
                "origin": Origin.generated,
                "filename": rendered.suggested_filename,
                "media_type": rendered.media_type,
                "sha256": sha,
                "size": len(rendered.content),
                "language": language,
                "template": rendered.template_name,
                "template_version": rendered.template_version,
                "number": number,
                "version": version,
                "request_key": _key(item),
                "issuer": None,
                "ref_number": None,
                "ref_date": None,
                "created_by": clerk.name,
                "created_at": now,
            }
        )
        events.append(
            {
                "case_id": item.case_id,
                "actor": clerk.name,
                "role": "system",
                "event": "issue_document",
                "outcome": AuditOutcome.applied,
                "from_state": dossier.case.state,
                "to_state": dossier.case.state,
                "data": {"document": kind, "number": number, "sha256": sha, "version": version},
            }
        )
    session.execute(insert(DocumentRow), rows)
    outbox.mark_done(session, [i.id for i in items], now, count_attempt=count_attempt)
    audit.append_many(session, heads, events)
    first = session.scalar(select(DocumentRow.id).where(DocumentRow.request_key == _key(items[0])))
    assert first is not None
    return first


PERMANENT_FAILURES: tuple[type[Exception], ...] = (ContextError, TemplateProblem)
"""Failures no retry can fix: the case lacks a field the paper prints, or the template is
broken. The item fails with no next attempt (`after_failure(permanent=True)`) until the case
changes (`outbox.unblock_case`: a correction, a paper handed in) or a person presses retry after
fixing the template."""


def is_permanent(exc: BaseException) -> bool:
    return isinstance(exc, PERMANENT_FAILURES)


def request_document(
    engine: Engine, *, case_id: int, kind: DocumentKind, language: str | None = None
) -> int:
    """Queue a paper on demand (a form to print, or a corrected reissue): returns the item id.

    A reissue is a new version of the document; the old version stays in the case file."""
    with UnitOfWork(engine) as uow:
        uow.cases.get(case_id)  # refuses an unknown case
        payload: dict[str, str] = {"document": kind.value}
        if language:
            payload["language"] = language
        [item] = outbox.queue(uow.session, case_id, [payload])
        uow.commit()
        return item.id
