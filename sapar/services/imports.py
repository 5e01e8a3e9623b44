"""Imports off the request, for every kind of file we import (partners, people): the upload
is stored, a job row records it, and the work runs after the answer (the web and the API
hand `run_import` to a background task, which runs on a worker thread, not on the thread
that answers requests), writing its stage and progress to the row as it goes; the pages
/partners/imports/{id} and /people/imports/{id} and the API's GET /api/imports/{id} show them.

Each kind says who may import it and how it is checked and written (`KINDS`); the importers
themselves check the whole file first and write it in short batches, so the database's write
lock is held for one batch at a time. A job whose process died stays at its last progress;
importing the same file again finishes it (neither importer adds a line twice: partners by
name and country, people by university ID).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine

from sapar import clock
from sapar.i18n import t
from storage.files import FileStore
from storage.orm import ImportJobRow, ImportStatus
from storage.uow import UnitOfWork

from . import partner_registry, partners, people
from .tables import MAX_BYTES, MB, LineRefused, TableRefused, check_kind
from .users import User

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]


class JobNotFound(LookupError):
    pass


@dataclass(frozen=True)
class Outcome:
    """What an import did: `total` lines; for people, how many were added and corrected."""

    total: int
    added: int | None = None
    corrected: int | None = None


@dataclass(frozen=True)
class Kind:
    """A kind of import: who may start (and watch) it, and the import itself, which gets the
    file, the language its refusals are worded in, and a progress callback."""

    check_user: Callable[[User], None]
    run: Callable[[Engine, str, bytes, str, Progress], Outcome]


def _partners(engine: Engine, filename: str, content: bytes, lang: str, p: Progress) -> Outcome:
    return Outcome(partners.import_partners(engine, filename=filename, content=content, progress=p))


def _people(engine: Engine, filename: str, content: bytes, lang: str, p: Progress) -> Outcome:
    done = people.run_import(engine, filename=filename, content=content, lang=lang, progress=p)
    return Outcome(done["added"] + done["corrected"], done["added"], done["corrected"])


KINDS: dict[str, Kind] = {
    "partners": Kind(partner_registry.check_can_import_partners, _partners),
    "people": Kind(people.check_can_keep, _people),
}


@dataclass(frozen=True)
class ImportJob:
    id: int
    kind: str
    filename: str
    status: str  # queued | checking | writing | done | failed
    done: int
    total: int
    error: str | None  # why it stopped, worded in the language of whoever started it
    error_line: int | None
    error_field: str | None
    added: int | None
    corrected: int | None
    created_by: str
    created_at: datetime
    finished_at: datetime | None

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.done, ImportStatus.failed)

    def where(self, lang: str) -> str:
        """The line and the column of the refusal, in `lang` ("" when none)."""
        return LineRefused("", line=self.error_line, field=self.error_field).where(lang)

    def say_error(self, lang: str) -> str | None:
        if self.error is None:
            return None
        where = self.where(lang)
        return f"{where}: {self.error}" if where else self.error


def check_upload(filename: str, content: bytes) -> None:
    """Refuse at once what no import can read (not .csv/.xlsx, over the size limit)."""
    check_kind(filename)
    if len(content) > MAX_BYTES:
        raise TableRefused("error.too_large", field="file", mb=MAX_BYTES // MB)


def queue_import(
    engine: Engine,
    files: FileStore,
    *,
    user: User,
    kind: str,
    filename: str,
    content: bytes,
    lang: str | None = None,
) -> int:
    """Store the file and record the job; `run_import(job_id)` does the work. Its refusals
    are worded in `lang` (the caller's language), else the user's."""
    KINDS[kind].check_user(user)
    check_upload(filename, content)
    sha = files.put(content)
    with UnitOfWork(engine) as uow:
        row = ImportJobRow(
            kind=kind, filename=filename[:255], sha256=sha, language=lang or user.language,
            status=ImportStatus.queued, done=0, total=0, created_by=user.actor.name[:120],
            created_at=clock.now(),
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


def run_import(engine: Engine, files: FileStore, job_id: int) -> None:
    """Run a queued import; never raises (the job row says how it ended)."""
    with UnitOfWork(engine, read_only=True) as uow:
        row = uow.session.get(ImportJobRow, job_id)
        if row is None or row.status != ImportStatus.queued:
            return
        kind, filename, sha, lang = row.kind, row.filename, row.sha256, row.language

    def progress(stage: str, done: int, total: int) -> None:
        _update(engine, job_id, status=stage, done=done, total=total)

    try:
        progress(ImportStatus.checking, 0, 0)
        outcome = KINDS[kind].run(engine, filename, files.get(sha), lang, progress)
    except LineRefused as exc:
        _update(engine, job_id, status=ImportStatus.failed, error=exc.message(lang)[:2000],
                error_line=exc.line, error_field=(exc.field or "")[:64] or None,
                finished_at=clock.now())  # fmt: skip
        return
    except Exception:
        log.exception("%s import #%s failed", kind, job_id)
        _update(engine, job_id, status=ImportStatus.failed, error=t(lang, "import.internal"),
                finished_at=clock.now())  # fmt: skip
        return
    _update(engine, job_id, status=ImportStatus.done, done=outcome.total, total=outcome.total,
            added=outcome.added, corrected=outcome.corrected,
            finished_at=clock.now())  # fmt: skip


def import_job(engine: Engine, *, user: User, job_id: int, kind: str | None = None) -> ImportJob:
    """The job, for a user who may run its kind of import (and, given `kind`, of that kind)."""
    with UnitOfWork(engine, read_only=True) as uow:
        row = uow.session.get(ImportJobRow, job_id)
        if row is None or row.kind not in KINDS or (kind is not None and row.kind != kind):
            raise JobNotFound(f"import #{job_id} does not exist")
        KINDS[row.kind].check_user(user)
        return ImportJob(
            row.id, row.kind, row.filename, row.status, row.done, row.total, row.error,
            row.error_line, row.error_field, row.added, row.corrected, row.created_by,
            _zoned(row.created_at), _zoned(row.finished_at) if row.finished_at else None,
        )  # fmt: skip


def _zoned(at: datetime) -> datetime:
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at
