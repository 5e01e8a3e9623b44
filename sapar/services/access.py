"""Who may see and do what, asked of a logged-in user: the rules are in states/roles.py (whose
cases an account sees, which offices open cases and hand in papers) and states/kinds.py (the
roles each step names); here they are applied to a user, raised as refusals, and the scope
rule is turned into a WHERE clause.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, and_, false, true

from states import roles
from states.kinds import DEFINITIONS, Step
from states.machine import NotPermitted, possible_events
from states.model import Case, CaseKind, FundingSource, Role
from storage.orm import CaseRow

if TYPE_CHECKING:  # users imports cases, which imports people, which imports us
    from .users import User


def in_scope(user: User, case: Case) -> bool:
    return roles.sees(user, case)


def scope_clause(user: User) -> ColumnElement[bool]:
    """The same rule as `roles.sees`, as a WHERE clause on cases (uses ix_cases_faculty_state)."""
    role = user.role
    staff = CaseRow.kind == CaseKind.outgoing_staff.value
    if role in roles.SEES_ALL:
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
    if user.role not in roles.OPENERS:
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
    if user.role not in roles.UPLOADERS:
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
