"""Start-up: a fresh clone of the repository to `make run` answering on its port.

Only committed work is cloned. Cold: the clone builds its own .venv (what a new machine
does). Warm: the clone gets a copy of this checkout's .venv, re-pointed at the clone (the
console scripts and the editable install name absolute paths), so `make run` skips the
install and only starts the service.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from .common import free_port

ROOT = Path(__file__).resolve().parent.parent


def _repoint_venv(venv: Path, old: Path, new: Path) -> None:
    """Rewrite the absolute paths a venv holds (shebangs, editable finder, .pth)."""
    targets = list((venv / "bin").iterdir())
    site = next((venv / "lib").glob("python3*/site-packages"))
    targets += list(site.glob("__editable__*")) + list(site.glob("*.pth"))
    targets += list(site.glob("sapar-*.dist-info/direct_url.json"))
    for path in targets:
        if path.is_symlink() or not path.is_file():
            continue
        try:
            content = path.read_text()
        except UnicodeDecodeError:
            continue
        if str(old) in content:
            path.write_text(content.replace(str(old), str(new)))


def _serve(clone: Path, timeout_s: float) -> dict[str, Any]:
    """`make run` in the clone until http://127.0.0.1:PORT/ answers (or it gives up)."""
    port = free_port()
    # The clone's own code and settings only: nothing of this checkout's environment.
    foreign = ("SAPAR_", "VIRTUAL_ENV", "PYTHON", "PREFECT_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(foreign)}
    env.update({"SAPAR_PORT": str(port), "SAPAR_ADMIN_PASSWORD": "bench-admin-password"})
    log = clone / "bench-run.log"
    start = time.perf_counter()
    with log.open("wb") as out:
        proc = subprocess.Popen(
            ["make", "run"], cwd=clone, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        try:
            while time.perf_counter() - start < timeout_s:
                if proc.poll() is not None:
                    tail = log.read_text(errors="replace").strip().splitlines()[-6:]
                    return {"serving": False, "exit": proc.returncode,
                            "seconds": time.perf_counter() - start, "log_tail": tail}  # fmt: skip
                try:
                    httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
                    return {"serving": True, "seconds": time.perf_counter() - start}
                except httpx.TransportError:
                    time.sleep(0.2)
            return {"serving": False, "seconds": timeout_s, "log_tail": ["timed out"]}
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, 15)  # make and the server it started: our own group
                try:
                    proc.wait(15)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, 9)
                    proc.wait()


def measure(*, cold: bool, timeout_s: float = 420) -> dict[str, Any]:
    results: dict[str, Any] = {}
    tmp = Path(tempfile.mkdtemp(prefix="sapar-bench-clone-"))
    try:
        modes = ["warm", "cold"] if cold else ["warm"]
        for mode in modes:
            clone = tmp / mode
            start = time.perf_counter()
            subprocess.run(
                ["git", "clone", "--quiet", str(ROOT), str(clone)], check=True,
                capture_output=True,
            )  # fmt: skip
            clone_s = time.perf_counter() - start
            copy_s = 0.0
            if mode == "warm":
                start = time.perf_counter()
                shutil.copytree(ROOT / ".venv", clone / ".venv", symlinks=True)
                _repoint_venv(clone / ".venv", ROOT, clone)
                (clone / ".venv" / ".installed").touch()  # newer than the clone's pyproject
                copy_s = time.perf_counter() - start
            served = _serve(clone, timeout_s if mode == "cold" else 180)
            results[mode] = {"clone_s": clone_s, "venv_copy_s": copy_s, **served}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return results
