"""Issued orders convert to PDF in one LibreOffice run; the DOCX stays the record."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from sapar.services.issuing import sweep
from sapar.services.pdf_copies import pdf_copies
from storage.orm import DocumentRow
from storage.uow import UnitOfWork
from tests.integration.desk import Desk
from tests.integration.test_issuing import to_the_order


@pytest.mark.libreoffice
def test_issued_papers_convert_to_pdf_with_their_names_and_numbers(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    desk = Desk(sqlite_engine, tmp_path / "files")
    case_id = to_the_order(desk)
    sweep(desk.engine, desk.files)
    with UnitOfWork(desk.engine, read_only=True) as uow:
        ids = list(uow.session.scalars(select(DocumentRow.id).where(
            DocumentRow.case_id == case_id, DocumentRow.origin == "generated")))  # fmt: skip
    copies = pdf_copies(desk.engine, desk.files, ids)
    order = tmp_path / "order.pdf"
    order.write_bytes(copies[ids[-1]])
    text = subprocess.run(["pdftotext", str(order), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    assert "Айпери Өмүрбекова" in text and "1/АМ" in text


def test_a_pdf_of_an_unknown_document_is_refused(sqlite_engine: Engine, tmp_path: Path) -> None:
    desk = Desk(sqlite_engine, tmp_path / "files")
    with pytest.raises(LookupError, match="document #99"):
        pdf_copies(desk.engine, desk.files, [99])
