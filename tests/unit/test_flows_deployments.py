"""prefect.yaml is the one declaration of the deployments: `prefect deploy --all` reads it in
the distributed mode, and the embedded mode (`sapar serve`, flows/serve.py) serves the
same deployments from it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml

from flows.serve import PREFECT_YAML, declared, runner_deployments


def served() -> dict[tuple[str, str], Any]:
    return {(d.flow_name, d.name): d for d in runner_deployments()}


def test_the_embedded_mode_serves_every_deployment_prefect_yaml_declares() -> None:
    assert len(served()) == len(declared()) == 4
    assert set(served()) == {
        ("check-deadlines", "daily"),
        ("sweep-outbox", "every-5-minutes"),
        ("issue-documents", "on-demand"),
        ("issue-group-order", "on-demand"),
    }


def test_the_deadline_check_runs_every_morning_at_seven_in_bishkek() -> None:
    [schedule] = served()[("check-deadlines", "daily")].schedules
    assert (schedule.schedule.cron, schedule.schedule.timezone) == ("0 7 * * *", "Asia/Bishkek")


def test_the_sweep_runs_every_five_minutes_and_the_on_demand_flows_on_no_schedule() -> None:
    [schedule] = served()[("sweep-outbox", "every-5-minutes")].schedules
    assert schedule.schedule.interval == timedelta(minutes=5)
    assert served()[("issue-documents", "on-demand")].schedules == []


def test_parameters_and_concurrency_declared_in_the_yaml_reach_the_embedded_mode(
    tmp_path: Path,
) -> None:
    entry = {
        "name": "nightly",
        "entrypoint": "flows/issuing.py:issue_documents",
        "description": "Issue two items every night.",
        "parameters": {"outbox_ids": [1, 2]},
        "concurrency_limit": 1,
        "tags": ["night"],
        "schedules": [{"cron": "30 1 * * *", "timezone": "Asia/Bishkek", "active": False}],
    }
    path = tmp_path / "prefect.yaml"
    path.write_text(yaml.safe_dump({"deployments": [entry]}))
    [deployment] = runner_deployments(path)
    assert (deployment.flow_name, deployment.name) == ("issue-documents", "nightly")
    assert deployment.description == "Issue two items every night."
    assert deployment.parameters == {"outbox_ids": [1, 2]}
    assert deployment.concurrency_limit == 1
    assert deployment.tags == ["night"]
    [schedule] = deployment.schedules
    assert (schedule.schedule.cron, schedule.active) == ("30 1 * * *", False)


def test_every_deployment_runs_on_the_sapar_process_pool() -> None:
    raw = yaml.safe_load(PREFECT_YAML.read_text())["deployments"]
    assert {d["work_pool"]["name"] for d in raw} == {"sapar"}
