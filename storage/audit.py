"""The case history: append-only audit events, hash-chained per case, with the chain's head
on the case row.

Each event's hash covers its own fields and the previous event's hash, so changing,
deleting or reordering any stored event breaks the chain from that point on. The head (last
seq and hash) is written to the case row in the event's own transaction, so cutting events
off the end — or the whole table — shows too: the head then names an event that is gone.

Every writer takes the case row's lock to read the head (`lock_head`), so concurrent writers
of one case queue instead of racing for the next seq. With a key configured
(SAPAR_AUDIT_KEY, kept outside the database) the head also carries an HMAC: someone who may
write the database but does not hold the key cannot rewrite a chain and its head so that
`verify` still passes.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from sapar import clock
from storage.orm import AuditEventRow, AuditOutcome, CaseRow

GENESIS = "0" * 64


class CaseNotFound(LookupError):
    """No case with that id (re-exported by storage.repository)."""


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


def canonical_data(data: dict[str, Any] | None) -> dict[str, Any]:
    """The data exactly as the database will hand it back: what is hashed is what is read.

    A JSON round trip turns tuples into lists, keys into strings, and refuses what JSON
    cannot hold, so the hash never covers a Python value that the column does not keep."""
    loaded: dict[str, Any] = json.loads(
        json.dumps(to_json(data or {}), ensure_ascii=False, allow_nan=False, default=str)
    )
    return loaded


def utc_text(at: datetime) -> str:
    # SQLite hands timestamps back without their zone: hash the UTC wall time, which both
    # databases return unchanged.
    if at.tzinfo is not None:
        at = at.astimezone(UTC).replace(tzinfo=None)
    return at.isoformat(timespec="microseconds")


_HASHED = ("case_id", "seq", "at", "actor", "role", "event", "outcome", "from_state", "to_state",
           "reason", "data", "prev_hash")  # fmt: skip


def event_hash(row: AuditEventRow | Mapping[str, Any]) -> str:
    """The event's hash, from its row or from the column values about to be written."""
    v = row if isinstance(row, Mapping) else {k: getattr(row, k) for k in _HASHED}
    body = {
        "case_id": v["case_id"],
        "seq": v["seq"],
        "at": utc_text(v["at"]),
        "actor": v["actor"],
        "role": v["role"],
        "event": v["event"],
        "outcome": v["outcome"],
        "from": v["from_state"],
        "to": v["to_state"],
        "reason": v["reason"],
        "data": v["data"],
        "prev": v["prev_hash"],
    }
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class Head:
    """The last event of a case's chain as the case row records it (seq 0: no event yet)."""

    seq: int = 0
    hash: str = GENESIS


def key_of(session: Session) -> bytes | None:
    """The audit key the engine was made with (storage.db.make_engine(audit_key=…))."""
    key = session.get_bind().get_execution_options().get("audit_key")
    return key.encode() if isinstance(key, str) and key else None


def head_mac(key: bytes, case_id: int, seq: int, hash_: str) -> str:
    return hmac.new(key, f"{case_id}:{seq}:{hash_}".encode(), hashlib.sha256).hexdigest()


def lock_head(session: Session, case_id: int) -> Head:
    """Lock the case row (until the transaction ends) and read its chain head."""
    found = session.execute(
        select(CaseRow.audit_seq, CaseRow.audit_hash).where(CaseRow.id == case_id).with_for_update()
    ).first()
    if found is None:
        raise CaseNotFound(f"case #{case_id} does not exist")
    return Head(found.audit_seq, found.audit_hash)


def lock_heads(session: Session, case_ids: Iterable[int]) -> dict[int, Head]:
    """Lock the rows of many cases and read their chain heads in one statement. In id order,
    so two writers of overlapping sets never wait on each other in a circle."""
    ids = sorted(set(case_ids))
    found = {
        r.id: Head(r.audit_seq, r.audit_hash)
        for r in session.execute(
            select(CaseRow.id, CaseRow.audit_seq, CaseRow.audit_hash)
            .where(CaseRow.id.in_(ids))
            .order_by(CaseRow.id)
            .with_for_update()
        )
    }
    missing = [i for i in ids if i not in found]
    if missing:
        raise CaseNotFound(f"cases {missing} do not exist")
    return found


