"""Guards: each checks one rule of the regulation and, when it fails, says which and where.

A guard takes the case and the facts around it and returns a `Refusal` or None. All guards of
a step run, so a clerk sees every missing paper at once rather than one per attempt.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from states.dossier import DocumentKind as D
from states.model import Basis, Case, Level, Scope
from states.policy import DEFAULT_POLICY, Policy


@dataclass(frozen=True)
class Refusal:
    """`rule` is the English text; `key` and `params` let the service layer say it in the
    user's language (message `refusal.<key>`), `clause` is where the regulation says it."""

    rule: str
    clause: str
    key: str = ""
    params: dict[str, Any] = field(default_factory=dict, compare=False)

    def __str__(self) -> str:
        return f"{self.rule} — {self.clause}"


class RuleViolation(Exception):
    """A transition the regulation does not allow; carries every refusal."""

    def __init__(self, refusals: Iterable[Refusal]) -> None:
        self.refusals = tuple(refusals)
        super().__init__("; ".join(str(r) for r in self.refusals))


@dataclass(frozen=True)
class PartnerFacts:
    """The partner a case names, as the registry has it for the case's dates."""

    name: str
    agreements_covering: tuple[str, ...] = ()  # agreements valid over the whole stay
    quota_places: int | None = None  # None: ЭАБД set no quota for this year and type
    quota_used: int = 0  # orders already issued against it


@dataclass(frozen=True)
class Facts:
    """What a guard may know beyond the case itself, gathered by the service layer."""

    today: date
    documents: frozenset[str] = frozenset()
    unfinished_cases: tuple[int, ...] = ()
    payload: dict[str, Any] = field(default_factory=dict)
    policy: Policy = DEFAULT_POLICY
    partner: PartnerFacts | None = None
    # Terms ("fall", "spring") of the ЖОП's courses taught by distance while abroad.
    distance_terms: frozenset[str] = frozenset()


Guard = Callable[[Case, Facts], Refusal | None]

_DOC_NAMES = {
    D.application: "the application (арыз)",
    D.study_plan: "the individual study plan (ЖОП, annex 2)",
    D.parents_consent: "the parents' consent / guarantee letter (annex 6)",
    D.transcript: "the transcript",
    D.questionnaire: "the questionnaire (annex 5)",
    D.motivation_letter: "the motivation letter",
    D.passport_copy: "the copy of the citizenship document",
    D.language_certificate: "the language certificate",
    D.dean_nomination: "the dean's nomination (annex 1)",
    D.invitation_letter: "the host's official invitation letter",
    D.mobility_order: "the mobility order",
    D.staff_trip_order: "the business-trip order",
    D.host_transcript: "the host's transcript with credits",
    D.certificate: "the participation certificate",
    D.reference_letter: "the reference letter with course hours",
    D.substitution_note: "the head of department's class substitution note",
    D.expense_report: "the expense report to accounting",
    D.presentation_minutes: "the minutes of the presentation at the department",
    D.staff_report: "the short report to ЭАБД",
    D.partner_nomination: "the partner's nomination",
    D.issued_transcript: "the transcript issued by OshSU",
}


def document_name(doc: D) -> str:
    return _DOC_NAMES.get(doc, doc.value.replace("_", " "))


def missing(docs: Iterable[D], facts: Facts, clause: str) -> list[Refusal]:
    return [
        Refusal(f"{document_name(d)} is missing", clause, "doc_missing", {"doc": d.value})
        for d in docs
        if d.value not in facts.documents
    ]


# --- eligibility ("ЭАБД duties", "ФД duties", "Student duties") -----------------------------


def gpa_above_minimum(case: Case, facts: Facts) -> Refusal | None:
    if not case.competitive:
        return None
    gpa, floor = case.participant.gpa, facts.policy.min_gpa_exclusive
    if gpa is None:
        return Refusal("the student's GPA is not recorded", "4.8, ФД duties", "gpa_unknown")
    if gpa <= floor:
        return Refusal(
            f"GPA {gpa:g} is not above {floor:g}",
            "4.8, ФД duties",
            "gpa_too_low",
            {"gpa": gpa, "floor": floor},
        )
    return None


