"""The web's link to Prefect asks a busy server again soon, not after Prefect's 2 s."""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from flows import trigger


def answers(*codes: int) -> tuple[httpx.AsyncClient, list[int]]:
    """A client whose server answers `codes` in turn (then the last one forever)."""
    seen: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(len(seen))
        return httpx.Response(codes[min(len(seen) - 1, len(codes) - 1)], json={"n": len(seen)})

    transport = trigger._AskAgainWhenBusy(httpx.MockTransport(handler))
    return httpx.AsyncClient(transport=transport, base_url="http://prefect"), seen


def post(client: httpx.AsyncClient) -> httpx.Response:
    async def go() -> httpx.Response:
        async with client:
            return await client.post("/api/task_runs/", json={"name": "x"})

    # A thread of its own: an earlier test in the same worker (Prefect's sync client) may have
    # left an event loop running in this one, where asyncio.run refuses to start.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, go()).result()


def test_a_busy_prefect_is_asked_again_within_a_fraction_of_a_second() -> None:
    client, seen = answers(503, 503, 201)
    start = time.monotonic()
    answer = post(client)
    assert answer.status_code == 201 and len(seen) == 3
    assert time.monotonic() - start < 0.5


def test_a_prefect_busy_for_good_gets_its_503_handed_on_after_the_last_try(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(trigger, "BUSY_RETRY_DELAYS_S", (0.0, 0.0, 0.0))
    client, seen = answers(503)
    assert post(client).status_code == 503 and len(seen) == 4


def test_any_other_answer_is_handed_on_at_once() -> None:
    client, seen = answers(422)
    assert post(client).status_code == 422 and len(seen) == 1
