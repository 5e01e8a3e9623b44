"""What many papers print alike: the student, an order's head and visas, the funding, the
plan, the dean's title, and the language a paper goes out in."""

from __future__ import annotations

from typing import Any

from documents import languages_of
from sapar.faculties import faculty_name
from sapar.officials import Post, default_titles
from states.dossier import DocumentKind
from states.model import Case, FundingSource, Scope
from states.periods import AcademicCalendar, academic_year_of

from .dossier import Dossier, Issue
from .signers import ORDER_HEAD, faculty_of

# Funding sources as each language's papers name them (6.1).
FUNDING_LABELS: dict[str, dict[FundingSource, str]] = {
    "ky": {
        FundingSource.republican_budget: "республикалык бюджет",
        FundingSource.university: "ОшМУнун бюджети",
        FundingSource.credit_mobility: "кредиттик мобилдүүлүк программасы",
        FundingSource.research_project: "илимий долбоор",
        FundingSource.sponsor: "демөөрчү / фонд",
        FundingSource.host: "кабыл алуучу тарап",
        FundingSource.own: "өз каражаты",
    },
    "ru": {
        FundingSource.republican_budget: "республиканский бюджет",
        FundingSource.university: "бюджет ОшГУ",
        FundingSource.credit_mobility: "программа кредитной мобильности",
        FundingSource.research_project: "научный проект",
        FundingSource.sponsor: "спонсор / фонд",
        FundingSource.host: "принимающая сторона",
        FundingSource.own: "собственные средства",
    },
}


def funding(source: FundingSource, language: str) -> str:
    return FUNDING_LABELS.get(language, FUNDING_LABELS["ky"])[source]


# Papers addressed to someone abroad (a foreign host, a guest invited from abroad): issued in
# English when the mobility is international (1.3.3) — the addressee reads neither Kyrgyz nor
# Russian; a domestic partner (1.3.4) gets them in the clerk's language (issue 12.7).
ABROAD: frozenset[DocumentKind] = frozenset(
    {
        DocumentKind.invitation_request,
        DocumentKind.incoming_invitation,
        DocumentKind.referral_letter,
        DocumentKind.issued_transcript,  # a guest's transcript, for the home university
    }
)


def language_for(kind: DocumentKind, case: Case, default: str = "ky") -> str:
    """The language a paper of `kind` about `case` is issued in unless a clerk chose one."""
    if kind in ABROAD and case.scope is Scope.international and "en" in languages_of(kind):
        return "en"
    return default


OSHSU = {"ky": "ОшМУ", "ru": "ОшГУ", "en": "Osh State University"}


def dean_of(c: Case, language: str) -> str:
    """Who issues a faculty's nomination, as the preamble names them: "декан экономического
    факультета" (mid-sentence in Russian), "Экономика факультетинин деканы"."""
    title = default_titles(Post.dean, faculty_of(c)).get(language) or faculty_of(c)
    return title[:1].lower() + title[1:] if language == "ru" else title


def order_head_of(issue: Issue) -> dict[str, Any]:
    return {
        "number": issue.number,
        "date": issue.date,
        "signer": issue.person(Post.rector),
        "visas": [issue.person(p) for p in ORDER_HEAD[1:]],
        "executor": {"full_name": issue.executor, "phone": issue.executor_phone},
    }


def student_fields(d: Dossier, language: str) -> dict[str, Any]:
    c, p = d.case, d.case.participant
    return {
        "full_name": p.full_name,
        "faculty": faculty_name(c.faculty or p.faculty or "", language) or None,
        "specialty": p.specialty,
        "gender": getattr(p, "gender", None),
        "year_of_study": p.year,
        "group": p.group_name,
        "period_from": c.start_date,
        "period_to": c.end_date,
    }


def host_language_of(c: Case) -> str | None:
    """As annex 1 prints it: "англис тили, B2"."""
    if not c.host_language:
        return None
    return f"{c.host_language}, {c.language_level}" if c.language_level else c.host_language


def tuition_of(d: Dossier) -> str | None:
    basis = d.case.participant.funding_basis
    return basis.value if basis else None


def plan_body_of(d: Dossier) -> dict[str, Any] | None:
    if not d.plan:
        return None
    c = d.case
    calendar = AcademicCalendar()
    version = max(r.plan_version for r in d.plan)
    return {
        "academic_year": academic_year_of(c.start_date, calendar),
        "semester": calendar.semester_of(c.start_date),
        "host_courses": [
            {"title": r.title, "credits": r.credits, "replaces": r.replaces}
            for r in d.plan
            if r.mode == "host"
        ],
        "distance_courses": [
            {"title": r.title, "credits": r.credits, "teacher": r.teacher}
            for r in d.plan
            if r.mode == "distance"
        ],
        "version": version,
    }


def iro_contact(issue: Issue, full_name: str | None = None) -> dict[str, Any]:
    """ЭАБД's person a host or a guest writes to: `full_name` (a case's own coordinator)
    or the department's director, with the director's title, e-mail and phone."""
    iro = issue.official(Post.iro_director)
    return {
        "full_name": issue.name(full_name or iro.full_name),
        "position": iro.title(issue.language),
        "email": iro.email,
        "phone": iro.phone,
    }


def staff_member(c: Case, issue: Issue) -> dict[str, Any]:
    """A member of staff as the trip's order and report form print them."""
    p = c.participant
    return {
        "full_name": p.full_name,
        "position": p.position,
        "department": c.department or p.department,
        "faculty": faculty_name(faculty_of(c), issue.language),
        "gender": getattr(p, "gender", None),
    }
