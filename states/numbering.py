"""The registration numbers the university's papers carry: which series each paper is entered
in, and how its number reads. The regulation names the papers (orders, 1.4; the letters of
"ЭАБД duties"; the recognition decision, "ФД duties") but not their journals: the series are
the registry office's, one counter per series and calendar year (storage/numbering.py)."""

from __future__ import annotations

from states.dossier import DocumentKind as D

# Orders on students' mobility share the АМ journal (1.4: departure, return, and the guests'
# enrolment, "КАОЖ duties"); staff business trips have their own (ИС, "ИПК duties"); ЭАБД's
# letters abroad are entered in its outgoing journal; the faculty's recognition decisions (ТН)
# and notices of a missed deadline (ЭК) are numbered by the faculty's journals. A paper not
# listed (a dean's nomination, the annexes a student fills in) carries no university number.
SERIES: dict[D, str] = {
    D.mobility_order: "АМ",
    D.return_order: "АМ",
    D.enrolment_order: "АМ",
    D.staff_trip_order: "ИС",
    D.invitation_request: "ЭАБД",
    D.incoming_invitation: "ЭАБД",
    D.referral_letter: "ЭАБД",
    D.recognition_decision: "ТН",
    D.missed_deadline_notice: "ЭК",
    # Latin: the transcript goes to the guest's home university abroad (its English copy
    # prints the number too).
    D.issued_transcript: "TR",
}


def series_of(paper: D) -> str | None:
    """The journal a paper of this type is entered in, None for a paper without a number."""
    return SERIES.get(paper)


def registration_number(sequence: int, series: str) -> str:
    """As the paper prints it: "12/АМ", the series' twelfth paper of the year."""
    return f"{sequence}/{series}"


def placeholder_number(paper: D) -> str | None:
    """The number a preview prints before the paper is issued ("0/АМ"): shaped like the real
    one, so a preview is as long as the paper."""
    series = series_of(paper)
    return registration_number(0, series) if series else None
