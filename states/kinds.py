"""The case kinds as data: states, steps, who may take each step, its guards and its effects.

One definition per kind; `states.machine` builds one `transitions` machine from each.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from states import guards as g
from states.dossier import DocumentKind as D
from states.grades import RecognitionOutcome, recognition_outcome
from states.model import (
    TERMINAL_STATES,
    Case,
    CaseKind,
    CloseDeadline,
    Effect,
    OpenDeadline,
    RenderDocument,
)
from states.model import Role as R
from states.periods import academic_year_of, distance_exam_window, report_due
from states.workdays import expense_report_due

Check = Callable[[Case, g.Facts], "g.Refusal | list[g.Refusal] | None"]
EffectRule = Callable[[Case, g.Facts], Sequence[Effect]]
Apply = Callable[[Case, g.Facts], None]


@dataclass(frozen=True)
class Step:
    event: str
    source: tuple[str, ...]
    dest: str
    roles: frozenset[R]
    checks: tuple[Check, ...] = ()
    effects: tuple[EffectRule, ...] = ()
    needs_reason: bool = False
    # Pure updates of the case from the event's data, made once the guards have passed.
    apply: tuple[Apply, ...] = ()


@dataclass(frozen=True)
class KindDefinition:
    kind: CaseKind
    states: tuple[str, ...]
    steps: tuple[Step, ...]
    terminal: frozenset[str] = TERMINAL_STATES

    @property
    def initial(self) -> str:
        return self.states[0]

    def step(self, event: str) -> Step | None:
        return next((s for s in self.steps if s.event == event), None)


def step(
    event: str,
    source: str | tuple[str, ...],
    dest: str,
    roles: set[R],
    checks: Sequence[Check] = (),
    effects: Sequence[EffectRule] = (),
    needs_reason: bool = False,
    apply: Sequence[Apply] = (),
) -> Step:
    src = (source,) if isinstance(source, str) else source
    if needs_reason:
        checks = (g.reason_given, *checks)
    return Step(
        event,
        src,
        dest,
        frozenset(roles),
        tuple(checks),
        tuple(effects),
        needs_reason,
        tuple(apply),
    )


# --- updates from the event's data ---------------------------------------------------------


def record_return(case: Case, facts: g.Facts) -> None:
    """An early return is a return with its actual date (it moves the report deadline)."""
    case.actual_end_date = facts.payload["actual_end_date"]


def record_recognition(case: Case, facts: g.Facts) -> None:
    failed = int(facts.payload.get("failed_credits") or 0)
    case.failed_credits = failed
    case.outcome = recognition_outcome(failed, expulsion_threshold=facts.policy.expulsion_threshold)


# --- effects: pure functions of the case and the facts -------------------------------------


def render(doc: D) -> EffectRule:
    def rule(case: Case, facts: g.Facts) -> Sequence[Effect]:
        return [RenderDocument(doc.value)]

    return rule


def submit_expulsion(case: Case, facts: g.Facts) -> Sequence[Effect]:
    """4.8, "ФД duties": failed host credits above the threshold mean expulsion after return
    in the established order — the decision that finds it asks for the dean's submission."""
    if case.outcome is RecognitionOutcome.expulsion_proposal:
        return [RenderDocument(D.expulsion_submission.value)]
    return []


def open_report_deadline(case: Case, facts: g.Facts) -> Sequence[Effect]:
    return [OpenDeadline("student_report", report_due(case.mobility_end))]


def open_expense_report_deadline(case: Case, facts: g.Facts) -> Sequence[Effect]:
    if not case.is_university_funded:
        return []
    policy = facts.policy
    due = expense_report_due(
        case.mobility_end, policy.work_calendar, policy.expense_report_working_days
    )
    return [OpenDeadline("expense_report", due)]


def open_distance_exam_deadlines(case: Case, facts: g.Facts) -> Sequence[Effect]:
    """Distance-taught difference courses are examined in set windows (4.8, ФД duties):
    the exam duty is due on the window's last day."""
    year = academic_year_of(case.start_date)
    return [
        OpenDeadline(f"distance_exams_{term}", distance_exam_window(term, year)[1])
        for term in ("fall", "spring")
        if term in facts.distance_terms
    ]


def close_deadline(kind: str) -> EffectRule:
    def rule(case: Case, facts: g.Facts) -> Sequence[Effect]:
        return [CloseDeadline(kind)]

    return rule


def close_distance_exams(case: Case, facts: g.Facts) -> Sequence[Effect]:
    return [CloseDeadline(f"distance_exams_{facts.payload['term']}")]


