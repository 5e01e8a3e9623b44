"""prefect.yaml (distributed mode) and flows/deployments.py (embedded mode) say the same."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import yaml

from flows.deployments import SPECS, TIMEZONE

REPO = Path(__file__).resolve().parents[2]


def declared() -> list[dict[str, Any]]:
    return list(yaml.safe_load((REPO / "prefect.yaml").read_text())["deployments"])


def flow_at(entrypoint: str) -> Any:
    path, name = entrypoint.split(":")
    spec = importlib.util.spec_from_file_location(f"_entry_{name}", REPO / path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, name)


def test_every_deployment_of_prefect_yaml_points_at_a_flow_served_in_embedded_mode() -> None:
    in_yaml = {(flow_at(d["entrypoint"]).name, d["name"]) for d in declared()}
    served = {(s.flow.name, s.name) for s in SPECS}
    assert in_yaml == served


def test_both_modes_schedule_the_same_times_in_osh() -> None:
    by_name = {(flow_at(d["entrypoint"]).name, d["name"]): d for d in declared()}
    for spec in SPECS:
        schedules = by_name[(spec.flow.name, spec.name)].get("schedules", [])
        expected = []
        if spec.cron:
            expected.append({"cron": spec.cron, "timezone": TIMEZONE})
        if spec.every_seconds:
            expected.append({"interval": spec.every_seconds, "timezone": TIMEZONE})
        assert schedules == expected, spec.full_name


def test_the_deadline_check_runs_every_morning_at_seven_in_bishkek() -> None:
    [daily] = [s for s in SPECS if s.flow.name == "check-deadlines"]
    assert (daily.cron, TIMEZONE) == ("0 7 * * *", "Asia/Bishkek")


def test_every_deployment_runs_on_the_sapar_process_pool() -> None:
    assert {d["work_pool"]["name"] for d in declared()} == {"sapar"}
