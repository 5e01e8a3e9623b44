"""Transition latency: `sapar.services.cases.fire` against the same writes done bare.

The service step is `issue_order` on a long-term student case (invited → ordered): guards
(papers, agreement, quota), the case row locked, hash-chained audit event with the chain's
head on the case row, and a `render_document` outbox row, one transaction. The bare step
writes the same three rows by hand with SQLAlchemy Core on the same engine: UPDATE cases
(state, version and head), INSERT outbox, INSERT audit_events, COMMIT. On PostgreSQL a third
member of each round sends the service's own statements with plain psycopg, the baseline of
issue 15's step target (same_statements.py). The members alternate, on different cases of the
same shape.
"""

from __future__ import annotations

import cProfile
import hashlib
import io
import json
import pstats
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import psycopg
from sqlalchemy import Engine, insert, update

from sapar.services.actors import Actor
from sapar.services.cases import fire
from states.model import Role
from storage.orm import Base

from .common import TODAY, StatementCounter, median_ratio, percentile, timed
from .same_statements import captured, replayer

CASES = Base.metadata.tables["cases"]
OUTBOX = Base.metadata.tables["outbox"]
AUDIT = Base.metadata.tables["audit_events"]

ACTOR = Actor("Гүлнара Мамытова", Role.iro)
WARMUP = 10


@dataclass
class TransitionFigures:
    service_ms: list[float]
    bare_ms: list[float]
    statements_service: float
    statements_bare: float
    profile: str
    # The service's own statements replayed with plain psycopg (PostgreSQL only).
    same_ms: list[float] = field(default_factory=list)

    def _same(self) -> dict[str, float]:
        s, q = self.service_ms[WARMUP:], self.same_ms[WARMUP:]
        if not q:
            return {}
        return {
            "same_p50": percentile(q, 50),
            "same_p99": percentile(q, 99),
            "ratio_same_median": median_ratio(s, q),
            "statements_same": self.statements_service,
        }

    def summary(self) -> dict[str, float]:
        s, b = self.service_ms[WARMUP:], self.bare_ms[WARMUP:]
        return {
            "n": len(s),
            "service_p50": percentile(s, 50),
            "service_p99": percentile(s, 99),
            "bare_p50": percentile(b, 50),
            "bare_p99": percentile(b, 99),
            "ratio_p50": percentile(s, 50) / percentile(b, 50),
            "ratio_p99": percentile(s, 99) / percentile(b, 99),
            "ratio_median": median_ratio(s, b),
            "statements_service": self.statements_service,
            "statements_bare": self.statements_bare,
            **self._same(),
        }


def bare_step(engine: Engine, case_id: int, version: int, last: tuple[int, str]) -> None:
    """The same rows as the service writes, hand-written."""
    seq, prev = last
    now = datetime.now(UTC)
    body = {
        "case_id": case_id, "seq": seq + 1, "at": now.isoformat(), "actor": ACTOR.name,
        "role": ACTOR.role.value, "event": "issue_order", "outcome": "applied",
        "from": "invited", "to": "ordered", "reason": None,
        "data": {"payload": {}, "effects": [{"render": "mobility_order"}],
                 "case_version": version + 1},
        "prev": prev,
    }  # fmt: skip
    digest = hashlib.sha256(
        json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    ).hexdigest()
    with engine.begin() as conn:
        done = conn.execute(
            update(CASES)
            .where(CASES.c.id == case_id, CASES.c.version == version)
            .values(
                state="ordered",
                version=version + 1,
                updated_at=now,
                audit_seq=seq + 1,
                audit_hash=digest,
            )
        )
        assert done.rowcount == 1
        conn.execute(
            insert(OUTBOX).values(
                case_id=case_id, kind="render_document", payload={"document": "mobility_order"},
                status="pending", attempts=0, created_at=now,
            )
        )  # fmt: skip
        conn.execute(
            insert(AUDIT).values(
                case_id=case_id, seq=seq + 1, at=now, actor=ACTOR.name, role=ACTOR.role.value,
                event="issue_order", outcome="applied", from_state="invited",
                to_state="ordered", reason=None, data=body["data"], prev_hash=prev, hash=digest,
            )
        )  # fmt: skip


def service_step(engine: Engine, case_id: int) -> None:
    result = fire(engine, case_id=case_id, event="issue_order", actor=ACTOR, today=TODAY)
    assert result.to_state == "ordered", result


def _versions(engine: Engine, ids: Sequence[int]) -> dict[int, int]:
    with engine.connect() as conn:
        rows = conn.execute(
            CASES.select()
            .with_only_columns(CASES.c.id, CASES.c.version)
            .where(CASES.c.id.in_(list(ids)))
        ).all()
    return {int(r[0]): int(r[1]) for r in rows}


def run(
    engine: Engine,
    service_ids: Sequence[int],
    bare_ids: Sequence[int],
    links: dict[int, tuple[int, str]],
    *,
    same_ids: Sequence[int] = (),
    dsn: str | None = None,
    profile_ids: Sequence[int] = (),
) -> TransitionFigures:
    """Alternate service and bare steps over the two id lists (same length); with `same_ids`
    and a libpq `dsn`, a third member of each round replays the service's statements with
    plain psycopg (same_statements.py)."""
    versions = _versions(engine, bare_ids)
    service_ms: list[float] = []
    bare_ms: list[float] = []
    same_ms: list[float] = []
    # Statement counts on the first pair (not timed: the listener costs a little).
    with StatementCounter(engine) as c, captured(engine) as statements:
        service_step(engine, service_ids[0])
    n_service = c.n
    with StatementCounter(engine) as c:
        bare_step(engine, bare_ids[0], versions[bare_ids[0]], links[bare_ids[0]])
    n_bare = c.n
    pg = psycopg.connect(dsn, autocommit=True) if same_ids and dsn else None
    try:
        replay = replayer(statements, pg) if pg is not None else None
        if replay is not None:
            replay(same_ids[0])  # the first of its kind, not timed, as the others'
        for k, (sid, bid) in enumerate(zip(service_ids[1:], bare_ids[1:], strict=True), 1):
            service_ms.append(timed(lambda sid=sid: service_step(engine, sid)))  # type: ignore[misc]
            bare_ms.append(
                timed(lambda bid=bid: bare_step(engine, bid, versions[bid], links[bid]))  # type: ignore[misc]
            )
            if replay is not None:
                same_ms.append(timed(lambda qid=same_ids[k]: replay(qid)))  # type: ignore[misc]
    finally:
        if pg is not None:
            pg.close()
    profile = ""
    if profile_ids:
        prof = cProfile.Profile()
        prof.enable()
        for pid in profile_ids:
            service_step(engine, pid)
        prof.disable()
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(25)
        profile = out.getvalue()
    return TransitionFigures(service_ms, bare_ms, n_service, n_bare, profile, same_ms)
