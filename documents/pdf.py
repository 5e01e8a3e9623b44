"""DOCX → PDF with LibreOffice, all files in one `soffice` call (start-up dominates).

Each call gets a fresh user-profile directory: two soffice processes sharing a profile
block or fail on its lock, and the caller may run conversions in parallel.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from documents.errors import LibreOfficeMissing

INSTALL_HINT = (
    "LibreOffice is needed to make PDFs but neither `soffice` nor `libreoffice` is on PATH; "
    "install Debian's libreoffice-writer (apt-get install libreoffice-writer)"
)


def find_soffice() -> str:
    for name in ("soffice", "libreoffice"):
        path = shutil.which(name)
        if path:
            return path
    raise LibreOfficeMissing(INSTALL_HINT)


def convert_to_pdf(
    docx_paths: Sequence[Path], out_dir: Path, *, timeout: float = 120
) -> list[Path]:
    """Convert every file into `out_dir` (same stem, .pdf); returns the PDFs in input order.

    Raises LibreOfficeMissing, subprocess.TimeoutExpired, or RuntimeError naming the files
    soffice failed to write. On a timeout the whole process group is killed: `soffice` is a
    launcher whose `soffice.bin` child would otherwise hang on after its parent is gone.
    """
    if not docx_paths:
        return []
    stems = [Path(p).stem for p in docx_paths]
    if len(set(stems)) != len(stems):
        raise ValueError("two inputs share a file name; their PDFs would overwrite each other")
    soffice = find_soffice()
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="sapar-lo-profile-") as profile:
        command = [
            soffice,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            *(str(Path(p).resolve()) for p in docx_paths),
        ]
        returncode, stderr = _run_in_own_group(command, timeout)
    outputs = [out_dir / f"{stem}.pdf" for stem in stems]
    missing = [p.name for p in outputs if not p.is_file() or p.stat().st_size == 0]
    if returncode != 0 or missing:
        raise RuntimeError(
            f"soffice exited with {returncode}; missing PDFs: {missing or 'none'}; "
            f"stderr: {stderr.strip()[-2000:]}"
        )
    return outputs


def _run_in_own_group(command: list[str], timeout: float) -> tuple[int, str]:
    """Run `command` as the leader of a new process group; kill the group after `timeout`."""
    process = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process.pid)
        process.communicate()
        raise
    except BaseException:
        _kill_group(process.pid)
        process.wait()
        raise
    return process.returncode, stderr or ""


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # it ended on its own meanwhile
        os.killpg(pgid, signal.SIGKILL)
