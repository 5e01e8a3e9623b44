"""The two long-lived processes freeze what start-up built before they serve (sapar/heap.py).

Without it every full collection walks the ~230,000 objects of the imports: about 120 ms that
land in whichever page or group order happens to set one off.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import flows.serve
from sapar import cli


@pytest.fixture
def frozen_when_serving() -> Iterator[list[int]]:
    seen: list[int] = []
    gc.unfreeze()
    yield seen
    gc.unfreeze()  # the test process collects as before


def test_sapar_serve_freezes_start_up_objects_before_uvicorn_serves(
    frozen_when_serving: list[int], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import uvicorn

    monkeypatch.setenv("SAPAR_DATABASE_URL", f"sqlite:///{tmp_path / 'sapar.db'}")
    monkeypatch.setenv("SAPAR_FILES_DIR", str(tmp_path / "files"))
    monkeypatch.setenv("SAPAR_ADMIN_PASSWORD", "a long enough password 1")

    def fake_run(app: Any, **_: Any) -> None:
        frozen_when_serving.append(gc.get_freeze_count())

    monkeypatch.setattr(uvicorn, "run", fake_run)
    result = CliRunner().invoke(cli.app, ["serve", "--no-prefect"])
    assert result.exit_code == 0, result.output
    assert frozen_when_serving and frozen_when_serving[0] > 100_000


def test_the_flows_process_freezes_start_up_objects_before_it_serves(
    frozen_when_serving: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(flows.serve, "start_in_thread", lambda: None)
    monkeypatch.setattr(flows.serve, "catch_up", lambda: None)

    def fake_serve(*deployments: Any, **_: Any) -> None:
        assert deployments  # built before the freeze, so their flows' imports are frozen too
        frozen_when_serving.append(gc.get_freeze_count())

    monkeypatch.setattr(flows.serve, "serve", fake_serve)
    flows.serve.main()
    assert frozen_when_serving and frozen_when_serving[0] > 100_000
