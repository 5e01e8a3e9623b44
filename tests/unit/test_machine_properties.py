"""Random sequences of steps never lead a case outside its machine."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from states.dossier import DocumentKind
from states.guards import Facts, RuleViolation
from states.kinds import DEFINITIONS, SAME_STATE
from states.machine import InvalidTransition, NotPermitted, machine_for
from states.model import CaseKind, FundingSource, Role
from tests.builders import a_case, a_guest, a_staff_member, a_student

ALL_PAPERS = frozenset(d.value for d in DocumentKind)
PAYLOADS = st.fixed_dictionaries(
    {},
    optional={
        "reason": st.sampled_from(["", "not selected", "no invitation came"]),
        "actual_end_date": st.dates(date(2025, 9, 1), date(2027, 1, 1)),
        "failed_credits": st.integers(-2, 40),
    },
)
EVENTS = sorted({s.event for d in DEFINITIONS.values() for s in d.steps} | {"fly"})


def participant_for(kind: CaseKind):  # type: ignore[no-untyped-def]
    if kind is CaseKind.outgoing_staff:
        return a_staff_member()
    if kind.is_incoming:
        return a_guest()
    return a_student()


@settings(max_examples=200, deadline=None)
@given(
    kind=st.sampled_from(list(CaseKind)),
    funding=st.sampled_from(list(FundingSource)),
    steps=st.lists(
        st.tuples(
            st.sampled_from(EVENTS),
            st.sampled_from(list(Role)),
            PAYLOADS,
            st.frozensets(st.sampled_from(sorted(ALL_PAPERS))),
        ),
        max_size=25,
    ),
)
def test_random_steps_only_ever_follow_the_machines_own_transitions(
    kind: CaseKind, funding: FundingSource, steps: list[tuple[str, Role, dict, frozenset[str]]]
) -> None:
    definition = DEFINITIONS[kind]
    allowed = {(src, s.event): s.dest for s in definition.steps for src in s.source}
    case = a_case(participant_for(kind), kind=kind, funding_source=funding)
    for event, role, payload, papers in steps:
        before = case.state
        facts = Facts(today=date(2026, 11, 23), documents=papers, payload=payload)
        try:
            machine_for(kind).fire(case, event, role=role, facts=facts)
        except (InvalidTransition, NotPermitted, RuleViolation):
            assert case.state == before, "a refused step leaves the case as it was"
            continue
        dest = allowed[(before, event)]
        assert case.state == (before if dest == SAME_STATE else dest)
        assert case.state in definition.states
