"""The API does what the registry's pages do (issue 10, point 6): the partner registry paged,
a partner read, added and corrected, its agreements and quotas, its import, through the same
service calls (sapar.services.partner_registry) as /partners."""

from __future__ import annotations

from typing import Any

from tests.integration.office import ANKARA, Office
from tests.integration.test_i18n_messages import english_sentences

QUOTA = {"academic_year": "2026-2027", "participant_type": "outgoing_students", "places": 1}
MANAS = {"name": "Кыргыз-Түрк Манас университети", "name_latin": "Manas",
         "country": "Кыргызстан", "scope": "domestic"}  # fmt: skip


def put(office: Office, who: str, url: str, **kw: Any) -> Any:
    return office.client.put(url, headers={**office.auth(who), **kw.pop("headers", {})}, **kw)


def test_the_registry_is_read_page_by_page_and_partner_by_partner(office: Office) -> None:
    page = office.get("dean_econ", "/api/partners")
    assert page.status_code == 200, page.text
    body = page.json()
    assert (body["page"], body["more"]) == (1, False)
    ankara = next(p for p in body["partners"] if p["id"] == ANKARA)
    assert ankara["country"] == "TR" and ankara["agreements"][0]["kind"] == "mevlana"
    one = office.get("dean_econ", f"/api/partners/{ANKARA}").json()
    assert one == ankara
    by_kind = office.get("dean_econ", "/api/partners", params={"agreement_kind": "daad"})
    assert by_kind.json()["partners"] == []
    assert office.get("dean_econ", "/api/partners/999").status_code == 404


def test_the_office_adds_a_partner_its_agreement_and_quota_and_corrects_it(
    office: Office,
) -> None:
    created = office.post("iro", "/api/partners", json=MANAS)
    assert created.status_code == 201, created.text
    pid = created.json()["id"]
    again = office.post("iro", "/api/partners", json=MANAS)  # the same name and country
    assert again.json()["id"] == pid
    agreement = office.post("iro", f"/api/partners/{pid}/agreements", json={
        "kind": "bilateral", "valid_from": "01.09.2025", "valid_to": "2030-08-31",
        "number": "17"})  # fmt: skip
    assert agreement.status_code == 201, agreement.text
    quota = put(office, "iro", f"/api/partners/{pid}/quotas", json=QUOTA)
    assert quota.status_code == 200, quota.text
    fixed = put(office, "iro", f"/api/partners/{pid}", json={**MANAS, "city": "Бишкек"})
    assert fixed.status_code == 200, fixed.text
    record = office.get("iro", f"/api/partners/{pid}").json()
    assert record["city"] == "Бишкек"
    assert [(a["kind"], a["number"], a["valid_from"]) for a in record["agreements"]] == [
        ("bilateral", "17", "2025-09-01")
    ]
    assert record["quotas"] == [{**QUOTA, "used": 0}]


def test_the_registry_refuses_bad_input_by_field_in_the_callers_language(office: Office) -> None:
    ru = {"Accept-Language": "ru"}
    manas = office.post("iro", "/api/partners", json=MANAS).json()["id"]
    answers: dict[str, Any] = {
        "taken": put(office, "iro", f"/api/partners/{manas}", headers=ru,
                     json={"name": "Ankara Üniversitesi", "country": "Türkiye"}),
        "period": office.post("iro", f"/api/partners/{ANKARA}/agreements", headers=ru, json={
            "kind": "bilateral", "valid_from": "2025-09-01", "valid_to": "2024-08-31"}),
        "year": put(office, "iro", f"/api/partners/{ANKARA}/quotas", headers=ru,
                    json={**QUOTA, "academic_year": "2026-2028"}),
        "kind": office.post("iro", f"/api/partners/{ANKARA}/agreements", headers=ru, json={
            "kind": "handshake", "valid_from": "2025-09-01"}),
        "name": office.post("iro", "/api/partners", headers=ru, json={**MANAS, "name": "я" * 301}),
    }  # fmt: skip
    fields = {k: [e["field"] for e in a.json()["errors"]] for k, a in answers.items()}
    assert fields == {"taken": ["name"], "period": ["valid_to"], "year": ["academic_year"],
                      "kind": ["kind"], "name": ["name"]}, fields  # fmt: skip
    for kind, answer in answers.items():
        assert 400 <= answer.status_code < 500, (kind, answer.text)
        assert english_sentences(answer.json()["detail"]) == [], (kind, answer.text)
    assert "раньше начала" in answers["period"].json()["detail"]


