"""Correcting a case: the offices that own it fix its data with a version check, the state
decides what may change, the history keeps before and after, and papers already issued that
print a corrected value are offered for reissue. Papers handed in carry their facts."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import docx
from fastapi.testclient import TestClient

from sapar.services.issuing import sweep
from states.dossier import DocumentKind as D
from storage.files import FileStore
from tests.integration.desk import a_pdf
from tests.integration.office import Office, staff_case
from tests.integration.web_client import log_in

INVITATION = {"issuer": "Universität Potsdam", "number": "UP-77/2026", "date": "12.01.2026"}


def patch(office: Office, who: str, case_id: int, **body: Any) -> Any:
    return office.client.patch(f"/api/cases/{case_id}", headers=office.auth(who), json=body)


def upload(office: Office, who: str, case_id: int, paper: D, **facts: str) -> Any:
    pdf = {"file": ("p.pdf", a_pdf(paper.value), "application/pdf")}
    url = f"/api/cases/{case_id}/documents"
    return office.post(who, url, data={"doc_type": paper.value, **facts}, files=pdf)


def ordered_trip(office: Office, tmp_path: Path) -> int:
    """A university-funded staff trip up to its business-trip order, issued."""
    start = "2026-10-05"
    case_id = office.open("iro", staff_case(start_date=start, end_date="2026-10-12"))
    for paper in (D.application, D.substitution_note):
        assert upload(office, "iro", case_id, paper).status_code == 201
    assert upload(office, "iro", case_id, D.invitation_letter, **INVITATION).status_code == 201
    for who, event in (("head_inf", "approve_by_head"), ("dean_math", "approve_by_dean"),
                       ("vr_research", "approve_by_vice_rector"), ("iro", "receive_invitation"),
                       ("iro", "issue_order")):  # fmt: skip
        assert office.fire(who, case_id, event).status_code == 200, event
    assert sweep(office.engine, FileStore(tmp_path / "files")).failed == []
    return case_id


def order_text(office: Office, tmp_path: Path, case_id: int) -> list[tuple[int, str, str]]:
    """(version, number, text) of each business-trip order of the case."""
    found = []
    for line in office.get("iro", f"/api/cases/{case_id}/documents").json():
        if line["doc_type"] == "staff_trip_order":
            raw = office.get("iro", f"/api/cases/{case_id}/documents/{line['id']}").content
            document = docx.Document(io.BytesIO(raw))
            cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
            text = "\n".join([p.text for p in document.paragraphs] + cells)
            found.append((line["version"], line["number"], text))
    return found


def test_the_invitation_is_handed_in_with_its_number_date_and_issuer_and_the_order_cites_them(
    office: Office, tmp_path: Path
) -> None:
    case_id = office.open("iro", staff_case())
    refused = upload(office, "iro", case_id, D.invitation_letter, issuer="Universität Potsdam")
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "number"
    listed = upload(office, "iro", case_id, D.invitation_letter, **INVITATION).json()
    assert (listed["issuer"], listed["ref_number"], listed["ref_date"]) == (
        "Universität Potsdam",
        "UP-77/2026",
        "2026-01-12",
    )


def test_a_correction_keeps_before_and_after_and_is_refused_on_a_stale_version(
    office: Office,
) -> None:
    case_id = office.open("iro", staff_case())
    fixed = patch(office, "iro", case_id, expected_version=0, host_city="Berlin",
                  substitute="доцент Б. Садырова")  # fmt: skip
    assert fixed.status_code == 200, fixed.text
    assert fixed.json() == {"version": 1, "changed": ["host_city", "substitute"], "reissue": []}
    stale = patch(office, "iro", case_id, expected_version=0, host_city="Potsdam")
    assert stale.status_code == 409
    history = office.get("iro", f"/api/cases/{case_id}/history").json()
    corrected = [h for h in history if h["event"] == "correct"]
    assert corrected[0]["data"]["changes"]["host_city"] == {"before": "Potsdam", "after": "Berlin"}
    blank = patch(office, "iro", case_id, expected_version=1, substitute=None)
    assert blank.status_code == 422 and blank.json()["errors"][0]["field"] == "substitute"
    auditor = patch(office, "auditor", case_id, expected_version=1, host_city="Bonn")
    assert auditor.status_code == 403


def test_the_order_fixes_the_dates_and_a_printed_correction_offers_the_reissue(
    office: Office, tmp_path: Path
) -> None:
    case_id = ordered_trip(office, tmp_path)
    version = office.version(case_id)
    moved = patch(office, "iro", case_id, expected_version=version, start_date="06.10.2026")
    assert moved.status_code == 422 and moved.json()["errors"][0]["field"] == "start_date"
    fixed = patch(office, "iro", case_id, expected_version=version,
                  substitute="доцент Б. Садырова")  # fmt: skip
    assert fixed.json()["reissue"] == ["staff_trip_order"], fixed.text
    asked = office.post("iro", f"/api/cases/{case_id}/documents/request",
                        json={"kind": "staff_trip_order"})  # fmt: skip
    assert asked.status_code == 202, asked.text
    assert sweep(office.engine, FileStore(tmp_path / "files")).failed == []
    orders = order_text(office, tmp_path, case_id)
    assert [(v, n) for v, n, _ in orders] == [(1, "1/ИС"), (2, "1/ИС")]
    assert "Садырова" in orders[1][2] and "Садырова" not in orders[0][2]


def test_the_case_page_corrects_the_data_and_offers_the_reissue(
    sqlite_office: Office, tmp_path: Path
) -> None:
    case_id = ordered_trip(sqlite_office, tmp_path)
    browser = TestClient(sqlite_office.client.app)
    csrf = log_in(browser, "iro")
    page = browser.get(f"/cases/{case_id}")
    assert 'name="substitute"' in page.text and 'name="start_date"' not in page.text
    answer = browser.post(f"/cases/{case_id}/edit", data={
        "csrf": csrf, "expected_version": str(sqlite_office.version(case_id)),
        "substitute": "доцент Б. Садырова", "host_city": "Potsdam",
        "purpose": "Эл аралык конференцияда баяндама", "host_language": "",
    })  # fmt: skip
    assert answer.status_code == 200, answer.text[:500]
    assert 'data-reissue="staff_trip_order"' in answer.text
