"""Each role lands on a desk (issue 13.2): what waits for a step of theirs (oldest first, with
what is missing), what waits for others (with who acts next), and what falls due within a
week and a month. The case page tells every role the next step, who takes it and what it
still misses."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi.testclient import TestClient

from sapar.services import users, waiting_work
from states.dossier import DocumentKind as D
from states.model import Role
from storage.uow import UnitOfWork
from tests.builders import LONG_STAY_PAPERS
from tests.integration.office import Office, staff_case, student_case
from tests.integration.web_client import csrf_of

TODAY = date(2026, 11, 23)


def desk_of(office: Office, username: str) -> waiting_work.WaitingWork:
    user = users.get_user(office.engine, username=username)
    return waiting_work.waiting_work(office.engine, user=user, today=TODAY)


def ids(cases: list[waiting_work.WaitingCase]) -> list[int]:
    return [c.id for c in cases]


def three_cases(office: Office) -> tuple[int, int, int]:
    """An economics student without papers, another with all of them, and an informatics
    lecturer's trip waiting for the head of department."""
    bare = office.open("dean_econ", student_case())
    ready = office.open(
        "dean_econ", student_case(participant={"full_name": "Бектур Асанов", "group_name": "ФК-23"})
    )
    office.hand_in("dean_econ", ready, *LONG_STAY_PAPERS)
    trip = office.open("head_inf", staff_case())
    office.hand_in("head_inf", trip, D.application, D.substitution_note, D.invitation_letter)
    return bare, ready, trip


def test_each_role_sees_its_own_steps_oldest_first_and_the_others_with_who_acts_next(
    office: Office,
) -> None:
    bare, ready, trip = three_cases(office)

    dean = desk_of(office, "dean_econ")
    assert ids(dean.mine) == [bare, ready]  # the one waiting longest first
    assert dean.mine_total == 2 and dean.others == [] and dean.takes_steps
    missing = {c.id: [(m.key, m.params.get("doc")) for m in c.missing] for c in dean.mine}
    assert ("doc_missing", "application") in missing[bare]  # the papers not handed in
    assert missing[ready] == []  # everything is there: ready to nominate
    assert [s.event for s in dean.mine[0].next_steps] == ["nominate"]

    head = desk_of(office, "head_inf")
    assert ids(head.mine) == [trip] and head.others == []
    assert [s.event for s in head.mine[0].next_steps] == ["approve_by_head"]

    iro = desk_of(office, "iro")
    assert iro.mine == [] and ids(iro.others) == [bare, ready, trip]
    assert [c.actors for c in iro.others] == [
        [Role.dean_office],
        [Role.dean_office],
        [Role.head_of_department],
    ]

    dean_math = desk_of(office, "dean_math")  # the trip is of their faculty, the head acts
    assert dean_math.mine == [] and ids(dean_math.others) == [trip]
    assert ids(desk_of(office, "accounting").others) == [trip]  # staff trips only

    auditor = desk_of(office, "auditor")
    assert not auditor.takes_steps and auditor.mine == []
    assert auditor.others_total == 3


def test_a_step_taken_moves_the_case_from_one_desk_to_the_next(office: Office) -> None:
    _, ready, trip = three_cases(office)
    assert office.fire("dean_econ", ready, "nominate").status_code == 200
    assert ready not in ids(desk_of(office, "dean_econ").mine)
    iro = desk_of(office, "iro")
    assert ready in ids(iro.mine)
    assert [s.event for s in next(c for c in iro.mine if c.id == ready).next_steps] == [
        "receive_invitation"
    ]
    assert office.fire("head_inf", trip, "approve_by_head").status_code == 200
    assert ids(desk_of(office, "dean_math").mine) == [trip]
    assert trip not in ids(desk_of(office, "head_inf").mine)


