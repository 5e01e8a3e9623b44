"""The transcript OshSU gives a guest student (КАОЖ duties): refused by name until the faculty
has entered the grades, then issued from them in English for the home university."""

from __future__ import annotations

from typing import Any

from documents.docx_text import full_text
from sapar.services.issuing import sweep
from states.dossier import DocumentKind as D
from storage.files import FileStore
from tests.integration.office import ANKARA, MATHEMATICS, Office


def a_guest_at_oshsu(office: Office) -> int:
    person = office.post("iro", "/api/people", json={
        "full_name": "Mehmet Yılmaz", "full_name_latin": "Mehmet Yilmaz", "kind": "student",
        "citizenship": "Türkiye", "home_institution": "Ankara Üniversitesi",
        "specialty": "Computer Science", "level": "bachelor", "year": 3,
    })  # fmt: skip
    assert person.status_code == 201, person.text
    case_id = office.open("iro", {
        "person_id": person.json()["id"], "direction": "incoming",
        "host_institution": "Ankara Üniversitesi", "host_country": "Türkiye",
        "programme": "Mevlana", "partner_id": ANKARA, "purpose": "Mevlana exchange semester",
        "faculty": MATHEMATICS, "home_country": "Türkiye", "start_date": "2026-02-02",
        "end_date": "2026-06-26", "funding_source": "credit_mobility",
    })  # fmt: skip
    office.hand_in("iro", case_id, D.partner_nomination)
    for event in ("accept", "enrol"):
        assert office.fire("iro", case_id, event).status_code == 200
    office.hand_in("iro", case_id, D.enrolment_order)
    assert office.fire("iro", case_id, "arrive").status_code == 200
    return case_id


def grades(office: Office, case_id: int, courses: list[dict[str, Any]]) -> Any:
    return office.client.put(f"/api/cases/{case_id}/transcript", headers=office.auth("dean_math"),
                             json={"courses": courses})  # fmt: skip


def test_the_guests_transcript_is_refused_naming_the_grades_and_changes_nothing(
    sqlite_office: Office,
) -> None:
    office = sqlite_office
    case_id = a_guest_at_oshsu(office)
    version = office.version(case_id)
    refused = office.fire("dean_math", case_id, "issue_transcript")
    assert refused.status_code == 422, refused.text
    # In the clerk's language (Kyrgyz), with who enters them and the clause.
    assert "конок студенттин ОшМУдагы баалары, сабак боюнча (деканат киргизет)" in refused.text
    assert "КАОЖ duties" in refused.text
    case = office.get("iro", f"/api/cases/{case_id}").json()
    assert (case["state"], case["version"]) == ("at_oshsu", version)


def test_the_transcript_is_issued_in_english_from_the_grades_the_faculty_entered(
    sqlite_office: Office,
) -> None:
    office = sqlite_office
    files = FileStore(office.client.app.state.services.settings.files_dir)  # type: ignore[attr-defined]
    case_id = a_guest_at_oshsu(office)
    saved = grades(office, case_id, [
        {"host_course": "Algorithms and Data Structures", "credits": 6, "host_grade": "91",
         "host_scale": "hundred"},
        {"host_course": "Kyrgyz as a Foreign Language", "credits": 4.5, "host_grade": "78",
         "host_scale": "hundred"},
    ])  # fmt: skip
    assert saved.status_code == 200, saved.text
    assert office.fire("dean_math", case_id, "issue_transcript").status_code == 200
    assert sweep(office.engine, files).failed == []
    papers = [p for p in office.get("iro", f"/api/cases/{case_id}/documents").json()
              if p["doc_type"] == "issued_transcript"]  # fmt: skip
    assert [(p["origin"], p["number"]) for p in papers] == [("generated", "1/TR")]
    content = office.get("iro", f"/api/cases/{case_id}/documents/{papers[0]['id']}").content
    text = full_text(content)
    assert papers[0]["filename"].endswith("_en.docx")
    assert "TRANSCRIPT OF RECORDS" in text and "Mehmet Yilmaz" in text
    assert "Algorithms and Data Structures" in text and "10.5" in text
    assert "91" in text and "Faculty of Mathematics" in text


