"""`make bench` starts: its entry module imports in a fresh interpreter (it imports the
services in an order no test does, and an import cycle once stopped it before any figure)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_bench_and_the_user_services_import_in_a_fresh_interpreter() -> None:
    for module in ("bench.__main__", "sapar.services.users"):
        done = subprocess.run(
            [sys.executable, "-c", f"import {module}"],
            cwd=ROOT, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert done.returncode == 0, f"import {module}: {done.stderr[-1500:]}"
