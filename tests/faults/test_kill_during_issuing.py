"""kill -9 of the process issuing an order, after it took the number and rendered the file
but before it committed: afterwards there is exactly one document and one number."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from sapar.services.issuing import sweep
from storage import audit
from storage.orm import DocumentRow, OutboxRow
from storage.uow import UnitOfWork
from tests.integration.desk import Desk
from tests.integration.test_issuing import to_the_order

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parents[2]

# The issuer: the real sweep, stopped just after the file is stored (the number is taken
# and the document row is about to be written) — where the parent kills it.
ISSUER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from sapar.services.issuing import sweep
    from storage.db import make_engine
    from storage.files import FileStore

    url, root, marker = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])

    class Stalling(FileStore):
        def put(self, content):
            digest = super().put(content)
            marker.write_text(digest)
            time.sleep(120)
            return digest

    sweep(make_engine(url), Stalling(root))
    """
)


def test_a_killed_issuer_leaves_one_document_and_one_number(
    postgres_url: str, postgres_engine: Engine, tmp_path: Path
) -> None:
    desk = Desk(postgres_engine, tmp_path / "files")
    case_id = to_the_order(desk)
    marker = tmp_path / "stored"
    issuer = subprocess.Popen(
        [sys.executable, "-c", ISSUER, postgres_url, str(tmp_path / "files"), str(marker)],
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert issuer.poll() is None, "the issuer ended before it stored the file"
            assert time.monotonic() < deadline, "the issuer never got to storing the file"
            time.sleep(0.05)
        os.kill(issuer.pid, signal.SIGKILL)
        issuer.wait(timeout=10)
    finally:
        if issuer.poll() is None:
            issuer.kill()
    # The database notices the dead connection and rolls its transaction back; the sweep
    # then issues the order (it waits for the dead backend's locks to go, if need be).
    swept = sweep(postgres_engine, desk.files)
    assert swept.failed == []
    with UnitOfWork(postgres_engine, read_only=True) as uow:
        orders = uow.session.scalars(
            select(DocumentRow).where(
                DocumentRow.case_id == case_id, DocumentRow.doc_type == "mobility_order"
            )
        ).all()
        assert [o.number for o in orders] == ["1/АМ"], "exactly one order, its number not burnt"
        item = uow.session.scalars(
            select(OutboxRow).where(OutboxRow.payload["document"].as_string() == "mobility_order")
        ).one()
        assert item.status == "done"
        assert audit.verify(uow.session, case_id).intact
    assert desk.files.get(orders[0].sha256)
