"""The registry of people: one record per person, cases opened for them, the unfinished-case
rule through every door, imports all or nothing, search and the person's page."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook
from typer.testing import CliRunner

from sapar.cli import app
from sapar.config import get_settings
from sapar.services import users
from states.model import Role
from tests.integration.office import ECONOMICS, Office, staff_case, student_case
from tests.integration.web_client import log_in

AIGERIM = {
    "full_name": "Айгерим Жолдошбекова",
    "university_id": "2023-0457",
    "birth_date": "14.03.2005",
    "gender": "female",
    "faculty": ECONOMICS,
    "department": "Финансы кафедрасы",
    "specialty": "Финансы жана кредит",
    "group_name": "ФК-22",
    "level": "bachelor",
    "year": 3,
    "semester": 1,
    "gpa": 3.6,
    "funding_basis": "budget",
    "study_language": "кыргыз тили",
}


def a_case_for(person_id: int, **overrides: Any) -> dict[str, Any]:
    body = student_case(**overrides)
    body.pop("participant")
    return {**body, "person_id": person_id}


def add_person(office: Office, who: str = "dean_econ", **overrides: Any) -> int:
    answer = office.post(who, "/api/people", json={**AIGERIM, **overrides})
    assert answer.status_code == 201, answer.text
    return int(answer.json()["id"])


def test_a_second_case_is_refused_while_the_persons_first_is_unfinished_naming_it(
    office: Office,
) -> None:
    person = add_person(office)
    first = office.post("dean_econ", "/api/cases", json=a_case_for(person))
    assert first.status_code == 201 and first.json()["person_id"] == person
    first_id = first.json()["id"]
    second = office.post("dean_econ", "/api/cases", json=a_case_for(person,
                         start_date="2027-09-01", end_date="2028-01-31"))  # fmt: skip
    assert second.status_code == 422, second.text
    assert f"#{first_id}" in second.json()["detail"] and "4.8" in second.json()["detail"]
    assert office.fire("dean_econ", first_id, "withdraw", reason="Баш тартты").status_code == 200
    again = office.post("dean_econ", "/api/cases", json=a_case_for(person,
                        start_date="2027-09-01", end_date="2028-01-31"))  # fmt: skip
    assert again.status_code == 201, again.text
    page = office.get("dean_econ", f"/api/people/{person}").json()
    assert [c["id"] for c in page["cases"]] == [first_id, again.json()["id"]]
    assert [c["state"] for c in page["cases"]] == ["withdrawn", "application"]


def test_a_namesake_born_the_same_day_is_a_warning_to_confirm_and_a_known_id_is_refused(
    office: Office,
) -> None:
    person = add_person(office)
    same_id = office.post("dean_econ", "/api/people", json={**AIGERIM, "birth_date": None})
    assert same_id.status_code == 400 and f"#{person}" in same_id.json()["detail"]
    twin = {**AIGERIM, "university_id": "2023-9999"}
    warned = office.post("dean_econ", "/api/cases", json={**student_case(participant=twin)})
    assert warned.status_code == 409, warned.text
    assert f"#{person}" in warned.json()["detail"] and "confirm_new_person" in warned.text
    body = {**student_case(participant=twin), "confirm_new_person": True}
    confirmed = office.post("dean_econ", "/api/cases", json=body)
    assert confirmed.status_code == 201 and confirmed.json()["person_id"] != person


def test_people_are_found_by_name_id_or_pin_and_a_dean_sees_only_their_faculty(
    office: Office,
) -> None:
    person = add_person(office, pin="21403200500123")
    add_person(office, "dean_math", full_name="Нурбек Асанов", university_id="2021-0001",
               faculty="Математика жана информатика факультети", birth_date=None)  # fmt: skip
    for q in ("жолдош", "2023-0457", "21403200500123"):
        found = office.get("iro", "/api/people", params={"q": q}).json()
        assert [p["id"] for p in found] == [person], q
    assert office.get("dean_math", "/api/people", params={"q": "жолдош"}).json() == []
    assert office.get("dean_math", f"/api/people/{person}").status_code == 403


def test_a_correction_of_a_person_is_checked_and_guarded_by_its_version(office: Office) -> None:
    person = add_person(office)
    fixed = office.client.patch(f"/api/people/{person}", headers=office.auth("dean_econ"),
                                json={"expected_version": 0, "group_name": "ФК-23"})  # fmt: skip
    assert fixed.status_code == 200 and fixed.json()["group_name"] == "ФК-23"
    stale = office.client.patch(f"/api/people/{person}", headers=office.auth("dean_econ"),
                                json={"expected_version": 0, "group_name": "ФК-24"})  # fmt: skip
    assert stale.status_code == 409
    bad = office.client.patch(f"/api/people/{person}", headers=office.auth("dean_econ"),
                              json={"expected_version": 1, "gpa": 5})  # fmt: skip
    assert bad.status_code == 422 and "gpa" in bad.text


def imported(office: Office, filename: str, content: bytes, **kw: Any) -> dict[str, Any]:
    """Upload a file of people and read how its import ended (the test client runs the
    import, queued after the answer, before it returns)."""
    queued = office.post("iro", "/api/people/import", files={"file": (filename, content)}, **kw)
    assert queued.status_code == 202, queued.text
    assert queued.json()["status"] == "queued" and queued.json()["kind"] == "people"
    job = office.get("iro", f"/api/imports/{queued.json()['id']}", **kw)
    assert job.status_code == 200 and job.json()["finished"], job.text
    return dict(job.json())


def test_an_import_is_all_or_nothing_and_names_the_line_and_field(office: Office) -> None:
    header = "full_name,university_id,faculty,birth_date,gpa\n"
    good = "Айпери Осмонова,2024-0001,Экономика факультети,02.05.2006,3.4\n"
    bad = "Бекзат Усонов,2024-0002,Экономика факультети,31.02.2006,3.1\n"
    csv = (header + good + bad).encode()
    refused = imported(office, "s.csv", csv, headers={"Accept-Language": "en"})
    assert refused["status"] == "failed" and refused["error"].startswith("line 3: birth_date")
    assert refused["errors"][0]["line"] == 3 and refused["errors"][0]["field"] == "birth_date"
    assert office.get("iro", "/api/people", params={"q": "Осмонова"}).json() == []
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["full_name", "university_id", "faculty", "gpa"])
    sheet.append(["Айпери Осмонова", 20240001, "Экономика факультети", 3.4])
    sheet.append(["Бекзат Усонов", "2024-0002", "Экономика факультети", 3.1])
    content = io.BytesIO()
    book.save(content)
    done = imported(office, "s.xlsx", content.getvalue())
    assert (done["status"], done["added"], done["corrected"]) == ("done", 2, 0), done
    again = imported(office, "s.xlsx", content.getvalue())
    assert (again["status"], again["added"], again["corrected"]) == ("done", 0, 2), again
    assert office.get("iro", "/api/people", params={"q": "20240001"}).json()[0]["full_name"] == (
        "Айпери Осмонова"
    )


def test_an_import_is_checked_whole_before_anything_is_written_even_past_a_batch(
    office: Office,
) -> None:
    """A bad line beyond the first batches refuses the file: nothing of the batches before
    it was written (every line is checked, against the file and the registry, first)."""
    add_person(office, pin="21403200500123")
    lines = [f"Студент {i},2025-{i:05d},{ECONOMICS}" for i in range(1, 1300)]
    lines.append(f"Экинчи ПИН,2025-99999,{ECONOMICS},21403200500123")
    csv = ("full_name,university_id,faculty,pin\n" + "\n".join(lines)).encode()
    refused = imported(office, "many.csv", csv, headers={"Accept-Language": "ru"})
    assert refused["status"] == "failed", refused
    assert refused["errors"][0] == {
        "field": "pin", "line": 1301, "label": None, "message": refused["errors"][0]["message"],
        "rule": None, "clause": None, "key": None,
    }  # fmt: skip
    assert refused["error"].startswith("строка 1301: pin: этот ПИН"), refused["error"]
    assert office.get("iro", "/api/people", params={"q": "2025-00001"}).json() == []
    twice = imported(
        office, "twice.csv", "full_name,university_id\nАсан Асанов,7\nБакыт Бакытов,7\n".encode()
    )
    assert (twice["errors"][0]["line"], twice["errors"][0]["field"]) == (3, "university_id")


def test_each_kind_names_the_particulars_its_papers_need_when_opened(office: Office) -> None:
    staff = staff_case(substitute=None, host_city=None)
    answer = office.post("iro", "/api/cases", json=staff)
    assert answer.status_code == 422
    fields = {e["field"] for e in answer.json()["errors"]}
    assert fields == {"substitute", "host_city"}
    project = office.post("iro", "/api/cases", json=staff_case(funding_source="research_project"))
    assert [e["field"] for e in project.json()["errors"]] == ["project"]
    student = office.post("iro", "/api/cases", json=student_case(host_language=None))
    assert [e["field"] for e in student.json()["errors"]] == ["host_language"]


def test_a_step_refuses_a_field_that_belongs_to_another_step_by_name(office: Office) -> None:
    case_id = office.open("dean_econ", student_case())
    answer = office.fire("dean_econ", case_id, "withdraw", failed_credits=3)
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "failed_credits"


def test_the_web_opens_a_case_for_a_person_picked_by_search_and_refuses_a_second(
    sqlite_office: Office,
) -> None:
    person = add_person(sqlite_office)
    browser = TestClient(sqlite_office.client.app)
    csrf = log_in(browser, "dean_econ")
    picker = browser.get("/cases/new", params={"q": "Жолдошбекова"})
    assert f'href="/cases/new?person_id={person}"' in picker.text
    form = browser.get(f"/cases/new?person_id={person}")
    assert (
        f'name="person_id" value="{person}"' in form.text and 'name="p_full_name"' not in form.text
    )
    body = {"csrf": csrf, "person_id": str(person), "host_institution": "Ankara Üniversitesi",
            "host_country": "Türkiye", "start_date": "01.02.2027", "end_date": "30.06.2027",
            "funding_source": "credit_mobility", "purpose": "study", "host_language": "англис тили",
            "partner_id": "1"}  # fmt: skip
    opened = browser.post("/cases/new", data=body)
    assert opened.status_code == 200 and "Иш №1 ачылды" in opened.text
    refused = browser.post("/cases/new", data=body)
    assert refused.status_code == 422 and "#1" in refused.text and "4.8" in refused.text
    page = browser.get(f"/people/{person}")
    assert 'href="/cases/1"' in page.text


@pytest.fixture
def shell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("SAPAR_DATABASE_URL", f"sqlite:///{tmp_path / 'sapar.db'}")
    monkeypatch.setenv("SAPAR_FILES_DIR", str(tmp_path / "files"))
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_the_shell_opens_a_case_for_a_person_and_refuses_a_second_naming_the_first(
    shell: Path,
) -> None:
    runner = CliRunner()
    person_file = shell / "person.json"
    person_file.write_text(json.dumps(AIGERIM), encoding="utf-8")
    added = runner.invoke(app, ["people", "add", "--file", str(person_file)])
    assert added.exit_code == 0 and "person #1" in added.output, added.output
    case_file = shell / "case.json"
    case_file.write_text(json.dumps(a_case_for(1, partner_id=None, basis="personal_initiative")))
    opened = runner.invoke(app, ["cases", "create", "--file", str(case_file)])
    assert opened.exit_code == 0 and "opened case #1" in opened.output, opened.output
    refused = runner.invoke(app, ["cases", "create", "--file", str(case_file)])
    assert refused.exit_code == 1 and "#1" in refused.output and "4.8" in refused.output
    shown = runner.invoke(app, ["people", "show", "1"])
    assert "#1" in shown.output and "application" in shown.output
    found = runner.invoke(app, ["people", "find", "2023-0457"])
    assert "Айгерим" in found.output


def test_an_auditor_reads_people_but_does_not_record_them(office: Office) -> None:
    users.create_user(office.engine, username="aud2", password="Osh-2026-secret",
                      role=Role.auditor, full_name="Аудитор Экинчи")  # fmt: skip
    token = users.add_token(office.engine, username="aud2", name="t")
    answer = office.client.post("/api/people", json=AIGERIM,
                                headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    assert answer.status_code == 403


def test_the_people_page_imports_off_the_request_and_shows_how_it_ended(
    sqlite_office: Office,
) -> None:
    browser = TestClient(sqlite_office.client.app)
    csrf = log_in(browser, "iro")
    good = f"full_name,university_id,faculty\nАйпери Осмонова,2024-0001,{ECONOMICS}\n"
    done = browser.post("/people/import", data={"csrf": csrf},
                        files={"file": ("s.csv", good.encode(), "text/csv")})  # fmt: skip
    # Redirected to the job's page; the import ran after the answer.
    assert done.status_code == 200 and "/people/imports/" in str(done.url), done.url
    assert 'data-status="done"' in done.text and "Кошулду: 1, оңдолду: 0" in done.text
    assert browser.get("/people", params={"q": "Осмонова"}).text.count("Айпери Осмонова") == 1
    bad = "full_name,birth_date\nБекзат Усонов,31.02.2006\n"
    refused = browser.post("/people/import", data={"csrf": csrf},
                           files={"file": ("s.csv", bad.encode(), "text/csv")})  # fmt: skip
    assert 'data-status="failed"' in refused.text
    assert "2-сап: birth_date:" in refused.text, refused.text  # the clerk's language: Kyrgyz
    wrong = browser.post("/people/import", data={"csrf": csrf},
                         files={"file": ("s.pdf", b"%PDF", "application/pdf")})  # fmt: skip
    assert wrong.status_code == 400 and "s.pdf" in wrong.text
