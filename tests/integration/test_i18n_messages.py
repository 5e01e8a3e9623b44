"""Every refusal a user reads is in their language: the API answers in the language
Accept-Language asks for (else the user's), and no page in Kyrgyz or Russian carries an
English sentence."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from sapar.services import users
from tests.builders import LONG_STAY_PAPERS
from tests.integration.office import Office, student_case
from tests.integration.portal_client import application, apply, open_call, sign_in
from tests.integration.web_client import log_in

# Words that make a run of Latin words an English sentence rather than a name or a code.
ENGLISH = frozenset(
    {
        "the",
        "a",
        "an",
        "is",
        "are",
        "be",
        "not",
        "of",
        "to",
        "for",
        "in",
        "on",
        "and",
        "or",
        "with",
        "must",
        "should",
        "cannot",
        "can",
        "was",
        "were",
        "this",
        "that",
        "your",
        "you",
        "it",
        "no",
        "required",
        "missing",
        "input",
        "field",
        "valid",
        "value",
        "before",
        "after",
        "only",
        "does",
        "do",
        "at",
        "least",
        "most",
    }
)
_TAGS = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.S | re.I)
_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z']+(?:[ ,:;()-]+[A-Za-z][A-Za-z']+){2,}")


def english_sentences(text: str) -> list[str]:
    """Runs of three or more Latin words with an English function word among them."""
    visible = html.unescape(_TAGS.sub(" ", text))
    found = []
    for run in _LATIN_RUN.findall(visible):
        words = {w.lower() for w in re.findall(r"[A-Za-z']+", run)}
        if words & ENGLISH:
            found.append(run)
    return found


def test_the_detector_finds_an_english_sentence_and_passes_names_and_codes() -> None:
    assert english_sentences("<p>Арыз: the application is missing</p>") == [
        "the application is missing"
    ]
    assert english_sentences("<td>Ankara Üniversitesi</td><td>Erasmus+ KA171 GPA</td>") == []


def refusals(office: Office, headers: dict[str, str]) -> dict[str, Any]:
    """One of each kind of refusal the API gives, asked for with `headers`."""
    case_id = office.open("dean_econ", student_case(participant={"gpa": 3.0}))
    office.hand_in("dean_econ", case_id, *LONG_STAY_PAPERS)
    events = f"/api/cases/{case_id}/events"
    bad_case = student_case(participant={"gpa": 7, "faculty": "Сыйкырчылык факультети"})
    bad_case.pop("host_country")
    return {
        "guard": office.post("dean_econ", events, json={"event": "nominate"}, headers=headers),
        "validation": office.post("iro", "/api/cases", json=bad_case, headers=headers),
        "json": office.post(
            "iro",
            "/api/cases",
            content=b"{",
            headers={**headers, "content-type": "application/json"},
        ),
        "state": office.post("iro", events, json={"event": "issue_order"}, headers=headers),
        "role": office.post("auditor", events, json={"event": "withdraw"}, headers=headers),
        "stale": office.post(
            "dean_econ", events, json={"event": "withdraw", "expected_version": 9}, headers=headers
        ),
        "upload": office.post(
            "dean_econ",
            f"/api/cases/{case_id}/documents",
            data={"doc_type": "application"},
            headers=headers,
            files={"file": ("a.pdf", b"not a pdf", "application/pdf")},
        ),
        "missing": office.get("iro", "/api/cases/999", headers=headers),
    }


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_api_errors_carry_no_english_in_kyrgyz_or_russian(office: Office, lang: str) -> None:
    answers = refusals(office, {"Accept-Language": f"{lang},en;q=0.5"})
    assert [a.status_code for a in answers.values()] == [422, 422, 422, 400, 403, 409, 400, 404]
    for kind, answer in answers.items():
        body = answer.json()
        texts = [body["detail"], *(str(e) for e in body.get("errors", []))]
        assert english_sentences(" ".join(texts)) == [], (kind, body)
    guard = answers["guard"].json()
    assert guard["errors"][0]["clause"] == "4.8, ФД duties"  # the clause id stays as filed
    expected = {
        "ky": "GPA 3: 3 чегинен жогору болушу керек (Жобо, 4.8, ФДнын милдеттери)",
        "ru": "GPA 3 не выше 3 (Положение, 4.8, Обязанности деканата)",
    }
    assert guard["detail"] == expected[lang]
    labels = {e["field"]: e["label"] for e in answers["validation"].json()["errors"]}
    assert labels["host_country"] == {"ky": "Өлкө", "ru": "Страна"}[lang]


def test_the_api_answers_in_the_users_language_unless_accept_language_says_otherwise(
    office: Office,
) -> None:
    users.set_language(
        office.engine, user_id=users.get_user(office.engine, username="iro").id, language="ru"
    )
    plain = office.get("iro", "/api/cases/999")
    assert plain.json()["detail"] == "Не найдено"
    asked = office.get("iro", "/api/cases/999", headers={"Accept-Language": "en-US"})
    assert asked.json()["detail"] == "Not found"
    unknown = office.get("iro", "/api/cases/999", headers={"Accept-Language": "de, fr;q=0.9"})
    assert unknown.json()["detail"] == "Не найдено"


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_pages_in_kyrgyz_and_russian_carry_no_english_sentence(
    sqlite_office: Office, lang: str
) -> None:
    office = sqlite_office
    case_id = office.open("dean_econ", student_case(participant={"gpa": 3.0}))
    browser = TestClient(office.client.app)
    csrf = log_in(browser, "dean_econ")
    browser.post("/language", data={"csrf": csrf, "language": lang, "next": "/cases"})
    pages = {
        "desk": browser.get("/desk"),
        "list": browser.get("/cases"),
        "new": browser.get("/cases/new"),
        "case": browser.get(f"/cases/{case_id}"),
        "refused step": browser.post(
            f"/cases/{case_id}/steps",
            data={"csrf": csrf, "event": "nominate", "expected_version": "0"},
        ),
        "wrong state": browser.post(
            f"/cases/{case_id}/steps",
            data={"csrf": csrf, "event": "issue_order", "expected_version": "0"},
        ),
        "bad form": browser.post(
            "/cases/new",
            data={
                "csrf": csrf,
                "p_full_name": "А",
                "p_gpa": "7",
                "start_date": "2027-03-01",
                "end_date": "2027-02-01",
                "funding_source": "credit_mobility",
            },
        ),
        "bad upload": browser.post(
            f"/cases/{case_id}/documents",
            data={"csrf": csrf, "doc_type": "application"},
            files={"file": ("a.pdf", b"not a pdf", "application/pdf")},
        ),
        "sorted list": browser.get("/cases?sort=-name&size=50&cols=country&cols=year"),
        "bad saved filter": browser.post(
            "/cases/filters", data={"csrf": csrf, "name": "", "query": "size=9000"}
        ),
        "group order refused": browser.post(
            "/cases/group-order", data={"csrf": csrf, "case_id": str(case_id), "query": ""}
        ),
        "overdue": browser.get("/overdue"),
        "statistics": browser.get("/statistics"),
        "not found": browser.get("/cases/999"),
    }
    for name, answer in pages.items():
        assert answer.status_code < 500, name
        assert english_sentences(answer.text) == [], (name, english_sentences(answer.text))


STUDENT = "a.joldoshbekova@oshsu.kg"
ALERT = re.compile(r'role="alert">.*?</(div|p)>', re.S)
PARTNERS_HEADER = ("name,name_latin,country,city,website,emails,phones,scope,agreement_kind,"
                   "agreement_number,signed_on,valid_from,valid_to\n")  # fmt: skip
PERSON = {"full_name": "Айгерим Жолдошбекова", "university_id": "2023-0457",
          "birth_date": "14.03.2005", "faculty": "Экономика факультети"}  # fmt: skip


def import_refusals(office: Office, headers: dict[str, str]) -> dict[str, str]:
    """How each refused import ends (the job's error), asked for with `headers`."""
    files = {
        "partner date": ("partners", "p.csv", PARTNERS_HEADER + "A University,,Kazakhstan,,,,,,"
                         "bilateral,,,2024-13-45,\n"),
        "partner kind": ("partners", "p.csv", PARTNERS_HEADER + "A University,,Kazakhstan,,,,,,"
                         "handshake,,,2024-01-01,\n"),
        "partner scope": ("partners", "p.csv", PARTNERS_HEADER + "A University,,Kazakhstan,,,,,"
                          "galactic,,,,,\n"),
        "partner period": ("partners", "p.csv", PARTNERS_HEADER + "A University,,Kazakhstan,,,,,,"
                           "bilateral,,,2024-01-01,2023-01-01\n"),
        "partner missing": ("partners", "p.csv", PARTNERS_HEADER + "A University,,,,,,,,,,,,\n"),
        "not utf-8": ("partners", "p.csv", "name\nÜ".encode("latin-1")),
        "not xlsx": ("people", "p.xlsx", b"PK not a zip"),
        "person date": ("people", "s.csv", "full_name,birth_date\nАйпери Осмонова,31.02.2006\n"),
        "person column": ("people", "s.csv", "full_name,shoe_size\nАйпери Осмонова,41\n"),
        "person twice": ("people", "s.csv", "full_name,university_id\nАсан Асанов,7\n"
                         "Бакыт Бакытов,7\n"),
    }  # fmt: skip
    errors = {}
    for name, (kind, filename, content) in files.items():
        body = content.encode() if isinstance(content, str) else content
        queued = office.post("iro", f"/api/{kind}/import", headers=headers,
                             files={"file": (filename, body)})  # fmt: skip
        if queued.status_code == 400:  # refused before it was queued
            errors[name] = queued.json()["detail"]
            continue
        assert queued.status_code == 202, (name, queued.text)
        job = office.get("iro", f"/api/imports/{queued.json()['id']}", headers=headers).json()
        assert job["status"] == "failed", (name, job)
        errors[name] = job["error"]
    return errors


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_import_and_registry_refusals_carry_no_english_in_kyrgyz_or_russian(
    office: Office, lang: str
) -> None:
    headers = {"Accept-Language": lang}
    said = import_refusals(office, headers)
    first = office.post("dean_econ", "/api/people", json=PERSON)
    assert first.status_code == 201, first.text
    person = first.json()["id"]
    registry = {
        "id taken": office.post("dean_econ", "/api/people", json=PERSON, headers=headers),
        "namesake": office.post("dean_econ", "/api/people", headers=headers,
                                json={**PERSON, "university_id": "2023-9999"}),
        "not a keeper": office.post("auditor", "/api/people", json=PERSON, headers=headers),
        "out of scope": office.get("dean_math", f"/api/people/{person}", headers=headers),
        "unknown partner": office.get("iro", "/api/partners/999", headers=headers),
    }  # fmt: skip
    assert {k: a.status_code for k, a in registry.items()} == {
        "id taken": 400, "namesake": 409, "not a keeper": 403, "out of scope": 403,
        "unknown partner": 404,
    }  # fmt: skip
    said |= {name: answer.json()["detail"] for name, answer in registry.items()}
    for name, text in said.items():
        assert english_sentences(text) == [], (name, text)
    line = {"ky": "2-сап", "ru": "строка 2"}[lang]
    assert said["partner date"].startswith(f"{line}: valid_from:"), said["partner date"]
    assert said["person date"].startswith(f"{line}: birth_date:"), said["person date"]
    assert f"#{person}" in said["id taken"] and f"#{person}" in said["namesake"]


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_portal_admin_officials_and_correction_refusals_carry_no_english_in_kyrgyz_or_russian(
    sqlite_office: Office, tmp_path: Path, lang: str
) -> None:
    office = sqlite_office
    open_call(office.engine)
    portal = TestClient(office.client.app)
    portal_csrf = sign_in(portal, tmp_path, STUDENT)
    users.set_language(
        office.engine, user_id=users.get_user(office.engine, username=STUDENT).id, language=lang
    )

    def applied(**bad: str) -> httpx.Response:
        return portal.post("/portal/apply", data={**application(**bad), "csrf": portal_csrf})

    answers = {
        "no open call": applied(call="1:2031-2032"),
        "outside the call's year": applied(start_date="2027-10-01", end_date="2028-02-01"),
        "bad gpa": applied(gpa="5.2"),
    }
    apply(portal, portal_csrf)
    answers["a second application (4.8)"] = applied()

    case_id = office.open("dean_econ", student_case(participant={"gpa": 3.0}))
    person = office.post("dean_econ", "/api/people", json=PERSON).json()["id"]
    staff = TestClient(office.client.app)
    csrf = log_in(staff, "dean_econ")
    staff.post("/language", data={"csrf": csrf, "language": lang, "next": "/cases"})
    answers["case correction"] = staff.post(
        f"/cases/{case_id}/edit",
        data={"csrf": csrf, "expected_version": "0", "end_date": "31.02.2027"},
    )
    answers["person correction"] = staff.post(
        f"/people/{person}",
        data={"csrf": csrf, "expected_version": "0", "birth_date": "31.02.2005"},
    )
    admin = TestClient(office.client.app)
    csrf = log_in(admin, "admin")
    admin.post("/language", data={"csrf": csrf, "language": lang, "next": "/admin/users"})
    answers |= {
        "token for nobody": admin.post(
            "/admin/tokens", data={"csrf": csrf, "username": "nobody", "name": "x", "days": "30"}
        ),
        "deactivate nobody": admin.post(
            "/admin/users/nobody/active", data={"csrf": csrf, "active": "0"}
        ),
        "revoke no token": admin.post("/admin/tokens/999/revoke", data={"csrf": csrf}),
        "official of no faculty": admin.post(
            "/officials",
            data={
                "csrf": csrf,
                "post": "dean",
                "unit": "Сыйкыр факультети",
                "full_name": "Асан Асанов",
                "valid_from": "2026-09-01",
            },
        ),
        "official of no post": admin.post(
            "/officials",
            data={"csrf": csrf, "post": "wizard", "full_name": "А", "valid_from": "x"},
        ),
        "end of no official": admin.post(
            "/officials/999/end", data={"csrf": csrf, "last_day": "2026-12-31"}
        ),
    }
    statuses = {name: answer.status_code for name, answer in answers.items()}
    assert all(400 <= s < 500 for s in statuses.values()), statuses
    for name, answer in answers.items():
        # The officials' page lists each post's English title too (data, not a message):
        # there, the refusal is what must be in the user's language.
        text = ALERT.search(answer.text).group(0) if "official" in name else answer.text  # type: ignore[union-attr]
        assert english_sentences(text) == [], (name, english_sentences(text))
    said = {
        "ky": ("ачык конкурсу жок", "«nobody» деген колдонуучу жок"),
        "ru": ("нет открытого конкурса", "пользователя «nobody» нет"),
    }[lang]
    assert said[0] in html.unescape(answers["no open call"].text)
    assert said[1] in html.unescape(answers["token for nobody"].text)
