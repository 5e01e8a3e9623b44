"""Lists that work (issue 13.3): the total, sorting by a column, 25 or 50 rows a page with
paging, the columns a user chooses, filters saved per user, and one order for the cases
selected on the list."""

from __future__ import annotations

import re
from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import select

from sapar.services.study_plan import PlanLine, set_study_plan
from states.dossier import DocumentKind as D
from storage.orm import DocumentRow
from storage.uow import UnitOfWork
from tests.builders import LONG_STAY_PAPERS, a_case, a_student
from tests.integration.desk import DEAN, IRO, Desk
from tests.integration.office import Office
from tests.integration.web_client import log_in

NAMES = ["Айбек", "Бакыт", "Гүлзат", "Данияр", "Эрмек", "Жылдыз", "Зарина", "Исмаил", "Кайрат",
         "Лейла", "Мирлан", "Нурлан", "Өмүр", "Перизат", "Руслан", "Самат", "Талант", "Үмүт",
         "Фарида", "Хасан", "Чолпон", "Шайлоо", "Элмира", "Юлдуз", "Янаргүл", "Азамат",
         "Бегимай", "Венера", "Динара", "Жанара"]  # fmt: skip


def thirty_cases(office: Office) -> list[int]:
    ids = []
    with UnitOfWork(office.engine) as uow:
        for i, name in enumerate(NAMES):
            country = ("Türkiye", "Deutschland", "Korea")[i % 3]
            ids.append(uow.cases.add(a_case(a_student(full_name=f"{name} Асанова"),
                                            host_country=country)))  # fmt: skip
        uow.commit()
    return ids


