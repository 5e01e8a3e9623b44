"""Refused reads: who tried to open a case outside their scope, kept apart from the case.

A case's history is permanent and chained; a GET repeated fifty times must not grow it by
fifty events. Refused reads go to their own table instead, capped at `CAP` rows: each write
prunes what fell out of the window (one range DELETE on the primary key).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, delete, select

from sapar import clock
from storage.orm import AccessLogRow
from storage.uow import UnitOfWork

from .actors import Actor

# About a year of refusals at a busy office; what is older is not evidence anyone reads.
CAP = 100_000


@dataclass(frozen=True)
class AccessLine:
    at: datetime
    actor: str
    role: str
    case_id: int | None
    action: str
    reason: str


def record(
    engine: Engine, *, actor: Actor, case_id: int | None, action: str, reason: str, cap: int = CAP
) -> None:
    """Write one refused read and prune the log to its last `cap` rows."""
    with UnitOfWork(engine) as uow:
        row = AccessLogRow(
            at=clock.now(),
            actor=actor.name,
            role=actor.role.value,
            case_id=case_id,
            action=action,
            reason=reason[:2000],
        )
        uow.session.add(row)
        uow.session.flush()
        uow.session.execute(
            delete(AccessLogRow)
            .where(AccessLogRow.id <= row.id - cap)
            .execution_options(synchronize_session=False)
        )
        uow.commit()


def recent(engine: Engine, *, limit: int = 100, case_id: int | None = None) -> list[AccessLine]:
    """The latest refused reads, newest first (of one case, if given)."""
    q = select(AccessLogRow).order_by(AccessLogRow.id.desc()).limit(limit)
    if case_id is not None:
        q = q.where(AccessLogRow.case_id == case_id)
    with UnitOfWork(engine, read_only=True) as uow:
        return [
            AccessLine(r.at, r.actor, r.role, r.case_id, r.action, r.reason)
            for r in uow.session.scalars(q)
        ]
