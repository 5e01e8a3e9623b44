"""One `transitions` machine per case kind, shared by every case of that kind.

A case's state is a plain attribute stored in a column. To fire an event, the case is bound
to its kind's machine in its *stored* state (`add_model(initial=...)`: without it the machine
would silently put the case back in the first state), the event is triggered, and the case is
unbound. Guards run as conditions, before the state changes, so a refusal changes nothing;
the only callback after the change records intents (effects) and never does I/O, because
`transitions` does not roll a state back when a later callback raises.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any, cast

from transitions import EventData, Machine, MachineError

from states.explained import Explained
from states.guards import Facts, Refusal, RuleViolation
from states.kinds import DEFINITIONS, KindDefinition, Step
from states.model import Case, CaseKind, Effect, Role


class InvalidTransition(Explained):
    """The event does not exist for this kind, or not from the case's current state."""


class NotPermitted(Explained):
    """The actor's role may not take this step."""


class _Binding:
    """What the machine drives: the case plus the facts of this one firing."""

    state: str

    def __init__(self, case: Case, facts: Facts) -> None:
        self.case = case
        self.facts = facts
        self.effects: list[Effect] = []


def _guard(step: Step) -> Any:
    def condition(event: EventData) -> bool:
        binding = cast(_Binding, event.model)
        refusals: list[Refusal] = []
        for check in step.checks:
            found = check(binding.case, binding.facts)
            if isinstance(found, Refusal):
                refusals.append(found)
            elif found:
                refusals.extend(found)
        if refusals:
            raise RuleViolation(refusals)
        return True

    return condition


def _apply(step: Step) -> Any:
    def before(event: EventData) -> None:
        binding = cast(_Binding, event.model)
        for update in step.apply:
            update(binding.case, binding.facts)

    return before


def _record_effects(step: Step) -> Any:
    def after(event: EventData) -> None:
        binding = cast(_Binding, event.model)
        for rule in step.effects:
            binding.effects.extend(rule(binding.case, binding.facts))

    return after


class CaseMachine:
    def __init__(self, definition: KindDefinition) -> None:
        self.definition = definition
        self._machine = Machine(
            model=None,
            states=list(definition.states),
            transitions=[
                {
                    "trigger": s.event,
                    "source": list(s.source),
                    "dest": s.dest,
                    "conditions": [_guard(s)],
                    "before": [_apply(s)],
                    "after": [_record_effects(s)],
                }
                for s in definition.steps
            ],
            initial=definition.initial,
            auto_transitions=False,
            send_event=True,
            model_attribute="state",
        )
        # add_model/remove_model mutate the shared machine: one firing at a time per kind.
        self._lock = threading.Lock()

    def events_from(self, state: str) -> list[str]:
        return [s.event for s in self.definition.steps if state in s.source]

    def fire(self, case: Case, event: str, *, role: Role, facts: Facts) -> list[Effect]:
        """Apply `event` to `case` in place; return the effects it asks for.

        Raises InvalidTransition, NotPermitted or RuleViolation, leaving the case untouched.
        """
        step = self.definition.step(event)
        if step is None:
            raise InvalidTransition(
                f"'{event}' is not a step of a {case.kind.value} case",
                "not_a_step",
                event=event,
                kind=case.kind.value,
            )
        if case.state not in self.definition.states:
            raise InvalidTransition(
                f"'{case.state}' is not a state of a {case.kind.value} case",
                "unknown_state",
                state=case.state,
                kind=case.kind.value,
            )
        if case.state not in step.source:
            possible = self.events_from(case.state)
            allowed = ", ".join(possible) or "none (the case is finished)"
            raise InvalidTransition(
                f"'{event}' cannot be done in state '{case.state}'; possible here: {allowed}",
                "not_from_state",
                event=event,
                state=case.state,
                events=possible,
            )
        if role not in step.roles:
            roles = sorted(r.value for r in step.roles)
            raise NotPermitted(
                f"'{event}' is for {', '.join(roles)}, not {role.value}",
                "not_permitted",
                event=event,
                roles=roles,
                role=role.value,
            )
        binding = _Binding(case, facts)
        with self._lock:
            self._machine.add_model(binding, initial=case.state)
            try:
                binding.trigger(event)  # type: ignore[attr-defined]
            except MachineError as exc:  # pragma: no cover - pre-checked above
                raise InvalidTransition(str(exc)) from exc
            finally:
                self._machine.remove_model(binding)
        case.state = binding.state
        case.effects.extend(binding.effects)
        return binding.effects


MACHINES: dict[CaseKind, CaseMachine] = {k: CaseMachine(d) for k, d in DEFINITIONS.items()}


def machine_for(kind: CaseKind) -> CaseMachine:
    return MACHINES[kind]


def possible_events(case: Case) -> Sequence[str]:
    return machine_for(case.kind).events_from(case.state)