def event_values(
    head: Head,
    *,
    case_id: int,
    actor: str,
    role: str,
    event: str,
    outcome: str,
    from_state: str | None,
    to_state: str | None,
    reason: object = None,
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> dict[str, Any]:
    """The columns of the next event after `head`, hashed; nothing is written."""
    values = {
        "case_id": case_id,
        "seq": head.seq + 1,
        "at": (at or clock.now()).astimezone(UTC),
        "actor": str(actor),
        "role": str(role),
        "event": str(event),
        "outcome": str(outcome),
        "from_state": None if from_state is None else str(from_state),
        "to_state": None if to_state is None else str(to_state),
        # A reason given as a number is kept (and hashed) as the text the column holds.
        "reason": None if reason is None else str(reason),
        "data": canonical_data(data),
        "prev_hash": head.hash,
    }
    values["hash"] = event_hash(values)
    return values


def new_event(head: Head, **event: Any) -> AuditEventRow:
    """The next event after `head` (event_values' keywords), hashed; nothing is written."""
    return AuditEventRow(**event_values(head, **event))


def head_values(session: Session, row: AuditEventRow | Mapping[str, Any]) -> dict[str, Any]:
    """The case row's columns that record `row` (or event_values' columns) as the chain's
    new head."""
    if isinstance(row, AuditEventRow):
        return _head_columns(key_of(session), row.case_id, row.seq, row.hash)
    return _head_columns(key_of(session), row["case_id"], row["seq"], row["hash"])


def _head_columns(key: bytes | None, case_id: int, seq: int, hash_: str) -> dict[str, Any]:
    return {
        "audit_seq": seq,
        "audit_hash": hash_,
        "audit_mac": head_mac(key, case_id, seq, hash_) if key else None,
    }


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
    reason: object = None,
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEventRow:
    """Add the next event of the case's chain (flushed, not committed), under the case
    row's lock, and move the head on the case row."""
    row = new_event(
        lock_head(session, case_id),
        case_id=case_id,
        actor=actor,
        role=role,
        event=event,
        outcome=outcome,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        data=data,
        at=at,
    )
    session.add(row)
    session.flush()
    session.execute(
        update(CaseRow)
        .where(CaseRow.id == case_id)
        .values(**head_values(session, row))
        .execution_options(synchronize_session=False)
    )
    return row


def append_many(
    session: Session, heads: dict[int, Head], events: Sequence[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Append many events at once (e.g. a group order's, one per student): each entry holds
    event_values' keyword arguments, case_id included; `heads` are the cases' heads as
    lock_heads read them in this transaction. One INSERT for all the events and one UPDATE
    of all the heads, instead of a lock, an insert and an update per event. Returns the
    column values written (no ORM objects: a thousand of them cost more to build and to
    collect than the statements that write them)."""
    now = dict(heads)
    rows: list[dict[str, Any]] = []
    for event in events:
        values = event_values(now[event["case_id"]], **event)
        now[values["case_id"]] = Head(values["seq"], values["hash"])
        rows.append(values)
    if rows:
        # A bulk INSERT without RETURNING: one executemany on either database (the ORM's
        # add_all would insert row by row on SQLite to read each id back).
        session.execute(insert(AuditEventRow), rows)
        key = key_of(session)
        last = {row["case_id"]: row for row in rows}
        session.execute(
            update(CaseRow),  # by primary key: one executemany
            [
                {"id": case_id, **_head_columns(key, case_id, row["seq"], row["hash"])}
                for case_id, row in last.items()
            ],
        )
    return rows


@dataclass(frozen=True)
class ChainReport:
    case_id: int
    events: int
    first_broken_seq: int | None = None
    problem: str | None = None

    @property
    def intact(self) -> bool:
        return self.first_broken_seq is None and self.problem is None


def verify(session: Session, case_id: int, *, with_key: bool = True) -> ChainReport:
    """Walk the case's chain and report the first thing that does not hold: a changed,
    missing or reordered event, a chain cut short of the head the case row records, a case
    whose state or version no event accounts for, or (with the audit key) a head that the
    key did not sign."""
    case = session.execute(
        select(
            CaseRow.state, CaseRow.version, CaseRow.audit_seq, CaseRow.audit_hash, CaseRow.audit_mac
        ).where(CaseRow.id == case_id)
    ).first()
    rows = session.scalars(
        select(AuditEventRow).where(AuditEventRow.case_id == case_id).order_by(AuditEventRow.seq)
    ).all()
    n = len(rows)
    if case is None:
        return ChainReport(case_id, n, 1, f"case #{case_id} is gone but its events remain")
    prev = GENESIS
    for expected_seq, row in enumerate(rows, start=1):
        if row.seq != expected_seq:
            return ChainReport(case_id, n, expected_seq, f"event {expected_seq} is missing")
        if row.prev_hash != prev:
            return ChainReport(
                case_id, n, row.seq, f"event {row.seq} does not follow event {row.seq - 1}"
            )
        if event_hash(row) != row.hash:
            return ChainReport(
                case_id, n, row.seq, f"event {row.seq} was changed after it was written"
            )
        prev = row.hash
    if case.audit_seq > n:
        missing = f"{n + 1}" if case.audit_seq == n + 1 else f"{n + 1}–{case.audit_seq}"
        return ChainReport(
            case_id, n, n + 1, f"event {missing} is missing: the history ends before its head"
        )
    if case.audit_seq < n or case.audit_hash != prev:
        return ChainReport(
            case_id,
            n,
            case.audit_seq + 1 if case.audit_seq < n else n,
            f"the case's head (event {case.audit_seq}) does not match its last event {n}: "
            "events were rewritten or added outside the service",
        )
    key = key_of(session)
    if with_key and key is not None and n and case.audit_mac != head_mac(key, case_id, n, prev):
        return ChainReport(
            case_id,
            n,
            n,
            f"the history's head (event {n}) is not signed with the audit key: "
            "the history was rewritten",
        )
    applied = [r for r in rows if r.outcome == AuditOutcome.applied]
    # Only events that moved the case say where it is: an upload or an issued paper records
    # the state it saw, which a step may have left a moment later.
    moves = [r for r in applied if r.from_state != r.to_state]
    if moves and moves[-1].to_state != case.state:
        return ChainReport(
            case_id,
            n,
            n + 1,
            f"the case is in state '{case.state}' but its history ends in "
            f"'{moves[-1].to_state}': a step without its event",
        )
    versions = [r.data["case_version"] for r in applied if "case_version" in (r.data or {})]
    if versions and versions[-1] != case.version:
        return ChainReport(
            case_id,
            n,
            n + 1,
            f"the case is at version {case.version} but its history ends at version "
            f"{versions[-1]}: a step without its event",
        )
    return ChainReport(case_id, n)


def verify_all(session: Session) -> list[ChainReport]:
    """Every case's chain (every case row, so a case whose events are all gone is named
    too); the broken ones first."""
    case_ids = session.scalars(select(CaseRow.id).order_by(CaseRow.id)).all()
    reports = [verify(session, cid) for cid in case_ids]
    return sorted(reports, key=lambda r: r.intact)


def sign_heads(session: Session) -> int:
    """With the audit key just configured: sign the head of every intact, unsigned chain.
    Returns how many were signed."""
    key = key_of(session)
    if key is None:
        raise ValueError("SAPAR_AUDIT_KEY is not set: there is nothing to sign with")
    signed = 0
    for case_id in session.scalars(select(CaseRow.id).where(CaseRow.audit_mac.is_(None))).all():
        head = session.execute(
            select(CaseRow.audit_seq, CaseRow.audit_hash).where(CaseRow.id == case_id)
        ).one()
        if head.audit_seq == 0 or not verify(session, case_id, with_key=False).intact:
            continue
        session.execute(
            update(CaseRow)
            .where(CaseRow.id == case_id)
            .values(audit_mac=head_mac(key, case_id, head.audit_seq, head.audit_hash))
            .execution_options(synchronize_session=False)
        )
        signed += 1
    return signed
