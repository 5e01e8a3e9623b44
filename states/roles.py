"""Who may see and do what beyond the steps of a case, as the regulation divides the duties
(4.1, 4.8; the lists of duties name each office). The steps of a case name their own roles
(states/kinds.py); this module holds the rest: whose cases an account sees, and which offices
open cases, hand in papers, keep the partner registry, read the statistics.
"""

from __future__ import annotations

from typing import Protocol

from states.model import Case, CaseKind, Role


class Seat(Protocol):
    """An account as the rules see it: its role and the unit it works for."""

    @property
    def role(self) -> Role: ...
    @property
    def faculty(self) -> str | None: ...
    @property
    def department(self) -> str | None: ...


# The offices that lead or coordinate mobility university-wide (4.1: the rector and the
# vice-rectors lead it, ЭАБД coordinates it), plus the admin and the auditors, who read
# everything: they see every case.
SEES_ALL = frozenset(
    {
        Role.iro,
        Role.rector,
        Role.vice_rector_academic,
        Role.vice_rector_research,
        Role.admin,
        Role.auditor,
    }
)
# Who opens cases: ЭАБД for any (4.3, "ЭАБД duties"), a dean's office for its faculty
# ("ФД duties": the faculty competition), a head of department for the staff trips of their
# department ("ИПК duties": the approval chain starts there).
OPENERS = frozenset({Role.iro, Role.dean_office, Role.head_of_department})
# Who hands papers into a case file: the offices that run a case, and accounting for the staff
# member's expense report ("ИПК duties": within 5 working days, to accounting).
UPLOADERS = frozenset(
    {Role.iro, Role.dean_office, Role.head_of_department, Role.project_lead, Role.accounting}
)
# Who records and corrects people: the offices that open cases, and the admin.
PEOPLE_KEEPERS = OPENERS | {Role.admin}
# ЭАБД keeps the partner registry and sets the quotas (5.3, 5.4, "ЭАБД duties"); the admin may
# load a registry file too, but edits nothing by hand.
PARTNER_EDITORS = frozenset({Role.iro})
PARTNER_IMPORTERS = frozenset({Role.iro, Role.admin})
# ЭАБД issues the orders on the list of cases (1.4: through ЭАБД, on the invitation and ЖОП).
ORDER_ISSUERS = frozenset({Role.iro})
# Who re-sends a paper or letter that failed: ЭАБД, which issues them, and the admin.
RETRIERS = frozenset({Role.iro, Role.admin})
# The year's statistics (5.6): built by ЭАБД for the leadership; each faculty reports its own
# mobility to ЭАБД, so a dean's office reads its faculty's figures.
STATISTICS_READERS = frozenset(
    {
        Role.iro,
        Role.rector,
        Role.vice_rector_academic,
        Role.vice_rector_research,
        Role.auditor,
        Role.dean_office,
    }
)
# The dean's office decides recognition and enters the ЖОП and the host grades (3.4, 4.5,
# "ФД duties").
RECOGNISERS = frozenset({Role.dean_office})
# The officials who sign the papers are kept by the admin.
OFFICIALS_EDITORS = frozenset({Role.admin})
# Accounts that work for one faculty and name it (a dean's office, a head of department).
FACULTY_BOUND = frozenset({Role.dean_office, Role.head_of_department})


def sees(seat: Seat, case: Case) -> bool:
    """May this account see the case at all? A dean's office works on its own faculty's
    cases ("ФД duties"), a head of department on the staff trips of their department, a
    project lead on the trips its research project funds, accounting on staff trips (the
    expense report, "ИПК duties"); the offices of SEES_ALL see everything."""
    role = seat.role
    if role in SEES_ALL:
        return True
    if role is Role.dean_office:
        return seat.faculty is not None and case.faculty == seat.faculty
    if role is Role.head_of_department:
        return (
            case.kind is CaseKind.outgoing_staff
            and seat.department is not None
            and case.department == seat.department
            and (seat.faculty is None or case.faculty == seat.faculty)
        )
    if role is Role.project_lead:
        return (
            case.kind is CaseKind.outgoing_staff
            and case.is_project_funded
            and (seat.faculty is None or case.faculty == seat.faculty)
        )
    if role is Role.accounting:
        return case.kind is CaseKind.outgoing_staff
    return False
