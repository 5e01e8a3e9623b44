"""The portal's paper checklist is the guards' own: for the next step of each state it lists
what that step's guards ask for, with their clause, and marks what is handed in."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from sapar.portal.service import checklist
from sapar.services.actors import Actor
from sapar.services.papers import attach_paper
from states.dossier import DocumentKind as D
from states.model import Role
from storage.files import FileStore
from storage.uow import UnitOfWork
from tests.builders import a_case
from tests.integration.desk import a_pdf


def _open(engine: Engine, **fields: object) -> int:
    with UnitOfWork(engine) as uow:
        case_id = uow.cases.add(a_case(**fields))
        uow.commit()
    return case_id


def _paper(engine: Engine, case_id: int, paper: D) -> None:
    files = FileStore(Path(str(engine.url.database)).parent / "files")
    attach_paper(engine, files, case_id=case_id, doc_type=paper, filename=f"{paper.value}.pdf",
                 content=a_pdf(paper.value), actor=Actor("Айгерим", Role.participant))  # fmt: skip


def test_after_return_the_list_asks_for_the_host_transcript_and_the_certificate(
    sqlite_engine: Engine,
) -> None:
    case_id = _open(sqlite_engine, state="returned", actual_end_date=date(2026, 6, 30))
    _paper(sqlite_engine, case_id, D.certificate)
    with UnitOfWork(sqlite_engine, read_only=True) as uow:
        case = uow.cases.get(case_id)
    found = checklist(sqlite_engine, case=case)
    assert found.step == "start_recognition" and found.roles == ("dean_office",)
    papers = {p.doc_type: p for p in found.papers}
    assert set(papers) == {"host_transcript", "certificate"}
    assert papers["certificate"].handed_in and not papers["host_transcript"].handed_in
    assert all(p.clause == "1.3.5, 3.6" and p.yours for p in papers.values())


def test_a_short_stay_asks_for_the_reference_letter_and_an_office_paper_is_not_the_participants(
    sqlite_engine: Engine,
) -> None:
    short = _open(sqlite_engine, state="returned", start_date=date(2026, 3, 1),
                  end_date=date(2026, 3, 20))  # fmt: skip
    with UnitOfWork(sqlite_engine, read_only=True) as uow:
        case = uow.cases.get(short)
    assert {p.doc_type for p in checklist(sqlite_engine, case=case).papers} == {
        "reference_letter", "certificate"}  # fmt: skip
    invited = _open(sqlite_engine, state="nominated")
    with UnitOfWork(sqlite_engine, read_only=True) as uow:
        case = uow.cases.get(invited)
    found = checklist(sqlite_engine, case=case)
    assert found.step == "receive_invitation"
    assert [(p.doc_type, p.clause, p.yours) for p in found.papers] == [
        ("invitation_letter", "4.3", False)]  # fmt: skip
