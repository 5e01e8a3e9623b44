"""The overdue filter of the case list: a case is listed when one of its deadlines is marked
overdue, or is open and past due, and never twice; newest first, paged by `after`, with the
other filters applied — on SQLite and PostgreSQL (the `office` fixture runs both)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from sapar import clock
from sapar.services import queries, users
from sapar.services.schemas import CaseFilter
from storage.orm import DeadlineRow
from storage.uow import UnitOfWork
from tests.integration.office import Office, student_case


def a_case(office: Office, name: str, programme: str = "Mevlana") -> int:
    return office.open("iro", student_case(participant={"full_name": name},
                                           programme=programme))  # fmt: skip


def deadlines(office: Office, *given: tuple[int, str, date]) -> None:
    with UnitOfWork(office.engine) as uow:
        for case_id, status, due in given:
            uow.session.add(DeadlineRow(case_id=case_id, kind="student_report", due_date=due,
                                        status=status, opened_at=datetime.now(UTC)))  # fmt: skip
        uow.commit()


def overdue(office: Office, **params: str) -> list[int]:
    found = office.get("iro", "/api/cases", params={"overdue": "true", **params}).json()
    return [c["id"] for c in found["cases"]]


def test_the_overdue_list_is_the_cases_marked_overdue_or_open_past_due_newest_first(
    office: Office,
) -> None:
    today = clock.today()
    marked, past_due, due_today, met, none, twice = (
        a_case(office, n) for n in ("Айбек Асанов", "Бакыт Асанов", "Гүлзат Асанова",
                                    "Данияр Асанов", "Эрмек Асанов", "Жылдыз Асанова")
    )  # fmt: skip
    deadlines(
        office,
        (marked, "overdue", today + timedelta(days=3)),  # the check found it late once
        (past_due, "open", today - timedelta(days=1)),
        (due_today, "open", today),
        (met, "met", today - timedelta(days=90)),
        (twice, "overdue", today - timedelta(days=9)),
        (twice, "open", today - timedelta(days=2)),
    )
    assert overdue(office) == [twice, past_due, marked]
    assert none not in overdue(office)
    page = office.get("iro", "/api/cases", params={"overdue": "true", "limit": "2"}).json()
    assert [c["id"] for c in page["cases"]] == [twice, past_due]
    assert all(c["overdue"] for c in page["cases"])
    assert overdue(office, after=str(page["next_after"])) == [marked]


def test_the_overdue_list_finds_an_old_late_case_behind_many_newer_ones_other_filters_skip(
    office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The late cases are read by id a batch at a time: a filter that rejects the first
    # batches must still reach the one that matches, and the page must say when it ends.
    today = clock.today()
    old = a_case(office, "Зарина Асанова", programme="DAAD")
    newer = [a_case(office, f"{n} Асанов") for n in ("Исмаил", "Кайрат", "Мирлан", "Нурлан",
                                                      "Руслан", "Самат", "Талант")]  # fmt: skip
    deadlines(office, *((i, "overdue", today - timedelta(days=5)) for i in [old, *newer]))
    for batch_max in (queries.LATE_BATCH_MAX, 2):
        monkeypatch.setattr(queries, "LATE_BATCH_MAX", batch_max)
        found = office.get("iro", "/api/cases", params={
            "overdue": "true", "programme": "DAAD", "limit": "1"}).json()  # fmt: skip
        assert [c["id"] for c in found["cases"]] == [old]
        assert found["next_after"] is None
        assert overdue(office, limit="3") == sorted(newer, reverse=True)[:3]


def test_the_case_table_filters_overdue_the_same_however_many_are_late(
    office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    today = clock.today()
    late, on_time = a_case(office, "Лейла Асанова"), a_case(office, "Өмүр Асанов")
    deadlines(office, (late, "overdue", today - timedelta(days=5)),
              (on_time, "open", today + timedelta(days=5)))  # fmt: skip
    user = users.get_user(office.engine, username="iro")
    named = queries.case_table(office.engine, user=user, filters=CaseFilter(overdue=True))
    monkeypatch.setattr(queries, "LATE_IDS_INLINE", 0)  # as when thousands are late
    walked = queries.case_table(office.engine, user=user, filters=CaseFilter(overdue=True))
    assert [line.id for line in named.lines] == [line.id for line in walked.lines] == [late]
    assert named.total == walked.total == 1
