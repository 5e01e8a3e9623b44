"""The case history: append-only audit events, hash-chained per case.

Each event's hash covers its own fields and the previous event's hash, so changing,
deleting or reordering any stored event breaks the chain from that point on.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.orm import AuditEventRow

GENESIS = "0" * 64


def to_json(value: Any) -> Any:
    """Event data as plain JSON: dates as ISO strings, enums as their values."""
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_json(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "value") and isinstance(value.value, str | int):
        return value.value
    return value


def utc_text(at: datetime) -> str:
    # SQLite hands timestamps back without their zone: hash the UTC wall time, which both
    # databases return unchanged.
    if at.tzinfo is not None:
        at = at.astimezone(UTC).replace(tzinfo=None)
    return at.isoformat(timespec="microseconds")


def event_hash(row: AuditEventRow) -> str:
    body = {
        "case_id": row.case_id,
        "seq": row.seq,
        "at": utc_text(row.at),
        "actor": row.actor,
        "role": row.role,
        "event": row.event,
        "outcome": row.outcome,
        "from": row.from_state,
        "to": row.to_state,
        "reason": row.reason,
        "data": row.data,
        "prev": row.prev_hash,
    }
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def append(
    session: Session,
    *,
    case_id: int,
    actor: str,
    role: str,
    event: str,
    outcome: str,
    from_state: str | None,
    to_state: str | None,
    reason: str | None = None,
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEventRow:
    """Add the next event of the case's chain to the session (flushed, not committed)."""
    last = session.execute(
        select(AuditEventRow.seq, AuditEventRow.hash)
        .where(AuditEventRow.case_id == case_id)
        .order_by(AuditEventRow.seq.desc())
        .limit(1)
    ).first()
    row = AuditEventRow(
        case_id=case_id,
        seq=(last.seq + 1) if last else 1,
        at=(at or datetime.now(UTC)).astimezone(UTC),
        actor=actor,
        role=role,
        event=event,
        outcome=outcome,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        data=to_json(data or {}),
        prev_hash=last.hash if last else GENESIS,
    )
    row.hash = event_hash(row)
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True)
class ChainReport:
    case_id: int
    events: int
    first_broken_seq: int | None = None
    problem: str | None = None

    @property
    def intact(self) -> bool:
        return self.first_broken_seq is None


def verify(session: Session, case_id: int) -> ChainReport:
    """Walk the case's chain and report the first link that does not hold."""
    rows = session.scalars(
        select(AuditEventRow).where(AuditEventRow.case_id == case_id).order_by(AuditEventRow.seq)
    ).all()
    prev = GENESIS
    for expected_seq, row in enumerate(rows, start=1):
        if row.seq != expected_seq:
            return ChainReport(case_id, len(rows), expected_seq, f"event {expected_seq} is missing")
        if row.prev_hash != prev:
            return ChainReport(
                case_id, len(rows), row.seq, f"event {row.seq} does not follow event {row.seq - 1}"
            )
        if event_hash(row) != row.hash:
            return ChainReport(
                case_id, len(rows), row.seq, f"event {row.seq} was changed after it was written"
            )
        prev = row.hash
    return ChainReport(case_id, len(rows))


def verify_all(session: Session) -> list[ChainReport]:
    """Every case's chain; the broken ones first."""
    case_ids = session.scalars(select(func.distinct(AuditEventRow.case_id))).all()
    reports = [verify(session, cid) for cid in sorted(case_ids)]
    return sorted(reports, key=lambda r: r.intact)
