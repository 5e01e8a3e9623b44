"""The baseline the step target names: the service's own statements, sent with plain psycopg.

Issue 15's step target is "≤ 1.5× the same statements in plain psycopg": what the service
layer (SQLAlchemy, the machine, the guards in Python, the unit of work) adds over the database
work it asks for. So the statements are taken from a real service step (their text exactly as
the driver received it, captured on the engine), and replayed for another case of the same
shape with psycopg alone: a hand-written step that reads what the service reads, computes
the new version, chain link and hash itself, and writes what the service writes, in one
transaction. The 3-statement "same writes by hand" baseline (transitions.bare_step) stays
beside it: it shows what the guards' reads cost.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import psycopg
from sqlalchemy import Engine, event

CASE_KEY = re.compile(r"^(case_id|ids_1|case_id__\d+)$")
NOW_KEY = re.compile(r"^(new_updated_at|at|created_at__\d+)$")


@dataclass(frozen=True)
class Statement:
    sql: str
    params: dict[str, Any]


@contextmanager
def captured(engine: Engine) -> Iterator[list[Statement]]:
    """The statements `engine` sends inside the block, with their parameters."""
    seen: list[Statement] = []

    def listen(_c: Any, _cur: Any, sql: str, params: Any, _ctx: Any, _many: bool) -> None:
        # psycopg's named parameters; SQLite's are a tuple, and nothing is replayed there
        seen.append(Statement(sql, dict(params) if isinstance(params, Mapping) else {}))

    event.listen(engine, "before_cursor_execute", listen)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", listen)


def replayer(statements: list[Statement], pg: psycopg.Connection[Any]) -> Callable[[int], None]:
    """A hand-written psycopg step sending `statements` on `pg` for another case.

    The first statement is the service's locked read of the case; its answer gives what a
    hand-written step would take from it (partner, year, version, chain head). Every other
    parameter that names the case, the time, the version or the chain is set for the new case;
    the rest (states, kinds, payloads) are the same for every case of this shape.
    """
    if not statements or "FOR UPDATE" not in statements[0].sql:
        raise ValueError("the first statement captured must be the step's locked read")

    def step(case_id: int) -> None:
        now = datetime.now(UTC)
        with pg.transaction():
            first = statements[0]
            cur = pg.execute(first.sql, _for_case(first.params, case_id, now, {}))
            names = [d.name for d in cur.description or ()]
            row = dict(zip(names, cur.fetchone() or (), strict=False))
            version, seq, prev = int(row["version"]), int(row["audit_seq"]), row["audit_hash"]
            body = {"case_id": case_id, "seq": seq + 1, "at": now.isoformat(), "prev": prev,
                    "event": "issue_order", "case_version": version + 1}  # fmt: skip
            digest = hashlib.sha256(
                json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
            ).hexdigest()
            link = {
                "partner_id": row["partner_id"], "year": row["academic_year"],
                "new_version": version + 1, "expected_version": version,
                "new_audit_seq": seq + 1, "seq": seq + 1, "new_audit_hash": digest,
                "hash": digest, "prev_hash": prev,
            }  # fmt: skip
            for s in statements[1:]:
                cur = pg.execute(s.sql, _for_case(s.params, case_id, now, link))
                if cur.description:
                    cur.fetchall()  # as the service reads every answer
                elif s.sql.startswith("UPDATE cases"):
                    assert cur.rowcount == 1, f"case {case_id} was not at version {version}"

    return step


def _for_case(
    params: dict[str, Any], case_id: int, now: datetime, link: dict[str, Any]
) -> dict[str, Any]:
    out = dict(params)
    for key in out:
        if CASE_KEY.match(key):
            out[key] = case_id
        elif NOW_KEY.match(key):
            out[key] = now
        elif key in link:
            out[key] = link[key]
    return out
