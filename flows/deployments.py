"""The deployments of sapar's flows, one list for the embedded server and the tests.

prefect.yaml declares the same deployments for `prefect deploy --all` (distributed mode);
tests/unit/test_flows_deployments.py keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from prefect.schedules import Cron, Interval

from flows.deadlines import check_deadlines_flow
from flows.issuing import issue_documents, issue_group_order, sweep_outbox

TIMEZONE = "Asia/Bishkek"
DAILY_CHECK_CRON = "0 7 * * *"  # 07:00 in Osh, before the offices open
SWEEP_EVERY_SECONDS = 300


@dataclass(frozen=True)
class Spec:
    flow: Any
    name: str
    description: str
    cron: str | None = None
    every_seconds: int | None = None

    @property
    def full_name(self) -> str:
        return f"{self.flow.name}/{self.name}"


SPECS = (
    Spec(
        check_deadlines_flow,
        "daily",
        "Reminders before due dates, overdue marks and escalation, every morning.",
        cron=DAILY_CHECK_CRON,
    ),
    Spec(
        sweep_outbox,
        "every-5-minutes",
        "Issue every pending or failed document: nothing a transition asked for is lost.",
        every_seconds=SWEEP_EVERY_SECONDS,
    ),
    Spec(issue_documents, "on-demand", "Issue the documents of given outbox items now."),
    Spec(issue_group_order, "on-demand", "One order for many cases' outbox items."),
)


def runner_deployments() -> list[Any]:
    """The deployments for `prefect.serve`, schedules included."""
    out = []
    for spec in SPECS:
        schedules = []
        if spec.cron:
            schedules.append(Cron(spec.cron, timezone=TIMEZONE))
        if spec.every_seconds:
            schedules.append(Interval(spec.every_seconds, timezone=TIMEZONE))
        out.append(
            spec.flow.to_deployment(
                name=spec.name, description=spec.description, schedules=schedules
            )
        )
    return out
