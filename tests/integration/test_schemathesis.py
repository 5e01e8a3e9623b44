"""The API against its own OpenAPI schema (issue 14, point 6): schemathesis generates valid
and invalid requests for every operation, with a token and without, and every answer must be
no server error, a documented status, the documented content type and body, and a refusal
for what the schema forbids.

Bounded: a few examples per operation and mode, and a wall-clock budget (BUDGET seconds)
after which the remaining examples are generated but not sent. `positive_data_acceptance`
is left out on purpose: the regulation refuses schema-valid input (a case without its
faculty, a step a guard forbids) with 422, which that check would count as a failure.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import Engine

from tests.integration.office import build_office

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
BUDGET = 60.0
# Examples per operation: (mode, with a token)
EXAMPLES = {
    (GenerationMode.POSITIVE, True): 8,
    (GenerationMode.NEGATIVE, True): 6,
    (GenerationMode.POSITIVE, False): 2,
    (GenerationMode.NEGATIVE, False): 2,
}


@pytest.mark.slow
def test_the_api_answers_every_generated_request_as_its_schema_says(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    office = build_office(sqlite_engine, tmp_path)
    # A case and a paper, so that ids in paths sometimes hit something real.
    from tests.integration.office import student_case

    office.open("dean_econ", student_case())
    schema = schemathesis.openapi.from_asgi("/openapi.json", office.client.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    failures: list[str] = []
    sent = 0
    started = time.monotonic()
    for (mode, authenticated), examples in EXAMPLES.items():
        headers = office.auth("iro") if authenticated else {}
        for operation in operations:
            if time.monotonic() - started > BUDGET:
                break
            sent += fuzz(operation, mode, headers, examples, started, failures)
    took = time.monotonic() - started
    assert sent >= 60, f"only {sent} requests in {took:.0f} s"
    assert failures == [], "\n\n".join(failures[:5])


def fuzz(
    operation: Any,
    mode: GenerationMode,
    headers: dict[str, str],
    examples: int,
    started: float,
    failures: list[str],
) -> int:
    """Send `examples` generated requests for one operation; return how many were sent."""
    sent = 0

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=examples, deadline=None, database=None, derandomize=True,
        phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck),
    )  # fmt: skip
    def call(case: Any) -> None:
        nonlocal sent
        if time.monotonic() - started > BUDGET:
            return
        sent += 1
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except BaseException as exc:  # schemathesis raises a group of failures
            failures.append(f"{mode.value} {case.method} {case.path}: {exc}"[:1500])

    call()
    return sent