def no_tuition_debt(case: Case, facts: Facts) -> Refusal | None:
    if case.participant.tuition_debt and case.participant.funding_basis == "contract":
        return Refusal(
            "a contract student with tuition debt cannot take part in exchange programmes",
            "4.8, Student duties",
            "tuition_debt",
        )
    return None


def no_unfinished_case(case: Case, facts: Facts) -> Refusal | None:
    if facts.unfinished_cases:
        ids = ", ".join(f"#{i}" for i in facts.unfinished_cases)
        return Refusal(
            f"the participant's previous mobility ({ids}) is not finished",
            "4.8, Student duties",
            "unfinished_case",
            {"cases": ids},
        )
    return None


def within_semester_window(case: Case, facts: Facts) -> Refusal | None:
    """Semester-long mobility is open only in certain semesters of each level."""
    p = case.participant
    n = p.semester_of_study
    if p.level is None or n is None:
        return Refusal(
            "the student's level, year and semester are not recorded", "4.8", "study_year_unknown"
        )
    last = facts.policy.programme_years[p.level] * 2
    where = f"year {p.year}, semester {p.semester}"
    clause = "4.8, Student duties"
    at = {"year": p.year, "semester": p.semester}
    if p.level is Level.bachelor:
        if n < 2:
            return Refusal(
                f"bachelor students go from the 2nd semester of year 1 ({where})",
                clause,
                "bachelor_too_early",
                at,
            )
        if n == 2 and case.scope is not Scope.domestic:
            return Refusal(
                f"first-year bachelor students go to domestic institutions only ({where})",
                clause,
                "bachelor_first_year_domestic",
                at,
            )
        if n > last:
            return Refusal(
                f"semester {n} is beyond the programme's {last} semesters",
                clause,
                "beyond_programme",
                {"n": n, "last": last},
            )
    elif p.level is Level.master:
        if n not in (2, 3):
            return Refusal(
                f"master students go in semesters 2 and 3 only ({where})",
                clause,
                "master_semesters",
                at,
            )
    elif not 2 <= n <= last - 1:
        return Refusal(
            f"college students go from the 2nd semester of year 1 to the 1st semester of the "
            f"final year ({where})",
            clause,
            "college_semesters",
            at,
        )
    return None


# --- partners, agreements and quotas (3.2, 5.3, 5.4) ----------------------------------------


def agreement_covers_dates(case: Case, facts: Facts) -> Refusal | None:
    if case.basis is not Basis.agreement:
        return None  # an individual invitation or personal initiative needs no agreement
    if facts.partner is None:
        return Refusal(
            "name the partner whose agreement the mobility rests on, or mark the case an "
            "individual invitation or personal initiative",
            "3.2",
            "partner_unnamed",
        )
    if not facts.partner.agreements_covering:
        return Refusal(
            f"no agreement with {facts.partner.name} covers {case.start_date} – {case.end_date}",
            "3.2, 5.4",
            "no_agreement",
            {"partner": facts.partner.name, "start": case.start_date, "end": case.end_date},
        )
    return None


def within_quota(case: Case, facts: Facts) -> Refusal | None:
    p = facts.partner
    if case.basis is not Basis.agreement or p is None or p.quota_places is None:
        return None
    if p.quota_used >= p.quota_places:
        return Refusal(
            f"the quota with {p.name} is used up: {p.quota_used} of {p.quota_places} places",
            "4.8, ЭАБД duties",
            "quota_used_up",
            {"partner": p.name, "used": p.quota_used, "places": p.quota_places},
        )
    return None


# --- payload rules ---------------------------------------------------------------------------


