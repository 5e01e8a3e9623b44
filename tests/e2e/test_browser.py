"""In real headless Chromium against the real server: a dean's office opens a case and hands in
the papers, ЭАБД takes it to the order, the order DOCX downloads, another faculty is refused."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from sapar.services import users
from sapar.services.issuing import sweep
from sapar.services.partners import PartnerIn, add_partner, write_agreement
from states.model import Role
from storage.uow import UnitOfWork
from tests.builders import a_case
from tests.e2e.conftest import LiveServer
from tests.integration.desk import a_pdf

PASSWORD = "Osh-2026-secret"
ECONOMICS = "Экономика факультети"
MATHEMATICS = "Математика жана информатика факультети"


def staff_and_partner(server: LiveServer) -> None:
    for username, name, role, faculty in (
        ("iro", "Гүлнара Мамытова", Role.iro, None),
        ("dean_econ", "Бакыт Токтосунов", Role.dean_office, ECONOMICS),
        ("dean_math", "Эрмек Сатыбалдиев", Role.dean_office, MATHEMATICS),
    ):
        users.create_user(server.engine, username=username, full_name=name, password=PASSWORD,
                          role=role, faculty=faculty)  # fmt: skip
    with UnitOfWork(server.engine) as uow:
        partner = add_partner(uow.session, PartnerIn(name="Ankara Üniversitesi", country="Türkiye"))
        write_agreement(uow.session, partner_id=partner, kind="mevlana",
                        valid_from=date(2020, 1, 1), valid_to=date(2030, 12, 31))  # fmt: skip
        uow.commit()


def log_in(page: Page, server: LiveServer, username: str) -> None:
    page.goto(f"{server.url}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/desk$"))


FACTS = {
    "invitation_letter": ("Ankara Üniversitesi", "2026/145", "12.01.2026"),
    "partner_nomination": ("Ankara Üniversitesi", "", "10.01.2026"),
    "host_transcript": ("Ankara Üniversitesi", "", "15.07.2026"),
}


def hand_in(page: Page, paper: str, tmp_path: Path) -> None:
    file = tmp_path / f"{paper}.pdf"
    file.write_bytes(a_pdf(paper))
    page.select_option("select[name=doc_type]", paper)
    page.set_input_files("input[name=file]", str(file))
    if paper in FACTS:  # the host's letter comes with its issuer, number and date
        page.fill("input[name=issuer]", FACTS[paper][0])
        page.fill("input[name=ref_number]", FACTS[paper][1])
        page.fill("input[name=ref_date]", FACTS[paper][2])
    page.click("form.upload button[type=submit]")
    expect(page.locator("#documents")).to_contain_text(f"{paper}.pdf")


def step(page: Page, event: str) -> None:
    page.click(f"button[data-step={event}]")
    expect(page.locator(".alert.ok")).to_be_visible()


@pytest.mark.browser
def test_a_case_goes_from_the_form_to_a_downloaded_order_and_stays_in_its_faculty(
    browser: Browser, live_server: LiveServer, tmp_path: Path
) -> None:
    server = live_server
    staff_and_partner(server)
    page = browser.new_page(accept_downloads=True)
    log_in(page, server, "dean_econ")
    page.click("text=Жаңы иш")
    page.fill("input[name=p_full_name]", "Айгерим Жолдошбекова")
    page.select_option("select[name=p_faculty]", ECONOMICS)
    page.select_option("select[name=p_level]", "bachelor")
    page.fill("input[name=p_year]", "3")
    page.fill("input[name=p_semester]", "1")
    page.fill("input[name=p_gpa]", "3.6")
    page.select_option("select[name=p_funding_basis]", "budget")
    page.fill("input[name=p_specialty]", "Финансы жана кредит")
    page.fill("input[name=p_group_name]", "ФК-22")
    page.fill("input[name=host_institution]", "Ankara Üniversitesi")
    page.select_option("select[name=host_country]", "TR")  # a picklist of ISO 3166
    page.fill("input[name=programme]", "Mevlana")
    page.fill("input[name=host_language]", "Türkçe")  # the nomination prints it (persons)
    page.fill("input[name=start_date]", "01.02.2027")
    page.fill("input[name=end_date]", "30.06.2027")
    page.select_option("select[name=funding_source]", "credit_mobility")
    page.select_option("select[name=partner_id]", label="Ankara Üniversitesi (Түркия)")
    page.click("button:has-text('Ишти ачуу')")
    expect(page.locator(".alert.ok")).to_contain_text("Иш №1 ачылды")
    case_url = page.url.split("?")[0]

    for paper in ("application", "transcript", "questionnaire", "motivation_letter",
                  "passport_copy", "parents_consent", "study_plan"):  # fmt: skip
        hand_in(page, paper, tmp_path)
    step(page, "nominate")
    hand_in(page, "invitation_letter", tmp_path)
    hand_in(page, "dean_nomination", tmp_path)  # the signed nomination, scanned
    page.click("button:has-text('Чыгуу')")

    log_in(page, server, "iro")
    page.goto(case_url)
    step(page, "receive_invitation")
    step(page, "issue_order")
    expect(page.locator(".case-state")).to_contain_text("Буйрук чыкты")
    assert sweep(server.engine, server.files).issued  # the document flow issues the order
    page.goto(case_url)
    order_row = page.locator("#documents tr", has_text="Мобилдүүлүк буйругу")
    with page.expect_download() as download:
        order_row.locator("a[download]").click()
    saved = tmp_path / "order.docx"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"PK")
    page.click("button:has-text('Чыгуу')")

    log_in(page, server, "dean_math")
    answer = page.goto(case_url)
    assert answer is not None and answer.status == 403
    expect(page.locator(".alert.error")).to_contain_text("тышкары")  # the dean reads Kyrgyz
    expect(page.locator("body")).not_to_contain_text("Айгерим")
    page.goto(f"{server.url}/cases")
    expect(page.locator("body")).not_to_contain_text("Жолдошбекова")


@pytest.mark.browser
def test_the_partner_registry_exports_csv_and_the_statistics_draw_their_charts(
    browser: Browser, live_server: LiveServer, tmp_path: Path
) -> None:
    server = live_server
    staff_and_partner(server)
    with UnitOfWork(server.engine) as uow:  # a student at Ankara this academic year
        uow.cases.add(a_case(state="ordered", host_country="Türkiye",
                             start_date=date(2026, 10, 1), end_date=date(2027, 1, 31)))  # fmt: skip
        uow.commit()
    page = browser.new_page(accept_downloads=True)
    log_in(page, server, "iro")
    page.click("nav.mainnav >> text=Өнөктөштөр")
    expect(page.locator("table.partners")).to_contain_text("Ankara Üniversitesi")
    expect(page.locator("table.partners")).to_contain_text("Мевлана")
    with page.expect_download() as download:
        page.click("a[href='/partners/export.csv']")
    saved = tmp_path / "partners.csv"
    download.value.save_as(saved)
    assert "Ankara Üniversitesi" in saved.read_text(encoding="utf-8-sig")

    page.click("nav.mainnav >> text=Статистика")
    expect(page.locator("h1")).to_contain_text("Мобилдүүлүк статистикасы")
    page.select_option("select[name=year]", "2026-2027")
    expect(page.locator("svg.chart title").first).to_have_text("Өлкөлөр боюнча")
    expect(page.locator("svg.chart g title").first).to_have_text("Түркия: 1")
    expect(page.locator("table.matrix")).to_be_visible()
