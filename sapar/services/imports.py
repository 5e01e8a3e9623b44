"""Imports off the request: the upload is stored, a job row records it, and the work runs
after the answer (the web hands `run_partner_import` to a background task), writing its
stage and progress to the row as it goes; the page /partners/imports/{id} shows them.

A job whose process died stays at its last progress; importing the same file again finishes
it (the import adds nothing twice, see sapar.services.partners.import_partners).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine

from storage.files import FileStore
from storage.orm import ImportJobRow
from storage.uow import UnitOfWork

from . import desk, partners
from .users import User

log = logging.getLogger(__name__)


class JobNotFound(LookupError):
    pass


@dataclass(frozen=True)
class ImportJob:
    id: int
    filename: str
    status: str
    done: int
    total: int
    error: str | None
    created_by: str
    created_at: datetime
    finished_at: datetime | None

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed")


def queue_partner_import(
    engine: Engine, files: FileStore, *, user: User, filename: str, content: bytes
) -> int:
    desk.check_can_import_partners(user)
    sha = files.put(content)
    with UnitOfWork(engine) as uow:
        row = ImportJobRow(
            kind="partners", filename=filename[:255], sha256=sha, language=user.language,
            status="queued", done=0, total=0, created_by=user.actor.name[:120],
            created_at=datetime.now(UTC),
        )  # fmt: skip
        uow.session.add(row)
        uow.session.flush()
        job_id = row.id
        uow.commit()
    return job_id


def _update(engine: Engine, job_id: int, **values: object) -> None:
    with UnitOfWork(engine) as uow:
        row = uow.session.get(ImportJobRow, job_id)
        if row is not None:
            for key, value in values.items():
                setattr(row, key, value)
            uow.commit()


def run_partner_import(engine: Engine, files: FileStore, job_id: int) -> None:
    """Run a queued import; never raises (the job row says how it ended)."""
    with UnitOfWork(engine, read_only=True) as uow:
        row = uow.session.get(ImportJobRow, job_id)
        if row is None or row.status != "queued":
            return
        filename, sha, lang = row.filename, row.sha256, row.language

    def progress(stage: str, done: int, total: int) -> None:
        _update(engine, job_id, status=stage, done=done, total=total)

    try:
        progress("checking", 0, 0)
        count = partners.import_partners(
            engine, filename=filename, content=files.get(sha), lang=lang, progress=progress
        )
    except partners.PartnerImportError as exc:
        _update(engine, job_id, status="failed", error=str(exc)[:2000],
                finished_at=datetime.now(UTC))  # fmt: skip
        return
    except Exception:
        log.exception("partner import #%s failed", job_id)
        _update(engine, job_id, status="failed", error="internal error; see the server log",
                finished_at=datetime.now(UTC))  # fmt: skip
        return
    _update(engine, job_id, status="done", done=count, total=count,
            finished_at=datetime.now(UTC))  # fmt: skip


def import_job(engine: Engine, *, user: User, job_id: int) -> ImportJob:
    desk.check_can_import_partners(user)
    with UnitOfWork(engine, read_only=True) as uow:
        row = uow.session.get(ImportJobRow, job_id)
        if row is None:
            raise JobNotFound(f"import #{job_id} does not exist")
        return ImportJob(
            row.id, row.filename, row.status, row.done, row.total, row.error, row.created_by,
            _zoned(row.created_at), _zoned(row.finished_at) if row.finished_at else None,
        )  # fmt: skip


def _zoned(at: datetime) -> datetime:
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at
