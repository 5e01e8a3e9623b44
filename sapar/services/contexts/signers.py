"""Who signs each paper (4.1, 4.8): the posts it prints, checked when a step asks for the
paper, so a missing official refuses the step instead of failing the paper later."""

from __future__ import annotations

from sapar.officials import Post
from states.dossier import DocumentKind
from states.model import Case


def faculty_of(c: Case) -> str:
    return c.faculty or c.participant.faculty or ""


def department_of(c: Case) -> str:
    return c.department or c.participant.department or ""


ORDER_HEAD: list[Post] = [
    Post.rector, Post.vice_rector_academic, Post.iro_director, Post.lawyer,
]  # fmt: skip


def staff_trip_chain(c: Case) -> list[tuple[Post, str]]:
    """The staff trip's approvers in the regulation's order: head of department → dean →
    (project lead, named on the case) → vice-rector for research; then ЭАБД."""
    return [
        (Post.head_of_department, department_of(c)),
        (Post.dean, faculty_of(c)),
        (Post.vice_rector_research, ""),
        (Post.iro_director, ""),
    ]


def programme_approvers(c: Case) -> list[tuple[Post, str]]:
    """Annexes 1 and 2 are agreed by the programme lead (the head of department) and the
    deputy dean for academic affairs, and approved by the dean (4.8, ФД duties)."""
    lead = [(Post.head_of_department, department_of(c))] if department_of(c) else []
    return [*lead, (Post.deputy_dean_academic, faculty_of(c))]


def needs(kind: DocumentKind, c: Case) -> list[tuple[Post, str]]:
    """The posts a paper of `kind` about case `c` prints: checked when a step asks for the
    paper, so a missing official refuses the step instead of failing the paper later."""
    faculty = faculty_of(c)
    order = [(p, "") for p in ORDER_HEAD]
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
