"""From a case file to a document context: what each official paper prints about the case.

A field the case does not hold yet (a student's group, the host's invitation number, ...)
is left out here and the document's pydantic model refuses it by name, so an order is never
issued with a blank where a name or number belongs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from documents import context_model, languages_of
from documents.names import latin
from sapar import clock
from sapar.faculties import faculty_name
from sapar.officials import Official, Officials, Post, default_titles
from states.dossier import DocumentKind
from states.dossier import DocumentKind as D
from states.fees import fee_waived, keeps_scholarship
from states.model import Case, FundingSource, Scope
from states.periods import AcademicCalendar, academic_year_of, recognition_due, report_due
from storage import countries
from storage.orm import DeadlineRow, DocumentRow, PlanCourseRow, RecognisedCourseRow

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


@dataclass
class Dossier:
    """Everything the papers of one case may print."""

    case: Case
    papers: list[DocumentRow] = field(default_factory=list)
    plan: list[PlanCourseRow] = field(default_factory=list)
    recognised: list[RecognisedCourseRow] = field(default_factory=list)
    deadlines: list[DeadlineRow] = field(default_factory=list)

    def latest(self, doc: D) -> DocumentRow | None:
        found = [p for p in self.papers if p.doc_type == doc.value]
        return max(found, key=lambda p: (p.version, p.id)) if found else None


def load_dossier(session: Session, case: Case) -> Dossier:
    return load_dossiers(session, [case])[0]


def load_dossiers(session: Session, cases: Sequence[Case]) -> list[Dossier]:
    """The dossiers of many cases in one query per table: a group order of a thousand
    students would otherwise read each student's papers one by one."""
    dossiers = {c.id: Dossier(c) for c in cases}
    ids = list(dossiers)
    tables: tuple[tuple[Any, str], ...] = (
        (DocumentRow, "papers"),
        (PlanCourseRow, "plan"),
        (RecognisedCourseRow, "recognised"),
        (DeadlineRow, "deadlines"),
    )
    for model, attr in tables:
        for row in session.scalars(select(model).where(model.case_id.in_(ids)).order_by(model.id)):
            getattr(dossiers[row.case_id], attr).append(row)
    return [dossiers[c.id] for c in cases]


@dataclass(frozen=True)
class Issue:
    """The registration of the paper being issued."""

    number: str | None
    date: date
    officials: Officials
    executor: str
    executor_phone: str
    language: str = "ky"

    def official(self, post: Post, unit: str | None = "") -> Official:
        """Who held `post` on the paper's date; OfficialsMissing names it otherwise."""
        return self.officials.require(post, unit or "", on=self.date)

    def person(self, post: Post, unit: str | None = "") -> dict[str, str]:
        """The holder of `post` as the paper prints them: name and position in its language."""
        o = self.official(post, unit)
        return {"full_name": self.name(o.full_name), "position": o.title(self.language)}

    def name(self, full_name: str, in_latin: str | None = None) -> str:
        """A name as the paper prints it: in an English paper the passport spelling (the
        registry's Latin name) or, without one, the name romanised."""
        if self.language != "en":
            return full_name
        return in_latin or latin(full_name)

    def executor_block(self) -> dict[str, str]:
        return {"full_name": self.name(self.executor), "phone": self.executor_phone}


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


def _faculty(c: Case) -> str:
    return c.faculty or c.participant.faculty or ""


def _department(c: Case) -> str:
    return c.department or c.participant.department or ""


_ORDER_HEAD: list[Post] = [
    Post.rector, Post.vice_rector_academic, Post.iro_director, Post.lawyer,
]  # fmt: skip


def staff_trip_chain(c: Case) -> list[tuple[Post, str]]:
    """The staff trip's approvers in the regulation's order: head of department → dean →
    (project lead, named on the case) → vice-rector for research; then ЭАБД."""
    return [
        (Post.head_of_department, _department(c)),
        (Post.dean, _faculty(c)),
        (Post.vice_rector_research, ""),
        (Post.iro_director, ""),
    ]


