"""The outbox of side effects transitions recorded: what is waiting, what failed, retry.

Every query of the outbox table is here (a unit test checks): the steps that queue papers,
the sweep's selection, issuing's lock and marks, the trigger's and the group order's
look-ups. An item is `pending` (waiting for a flow or the sweep), `done` (its document
exists) or `failed` (with or without a next automatic attempt).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import Connection, Engine, Row, Select, Table, case, insert, literal, select, update
from sqlalchemy.orm import Session

from sapar import clock
from storage.orm import OutboxRow, OutboxStatus
from storage.uow import UnitOfWork

# Automatic retries back off by time, not by count: 1, 2, 4, … minutes after each failure,
# at most an hour apart, for up to three days from the first failure. An outage of the
# file store or the database of an hour (or a weekend) heals by itself; after three days
# the item waits for a person to press "retry", so a failure nobody fixes does not fail a
# flow run every hour forever.
FIRST_DELAY = timedelta(minutes=1)
MAX_DELAY = timedelta(hours=1)
RETRY_WINDOW = timedelta(days=3)
# An exception whose class has `permanent = True` (missing data, a broken template) is not
# retried automatically at all: it waits for the case or the template to change and a person
# to press "retry" (sapar.services.issuing records failures with that in mind).


class NothingToRetry(LookupError):
    pass


def retry_delay(attempts: int) -> timedelta:
    """How long after its `attempts`-th failure an item is tried again."""
    return min(MAX_DELAY, FIRST_DELAY * 2 ** min(max(attempts - 1, 0), 20))


def after_failure(
    item: OutboxRow, now: datetime, *, count_attempt: bool = True, permanent: bool = False
) -> None:
    """Mark `item` failed at `now` and schedule its next automatic attempt (or none: a
    permanent failure, or the retry window is over).

    `count_attempt=False` for a retry of the same try (a Prefect task retry): the error is
    recorded, the item's attempts and its schedule are not spent."""
    item.status = OutboxStatus.failed
    first = item.first_failed_at
    if first is None:
        item.first_failed_at = first = now
    if count_attempt or item.attempts == 0:
        item.attempts += 1
    if first.tzinfo is None:  # SQLite hands timestamps back without their zone
        first = first.replace(tzinfo=UTC)
    due = now + retry_delay(item.attempts)
    item.next_attempt_at = None if permanent or due - first > RETRY_WINDOW else due


