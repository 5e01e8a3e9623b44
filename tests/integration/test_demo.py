"""`make demo` on a fresh database: every paper its cases asked for is issued, none fails."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from sapar.cli import app
from sapar.config import get_settings
from sapar.services.issuing import sweep
from storage.db import make_engine
from storage.files import FileStore
from storage.orm import DocumentRow, OutboxRow
from storage.uow import UnitOfWork

pytestmark = pytest.mark.slow
# The papers the university issues itself: the demo must never hand in a scan in their place.
ISSUED_BY_OSHSU = [
    "dean_nomination", "invitation_request", "mobility_order", "staff_trip_order",
    "return_order", "recognition_decision", "incoming_invitation", "enrolment_order",
    "issued_transcript",
]  # fmt: skip


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("SAPAR_DATABASE_URL", f"sqlite:///{tmp_path / 'sapar.db'}")
    monkeypatch.setenv("SAPAR_FILES_DIR", str(tmp_path / "files"))
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_a_fresh_demo_leaves_no_failed_outbox_item_and_no_paper_of_ours_uploaded(
    fresh: Path,
) -> None:
    loaded = CliRunner().invoke(app, ["demo", "--extra", "4"])
    assert loaded.exit_code == 0, loaded.output
    assert "note:" not in loaded.output, loaded.output  # every demo step went through
    engine = make_engine(f"sqlite:///{fresh / 'sapar.db'}")
    files = FileStore(fresh / "files")
    # The outbox to completion, as the service's sweep does it every few minutes: pending
    # items and the retries that fall due (a day later each round), until nothing is left.
    for day in range(1, 8):
        swept = sweep(engine, files, now=datetime.now(UTC) + timedelta(days=day), limit=1000)
        if not swept.issued and not swept.failed:
            break
    with UnitOfWork(engine, read_only=True) as uow:
        statuses = dict(
            uow.session.execute(
                select(OutboxRow.status, func.count()).group_by(OutboxRow.status)
            ).all()
        )
        failed = list(
            uow.session.execute(
                select(OutboxRow.case_id, OutboxRow.payload, OutboxRow.last_error).where(
                    OutboxRow.status != "done"
                )
            ).all()
        )
        issued = set(
            uow.session.scalars(
                select(DocumentRow.doc_type).where(DocumentRow.origin == "generated")
            )
        )
        uploaded_ours = list(
            uow.session.scalars(
                select(DocumentRow.doc_type).where(
                    DocumentRow.origin != "generated",
                    DocumentRow.doc_type.in_(ISSUED_BY_OSHSU),
                )
            )
        )  # fmt: skip
    engine.dispose()
    assert failed == [], failed
    assert statuses.get("done", 0) > 50
    # The guests' transcripts are issued by OshSU from the grades, never handed in as scans.
    assert "issued_transcript" in issued
    assert uploaded_ours == []
