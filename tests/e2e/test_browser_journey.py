"""The long-term student's journey once more (issue 10, point 7), in real headless Chromium
through the web forms only: the registry's import form brings the student in, the dean's
office opens the case for her with the picker, and the offices drive it to closed by the case
page's forms. Every paper the university issues comes from the document sweep (the flow's own
selection and issuing), none is replaced by an upload, and no outbox item has failed."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from sapar.services.issuing import sweep
from storage.orm import DocumentRow, OutboxRow
from storage.uow import UnitOfWork
from tests.e2e.conftest import LiveServer
from tests.e2e.test_browser import ECONOMICS, hand_in, log_in, staff_and_partner, step

# The papers OshSU issues itself: each must be generated, never uploaded in its place.
ISSUED_BY_OSHSU = {"dean_nomination", "invitation_request", "mobility_order", "return_order",
                   "recognition_decision"}  # fmt: skip
# The forms printed from the case for the student to sign (then handed in, signed).
SIGNED_FORMS = ("questionnaire", "parents_consent")
PERSON_CSV = (
    "university_id,full_name,birth_date,gender,citizenship,faculty,department,specialty,"
    "group_name,level,year,semester,gpa,funding_basis,study_language,email,phone,"
    "passport_number,address,parent_full_name,parent_relation,parent_passport,"
    "parent_address,parent_phone\n"
    f"2023-0457,Айгерим Жолдошбекова,14.03.2005,female,Кыргыз Республикасы,{ECONOMICS},"
    "Финансы кафедрасы,Финансы жана кредит,ФК-22,bachelor,3,1,3.6,budget,кыргыз тили,"
    'aigerim@oshsu.kg,+996 700 11 22 33,ID1234567,"Ош ш., Ленин көч., 12",'
    'Гүлмира Жолдошбекова,апасы,ID7654321,"Ош ш., Ленин көч., 12",+996 555 12 34 56\n'
)


def issue_papers(server: LiveServer) -> None:
    """THE sweep, as the flow runs it: every paper asked for is issued, none fails."""
    swept = sweep(server.engine, server.files)
    assert swept.failed == [], swept.failed


def request_paper(page: Page, kind: str) -> None:
    page.select_option("form.request-paper select[name=kind]", kind)
    page.click("form.request-paper button[type=submit]")
    expect(page.locator("#edit .alert.ok")).to_be_visible()


def fill_lines(page: Page, form: str, rows: list[dict[str, str]]) -> None:
    lines = page.locator(f"{form} table.lines tbody tr")
    for i, row in enumerate(rows):
        for name, value in row.items():
            cell = lines.nth(i).locator(f"[name={name}]")
            if cell.evaluate("e => e.tagName") == "SELECT":
                cell.select_option(value)
            else:
                cell.fill(value)
    page.click(f"{form} button[type=submit]")


def take(page: Page, server: LiveServer, event: str, **fields: str) -> None:
    """A step by its form on the case page, then the papers it asked for issued."""
    form = page.locator(f"form.step:has(button[data-step={event}])")
    for name, value in fields.items():
        form.locator(f"[name={name}]").fill(value)
    step(page, event)
    issue_papers(server)


@pytest.mark.browser
def test_a_long_term_student_goes_from_the_registry_to_closed_through_the_web_forms_only(
    browser: Browser, live_server: LiveServer, tmp_path: Path
) -> None:
    server = live_server
    staff_and_partner(server)
    page = browser.new_page(accept_downloads=True)
    page.set_default_timeout(10_000)

    # The dean's office brings the student into the registry with the import form.
    log_in(page, server, "dean_econ")
    page.goto(f"{server.url}/people")
    people_file = tmp_path / "people.csv"
    people_file.write_text(PERSON_CSV, encoding="utf-8")
    page.set_input_files("form.upload input[name=file]", str(people_file))
    page.click("form.upload button[type=submit]")
    expect(page.locator(".alert.ok")).to_be_visible()

    # ... and opens the case for her: the picker finds her by name.
    page.goto(f"{server.url}/cases/new")
    page.fill("form.person-search input[name=q]", "Жолдошбекова")
    page.click("form.person-search button[type=submit]")
    page.click("ul.person-matches a[data-person]")
    expect(page.locator("input[name=person_id]")).to_have_count(1)
    page.fill("input[name=host_institution]", "Ankara Üniversitesi")
    page.select_option("select[name=host_country]", "TR")
    page.fill("input[name=host_city]", "Ankara")
    page.fill("input[name=programme]", "Mevlana")
    page.select_option("select[name=partner_id]", "1")  # Ankara, the only partner
    page.fill("input[name=purpose]", "Академиялык окуу (семестр)")
    page.fill("input[name=start_date]", "02.02.2026")
    page.fill("input[name=end_date]", "30.06.2026")
    page.select_option("select[name=funding_source]", "credit_mobility")
    page.fill("input[name=host_language]", "түрк тили")
    page.fill("input[name=language_level]", "B1")
    page.click("form.form-grid button[type=submit]")
    expect(page.locator(".alert.ok")).to_contain_text("Иш №1 ачылды")
    case_url = page.url.split("?")[0]

    # The forms she signs are printed from the case, then handed in signed with the rest.
    for kind in SIGNED_FORMS:
        request_paper(page, kind)
    issue_papers(server)
    page.goto(case_url)
    for paper in ("application", "transcript", *SIGNED_FORMS, "motivation_letter",
                  "passport_copy"):  # fmt: skip
        hand_in(page, paper, tmp_path)
    fill_lines(page, "form[action$='/study-plan']", [
        {"title": "International Finance", "credits": "6", "replaces": "Эл аралык финансы"},
        {"title": "Econometrics", "credits": "5", "replaces": "Эконометрика"},
    ])  # fmt: skip
    expect(page.locator("#recognition .alert.ok")).to_be_visible()
    request_paper(page, "study_plan")
    issue_papers(server)
    page.goto(case_url)
    hand_in(page, "study_plan", tmp_path)
    take(page, server, "nominate")
    page.click("button:has-text('Чыгуу')")

    # ЭАБД: the host's invitation with its facts, then the order, departure and return.
    log_in(page, server, "iro")
    page.goto(case_url)
    hand_in(page, "invitation_letter", tmp_path)
    take(page, server, "receive_invitation")
    take(page, server, "issue_order")
    take(page, server, "depart")
    take(page, server, "return_home", actual_end_date="30.06.2026")
    page.click("button:has-text('Чыгуу')")

    # The dean's office: the host's evidence, its transcript course by course, recognition.
    log_in(page, server, "dean_econ")
    page.goto(case_url)
    hand_in(page, "host_transcript", tmp_path)
    hand_in(page, "certificate", tmp_path)
    fill_lines(page, "form[action$='/transcript']", [
        {"host_course": "International Finance", "credits": "6", "host_grade": "B",
         "host_scale": "ects", "home_course": "Эл аралык финансы"},
        {"host_course": "Econometrics", "credits": "5", "host_grade": "A", "host_scale": "ects",
         "home_course": "Эконометрика"},
    ])  # fmt: skip
    expect(page.locator("#recognition table.converted")).to_contain_text("Econometrics")
    take(page, server, "start_recognition")
    take(page, server, "decide_recognition", failed_credits="0")

    with UnitOfWork(server.engine, read_only=True) as uow:
        state = uow.cases.get(1).state
        papers = list(uow.session.execute(select(DocumentRow.doc_type, DocumentRow.origin)))
        outbox = list(uow.session.scalars(select(OutboxRow.status)))
    assert state == "closed"
    generated = {kind for kind, origin in papers if origin == "generated"}
    uploaded = {kind for kind, origin in papers if origin != "generated"}
    assert generated >= ISSUED_BY_OSHSU
    assert not uploaded & ISSUED_BY_OSHSU, uploaded & ISSUED_BY_OSHSU
    assert outbox and set(outbox) == {"done"}
