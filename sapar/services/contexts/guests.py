"""Context of the transcript of records OshSU issues to a guest at the end of the stay."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sapar.faculties import faculty_name
from sapar.officials import Post
from storage import countries

from .dossier import Dossier, Issue
from .signers import faculty_of


def issued_transcript(ds: Sequence[Dossier], issue: Issue) -> dict[str, Any]:
    """A guest's transcript of records from the grades the faculty entered, course by course
    as recorded (RecognisedCourseRow on OshSU's own scale); a staff guest's certificate."""
    d = ds[0]
    c, p = d.case, d.case.participant
    faculty = faculty_of(c)
    return {
        "number": issue.number,
        "date": issue.date,
        "period_from": c.start_date,
        "period_to": c.mobility_end,
        "participant": "staff" if c.kind == "incoming_staff" else "student",
        "full_name": issue.name(p.full_name, p.full_name_latin),
        "gender": getattr(p, "gender", None),
        "birth_date": p.birth_date,
        "citizenship": countries.name_if_any(issue.language, p.citizenship),
        "home_institution": p.home_institution,
        "home_country": countries.name_if_any(issue.language, c.home_country or p.citizenship),
        "faculty": faculty_name(faculty, issue.language) or None,
        "specialty": p.specialty,
        "programme": c.programme,
        "purpose": c.purpose,
        "grades": [
            {
                "title": r.host_course,
                "credits": r.credits,
                "score_100": r.score,
                "letter": r.home_letter,
                "points": r.home_points,
            }
            for r in d.recognised
        ],
        "signer": issue.person(Post.dean, faculty),
        "countersigner": issue.person(Post.iro_director),
        "executor": issue.executor_block(),
    }
