"""Each case kind, driven from its first state to closed, as the regulation tells it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from sapar.services.issuing import sweep
from sapar.services.study_plan import TranscriptLine, record_transcript
from states.dossier import DocumentKind as D
from states.grades import RecognitionOutcome, Scale
from states.model import FundingSource
from storage import audit
from storage.orm import DocumentRow, OutboxRow
from storage.uow import UnitOfWork
from tests.builders import (
    LONG_STAY_PAPERS,
    SHORT_STAY_PAPERS,
    a_case,
    a_guest,
    a_staff_member,
    a_student,
)
from tests.integration.desk import DEAN, HEAD, IRO, PROJECT_LEAD, VICE_RECTOR, Desk


@pytest.fixture
def desk(engine: Engine, tmp_path: Path) -> Desk:
    return Desk(engine, tmp_path / "files")


def history(engine: Engine, case_id: int) -> list[tuple[str, str, str | None]]:
    with UnitOfWork(engine, read_only=True) as uow:
        from storage.orm import AuditEventRow

        rows = uow.session.scalars(
            select(AuditEventRow)
            .where(AuditEventRow.case_id == case_id)
            .order_by(AuditEventRow.seq)
        )
        return [(r.event, r.outcome, r.to_state) for r in rows]


def documents_queued(engine: Engine, case_id: int) -> list[str]:
    with UnitOfWork(engine, read_only=True) as uow:
        rows = uow.session.scalars(
            select(OutboxRow).where(OutboxRow.case_id == case_id).order_by(OutboxRow.id)
        )
        return [r.payload["document"] for r in rows]


def deadlines(engine: Engine, case_id: int) -> list[tuple[str, date, str]]:
    with UnitOfWork(engine, read_only=True) as uow:
        return [(d.kind, d.due_date, d.status) for d in uow.cases.deadlines(case_id)]


def test_a_student_semester_abroad_goes_from_application_to_recognition(
    desk: Desk, engine: Engine
) -> None:
    case_id = desk.open(
        a_case(a_student(), start_date=date(2026, 2, 2), end_date=date(2026, 6, 30))
    )
    # 4.2: the application with its papers, the ЖОП included for a long stay (1.3.6).
    desk.hand_in(case_id, *LONG_STAY_PAPERS)
    # ФД duties: the dean nominates (annex 1); ЭАБД then writes to the host.
    desk.step(case_id, "nominate", DEAN)
    # 4.3: the host's official invitation is the basis of the mobility.
    sweep(engine, desk.files)  # the nomination and the letter, issued
    desk.hand_in(case_id, D.invitation_letter)
    desk.step(case_id, "receive_invitation", IRO)
    # 1.4: the rector's order, on the invitation and the ЖОП; only then may the student leave.
    desk.step(case_id, "issue_order", IRO)
    sweep(engine, desk.files)  # the order issued: the return order cites its number and date
    desk.hand_in(case_id, D.mobility_order)
    desk.step(case_id, "depart", IRO)
    # Return: the return order, and a month to bring the results (Student duties).
    desk.step(case_id, "return_home", IRO, actual_end_date=date(2026, 6, 30))
    assert ("student_report", date(2026, 7, 30), "open") in deadlines(engine, case_id)
    desk.hand_in(case_id, D.host_transcript, D.certificate, actor=DEAN)
    record_transcript(engine, case_id=case_id, actor=DEAN, lines=[
        TranscriptLine("International Finance", 6, "B", Scale.ects),
        TranscriptLine("Academic Writing", 4, "F", Scale.ects),
    ])  # fmt: skip
    desk.step(case_id, "start_recognition", DEAN)
    assert ("student_report", date(2026, 7, 30), "met") in deadlines(engine, case_id)
    # 4.8 ФД duties: 16 failed credits would mean expulsion; 4 mean a paid summer retake.
    result = desk.step(case_id, "decide_recognition", DEAN, failed_credits=4)

    assert result.to_state == "closed"
    with UnitOfWork(engine) as uow:
        closed = uow.cases.get(case_id)
        assert closed.outcome is RecognitionOutcome.summer_retake
        assert closed.failed_credits == 4
        assert audit.verify(uow.session, case_id).intact
    assert documents_queued(engine, case_id) == [
        "dean_nomination",
        "invitation_request",
        "mobility_order",
        "referral_letter",
        "return_order",
        "recognition_decision",
    ]
    steps = [e for e, outcome, _ in history(engine, case_id)
             if e not in ("attach_document", "issue_document", "record_transcript")]  # fmt: skip
    assert steps == [
        "open",
        "nominate",
        "receive_invitation",
        "issue_order",
        "depart",
        "return_home",
        "start_recognition",
        "decide_recognition",
    ]


def test_a_short_summer_school_needs_no_study_plan_and_returns_with_a_reference_letter(
    desk: Desk, engine: Engine
) -> None:
    case_id = desk.open(
        a_case(
            a_student(year=1, semester=2),
            start_date=date(2026, 7, 1),
            end_date=date(2026, 7, 21),
            programme="DAAD",
        )
    )
    desk.hand_in(case_id, *SHORT_STAY_PAPERS)
    desk.step(case_id, "nominate", DEAN)
    sweep(engine, desk.files)
    desk.hand_in(case_id, D.invitation_letter)
    desk.step(case_id, "receive_invitation", IRO)
    desk.step(case_id, "issue_order", IRO)
    sweep(engine, desk.files)  # the order issued: the return order cites its number and date
    desk.hand_in(case_id, D.mobility_order)
    desk.step(case_id, "depart", IRO)
    desk.step(case_id, "return_home", IRO, actual_end_date=date(2026, 7, 21))
    desk.hand_in(case_id, D.reference_letter, D.certificate)
    desk.step(case_id, "start_recognition", DEAN)
    result = desk.step(case_id, "decide_recognition", DEAN)
    assert result.to_state == "closed"
    with UnitOfWork(engine) as uow:
        assert uow.cases.get(case_id).outcome is RecognitionOutcome.all_credited


def test_a_project_funded_staff_trip_is_approved_in_order_and_reported(
    desk: Desk, engine: Engine
) -> None:
    case_id = desk.open(
        a_case(
            a_staff_member(),
            start_date=date(2026, 10, 5),
            end_date=date(2026, 10, 16),
            purpose="conference",
            funding_source=FundingSource.research_project,
            project="КР БИМ гранты «Тоо суулары», №45",
        )
    )
    desk.hand_in(case_id, D.application, D.invitation_letter, D.substitution_note)
    desk.step(case_id, "approve_by_head", HEAD)
    desk.step(case_id, "approve_by_dean", DEAN)
    desk.step(case_id, "approve_by_project_lead", PROJECT_LEAD)
    desk.step(case_id, "approve_by_vice_rector", VICE_RECTOR)
    desk.step(case_id, "receive_invitation", IRO)
    desk.step(case_id, "issue_order", IRO)
    desk.hand_in(case_id, D.staff_trip_order)
    desk.step(case_id, "depart", IRO)
    desk.step(case_id, "return_home", IRO, actual_end_date=date(2026, 10, 16))
    assert deadlines(engine, case_id) == [], "no expense report: the university did not pay"
    desk.hand_in(case_id, D.presentation_minutes, D.staff_report)
    desk.step(case_id, "file_report", IRO)
    assert desk.step(case_id, "close", IRO).to_state == "closed"
    assert documents_queued(engine, case_id) == ["staff_trip_order", "staff_report_form"]


def test_a_university_funded_staff_trip_owes_an_expense_report_in_5_working_days(
    desk: Desk, engine: Engine
) -> None:
    case_id = desk.open(
        a_case(
            a_staff_member(),
            start_date=date(2026, 8, 17),
            end_date=date(2026, 8, 26),
            purpose="internship",
            funding_source=FundingSource.university,
        )
    )
    desk.hand_in(case_id, D.application, D.invitation_letter, D.substitution_note)
    for event, actor in [
        ("approve_by_head", HEAD),
        ("approve_by_dean", DEAN),
        ("approve_by_vice_rector", VICE_RECTOR),
        ("receive_invitation", IRO),
        ("issue_order", IRO),
    ]:
        desk.step(case_id, event, actor)
    desk.hand_in(case_id, D.staff_trip_order)
    desk.step(case_id, "depart", IRO)
    # Back on Wednesday Aug 26; Aug 31 is Independence Day: 27, 28, Sep 1, 2, 3.
    desk.step(case_id, "return_home", IRO, actual_end_date=date(2026, 8, 26))
    assert deadlines(engine, case_id) == [("expense_report", date(2026, 9, 3), "open")]
    desk.hand_in(case_id, D.expense_report, D.presentation_minutes, D.staff_report)
    desk.step(case_id, "file_report", IRO)
    assert deadlines(engine, case_id) == [("expense_report", date(2026, 9, 3), "met")]
    assert desk.step(case_id, "close", IRO).to_state == "closed"


@pytest.mark.parametrize("guest_kind", ["incoming_student", "incoming_staff"])
def test_an_incoming_guest_is_accepted_enrolled_hosted_and_given_a_transcript(
    desk: Desk, engine: Engine, guest_kind: str
) -> None:
    case_id = desk.open(
        a_case(
            a_guest(),
            kind=guest_kind,
            host_institution="ОшМУ",
            host_country="Кыргызстан",
            host_city="Ош",
        )
    )
    desk.hand_in(case_id, D.partner_nomination)
    desk.step(case_id, "accept", IRO)
    desk.step(case_id, "enrol", IRO)
    desk.hand_in(case_id, D.enrolment_order)
    desk.step(case_id, "arrive", IRO)
    if guest_kind == "incoming_student":  # the faculty's grades, which the transcript prints
        record_transcript(engine, case_id=case_id, actor=DEAN,
                          lines=[TranscriptLine("Algorithms", 6, "91", Scale.hundred)])  # fmt: skip
    desk.step(case_id, "issue_transcript", DEAN)
    assert desk.step(case_id, "close", IRO).to_state == "closed"
    assert documents_queued(engine, case_id) == [
        "incoming_invitation", "enrolment_order", "issued_transcript",
    ]  # fmt: skip


def test_a_student_who_registers_and_then_refuses_is_withdrawn(desk: Desk) -> None:
    case_id = desk.open(a_case())
    assert desk.step(case_id, "withdraw", IRO, reason="changed her mind").to_state == "withdrawn"


def test_a_nominated_student_without_an_invitation_is_cancelled_with_a_reason(desk: Desk) -> None:
    case_id = desk.open(a_case(a_student()))
    desk.hand_in(case_id, *LONG_STAY_PAPERS)
    desk.step(case_id, "nominate", DEAN)
    result = desk.step(case_id, "cancel", IRO, reason="no invitation came from the host")
    assert result.to_state == "cancelled"


def test_a_step_names_the_documents_it_queued(desk: Desk, engine: Engine) -> None:
    case_id = desk.open(a_case())
    desk.hand_in(case_id, *LONG_STAY_PAPERS)
    result = desk.step(case_id, "nominate", DEAN)
    with UnitOfWork(engine) as uow:
        queued = list(uow.session.scalars(select(OutboxRow.id).where(OutboxRow.case_id == case_id)))
    assert result.outbox_ids == queued and len(queued) == 2


def test_a_paper_handed_in_again_is_a_new_version_and_the_old_one_stays(
    desk: Desk, engine: Engine
) -> None:
    case_id = desk.open(a_case())
    desk.hand_in(case_id, D.invitation_letter, D.invitation_letter)
    with UnitOfWork(engine) as uow:
        versions = uow.session.scalars(
            select(DocumentRow.version).where(DocumentRow.case_id == case_id)
        ).all()
    assert sorted(versions) == [1, 2]
