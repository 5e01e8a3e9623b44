"""Safe actions on the case page: a withdrawal asks for confirmation and a reason; a return
asks for the actual date, read day first as typed here (01.06.2026 is the 1st of June)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from states.dossier import DocumentKind as D
from tests.builders import LONG_STAY_PAPERS
from tests.integration.office import Office, student_case
from tests.integration.web_client import log_in


def test_withdrawing_asks_for_confirmation_and_refuses_without_a_reason(
    sqlite_office: Office,
) -> None:
    case_id = sqlite_office.open("dean_econ", student_case())
    browser = TestClient(sqlite_office.client.app)
    csrf = log_in(browser, "dean_econ")
    page = browser.get(f"/cases/{case_id}").text
    form = page[page.index('data-step="withdraw"') - 1500 : page.index('data-step="withdraw"')]
    assert "data-confirm=" in form and 'name="reason"' in form and "required" in form
    bare = browser.post(f"/cases/{case_id}/steps", data={"csrf": csrf, "event": "withdraw",
                                                         "expected_version": "0"})  # fmt: skip
    assert bare.status_code == 422
    assert "Бул чечим үчүн себеп жазылышы керек" in bare.text
    said = browser.post(f"/cases/{case_id}/steps", data={"csrf": csrf, "event": "withdraw",
                        "expected_version": "0", "reason": "Үй-бүлөлүк себеп"})  # fmt: skip
    assert said.status_code == 200 and "withdrawn" in said.text


def test_the_return_asks_for_the_actual_date_and_reads_it_day_first(sqlite_office: Office) -> None:
    office = sqlite_office
    case_id = office.open("iro", student_case(start_date="2026-02-02", end_date="2026-06-30"))
    office.hand_in("iro", case_id, *LONG_STAY_PAPERS)
    assert office.fire("dean_econ", case_id, "nominate").status_code == 200
    office.hand_in("iro", case_id, D.invitation_letter, D.dean_nomination)
    for event in ("receive_invitation", "issue_order"):
        assert office.fire("iro", case_id, event).status_code == 200, event
    office.hand_in("iro", case_id, D.mobility_order)
    assert office.fire("iro", case_id, "depart").status_code == 200
    browser = TestClient(office.client.app)
    csrf = log_in(browser, "iro")
    page = browser.get(f"/cases/{case_id}").text
    field = re.search(r'<input [^>]*name="actual_end_date"[^>]*>', page)
    assert field is not None and "required" in field.group(0)
    assert "value=" not in field.group(0)  # no date offered: one click cannot record today
    version = str(office.version(case_id))
    blank = browser.post(f"/cases/{case_id}/steps", data={"csrf": csrf, "event": "return_home",
                         "expected_version": version, "actual_end_date": ""})  # fmt: skip
    assert blank.status_code == 422
    typed = browser.post(f"/cases/{case_id}/steps", data={"csrf": csrf, "event": "return_home",
                         "expected_version": version, "actual_end_date": "01.06.2026"})  # fmt: skip
    assert typed.status_code == 200, typed.text[:500]
    case = office.get("iro", f"/api/cases/{case_id}").json()
    assert case["state"] == "returned" and case["actual_end_date"] == "2026-06-01"
