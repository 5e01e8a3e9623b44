"""The flows themselves, run by Prefect against one test server for the whole session.

Everything else about documents and deadlines is tested on the plain functions; here only
what Prefect adds: retries, failed runs, and that a re-run or a crash changes nothing twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from prefect.settings import temporary_settings
from prefect.testing.utilities import prefect_test_harness
from sqlalchemy import Engine, select

import flows.issuing as issuing_flows
from flows.deadlines import check_deadlines_flow
from flows.issuing import DocumentsFailed, issue_documents, issue_group_order, sweep_outbox
from sapar.services.outbox import NothingToRetry, retry_effect
from sapar.services.study_plan import PlanLine, set_study_plan
from states.dossier import DocumentKind as D
from storage.files import FileStore
from storage.orm import DocumentRow, NumberSeriesRow, OutboxRow
from storage.uow import UnitOfWork
from tests.builders import LONG_STAY_PAPERS, a_case, a_student
from tests.integration.desk import DEAN, IRO, Desk

PAPERS = LONG_STAY_PAPERS


@pytest.fixture(scope="session")
def prefect_server() -> Iterator[None]:
    # ~10 s once; without the heartbeat thread a flow run costs ~0.1 s instead of ~1 s.
    quiet = {"server.analytics_enabled": False, "flows.heartbeat_frequency": None}
    # A loaded machine (seven test runs at once) may take longer than the default 30 s.
    with temporary_settings(quiet), prefect_test_harness(server_startup_timeout=150):
        yield


@pytest.fixture
def desk(
    sqlite_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, prefect_server: None
) -> Desk:
    # The flows read the app's database and files from the environment, like a worker does.
    monkeypatch.setenv("SAPAR_DATABASE_URL", sqlite_engine.url.render_as_string(False))
    monkeypatch.setenv("SAPAR_FILES_DIR", str(tmp_path / "files"))
    return Desk(sqlite_engine, tmp_path / "files")


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real delays are minutes; a test that wants retries asks for them."""
    quick_retries(monkeypatch, retries=0)


def quick_retries(monkeypatch: pytest.MonkeyPatch, retries: int) -> None:
    task = issuing_flows.issue_batch.with_options(retries=retries, retry_delay_seconds=0)
    monkeypatch.setattr(issuing_flows, "issue_batch", task)


def to_the_order(desk: Desk, name: str = "Айпери Өмүрбекова") -> int:
    """A student up to the rector's order: three papers queued for the flows."""
    student = a_student(full_name=name, specialty="Финансы жана кредит", group_name="ФК-3-23")
    case_id = desk.open(a_case(student, host_language="англис тили", language_level="B2"))
    desk.hand_in(case_id, *PAPERS)
    set_study_plan(
        desk.engine,
        case_id=case_id,
        actor=DEAN,
        lines=[PlanLine("Uluslararası Finans", 6, replaces="Эл аралык финансы")],
    )
    desk.step(case_id, "nominate", DEAN)
    desk.hand_in(case_id, D.invitation_letter, D.dean_nomination)  # signed, scanned
    desk.step(case_id, "receive_invitation", IRO)
    desk.step(case_id, "issue_order", IRO)
    return case_id


def outbox(engine: Engine, case_id: int) -> list[OutboxRow]:
    with UnitOfWork(engine, read_only=True) as uow:
        rows = list(
            uow.session.scalars(
                select(OutboxRow).where(OutboxRow.case_id == case_id).order_by(OutboxRow.id)
            )
        )
        uow.session.expunge_all()
        return rows


def generated(engine: Engine, case_id: int) -> list[tuple[int, str, str | None]]:
    with UnitOfWork(engine, read_only=True) as uow:
        rows = uow.session.scalars(
            select(DocumentRow)
            .where(DocumentRow.case_id == case_id, DocumentRow.origin == "generated")
            .order_by(DocumentRow.id)
        )
        return [(r.id, r.doc_type, r.number) for r in rows]


def numbers_taken(engine: Engine) -> dict[str, int]:
    with UnitOfWork(engine, read_only=True) as uow:
        return {r.series: r.last for r in uow.session.scalars(select(NumberSeriesRow))}


def test_a_transitions_documents_appear_through_the_flow_once_even_when_it_runs_twice(
    desk: Desk,
) -> None:
    case_id = to_the_order(desk)
    items = [i.id for i in outbox(desk.engine, case_id)]

    first = issue_documents(items)
    second = issue_documents(items)

    assert first == second
    docs = generated(desk.engine, case_id)
    assert [(kind, number) for _, kind, number in docs] == [
        ("dean_nomination", None),
        ("invitation_request", "1/ЭАБД"),
        ("mobility_order", "1/АМ"),
        ("referral_letter", "2/ЭАБД"),
    ]
    assert [i.status for i in outbox(desk.engine, case_id)] == ["done"] * 4


