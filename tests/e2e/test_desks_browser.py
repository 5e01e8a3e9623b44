"""In real headless Chromium (issue 13): each role lands on its desk, the list finds a case by
its number, a Latin spelling and a Russian-keyboard spelling, the new-case form offers the
countries as a picklist filled from the partner, and withdrawing asks to confirm."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from sapar.services import users
from states.dossier import DocumentKind as D
from states.model import CaseKind, Role
from storage.uow import UnitOfWork
from tests.builders import a_case, a_staff_member, a_student
from tests.e2e.conftest import LiveServer
from tests.e2e.test_browser import ECONOMICS, MATHEMATICS, PASSWORD, staff_and_partner
from tests.integration.desk import Desk

ROLES = {  # username: (role, faculty, department)
    "head_inf": (Role.head_of_department, MATHEMATICS, "Информатика кафедрасы"),
    "vr_research": (Role.vice_rector_research, None, None),
    "accounting": (Role.accounting, None, None),
    "auditor": (Role.auditor, None, None),
}


def log_in(page: Page, server: LiveServer, username: str) -> None:
    page.goto(f"{server.url}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/desk$"))


def log_out(page: Page) -> None:
    page.click("form[action='/logout'] button")


def an_office(server: LiveServer) -> tuple[int, int]:
    """Every role's account, a student's application and a lecturer's trip."""
    staff_and_partner(server)
    for username, (role, faculty, department) in ROLES.items():
        users.create_user(server.engine, username=username, full_name=username.title(),
                          password=PASSWORD, role=role, faculty=faculty,
                          department=department)  # fmt: skip
    desk = Desk(server.engine, server.files.root)
    student = desk.open(a_case(a_student(full_name="Кумушай Төлөбаева", faculty=ECONOMICS),
                               faculty=ECONOMICS))  # fmt: skip
    lecturer = a_staff_member(faculty=MATHEMATICS, department="Информатика кафедрасы")
    trip = desk.open(a_case(lecturer, kind=CaseKind.outgoing_staff, faculty=MATHEMATICS,
                            department="Информатика кафедрасы", purpose="conference"))  # fmt: skip
    desk.hand_in(trip, D.application, D.substitution_note, D.invitation_letter)
    return student, trip


@pytest.mark.browser
def test_each_role_lands_on_its_desk_and_the_list_forgives_the_spelling(
    browser: Browser, live_server: LiveServer
) -> None:
    student, trip = an_office(live_server)
    page = browser.new_page()
    mine = {"dean_econ": student, "head_inf": trip, "iro": None, "vr_research": None,
            "accounting": None, "auditor": None}  # fmt: skip
    for username, case_id in mine.items():
        log_in(page, live_server, username)
        expect(page.locator("h1")).to_have_text("Иш столу")
        waiting = page.locator("#mine tr[data-case]")
        if case_id is None:
            expect(waiting).to_have_count(0)
        else:
            expect(waiting).to_have_count(1)
            expect(waiting.first).to_have_attribute("data-case", str(case_id))
        if username == "dean_econ":  # what is missing, in Kyrgyz
            expect(page.locator("#mine .missing").first).to_contain_text("Арыз")
        if username == "iro":  # who acts next
            expect(page.locator("#others")).to_contain_text("Деканат")
        if username == "auditor":
            expect(page.locator("#mine")).to_contain_text("окуйсуз гана")
        log_out(page)

    log_in(page, live_server, "iro")
    page.click("nav.mainnav >> text=Иштер")
    for typed in (f"#{student}", "Kumushai", "Толобаева"):  # number, Latin, Russian keyboard
        page.fill("input[name=q]", typed)
        page.click("form.filters button[type=submit]")
        rows = page.locator("table.cases tbody tr")
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text("Кумушай Төлөбаева")


@pytest.mark.browser
def test_the_country_is_picked_from_a_list_and_withdrawing_asks_first(
    browser: Browser, live_server: LiveServer
) -> None:
    student, _ = an_office(live_server)
    page = browser.new_page()
    log_in(page, live_server, "dean_econ")
    page.goto(f"{live_server.url}/cases/new")
    country = page.locator("select[name=host_country]")
    expect(country.locator("option[value=DE]")).to_have_text("Германия")  # named in Kyrgyz
    page.select_option("select[name=partner_id]", label="Ankara Üniversitesi (Түркия)")
    expect(country).to_have_value("TR")  # the partner fills its country and host
    expect(page.locator("input[name=host_institution]")).to_have_value("Ankara Üniversitesi")
    expect(page.locator("input[name=programme]")).to_have_value("Mevlana")
    page.select_option("select[name=host_country]", label="Казакстан")
    expect(country).to_have_value("KZ")

    page.goto(f"{live_server.url}/cases/{student}")
    withdraw = page.locator("form:has(button[data-step=withdraw])")
    withdraw.locator("textarea[name=reason]").fill("Катышуучу баш тартты")
    asked: list[str] = []

    def refuse(dialog: object) -> None:
        asked.append(dialog.message)  # type: ignore[attr-defined]
        dialog.dismiss()  # type: ignore[attr-defined]

    page.once("dialog", refuse)
    page.click("button[data-step=withdraw]")
    expect(page.locator(".case-state")).to_contain_text("Арыз")  # nothing happened
    assert asked and str(student) in asked[0]
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button[data-step=withdraw]")
    expect(page.locator(".alert.ok")).to_be_visible()
    expect(page.locator(".case-state")).not_to_contain_text("Арыз")
    with UnitOfWork(live_server.engine, read_only=True) as uow:
        assert uow.cases.get(student).state == "withdrawn"