def programme_approvers(c: Case) -> list[tuple[Post, str]]:
    """Annexes 1 and 2 are agreed by the programme lead (the head of department) and the
    deputy dean for academic affairs, and approved by the dean (4.8, ФД duties)."""
    lead = [(Post.head_of_department, _department(c))] if _department(c) else []
    return [*lead, (Post.deputy_dean_academic, _faculty(c))]


def needs(kind: DocumentKind, c: Case) -> list[tuple[Post, str]]:
    """The posts a paper of `kind` about case `c` prints: checked when a step asks for the
    paper, so a missing official refuses the step instead of failing the paper later."""
    faculty = _faculty(c)
    order = [(p, "") for p in _ORDER_HEAD]
    table: dict[DocumentKind, list[tuple[Post, str]]] = {
        DocumentKind.mobility_order: [*order, (Post.deputy_dean_international, faculty)],
        DocumentKind.return_order: [*order, (Post.deputy_dean_international, faculty)],
        DocumentKind.enrolment_order: [*order, (Post.registrar, "")],
        DocumentKind.staff_trip_order: [(Post.rector, ""), *staff_trip_chain(c)],
        DocumentKind.dean_nomination: [*programme_approvers(c), (Post.dean, faculty)],
        DocumentKind.study_plan: [*programme_approvers(c), (Post.dean, faculty)],
        DocumentKind.invitation_request: [(Post.vice_rector_academic, ""), (Post.iro_director, "")],
        DocumentKind.recognition_decision: [
            (Post.deputy_dean_international, faculty),
            (Post.deputy_dean_academic, faculty),
            (Post.dean, faculty),
        ],
        DocumentKind.incoming_invitation: [(Post.rector, ""), (Post.iro_director, "")],
        DocumentKind.missed_deadline_notice: [(Post.dean, faculty)],
        DocumentKind.referral_letter: [(Post.vice_rector_academic, ""), (Post.iro_director, "")],
        DocumentKind.staff_report_form: [(Post.iro_director, "")],
        DocumentKind.expulsion_submission: [
            (Post.rector, ""),
            (Post.dean, faculty),
            (Post.deputy_dean_international, faculty),
            (Post.deputy_dean_academic, faculty),
        ],
        DocumentKind.issued_transcript: [(Post.dean, faculty), (Post.iro_director, "")],
    }
    return table.get(kind, [])


def issued_on(paper: DocumentRow) -> date:
    """The date a paper generated here carries: the day in Osh it was issued (stored in UTC;
    SQLite hands it back without its zone)."""
    at = paper.created_at
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return clock.local(at).date()


def _ref(paper: DocumentRow | None, issuer: str) -> dict[str, Any] | None:
    """A paper handed in, as cited: who issued it, its number and its date as recorded with
    it. Never the day it was uploaded: without a recorded date the date is missing, and the
    document's model refuses it by name."""
    if paper is None:
        return None
    return {"issuer": paper.issuer or issuer, "number": paper.ref_number, "date": paper.ref_date}


def cite(d: Dossier, doc: D, issuer: str) -> dict[str, Any] | None:
    """The paper of type `doc` a document cites as its basis. A paper generated here (an
    order, a nomination) is cited by its own number and issue date — also when a signed
    scan of it was handed in since, which has neither; a paper from outside by the facts
    recorded when it was handed in."""
    found = [p for p in d.papers if p.doc_type == doc.value]
    generated = [p for p in found if p.origin == "generated"]
    if generated:
        paper = max(generated, key=lambda p: (p.version, p.id))
        return {"issuer": issuer, "number": paper.number, "date": issued_on(paper)}
    dated = [p for p in found if p.ref_date is not None]
    if dated:
        return _ref(max(dated, key=lambda p: (p.version, p.id)), issuer)
    return _ref(d.latest(doc), issuer)


def _dated(ref: dict[str, Any] | None) -> dict[str, Any] | None:
    """A basis that may be left out: cited only when its date is known."""
    return ref if ref and ref.get("date") else None


