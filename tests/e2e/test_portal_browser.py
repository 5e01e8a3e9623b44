"""The participants' portal in real headless Chromium at a phone's viewport: a student signs
in by the link in the letter, applies under an open call, uploads every paper from the
checklist; the dean's office nominates; the student sees the new state and the invitation
request; another student sees none of it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from sapar.services.issuing import sweep
from tests.e2e.conftest import LiveServer
from tests.e2e.test_browser import log_in, staff_and_partner, step
from tests.integration.desk import a_pdf
from tests.integration.portal_client import letters_to, link_in, open_call

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
         "is_mobile": True, "has_touch": True}  # fmt: skip
STUDENT = "a.joldoshbekova@oshsu.kg"
PAPERS = ("application", "transcript", "questionnaire", "motivation_letter", "passport_copy",
          "parents_consent", "study_plan")  # fmt: skip


def phone(browser: Browser) -> BrowserContext:
    return browser.new_context(accept_downloads=True, **PHONE)  # type: ignore[arg-type]


def fits_the_screen(page: Page) -> None:
    page.wait_for_load_state()  # measured on a page that has finished loading
    wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert wide <= 0, f"{page.url} scrolls sideways by {wide}px on a phone"


def sign_in(page: Page, server: LiveServer, email: str, var_dir: Path) -> None:
    page.goto(f"{server.url}/portal")
    expect(page).to_have_url(re.compile(r"/portal/sign-in$"))
    fits_the_screen(page)
    page.fill("input[name=email]", email)
    page.click("button[type=submit]")
    expect(page.locator(".alert.ok")).to_contain_text(email)
    page.goto(link_in(letters_to(var_dir, email)[-1]))
    page.click("button[data-link-sign-in]")
    expect(page).to_have_url(re.compile(r"/portal/cases$"))


@pytest.mark.browser
def test_a_student_applies_hands_in_every_paper_on_a_phone_and_follows_the_nomination(
    browser: Browser, live_server: LiveServer, tmp_path: Path
) -> None:
    server = live_server
    staff_and_partner(server)
    open_call(server.engine)
    page = phone(browser).new_page()
    sign_in(page, server, STUDENT, tmp_path)
    page.click("nav.portal-nav >> text=Арыз берүү")
    expect(page.locator("select[name=call]")).to_be_visible()  # the form, not the page before
    fits_the_screen(page)
    page.select_option("select[name=call]", value="1:2026-2027")
    page.fill("input[name=start_date]", "2027-02-01")
    page.fill("input[name=end_date]", "2027-06-30")
    page.fill("input[name=host_language]", "Türkçe")
    page.fill("input[name=programme]", "Mevlana")
    page.fill("input[name=full_name]", "Айгерим Жолдошбекова")
    page.select_option("select[name=faculty]", "Экономика факультети")
    page.fill("input[name=specialty]", "Финансы жана кредит")
    page.fill("input[name=group_name]", "ФК-22")
    page.select_option("select[name=level]", "bachelor")
    page.fill("input[name=year]", "3")
    page.fill("input[name=semester]", "1")
    page.fill("input[name=gpa]", "3.6")
    page.click("form.portal-form button[type=submit]")
    expect(page.locator(".alert.ok")).to_contain_text("Арызыңыз катталды")
    expect(page.locator("#state .badge")).to_contain_text("Арыз")
    fits_the_screen(page)
    case_url = page.url.split("?")[0]
    for paper in PAPERS:  # each straight into its line of the checklist
        file = tmp_path / f"{paper}.pdf"
        file.write_bytes(a_pdf(paper))
        form = page.locator(f"form[data-paper={paper}]")
        form.locator("input[type=file]").set_input_files(str(file))
        form.locator("button[type=submit]").click()
        expect(page.locator(f".checklist li[data-doc={paper}]")).to_have_class("done")
    expect(page.locator("form[data-paper]")).to_have_count(0)
    fits_the_screen(page)

    office = browser.new_page()
    log_in(office, server, "dean_econ")
    office.goto(case_url.replace("/portal", ""))
    history = office.locator("section.card", has_text="Тарых")
    expect(history).to_contain_text(f"Айгерим Жолдошбекова ({STUDENT})")  # the participant
    expect(history).to_contain_text("Катышуучу")
    step(office, "nominate")
    assert sweep(server.engine, server.files).issued  # the document flow issues the letters

    page.goto(case_url)
    expect(page.locator("#state .badge")).to_contain_text("Сунушталды")
    expect(page.locator("[data-next]")).to_contain_text("ЭАБД")
    request = page.locator("#documents a[data-doc=invitation_request]")
    expect(request).to_be_visible()
    with page.expect_download() as download:
        request.click()
    saved = tmp_path / "request.docx"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"PK")
    fits_the_screen(page)

    other = phone(browser).new_page()
    sign_in(other, server, "b.asanov@oshsu.kg", tmp_path)
    expect(other.locator("body")).not_to_contain_text("Жолдошбекова")
    answer = other.goto(case_url)
    assert answer is not None and answer.status == 403
    expect(other.locator("body")).not_to_contain_text("Жолдошбекова")
    expect(other.locator(".alert.error")).to_contain_text("сиздики эмес")
