"""Contexts of the rector's orders (буйрук / приказ): mobility, return, staff trip, enrolment."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sapar.faculties import faculty_name
from sapar.officials import Post
from states.dossier import DocumentKind as D
from states.fees import fee_waived, keeps_scholarship
from states.periods import recognition_due, report_due
from storage import countries

from .common import (
    OSHSU,
    dean_of,
    funding,
    order_head_of,
    staff_member,
    student_fields,
    tuition_of,
)
from .dossier import Dossier, Issue, cite, dated_ref
from .signers import faculty_of, staff_trip_chain


def mobility_order(ds: Sequence[Dossier], issue: Issue) -> dict[str, Any]:
    first = ds[0].case
    return {
        **order_head_of(issue),
        "students": [
            {
                **student_fields(d, issue.language),
                "invitation": cite(d, D.invitation_letter, d.case.host_institution),
                "nomination": dated_ref(
                    cite(d, D.dean_nomination, dean_of(d.case, issue.language))
                ),
                "tuition": tuition_of(d),
                "host_institution": d.case.host_institution,
                "host_country": countries.name(issue.language, d.case.host_country),
                "programme": d.case.programme,
                "funding_source": funding(d.case.funding_source, issue.language),
                "scholarship_kept": keeps_scholarship(d.case.participant),
            }
            for d in ds
        ],
        "responsible": [
            issue.person(Post.iro_director),
            issue.person(Post.deputy_dean_international, faculty_of(first)),
        ],
        "control": issue.person(Post.vice_rector_academic),
    }


def return_order(ds: Sequence[Dossier], issue: Issue) -> dict[str, Any]:
    first = ds[0]
    return {
        **order_head_of(issue),
        "sending_orders": [
            o for o in (cite(d, D.mobility_order, OSHSU[issue.language]) for d in ds) if o
        ],
        "returned_on": first.case.mobility_end,
        "students": [
            {
                **student_fields(d, issue.language),
                "period_to": d.case.mobility_end,
                "host_institution": d.case.host_institution,
                "host_country": countries.name(issue.language, d.case.host_country),
                "documents_due": report_due(d.case.mobility_end),
            }
            for d in ds
        ],
        "recognition_due": recognition_due(first.case.mobility_end),
        "responsible": [
            issue.person(Post.deputy_dean_international, faculty_of(first.case)),
            issue.person(Post.iro_director),
        ],
        "control": issue.person(Post.vice_rector_academic),
    }


def staff_trip_order(ds: Sequence[Dossier], issue: Issue) -> dict[str, Any]:
    d = ds[0]
    c = d.case
    head = order_head_of(issue)
    head["signer"] = issue.person(Post.rector)
    head["visas"] = [issue.person(post, unit) for post, unit in staff_trip_chain(c)]
    lead = getattr(c, "project_lead", None) if c.is_project_funded else None
    if lead:  # the project lead approves after the dean (4.8, ИПК duties)
        position = {"ky": "Илимий долбоордун жетекчиси", "ru": "Руководитель научного проекта"}
        head["visas"].insert(2, {"full_name": lead, "position": position[issue.language]})
    return {
        **head,
        "period_from": c.start_date,
        "period_to": c.end_date,
        "staff": staff_member(c, issue),
        "invitation": cite(d, D.invitation_letter, c.host_institution),
        "host_institution": c.host_institution,
        "host_country": countries.name(issue.language, c.host_country),
        "host_city": c.host_city,
        "purpose": c.purpose,
        "funding_source": funding(c.funding_source, issue.language),
        "university_funds": c.is_university_funded,
        "substitute": c.substitute,
        "project": c.project if c.is_project_funded else None,
        "control": issue.person(Post.vice_rector_research),
    }


def enrolment_order(ds: Sequence[Dossier], issue: Issue) -> dict[str, Any]:
    iro = issue.official(Post.iro_director)
    return {
        **order_head_of(issue),
        "basis": [
            cite(d, D.partner_nomination, d.case.participant.home_institution or "—") for d in ds
        ],
        "participants": [
            {
                "period_from": d.case.start_date,
                "period_to": d.case.end_date,
                "full_name": d.case.participant.full_name,
                "citizenship": countries.name_if_any(
                    issue.language, d.case.participant.citizenship
                ),
                "home_institution": d.case.participant.home_institution,
                "home_country": countries.name_if_any(
                    issue.language, d.case.home_country or d.case.participant.citizenship
                ),
                "faculty": faculty_name(d.case.faculty or "", issue.language) or None,
                "specialty": d.case.participant.specialty,
                "year_of_study": d.case.participant.year,
                "group": d.case.participant.group_name,
                "programme": d.case.programme,
                "coordinator": d.case.coordinator or iro.full_name,
            }
            for d in ds
        ],
        "fee_waived": all(fee_waived(d.case) for d in ds),
        "responsible": [issue.person(Post.iro_director), issue.person(Post.registrar)],
        "control": issue.person(Post.vice_rector_academic),
    }