def test_the_dean_office_enters_the_guests_grades_on_the_case_page(sqlite_office: Office) -> None:
    from fastapi.testclient import TestClient

    from tests.integration.web_client import log_in

    office = sqlite_office
    case_id = a_guest_at_oshsu(office)
    browser = TestClient(office.client.app)
    csrf = log_in(browser, "dean_math")
    page = browser.get(f"/cases/{case_id}").text
    assert 'id="grades"' in page and 'name="host_scale" value="hundred"' in page
    saved = browser.post(f"/cases/{case_id}/transcript", data={
        "csrf": csrf, "host_course": ["Algorithms", "Kyrgyz A2", ""],
        "credits": ["6", "4,5", ""], "host_grade": ["91", "78", ""],
        "host_scale": ["hundred", "hundred", "hundred"],
    })  # fmt: skip
    assert saved.status_code == 200 and "Algorithms" in saved.text
    assert str(saved.url).endswith("#grades")
    assert office.fire("dean_math", case_id, "issue_transcript").status_code == 200


def test_an_english_copy_is_asked_for_only_of_a_paper_that_has_one(sqlite_office: Office) -> None:
    office = sqlite_office
    files = FileStore(office.client.app.state.services.settings.files_dir)  # type: ignore[attr-defined]
    case_id = a_guest_at_oshsu(office)
    grades(office, case_id, [{"host_course": "Algorithms", "credits": 6, "host_grade": "91",
                              "host_scale": "hundred"}])  # fmt: skip
    assert office.fire("dean_math", case_id, "issue_transcript").status_code == 200
    url = f"/api/cases/{case_id}/documents/request"
    asked = office.post("iro", url, json={"kind": "issued_transcript", "language": "en"})
    assert asked.status_code == 202, asked.text
    assert sweep(office.engine, files).failed == []
    refused = office.post("iro", url, json={"kind": "questionnaire", "language": "en"},
                          headers={"Accept-Language": "ru"})  # fmt: skip
    assert refused.status_code == 422, refused.text
    assert [e["field"] for e in refused.json()["errors"]] == ["language"]
    assert "только на языках: ky, ru" in refused.json()["detail"]
    for handed_in in ("other", "invitation_letter", "faculty_mobility_report"):
        asked = office.post("iro", url, json={"kind": handed_in})
        assert asked.status_code == 422, (handed_in, asked.text)  # never a 500
        assert [e["field"] for e in asked.json()["errors"]] == ["kind"]


def test_citizenship_and_home_country_are_kept_as_codes_and_printed_by_name(
    sqlite_office: Office,
) -> None:
    office = sqlite_office
    files = FileStore(office.client.app.state.services.settings.files_dir)  # type: ignore[attr-defined]
    case_id = a_guest_at_oshsu(office)  # typed "Türkiye" both
    case = office.get("iro", f"/api/cases/{case_id}").json()
    assert case["home_country"] == "TR"
    person = office.get("iro", f"/api/people/{case['participant']['id']}").json()
    assert person["citizenship"] == "TR"
    assert sweep(office.engine, files).failed == []
    papers = {p["doc_type"]: p for p in office.get("iro", f"/api/cases/{case_id}/documents").json()}
    order = full_text(office.get("iro", f"/api/cases/{case_id}/documents/"
                                 f"{papers['enrolment_order']['id']}").content)  # fmt: skip
    assert "Түркия" in order and "(TR)" not in order and " TR," not in order
    refused = office.post("iro", "/api/people", headers={"Accept-Language": "ru"},
                          json={"full_name": "Lucy Pevensie", "citizenship": "Narnia"})  # fmt: skip
    assert refused.status_code == 422, refused.text
    assert [e["field"] for e in refused.json()["errors"]] == ["citizenship"]
