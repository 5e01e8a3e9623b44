"""The regulation's open settings (states.policy.Policy) from a JSON file a registrar keeps.

    {"min_gpa_exclusive": 3.0,
     "programme_years": {"bachelor": 4, "master": 2, "college": 3},
     "application_documents": ["application", "transcript", ...],
     "expulsion_threshold": 15,
     "expense_report_working_days": 5,
     "extra_holidays": ["2026-12-31"], "extra_workdays": ["2026-12-26"],
     "grade_tables": {... states.grades.GradeTables.from_mapping ...}}

Whatever the file leaves out keeps its default; an unknown key is refused, so a typo
cannot silently leave a rule at its default.
"""

from __future__ import annotations

import json
from dataclasses import fields, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from states.dossier import DocumentKind
from states.grades import GradeTables
from states.model import Level
from states.policy import DEFAULT_POLICY, Policy
from states.workdays import WorkCalendar


class PolicyFileError(ValueError):
    pass


def policy_from_mapping(data: dict[str, Any]) -> Policy:
    simple = {f.name for f in fields(Policy)} - {"work_calendar", "grade_tables"}
    known = simple | {"extra_holidays", "extra_workdays", "grade_tables"}
    unknown = set(data) - known
    if unknown:
        raise PolicyFileError(f"unknown settings {sorted(unknown)}; known: {sorted(known)}")
    changes: dict[str, Any] = {}
    try:
        for key in ("min_gpa_exclusive",):
            if key in data:
                changes[key] = float(data[key])
        for key in ("expulsion_threshold", "expense_report_working_days"):
            if key in data:
                changes[key] = int(data[key])
        if "programme_years" in data:
            changes["programme_years"] = {
                Level(k): int(v) for k, v in data["programme_years"].items()
            }
        for key in ("application_documents", "staff_application_documents"):
            if key in data:
                changes[key] = tuple(DocumentKind(d) for d in data[key])
        if "extra_holidays" in data or "extra_workdays" in data:
            changes["work_calendar"] = WorkCalendar(
                extra_holidays=frozenset(
                    date.fromisoformat(d) for d in data.get("extra_holidays", [])
                ),
                extra_workdays=frozenset(
                    date.fromisoformat(d) for d in data.get("extra_workdays", [])
                ),
            )
        if "grade_tables" in data:
            changes["grade_tables"] = GradeTables.from_mapping(data["grade_tables"])
    except (ValueError, TypeError, AttributeError) as exc:
        raise PolicyFileError(f"policy settings: {exc}") from exc
    return replace(DEFAULT_POLICY, **changes)


@lru_cache
def load_policy(path: Path | None) -> Policy:
    if path is None:
        return DEFAULT_POLICY
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise PolicyFileError(f"{path}: {exc}") from exc
    if not isinstance(data, dict):
        raise PolicyFileError(f"{path}: expected a JSON object")
    return policy_from_mapping(data)
