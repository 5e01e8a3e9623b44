"""Bounded parallel senders: the e-mail letters a check wrote, handed to the mail server.

A few threads, each with its own SMTP connection and its own database connections, take
the letters in small chunks. A chunk is claimed with one UPDATE … RETURNING (which also
counts the attempt), and each letter is marked `sent` in its own short transaction right
after the server accepted it, so a crash can repeat at most the letter in the hands of
each sender at that moment; everything not marked `sent` stays `pending`/`failed` and the
next check sends it. The check runs one at a time (`storage.locks`), so no two senders
ever hold the same letter.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    CursorResult,
    Engine,
    Executable,
    Table,
    bindparam,
    literal_column,
    text,
    update,
)

from sapar import clock
from sapar.services.mailer import Mailer, is_permanent
from storage.orm import Channel, NotificationRow, NotificationStatus

N = cast(Table, NotificationRow.__table__)
# Letters claimed at a time by one sender: small, so the work spreads evenly and a crash
# leaves little claimed-but-unsent (which is resent anyway).
CHUNK = 25
UNSENT = (NotificationStatus.pending, NotificationStatus.failed)


def unsent(table: Table = N) -> ColumnElement[bool]:
    """`status IN ('pending', 'failed')` written with literals, the very predicate of the
    partial index ix_notifications_unsent, so both databases use that index for it."""
    return table.c.status.in_([literal_column(f"'{s}'") for s in UNSENT])


# Built once: a check may run them tens of thousands of times.
CLAIM = (
    update(N)
    .where(N.c.id.in_(bindparam("ids", expanding=True)), unsent(), N.c.channel == Channel.email)
    .values(attempts=N.c.attempts + 1)
    .returning(N.c.id, N.c.recipient, N.c.subject, N.c.body)
)
MARK_SENT = (
    update(N)
    .where(N.c.id == bindparam("nid"))
    .values(status=NotificationStatus.sent, sent_at=bindparam("at"), error=None)
)
MARK_FAILED = (
    update(N)
    .where(N.c.id == bindparam("nid"))
    .values(status=bindparam("st"), error=bindparam("err"))
)


@dataclass
class Tally:
    sent: int = 0
    failed: int = 0
    refused: int = 0


MailerFactory = Callable[[], AbstractContextManager[Mailer]]


def message_id(notification_id: int, sender: str) -> str:
    domain = sender.rpartition("@")[2] or "sapar.local"
    return f"<notification-{notification_id}@{domain}>"


def send_letters(
    engine: Engine,
    ids: Sequence[int],
    *,
    mailers: MailerFactory,
    workers: int,
    sender: str,
) -> Tally:
    """Send the e-mail letters `ids` (those still pending or failed) with up to `workers`
    senders, each using a mailer of its own from `mailers`."""
    tally = Tally()
    if not ids:
        return tally
    chunks: queue.SimpleQueue[list[int]] = queue.SimpleQueue()
    for start in range(0, len(ids), CHUNK):
        chunks.put(list(ids[start : start + CHUNK]))
    count = max(1, min(workers, -(-len(ids) // CHUNK)))
    guard, stop = threading.Lock(), threading.Event()

    def work() -> None:
        try:
            with mailers() as mailer, _Writer(engine) as db:
                while not stop.is_set():
                    try:
                        chunk = chunks.get_nowait()
                    except queue.Empty:
                        return
                    _send_chunk(db, chunk, mailer, tally, guard, sender)
        except BaseException:
            stop.set()  # the database is gone or a bug: the others stop too
            raise

    with ThreadPoolExecutor(max_workers=count, thread_name_prefix="sapar-sender") as pool:
        futures = [pool.submit(work) for _ in range(count)]
    for future in futures:
        future.result()  # re-raises the first failure
    return tally


class _Writer:
    """A sender's own database connection, held for its whole run (no pool checkout per
    letter). On PostgreSQL each statement commits by itself (autocommit): marking a letter
    sent is one round trip."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def __enter__(self) -> _Writer:
        self.conn = self.engine.connect()
        self.autocommit = self.engine.dialect.name == "postgresql"
        if self.autocommit:
            self.conn = self.conn.execution_options(isolation_level="AUTOCOMMIT")
            self.conn.execute(text("SET synchronous_commit = off"))
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if self.autocommit:
                self.conn.execute(text("RESET synchronous_commit"))
        finally:
            self.conn.close()

    def run(self, statement: Executable, params: Any = None) -> list[tuple[Any, ...]]:
        """Execute and commit; the rows it returned, if any (read before the commit)."""
        if self.autocommit:
            return _rows(self.conn.execute(statement, params))
        with self.conn.begin():
            return _rows(self.conn.execute(statement, params))


def _rows(result: CursorResult[Any]) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in result] if result.returns_rows else []


def _send_chunk(
    db: _Writer,
    chunk: list[int],
    mailer: Mailer,
    tally: Tally,
    guard: threading.Lock,
    sender: str,
) -> None:
    letters = sorted(db.run(CLAIM, {"ids": chunk}))
    failures: list[dict[str, object]] = []
    for nid, recipient, subject, body in letters:
        if not recipient:
            failures.append(
                {"nid": nid, "st": NotificationStatus.refused, "err": "no e-mail address"}
            )
            continue
        try:
            mailer.send([recipient], subject, body, message_id=message_id(nid, sender))
        except Exception as exc:  # any failure of the mail server is recorded, not raised
            status = NotificationStatus.refused if is_permanent(exc) else NotificationStatus.failed
            failures.append(
                {"nid": nid, "st": status, "err": f"{type(exc).__name__}: {exc}"[:2000]}
            )
            continue
        db.run(
            update(N)
            .where(N.c.id == nid)
            .values(status=NotificationStatus.sent, sent_at=clock.now(), error=None)
        )
        with guard:
            tally.sent += 1
    if failures:
        # Written together: a failure lost to a crash only means the letter is tried again.
        db.run(MARK_FAILED, failures)
        with guard:
            for f in failures:
                if f["st"] == NotificationStatus.refused:
                    tally.refused += 1
                else:
                    tally.failed += 1
