"""Contexts of the regulation's annexes: the dean's nomination (1) from the case, and the
forms a student fills in (study plan, trip report, questionnaire, consent) from what the case
and the person's record know."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from documents import context_model
from sapar.faculties import faculty_name
from sapar.officials import Post
from states.dossier import DocumentKind
from storage import countries

from .common import funding, host_language_of, plan_body_of, student_fields, tuition_of
from .dossier import Dossier, Issue
from .signers import faculty_of, programme_approvers


def dean_nomination(ds: Sequence[Dossier], issue: Issue) -> dict[str, Any]:
    faculty = ds[0].case.faculty or ""
    return {
        "number": issue.number,
        "date": issue.date,
        "faculty": faculty_name(faculty, issue.language),
        "programme": ds[0].case.programme,
        "students": [
            {
                **student_fields(d, issue.language),
                "tuition": tuition_of(d),
                "gpa": d.case.participant.gpa,
                "language": host_language_of(d.case),
                "host_institution": d.case.host_institution,
                "host_country": countries.name(issue.language, d.case.host_country),
                "plan": plan_body_of(d),
            }
            for d in ds
        ],
        "agreed_by": [issue.person(p, u) for p, u in programme_approvers(ds[0].case)],
        "dean": issue.person(Post.dean, faculty),
    }


def student_form(kind: DocumentKind, dossiers: Sequence[Dossier], issue: Issue) -> dict[str, Any]:
    """An annex a student fills in (study plan, trip report, questionnaire, parents' consent):
    what the case and the person's record know of the fields its model has."""
    # The annexes a student fills in: what the case and the person's record know.
    d = dossiers[0]
    c = d.case
    fields = context_model(kind).model_fields
    known = {
        **student_fields(d, issue.language),
        "date": issue.date,
        "tuition": tuition_of(d),
        "gpa": c.participant.gpa,
        "host_institution": c.host_institution,
        "host_country": countries.name(issue.language, c.host_country),
        "programme": c.programme,
        "funding_source": funding(c.funding_source, issue.language),
        "citizenship": countries.name_if_any(issue.language, c.participant.citizenship),
        "plan": plan_body_of(d),
        "agreed_by": (
            [issue.person(p, u) for p, u in programme_approvers(c)]
            if "agreed_by" in fields
            else None
        ),
        "approved_by": issue.person(Post.dean, faculty_of(c)) if "approved_by" in fields else None,
        "phone": c.participant.phone,
        "email": c.participant.email,
        "birth_date": c.participant.birth_date,
        "passport_number": c.participant.passport_number,
        "address": c.participant.address,
        "languages": (
            [{"language": c.host_language, "level": c.language_level or "—"}]
            if c.host_language
            else []
        ),
        "parent_full_name": c.participant.parent_full_name,
        "parent_relation": c.participant.parent_relation,
        "parent_passport": c.participant.parent_passport,
        "parent_address": c.participant.parent_address,
        "parent_phone": c.participant.parent_phone,
        "courses": [
            {"title": r.host_course, "credits": r.credits, "grade": r.host_grade}
            for r in d.recognised
        ],
    }
    return {k: v for k, v in known.items() if k in fields}