def _dean(c: Case, language: str) -> str:
    """Who issues a faculty's nomination, as the preamble names them: "декан экономического
    факультета" (mid-sentence in Russian), "Экономика факультетинин деканы"."""
    title = default_titles(Post.dean, _faculty(c)).get(language) or _faculty(c)
    return title[:1].lower() + title[1:] if language == "ru" else title


def _order_head(issue: Issue) -> dict[str, Any]:
    return {
        "number": issue.number,
        "date": issue.date,
        "signer": issue.person(Post.rector),
        "visas": [issue.person(p) for p in _ORDER_HEAD[1:]],
        "executor": {"full_name": issue.executor, "phone": issue.executor_phone},
    }


def _student(d: Dossier, language: str) -> dict[str, Any]:
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


def _host_language(c: Case) -> str | None:
    """As annex 1 prints it: "англис тили, B2"."""
    if not c.host_language:
        return None
    return f"{c.host_language}, {c.language_level}" if c.language_level else c.host_language


def _tuition(d: Dossier) -> str | None:
    basis = d.case.participant.funding_basis
    return basis.value if basis else None


def _plan_body(d: Dossier) -> dict[str, Any] | None:
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


def mobility_order(ds: Sequence[Dossier], issue: Issue) -> dict[str, Any]:
    first = ds[0].case
    return {
        **_order_head(issue),
        "students": [
            {
                **_student(d, issue.language),
                "invitation": cite(d, D.invitation_letter, d.case.host_institution),
                "nomination": _dated(cite(d, D.dean_nomination, _dean(d.case, issue.language))),
                "tuition": _tuition(d),
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
            issue.person(Post.deputy_dean_international, _faculty(first)),
        ],
        "control": issue.person(Post.vice_rector_academic),
    }


def return_order(ds: Sequence[Dossier], issue: Issue) -> dict[str, Any]:
    first = ds[0]
    return {
        **_order_head(issue),
        "sending_orders": [
            o for o in (cite(d, D.mobility_order, OSHSU[issue.language]) for d in ds) if o
        ],
        "returned_on": first.case.mobility_end,
        "students": [
            {
                **_student(d, issue.language),
                "period_to": d.case.mobility_end,
                "host_institution": d.case.host_institution,
                "host_country": countries.name(issue.language, d.case.host_country),
                "documents_due": report_due(d.case.mobility_end),
            }
            for d in ds
        ],
        "recognition_due": recognition_due(first.case.mobility_end),
        "responsible": [
            issue.person(Post.deputy_dean_international, _faculty(first.case)),
            issue.person(Post.iro_director),
        ],
        "control": issue.person(Post.vice_rector_academic),
    }


def staff_trip_order(ds: Sequence[Dossier], issue: Issue) -> dict[str, Any]:
    d = ds[0]
    c, p = d.case, d.case.participant
    head = _order_head(issue)
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
        "staff": {
            "full_name": p.full_name,
            "position": p.position,
            "department": c.department or p.department,
            "faculty": faculty_name(_faculty(c), issue.language),
            "gender": getattr(p, "gender", None),
        },
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


def dean_nomination(ds: Sequence[Dossier], issue: Issue) -> dict[str, Any]:
    faculty = ds[0].case.faculty or ""
    return {
        "number": issue.number,
        "date": issue.date,
        "faculty": faculty_name(faculty, issue.language),
        "programme": ds[0].case.programme,
        "students": [
            {
                **_student(d, issue.language),
                "tuition": _tuition(d),
                "gpa": d.case.participant.gpa,
                "language": _host_language(d.case),
                "host_institution": d.case.host_institution,
                "host_country": countries.name(issue.language, d.case.host_country),
                "plan": _plan_body(d),
            }
            for d in ds
        ],
        "agreed_by": [issue.person(p, u) for p, u in programme_approvers(ds[0].case)],
        "dean": issue.person(Post.dean, faculty),
    }


def invitation_request(ds: Sequence[Dossier], issue: Issue) -> dict[str, Any]:
    iro = issue.official(Post.iro_director)
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
        "contact": {
            "full_name": issue.name(iro.full_name),
            "position": iro.title(issue.language),
            "email": iro.email,
            "phone": iro.phone,
        },
        "signer": issue.person(Post.vice_rector_academic),
        "executor": issue.executor_block(),
    }


