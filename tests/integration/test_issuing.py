"""A case driven through its steps yields its official papers, each exactly once."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import docx
import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy import event as sa_event

from documents import DocumentKind
from sapar import clock
from sapar.config import Settings
from sapar.services.deadlines import check_deadlines
from sapar.services.issuing import (
    execute_effect,
    execute_group_order,
    request_document,
    sweep,
)
from sapar.services.outbox import items_to_sweep
from sapar.services.study_plan import PlanLine, TranscriptLine, record_transcript, set_study_plan
from states.dossier import DocumentKind as D
from states.grades import Scale
from states.model import Participant
from storage import audit
from storage.orm import AuditEventRow, DocumentRow, OutboxRow, ParticipantRow
from storage.uow import UnitOfWork
from tests.builders import LONG_STAY_PAPERS, a_case, a_guest, a_staff_member, a_student
from tests.integration.desk import DEAN, HEAD, IRO, VICE_RECTOR, Desk


def aiperi() -> Participant:
    return a_student(
        full_name="Айпери Өмүрбекова",
        specialty="Финансы жана кредит",
        group_name="ФК-3-23",
        email="aiperi@example.kg",
    )


PAPERS = LONG_STAY_PAPERS


@pytest.fixture
def desk(engine: Engine, tmp_path: Path) -> Desk:
    return Desk(engine, tmp_path / "files")


def issued(engine: Engine, case_id: int) -> list[DocumentRow]:
    with UnitOfWork(engine, read_only=True) as uow:
        rows = list(
            uow.session.scalars(
                select(DocumentRow)
                .where(DocumentRow.case_id == case_id, DocumentRow.origin == "generated")
                .order_by(DocumentRow.id)
            )
        )
        uow.session.expunge_all()
        return rows


def text_of(desk: Desk, row: DocumentRow) -> str:
    document = docx.Document(io.BytesIO(desk.files.get(row.sha256)))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def to_the_order(desk: Desk) -> int:
    case_id = invited(desk)
    desk.step(case_id, "issue_order", IRO)
    return case_id


def invited(desk: Desk) -> int:
    """A long stay with its nomination issued and the host's invitation received."""
    case_id = desk.open(a_case(aiperi(), host_language="англис тили", language_level="B2"))
    desk.hand_in(case_id, *PAPERS)
    set_study_plan(
        desk.engine,
        case_id=case_id,
        actor=DEAN,
        lines=[
            PlanLine("Uluslararası Finans", 6, replaces="Эл аралык финансы"),
            PlanLine("Bankacılık", 5, replaces="Банк иши"),
            PlanLine("Эконометрика", 4, mode="distance", teacher="Т. Жумабаев", term="spring"),
        ],
    )
    desk.step(case_id, "nominate", DEAN)
    sweep(desk.engine, desk.files)  # the flow issues the nomination (annex 1)
    desk.hand_in(case_id, D.invitation_letter)
    desk.step(case_id, "receive_invitation", IRO)
    return case_id


def test_the_order_is_issued_with_a_number_and_the_students_name(
    desk: Desk, engine: Engine
) -> None:
    case_id = to_the_order(desk)
    sweep(engine, desk.files)
    kinds = [(r.doc_type, r.number) for r in issued(engine, case_id)]
    assert kinds == [
        ("dean_nomination", None),
        ("invitation_request", "1/ЭАБД"),
        ("mobility_order", "1/АМ"),
        ("referral_letter", "2/ЭАБД"),
    ]
    order = issued(engine, case_id)[2]
    text = text_of(desk, order)
    assert "Айпери Өмүрбекова" in text and "1/АМ" in text and "ФК-3-23" in text
    nomination = text_of(desk, issued(engine, case_id)[0])
    assert "Uluslararası Finans" in nomination


