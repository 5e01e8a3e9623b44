"""The pages beyond the case list: documents asked for right after a step, the case's queue
and reminders, the partner registry, the statistics and the recognition of results."""

from __future__ import annotations

import csv
import io
import threading
from datetime import UTC, date, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select

from flows import trigger
from states.model import CaseKind
from storage.orm import AgreementRow, DeadlineRow, NotificationRow, OutboxRow, PartnerRow, QuotaRow
from storage.uow import UnitOfWork
from tests.builders import a_case, a_student
from tests.integration.office import ANKARA, MATHEMATICS, Office, student_case
from tests.integration.web_client import log_in

CSV_HEADER = ("name,name_latin,country,city,website,emails,phones,scope,agreement_kind,"
              "agreement_number,signed_on,valid_from,valid_to")  # fmt: skip


@pytest.fixture
def browser(sqlite_office: Office) -> TestClient:
    return TestClient(sqlite_office.client.app)


@pytest.fixture
def asked(sqlite_office: Office, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The cases whose documents were asked for (instead of calling Prefect), once the
    app's document requests thread has handled what was queued."""
    calls: list[int] = []

    def fake(engine: Any, case_ids: list[int], settings: Any, **_: Any) -> None:
        calls.extend(case_ids)

    monkeypatch.setattr(trigger, "request_documents", fake)
    documents = sqlite_office.client.app.state.services.documents
    monkeypatch.setattr(documents.settings, "on_demand_documents", True)

    class Asked(list[int]):
        def __eq__(self, other: object) -> bool:
            assert documents.wait_idle(10)
            return calls == other

    return Asked()


def an_outbox_item(office: Office, case_id: int, status: str, error: str | None = None) -> int:
    with UnitOfWork(office.engine) as uow:
        row = OutboxRow(case_id=case_id, kind="render_document",
                        payload={"document": "mobility_order"}, status=status, attempts=8,
                        last_error=error, created_at=datetime.now(UTC))  # fmt: skip
        uow.session.add(row)
        uow.session.flush()
        uow.commit()
        return row.id


# --- documents right after a step ------------------------------------------------------------


def test_a_step_taken_on_the_page_asks_for_the_case_documents_after_answering(
    sqlite_office: Office, browser: TestClient, asked: list[int]
) -> None:
    case_id = sqlite_office.open("dean_econ", student_case())
    csrf = log_in(browser, "dean_econ")
    answer = browser.post(f"/cases/{case_id}/steps", data={"csrf": csrf, "event": "withdraw",
                          "reason": "Баш тартты"}, follow_redirects=False)  # fmt: skip
    assert answer.status_code == 303
    assert asked == [case_id]


def test_a_step_taken_through_the_api_asks_for_the_case_documents_too(
    sqlite_office: Office, asked: list[int]
) -> None:
    case_id = sqlite_office.open("dean_econ", student_case())
    assert sqlite_office.fire("dean_econ", case_id, "withdraw", reason="r").status_code == 200
    assert asked == [case_id]


def test_a_refused_step_asks_for_nothing(
    sqlite_office: Office, browser: TestClient, asked: list[int]
) -> None:
    case_id = sqlite_office.open("dean_econ", student_case())
    csrf = log_in(browser, "dean_econ")
    answer = browser.post(f"/cases/{case_id}/steps", data={"csrf": csrf, "event": "nominate"})
    assert answer.status_code == 422
    assert asked == []


def test_a_failing_request_for_documents_never_fails_the_step(
    sqlite_office: Office, browser: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(engine: Any, case_ids: list[int], settings: Any, **_: Any) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(trigger, "request_documents", broken)
    documents = sqlite_office.client.app.state.services.documents
    monkeypatch.setattr(documents.settings, "on_demand_documents", True)
    case_id = sqlite_office.open("dean_econ", student_case())
    csrf = log_in(browser, "dean_econ")
    answer = browser.post(f"/cases/{case_id}/steps", data={"csrf": csrf, "event": "withdraw",
                          "reason": "Баш тартты"}, follow_redirects=False)  # fmt: skip
    assert answer.status_code == 303
    assert documents.wait_idle(10) and documents.left_for_sweep == 1
    assert sqlite_office.fire("iro", case_id, "nominate").status_code in (400, 422)


def test_steps_queued_while_documents_are_being_asked_for_are_asked_for_together(
    sqlite_office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    submitting, go_on = threading.Event(), threading.Event()
    calls: list[list[int]] = []

    def slow(engine: Any, case_ids: list[int], settings: Any, **_: Any) -> None:
        calls.append(list(case_ids))
        submitting.set()
        assert go_on.wait(10)

    monkeypatch.setattr(trigger, "request_documents", slow)
    documents = sqlite_office.client.app.state.services.documents
    monkeypatch.setattr(documents.settings, "on_demand_documents", True)
    documents.ask(1)
    assert submitting.wait(10)
    for case_id in (2, 3, 2, 4):  # a burst of steps, one case twice
        documents.ask(case_id)
    go_on.set()
    assert documents.wait_idle(10)
    assert calls == [[1], [2, 3, 4]] and documents.submitted == 4


def test_the_pending_papers_of_cases_asked_for_together_go_in_task_runs_of_at_most_25(
    sqlite_office: Office,
) -> None:
    first, second = (sqlite_office.open("dean_econ", student_case()) for _ in range(2))
    pending = [an_outbox_item(sqlite_office, c, "pending") for c in (first, second) * 15]
    an_outbox_item(sqlite_office, first, "done")
    an_outbox_item(sqlite_office, first, "failed")  # the sweep's, on its schedule
    submitted: list[list[int]] = []

    class Link:
        def submit(self, outbox_ids: list[int]) -> str:
            submitted.append(outbox_ids)
            return f"run {len(submitted)}"

    documents = sqlite_office.client.app.state.services.documents
    runs = trigger.request_documents(sqlite_office.engine, [first, second], documents.settings,
                                     link=Link())  # type: ignore[arg-type]  # fmt: skip
    assert runs == ["run 1", "run 2"]
    assert submitted == [sorted(pending)[:25], sorted(pending)[25:]]


# --- the case's queue and reminders ----------------------------------------------------------


def test_a_failed_document_shows_its_error_and_ezabd_puts_it_back_in_the_queue(
    sqlite_office: Office, browser: TestClient
) -> None:
    case_id = sqlite_office.open("dean_econ", student_case())
    item = an_outbox_item(sqlite_office, case_id, "failed", "invitation_number: field required")
    csrf = log_in(browser, "iro")
    page = browser.get(f"/cases/{case_id}").text
    assert "invitation_number: field required" in page and f'data-retry="{item}"' in page
    form = {"csrf": csrf, "outbox_id": str(item)}
    answer = browser.post(f"/cases/{case_id}/outbox/retry", data=form, follow_redirects=False)
    assert answer.status_code == 303
    with UnitOfWork(sqlite_office.engine, read_only=True) as uow:
        assert uow.session.get(OutboxRow, item).status == "pending"  # type: ignore[union-attr]
    again = browser.post(f"/cases/{case_id}/outbox/retry",
                         data={"csrf": csrf, "outbox_id": str(item)})  # fmt: skip
    assert again.status_code == 409 and "Кезекте кайталай турган мындай элемент жок" in again.text


def test_a_dean_office_sees_the_queue_but_may_not_retry(
    sqlite_office: Office, browser: TestClient
) -> None:
    case_id = sqlite_office.open("dean_econ", student_case())
    item = an_outbox_item(sqlite_office, case_id, "failed", "template broken")
    csrf = log_in(browser, "dean_econ")
    page = browser.get(f"/cases/{case_id}").text
    assert "template broken" in page and "data-retry" not in page
    answer = browser.post(f"/cases/{case_id}/outbox/retry",
                          data={"csrf": csrf, "outbox_id": str(item)})  # fmt: skip
    assert answer.status_code == 403


def test_an_item_of_another_case_cannot_be_retried_through_this_one(
    sqlite_office: Office, browser: TestClient
) -> None:
    one = sqlite_office.open("dean_econ", student_case())
    other = sqlite_office.open("dean_econ", student_case())
    item = an_outbox_item(sqlite_office, other, "failed", "x")
    csrf = log_in(browser, "iro")
    answer = browser.post(f"/cases/{one}/outbox/retry", data={"csrf": csrf, "outbox_id": str(item)})
    assert answer.status_code == 409


def test_the_reminders_of_the_case_show_with_recipient_channel_and_status(
    sqlite_office: Office, browser: TestClient
) -> None:
    case_id = sqlite_office.open("dean_econ", student_case())
    with UnitOfWork(sqlite_office.engine) as uow:
        uow.cases.open_deadline(case_id, "student_report", date(2026, 11, 1))
        uow.session.flush()
        deadline = uow.session.scalar(select(DeadlineRow.id).where(DeadlineRow.case_id == case_id))
        uow.session.add(NotificationRow(
            case_id=case_id, deadline_id=deadline, kind="before_7", due_date=date(2026, 11, 1),
            checked_on=date(2026, 10, 25), recipient="aigerim@oshsu.kg", channel="email",
            status="sent", subject="s", body="b", created_at=datetime.now(UTC),
            sent_at=datetime(2026, 10, 25, 3, 0, tzinfo=UTC),
        ))  # fmt: skip
        uow.commit()
    csrf = log_in(browser, "iro")
    browser.post("/language", data={"csrf": csrf, "language": "en", "next": "/cases"})
    page = browser.get(f"/cases/{case_id}").text
    assert "7 days before" in page and "aigerim@oshsu.kg" in page
    assert "01.11.2026" in page and "25.10.2026 09:00" in page and "Sent" in page


# --- the partner registry --------------------------------------------------------------------


def test_every_logged_in_user_reads_the_registry_with_agreements_and_quotas(
    sqlite_office: Office, browser: TestClient
) -> None:
    with UnitOfWork(sqlite_office.engine) as uow:
        uow.session.add(QuotaRow(partner_id=ANKARA, academic_year="2026-2027",
                                 participant_type="outgoing_students", places=3))  # fmt: skip
        uow.commit()
    log_in(browser, "accounting")
    page = browser.get("/partners").text
    assert "Ankara Üniversitesi" in page and "Мевлана" in page and "0/3" in page
    assert "01.01.2020 – 31.12.2030" in page
    assert 'action="/partners/new"' not in page and 'action="/partners/import"' not in page


def test_the_registry_filters_by_country_and_by_agreement_kind(
    sqlite_office: Office, browser: TestClient
) -> None:
    csrf = log_in(browser, "iro")
    browser.post("/partners/new", data={"csrf": csrf, "name": "Universität Leipzig",
                                        "country": "Germany"})  # fmt: skip
    assert "Leipzig" not in browser.get("/partners?country=Türkiye").text
    assert "Ankara" in browser.get("/partners?country=Türkiye").text
    by_kind = browser.get("/partners?agreement_kind=mevlana").text
    assert "Ankara" in by_kind and "Leipzig" not in by_kind
    # Kept as the ISO code, shown by its name in the clerk's language (Kyrgyz here), and
    # chosen from one list of countries; a country of no list is refused by field.
    registry = browser.get("/partners?country=DE").text
    assert "Leipzig" in registry and "Германия" in registry and 'list="country-list"' in registry
    narnia = browser.post("/partners/new", data={"csrf": csrf, "name": "Hogwarts",
                                                 "country": "Narnia"})  # fmt: skip
    assert narnia.status_code == 400 and "ISO 3166" in narnia.text
    assert "Hogwarts" not in browser.get("/partners").text


def test_the_registry_exports_as_csv_and_xlsx(sqlite_office: Office, browser: TestClient) -> None:
    log_in(browser, "dean_econ")
    answer = browser.get("/partners/export.csv")
    assert answer.status_code == 200 and "attachment" in answer.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0]["name"] == "Ankara Üniversitesi" and rows[0]["agreement_kind"] == "mevlana"
    book = load_workbook(io.BytesIO(browser.get("/partners/export.xlsx").content))
    assert book.active is not None and book.active["A2"].value == "Ankara Üniversitesi"


def test_an_import_with_a_bad_date_names_the_line_and_the_field_and_writes_nothing(
    sqlite_office: Office, browser: TestClient
) -> None:
    csrf = log_in(browser, "iro")
    body = (f"{CSV_HEADER}\nKastamonu Üniversitesi,,Türkiye,,,,,,mevlana,,,2024-01-01,\n"
            "Almaty University,,Kazakhstan,,,,,,bilateral,,,1st of May,\n")  # fmt: skip
    answer = browser.post("/partners/import", data={"csrf": csrf},
                          files={"file": ("partners.csv", body.encode(), "text/csv")})  # fmt: skip
    # The import runs after the answer; its page shows how it ended.
    assert answer.status_code == 200 and 'data-status="failed"' in answer.text
    # In the clerk's language (Kyrgyz), the line and the column as the file names them.
    assert "3-сап: valid_from: &#39;1st of May&#39; дата эмес" in answer.text, answer.text
    with UnitOfWork(sqlite_office.engine, read_only=True) as uow:
        assert uow.session.scalar(select(PartnerRow).where(PartnerRow.country == "TR",
                                  PartnerRow.name.like("Kastamonu%"))) is None  # fmt: skip


def test_a_good_import_adds_the_partners_and_their_agreements(
    sqlite_office: Office, browser: TestClient
) -> None:
    csrf = log_in(browser, "admin")
    body = f"{CSV_HEADER}\nKastamonu Üniversitesi,,Türkiye,Kastamonu,,,,,mevlana,,,2024-01-01,\n"
    answer = browser.post("/partners/import", data={"csrf": csrf},
                          files={"file": ("partners.csv", body.encode(), "text/csv")})  # fmt: skip
    assert answer.status_code == 200 and 'data-status="done"' in answer.text
    assert "Kastamonu Üniversitesi" in browser.get("/partners").text


def test_ezabd_adds_a_partner_an_agreement_and_a_quota_and_edits_the_partner(
    sqlite_office: Office, browser: TestClient
) -> None:
    csrf = log_in(browser, "iro")
    created = browser.post("/partners/new", data={
        "csrf": csrf, "name": "Кыргыз-Түрк Манас университети", "name_latin": "Manas",
        "country": "Кыргызстан", "scope": "domestic"}, follow_redirects=False)  # fmt: skip
    assert created.status_code == 303
    with UnitOfWork(sqlite_office.engine, read_only=True) as uow:
        pid = uow.session.scalar(select(PartnerRow.id).where(PartnerRow.name_latin == "Manas"))
    assert pid is not None
    assert browser.post(f"/partners/{pid}/agreements", data={
        "csrf": csrf, "kind": "bilateral", "valid_from": "2025-09-01", "valid_to": "2030-08-31",
        "number": "17"}, follow_redirects=False).status_code == 303  # fmt: skip
    assert browser.post(f"/partners/{pid}/quotas", data={
        "csrf": csrf, "academic_year": "2026-2027", "participant_type": "outgoing_students",
        "places": "5"}, follow_redirects=False).status_code == 303  # fmt: skip
    assert browser.post(f"/partners/{pid}", data={
        "csrf": csrf, "name": "Кыргыз-Түрк «Манас» университети", "name_latin": "Manas",
        "country": "Кыргызстан", "city": "Бишкек", "scope": "domestic"},
        follow_redirects=False).status_code == 303  # fmt: skip
    with UnitOfWork(sqlite_office.engine, read_only=True) as uow:
        row = uow.session.get(PartnerRow, pid)
        assert row is not None and row.city == "Бишкек" and "«Манас»" in row.name
        assert uow.session.scalar(select(AgreementRow.number).where(
            AgreementRow.partner_id == pid)) == "17"  # fmt: skip
        assert uow.session.scalar(select(QuotaRow.places).where(QuotaRow.partner_id == pid)) == 5


def test_a_bad_agreement_is_refused_in_plain_words(browser: TestClient) -> None:
    csrf = log_in(browser, "iro")
    answer = browser.post(f"/partners/{ANKARA}/agreements", data={
        "csrf": csrf, "kind": "bilateral", "valid_from": "2025-09-01",
        "valid_to": "2024-08-31"})  # fmt: skip
    assert answer.status_code == 400 and "valid_to" in answer.text


def test_a_dean_office_may_not_change_the_registry(browser: TestClient) -> None:
    csrf = log_in(browser, "dean_econ")
    for url, data in (("/partners/new", {"name": "X", "country": "Y"}),
                      (f"/partners/{ANKARA}", {"name": "X", "country": "Y"}),
                      (f"/partners/{ANKARA}/quotas", {"academic_year": "2026-2027"}),
                      ("/partners/import", {})):  # fmt: skip
        assert browser.post(url, data={"csrf": csrf, **data}).status_code == 403, url


# --- statistics ------------------------------------------------------------------------------


def placed_cases(office: Office) -> None:
    with UnitOfWork(office.engine) as uow:
        for country, faculty in (("Türkiye", "Экономика факультети"), ("Türkiye", MATHEMATICS),
                                 ("Germany", "Экономика факультети")):  # fmt: skip
            uow.cases.add(a_case(a_student(faculty=faculty), state="ordered",
                                 host_country=country, start_date=date(2026, 10, 1),
                                 end_date=date(2027, 1, 31), faculty=faculty))  # fmt: skip
        uow.cases.add(a_case(state="closed", kind=CaseKind.outgoing_student_long,
                             start_date=date(2025, 10, 1), end_date=date(2026, 1, 31)))  # fmt: skip
        uow.commit()


def test_the_statistics_show_the_matrix_and_the_charts_as_inline_svg(
    sqlite_office: Office, browser: TestClient
) -> None:
    placed_cases(sqlite_office)
    log_in(browser, "rector")
    page = browser.get("/statistics?year=2026-2027").text
    assert "<svg" in page and "Түркия: 2" in page and "Германия: 1" in page
    assert "2025-2026: 1" in page and "2026-2027: 3" in page
    assert "<strong>3</strong>" in page and 'script src="http' not in page


def test_a_dean_office_sees_the_statistics_of_its_own_faculty_only(
    sqlite_office: Office, browser: TestClient
) -> None:
    placed_cases(sqlite_office)
    log_in(browser, "dean_math")
    page = browser.get("/statistics?year=2026-2027").text
    assert "Түркия: 1" in page and "Германия" not in page and "Экономика" not in page


def test_accounting_does_not_read_the_statistics(browser: TestClient) -> None:
    log_in(browser, "accounting")
    assert browser.get("/statistics").status_code == 403
    assert browser.get("/statistics/export.xlsx").status_code == 403


def test_the_statistics_download_as_xlsx_and_as_the_annual_report_section(
    sqlite_office: Office, browser: TestClient
) -> None:
    placed_cases(sqlite_office)
    log_in(browser, "auditor")
    xlsx = browser.get("/statistics/export.xlsx?year=2026-2027")
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book["Жыйынтык"]["B2"].value == 3  # in the auditor's language
    english = browser.get("/statistics/export.xlsx?year=2026-2027&lang=en")
    assert load_workbook(io.BytesIO(english.content))["Summary"]["B2"].value == 3
    report = browser.get("/statistics/export.docx?year=2026-2027")
    assert report.status_code == 200 and report.content.startswith(b"PK")
    assert "2026-2027" in report.headers["content-disposition"]


# --- recognition -----------------------------------------------------------------------------

PLAN = {"title": ["Corporate Finance", "Эконометрика", ""], "credits": ["6", "4", ""],
        "mode": ["host", "distance", "host"], "replaces": ["Корпоративдик финансы", "", ""],
        "teacher": ["", "Т. Жумабаев", ""], "term": ["", "fall", ""]}  # fmt: skip
TRANSCRIPT = {"host_course": ["Corporate Finance", "German A2"], "credits": ["6", "3"],
              "host_grade": ["B", "FX"], "host_scale": ["ects", "ects"],
              "home_course": ["", ""], "refusal_reason": ["", ""]}  # fmt: skip


def test_the_dean_office_enters_the_plan_and_the_transcript_and_sees_the_converted_grades(
    sqlite_office: Office, browser: TestClient
) -> None:
    case_id = sqlite_office.open("dean_econ", student_case())
    csrf = log_in(browser, "dean_econ")
    saved = browser.post(f"/cases/{case_id}/study-plan", data={"csrf": csrf, **PLAN},
                         follow_redirects=False)  # fmt: skip
    assert saved.status_code == 303 and "plan=1" in saved.headers["location"]
    page = browser.post(f"/cases/{case_id}/transcript", data={"csrf": csrf, **TRANSCRIPT}).text
    assert 'value="Т. Жумабаев"' in page
    assert "Корпоративдик финансы" in page and "FX" in page
    avn = browser.get(f"/cases/{case_id}/avn.csv")
    rows = list(csv.DictReader(io.StringIO(avn.content.decode("utf-8-sig"))))
    assert [r["home_course"] for r in rows] == ["Корпоративдик финансы"]


def test_a_bad_transcript_line_is_named_and_nothing_is_recorded(
    sqlite_office: Office, browser: TestClient
) -> None:
    case_id = sqlite_office.open("dean_econ", student_case())
    csrf = log_in(browser, "dean_econ")
    bad = {**TRANSCRIPT, "credits": ["6", "three"]}
    answer = browser.post(f"/cases/{case_id}/transcript", data={"csrf": csrf, **bad})
    assert answer.status_code == 400 and "2-сап: кредит оң сан болушу керек" in answer.text


def test_only_the_dean_office_of_the_faculty_enters_recognition(
    sqlite_office: Office, browser: TestClient
) -> None:
    case_id = sqlite_office.open("dean_econ", student_case())
    csrf = log_in(browser, "iro")
    assert browser.post(f"/cases/{case_id}/study-plan",
                        data={"csrf": csrf, **PLAN}).status_code == 403  # fmt: skip
    assert (
        'action="/cases/' + str(case_id) + '/transcript"'
        not in browser.get(f"/cases/{case_id}").text
    )