def close_all_deadlines(case: Case, facts: g.Facts) -> Sequence[Effect]:
    return [CloseDeadline("*")]


# --- the kinds -----------------------------------------------------------------------------

SAME_STATE = "="

# The order (or OshSU's acceptance of a guest) rests on an agreement in force and a free place.
PARTNER_RULES: tuple[Check, ...] = (g.agreement_covers_dates, g.within_quota)

_BEFORE_ORDER_STUDENT = ("application", "nominated", "invited", "ordered")


def _outgoing_student(kind: CaseKind) -> KindDefinition:
    long_term = kind is CaseKind.outgoing_student_long
    eligibility: list[Check] = [g.no_unfinished_case, g.gpa_above_minimum, g.no_tuition_debt]
    application: list[Check] = [g.application_documents]
    if long_term:
        # The semester windows are set for semester-long mobility only ("Student duties").
        eligibility.append(g.within_semester_window)
        application.append(g.study_plan_for_long_term)
    evidence = g.long_term_evidence if long_term else g.short_term_evidence
    decide_checks: list[Check] = [g.failed_credits_given] if long_term else []
    # Short stays bring hours and certificates, not credits: no course-by-course decision.
    decision = [render(D.recognition_decision), submit_expulsion] if long_term else []
    return KindDefinition(
        kind=kind,
        states=(
            "application",
            "nominated",  # dean approval: the dean's nomination (annex 1)
            "invited",
            "ordered",
            "abroad",
            "returned",
            "recognition",
            "closed",
            "withdrawn",
            "rejected",
            "cancelled",
        ),
        steps=(
            step(
                "nominate",
                "application",
                "nominated",
                {R.dean_office},
                [*eligibility, *application],
                [render(D.dean_nomination), render(D.invitation_request)],
            ),
            step(
                "receive_invitation",
                "nominated",
                "invited",
                {R.iro},
                [g.needs(D.invitation_letter, clause="4.3")],
            ),
            step(
                "issue_order",
                "invited",
                "ordered",
                {R.iro},
                [g.order_basis, *PARTNER_RULES],
                # The referral letter goes to the host with the order ("ЭАБД duties": sent
                # after ЭАБД re-checked the student, whom the order now names).
                [render(D.mobility_order), render(D.referral_letter)],
            ),
            step(
                "depart",
                "ordered",
                "abroad",
                {R.iro, R.dean_office},
                [g.needs(D.mobility_order, clause="1.4")],
                [open_distance_exam_deadlines],
            ),
            step(
                "return_home",
                "abroad",
                "returned",
                {R.iro, R.dean_office},
                [g.return_date_valid],
                [render(D.return_order), open_report_deadline],
                apply=[record_return],
            ),
            step(
                "start_recognition",
                "returned",
                "recognition",
                {R.dean_office},
                [evidence],
                [close_deadline("student_report")],
            ),
            step(
                "decide_recognition",
                "recognition",
                "closed",
                {R.dean_office},
                decide_checks,
                [*decision, close_all_deadlines],
                apply=[record_recognition],
            ),
            # The dean's office records that the distance-taught courses' exams were sat; the
            # case stays where it is ("=": transitions' reflexive destination).
            step(
                "record_distance_exams",
                ("abroad", "returned", "recognition"),
                SAME_STATE,
                {R.dean_office},
                [g.exam_term_given],
                [close_distance_exams],
            ),
            # A withdrawal ends the student's chance this round: it says why (4.8, "ЭАБД duties").
            step(
                "withdraw",
                _BEFORE_ORDER_STUDENT,
                "withdrawn",
                {R.iro, R.dean_office},
                needs_reason=True,
            ),
            step(
                "reject",
                ("application", "nominated"),
                "rejected",
                {R.dean_office, R.iro},
                needs_reason=True,
            ),
            step("cancel", "nominated", "cancelled", {R.iro}, needs_reason=True),
        ),
    )


