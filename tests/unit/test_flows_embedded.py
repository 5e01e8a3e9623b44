"""What a killed `sapar serve` left running is stopped at the next start, and nothing else."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from flows.embedded import PID_FILE, stop_leftovers


def test_leftover_processes_of_this_prefect_home_are_stopped_and_others_left_alone(
    tmp_path: Path,
) -> None:
    home = tmp_path / "prefect"
    home.mkdir()
    leftover = subprocess.Popen(
        ["sleep", "60"], env={**os.environ, "PREFECT_HOME": str(home)}, start_new_session=True
    )
    stranger = subprocess.Popen(["sleep", "60"], start_new_session=True)
    try:
        (home / PID_FILE).write_text(f"{leftover.pid}\n{stranger.pid}\n")

        assert stop_leftovers(home) == [leftover.pid]

        assert leftover.wait(5) is not None
        assert stranger.poll() is None
        assert not (home / PID_FILE).exists()
    finally:
        for p in (leftover, stranger):
            p.kill()
            p.wait()


def test_without_a_pid_file_there_is_nothing_to_stop(tmp_path: Path) -> None:
    assert stop_leftovers(tmp_path) == []