def recognition_decision(ds: Sequence[Dossier], issue: Issue) -> dict[str, Any]:
    d = ds[0]
    c = d.case
    return {
        **_student(d, issue.language),
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
            issue.person(Post.deputy_dean_international, _faculty(c)),
            issue.person(Post.deputy_dean_academic, _faculty(c)),
        ],
        "signer": issue.person(Post.dean, _faculty(c)),
    }


def incoming_invitation(ds: Sequence[Dossier], issue: Issue) -> dict[str, Any]:
    d = ds[0]
    c, p = d.case, d.case.participant
    iro = issue.official(Post.iro_director)
    return {
        "number": issue.number,
        "date": issue.date,
        "period_from": c.start_date,
        "period_to": c.end_date,
        "full_name": issue.name(p.full_name, p.full_name_latin),
        "participant": "staff" if c.kind == "incoming_staff" else "student",
        "citizenship": p.citizenship,
        "passport_number": p.passport_number,
        "home_institution": p.home_institution,
        "home_country": c.home_country or p.citizenship,
        "faculty": faculty_name(c.faculty or "", issue.language) or None,
        "specialty": p.specialty,
        "programme": c.programme,
        "purpose": c.purpose,
        "coordinator": {
            "full_name": issue.name(c.coordinator or iro.full_name),
            "position": iro.title(issue.language),
            "email": iro.email,
            "phone": iro.phone,
        },
        "fee_waived": fee_waived(c),
        "signer": issue.person(Post.rector),
        "executor": issue.executor_block(),
    }


