"""An OshSU office for API and page tests: the app on a real database, staff accounts with
API tokens, and helpers to open cases and hand in papers as those staff."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from sapar.app import create_app
from sapar.config import Settings
from sapar.services import users
from sapar.services.partners import PartnerIn, add_partner, write_agreement
from states.dossier import DocumentKind
from states.model import Role
from storage.uow import UnitOfWork
from tests.integration.desk import a_pdf

# What the papers the university cites are handed in with (sapar.services.papers).
FACTS: dict[DocumentKind, dict[str, str]] = {
    DocumentKind.invitation_letter: {"issuer": "Ankara Üniversitesi", "number": "2026/145",
                                     "date": "2026-01-12"},
    DocumentKind.partner_nomination: {"issuer": "Ankara Üniversitesi", "date": "2026-01-10"},
    DocumentKind.host_transcript: {"issuer": "Ankara Üniversitesi", "date": "2026-07-15"},
    # The signed order, scanned, with the number and date it carries (cited by the return
    # order where the flow has not issued the order here).
    DocumentKind.mobility_order: {"issuer": "ОшМУ", "number": "38/АМ", "date": "2026-01-20"},
    DocumentKind.staff_trip_order: {"issuer": "ОшМУ", "number": "12/ИС", "date": "2026-01-20"},
}  # fmt: skip
ECONOMICS = "Экономика факультети"
MATHEMATICS = "Математика жана информатика факультети"
PASSWORD = "Osh-2026-secret"
ANKARA = 1  # the partner registered first in a fresh database

STAFF: dict[str, dict[str, Any]] = {
    "iro": {"role": Role.iro, "full_name": "Гүлнара Мамытова"},
    "dean_econ": {"role": Role.dean_office, "full_name": "Бакыт Токтосунов", "faculty": ECONOMICS},
    "dean_math": {"role": Role.dean_office, "full_name": "Эрмек Сатыбалдиев",
                  "faculty": MATHEMATICS},
    "head_inf": {"role": Role.head_of_department, "full_name": "Жыпар Абдраева",
                 "faculty": MATHEMATICS, "department": "Информатика кафедрасы"},
    "head_fin": {"role": Role.head_of_department, "full_name": "Мирлан Осмонов",
                 "faculty": ECONOMICS, "department": "Финансы кафедрасы"},
    "lead": {"role": Role.project_lead, "full_name": "Азамат Кадыров"},
    "vr_research": {"role": Role.vice_rector_research, "full_name": "Канат Садыков"},
    "rector": {"role": Role.rector, "full_name": "Кудайберди Кожобеков"},
    "accounting": {"role": Role.accounting, "full_name": "Айнура Бекова"},
    "auditor": {"role": Role.auditor, "full_name": "Самат Жумабаев"},
    "admin": {"role": Role.admin, "full_name": "Администратор"},
}  # fmt: skip


def student_case(**overrides: Any) -> dict[str, Any]:
    """The JSON of a new outgoing semester: an economics student to Ankara."""
    participant = {
        "full_name": "Айгерим Жолдошбекова",
        "faculty": ECONOMICS,
        "department": "Финансы кафедрасы",
        "level": "bachelor",
        "year": 3,
        "semester": 1,
        "gpa": 3.6,
        "funding_basis": "budget",
        "specialty": "Финансы жана кредит",
        "group_name": "ФК-22",
    }
    participant.update(overrides.pop("participant", {}))
    body: dict[str, Any] = {
        "participant": participant,
        "host_institution": "Ankara Üniversitesi",
        "host_country": "Türkiye",
        "host_city": "Ankara",
        "programme": "Mevlana",
        "start_date": "2027-02-01",
        "end_date": "2027-06-30",
        "funding_source": "credit_mobility",
        "partner_id": ANKARA,
        "host_language": "англис тили",
        "language_level": "B2",
    }
    body.update(overrides)
    return body


def staff_case(**overrides: Any) -> dict[str, Any]:
    body = student_case(
        participant={
            "full_name": "Нурбек Асанов",
            "kind": "staff",
            "faculty": MATHEMATICS,
            "department": "Информатика кафедрасы",
            "position": "доцент",
            "level": None, "year": None, "semester": None, "gpa": None, "funding_basis": None,
            "specialty": None, "group_name": None,
        },
        host_institution="Universität Potsdam",
        host_country="Deutschland",
        host_city="Potsdam",
        programme="DAAD",
        purpose="conference",
        start_date="2027-03-10",
        end_date="2027-03-17",
        funding_source="university",
        basis="individual_invitation",
        partner_id=None,
        host_language=None,
        language_level=None,
        substitute="ага окутуучу А. Токтогулов",
    )  # fmt: skip
    body.update(overrides)
    return body


@dataclass
class Office:
    client: TestClient
    engine: Engine
    tokens: dict[str, str] = field(default_factory=dict)

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def get(self, who: str, url: str, **kw: Any) -> Any:
        return self.client.get(url, headers={**self.auth(who), **kw.pop("headers", {})}, **kw)

    def post(self, who: str, url: str, **kw: Any) -> Any:
        return self.client.post(url, headers={**self.auth(who), **kw.pop("headers", {})}, **kw)

    def open(self, who: str, body: dict[str, Any]) -> int:
        response = self.post(who, "/api/cases", json=body)
        assert response.status_code == 201, response.text
        return int(response.json()["id"])

    def hand_in(self, who: str, case_id: int, *papers: DocumentKind) -> None:
        for paper in papers:
            response = self.post(
                who,
                f"/api/cases/{case_id}/documents",
                data={"doc_type": paper.value, **FACTS.get(paper, {})},
                files={"file": (f"{paper.value}.pdf", a_pdf(paper.value), "application/pdf")},
            )
            assert response.status_code == 201, response.text

    def fire(self, who: str, case_id: int, event: str, **payload: Any) -> Any:
        return self.post(who, f"/api/cases/{case_id}/events", json={"event": event, **payload})

    def version(self, case_id: int) -> int:
        return int(self.get("iro", f"/api/cases/{case_id}").json()["version"])


def build_office(engine: Engine, tmp_path: Path, *, on_demand_documents: bool = False) -> Office:
    url = engine.url.render_as_string(hide_password=False)
    # No Prefect here: a step's documents wait in the outbox (tests/integration/test_web_desk
    # stands in for Prefect where it checks they are asked for).
    settings = Settings(database_url=url, files_dir=tmp_path / "files", var_dir=tmp_path,
                        on_demand_documents=on_demand_documents)  # fmt: skip
    app = create_app(settings)
    office = Office(TestClient(app), engine)
    with UnitOfWork(engine) as uow:  # the partner registry: Ankara, under Mevlana until 2030
        partner = add_partner(uow.session, PartnerIn(name="Ankara Üniversitesi", country="Türkiye"))
        write_agreement(uow.session, partner_id=partner, kind="mevlana",
                        valid_from=date(2020, 1, 1), valid_to=date(2030, 12, 31))  # fmt: skip
        uow.commit()
    assert partner == ANKARA
    for username, spec in STAFF.items():
        users.create_user(engine, username=username, password=PASSWORD, **spec)
        office.tokens[username] = users.add_token(engine, username=username, name="tests")
    return office


TODAY = date(2026, 11, 23)