def test_running_the_work_twice_issues_nothing_twice(desk: Desk, engine: Engine) -> None:
    case_id = to_the_order(desk)
    sweep(engine, desk.files)
    first = [(r.id, r.number, r.sha256) for r in issued(engine, case_id)]
    sweep(engine, desk.files)
    with UnitOfWork(engine, read_only=True) as uow:
        items = list(uow.session.scalars(select(OutboxRow.id).where(OutboxRow.case_id == case_id)))
    for outbox_id in items:
        execute_effect(engine, desk.files, outbox_id)
    assert [(r.id, r.number, r.sha256) for r in issued(engine, case_id)] == first


def test_a_crash_midway_leaves_no_number_and_no_document_and_the_rerun_issues_one(
    desk: Desk, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = to_the_order(desk)
    from storage import audit

    real_append = audit.append_many

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the machine lost power")

    monkeypatch.setattr(audit, "append_many", crash)  # after the number and the row
    sweep(engine, desk.files)
    assert [r.doc_type for r in issued(engine, case_id)] == [
        "dean_nomination",
        "invitation_request",
    ], "no order (nor referral letter): each transaction was rolled back whole"
    with UnitOfWork(engine) as uow:
        order = uow.session.scalars(
            select(OutboxRow).where(OutboxRow.payload["document"].as_string() == "mobility_order")
        ).one()
        assert order.status == "failed" and order.attempts == 1
        assert "the machine lost power" in (order.last_error or "")
    monkeypatch.setattr(audit, "append_many", real_append)
    assert items_to_sweep(engine) == [], "a failed item waits for its retry time"
    later = clock.now() + timedelta(minutes=1, seconds=1)
    # ...then it is picked up again, with the referral letter that crashed beside it
    assert items_to_sweep(engine, now=later) == [order.id, order.id + 1]
    sweep(engine, desk.files, now=later)
    numbers = [r.number for r in issued(engine, case_id)]
    assert numbers == [None, "1/ЭАБД", "1/АМ", "2/ЭАБД"], "the lost numbers were not burnt"


def test_a_paper_whose_data_went_missing_after_its_step_fails_for_good_naming_the_field(
    desk: Desk, engine: Engine
) -> None:
    case_id = desk.open(a_case(a_student(specialty="Финансы", group_name="ФК-22")))
    desk.hand_in(case_id, *PAPERS)
    set_study_plan(engine, case_id=case_id, actor=DEAN, lines=[PlanLine("Finance", 6)])
    desk.step(case_id, "nominate", DEAN)
    with UnitOfWork(engine) as uow:  # the group is struck from the record before the sweep
        person = uow.session.scalars(select(ParticipantRow)).one()
        person.group_name = None
        uow.commit()
    sweep(engine, desk.files)
    with UnitOfWork(engine) as uow:
        item = uow.session.scalars(select(OutboxRow).where(OutboxRow.case_id == case_id)).first()
        assert item is not None and item.status == "failed"
        assert "group" in (item.last_error or "")
        assert item.next_attempt_at is None, "no retry can fix missing data: none is scheduled"


def test_a_whole_journey_yields_each_paper_of_a_long_stay(desk: Desk, engine: Engine) -> None:
    case_id = to_the_order(desk)
    sweep(engine, desk.files)  # the order issued: the return order cites its number and date
    desk.hand_in(case_id, D.mobility_order)
    desk.step(case_id, "depart", IRO)
    desk.step(case_id, "return_home", IRO, actual_end_date=date(2026, 6, 30))
    desk.hand_in(case_id, D.host_transcript, D.certificate)
    desk.step(case_id, "start_recognition", DEAN)
    failed = record_transcript(
        engine,
        case_id=case_id,
        actor=DEAN,
        lines=[
            TranscriptLine("Uluslararası Finans", 6, "B", Scale.ects, "Эл аралык финансы"),
            TranscriptLine("Bankacılık", 5, "FX", Scale.ects, "Банк иши"),
        ],
    )
    assert failed == 5
    desk.step(case_id, "decide_recognition", DEAN, failed_credits=int(failed))
    for kind in (DocumentKind.trip_report_form,):
        request_document(engine, case_id=case_id, kind=kind)
    sweep(engine, desk.files)
    with UnitOfWork(engine) as uow:
        errors = uow.session.scalars(
            select(OutboxRow.last_error).where(OutboxRow.status != "done")
        ).all()
    assert errors == []
    kinds = [r.doc_type for r in issued(engine, case_id)]
    assert kinds[:6] == [
        "dean_nomination",
        "invitation_request",
        "mobility_order",
        "referral_letter",
        "return_order",
        "recognition_decision",
    ]
    decision = text_of(desk, issued(engine, case_id)[5])
    assert "Uluslararası Finans" in decision and "Bankacılık" in decision
    with UnitOfWork(engine) as uow:
        assert (
            uow.session.scalar(
                select(func.count()).select_from(OutboxRow).where(OutboxRow.status != "done")
            )
            == 0
        )


def issued_kinds(engine: Engine, case_id: int) -> list[str]:
    return [r.doc_type for r in issued(engine, case_id)]


def test_a_staff_trip_yields_its_business_trip_order(desk: Desk, engine: Engine) -> None:
    staff = a_staff_member(full_name="Нурбек Асанов", position="доцент")
    case_id = desk.open(a_case(staff, purpose="Эл аралык конференцияда баяндама",
                               substitute="ага окутуучу А. Токтогулов"))  # fmt: skip
    desk.hand_in(case_id, D.application, D.invitation_letter, D.substitution_note)
    for event, actor in (("approve_by_head", HEAD), ("approve_by_dean", DEAN),
                         ("approve_by_vice_rector", VICE_RECTOR), ("receive_invitation", IRO),
                         ("issue_order", IRO)):  # fmt: skip
        desk.step(case_id, event, actor)
    sweep(engine, desk.files)
    [order] = issued(engine, case_id)
    assert (order.doc_type, order.number) == ("staff_trip_order", "1/ИС")
    assert "ага окутуучу А. Токтогулов" in text_of(desk, order)


def test_a_guest_yields_oshsus_invitation_and_the_enrolment_order(
    desk: Desk, engine: Engine
) -> None:
    guest = a_guest(specialty="Computer Engineering", year=3, group_name="КИ-3-23")
    case_id = desk.open(a_case(guest, faculty="Математика жана информатика факультети",
                               host_institution="ОшМУ", host_country="Кыргызстан",
                               purpose="Бир семестр окуу"))  # fmt: skip
    desk.hand_in(case_id, D.partner_nomination)
    desk.step(case_id, "accept", IRO)
    desk.step(case_id, "enrol", IRO)
    sweep(engine, desk.files)
    assert issued_kinds(engine, case_id) == ["incoming_invitation", "enrolment_order"]
    assert "Mehmet Yılmaz" in text_of(desk, issued(engine, case_id)[1])


def test_the_students_forms_are_issued_on_request_from_the_case_file(
    desk: Desk, engine: Engine
) -> None:
    student = replace(
        aiperi(), citizenship="Кыргыз Республикасы", phone="+996 700 11 22 33",
        birth_date=date(2005, 3, 14), passport_number="ID1234567",
        address="Ош ш., Ленин көч., 12", parent_full_name="Гүлмира Өмүрбекова",
        parent_relation="апасы", parent_passport="ID7654321",
        parent_address="Ош ш., Ленин көч., 12", parent_phone="+996 555 12 34 56",
    )  # fmt: skip
    case_id = desk.open(a_case(student, host_language="англис", language_level="B2"))
    set_study_plan(engine, case_id=case_id, actor=DEAN, lines=[PlanLine("Finance", 6)])
    forms = (DocumentKind.study_plan, DocumentKind.questionnaire,
             DocumentKind.parents_consent, DocumentKind.trip_report_form)  # fmt: skip
    for kind in forms:
        request_document(engine, case_id=case_id, kind=kind)
    sweep(engine, desk.files)
    with UnitOfWork(engine) as uow:
        errors = uow.session.scalars(select(OutboxRow.last_error).where(
            OutboxRow.status != "done")).all()  # fmt: skip
    assert errors == []
    assert issued_kinds(engine, case_id) == [k.value for k in forms]
    assert "Гүлмира Өмүрбекова" in text_of(desk, issued(engine, case_id)[2])


def test_a_missed_report_gets_one_official_notice(desk: Desk, engine: Engine) -> None:
    case_id = to_the_order(desk)
    sweep(engine, desk.files)  # the order issued: the return order cites its number and date
    desk.hand_in(case_id, D.mobility_order)
    desk.step(case_id, "depart", IRO)
    desk.step(case_id, "return_home", IRO, actual_end_date=date(2026, 6, 30))
    settings = Settings(smtp_host=None)
    for _ in range(2):  # the check runs twice on the day after the due date
        check_deadlines(engine, today=date(2026, 7, 31), settings=settings)
    sweep(engine, desk.files)
    notices = [r for r in issued(engine, case_id) if r.doc_type == "missed_deadline_notice"]
    assert [n.number for n in notices] == ["1/ЭК"]
    text = text_of(desk, notices[0])
    assert "Айпери Өмүрбекова" in text and "бир айдын ичинде" in text


def test_a_short_stays_nomination_has_no_study_plan_annex(desk: Desk, engine: Engine) -> None:
    case_id = desk.open(a_case(aiperi(), start_date=date(2026, 7, 1), end_date=date(2026, 7, 21),
                               host_language="немис тили", language_level="B1"))  # fmt: skip
    desk.hand_in(case_id, *LONG_STAY_PAPERS[:-1])
    desk.step(case_id, "nominate", DEAN)
    sweep(engine, desk.files)
    nomination = issued(engine, case_id)[0]
    assert nomination.doc_type == "dean_nomination"
    assert "ЖЕКЕЧЕ ОКУУ ПЛАН" not in text_of(desk, nomination)


def pending_orders(engine: Engine, case_ids: list[int]) -> list[int]:
    with UnitOfWork(engine, read_only=True) as uow:
        query = select(OutboxRow.id).where(
            OutboxRow.case_id.in_(case_ids),
            OutboxRow.status == "pending",
            # the order step also queues each student's referral letter: not the group order
            OutboxRow.payload["document"].as_string() == "mobility_order",
        )
        return list(uow.session.scalars(query.order_by(OutboxRow.id)))


def statements_of(engine: Engine, work: Callable[[], object]) -> int:
    sent: list[str] = []

    def count(*args: object) -> None:
        sent.append(str(args[2]))

    sa_event.listen(engine, "before_cursor_execute", count)
    try:
        work()
    finally:
        sa_event.remove(engine, "before_cursor_execute", count)
    return len(sent)


def test_a_group_order_writes_its_students_papers_and_history_in_batches(
    desk: Desk, engine: Engine
) -> None:
    """One order for many students costs the same statements for 2 or 5 of them: their
    document rows, outbox marks, history events and chain heads are written together."""
    small, large = [invited(desk) for _ in range(2)], [invited(desk) for _ in range(5)]
    for case_id in small + large:
        desk.step(case_id, "issue_order", IRO)
    cost = [
        statements_of(engine, lambda ids=ids: execute_group_order(  # type: ignore[misc]
            engine, desk.files, pending_orders(engine, ids)))
        for ids in (small, large)
    ]  # fmt: skip
    assert cost[0] == cost[1], cost
    orders = {(r.doc_type, r.number) for c in large for r in issued(engine, c)[-1:]}
    assert orders == {("mobility_order", "2/АМ")}
    with UnitOfWork(engine, read_only=True) as uow:
        for case_id in small + large:
            assert audit.verify(uow.session, case_id).intact
            assert uow.session.scalars(
                select(AuditEventRow.event).where(AuditEventRow.case_id == case_id)
                .order_by(AuditEventRow.seq.desc()).limit(1)
            ).one() == "issue_document"  # fmt: skip