def new_item(case_id: int, payload: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The columns of an item asking for a paper (`payload["document"]`), waiting its turn."""
    return {
        "case_id": case_id,
        "kind": "render_document",
        "payload": payload,
        "status": OutboxStatus.pending,
        "attempts": 0,
        "created_at": now,
    }


def queue(session: Session, case_id: int, payloads: Iterable[dict[str, Any]]) -> list[OutboxRow]:
    """Queue papers for a case in the caller's transaction (a step's, a request's): they are
    committed with it or not at all. The rows get their ids at the session's next flush."""
    now = clock.now()
    rows = [OutboxRow(**new_item(case_id, p, now)) for p in payloads]
    session.add_all(rows)
    return rows


_QUEUE = insert(cast(Table, OutboxRow.__table__)).returning(
    OutboxRow.__table__.c.id, sort_by_parameter_order=True
)


def queue_ids(session: Session, case_id: int, payloads: Sequence[dict[str, Any]]) -> list[int]:
    """`queue` as one INSERT at once, without ORM objects (a step's hot path): the ids of
    the items, in the order of `payloads`."""
    if not payloads:
        return []
    now = clock.now()
    return list(session.scalars(_QUEUE, [new_item(case_id, p, now) for p in payloads]))


def queue_many(conn: Connection, items: Sequence[tuple[int, dict[str, Any]]]) -> None:
    """`queue` for many cases in one INSERT, on a Core connection (the deadline check)."""
    if items:
        now = clock.now()
        table = cast(Table, OutboxRow.__table__)
        conn.execute(insert(table), [new_item(case_id, p, now) for case_id, p in items])


def queue_selected(conn: Connection, rows: Select[tuple[int, Any]]) -> int:
    """`queue_many` for the (case id, payload) pairs a SELECT yields, the payload built by the
    database: one INSERT … SELECT whatever their number, no row through Python (the
    deadline check). Returns how many were queued."""
    table = cast(Table, OutboxRow.__table__)
    now = clock.now()
    chosen = rows.subquery()
    stmt = insert(table).from_select(
        ["case_id", "payload", "kind", "status", "attempts", "created_at"],
        select(
            *chosen.c,
            literal("render_document"),
            literal(str(OutboxStatus.pending)),
            literal(0),
            literal(now, table.c.created_at.type),
        ),
    )
    return int(conn.execute(stmt.execution_options(preserve_rowcount=True)).rowcount or 0)


def pending_of_case(engine: Engine, case_id: int) -> list[int]:
    """A case's items no flow has taken yet, oldest first (what a step just asked for)."""
    return pending_of_cases(engine, [case_id])


def pending_of_cases(engine: Engine, case_ids: Sequence[int]) -> list[int]:
    """`pending_of_case` for the cases steps were just taken on, in one query, oldest first."""
    with UnitOfWork(engine, read_only=True) as uow:
        return list(
            uow.session.scalars(
                select(OutboxRow.id)
                .where(OutboxRow.case_id.in_(case_ids), OutboxRow.status == OutboxStatus.pending)
                .order_by(OutboxRow.id)
            )
        )


def unissued_of_cases(session: Session, case_ids: Sequence[int]) -> list[tuple[int, str]]:
    """(item id, document) of the cases' papers not issued yet (pending or failed), oldest
    first: what a group order gathers under one number."""
    rows = session.scalars(
        select(OutboxRow)
        .where(
            OutboxRow.case_id.in_(case_ids),
            OutboxRow.kind == "render_document",
            OutboxRow.status.in_((OutboxStatus.pending, OutboxStatus.failed)),
        )
        .order_by(OutboxRow.id)
    )
    return [(row.id, str(row.payload.get("document", ""))) for row in rows]


def lock_items(session: Session, outbox_ids: Sequence[int]) -> list[Row[Any]]:
    """The items, in id order (two issuers never wait on each other in a circle), locked
    until the caller's transaction ends; raises LookupError if one does not exist. Their
    columns read-only (mark_done writes them), not ORM objects: a group order locks a
    thousand items, and building (then collecting) the objects cost more than the query."""
    table = OutboxRow.__table__
    items = list(
        session.execute(
            select(table).where(table.c.id.in_(outbox_ids)).order_by(table.c.id).with_for_update()
        )
    )
    if len(items) != len(set(outbox_ids)):
        raise LookupError(f"outbox items {sorted(outbox_ids)} do not all exist")
    return items


def mark_done(
    session: Session, outbox_ids: Sequence[int], now: datetime, *, count_attempt: bool = True
) -> None:
    """The items' documents were issued (in the same transaction; the items locked by
    lock_items). One UPDATE for all: a group order's thousand items would otherwise be a
    thousand dirty objects flushed as a thousand updates."""
    attempts = (
        OutboxRow.attempts + 1
        if count_attempt
        else case((OutboxRow.attempts == 0, 1), else_=OutboxRow.attempts)
    )
    session.execute(
        update(OutboxRow)
        .where(OutboxRow.id.in_(outbox_ids))
        .values(
            status=OutboxStatus.done,
            done_at=now,
            last_error=None,
            next_attempt_at=None,
            attempts=attempts,
        )
        .execution_options(synchronize_session=False)
    )


def record_failure(
    engine: Engine,
    outbox_ids: Sequence[int],
    error: str,
    *,
    permanent: bool,
    count_attempt: bool = True,
    now: datetime | None = None,
) -> None:
    """In a transaction of its own (the one that failed was rolled back): the items not done
    meanwhile are failed with `error`, and get their next attempt (`after_failure`)."""
    with UnitOfWork(engine) as uow:
        for item in uow.session.scalars(
            select(OutboxRow).where(OutboxRow.id.in_(outbox_ids)).with_for_update()
        ):
            if item.status != OutboxStatus.done:
                after_failure(item, now or clock.now(), count_attempt=count_attempt,
                              permanent=permanent)  # fmt: skip
                item.last_error = error[:4000]
        uow.commit()


def unblock_case(session: Session, case_id: int) -> int:
    """The case changed: its papers that no retry would try again (a permanent failure) may
    succeed now. Returns how many were put back in the queue."""
    result = session.execute(
        update(OutboxRow)
        .where(
            OutboxRow.case_id == case_id,
            OutboxRow.status == OutboxStatus.failed,
            OutboxRow.next_attempt_at.is_(None),
        )
        .values(status=OutboxStatus.pending, first_failed_at=None)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def unblock_cases(session: Session, case_ids: Select[Any]) -> int:
    """`unblock_case` for many cases in one statement (an import correcting many people)."""
    result = session.execute(
        update(OutboxRow)
        .where(
            OutboxRow.case_id.in_(case_ids),
            OutboxRow.status == OutboxStatus.failed,
            OutboxRow.next_attempt_at.is_(None),
        )
        .values(status=OutboxStatus.pending, first_failed_at=None)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def items_to_sweep(engine: Engine, *, now: datetime | None = None, limit: int = 200) -> list[int]:
    """Outbox items for the sweep, oldest first: pending ones, and failed ones whose next
    automatic attempt is due. The one selection the flow, the CLI, the demo and the tests
    use (through sapar.services.issuing.sweep or the sweep flow)."""
    now = now or clock.now()
    with UnitOfWork(engine, read_only=True) as uow:
        return list(
            uow.session.scalars(
                select(OutboxRow.id)
                .where(
                    (OutboxRow.status == OutboxStatus.pending)
                    | (
                        (OutboxRow.status == OutboxStatus.failed)
                        & OutboxRow.next_attempt_at.is_not(None)
                        & (OutboxRow.next_attempt_at <= now)
                    )
                )
                .order_by(OutboxRow.id)
                .limit(limit)
            )
        )


@dataclass(frozen=True)
class OutboxItem:
    id: int
    case_id: int
    kind: str
    document: str | None
    status: str
    attempts: int
    last_error: str | None
    next_attempt_at: datetime | None = None


def retry_effect(engine: Engine, outbox_id: int) -> None:
    """The web's "retry" button: put a failed item back in the queue for the next sweep,
    with a fresh retry window.

    Only a failed item goes back; a done one stays done (its document exists), so a double
    click or a stale page never asks for a second document.
    """
    with UnitOfWork(engine) as uow:
        changed = uow.session.execute(
            update(OutboxRow)
            .where(OutboxRow.id == outbox_id, OutboxRow.status == OutboxStatus.failed)
            .values(status=OutboxStatus.pending, first_failed_at=None, next_attempt_at=None)
            .execution_options(synchronize_session=False)
        )
        if changed.rowcount != 1:  # type: ignore[attr-defined]
            row = uow.session.get(OutboxRow, outbox_id)
            state = "does not exist" if row is None else f"is {row.status}, not failed"
            raise NothingToRetry(f"outbox item #{outbox_id} {state}: nothing to retry")
        uow.commit()


def case_outbox(engine: Engine, case_id: int) -> list[OutboxItem]:
    """A case's side effects, oldest first, for the case page."""
    with UnitOfWork(engine, read_only=True) as uow:
        return outbox_items(uow.session, case_id)


def outbox_items(session: Session, case_id: int) -> list[OutboxItem]:
    rows = session.scalars(
        select(OutboxRow).where(OutboxRow.case_id == case_id).order_by(OutboxRow.id)
    )
    return [
        OutboxItem(
            r.id, r.case_id, r.kind, r.payload.get("document"), r.status, r.attempts,
            r.last_error, r.next_attempt_at,
        )
        for r in rows
    ]  # fmt: skip
