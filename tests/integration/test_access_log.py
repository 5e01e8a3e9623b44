"""Refused reads go to a capped access log, not to the case's permanent history (11.6)."""

from __future__ import annotations

from sapar.services import access_log
from sapar.services.actors import Actor
from states.model import Role
from tests.integration.office import Office, student_case


def test_fifty_refused_reads_leave_the_history_alone_and_land_in_the_access_log(
    sqlite_office: Office,
) -> None:
    office = sqlite_office
    case_id = office.open("dean_econ", student_case())
    before = office.get("iro", f"/api/cases/{case_id}/history").json()
    for _ in range(50):
        assert office.get("dean_math", f"/api/cases/{case_id}").status_code == 403
    assert office.get("iro", f"/api/cases/{case_id}/history").json() == before
    lines = access_log.recent(office.engine, case_id=case_id, limit=100)
    assert len(lines) == 50
    assert {(line.actor, line.role, line.action) for line in lines} == {
        ("Эрмек Сатыбалдиев (dean_math)", "dean_office", "view")
    }
    assert "does not see it" in lines[0].reason


def test_the_access_log_keeps_only_its_newest_rows(sqlite_office: Office) -> None:
    office = sqlite_office
    case_id = office.open("dean_econ", student_case())
    someone = Actor("Someone", Role.dean_office)
    for i in range(12):
        access_log.record(
            office.engine, actor=someone, case_id=case_id, action="view", reason=f"#{i}", cap=5
        )
    assert [line.reason for line in access_log.recent(office.engine, case_id=case_id)] == [
        "#11",
        "#10",
        "#9",
        "#8",
        "#7",
    ]
