"""The targets of issue 15, one line each: what `make bench` must write to var/bench.json.

var/bench.json (format 2):

    {
      "format": 2,
      "quick": false,                 # make bench-quick: small sizes, figures not comparable
      "today": "2026-11-23",          # the one fixed "today" of the data and the service
      "started_at": "...", "total_s": 900.0, "machine": {"cpus": 2, "loadavg": [...]},
      "targets": [                    # EVERY line of TARGETS, in this order, measured or not
        {"key": "step_to_document_p50", "figure": "...", "target": "≤ 1 s", "limit": 1.0,
         "better": "lower", "value": 0.42, "unit": "s", "met": true,
         "note": "how it was measured", "section": "documents on demand"}
      ],
      "figures": [                    # every line the bench printed (targets included)
        {"section": ..., "metric": ..., "value": ..., "unit": ..., "target": ..., "ok": ...,
         "note": ..., "key": "step_to_document_p50" | null}
      ],
      "details": {...}                # raw samples, profiles, load averages, sizes
    }

A target not measured in the run has "value": null and "met": false, with the reason in
"note": a missing figure is never counted as met. To add a figure of your own area:
measure it in a section of bench/__main__.py (or a module it calls) and record it with
`results.measure("<key>", value, note=...)`; the key must be listed here, the comparison is
done by Results. The README's performance table is generated from the file by
`python -m bench.readme` (never typed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FORMAT = 2


@dataclass(frozen=True)
class Target:
    key: str
    figure: str  # the words of issue 15's table
    target: str  # as the README shows it
    limit: float
    unit: str
    better: Literal["lower", "higher"] = "lower"

    def met(self, value: float | None) -> bool:
        if value is None or value != value:  # None or NaN: not measured
            return False
        return value <= self.limit if self.better == "lower" else value >= self.limit


TARGETS: tuple[Target, ...] = (
    Target("step_to_document_p50", "step → document downloadable, embedded mode, p50",
           "≤ 1 s", 1.0, "s"),
    Target("step_to_document_p95", "step → document downloadable, embedded mode, p95",
           "≤ 2 s", 2.0, "s"),
    Target("twenty_steps_all_downloadable", "20 steps in a row → all 20 downloadable",
           "≤ 10 s", 10.0, "s"),
    Target("embedded_peak_rss", "embedded mode peak RSS (web + Prefect server + flows), "
           "20 steps in a row", "≤ 800 MB", 800.0, "MB"),
    Target("issuing_one_order_ratio", "issuing one order / bare docxtpl (open + render + "
           "save), median of per-pair ratios", "≤ 1.0×", 1.0, "×"),
    Target("deadline_check_10k", "deadline check, 10k due among 1M cases", "≤ 1 s", 1.0, "s"),
    Target("deadline_check_100k", "deadline check, 100k due among 1M cases", "≤ 8 s", 8.0,
           "s"),
    Target("deadline_smtp_letters_per_s", "deadline check with SMTP, letters to a local "
           "server", "≥ 200 letters/s", 200.0, "letters/s", better="higher"),
    Target("step_p50_ratio", "step p50 / the same statements in plain psycopg, median of "
           "per-pair ratios", "≤ 1.5×", 1.5, "×"),
    Target("step_p99", "step p99 at 1M cases with a realistic current year", "≤ 20 ms", 20.0,
           "ms"),
    Target("group_order_ratio", "group order of 1000 students / bare", "≤ 3×", 3.0, "×"),
    Target("history_p95", "history p95, 10M scattered events", "≤ 5 ms", 5.0, "ms"),
    Target("case_list_p95", "every case-list filter p95 at 1M, overdue included (worst)",
           "≤ 150 ms", 150.0, "ms"),
    Target("serve_answering_warm", "`sapar serve` → answering, warm", "≤ 5 s", 5.0, "s"),
)  # fmt: skip

BY_KEY = {t.key: t for t in TARGETS}