_OUTGOING_STAFF = KindDefinition(
    kind=CaseKind.outgoing_staff,
    states=(
        "application",
        "head_approved",
        "dean_approved",
        "project_lead_approved",
        "vice_rector_approved",
        "invited",
        "ordered",
        "abroad",
        "returned",
        "reported",
        "closed",
        "withdrawn",
        "rejected",
        "cancelled",
    ),
    steps=(
        step(
            "approve_by_head",
            "application",
            "head_approved",
            {R.head_of_department},
            [g.staff_application],
        ),
        step("approve_by_dean", "head_approved", "dean_approved", {R.dean_office}),
        step(
            "approve_by_project_lead",
            "dean_approved",
            "project_lead_approved",
            {R.project_lead},
            [g.project_funded_only],
        ),
        step(
            "approve_by_vice_rector",
            ("dean_approved", "project_lead_approved"),
            "vice_rector_approved",
            {R.vice_rector_research},
            [g.project_lead_first_unless_done],
        ),
        step(
            "receive_invitation",
            "vice_rector_approved",
            "invited",
            {R.iro},
            [g.needs(D.invitation_letter, clause="ИПК duties")],
        ),
        step(
            "issue_order",
            "invited",
            "ordered",
            {R.iro},
            [g.order_basis, *PARTNER_RULES],
            [render(D.staff_trip_order)],
        ),
        step(
            "depart",
            "ordered",
            "abroad",
            {R.iro, R.head_of_department},
            [g.needs(D.staff_trip_order, clause="1.4")],
        ),
        step(
            "return_home",
            "abroad",
            "returned",
            {R.iro, R.head_of_department},
            [g.return_date_valid],
            # The form of the short report to ЭАБД (3.6), handed back filled in as staff_report.
            [open_expense_report_deadline, render(D.staff_report_form)],
            apply=[record_return],
        ),
        step(
            "file_report",
            "returned",
            "reported",
            {R.iro},
            [g.staff_reports],
            [close_deadline("expense_report")],
        ),
        step("close", "reported", "closed", {R.iro}, [], [close_all_deadlines]),
        step(
            "withdraw",
            (
                "application",
                "head_approved",
                "dean_approved",
                "project_lead_approved",
                "vice_rector_approved",
                "invited",
                "ordered",
            ),
            "withdrawn",
            {R.iro},
            needs_reason=True,
        ),
        step(
            "reject",
            ("application", "head_approved", "dean_approved", "project_lead_approved"),
            "rejected",
            {R.head_of_department, R.dean_office, R.project_lead, R.vice_rector_research},
            needs_reason=True,
        ),
        step("cancel", "vice_rector_approved", "cancelled", {R.iro}, needs_reason=True),
    ),
)


def _incoming(kind: CaseKind) -> KindDefinition:
    return KindDefinition(
        kind=kind,
        states=(
            "nominated",  # by the partner
            "accepted",  # OshSU's invitation
            "enrolled",  # the enrolment order
            "at_oshsu",
            "transcript_issued",
            "closed",
            "withdrawn",
            "rejected",
        ),
        steps=(
            step(
                "accept",
                "nominated",
                "accepted",
                {R.iro},
                [g.needs(D.partner_nomination, clause="1.5, КАОЖ duties"), *PARTNER_RULES],
                [render(D.incoming_invitation)],
            ),
            step("enrol", "accepted", "enrolled", {R.iro}, [], [render(D.enrolment_order)]),
            step(
                "arrive",
                "enrolled",
                "at_oshsu",
                {R.iro, R.dean_office},
                [g.needs(D.enrolment_order, clause="1.5")],
            ),
            # OshSU issues the guest's transcript of records (a staff guest's certificate of
            # the stay) from the grades the faculty entered ("КАОЖ duties"); the paper goes
            # to the home university, so it is in English when that one is abroad.
            step(
                "issue_transcript",
                "at_oshsu",
                "transcript_issued",
                {R.dean_office},
                [],
                [render(D.issued_transcript)],
            ),
            step("close", "transcript_issued", "closed", {R.iro}),
            step(
                "withdraw",
                ("nominated", "accepted", "enrolled"),
                "withdrawn",
                {R.iro},
                needs_reason=True,
            ),
            step("reject", "nominated", "rejected", {R.iro}, needs_reason=True),
        ),
    )


# What a rule reads beyond the case and its papers, so a step gathers only what it uses.
FACTS_READ: dict[object, frozenset[str]] = {
    g.no_unfinished_case: frozenset({"unfinished_cases"}),
    g.agreement_covers_dates: frozenset({"partner"}),
    g.within_quota: frozenset({"partner"}),
    open_distance_exam_deadlines: frozenset({"distance_terms"}),
}


def facts_needed(step: Step) -> frozenset[str]:
    needed: set[str] = set()
    for rule in (*step.checks, *step.effects):
        needed |= FACTS_READ.get(rule, frozenset())
    return frozenset(needed)


DEFINITIONS: dict[CaseKind, KindDefinition] = {
    d.kind: d
    for d in (
        _outgoing_student(CaseKind.outgoing_student_long),
        _outgoing_student(CaseKind.outgoing_student_short),
        _OUTGOING_STAFF,
        _incoming(CaseKind.incoming_student),
        _incoming(CaseKind.incoming_staff),
    )
}
