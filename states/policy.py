"""Settings for what the regulation leaves to the university, each with a documented default."""

from __future__ import annotations

from dataclasses import dataclass, field

from states.dossier import DocumentKind as D
from states.grades import DEFAULT_GRADE_TABLES, GradeTables
from states.model import Level
from states.workdays import WorkCalendar


@dataclass(frozen=True)
class Policy:
    # "GPA above 3" (4.8, ЭАБД and ФД duties): strictly above, so 3.0 itself is refused.
    min_gpa_exclusive: float = 3.0
    # Normative study length in years, for the semester windows ("Student duties").
    programme_years: dict[Level, int] = field(
        default_factory=lambda: {Level.bachelor: 4, Level.master: 2, Level.college: 3}
    )
    # What a student's application must carry (4.2, "Student duties"). The ЖОП is added for
    # long-term mobility (1.3.6), the language certificate where the host asks for one.
    application_documents: tuple[D, ...] = (
        D.application,
        D.transcript,
        D.questionnaire,
        D.motivation_letter,
        D.passport_copy,
        D.parents_consent,
    )
    # A staff member's papers to ЭАБД ("ИПК duties").
    staff_application_documents: tuple[D, ...] = (
        D.application,
        D.invitation_letter,
        D.substitution_note,
    )
    # Failed host credits above this → expulsion proposal; 1..this → paid summer retake.
    expulsion_threshold: int = 15
    expense_report_working_days: int = 5
    work_calendar: WorkCalendar = field(default_factory=WorkCalendar)
    grade_tables: GradeTables = DEFAULT_GRADE_TABLES


DEFAULT_POLICY = Policy()
