"""Ask for a case's documents right after a step committed — never from a request's thread.

The web hands the case id to `DocumentRequests.ask`, which only puts it on a bounded queue
and returns at once. One dedicated thread takes the ids off the queue and submits a Prefect
background task (`issue-documents-now`, flows/issuing.py) for the case's pending outbox
items; the long-lived task worker runs it at once. The cases queued by the time the thread
gets to them go together: their pending items share one task run (up to ITEMS_PER_TASK_RUN),
so a burst of steps is a few task runs rather than one per step — each run costs the Prefect
server a dozen writes to its SQLite, and twenty at once made it answer "busy" (503) and the
client wait 2 s before trying again. Talking to Prefect happens on that thread
only, with short timeouts and no retries, so a slow, hung or absent Prefect server never
holds a request: the items stay pending in the outbox and the sweep (every 5 minutes)
issues them. After a failure the thread skips Prefect for PAUSE_AFTER_FAILURE_S seconds
(the queue is drained meanwhile, for the sweep), so a hung server costs one timeout per
pause, not one per step. Nothing is lost either way: the outbox row was committed with the
step.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import os
import queue
import threading
import time
from contextlib import suppress
from pathlib import Path
from typing import Any, cast
from uuid import uuid4

from sqlalchemy import Engine

from sapar.config import Settings
from sapar.services import outbox

log = logging.getLogger(__name__)

# Each call to the Prefect API: a short connect timeout (an absent server answers at once,
# a dead host does not), a read timeout a loaded server still meets, no retries.
CONNECT_TIMEOUT_S = 2.0
READ_TIMEOUT_S = 5.0
# A hard cap on one submission, whatever Prefect's client does inside.
SUBMIT_TIMEOUT_S = 8.0
# A busy server (its SQLite locked a moment by its own writes: the task runs' states) answers
# 503; asked again a moment later it accepts. Prefect's client waits 2 s before any retry,
# even with retries off: under a burst of steps that was most of the wait for the last
# document. Asked again sooner here (_AskAgainWhenBusy), within SUBMIT_TIMEOUT_S.
BUSY_RETRY_DELAYS_S = (0.05, 0.1, 0.2, 0.4, 0.8, 1.6)
PAUSE_AFTER_FAILURE_S = 30.0
QUEUE_SIZE = 1000  # cases; more at once wait for the sweep
# The items one task run issues, at most (the sweep's batch, flows/issuing.py BATCH_SIZE):
# each is rendered in its own transaction, so a longer run only delays the last documents.
ITEMS_PER_TASK_RUN = 25
STOP_TIMEOUT_S = 2.0


def prefect_api(settings: Settings) -> str:
    """The distributed server if PREFECT_API_URL names one, else the embedded one. (Without
    an address Prefect would start a throwaway server in this process, 5-12 s.)"""
    from flows.embedded import api_url

    return os.environ.get("PREFECT_API_URL") or api_url(settings)


def parameters_dir(settings: Settings) -> Path:
    """Where the background task's parameters go: the task worker reads them from there."""
    from_env = os.environ.get("PREFECT_RESULTS_LOCAL_STORAGE_PATH")
    return Path(from_env) if from_env else settings.prefect_home.resolve() / "storage"


