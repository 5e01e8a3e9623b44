"""Order numbers: per series and year, unique, never reused, no gaps — also under concurrency."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import Engine

from storage.numbering import next_number
from storage.uow import UnitOfWork


def issue(engine: Engine, series: str, year: int, *, commit: bool = True) -> int:
    with UnitOfWork(engine) as uow:
        number = next_number(uow.session, series, year)
        if commit:
            uow.commit()
        return number


def test_numbers_count_up_per_series_and_start_again_each_year(engine: Engine) -> None:
    assert [issue(engine, "АМ", 2026) for _ in range(3)] == [1, 2, 3]
    assert issue(engine, "ИС", 2026) == 1
    assert issue(engine, "АМ", 2027) == 1
    assert issue(engine, "АМ", 2026) == 4


def test_a_number_taken_by_a_rolled_back_issue_is_given_again_so_there_is_no_gap(
    engine: Engine,
) -> None:
    assert issue(engine, "АМ", 2026) == 1
    assert issue(engine, "АМ", 2026, commit=False) == 2
    assert issue(engine, "АМ", 2026) == 2


def _issue_concurrently(engine: Engine, clerks: int, each: int) -> list[int]:
    numbers: list[int] = []
    lock = threading.Lock()
    barrier = threading.Barrier(clerks)

    def clerk() -> None:
        barrier.wait()
        for _ in range(each):
            n = issue(engine, "АМ", 2026)
            with lock:
                numbers.append(n)

    threads = [threading.Thread(target=clerk) for _ in range(clerks)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return numbers


@pytest.mark.postgres
def test_concurrent_issuing_on_postgresql_yields_no_duplicate_and_no_gap(
    postgres_engine: Engine,
) -> None:
    numbers = _issue_concurrently(postgres_engine, clerks=8, each=25)
    assert sorted(numbers) == list(range(1, 201))


def test_concurrent_issuing_on_sqlite_yields_no_duplicate_and_no_gap(
    sqlite_engine: Engine,
) -> None:
    numbers = _issue_concurrently(sqlite_engine, clerks=4, each=10)
    assert sorted(numbers) == list(range(1, 41))
