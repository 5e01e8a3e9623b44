"""The outbox of side effects transitions recorded: what is waiting, what failed, retry."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, select, update

from storage.orm import OutboxRow
from storage.uow import UnitOfWork

# A failing item is retried by each sweep (every task attempt counts) until it has failed
# this often; then it waits for a person to press "retry", so a broken template does not
# fail a flow run every five minutes forever.
MAX_AUTOMATIC_ATTEMPTS = 8


class NothingToRetry(LookupError):
    pass


def items_to_sweep(
    engine: Engine, *, limit: int = 200, max_attempts: int = MAX_AUTOMATIC_ATTEMPTS
) -> list[int]:
    """Outbox items for the sweep, oldest first: pending ones, and failed ones not given up."""
    with UnitOfWork(engine, read_only=True) as uow:
        return list(
            uow.session.scalars(
                select(OutboxRow.id)
                .where(
                    (OutboxRow.status == "pending")
                    | ((OutboxRow.status == "failed") & (OutboxRow.attempts < max_attempts))
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


def retry_effect(engine: Engine, outbox_id: int) -> None:
    """The web's "retry" button: put a failed item back in the queue for the next sweep
    (a pending item is swept however often it failed before).

    Only a failed item goes back; a done one stays done (its document exists), so a double
    click or a stale page never asks for a second document.
    """
    with UnitOfWork(engine) as uow:
        changed = uow.session.execute(
            update(OutboxRow)
            .where(OutboxRow.id == outbox_id, OutboxRow.status == "failed")
            .values(status="pending")
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
        rows = uow.session.scalars(
            select(OutboxRow).where(OutboxRow.case_id == case_id).order_by(OutboxRow.id)
        )
        return [
            OutboxItem(
                r.id,
                r.case_id,
                r.kind,
                r.payload.get("document"),
                r.status,
                r.attempts,
                r.last_error,
            )
            for r in rows
        ]
