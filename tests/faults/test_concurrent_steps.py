"""Fifty clerks at one case at once, over HTTP: one step applies, the others get a conflict
(409, in their language) that is written to the history — and nobody gets a 5xx."""

from __future__ import annotations

import threading
from collections import Counter

import httpx
import pytest
from sqlalchemy import select

from storage import audit
from storage.orm import AuditEventRow, DocumentRow
from storage.uow import UnitOfWork
from tests.faults.conftest import LiveOffice
from tests.integration.desk import a_pdf
from tests.integration.office import student_case

pytestmark = pytest.mark.postgres
CLIENTS = 50


def at_once(n: int, call: object) -> list[httpx.Response | Exception]:
    """Run `call(i)` in n threads released together; the responses (or errors) in order."""
    barrier = threading.Barrier(n)
    results: list[httpx.Response | Exception] = [RuntimeError("not run")] * n

    def run(i: int) -> None:
        barrier.wait(timeout=30)
        try:
            results[i] = call(i)  # type: ignore[operator]
        except Exception as exc:  # a refused connection or a timeout is a failure too
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def statuses(results: list[httpx.Response | Exception]) -> Counter[object]:
    return Counter(r.status_code if isinstance(r, httpx.Response) else repr(r) for r in results)


def test_fifty_concurrent_same_steps_apply_once_and_the_rest_are_conflicts(
    live_office: LiveOffice,
) -> None:
    office = live_office.office
    case_id = office.open("iro", student_case())
    with httpx.Client(base_url=live_office.url, timeout=60) as http:

        def withdraw(i: int) -> httpx.Response:
            return http.post(
                f"/api/cases/{case_id}/events",
                json={"event": "withdraw", "expected_version": 0, "reason": f"clerk {i}"},
                headers={**live_office.auth("iro"), "Accept-Language": "ru"},
            )

        results = at_once(CLIENTS, withdraw)
    assert statuses(results) == Counter({200: 1, 409: CLIENTS - 1}), statuses(results)
    conflict = next(r for r in results if isinstance(r, httpx.Response) and r.status_code == 409)
    assert "тем временем изменили" in conflict.json()["detail"]  # in the clerk's language
    with UnitOfWork(office.engine, read_only=True) as uow:
        events = uow.session.scalars(
            select(AuditEventRow).where(AuditEventRow.case_id == case_id)
        ).all()
        assert Counter((e.event, e.outcome) for e in events) == Counter(
            {("open", "applied"): 1, ("withdraw", "applied"): 1, ("withdraw", "refused"): 49}
        )
        assert audit.verify(uow.session, case_id).intact


def test_uploads_beside_steps_all_land_and_the_history_holds(live_office: LiveOffice) -> None:
    office = live_office.office
    case_id = office.open("iro", student_case())
    with httpx.Client(base_url=live_office.url, timeout=60) as http:

        def upload_or_step(i: int) -> httpx.Response:
            if i % 2:
                return http.post(
                    f"/api/cases/{case_id}/documents",
                    data={"doc_type": "transcript"},
                    files={"file": (f"t{i}.pdf", a_pdf(f"transcript {i}"), "application/pdf")},
                    headers=live_office.auth("iro"),
                )
            return http.post(
                f"/api/cases/{case_id}/events",
                json={"event": "withdraw", "expected_version": 0, "reason": f"clerk {i}"},
                headers=live_office.auth("iro"),
            )

        results = at_once(20, upload_or_step)
    count = statuses(results)
    assert count[201] == 10, count  # every upload is filed
    assert count[200] == 1 and count[409] == 9, count  # one step, nine conflicts
    assert sum(count.values()) == 20
    with UnitOfWork(office.engine, read_only=True) as uow:
        versions = sorted(
            uow.session.scalars(select(DocumentRow.version).where(DocumentRow.case_id == case_id))
        )
        assert versions == list(range(1, 11)), "each upload a version of its own"
        report = audit.verify(uow.session, case_id)
        assert report.intact and report.events == 1 + 10 + 10, report
