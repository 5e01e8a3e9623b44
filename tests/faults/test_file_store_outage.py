"""A full or read-only file store: the order fails without burning its number, and an
hour-long outage heals by itself — the sweep's retries back off by time (simulated here)."""

from __future__ import annotations

import errno
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from sapar import clock
from sapar.services.issuing import sweep
from sapar.services.outbox import MAX_DELAY
from storage import audit
from storage.files import FileStore
from storage.orm import DocumentRow, OutboxRow
from storage.uow import UnitOfWork
from tests.integration.desk import Desk
from tests.integration.test_issuing import to_the_order

pytestmark = pytest.mark.postgres
SWEEP_EVERY = timedelta(minutes=5)  # the sweep-outbox deployment's schedule


class FailingStore(FileStore):
    """The real store, failing as the operating system does while `down`."""

    def __init__(self, root: Path, error: int) -> None:
        super().__init__(root)
        self.down = False
        self.error = error

    def put(self, content: bytes) -> str:
        if self.down:
            raise OSError(self.error, f"{errno.errorcode[self.error]}: {self.root}")
        return super().put(content)


def the_order(engine: Engine) -> OutboxRow:
    with UnitOfWork(engine, read_only=True) as uow:
        return uow.session.scalars(
            select(OutboxRow).where(OutboxRow.payload["document"].as_string() == "mobility_order")
        ).one()


@pytest.mark.parametrize("error", [errno.ENOSPC, errno.EROFS], ids=["full", "read-only"])
def test_an_hour_long_file_store_outage_heals_without_a_click(
    postgres_engine: Engine, tmp_path: Path, error: int
) -> None:
    desk = Desk(postgres_engine, tmp_path / "files")
    store = FailingStore(tmp_path / "files", error)
    desk.files = store
    case_id = to_the_order(desk)
    store.down = True
    start = clock.now()
    tries_during_outage = 0
    at = start
    while at <= start + timedelta(hours=2):
        if at >= start + timedelta(hours=1):
            store.down = False  # the disk was cleaned up, or remounted read-write
        swept = sweep(postgres_engine, store, now=at)
        item = the_order(postgres_engine)
        # The order's own tries (the referral letter queued beside it backs off alike).
        tries_during_outage += sum(f.startswith(f"#{item.id}:") for f in swept.failed)
        if store.down:
            assert item.status == "failed", "the outage is recorded on the item"
            assert errno.errorcode[error] in (item.last_error or "")
            assert item.next_attempt_at is not None
            assert item.next_attempt_at - at <= MAX_DELAY, "at most an hour apart"
        elif item.status == "done":
            break
        at += SWEEP_EVERY
    assert item.status == "done", "healed by the sweep alone"
    back = start + timedelta(hours=1)
    assert at - back <= MAX_DELAY + SWEEP_EVERY, "at the next due retry after the store returned"
    assert 5 <= tries_during_outage <= 8, "backing off, not hammering every five minutes"
    with UnitOfWork(postgres_engine, read_only=True) as uow:
        orders = uow.session.scalars(
            select(DocumentRow).where(
                DocumentRow.case_id == case_id, DocumentRow.doc_type == "mobility_order"
            )
        ).all()
        assert [o.number for o in orders] == ["1/АМ"], "one order; no number burnt by failures"
        assert audit.verify(uow.session, case_id).intact
    assert store.get(orders[0].sha256)  # the file is there and whole
    assert not list((tmp_path / "files").rglob(".incoming-*")), "no half-written file left"
