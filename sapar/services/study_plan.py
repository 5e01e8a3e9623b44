"""The individual study plan (ЖОП, annex 2) and the host transcript, entered course by course.

The plan is versioned: a change by application to the dean (REGULATION, "Abroad") adds a
new version and keeps the old lines. Transcript lines keep the host's raw grade next to the
converted one (3.6).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from states.explained import Explained
from states.grades import GradeTables, Scale, home_grade, to_hundred
from states.periods import academic_year_of
from storage import audit
from storage.orm import AuditOutcome, PlanCourseRow, RecognisedCourseRow
from storage.repository import CaseRepository
from storage.uow import UnitOfWork

from . import exports
from .actors import Actor


@dataclass(frozen=True)
class PlanLine:
    title: str
    credits: float
    mode: str = "host"  # host | distance
    replaces: str | None = None
    teacher: str | None = None
    term: str | None = None


@dataclass(frozen=True)
class TranscriptLine:
    host_course: str
    credits: float
    host_grade: str
    host_scale: Scale
    home_course: str | None = None  # None: credited as university component / elective
    refusal_reason: str | None = None  # the faculty may refuse a grade, with reasons (3.6)


def current_plan(session: Session, case_id: int) -> list[PlanCourseRow]:
    """The lines of the ЖОП's latest version."""
    version = session.scalar(
        select(func.max(PlanCourseRow.plan_version)).where(PlanCourseRow.case_id == case_id)
    )
    return list(
        session.scalars(
            select(PlanCourseRow)
            .where(PlanCourseRow.case_id == case_id, PlanCourseRow.plan_version == version)
            .order_by(PlanCourseRow.id)
        )
    )


class StudyPlanRefused(Explained, ValueError):
    pass


def distance_terms(session: Session, case_id: int) -> frozenset[str]:
    return frozenset(
        r.term for r in current_plan(session, case_id) if r.mode == "distance" and r.term
    )


def set_study_plan(engine: Engine, *, case_id: int, lines: list[PlanLine], actor: Actor) -> int:
    """Record a new version of the case's ЖОП; returns the version number."""
    if not any(line.mode == "host" for line in lines):
        raise StudyPlanRefused(
            "study plan: at least one host course is required (1.3.6)", "plan_without_host_course"
        )
    with UnitOfWork(engine) as uow:
        audit.lock_head(uow.session, case_id)  # writers of a case's history queue here
        case = uow.cases.get(case_id)
        current = uow.session.scalar(
            select(func.max(PlanCourseRow.plan_version)).where(PlanCourseRow.case_id == case_id)
        )
        version = (current or 0) + 1
        for line in lines:
            uow.session.add(PlanCourseRow(case_id=case_id, plan_version=version, **vars(line)))
        audit.append(
            uow.session,
            case_id=case_id,
            actor=actor.name,
            role=actor.role.value,
            event="set_study_plan",
            outcome=AuditOutcome.applied,
            from_state=case.state,
            to_state=case.state,
            data={"version": version, "courses": len(lines)},
        )
        uow.commit()
        return version


def record_transcript(
    engine: Engine,
    *,
    case_id: int,
    lines: list[TranscriptLine],
    actor: Actor,
    tables: GradeTables | None = None,
) -> float:
    """Convert and record the host transcript; returns the failed credits (4.8, ФД duties)."""
    kwargs = {"tables": tables} if tables else {}
    failed = 0.0
    with UnitOfWork(engine) as uow:
        audit.lock_head(uow.session, case_id)  # writers of a case's history queue here
        case = uow.cases.get(case_id)
        # A host course the ЖОП planned replaces the home course the ЖОП names (3.4).
        planned = {r.title: r.replaces for r in current_plan(uow.session, case_id)}
        for line in lines:
            score = to_hundred(line.host_grade, line.host_scale, **kwargs)
            grade = home_grade(score, **kwargs)
            credited = grade.passed and not line.refusal_reason
            if not grade.passed:
                failed += line.credits
            uow.session.add(
                RecognisedCourseRow(
                    case_id=case_id,
                    host_course=line.host_course,
                    credits=line.credits,
                    host_grade=line.host_grade,
                    host_scale=line.host_scale.value,
                    score=score,
                    home_letter=grade.letter,
                    home_points=grade.five_point,
                    home_course=line.home_course or planned.get(line.host_course),
                    credited=credited,
                    refusal_reason=line.refusal_reason,
                )
            )
        audit.append(
            uow.session,
            case_id=case_id,
            actor=actor.name,
            role=actor.role.value,
            event="record_transcript",
            outcome=AuditOutcome.applied,
            from_state=case.state,
            to_state=case.state,
            data={"courses": len(lines), "failed_credits": failed},
        )
        uow.commit()
    return failed


AVN_COLUMNS = (
    "student", "group", "academic_year", "home_course", "credits", "score_100", "letter",
    "five_point", "host_course", "host_grade", "host_scale", "host_institution",
)  # fmt: skip


def avn_rows(session: Session, case_id: int) -> list[dict[str, object]]:
    """The credited courses as AVN takes them: one line per course, home course first;
    a course absent from the home programme goes in as a university-component elective."""
    case = CaseRepository(session).get(case_id)
    rows = session.scalars(
        select(RecognisedCourseRow)
        .where(RecognisedCourseRow.case_id == case_id, RecognisedCourseRow.credited)
        .order_by(RecognisedCourseRow.id)
    )
    return [
        {
            "student": case.participant.full_name,
            "group": case.participant.group_name or "",
            "academic_year": academic_year_of(case.start_date),
            "home_course": r.home_course or "Университеттик компонент / элективдүү курс",
            "credits": r.credits,
            "score_100": r.score,
            "letter": r.home_letter,
            "five_point": r.home_points,
            "host_course": r.host_course,
            "host_grade": r.host_grade,
            "host_scale": r.host_scale,
            "host_institution": case.host_institution,
        }
        for r in rows
    ]


def avn_csv(session: Session, case_ids: list[int]) -> bytes:
    rows = [row for case_id in case_ids for row in avn_rows(session, case_id)]
    return exports.csv_bytes(AVN_COLUMNS, ([row[c] for c in AVN_COLUMNS] for row in rows))