def rows(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<tr data-case="(\d+)"', html)]


def names(html: str) -> list[str]:
    return re.findall(r'<a class="strong" href="/cases/\d+">([^<]+)</a>', html)


def test_the_list_shows_its_total_and_pages_25_or_50_rows_sorted_by_any_column(
    sqlite_office: Office,
) -> None:
    ids = thirty_cases(sqlite_office)
    browser = TestClient(sqlite_office.client.app)
    log_in(browser, "iro")
    first = browser.get("/cases").text
    assert 'data-total="30"' in first
    assert rows(first) == sorted(ids, reverse=True)[:25]  # newest first, 25 a page
    second = browser.get("/cases?page=2").text
    assert rows(second) == sorted(ids, reverse=True)[25:]
    assert "26–30" in second
    assert len(rows(browser.get("/cases?size=50").text)) == 30
    by_name = names(browser.get("/cases?sort=name&size=50").text)
    assert by_name == sorted(by_name) and len(by_name) == 30
    backwards = names(browser.get("/cases?sort=-name&size=50").text)
    assert backwards == by_name[::-1]
    turkish = browser.get("/cases?host_country=TR&sort=id").text
    assert 'data-total="10"' in turkish and rows(turkish) == sorted(ids)[::3]
    assert browser.get("/cases?size=500").status_code == 422  # 25 to 50, no more


def test_the_columns_shown_are_the_ones_chosen(sqlite_office: Office) -> None:
    thirty_cases(sqlite_office)
    browser = TestClient(sqlite_office.client.app)
    log_in(browser, "iro")
    html = browser.get("/cases?cols=country&cols=year").text
    assert set(re.findall(r'data-col="(\w+)"', html)) == {"country", "year"}
    assert "Түркия" in html  # the country by its name in the user's language
    default = browser.get("/cases").text
    assert set(re.findall(r'data-col="(\w+)"', default)) == {
        "kind", "state", "faculty", "host", "dates",
    }  # fmt: skip


def test_a_filter_is_saved_per_user_replaced_by_name_and_deleted(sqlite_office: Office) -> None:
    thirty_cases(sqlite_office)
    iro = TestClient(sqlite_office.client.app)
    csrf = log_in(iro, "iro")
    saved = iro.post("/cases/filters", data={"csrf": csrf, "name": "Түркия",
                     "query": "host_country=TR&sort=name&size=50&cols=country&page=3"})  # fmt: skip
    assert saved.status_code == 200 and saved.url.query.decode() == (
        "cols=country&host_country=TR&size=50&sort=name"  # the page is not part of the view
    )
    listed = iro.get("/cases").text
    assert 'data-saved="Түркия"' in listed
    link = re.search(r'href="/cases\?([^"]+)" data-saved="Түркия"', listed)
    assert link is not None
    assert 'data-total="10"' in iro.get("/cases?" + link.group(1).replace("&amp;", "&")).text
    iro.post("/cases/filters", data={"csrf": csrf, "name": "Түркия", "query": "host_country=DE"})
    assert iro.get("/cases").text.count('data-saved="Түркия"') == 1  # replaced, not doubled
    refused = iro.post("/cases/filters", data={"csrf": csrf, "name": "x", "query": "size=9000"})
    assert refused.status_code == 422

    other = TestClient(sqlite_office.client.app)
    other_csrf = log_in(other, "dean_econ")
    assert 'data-saved="Түркия"' not in other.get("/cases").text  # per user
    filter_id = re.search(r'action="/cases/filters/(\d+)/delete"', listed)
    assert filter_id is not None
    other.post(f"/cases/filters/{filter_id.group(1)}/delete", data={"csrf": other_csrf})
    assert 'data-saved="Түркия"' in iro.get("/cases").text  # not theirs to delete
    iro.post(f"/cases/filters/{filter_id.group(1)}/delete", data={"csrf": csrf})
    assert 'data-saved="Түркия"' not in iro.get("/cases").text


def invited(desk: Desk, name: str) -> int:
    """A student up to the order step: nominated, invited, every paper handed in."""
    student = a_student(full_name=name, specialty="Финансы жана кредит", group_name="ФК-3-23")
    dates = {"start_date": date(2027, 2, 1), "end_date": date(2027, 6, 30)}
    case_id = desk.open(a_case(student, host_language="англис тили", language_level="B2", **dates))
    desk.hand_in(case_id, *LONG_STAY_PAPERS)
    line = PlanLine("Uluslararası Finans", 6, replaces="Эл аралык финансы")
    set_study_plan(desk.engine, case_id=case_id, actor=DEAN, lines=[line])
    desk.step(case_id, "nominate", DEAN)
    desk.hand_in(case_id, D.invitation_letter)
    desk.step(case_id, "receive_invitation", IRO)
    return case_id


def test_cases_selected_on_the_list_get_one_order_under_one_number(
    sqlite_office: Office, tmp_path: object
) -> None:
    desk = Desk(sqlite_office.engine, sqlite_office.client.app.state.services.settings.files_dir)
    ready = [invited(desk, n) for n in ("Айпери Өмүрбекова", "Бекзат Турдубаев")]
    for case_id in ready:
        desk.hand_in(case_id, D.dean_nomination)  # the signed nomination the order rests on
    unready = invited(desk, "Чынара Абдыкеримова")  # no signed nomination yet
    browser = TestClient(sqlite_office.client.app)
    csrf = log_in(browser, "iro")
    assert 'name="case_id"' in browser.get("/cases").text  # ЭАБД may select cases

    chosen = [str(i) for i in (*ready, unready)]
    answer = browser.post(
        "/cases/group-order", data={"csrf": csrf, "case_id": chosen, "query": "sort=id"}
    )
    assert answer.status_code == 200
    assert f'<a href="/cases/{unready}">#{unready}</a>:' in answer.text  # named, with why
    with UnitOfWork(sqlite_office.engine, read_only=True) as uow:
        orders = uow.session.execute(
            select(DocumentRow.case_id, DocumentRow.number).where(
                DocumentRow.doc_type == "mobility_order", DocumentRow.origin == "generated"
            )
        ).all()
        states = {i: uow.cases.get(i).state for i in (*ready, unready)}
    assert sorted(orders) == [(ready[0], "1/АМ"), (ready[1], "1/АМ")]  # one order, one number
    assert states == {ready[0]: "ordered", ready[1]: "ordered", unready: "invited"}

    nothing = browser.post("/cases/group-order", data={"csrf": csrf, "query": ""})
    assert nothing.status_code == 422
    dean = TestClient(sqlite_office.client.app)
    log_in(dean, "dean_econ")
    assert 'name="case_id"' not in dean.get("/cases").text  # the order is ЭАБД's step
