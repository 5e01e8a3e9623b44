"""Recognition (3.6) as staff do it on the case page: the study plan (ЖОП, annex 2), the host
transcript converted by the grade tables (or a guest's grades at OshSU), and the AVN export.
A dean's office enters them; whoever sees the case reads them. The writing itself is
`study_plan`'s."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from states import roles
from states.grades import Scale
from states.machine import NotPermitted
from storage.orm import RecognisedCourseRow
from storage.uow import UnitOfWork

from . import study_plan
from .case_access import case_for
from .users import User

SCALES = [s.value for s in Scale]


@dataclass(frozen=True)
class RecognisedCourse:
    host_course: str
    credits: float
    host_grade: str
    host_scale: str
    score: float
    home_letter: str
    home_points: int
    home_course: str | None
    credited: bool
    refusal_reason: str | None


@dataclass(frozen=True)
class Recognition:
    plan: list[study_plan.PlanLine]
    plan_version: int | None
    transcript: list[RecognisedCourse]
    may_edit: bool


def may_recognise(user: User) -> bool:
    return user.role in roles.RECOGNISERS


def read(session: Session, *, user: User, case_id: int) -> Recognition:
    """The plan's current version and the transcript as recognised, in a unit of work open."""
    rows = study_plan.current_plan(session, case_id)
    plan = [
        study_plan.PlanLine(r.title, r.credits, r.mode, r.replaces, r.teacher, r.term) for r in rows
    ]
    courses = session.scalars(
        select(RecognisedCourseRow)
        .where(RecognisedCourseRow.case_id == case_id)
        .order_by(RecognisedCourseRow.id)
    )
    transcript = [
        RecognisedCourse(
            c.host_course, c.credits, c.host_grade, c.host_scale, c.score, c.home_letter,
            c.home_points, c.home_course, c.credited, c.refusal_reason,
        )
        for c in courses
    ]  # fmt: skip
    version = rows[0].plan_version if rows else None
    return Recognition(plan, version, transcript, may_recognise(user))


def recognition_of(engine: Engine, *, user: User, case_id: int) -> Recognition:
    case_for(engine, user=user, case_id=case_id)
    with UnitOfWork(engine, read_only=True) as uow:
        return read(uow.session, user=user, case_id=case_id)


def _check_recogniser(engine: Engine, user: User, case_id: int, action: str) -> None:
    case_for(engine, user=user, case_id=case_id, action=action)
    if not may_recognise(user):
        raise NotPermitted(
            f"a {user.role.value} account does not enter study plans or grades",
            "not_recogniser",
            role=user.role,
        )


def save_study_plan(
    engine: Engine, *, user: User, case_id: int, lines: list[study_plan.PlanLine]
) -> int:
    """A new version of the case's ЖОП (the old kept); returns its version."""
    _check_recogniser(engine, user, case_id, "set_study_plan")
    return study_plan.set_study_plan(engine, case_id=case_id, lines=lines, actor=user.actor)


def save_transcript(
    engine: Engine, *, user: User, case_id: int, lines: list[study_plan.TranscriptLine]
) -> float:
    """The transcript, converted; returns the credits not recognised."""
    _check_recogniser(engine, user, case_id, "record_transcript")
    return study_plan.record_transcript(engine, case_id=case_id, lines=lines, actor=user.actor)


def avn_export(engine: Engine, *, user: User, case_id: int) -> bytes:
    """The case's recognised courses as the AVN system imports them (CSV)."""
    case_for(engine, user=user, case_id=case_id, action="avn_export")
    with UnitOfWork(engine, read_only=True) as uow:
        return study_plan.avn_csv(uow.session, [case_id])
