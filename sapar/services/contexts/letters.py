"""Contexts of letters, notices and the recognition decision."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sapar.faculties import faculty_name
from sapar.officials import Post
from states.dossier import DocumentKind as D
from states.fees import fee_waived
from states.model import DeadlineStatus
from storage import countries

from .common import OSHSU, iro_contact, student_fields
from .dossier import Dossier, Issue, cite
from .signers import faculty_of


def invitation_request(ds: Sequence[Dossier], issue: Issue) -> dict[str, Any]:
    c = ds[0].case
    return {
        "number": issue.number,
        "date": issue.date,
        "addressee": {
            "full_name": c.host_contact or "International Office",
            "position": c.host_contact_position or "Head of International Relations",
        },
        "addressee_institution": c.host_institution,
        "addressee_country": countries.name(issue.language, c.host_country),
        "programme": c.programme,
        "students": [
            {
                "full_name": issue.name(
                    d.case.participant.full_name, d.case.participant.full_name_latin
                ),
                "specialty": d.case.participant.specialty,
                "year_of_study": d.case.participant.year,
                "period_from": d.case.start_date,
                "period_to": d.case.end_date,
            }
            for d in ds
        ],
        "contact": iro_contact(issue),
        "signer": issue.person(Post.vice_rector_academic),
        "executor": issue.executor_block(),
    }


def recognition_decision(ds: Sequence[Dossier], issue: Issue) -> dict[str, Any]:
    d = ds[0]
    c = d.case
    return {
        **student_fields(d, issue.language),
        "period_to": c.mobility_end,
        "number": issue.number,
        "date": issue.date,
        "host_institution": c.host_institution,
        "host_country": countries.name(issue.language, c.host_country),
        "transcript": cite(d, D.host_transcript, c.host_institution),
        "courses": [
            {
                "host_course": r.host_course,
                "credits": r.credits,
                "host_grade": r.host_grade,
                "host_scale": r.host_scale,
                "score_100": r.score,
                "home_grade": r.home_letter,
                "home_points": r.home_points,
                "home_course": r.home_course,
                "credited": r.credited,
            }
            for r in d.recognised
        ],
        "outcome": c.outcome.value if c.outcome else None,
        "commission": [
            issue.person(Post.deputy_dean_international, faculty_of(c)),
            issue.person(Post.deputy_dean_academic, faculty_of(c)),
        ],
        "signer": issue.person(Post.dean, faculty_of(c)),
    }


def incoming_invitation(ds: Sequence[Dossier], issue: Issue) -> dict[str, Any]:
    d = ds[0]
    c, p = d.case, d.case.participant
    return {
        "number": issue.number,
        "date": issue.date,
        "period_from": c.start_date,
        "period_to": c.end_date,
        "full_name": issue.name(p.full_name, p.full_name_latin),
        "participant": "staff" if c.kind == "incoming_staff" else "student",
        "citizenship": countries.name_if_any(issue.language, p.citizenship),
        "passport_number": p.passport_number,
        "home_institution": p.home_institution,
        "home_country": countries.name_if_any(issue.language, c.home_country or p.citizenship),
        "faculty": faculty_name(c.faculty or "", issue.language) or None,
        "specialty": p.specialty,
        "programme": c.programme,
        "purpose": c.purpose,
        "coordinator": iro_contact(issue, c.coordinator),
        "fee_waived": fee_waived(c),
        "signer": issue.person(Post.rector),
        "executor": issue.executor_block(),
    }


MISSED_REPORT = {
    "ky": (
        "Академиялык мобилдүүлүк аяктагандан кийин бир айдын ичинде окуу натыйжаларын "
        "(ведомость, транскрипт, сертификат) факультеттин деканатына тапшыруу жана ЭАБДга "
        "сапар тууралуу отчет берүү",
        "Белгиленген мөөнөттө тапшырылбаса, алынган кредиттер таанылбай калышы мүмкүн.",
    ),
    "ru": (
        "В течение одного месяца после окончания академической мобильности сдать в деканат "
        "факультета результаты обучения (ведомость, транскрипт, сертификат) и отчёт о поездке "
        "в ДМС",
        "Если документы не будут сданы в установленный срок, кредиты могут быть не признаны.",
    ),
}


def missed_deadline_notice(ds: Sequence[Dossier], issue: Issue) -> dict[str, Any]:
    d = ds[0]
    late = [
        x for x in d.deadlines if x.kind == "student_report" and x.status == DeadlineStatus.overdue
    ]
    deadline = max(late, key=lambda x: x.id) if late else None
    duty, consequence = MISSED_REPORT.get(issue.language, MISSED_REPORT["ky"])
    return {
        **{
            k: v
            for k, v in student_fields(d, issue.language).items()
            if not k.startswith("period_")
        },
        "number": issue.number,
        "date": issue.date,
        "duty": duty,
        "deadline": deadline.due_date if deadline else None,
        "consequence": consequence,
        "order": cite(d, D.return_order, OSHSU.get(issue.language, "ОшМУ")),
        "signer": issue.person(Post.dean, faculty_of(d.case)),
        "executor": {"full_name": issue.executor, "phone": issue.executor_phone},
    }
