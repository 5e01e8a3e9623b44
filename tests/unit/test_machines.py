"""The machines themselves: stored state respected, impossible steps and wrong roles refused."""

from __future__ import annotations

from datetime import date

import pytest

from states.guards import Facts
from states.kinds import DEFINITIONS, SAME_STATE
from states.machine import InvalidTransition, NotPermitted, machine_for, possible_events
from states.model import CaseKind, OpenDeadline, RenderDocument, Role
from tests.builders import a_case

TODAY = date(2026, 11, 23)


def test_a_case_bound_to_its_machine_keeps_its_stored_state() -> None:
    # transitions' `initial` would silently reset a loaded case to the first state.
    case = a_case(state="abroad")
    machine_for(case.kind).fire(
        case,
        "return_home",
        role=Role.iro,
        facts=Facts(today=TODAY, payload={"actual_end_date": date(2026, 6, 30)}),
    )
    assert case.state == "returned"


def test_one_machine_serves_every_case_of_a_kind() -> None:
    first, second = a_case(state="abroad"), a_case(state="ordered")
    assert machine_for(first.kind) is machine_for(second.kind)
    assert possible_events(first) == ["return_home", "record_distance_exams"]
    assert possible_events(second) == ["depart", "withdraw"]


def test_a_step_from_the_wrong_state_is_refused_and_names_what_is_possible() -> None:
    case = a_case(state="application")
    with pytest.raises(InvalidTransition, match="possible here: nominate, withdraw, reject"):
        machine_for(case.kind).fire(case, "issue_order", role=Role.iro, facts=Facts(today=TODAY))
    assert case.state == "application"


def test_an_unknown_step_is_refused() -> None:
    case = a_case(state="application")
    with pytest.raises(InvalidTransition, match="'fly' is not a step"):
        machine_for(case.kind).fire(case, "fly", role=Role.iro, facts=Facts(today=TODAY))


def test_a_closed_case_allows_nothing() -> None:
    case = a_case(state="closed")
    with pytest.raises(InvalidTransition, match="none \\(the case is finished\\)"):
        machine_for(case.kind).fire(case, "withdraw", role=Role.iro, facts=Facts(today=TODAY))


def test_a_role_the_step_is_not_for_is_refused() -> None:
    case = a_case(state="application")
    with pytest.raises(NotPermitted, match="'nominate' is for dean_office, not accounting"):
        machine_for(case.kind).fire(
            case, "nominate", role=Role.accounting, facts=Facts(today=TODAY)
        )


def test_an_early_return_moves_the_report_deadline_to_a_month_after_the_real_date() -> None:
    case = a_case(state="abroad", end_date=date(2026, 6, 30))
    effects = machine_for(case.kind).fire(
        case,
        "return_home",
        role=Role.iro,
        facts=Facts(today=TODAY, payload={"actual_end_date": date(2026, 5, 31)}),
    )
    assert case.actual_end_date == date(2026, 5, 31)
    assert OpenDeadline("student_report", date(2026, 6, 30)) in effects
    assert RenderDocument("return_order") in effects


@pytest.mark.parametrize("kind", list(CaseKind))
def test_every_kind_names_the_card_path_and_ends_closed(kind: CaseKind) -> None:
    definition = DEFINITIONS[kind]
    assert "closed" in definition.states
    reachable = {definition.initial}
    frontier = [definition.initial]
    while frontier:
        state = frontier.pop()
        for step in definition.steps:
            if state in step.source and step.dest not in reachable | {SAME_STATE}:
                reachable.add(step.dest)
                frontier.append(step.dest)
    assert reachable == set(definition.states), "every state is reachable"
    for step in definition.steps:
        assert set(step.source) <= set(definition.states)
        assert not (set(step.source) & definition.terminal), "nothing leaves a finished case"
        assert step.roles, f"{step.event} names who may take it"


def test_outgoing_student_path_reads_application_to_recognition() -> None:
    states = DEFINITIONS[CaseKind.outgoing_student_long].states
    assert states[:8] == (
        "application",
        "nominated",
        "invited",
        "ordered",
        "abroad",
        "returned",
        "recognition",
        "closed",
    )
