"""The bench's report: every target of issue 15 in var/bench.json, met or not, and the README's
table generated from it."""

from __future__ import annotations

import json
from pathlib import Path

from bench.common import Results, median_ratio
from bench.readme import END, START, replace_table, table
from bench.targets import TARGETS

ROOT = Path(__file__).resolve().parents[2]


def test_every_target_is_reported_and_one_not_measured_is_not_met() -> None:
    results = Results(quick=False)
    results.measure("step_to_document_p50", 0.4, note="embedded")
    out = json.loads(json.dumps(results.as_json(), default=str))
    assert [t["key"] for t in out["targets"]] == [t.key for t in TARGETS]
    by_key = {t["key"]: t for t in out["targets"]}
    assert by_key["step_to_document_p50"]["met"] is True
    assert by_key["step_to_document_p95"] == {
        **by_key["step_to_document_p95"],
        "value": None,
        "met": False,
    }
    assert out["format"] == 2 and out["today"] == "2026-11-23"


def test_a_target_is_met_only_on_the_right_side_of_its_limit() -> None:
    results = Results(quick=False)
    results.measure("deadline_smtp_letters_per_s", 150.0)  # at least 200 wanted
    results.measure("group_order_ratio", 3.5)  # at most 3× wanted
    results.measure("history_p95", float("nan"))  # nothing measured
    met = {t["key"]: t["met"] for t in results.targets()}
    assert (met["deadline_smtp_letters_per_s"], met["group_order_ratio"], met["history_p95"]) == (
        False, False, False
    )  # fmt: skip
    results.measure("deadline_smtp_letters_per_s", 250.0)
    assert {t["key"]: t["met"] for t in results.targets()}["deadline_smtp_letters_per_s"]
    assert len([f for f in results.figures if f.key == "deadline_smtp_letters_per_s"]) == 1


def test_ratios_are_medians_of_per_pair_ratios() -> None:
    # One pair hit by a load spike on both sides stays 2×, instead of skewing the sums.
    assert median_ratio([2.0, 2.0, 200.0], [1.0, 1.0, 100.0]) == 2.0


def test_the_readme_table_is_replaced_between_its_markers_only() -> None:
    results = Results(quick=True)
    results.measure("serve_answering_warm", 3.2, note="warm clone")
    generated = table(results.as_json())
    assert "| `sapar serve` → answering, warm | 3.20 s | ≤ 5 s | ✓ | warm clone |" in generated
    assert "| history p95, 10M scattered events | not measured | ≤ 5 ms | ✗ |" in generated
    readme = f"# title\n\nbefore\n{START}\nold table\n{END}\nafter\n"
    assert replace_table(readme, generated) == (
        f"# title\n\nbefore\n{START}\n{generated}\n{END}\nafter\n"
    )


def test_the_readme_has_the_markers_of_the_generated_table() -> None:
    readme = (ROOT / "README.md").read_text()
    assert readme.count(START) == 1 and readme.count(END) == 1