def reason_given(case: Case, facts: Facts) -> Refusal | None:
    if not str(facts.payload.get("reason") or "").strip():
        return Refusal(
            "a reason is required for this decision", "4.8, ЭАБД duties", "reason_missing"
        )
    return None


def return_date_valid(case: Case, facts: Facts) -> Refusal | None:
    actual = facts.payload.get("actual_end_date")
    if not isinstance(actual, date):
        return Refusal("the actual date of return is required", "1.4", "return_date_missing")
    if actual < case.start_date:
        return Refusal(
            f"return {actual} is before the mobility started ({case.start_date})",
            "1.4",
            "return_before_start",
            {"actual": actual, "start": case.start_date},
        )
    if actual > facts.today:
        return Refusal(
            f"return {actual} is in the future (today is {facts.today})",
            "1.4",
            "return_in_future",
            {"actual": actual, "today": facts.today},
        )
    return None


def exam_term_given(case: Case, facts: Facts) -> Refusal | None:
    if facts.payload.get("term") not in ("fall", "spring"):
        return Refusal(
            "say which semester's distance-course exams were sat: fall or spring",
            "4.8, ФД duties",
            "exam_term_missing",
        )
    return None


def failed_credits_given(case: Case, facts: Facts) -> Refusal | None:
    failed = facts.payload.get("failed_credits")
    if not isinstance(failed, int) or isinstance(failed, bool) or failed < 0:
        return Refusal(
            "the number of failed host credits (0 or more) is required",
            "4.8, ФД duties",
            "failed_credits_missing",
        )
    return None


# --- staff approvals ("ИПК duties") ----------------------------------------------------------


def project_funded_only(case: Case, facts: Facts) -> Refusal | None:
    if not case.is_project_funded:
        return Refusal(
            "the project lead approves only trips funded by a research project",
            "ИПК duties",
            "project_lead_not_needed",
        )
    return None


def project_lead_first_unless_done(case: Case, facts: Facts) -> Refusal | None:
    if case.is_project_funded and case.state != "project_lead_approved":
        return Refusal(
            "a project-funded trip needs the project lead's approval before the vice-rector's",
            "ИПК duties",
            "project_lead_first",
        )
    return None


# --- papers each step needs ------------------------------------------------------------------


def application_documents(case: Case, facts: Facts) -> list[Refusal]:
    needed = list(facts.policy.application_documents)
    if case.language_certificate_required:
        needed.append(D.language_certificate)
    return missing(needed, facts, "4.2, Student duties")


def study_plan_for_long_term(case: Case, facts: Facts) -> list[Refusal]:
    return missing([D.study_plan], facts, "1.3.6")


def order_basis(case: Case, facts: Facts) -> list[Refusal]:
    needed = [D.invitation_letter]
    if case.kind == "outgoing_student_long":
        needed += [D.dean_nomination, D.study_plan]
    return missing(needed, facts, "1.4, 4.3")


def long_term_evidence(case: Case, facts: Facts) -> list[Refusal]:
    return missing([D.host_transcript, D.certificate], facts, "1.3.5, 3.6")


def short_term_evidence(case: Case, facts: Facts) -> list[Refusal]:
    return missing([D.reference_letter, D.certificate], facts, "1.3.5")


def staff_application(case: Case, facts: Facts) -> list[Refusal]:
    return missing(facts.policy.staff_application_documents, facts, "ИПК duties")


def staff_reports(case: Case, facts: Facts) -> list[Refusal]:
    needed = [D.presentation_minutes, D.staff_report]
    if case.is_university_funded:
        needed.insert(0, D.expense_report)
    return missing(needed, facts, "ИПК duties")


def needs(*docs: D, clause: str) -> Callable[[Case, Facts], list[Refusal]]:
    def check(case: Case, facts: Facts) -> list[Refusal]:
        return missing(docs, facts, clause)

    check.__name__ = "needs_" + "_".join(d.value for d in docs)
    return check
