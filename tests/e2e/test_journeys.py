"""One journey per kind of case, as the offices walk it: over HTTP only, with the API's
documented fields only, every paper the university issues issued by the document sweep's
own calls (never an upload in its place), and not one outbox item failed at the end."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from sapar.services.issuing import sweep
from states.dossier import DocumentKind as D
from storage.files import FileStore
from storage.orm import OutboxRow
from storage.uow import UnitOfWork
from tests.integration.desk import a_pdf
from tests.integration.office import ANKARA, ECONOMICS, MATHEMATICS, Office, build_office

pytestmark = pytest.mark.slow
TODAY = date.today()


@pytest.fixture
def office(sqlite_engine: Engine, tmp_path: Path) -> Iterator[Office]:
    built = build_office(sqlite_engine, tmp_path)
    built.files = FileStore(tmp_path / "files")  # type: ignore[attr-defined]
    with built.client:
        yield built


class Journey:
    """A case walked through the API by the offices, the sweep issuing its papers."""

    def __init__(self, office: Office) -> None:
        self.office = office
        self.case_id = 0

    def ok(self, answer: Any, status: int = 200) -> Any:
        assert answer.status_code == status, answer.text
        return answer.json()

    def person(self, who: str, **fields: Any) -> int:
        return int(self.ok(self.office.post(who, "/api/people", json=fields), 201)["id"])

    def open(self, who: str, **body: Any) -> None:
        self.case_id = int(self.ok(self.office.post(who, "/api/cases", json=body), 201)["id"])

    def hand_in(self, who: str, paper: D, **facts: str) -> None:
        self.ok(
            self.office.post(
                who,
                f"/api/cases/{self.case_id}/documents",
                data={"doc_type": paper.value, **facts},
                files={"file": (f"{paper.value}.pdf", a_pdf(paper.value), "application/pdf")},
            ),
            201,
        )

    def step(self, who: str, event: str, **data: Any) -> None:
        version = self.ok(self.office.get(who, f"/api/cases/{self.case_id}"))["version"]
        answer = self.office.fire(who, self.case_id, event, expected_version=version, **data)
        self.ok(answer)
        self.sweep()

    def put(self, who: str, what: str, courses: list[dict[str, Any]]) -> Any:
        url = f"/api/cases/{self.case_id}/{what}"
        return self.ok(self.office.client.put(url, headers=self.office.auth(who),
                                              json={"courses": courses}))  # fmt: skip

    def request(self, who: str, kind: str) -> None:
        url = f"/api/cases/{self.case_id}/documents/request"
        self.ok(self.office.post(who, url, json={"kind": kind}), 202)
        self.sweep()

    def sweep(self) -> None:
        """THE sweep (the flow's selection and issuing): every paper asked for is issued."""
        files: FileStore = self.office.files  # type: ignore[attr-defined]
        swept = sweep(self.office.engine, files)
        assert swept.failed == [], swept.failed

    def issued(self) -> list[str]:
        papers = self.ok(self.office.get("iro", f"/api/cases/{self.case_id}/documents"))
        return [p["doc_type"] for p in papers if p["origin"] == "generated"]

    def state(self) -> str:
        return str(self.ok(self.office.get("iro", f"/api/cases/{self.case_id}"))["state"])

    def outbox(self) -> list[str]:
        with UnitOfWork(self.office.engine, read_only=True) as uow:
            return list(uow.session.scalars(select(OutboxRow.status)))


STUDENT = {
    "full_name": "Айгерим Жолдошбекова", "university_id": "2023-0457", "birth_date": "14.03.2005",
    "gender": "female", "citizenship": "Кыргыз Республикасы", "faculty": ECONOMICS,
    "department": "Финансы кафедрасы", "specialty": "Финансы жана кредит", "group_name": "ФК-22",
    "level": "bachelor", "year": 3, "semester": 1, "gpa": 3.6, "funding_basis": "budget",
    "study_language": "кыргыз тили", "email": "aigerim@oshsu.kg", "phone": "+996 700 11 22 33",
    "passport_number": "ID1234567", "address": "Ош ш., Ленин көч., 12",
    "parent_full_name": "Гүлмира Жолдошбекова", "parent_relation": "апасы",
    "parent_passport": "ID7654321", "parent_address": "Ош ш., Ленин көч., 12",
    "parent_phone": "+996 555 12 34 56",
}  # fmt: skip
STAFF = {
    "full_name": "Нурбек Асанов", "kind": "staff", "university_id": "E-0192",
    "faculty": MATHEMATICS, "department": "Информатика кафедрасы", "position": "доцент",
    "email": "nasanov@oshsu.kg",
}  # fmt: skip
INVITATION = {"issuer": "Ankara Üniversitesi", "number": "2026/145", "date": "12.01.2026"}
APPLICATION_PAPERS = (D.application, D.transcript, D.questionnaire, D.motivation_letter,
                      D.passport_copy, D.parents_consent)  # fmt: skip


def student_abroad(j: Journey, *, start: date, end: date, long_term: bool) -> None:
    """From the application to the return order, as the dean's office and ЭАБД do it."""
    person = j.person("dean_econ", **STUDENT)
    j.open("dean_econ", person_id=person, host_institution="Ankara Üniversitesi",
           host_country="Türkiye", host_city="Ankara", programme="Mevlana", partner_id=ANKARA,
           start_date=start.isoformat(), end_date=end.isoformat(), language_level="B1",
           funding_source="credit_mobility", host_language="түрк тили")  # fmt: skip
    # The forms the student fills in are printed from the case, then handed in signed.
    j.request("dean_econ", "questionnaire")
    j.request("dean_econ", "parents_consent")
    for paper in APPLICATION_PAPERS:
        j.hand_in("dean_econ", paper)
    if long_term:
        j.put("dean_econ", "study-plan", [
            {"title": "International Finance", "credits": 6, "replaces": "Эл аралык финансы"},
            {"title": "Econometrics", "credits": 5, "replaces": "Эконометрика"},
        ])  # fmt: skip
        j.request("dean_econ", "study_plan")
        j.hand_in("dean_econ", D.study_plan)
    j.step("dean_econ", "nominate")
    j.hand_in("iro", D.invitation_letter, **INVITATION)
    j.step("iro", "receive_invitation")
    j.step("iro", "issue_order")
    j.step("iro", "depart")
    j.step("iro", "return_home", actual_end_date=end.strftime("%d.%m.%Y"))


def test_a_long_term_student_goes_from_the_application_to_the_recognition_decision(
    office: Office,
) -> None:
    j = Journey(office)
    student_abroad(j, start=date(2026, 2, 2), end=date(2026, 6, 30), long_term=True)
    j.hand_in("dean_econ", D.host_transcript, issuer="Ankara Üniversitesi", date="15.07.2026")
    j.hand_in("dean_econ", D.certificate)
    failed = j.put("dean_econ", "transcript", [
        {"host_course": "International Finance", "credits": 6, "host_grade": "B",
         "host_scale": "ects", "home_course": "Эл аралык финансы"},
        {"host_course": "Econometrics", "credits": 5, "host_grade": "A", "host_scale": "ects",
         "home_course": "Эконометрика"},
    ])["failed_credits"]  # fmt: skip
    j.step("dean_econ", "start_recognition")
    j.step("dean_econ", "decide_recognition", failed_credits=int(failed))
    assert j.state() == "closed"
    assert sorted(j.issued()) == sorted([
        "questionnaire", "parents_consent", "study_plan", "dean_nomination",
        "invitation_request", "mobility_order", "referral_letter", "return_order",
        "recognition_decision",
    ])  # fmt: skip
    assert set(j.outbox()) == {"done"}


def test_a_short_term_student_goes_from_the_application_to_closed(office: Office) -> None:
    j = Journey(office)
    student_abroad(j, start=date(2026, 7, 1), end=date(2026, 7, 21), long_term=False)
    j.hand_in("dean_econ", D.reference_letter)
    j.hand_in("dean_econ", D.certificate)
    j.step("dean_econ", "start_recognition")
    j.step("dean_econ", "decide_recognition")
    assert j.state() == "closed"
    assert sorted(j.issued()) == sorted([
        "questionnaire", "parents_consent", "dean_nomination", "invitation_request",
        "mobility_order", "referral_letter", "return_order",
    ])  # fmt: skip
    assert set(j.outbox()) == {"done"}


@pytest.mark.parametrize("project", [False, True], ids=["university_funded", "project_funded"])
def test_a_staff_trip_goes_from_the_application_to_closed(office: Office, project: bool) -> None:
    j = Journey(office)
    person = j.person("head_inf", **STAFF)
    start = TODAY - timedelta(days=40)
    funding: dict[str, Any] = (
        {"funding_source": "research_project", "project": "«Тоо экосистемалары» долбоору"}
        if project
        else {"funding_source": "university"}
    )
    j.open("head_inf", person_id=person, host_institution="Universität Potsdam",
           host_country="Deutschland", host_city="Potsdam", programme="DAAD",
           purpose="Эл аралык конференцияда баяндама", basis="individual_invitation",
           start_date=start.isoformat(), end_date=(start + timedelta(days=7)).isoformat(),
           substitute="ага окутуучу А. Токтогулов", **funding)  # fmt: skip
    j.hand_in("head_inf", D.application)
    j.hand_in("head_inf", D.invitation_letter, issuer="Universität Potsdam",
              number="UP-77/2026", date=start.strftime("%d.%m.%Y"))  # fmt: skip
    j.hand_in("head_inf", D.substitution_note)
    j.step("head_inf", "approve_by_head")
    j.step("dean_math", "approve_by_dean")
    if project:
        j.step("lead", "approve_by_project_lead")
    j.step("vr_research", "approve_by_vice_rector")
    j.step("iro", "receive_invitation")
    j.step("iro", "issue_order")
    j.step("iro", "depart")
    j.step("iro", "return_home", actual_end_date=(start + timedelta(days=7)).isoformat())
    if not project:
        j.hand_in("accounting", D.expense_report)
    j.hand_in("head_inf", D.presentation_minutes)
    j.hand_in("iro", D.staff_report)
    j.step("iro", "file_report")
    j.step("iro", "close")
    assert j.state() == "closed"
    assert j.issued() == ["staff_trip_order", "staff_report_form"]
    assert set(j.outbox()) == {"done"}


@pytest.mark.parametrize("staff", [False, True], ids=["student", "staff"])
def test_a_guest_goes_from_the_partners_nomination_to_closed(office: Office, staff: bool) -> None:
    j = Journey(office)
    guest: dict[str, Any] = {
        "full_name": "Mehmet Yılmaz", "full_name_latin": "Mehmet Yilmaz",
        "kind": "staff" if staff else "student", "citizenship": "Türkiye",
        "home_institution": "Ankara Üniversitesi", "specialty": "Computer Science",
        "passport_number": "U12345678", "birth_date": "03.09.2003",
    }  # fmt: skip
    if not staff:
        guest.update(level="bachelor", year=3)
    person = j.person("iro", **guest)
    start = TODAY + timedelta(days=30)
    j.open("iro", person_id=person, direction="incoming", host_institution="Ankara Üniversitesi",
           host_country="Türkiye", programme="Mevlana", partner_id=ANKARA,
           purpose="Mevlana алмашуу семестри", faculty=MATHEMATICS, home_country="Türkiye",
           start_date=start.isoformat(), end_date=(start + timedelta(days=120)).isoformat(),
           funding_source="credit_mobility")  # fmt: skip
    j.hand_in("iro", D.partner_nomination, issuer="Ankara Üniversitesi", date="01.11.2026")
    j.step("iro", "accept")
    j.step("iro", "enrol")
    j.step("iro", "arrive")
    if not staff:
        # Not a paper handed in: OshSU issues it from the grades its faculty recorded (КАОЖ
        # duties), so the step is refused, naming them, until the dean's office enters them.
        refused = office.fire("dean_math", j.case_id, "issue_transcript")
        assert refused.status_code == 422, refused.text
        assert "grades" in refused.text
        j.put("dean_math", "transcript", [
            {"host_course": "Algorithms and Data Structures", "credits": 6, "host_grade": "91",
             "host_scale": "hundred"},
            {"host_course": "Kyrgyz as a Foreign Language", "credits": 4, "host_grade": "78",
             "host_scale": "hundred"},
        ])  # fmt: skip
    j.step("dean_math", "issue_transcript")
    j.step("iro", "close")
    assert j.state() == "closed"
    assert j.issued() == ["incoming_invitation", "enrolment_order", "issued_transcript"]
    papers = j.ok(office.get("iro", f"/api/cases/{j.case_id}/documents"))
    assert not [p for p in papers if p["origin"] != "generated"
                and p["doc_type"] in ("incoming_invitation", "enrolment_order",
                                      "issued_transcript")]  # fmt: skip
    transcript = next(p for p in papers if p["doc_type"] == "issued_transcript")
    assert transcript["filename"].endswith("_en.docx")  # for the home university abroad
    assert set(j.outbox()) == {"done"}
