"""The pages through a browser-like client: logins, lock-out, CSRF, forms and refusals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from sapar.services import users
from storage.orm import ApiTokenRow, WebSessionRow
from storage.uow import UnitOfWork
from tests.integration.office import PASSWORD, Office, student_case
from tests.integration.web_client import csrf_of, log_in


@pytest.fixture
def browser(sqlite_office: Office) -> TestClient:
    return TestClient(sqlite_office.client.app)


def test_the_session_cookie_is_httponly_lax_and_only_its_hash_is_stored(
    sqlite_office: Office, browser: TestClient
) -> None:
    token = csrf_of(browser.get("/login").text)
    answer = browser.post("/login", data={"username": "iro", "password": PASSWORD, "csrf": token},
                          follow_redirects=False)  # fmt: skip
    cookie = answer.headers["set-cookie"]
    assert "sapar_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    raw = browser.cookies["sapar_session"]
    with UnitOfWork(sqlite_office.engine, read_only=True) as uow:
        stored = list(uow.session.scalars(select(WebSessionRow.token_hash)))
        tokens = list(uow.session.scalars(select(ApiTokenRow.token_hash)))
    assert stored == [users.sha256(raw)]
    assert users.sha256(sqlite_office.tokens["iro"]) in tokens
    assert sqlite_office.tokens["iro"] not in tokens


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(
    sqlite_office: Office, browser: TestClient
) -> None:
    token = csrf_of(browser.get("/login").text)
    for _ in range(5):
        wrong = browser.post("/login", data={"username": "dean_econ", "password": "nope-nope",
                                             "csrf": token})  # fmt: skip
    assert wrong.status_code == 429
    right = browser.post("/login", data={"username": "dean_econ", "password": PASSWORD,
                                         "csrf": token})  # fmt: skip
    assert right.status_code == 429 and "15" in right.text
    later = datetime.now(UTC) + timedelta(minutes=16)
    user = users.authenticate(sqlite_office.engine, username="dean_econ", password=PASSWORD,
                              now=later)  # fmt: skip
    assert user.username == "dean_econ"


def test_a_form_without_the_session_csrf_token_is_refused(browser: TestClient) -> None:
    log_in(browser, "dean_econ")
    answer = browser.post("/cases/new", data={"p_full_name": "Айгерим Жолдошбекова"})
    assert answer.status_code == 403
    assert browser.post("/login", data={"username": "iro", "password": PASSWORD}).status_code in (
        403,
        422,
    )


def test_pages_speak_kyrgyz_by_default_and_russian_when_asked(browser: TestClient) -> None:
    csrf = log_in(browser, "dean_econ")
    assert "Мобилдүүлүк иштери" in browser.get("/cases").text
    browser.post("/language", data={"csrf": csrf, "language": "ru", "next": "/cases"})
    assert "Дела по мобильности" in browser.get("/cases").text


def test_the_new_case_form_shows_each_bad_field_and_writes_nothing(
    sqlite_office: Office, browser: TestClient
) -> None:
    csrf = log_in(browser, "dean_econ")
    answer = browser.post("/cases/new", data={
        "csrf": csrf, "p_full_name": "Айгерим Жолдошбекова", "p_gpa": "7",
        "p_faculty": "Экономика факультети", "host_institution": "Ankara Üniversitesi",
        "host_country": "Türkiye", "start_date": "2027-03-01", "end_date": "2027-02-01",
        "funding_source": "credit_mobility",
    })  # fmt: skip
    assert answer.status_code == 422
    assert "GPA 4.0 шкаласында: 7 болушу мүмкүн эмес" in answer.text
    assert "Мобилдүүлүк (01.02.2027) башталганга (01.03.2027) чейин бүтөт" in answer.text
    assert sqlite_office.get("iro", "/api/cases").json()["cases"] == []


def test_a_dean_opens_a_case_and_sees_only_the_steps_of_the_dean_s_office(
    browser: TestClient,
) -> None:
    csrf = log_in(browser, "dean_econ")
    answer = browser.post("/cases/new", data={
        "csrf": csrf, "p_full_name": "Айгерим Жолдошбекова", "p_gpa": "3.6", "p_level": "bachelor",
        "p_year": "3", "p_semester": "1", "p_faculty": "Экономика факультети",
        "host_institution": "Ankara Üniversitesi", "host_country": "Türkiye",
        "start_date": "01.02.2027", "end_date": "30.06.2027", "host_language": "англис тили",
        "funding_source": "credit_mobility", "purpose": "study",
    })  # fmt: skip
    assert answer.status_code == 200 and "Иш №1 ачылды" in answer.text
    assert 'data-step="nominate"' in answer.text and 'data-step="cancel"' not in answer.text
    refused = browser.post("/cases/1/steps", data={"csrf": csrf, "event": "nominate",
                                                   "expected_version": "0"})  # fmt: skip
    assert refused.status_code == 422
    assert "Документ жетишпейт: Арыз (Жобо, 4.2, Студенттин милдеттери)" in refused.text


def test_a_paper_uploaded_through_the_form_can_be_downloaded(
    sqlite_office: Office, browser: TestClient
) -> None:
    case_id = sqlite_office.open("dean_econ", student_case())
    csrf = log_in(browser, "dean_econ")
    pdf = b"%PDF-1.4\n%scan\n%%EOF\n"
    url, form = f"/cases/{case_id}/documents", {"csrf": csrf, "doc_type": "transcript"}
    answer = browser.post(
        url, data=form, files={"file": ("transcript.pdf", pdf, "application/pdf")}
    )
    assert answer.status_code == 200 and "transcript.pdf" in answer.text
    bad = browser.post(url, data=form, files={"file": ("photo.jpg", b"\xff\xd8", "image/jpeg")})
    assert bad.status_code == 400 and "PDF же DOCX документ эмес" in bad.text
    doc_id = sqlite_office.get("dean_econ", f"/api/cases/{case_id}/documents").json()[0]["id"]
    assert browser.get(f"/cases/{case_id}/documents/{doc_id}").content == pdf