def test_only_the_international_office_changes_the_registry(office: Office) -> None:
    refused = office.post("dean_econ", "/api/partners", json=MANAS)
    assert refused.status_code == 403
    quota = put(office, "dean_econ", f"/api/partners/{ANKARA}/quotas", json=QUOTA)
    assert quota.status_code == 403


def test_partners_import_through_the_api_as_a_job(office: Office) -> None:
    header = ("name,name_latin,country,city,website,emails,phones,scope,agreement_kind,"
              "agreement_number,signed_on,valid_from,valid_to\n")  # fmt: skip
    good = header + "Almaty University,,Kazakhstan,Almaty,,,,,bilateral,,,2024-01-01,\n"
    queued = office.post("iro", "/api/partners/import",
                         files={"file": ("p.csv", good.encode(), "text/csv")})  # fmt: skip
    assert queued.status_code == 202, queued.text
    job = office.get("iro", f"/api/imports/{queued.json()['id']}").json()
    assert (job["kind"], job["status"], job["total"]) == ("partners", "done", 1), job
    found = office.get("iro", "/api/partners", params={"country": "Kazakhstan"}).json()
    assert [p["name"] for p in found["partners"]] == ["Almaty University"]
    bad = header + "Bishkek University,,Kyrgyzstan,,,,,,bilateral,,,1st of May,\n"
    queued = office.post("iro", "/api/partners/import", headers={"Accept-Language": "ky"},
                         files={"file": ("p.csv", bad.encode(), "text/csv")})  # fmt: skip
    job = office.get("iro", f"/api/imports/{queued.json()['id']}",
                     headers={"Accept-Language": "ky"}).json()  # fmt: skip
    assert job["status"] == "failed" and job["errors"][0]["line"] == 2, job
    assert job["error"].startswith("2-сап: valid_from: '1st of May' дата эмес"), job
    # A people import's job is not a partner import's page, nor the other way round.
    assert office.get("dean_econ", f"/api/imports/{queued.json()['id']}").status_code == 403


def test_a_partners_country_is_kept_as_its_iso_code_whichever_way_it_was_typed(
    office: Office,
) -> None:
    ru = {"Accept-Language": "ru"}
    typed = {"Германия": "DE", "Kazakhstan": "KZ", "Түркия": "TR", "uz": "UZ"}
    for n, (country, code) in enumerate(typed.items()):
        made = office.post(
            "iro", "/api/partners", json={"name": f"University {n}", "country": country}
        )
        assert made.status_code == 201, made.text
        assert office.get("iro", f"/api/partners/{made.json()['id']}").json()["country"] == code
    by_name = office.get("iro", "/api/partners", params={"country": "Казахстан"}).json()
    assert [p["name"] for p in by_name["partners"]] == ["University 1"]
    refused = office.post("iro", "/api/partners", headers=ru,
                          json={"name": "Hogwarts", "country": "Narnia"})  # fmt: skip
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["country"]
    assert english_sentences(refused.json()["detail"]) == []
    header = "name,country\n"
    body = (header + "Hogwarts,Narnia\n").encode()
    queued = office.post("iro", "/api/partners/import", headers=ru, files={"file": ("p.csv", body)})
    job = office.get("iro", f"/api/imports/{queued.json()['id']}", headers=ru).json()
    assert job["status"] == "failed" and job["errors"][0]["field"] == "country", job
    assert job["error"].startswith("строка 2: country:"), job
