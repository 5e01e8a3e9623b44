"""Who may see and do what, as the regulation divides the duties (4.1, 4.8).

Two questions, asked of every case a user touches:
- scope: may this user see the case at all? A dean's office works on its own faculty's
  cases, a head of department on their own department's staff trips, accounting on staff
  trips; ЭАБД, the rector, the vice-rectors, the admin and auditors see everything.
- duty: may this user's role take this step? Each step names its roles (states/kinds.py).
  Auditors read only; the admin manages accounts and takes no step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, and_, false, true

from states.kinds import DEFINITIONS, Step
from states.machine import NotPermitted, possible_events
from states.model import Case, CaseKind, FundingSource, Role
from storage.orm import CaseRow

if TYPE_CHECKING:  # users imports cases, which imports people, which imports us
    from .users import User

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
# Who hands papers into a case file: the offices that run a case, and accounting for the
# staff member's expense report.
UPLOADERS = frozenset(
    {Role.iro, Role.dean_office, Role.head_of_department, Role.project_lead, Role.accounting}
)
# Who opens cases: ЭАБД for any, a dean's office for its faculty, a head of department for
# the staff trips of their department.
OPENERS = frozenset({Role.iro, Role.dean_office, Role.head_of_department})


def in_scope(user: User, case: Case) -> bool:
    role = user.role
    if role in SEES_ALL:
        return True
    if role is Role.dean_office:
        return user.faculty is not None and case.faculty == user.faculty
    if role is Role.head_of_department:
        return (
            case.kind is CaseKind.outgoing_staff
            and user.department is not None
            and case.department == user.department
            and (user.faculty is None or case.faculty == user.faculty)
        )
    if role is Role.project_lead:
        return (
            case.kind is CaseKind.outgoing_staff
            and case.is_project_funded
            and (user.faculty is None or case.faculty == user.faculty)
        )
    if role is Role.accounting:
        return case.kind is CaseKind.outgoing_staff
    return False


def scope_clause(user: User) -> ColumnElement[bool]:
    """The same rule as `in_scope`, as a WHERE clause on cases (uses ix_cases_faculty_state)."""
    role = user.role
    staff = CaseRow.kind == CaseKind.outgoing_staff.value
    if role in SEES_ALL:
        return true()
    if role is Role.dean_office:
        return CaseRow.faculty == user.faculty if user.faculty else false()
    if role is Role.head_of_department:
        if not user.department:
            return false()
        clause = and_(staff, CaseRow.department == user.department)
        return and_(clause, CaseRow.faculty == user.faculty) if user.faculty else clause
    if role is Role.project_lead:
        clause = and_(staff, CaseRow.funding_source == FundingSource.research_project.value)
        return and_(clause, CaseRow.faculty == user.faculty) if user.faculty else clause
    if role is Role.accounting:
        return staff
    return false()


def _outside(user: User, case: Case) -> NotPermitted:
    where = f"the {user.faculty}" if user.faculty else "your scope"
    return NotPermitted(
        f"case #{case.id} is outside {where}: a {user.role.value} account does not see it",
        "outside_scope",
        id=case.id,
        role=user.role,
    )


def check_can_see(user: User, case: Case) -> None:
    if not in_scope(user, case):
        raise _outside(user, case)


def check_can_open(user: User, case: Case) -> None:
    if user.role not in OPENERS:
        raise NotPermitted(
            f"a {user.role.value} account does not open cases", "not_opener", role=user.role
        )
    if not in_scope(user, case):
        raise NotPermitted(
            f"a {user.role.value} account opens cases of its own "
            f"{'department' if user.role is Role.head_of_department else 'faculty'} only",
            "opens_own_only",
            role=user.role,
        )


def check_can_upload(user: User, case: Case) -> None:
    check_can_see(user, case)
    if user.role not in UPLOADERS:
        raise NotPermitted(
            f"a {user.role.value} account does not hand in papers", "not_uploader", role=user.role
        )


def check_can_fire(user: User, case: Case, event: str) -> None:
    """Scope only: the role check belongs to the machine, which names the roles a step is for."""
    check_can_see(user, case)


def steps_for(user: User, case: Case) -> list[Step]:
    """The steps this user may take on this case now: the buttons on the case page."""
    if not in_scope(user, case):
        return []
    definition = DEFINITIONS[case.kind]
    steps = [definition.step(event) for event in possible_events(case)]
    return [s for s in steps if s is not None and user.role in s.roles]


def check_can_manage_users(user: User) -> None:
    if user.role is not Role.admin:
        raise NotPermitted("only the admin manages user accounts", "not_admin")
