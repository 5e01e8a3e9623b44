"""Recognition: the host transcript converted course by course, mapped to the ЖОП, sent to
AVN; and the exam windows of distance-taught courses opened as deadlines."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from sapar.services.study_plan import (
    PlanLine,
    TranscriptLine,
    avn_csv,
    record_transcript,
    set_study_plan,
)
from states.dossier import DocumentKind as D
from states.grades import GradeError, Scale
from states.guards import RuleViolation
from storage.orm import RecognisedCourseRow
from storage.uow import UnitOfWork
from tests.builders import SHORT_STAY_PAPERS, a_case
from tests.integration.desk import DEAN, IRO, Desk

PAPERS = SHORT_STAY_PAPERS  # the ЖОП is handed in after it is entered


@pytest.fixture
def desk(engine: Engine, tmp_path: Path) -> Desk:
    return Desk(engine, tmp_path / "files")


def abroad_with_a_plan(desk: Desk) -> int:
    case_id = desk.open(a_case(start_date=date(2025, 9, 1), end_date=date(2026, 1, 31)))
    desk.hand_in(case_id, *PAPERS)
    set_study_plan(desk.engine, case_id=case_id, actor=DEAN, lines=[
        PlanLine("Corporate Finance", 6, replaces="Корпоративдик финансы"),
        PlanLine("German A2", 3),
        PlanLine("Эконометрика", 4, mode="distance", teacher="Т. Жумабаев", term="fall"),
    ])  # fmt: skip
    desk.hand_in(case_id, D.study_plan)
    desk.step(case_id, "nominate", DEAN)
    desk.hand_in(case_id, D.invitation_letter, D.dean_nomination)
    desk.step(case_id, "receive_invitation", IRO)
    desk.step(case_id, "issue_order", IRO)
    desk.hand_in(case_id, D.mobility_order)
    desk.step(case_id, "depart", IRO)
    return case_id


def test_departure_opens_the_exam_window_of_fall_distance_courses(
    desk: Desk, engine: Engine
) -> None:
    case_id = abroad_with_a_plan(desk)
    with UnitOfWork(engine) as uow:
        deadlines = [(d.kind, d.due_date) for d in uow.cases.deadlines(case_id)]
    # 4.8 ФД duties: fall courses are examined within the first month of the spring semester.
    assert deadlines == [("distance_exams_fall", date(2026, 2, 28))]


def test_the_transcript_is_converted_and_mapped_to_the_home_courses_of_the_plan(
    desk: Desk, engine: Engine
) -> None:
    case_id = abroad_with_a_plan(desk)
    failed = record_transcript(engine, case_id=case_id, actor=DEAN, lines=[
        TranscriptLine("Corporate Finance", 6, "4", Scale.five_point),
        TranscriptLine("German A2", 3, "B", Scale.ects),
        TranscriptLine("Marketing", 5, "F", Scale.ects),
    ])  # fmt: skip
    assert failed == 5
    with UnitOfWork(engine) as uow:
        rows = list(uow.session.scalars(select(RecognisedCourseRow).order_by(
            RecognisedCourseRow.id)))  # fmt: skip
        lines = list(csv.DictReader(io.StringIO(avn_csv(uow.session, [case_id]).decode(
            "utf-8-sig"))))  # fmt: skip
    assert [(r.host_grade, r.score, r.home_letter, r.home_course) for r in rows] == [
        ("4", 80, "B", "Корпоративдик финансы"),
        ("B", 83, "B", None),
        ("F", 15, "F", None),
    ]
    assert [line["home_course"] for line in lines] == [
        "Корпоративдик финансы",
        "Университеттик компонент / элективдүү курс",
    ], "the failed course is not sent to AVN; the unplanned one counts as an elective"


def test_a_grade_off_the_hosts_scale_is_refused_and_nothing_is_recorded(
    desk: Desk, engine: Engine
) -> None:
    case_id = abroad_with_a_plan(desk)
    with pytest.raises(GradeError, match="'7'"):
        record_transcript(engine, case_id=case_id, actor=DEAN, lines=[
            TranscriptLine("German A2", 3, "B", Scale.ects),
            TranscriptLine("Corporate Finance", 6, "7", Scale.five_point),
        ])  # fmt: skip
    with UnitOfWork(engine) as uow:
        assert uow.session.scalars(select(RecognisedCourseRow)).all() == []


def test_the_dean_records_the_distance_exams_and_the_window_closes_the_case_stays_abroad(
    desk: Desk, engine: Engine
) -> None:
    case_id = abroad_with_a_plan(desk)
    with pytest.raises(RuleViolation, match=r"fall or spring — 4\.8, ФД duties"):
        desk.step(case_id, "record_distance_exams", DEAN)
    result = desk.step(case_id, "record_distance_exams", DEAN, term="fall")
    assert (result.from_state, result.to_state) == ("abroad", "abroad")
    with UnitOfWork(engine) as uow:
        assert [(d.kind, d.status) for d in uow.cases.deadlines(case_id)] == [
            ("distance_exams_fall", "met")
        ]
