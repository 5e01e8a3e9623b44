"""`make screenshots`: the main pages with demo data, in headless Chromium, to var/screenshots.

Builds its own demo database under var/screenshots/db (the working database is untouched)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from playwright.sync_api import Page, sync_playwright
from sqlalchemy import select

from sapar.config import Settings
from sapar.i18n import LANGUAGES
from sapar.services.issuing import sweep
from scripts.demo import DEMO_PASSWORD, load_demo
from storage.db import make_engine, upgrade
from storage.files import FileStore
from storage.orm import CaseRow
from storage.uow import UnitOfWork
from tests.e2e.conftest import ARGS, CHROMIUM, serve

OUT = Path("var/screenshots")


def main() -> None:
    work = OUT / "db"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    settings = Settings(database_url=f"sqlite:///{work / 'sapar.db'}", files_dir=work / "files",
                        var_dir=work)  # fmt: skip
    upgrade(settings.database_url)
    engine, files = make_engine(settings.database_url), FileStore(settings.files_dir)
    load_demo(engine, files, extra=30, issue=lambda: len(sweep(engine, files).issued))
    with UnitOfWork(engine, read_only=True) as uow:
        returned = uow.session.scalar(
            select(CaseRow.id).where(
                CaseRow.state == "returned", CaseRow.kind == "outgoing_student_long"
            )
        )
        nominated = uow.session.scalar(
            select(CaseRow.id).where(
                CaseRow.state == "application", CaseRow.kind == "outgoing_student_long"
            )
        )
    server = serve(settings)
    live = next(server)
    shots: list[Path] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1360, "height": 900})

        def shot(name: str, url: str, full: bool = True) -> None:
            page.goto(live.url + url)
            target = OUT / f"{name}.png"
            page.screenshot(path=str(target), full_page=full)
            shots.append(target)

        shot("01-login", "/login", full=False)
        page.fill("input[name=username]", "iro")
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("button[type=submit]")
        shot("02-cases", "/cases")
        shot("03-case-returned", f"/cases/{returned}")
        shot("04-overdue", "/overdue")
        shot("05-new-case", "/cases/new")
        shot("06-case-application", f"/cases/{nominated}")
        shot("10-partners", "/partners")
        shot("11-statistics", "/statistics")
        with page.expect_navigation():  # the switch submits itself
            page.select_option("select#language", "ru")
        shot("07-cases-ru", "/cases?state=application")
        page.set_viewport_size({"width": 390, "height": 844})
        shot("08-phone-cases", "/cases", full=False)
        shot("09-phone-case", f"/cases/{returned}", full=False)
        with page.expect_navigation():
            page.select_option("select#language", "ky")
        page.set_viewport_size({"width": 1360, "height": 900})
        page.click("button:has-text('Чыгуу')")
        page.fill("input[name=username]", "dean1")  # the returned student's faculty
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.goto(f"{live.url}/cases/{returned}")
        plan = page.locator("form[action$=study-plan] tbody tr")
        for row, (title, credits, replaces) in enumerate(
            (("Makroökonomie II", "6", "Макроэкономика"), ("Deutsch B1", "4", ""))
        ):
            plan.nth(row).locator("input[name=title]").fill(title)
            plan.nth(row).locator("input[name=credits]").fill(credits)
            plan.nth(row).locator("input[name=replaces]").fill(replaces)
        page.click("form[action$=study-plan] button[type=submit]")
        rows = page.locator("form[action$=transcript] tbody tr")
        for row, (course, credits, grade) in enumerate(
            (("Makroökonomie II", "6", "B"), ("Deutsch B1", "4", "FX"))
        ):
            rows.nth(row).locator("input[name=host_course]").fill(course)
            rows.nth(row).locator("input[name=credits]").fill(credits)
            rows.nth(row).locator("input[name=host_grade]").fill(grade)
        page.click("form[action$=transcript] button[type=submit]")
        target = OUT / "12-recognition.png"
        page.locator("#recognition").screenshot(path=str(target))
        shots.append(target)
        page.click("form[action='/logout'] button")
        desks(page, live.url, shots)
        browser.close()
    next(server, None)
    for target in shots:
        print(target)


# Each role's desk (issue 13.2), in each language: the accounts of `make demo`.
DESK_ROLES = ("iro", "dean1", "head1", "vr.research", "vr.academic", "accounting", "auditor")


def desks(page: Page, url: str, shots: list[Path]) -> None:
    folder = OUT / "desks"
    folder.mkdir(parents=True, exist_ok=True)
    for username in DESK_ROLES:
        page.goto(f"{url}/login")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r"/desk$"))
        for lang in LANGUAGES:
            if page.locator("select#language").input_value() != lang:
                with page.expect_navigation():  # submits; back on the desk
                    page.select_option("select#language", lang)
            page.wait_for_url(re.compile(r"/desk$"))
            target = folder / f"desk-{username}-{lang}.png"
            page.screenshot(path=str(target), full_page=True)
            shots.append(target)
        with page.expect_navigation():
            page.select_option("select#language", "ky")  # as the account was
        page.click("form[action='/logout'] button")


if __name__ == "__main__":
    main()