def test_the_vice_rector_sees_the_trips_waiting_for_approval_and_not_the_project_ones(
    office: Office,
) -> None:
    plain = office.open("head_inf", staff_case())
    funded = office.open(
        "head_inf",
        staff_case(
            participant={"full_name": "Урмат Бакиров", "kind": "staff",
                         "faculty": "Математика жана информатика факультети",
                         "department": "Информатика кафедрасы", "position": "доцент",
                         "level": None, "year": None, "semester": None, "gpa": None,
                         "funding_basis": None, "specialty": None, "group_name": None},
            funding_source="research_project", project="Жаңы материалдар",
        ),
    )  # fmt: skip
    for case_id in (plain, funded):
        office.hand_in("head_inf", case_id, D.application, D.substitution_note, D.invitation_letter)
        assert office.fire("head_inf", case_id, "approve_by_head").status_code == 200
        assert office.fire("dean_math", case_id, "approve_by_dean").status_code == 200
    vice = desk_of(office, "vr_research")
    assert ids(vice.mine) == [plain]  # the funded trip goes by the project lead first
    funded_line = next(c for c in vice.others if c.id == funded)
    assert funded_line.actors == [Role.project_lead]
    assert ids(desk_of(office, "lead").mine) == [funded]


def test_the_desk_shows_deadlines_due_within_a_week_and_a_month_and_counts_the_late(
    office: Office,
) -> None:
    bare, ready, trip = three_cases(office)
    with UnitOfWork(office.engine) as uow:
        uow.cases.open_deadline(bare, "student_report", TODAY + timedelta(days=3))
        uow.cases.open_deadline(ready, "student_report", TODAY + timedelta(days=20))
        uow.cases.open_deadline(ready, "distance_exams_spring", TODAY + timedelta(days=45))
        uow.cases.open_deadline(bare, "distance_exams_fall", TODAY - timedelta(days=2))
        uow.cases.open_deadline(trip, "expense_report", TODAY + timedelta(days=7))
        uow.commit()
    dean = desk_of(office, "dean_econ")
    assert [(d.case_id, d.kind, d.days_left) for d in dean.soon] == [(bare, "student_report", 3)]
    assert [(d.case_id, d.days_left) for d in dean.later] == [(ready, 20)]
    assert dean.overdue == 1
    accounting = desk_of(office, "accounting")
    assert [(d.case_id, d.kind, d.days_left) for d in accounting.soon] == [
        (trip, "expense_report", 7)
    ]
    assert accounting.later == [] and accounting.overdue == 0


def page_as(office: Office, username: str, path: str, lang: str = "ky") -> str:
    browser = TestClient(office.client.app)
    token = csrf_of(browser.get("/login").text)
    landing = browser.post(
        "/login", data={"username": username, "password": "Osh-2026-secret", "csrf": token}
    )
    assert landing.url.path == "/desk"  # every role lands on its desk
    users.set_language(
        office.engine, user_id=users.get_user(office.engine, username=username).id, language=lang
    )
    answer = browser.get(path)
    assert answer.status_code == 200, answer.text[:300]
    return answer.text


def test_every_role_lands_on_a_desk_page_in_its_language(sqlite_office: Office) -> None:
    office = sqlite_office
    bare, _, trip = three_cases(office)
    dean = page_as(office, "dean_econ", "/desk")
    assert "Мени күтүп турат" in dean and f'data-case="{bare}"' in dean
    assert "Арыз" in dean  # what is missing, in Kyrgyz
    iro = page_as(office, "iro", "/desk", "ru")
    assert "Ждёт других" in iro and "Кто действует дальше" in iro
    assert "Деканат" in iro  # who acts next, named in Russian
    for username in ("head_inf", "vr_research", "accounting", "auditor", "rector", "lead"):
        text = page_as(office, username, "/desk", "en")
        assert "Waiting for me" in text and "Deadlines ahead" in text, username
    assert "Your role takes no steps" in page_as(office, "auditor", "/desk", "en")
    assert f'data-case="{trip}"' in page_as(office, "accounting", "/desk", "en")


def test_the_case_page_tells_every_role_the_next_step_who_takes_it_and_what_is_missing(
    sqlite_office: Office,
) -> None:
    office = sqlite_office
    bare, _, _ = three_cases(office)
    for username in ("iro", "auditor", "dean_econ"):
        text = page_as(office, username, f"/cases/{bare}", "ru")
        assert 'data-next="nominate"' in text, username
        assert "Кто делает" in text
        assert "Заявление" in text  # the application is missing
