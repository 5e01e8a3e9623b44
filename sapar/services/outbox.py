"""The outbox of side effects transitions recorded: what is waiting, what failed, retry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from sapar import clock
from storage.orm import OutboxRow
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
    item.status = "failed"
    first = item.first_failed_at
    if first is None:
        item.first_failed_at = first = now
    if count_attempt or item.attempts == 0:
        item.attempts += 1
    if first.tzinfo is None:  # SQLite hands timestamps back without their zone
        first = first.replace(tzinfo=UTC)
    due = now + retry_delay(item.attempts)
    item.next_attempt_at = None if permanent or due - first > RETRY_WINDOW else due


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
                    (OutboxRow.status == "pending")
                    | (
                        (OutboxRow.status == "failed")
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
            .where(OutboxRow.id == outbox_id, OutboxRow.status == "failed")
            .values(status="pending", first_failed_at=None, next_attempt_at=None)
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
