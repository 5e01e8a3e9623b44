"""Readiness before paper: a step whose papers could not be printed is refused before anything
changes, naming each missing field in the user's language; a paper that fails for a reason no
retry can fix is blocked, not retried, until the case changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, delete, func, select

from documents import DocumentKind
from documents.errors import TemplateProblem
from sapar.services import issuing, users
from sapar.services.issuing import request_document, sweep
from sapar.services.outbox import items_to_sweep, retry_effect
from sapar.services.readiness import NotReady
from sapar.services.study_plan import PlanLine, set_study_plan
from states.dossier import DocumentKind as D
from storage.orm import AuditEventRow, OfficialRow, OutboxRow
from storage.uow import UnitOfWork
from tests.builders import LONG_STAY_PAPERS, a_case, a_student
from tests.integration.desk import DEAN, Desk
from tests.integration.office import ECONOMICS, Office, student_case
from tests.integration.test_i18n_messages import english_sentences


@pytest.fixture
def desk(engine: Engine, tmp_path: Path) -> Desk:
    return Desk(engine, tmp_path / "files")


def outbox_of(engine: Engine, case_id: int) -> list[tuple[str, str]]:
    with UnitOfWork(engine, read_only=True) as uow:
        rows = uow.session.scalars(
            select(OutboxRow).where(OutboxRow.case_id == case_id).order_by(OutboxRow.id)
        )
        return [(r.payload["document"], r.status) for r in rows]


def test_a_nomination_without_the_students_group_is_refused_naming_it_and_changes_nothing(
    desk: Desk, engine: Engine
) -> None:
    case_id = desk.open(a_case(a_student(specialty=None, group_name=None)))
    desk.hand_in(case_id, *LONG_STAY_PAPERS)
    set_study_plan(engine, case_id=case_id, actor=DEAN, lines=[PlanLine("Finance", 6)])
    with pytest.raises(NotReady) as refused:
        desk.step(case_id, "nominate", DEAN)
    message = str(refused.value)
    assert "students[0].group" in message and "students[0].specialty" in message
    assert "4.8" in message
    with UnitOfWork(engine, read_only=True) as uow:
        case = uow.cases.get(case_id)
        refusals = uow.session.scalar(
            select(func.count()).where(
                AuditEventRow.case_id == case_id, AuditEventRow.outcome == "refused"
            )
        )
    assert case.state == "application" and case.version == 0
    assert outbox_of(engine, case_id) == [] and refusals == 1


def test_the_refusal_names_the_fields_in_the_users_language(office: Office) -> None:
    body = student_case(participant={"specialty": None, "group_name": None})
    case_id = office.open("dean_econ", body)
    office.hand_in("dean_econ", case_id, *LONG_STAY_PAPERS)
    dean = users.get_user(office.engine, username="dean_econ")
    users.set_language(office.engine, user_id=dean.id, language="ru")
    answer = office.fire("dean_econ", case_id, "nominate")
    assert answer.status_code == 422, answer.text
    assert "Группа" in answer.json()["detail"] and "не может быть выпущен" in answer.text


def test_a_broken_template_is_not_retried_until_the_case_changes(
    desk: Desk, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = desk.open(a_case(a_student(specialty="Финансы", group_name="ФК-22")))
    item = request_document(engine, case_id=case_id, kind=DocumentKind.questionnaire)

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise TemplateProblem("template ky/questionnaire.docx: unexpected '}'")

    monkeypatch.setattr(issuing, "render", broken)
    sweep(engine, desk.files)
    assert outbox_of(engine, case_id) == [("questionnaire", "failed")]
    later = datetime.now(UTC) + timedelta(days=1)
    assert item not in items_to_sweep(engine, now=later), "no sweep retries what cannot succeed"
    desk.hand_in(case_id, D.passport_copy)  # the case changed: it may succeed now
    assert outbox_of(engine, case_id) == [("questionnaire", "pending")]
    sweep(engine, desk.files)
    retry_effect(engine, item)  # or a person who fixed the template says so
    assert outbox_of(engine, case_id) == [("questionnaire", "pending")]


def test_asking_for_a_paper_without_its_signer_is_a_422_naming_the_post_never_a_500(
    office: Office,
) -> None:
    """POST …/documents/request runs the step's checks first: who signs the paper (4.1, 4.8),
    then whether the case fills it; each missing thing named in the caller's language."""
    case_id = office.open("dean_econ", student_case())
    with UnitOfWork(office.engine) as uow:  # the dean of Economics leaves, nobody replaces them
        uow.session.execute(
            delete(OfficialRow).where(OfficialRow.post == "dean", OfficialRow.unit == ECONOMICS)
        )
        uow.commit()
    asked = office.post("dean_econ", f"/api/cases/{case_id}/documents/request",
                        json={"kind": "study_plan"}, headers={"Accept-Language": "ru"})  # fmt: skip
    assert asked.status_code == 422, asked.text
    assert "декан" in asked.json()["detail"].lower() and ECONOMICS in asked.json()["detail"]
    assert asked.json()["errors"][0]["clause"] == "4.1, 4.8"
    assert english_sentences(asked.text) == []
    assert outbox_of(office.engine, case_id) == []


def test_asking_for_a_paper_the_case_cannot_fill_names_each_missing_field(office: Office) -> None:
    body = student_case(participant={"birth_date": None, "phone": None})
    case_id = office.open("dean_econ", body)
    url = f"/api/cases/{case_id}/documents/request"
    asked = office.post("dean_econ", url, json={"kind": "questionnaire"},
                        headers={"Accept-Language": "en"})  # fmt: skip
    assert asked.status_code == 422, asked.text
    assert "questionnaire" in asked.json()["detail"].lower(), asked.text
    assert "birth" in asked.json()["detail"].lower(), asked.text
    assert outbox_of(office.engine, case_id) == []