def enrolment_order(ds: Sequence[Dossier], issue: Issue) -> dict[str, Any]:
    iro = issue.official(Post.iro_director)
    return {
        **_order_head(issue),
        "basis": [
            cite(d, D.partner_nomination, d.case.participant.home_institution or "—") for d in ds
        ],
        "participants": [
            {
                "period_from": d.case.start_date,
                "period_to": d.case.end_date,
                "full_name": d.case.participant.full_name,
                "citizenship": d.case.participant.citizenship,
                "home_institution": d.case.participant.home_institution,
                "home_country": d.case.home_country or d.case.participant.citizenship,
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
    late = [x for x in d.deadlines if x.kind == "student_report" and x.status == "overdue"]
    deadline = max(late, key=lambda x: x.id) if late else None
    duty, consequence = MISSED_REPORT.get(issue.language, MISSED_REPORT["ky"])
    return {
        **{k: v for k, v in _student(d, issue.language).items() if not k.startswith("period_")},
        "number": issue.number,
        "date": issue.date,
        "duty": duty,
        "deadline": deadline.due_date if deadline else None,
        "consequence": consequence,
        "order": cite(d, D.return_order, OSHSU.get(issue.language, "ОшМУ")),
        "signer": issue.person(Post.dean, _faculty(d.case)),
        "executor": {"full_name": issue.executor, "phone": issue.executor_phone},
    }


OSHSU = {"ky": "ОшМУ", "ru": "ОшГУ", "en": "Osh State University"}


def referral_letter(ds: Sequence[Dossier], issue: Issue) -> dict[str, Any]:
    """жолдомо каты ("ЭАБД duties"): the student, the host, the period and the invitation it
    rests on; the ЖОП's host credits where there is a ЖОП (a short stay has none)."""
    d = ds[0]
    c, p = d.case, d.case.participant
    iro = issue.official(Post.iro_director)
    plan = _plan_body(d)
    return {
        **_student(d, issue.language),
        "full_name": issue.name(p.full_name, p.full_name_latin),
        "group": issue.name(p.group_name) if p.group_name else None,  # EK-1-23 in English
        "number": issue.number,
        "date": issue.date,
        "host_institution": c.host_institution,
        "host_country": countries.name(issue.language, c.host_country),
        "programme": c.programme,
        "invitation": cite(d, D.invitation_letter, c.host_institution),
        "plan_credits": sum(h["credits"] for h in plan["host_courses"]) if plan else None,
        "contact": {
            "full_name": issue.name(iro.full_name),
            "position": iro.title(issue.language),
            "email": iro.email,
            "phone": iro.phone,
        },
        "signer": issue.person(Post.vice_rector_academic),
        "executor": issue.executor_block(),
    }


def issued_transcript(ds: Sequence[Dossier], issue: Issue) -> dict[str, Any]:
    """A guest's transcript of records from the grades the faculty entered, course by course
    as recorded (RecognisedCourseRow on OshSU's own scale); a staff guest's certificate."""
    d = ds[0]
    c, p = d.case, d.case.participant
    faculty = _faculty(c)
    return {
        "number": issue.number,
        "date": issue.date,
        "period_from": c.start_date,
        "period_to": c.mobility_end,
        "participant": "staff" if c.kind == "incoming_staff" else "student",
        "full_name": issue.name(p.full_name, p.full_name_latin),
        "gender": getattr(p, "gender", None),
        "birth_date": p.birth_date,
        "citizenship": p.citizenship,
        "home_institution": p.home_institution,
        "home_country": c.home_country or p.citizenship,
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


def staff_report_form(ds: Sequence[Dossier], issue: Issue) -> dict[str, Any]:
    """The short report to ЭАБД (3.6): what the case knows, the rest filled in by hand."""
    d = ds[0]
    c, p = d.case, d.case.participant
    return {
        "date": issue.date,
        "addressee": issue.person(Post.iro_director),
        "staff": {
            "full_name": p.full_name,
            "position": p.position,
            "department": c.department or p.department,
            "faculty": faculty_name(_faculty(c), issue.language),
            "gender": getattr(p, "gender", None),
        },
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
    faculty = _faculty(c)
    return {
        **_student(d, issue.language),
        "period_to": c.mobility_end,
        "number": issue.number,
        "date": issue.date,
        "tuition": _tuition(d),
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


BUILDERS = {
    DocumentKind.mobility_order: mobility_order,
    DocumentKind.return_order: return_order,
    DocumentKind.staff_trip_order: staff_trip_order,
    DocumentKind.dean_nomination: dean_nomination,
    DocumentKind.invitation_request: invitation_request,
    DocumentKind.recognition_decision: recognition_decision,
    DocumentKind.incoming_invitation: incoming_invitation,
    DocumentKind.enrolment_order: enrolment_order,
    DocumentKind.missed_deadline_notice: missed_deadline_notice,
    DocumentKind.referral_letter: referral_letter,
    DocumentKind.staff_report_form: staff_report_form,
    DocumentKind.expulsion_submission: expulsion_submission,
    DocumentKind.issued_transcript: issued_transcript,
}


def build_context(kind: DocumentKind, dossiers: Sequence[Dossier], issue: Issue) -> dict[str, Any]:
    """The context for `kind`, from the case's named fields, its person and its papers."""
    builder = BUILDERS.get(kind)
    if builder is None:
        # The annexes a student fills in: what the case and the person's record know.
        d = dossiers[0]
        c = d.case
        fields = context_model(kind).model_fields
        known = {
            **_student(d, issue.language),
            "date": issue.date,
            "tuition": _tuition(d),
            "gpa": c.participant.gpa,
            "host_institution": c.host_institution,
            "host_country": countries.name(issue.language, c.host_country),
            "programme": c.programme,
            "funding_source": funding(c.funding_source, issue.language),
            "citizenship": c.participant.citizenship,
            "plan": _plan_body(d),
            "agreed_by": (
                [issue.person(p, u) for p, u in programme_approvers(c)]
                if "agreed_by" in fields
                else None
            ),
            "approved_by": issue.person(Post.dean, _faculty(c))
            if "approved_by" in fields
            else None,
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
    return builder(dossiers, issue)
