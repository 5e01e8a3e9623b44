"""PDF copies of issued documents, made on request in one LibreOffice run.

The DOCX stays the document of record: a PDF is a convenience copy for reading and printing,
not stored in the case file.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import Engine, select

from documents.pdf import convert_to_pdf
from storage.files import FileStore
from storage.orm import DocumentRow
from storage.uow import UnitOfWork

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def pdf_copies(engine: Engine, files: FileStore, document_ids: Sequence[int]) -> dict[int, bytes]:
    """PDF bytes per document id; raises LookupError for an unknown id or one not a DOCX,
    documents.LibreOfficeMissing where LibreOffice is not installed."""
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
