"""PDF copies of issued documents, made by LibreOffice and kept in the file store.

The DOCX stays the document of record: a PDF is a convenience copy for reading and printing.
A copy is made once per DOCX (the DOCX's bytes never change, so neither does its copy): it
is put into the content-addressed store like any file, and a small pointer named by the
DOCX's sha256 finds it the next time. LibreOffice is slow to start and heavy, so at most
`MAX_CONVERSIONS` run at once; a request that cannot get its turn in time, or a LibreOffice
that does not finish in time (killed, with all its children), is answered with a clear error
in the user's language instead of a thread held for ever.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import subprocess
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import Engine, select

from documents.errors import LibreOfficeMissing
from documents.pdf import convert_to_pdf
from states.explained import Explained
from storage.files import FileStore
from storage.orm import DocumentRow
from storage.uow import UnitOfWork

from .papers import DocumentNotFound, Download, document_download
from .users import User

log = logging.getLogger(__name__)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
# Two cores serve the web, the flows and the database: one LibreOffice at a time.
MAX_CONVERSIONS = 1
_turns = threading.BoundedSemaphore(MAX_CONVERSIONS)
_SHA = re.compile(r"[0-9a-f]{64}")


class PdfUnavailable(Explained, RuntimeError):
    """No PDF copy now (LibreOffice missing, busy, hung or failing); the DOCX still is."""


def pdf_download(
    engine: Engine,
    files: FileStore,
    *,
    user: User,
    case_id: int,
    document_id: int,
    timeout: float = 60.0,
    wait: float = 20.0,
) -> Download:
    """The PDF copy of a document of the case, for a user who may download the document
    (the same check and the same access log as the DOCX). A PDF upload is its own copy."""
    found = document_download(engine, files, user=user, case_id=case_id, document_id=document_id)
    if found.media_type == PDF:
        return found
    if found.media_type != DOCX:
        raise DocumentNotFound(f"document #{document_id} is neither a DOCX nor a PDF")
    content = pdf_copy(files, found.content, timeout=timeout, wait=wait)
    return Download(f"{Path(found.filename).stem}.pdf", PDF, content)


def pdf_copy(files: FileStore, docx: bytes, *, timeout: float = 60.0, wait: float = 20.0) -> bytes:
    """The PDF of `docx`, from the store when it was made before; else made now."""
    source = hashlib.sha256(docx).hexdigest()
    cached = _cached(files, source)
    if cached is not None:
        return cached
    if not _turns.acquire(timeout=wait):
        raise PdfUnavailable("PDF conversions are all busy", "pdf_busy")
    try:
        cached = _cached(files, source)  # made by the request this one waited for
        if cached is not None:
            return cached
        content = _convert(docx, timeout)
        # Kept before the turn passes on: a request waiting for the same paper finds it.
        _remember(files, source, files.put(content))
    finally:
        _turns.release()
    return content


def _convert(docx: bytes, timeout: float) -> bytes:
    with tempfile.TemporaryDirectory(prefix="sapar-pdf-") as tmp:
        work = Path(tmp)
        source = work / "document.docx"
        source.write_bytes(docx)
        try:
            (pdf,) = convert_to_pdf([source], work / "pdf", timeout=timeout)
        except LibreOfficeMissing as missing:
            raise PdfUnavailable(str(missing), "pdf_missing") from None
        except subprocess.TimeoutExpired:
            log.error("LibreOffice did not finish a PDF in %s s; it was killed", timeout)
            seconds = f"{timeout:g}"
            raise PdfUnavailable(
                f"LibreOffice did not finish in {seconds} s", "pdf_timeout", seconds=seconds
            ) from None
        except RuntimeError as failed:
            log.error("LibreOffice failed to make a PDF: %s", failed)
            raise PdfUnavailable(str(failed), "pdf_failed") from None
        return pdf.read_bytes()


def _pointer(files: FileStore, source: str) -> Path:
    return files.root / "pdf-copies" / source


def _cached(files: FileStore, source: str) -> bytes | None:
    try:
        target = _pointer(files, source).read_text().strip()
    except FileNotFoundError:
        return None
    if not _SHA.fullmatch(target):
        return None  # a damaged pointer: make the copy again
    try:
        return files.get(target)
    except (FileNotFoundError, OSError):
        return None


def _remember(files: FileStore, source: str, target: str) -> None:
    pointer = _pointer(files, source)
    pointer.parent.mkdir(parents=True, exist_ok=True)
    # Written aside and renamed, like the store's files: a reader never sees half a pointer.
    fd, tmp = tempfile.mkstemp(dir=pointer.parent, prefix=".incoming-")
    try:
        with os.fdopen(fd, "w") as out:
            out.write(target)
        os.replace(tmp, pointer)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def pdf_copies(engine: Engine, files: FileStore, document_ids: Sequence[int]) -> dict[int, bytes]:
    """PDF bytes per document id, all made in one LibreOffice run (for batches, not the web);
    raises LookupError for an unknown id or one not a DOCX, documents.LibreOfficeMissing
    where LibreOffice is not installed."""
    with UnitOfWork(engine, read_only=True) as uow:
        rows = list(
            uow.session.scalars(select(DocumentRow).where(DocumentRow.id.in_(document_ids)))
        )
    found = {r.id: r for r in rows}
    for doc_id in document_ids:
        row = found.get(doc_id)
        if row is None or row.media_type != DOCX:
            raise LookupError(f"document #{doc_id} is not a DOCX document of this service")
    with tempfile.TemporaryDirectory(prefix="sapar-pdf-") as tmp:
        work = Path(tmp)
        sources = []
        for doc_id in document_ids:
            source = work / f"document-{doc_id}.docx"
            source.write_bytes(files.get(found[doc_id].sha256))
            sources.append(source)
        pdfs = convert_to_pdf(sources, work / "pdf")
        return {doc_id: pdf.read_bytes() for doc_id, pdf in zip(document_ids, pdfs, strict=True)}
