"""Embedded mode (`sapar serve`): a Prefect server of our own plus a process serving the flows.

The Prefect server keeps its state in SQLite under settings.prefect_home, apart from the
app's database; its UI answers at http://{prefect_host}:{prefect_port}. Both processes are
started on enter and stopped on exit (terminate, then kill after a timeout).
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path

from sapar.config import Settings

# A loaded machine (2 shared cores) has taken over 90 s to start it.
STARTUP_TIMEOUT_SECONDS = 180.0
STOP_TIMEOUT_SECONDS = 10.0
PID_FILE = "sapar-processes.pid"
log = logging.getLogger(__name__)


class PrefectDidNotStart(RuntimeError):
    pass


def api_url(settings: Settings) -> str:
    return f"http://{settings.prefect_host}:{settings.prefect_port}/api"


def prefect_env(settings: Settings) -> dict[str, str]:
    """The environment of both processes: Prefect's own home and SQLite, our app's settings."""
    home = settings.prefect_home.resolve()
    env = dict(os.environ)
    env.update(
        PREFECT_HOME=str(home),
        PREFECT_API_URL=api_url(settings),
        PREFECT_SERVER_API_HOST=settings.prefect_host,
        PREFECT_SERVER_API_PORT=str(settings.prefect_port),
        PREFECT_API_DATABASE_CONNECTION_URL=f"sqlite+aiosqlite:///{home / 'prefect.db'}",
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        # Background tasks run outside any flow run: their logs stay in serve.log.
        PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW="ignore",
        # Where the web leaves a background task's parameters for the task worker
        # (flows/trigger.py parameters_dir): the same directory on both sides.
        PREFECT_RESULTS_LOCAL_STORAGE_PATH=str(home / "storage"),
        # The flows run in another process, maybe from another working directory.
        SAPAR_DATABASE_URL=_absolute_sqlite(settings.database_url),
        SAPAR_FILES_DIR=str(settings.files_dir.resolve()),
    )
    return env


def _absolute_sqlite(url: str) -> str:
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and ":memory:" not in url:
        return prefix + str(Path(url[len(prefix) :]).resolve())
    return url


PR_SET_PDEATHSIG = 1


def healthy(settings: Settings, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(api_url(settings) + "/health", timeout=timeout) as r:
            return bool(r.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def _die_with_parent() -> None:
    """In the child, before exec: ask Linux to send SIGTERM when `sapar serve` dies, so a
    server killed outright (SIGKILL, an OOM kill) leaves no Prefect server behind."""
    with suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        # A session of its own: stopping it reaches whatever it started (uvicorn, services).
        return subprocess.Popen(
            args,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        process.wait()


def _runs_with_home(pid: int, home: Path) -> bool:
    """Whether process `pid` is one we started for this Prefect home (not a reused pid)."""
    try:
        environ = Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return False
    return f"PREFECT_HOME={home}".encode() in environ.split(b"\0")


def stop_leftovers(home: Path) -> list[int]:
    """Stop what a previous run left behind (the app was killed before it could clean up),
    so the port is free again. Only processes we started, recognised by their PREFECT_HOME."""
    pid_file = home / PID_FILE
    if not pid_file.exists():
        return []
    stopped = []
    for pid in (int(p) for p in pid_file.read_text().split()):
        if not _runs_with_home(pid, home):
            continue
        with suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
        while _runs_with_home(pid, home) and time.monotonic() < deadline:
            time.sleep(0.1)
        if _runs_with_home(pid, home):
            with suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
        stopped.append(pid)
    pid_file.unlink()
    return stopped


def _wait_until_healthy(
    settings: Settings,
    server: subprocess.Popen[bytes],
    log_file: Path,
    stopping: threading.Event | None = None,
) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if stopping is not None and stopping.is_set():
            return
        if server.poll() is not None:
            raise PrefectDidNotStart(
                f"prefect server exited with code {server.returncode}; see {log_file}"
            )
        if healthy(settings):
            return
        time.sleep(0.3)
    raise PrefectDidNotStart(
        f"prefect server did not answer at {api_url(settings)} within "
        f"{STARTUP_TIMEOUT_SECONDS:.0f} s; see {log_file}"
    )


def _stop_all(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        _stop(process)


@contextmanager
def prefect_side(settings: Settings, *, in_background: bool = False) -> Iterator[None]:
    """Run the local Prefect server and the flows' deployments for as long as the block.

    By default the block starts once the server answers. `in_background=True` (what
    `sapar serve` uses) enters at once and brings the flows up from a thread: the server
    takes 10-30 s to start on a small machine, and the pages need none of it — a document
    asked for meanwhile stays pending in the outbox and the flows catch up when they start
    (flows/serve.py)."""
    home = settings.prefect_home.resolve()
    home.mkdir(parents=True, exist_ok=True)
    stop_leftovers(home)
    if healthy(settings):
        raise PrefectDidNotStart(
            f"something already answers at {api_url(settings)}: stop it, or set "
            "SAPAR_PREFECT_PORT to a free port"
        )
    env = prefect_env(settings)
    with ExitStack() as stack:
        # Prefect's own `prefect server start`, from this interpreter's environment.
        server = _start(
            [
                sys.executable,
                "-m",
                "prefect",
                "server",
                "start",
                "--host",
                settings.prefect_host,
                "--port",
                str(settings.prefect_port),
            ],
            env,
            home / "server.log",
        )
        stack.callback(_stop, server)
        (home / PID_FILE).write_text(f"{server.pid}\n")
        stack.callback((home / PID_FILE).unlink, missing_ok=True)
        started: list[subprocess.Popen[bytes]] = []
        # Stopped last-in first-out: the flows (if they started) before the server.
        stack.callback(_stop_all, started)

        def bring_up_flows(stopping: threading.Event) -> None:
            _wait_until_healthy(settings, server, home / "server.log", stopping)
            with lock:
                if stopping.is_set():
                    return
                flows = _start([sys.executable, "-m", "flows.serve"], env, home / "serve.log")
                started.append(flows)
                (home / PID_FILE).write_text(f"{server.pid}\n{flows.pid}\n")

        lock = threading.Lock()
        stopping = threading.Event()
        if not in_background:
            bring_up_flows(stopping)
            yield
            return

        def in_thread() -> None:
            try:
                bring_up_flows(stopping)
            except PrefectDidNotStart as exc:
                if not stopping.is_set():
                    log.error("%s; documents and reminders wait in the outbox", exc)
            # Linux sends the parent-death signal when the *thread* that started a child
            # ends, not the process: this thread lives as long as the flows it started.
            stopping.wait()

        thread = threading.Thread(target=in_thread, name="sapar-prefect-side", daemon=True)
        thread.start()

        def stop_thread() -> None:
            with lock:  # a flows process being started now is in `started` before we stop
                stopping.set()
            thread.join(STOP_TIMEOUT_SECONDS)

        stack.callback(stop_thread)
        yield