class PrefectLink:
    """One event loop and one Prefect client, kept between submissions (a new client per
    step would cost a connection and a loop each time). Used by one thread at a time."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._runner: asyncio.Runner | None = None
        self._client: Any = None
        self._store: Any = None
        self._context = contextvars.Context()

    def _settings_now(self) -> dict[str, Any]:
        return {
            "api.url": prefect_api(self.settings),
            # None of the client's own: a busy server's 503 is asked again sooner below the
            # client (_AskAgainWhenBusy), and a hung server is not worth a second wait (the
            # sweep issues what it did not take).
            "client.max_retries": 0,
            "results.local_storage_path": parameters_dir(self.settings),
        }

    def submit(self, outbox_ids: list[int]) -> str:
        """The task run id of `issue-documents-now` for these items; raises on any failure."""
        if self._runner is None:
            from prefect.settings import temporary_settings

            # Prefect's settings, built once: rebuilding them per call costs 50-700 ms.
            with temporary_settings(self._settings_now()):
                self._context = contextvars.copy_context()
            self._runner = asyncio.Runner()
        try:
            run_id: str = self._runner.run(
                asyncio.wait_for(self._submit(outbox_ids), SUBMIT_TIMEOUT_S),
                context=self._context,
            )
            return run_id
        except BaseException:
            self.close()  # start afresh next time: the connection may be stuck
            raise

    async def _submit(self, outbox_ids: list[int]) -> str:
        """What `issue_documents_now.delay(outbox_ids)` does, lean: the parameters into the
        task scheduling storage, then a task run in state Scheduled (deferred), which the
        server queues for the task worker. Left out: `.delay()` serialises this process's
        whole Prefect context into the parameters (30-300 ms, and the worker would then run
        under the web's settings), and emits a "scheduled" event from a background service
        of its own that would linger at shutdown on a hung server."""
        import httpx
        from prefect import get_client
        from prefect.results import ResultStore, get_or_create_default_task_scheduling_storage
        from prefect.states import Scheduled
        from prefect.task_worker import store_parameters

        from flows.issuing import issue_documents_now as task

        if self._client is None:
            timeout = httpx.Timeout(READ_TIMEOUT_S, connect=CONNECT_TIMEOUT_S)
            client = get_client(httpx_settings={"timeout": timeout})
            # Below Prefect's retrying client, on the transport it built (its TLS settings,
            # its connection limits): httpx keeps it in `_transport`.
            http = client._client
            http._transport = cast(httpx.AsyncBaseTransport, _AskAgainWhenBusy(http._transport))
            await client.__aenter__()
            self._client = client
        if self._store is None:
            # As the task worker builds it to read them back (prefect.task_worker).
            storage: Any = await get_or_create_default_task_scheduling_storage()
            self._store = await ResultStore(result_storage=storage).aupdate_for_task(
                task.with_options(persist_result=True)
            )
        parameters_id = uuid4()
        await store_parameters(
            self._store, parameters_id, {"parameters": {"outbox_ids": outbox_ids}}
        )
        state: Any = Scheduled()
        state.state_details.deferred = True
        state.state_details.task_parameters_id = parameters_id
        run = await self._client.create_task_run(
            task=task,
            flow_run_id=None,
            dynamic_key=f"{task.task_key}-{uuid4().hex}",
            name=f"{task.name} (outbox {_items_named(outbox_ids)})",
            state=state,
            task_inputs={"outbox_ids": []},
        )
        return str(run.id)

    def close(self) -> None:
        """Drop the client and the loop without waiting on the server (it may hang)."""
        runner, self._runner, self._client, self._store = self._runner, None, None, None
        if runner is not None:
            with suppress(Exception):
                runner.close()


class _AskAgainWhenBusy:
    """An httpx transport that sends a request again, soon, while the server answers 503
    (busy), BUSY_RETRY_DELAYS_S apart; then hands the last answer on."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    async def handle_async_request(self, request: Any) -> Any:
        for delay in BUSY_RETRY_DELAYS_S:
            response = await self._inner.handle_async_request(request)
            if response.status_code != 503:
                return response
            await response.aclose()
            await asyncio.sleep(delay)
        return await self._inner.handle_async_request(request)

    async def __aenter__(self) -> _AskAgainWhenBusy:
        await self._inner.__aenter__()
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self._inner.__aexit__(*exc)

    async def aclose(self) -> None:
        await self._inner.aclose()


def _items_named(outbox_ids: list[int]) -> str:
    """The items in a task run's name, short enough for the UI's list of runs."""
    if len(outbox_ids) <= 4:
        return ", ".join(f"#{i}" for i in outbox_ids)
    return f"#{outbox_ids[0]} … #{outbox_ids[-1]}, {len(outbox_ids)} items"


def request_documents(
    engine: Engine, case_ids: list[int], settings: Settings, *, link: PrefectLink | None = None
) -> list[str]:
    """Submit background tasks for the cases' pending items, up to ITEMS_PER_TASK_RUN items
    a task run; their task run ids (none when nothing is pending). Raises when Prefect cannot
    be reached in time (the runs submitted before stay submitted; the rest wait for the
    sweep). Blocking: call it from DocumentRequests' thread (or a test), never from a
    request."""
    outbox_ids = outbox.pending_of_cases(engine, case_ids)
    batches = [
        outbox_ids[i : i + ITEMS_PER_TASK_RUN]
        for i in range(0, len(outbox_ids), ITEMS_PER_TASK_RUN)
    ]
    if not batches:
        return []
    if link is not None:
        return [link.submit(batch) for batch in batches]
    once = PrefectLink(settings)
    try:
        return [once.submit(batch) for batch in batches]
    finally:
        once.close()


def request_case_documents(
    engine: Engine, case_id: int, settings: Settings, *, link: PrefectLink | None = None
) -> str | None:
    """`request_documents` for one case: its (first) task run id, or None when nothing is
    pending."""
    runs = request_documents(engine, [case_id], settings, link=link)
    return runs[0] if runs else None


def _import_prefect_now() -> None:
    """Prefect's client and the task take seconds to import: pay it at start-up, not on the
    first step. Importing Prefect sets up its logging, which quiets uvicorn's loggers to
    warnings: the web's own logging is put back as it was."""
    names = ("uvicorn", "uvicorn.error", "uvicorn.access")
    before = {n: _logger_state(logging.getLogger(n)) for n in names}
    import prefect.client.orchestration  # noqa: F401

    import flows.issuing  # noqa: F401

    for name, (level, handlers, propagate) in before.items():
        logger = logging.getLogger(name)
        logger.setLevel(level)
        logger.handlers[:] = handlers
        logger.propagate = propagate


def _logger_state(logger: logging.Logger) -> tuple[int, list[logging.Handler], bool]:
    return logger.level, list(logger.handlers), logger.propagate


def _refused(exc: BaseException) -> bool:
    """A connection refused at once (no server on the port), as opposed to one that hangs."""
    import httpx

    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, httpx.ConnectError | ConnectionRefusedError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


class DocumentRequests:
    """The web's one way to ask for documents now: a bounded queue and one thread."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.engine, self.settings = engine, settings
        self._queue: queue.Queue[int | None] = queue.Queue(QUEUE_SIZE)
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._paused_until = 0.0
        self._link = PrefectLink(settings)
        self.submitted = 0
        self.left_for_sweep = 0

    @property
    def enabled(self) -> bool:
        return self.settings.on_demand_documents

    def ask(self, case_id: int) -> None:
        """Never blocks: queue the case (starting the thread on first use)."""
        if not self.enabled:
            return
        self._start()
        try:
            self._queue.put_nowait(case_id)
        except queue.Full:
            self.left_for_sweep += 1
            log.warning("document requests queue full: case #%s waits for the sweep", case_id)

    def _start(self) -> None:
        with self._lock:
            if self._thread is None:
                # A daemon: a submission stuck on a hung server never holds the exit.
                self._thread = threading.Thread(
                    target=self._work, name="sapar-document-requests", daemon=True
                )
                self._thread.start()

    def start(self) -> None:
        """At the app's start-up, before it serves: import Prefect's client now (2 s of CPU)
        rather than in this thread while the first requests are served (the GIL would slow
        them down), then start the thread."""
        if not self.enabled:
            return
        try:
            _import_prefect_now()
        except Exception:
            log.exception("Prefect cannot be imported: documents wait for the sweep")
        self._start()

    def _work(self) -> None:
        while True:
            taken = [self._queue.get()]
            # Whatever else was queued meanwhile (a burst of steps) goes with it: no waiting
            # for more, so a single step's documents are asked for at once.
            while taken[-1] is not None and len(taken) < ITEMS_PER_TASK_RUN:
                try:
                    taken.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            try:
                case_ids = list(dict.fromkeys(c for c in taken if c is not None))
                if case_ids:
                    self._some(case_ids)
                if taken[-1] is None:
                    self._link.close()
                    return
            finally:
                for _ in taken:
                    self._queue.task_done()

    def _some(self, case_ids: list[int]) -> None:
        if time.monotonic() < self._paused_until:
            self.left_for_sweep += len(case_ids)
            return
        try:
            # Looked up at call time: tests stand in for Prefect by replacing it.
            request_documents(self.engine, case_ids, self.settings, link=self._link)
            self.submitted += len(case_ids)
        except (Exception, asyncio.CancelledError) as exc:  # whatever it was: the sweep
            self.left_for_sweep += len(case_ids)
            if _refused(exc):
                # Nobody listens yet (the server is starting): that answer costs nothing, so
                # the next step asks again instead of waiting out a pause.
                return
            self._paused_until = time.monotonic() + PAUSE_AFTER_FAILURE_S
            log.warning(
                "could not ask Prefect for the documents of cases %s (%s: %s); the sweep "
                "will issue them; not asking again for %.0f s",
                ", ".join(f"#{c}" for c in case_ids), type(exc).__name__, exc,
                PAUSE_AFTER_FAILURE_S,
            )  # fmt: skip

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Whether every queued request was handled within `timeout` (tests, shutdown)."""
        deadline = time.monotonic() + timeout
        while self._queue.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.01)
        return not self._queue.unfinished_tasks

    def stop(self, timeout: float = STOP_TIMEOUT_S) -> None:
        """Let the thread finish what it is doing, within `timeout`; it is a daemon, so a
        submission stuck on a hung server does not keep the process alive."""
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is None:
            return
        try:
            self._queue.put(None, timeout=timeout)
        except queue.Full:
            return
        thread.join(timeout)
