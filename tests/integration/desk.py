"""A clerk's desk for integration tests: open a case, hand in papers, take steps."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from sapar.services.cases import Actor, FireResult, fire, open_case
from sapar.services.papers import PaperFacts, attach_paper
from states.dossier import DocumentKind
from states.model import Case, Role
from storage.files import FileStore

TODAY = date(2026, 11, 23)
# What the papers the university cites are handed in with (sapar.services.papers).
FACTS = {
    DocumentKind.invitation_letter: PaperFacts(
        "Ankara Üniversitesi", "2026/145", date(2026, 1, 12)
    ),
    DocumentKind.partner_nomination: PaperFacts("Ankara Üniversitesi", None, date(2026, 1, 10)),
    DocumentKind.host_transcript: PaperFacts("Ankara Üniversitesi", None, date(2026, 7, 15)),
    # The signed order, scanned: where the flow has not issued it here (tests that skip the
    # sweep), the return order cites the number and date the scan carries.
    DocumentKind.mobility_order: PaperFacts("ОшМУ", "38/АМ", date(2026, 1, 20)),
    DocumentKind.staff_trip_order: PaperFacts("ОшМУ", "12/ИС", date(2026, 1, 20)),
}

IRO = Actor("Гүлнара Мамытова", Role.iro)
DEAN = Actor("Бакыт Токтосунов", Role.dean_office, faculty="Экономика факультети")
HEAD = Actor("Жыпар Абдраева", Role.head_of_department)
PROJECT_LEAD = Actor("Азамат Кадыров", Role.project_lead)
VICE_RECTOR = Actor("Канат Садыков", Role.vice_rector_research)


def a_pdf(label: str) -> bytes:
    return b"%PDF-1.4\n% " + label.encode() + b"\n%%EOF\n"


class Desk:
    def __init__(self, engine: Engine, files_root: Path) -> None:
        self.engine = engine
        self.files = FileStore(files_root)

    def open(self, case: Case, actor: Actor = IRO) -> int:
        return open_case(self.engine, actor=actor, case=case)

    def hand_in(self, case_id: int, *papers: DocumentKind, actor: Actor = IRO) -> None:
        for paper in papers:
            attach_paper(
                self.engine,
                self.files,
                case_id=case_id,
                doc_type=paper,
                filename=f"{paper.value}.pdf",
                content=a_pdf(f"{case_id} {paper.value}"),
                actor=actor,
                facts=FACTS.get(paper),
            )

    def step(self, case_id: int, event: str, actor: Actor, **payload: Any) -> FireResult:
        return fire(
            self.engine, case_id=case_id, event=event, actor=actor, payload=payload, today=TODAY
        )