def crash_after_rendering(monkeypatch: pytest.MonkeyPatch, times: int) -> dict[str, int]:
    """The file is written, then the process 'dies' before the document row commits."""
    real_put = FileStore.put
    left = {"crashes": times}

    def put_then_crash(self: FileStore, content: bytes) -> str:
        digest = real_put(self, content)
        if left["crashes"]:
            left["crashes"] -= 1
            raise OSError("worker killed after rendering, before the commit")
        return digest

    monkeypatch.setattr(FileStore, "put", put_then_crash)
    return left


def test_a_crash_midway_is_retried_by_the_task_and_leaves_exactly_one_document(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = to_the_order(desk)
    quick_retries(monkeypatch, retries=1)
    crash_after_rendering(monkeypatch, times=1)

    sweep_outbox()

    docs = generated(desk.engine, case_id)
    # The batch goes on past the crashed item and its retry comes last: order may differ.
    assert sorted(kind for _, kind, _ in docs) == [
        "dean_nomination",
        "invitation_request",
        "mobility_order",
        "referral_letter",
    ]
    assert numbers_taken(desk.engine) == {"ЭАБД": 2, "АМ": 1}
    first = outbox(desk.engine, case_id)[0]
    assert (first.status, first.attempts) == ("done", 1), "the task's retry spent no attempt"


def test_a_failure_shows_in_prefect_and_on_the_outbox_and_the_next_sweep_issues_it_once(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = to_the_order(desk)
    quick_retries(monkeypatch, retries=0)
    crashes = crash_after_rendering(monkeypatch, times=99)

    state = sweep_outbox(return_state=True)

    assert state.is_failed()
    with pytest.raises(DocumentsFailed, match="4 of 4 outbox items failed"):
        state.result()
    items = outbox(desk.engine, case_id)
    assert [(i.status, i.attempts) for i in items] == [("failed", 1)] * 4
    assert all("worker killed after rendering" in (i.last_error or "") for i in items)
    assert generated(desk.engine, case_id) == [] and numbers_taken(desk.engine) == {}

    crashes["crashes"] = 0  # the disk is back
    sweep_outbox()
    assert [i.status for i in outbox(desk.engine, case_id)] == ["failed"] * 4, "not due yet"
    a_minute_passes(desk.engine)
    sweep_outbox()

    assert [n for _, _, n in generated(desk.engine, case_id)] == [
        None, "1/ЭАБД", "1/АМ", "2/ЭАБД"
    ]  # fmt: skip
    assert [i.status for i in outbox(desk.engine, case_id)] == ["done"] * 4


def a_minute_passes(engine: Engine) -> None:
    """The failed items' first retry falls due (sapar.services.outbox.retry_delay)."""
    with UnitOfWork(engine) as uow:
        for item in uow.session.scalars(select(OutboxRow).where(OutboxRow.status == "failed")):
            assert item.next_attempt_at is not None
            item.next_attempt_at -= timedelta(minutes=1)
        uow.commit()


def test_one_group_order_is_issued_for_many_cases_under_one_number(desk: Desk) -> None:
    cases = [to_the_order(desk, name) for name in ("Айпери Өмүрбекова", "Бекзат Турдубаев")]
    orders = [i.id for c in cases for i in outbox(desk.engine, c)]
    # Each case's items: nomination, invitation request, then the order and the referral letter.
    order_items = orders[2::4]

    document_id = issue_group_order(order_items)
    again = issue_group_order(order_items)

    assert document_id == again
    numbers = [generated(desk.engine, c)[-1] for c in cases]
    assert [(kind, number) for _, kind, number in numbers] == [
        ("mobility_order", "1/АМ"),
        ("mobility_order", "1/АМ"),
    ]


def test_the_retry_button_puts_only_a_failed_item_back_in_the_queue(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = to_the_order(desk)
    first = outbox(desk.engine, case_id)[0].id
    quick_retries(monkeypatch, retries=0)
    crash_after_rendering(monkeypatch, times=1)
    issue_documents([first], return_state=True)
    assert outbox(desk.engine, case_id)[0].status == "failed"

    retry_effect(desk.engine, first)

    assert outbox(desk.engine, case_id)[0].status == "pending"
    issue_documents([first])
    with pytest.raises(NothingToRetry, match="is done"):
        retry_effect(desk.engine, first)


def test_the_deadline_flow_marks_a_report_a_day_late_overdue(desk: Desk) -> None:
    case_id = desk.open(
        a_case(a_student(), start_date=date(2026, 6, 1), end_date=date(2026, 10, 22))
    )
    desk.hand_in(case_id, *PAPERS)
    desk.step(case_id, "nominate", DEAN)
    desk.hand_in(case_id, D.invitation_letter, D.dean_nomination)
    desk.step(case_id, "receive_invitation", IRO)
    desk.step(case_id, "issue_order", IRO)
    desk.hand_in(case_id, D.mobility_order)
    desk.step(case_id, "depart", IRO)
    desk.step(case_id, "return_home", IRO, actual_end_date=date(2026, 10, 22))

    report: dict[str, Any] = check_deadlines_flow(today=date(2026, 11, 23))

    assert len(report["marked_overdue"]) == 1
    with UnitOfWork(desk.engine, read_only=True) as uow:
        assert [d.status for d in uow.cases.deadlines(case_id)] == ["overdue"]
