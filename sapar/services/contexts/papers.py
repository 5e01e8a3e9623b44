"""Contexts of the referral letter, the staff member's trip report form and the dean's
submission to expel a student who failed too many credits abroad."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sapar.officials import Post
from states.dossier import DocumentKind as D
from storage import countries

from .common import (
    OSHSU,
    funding,
    iro_contact,
    plan_body_of,
    staff_member,
    student_fields,
    tuition_of,
)
from .dossier import Dossier, Issue, cite
from .signers import faculty_of


def referral_letter(ds: Sequence[Dossier], issue: Issue) -> dict[str, Any]:
    """жолдомо каты ("ЭАБД duties"): the student, the host, the period and the invitation it
    rests on; the ЖОП's host credits where there is a ЖОП (a short stay has none)."""
    d = ds[0]
    c, p = d.case, d.case.participant
    plan = plan_body_of(d)
    return {
        **student_fields(d, issue.language),
        "full_name": issue.name(p.full_name, p.full_name_latin),
        "group": issue.name(p.group_name) if p.group_name else None,  # EK-1-23 in English
        "number": issue.number,
        "date": issue.date,
        "host_institution": c.host_institution,
        "host_country": countries.name(issue.language, c.host_country),
        "programme": c.programme,
        "invitation": cite(d, D.invitation_letter, c.host_institution),
        "plan_credits": sum(h["credits"] for h in plan["host_courses"]) if plan else None,
        "contact": iro_contact(issue),
        "signer": issue.person(Post.vice_rector_academic),
        "executor": issue.executor_block(),
    }


def staff_report_form(ds: Sequence[Dossier], issue: Issue) -> dict[str, Any]:
    """The short report to ЭАБД (3.6): what the case knows, the rest filled in by hand."""
    d = ds[0]
    c = d.case
    return {
        "date": issue.date,
        "addressee": issue.person(Post.iro_director),
        "staff": staff_member(c, issue),
        "order": cite(d, D.staff_trip_order, OSHSU.get(issue.language, OSHSU["ky"])),
        "host_institution": c.host_institution,
        "host_country": countries.name(issue.language, c.host_country),
        "host_city": c.host_city,
        "period_from": c.start_date,
        "period_to": c.mobility_end,
        "purpose": c.purpose,
        "funding_source": funding(c.funding_source, issue.language),
    }


def expulsion_threshold() -> int:
    """The threshold the step decided the outcome by: the policy of the settings."""
    from sapar.config import get_settings  # the settings read the environment: at use
    from sapar.policy_file import load_policy

    return load_policy(get_settings().policy_file).expulsion_threshold


def expulsion_submission(ds: Sequence[Dossier], issue: Issue) -> dict[str, Any]:
    """The dean's submission to the rector (4.8, "ФД duties"): the failed credits the
    recognition found, the courses not credited, the transcript it rests on."""
    d = ds[0]
    c = d.case
    faculty = faculty_of(c)
    return {
        **student_fields(d, issue.language),
        "period_to": c.mobility_end,
        "number": issue.number,
        "date": issue.date,
        "tuition": tuition_of(d),
        "host_institution": c.host_institution,
        "host_country": countries.name(issue.language, c.host_country),
        "transcript": cite(d, D.host_transcript, c.host_institution),
        "failed_credits": c.failed_credits,
        "threshold": expulsion_threshold(),
        "courses": [
            {"title": r.host_course, "credits": r.credits, "grade": r.host_grade}
            for r in d.recognised
            if not r.credited
        ],
        "addressee": issue.person(Post.rector),
        "signer": issue.person(Post.dean, faculty),
        "agreed_by": [
            issue.person(Post.deputy_dean_international, faculty),
            issue.person(Post.deputy_dean_academic, faculty),
        ],
    }
