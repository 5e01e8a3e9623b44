"""The real server in a thread on a free loopback port, SQLite in a temp dir, real Chromium."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, sync_playwright
from sqlalchemy import Engine

from sapar.app import create_app
from sapar.config import Settings
from scripts.demo import demo_officials
from storage.db import make_engine
from storage.files import FileStore

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-background-networking", "--disable-gpu"]


@dataclass
class LiveServer:
    url: str
    engine: Engine
    files: FileStore


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(settings: Settings) -> Iterator[LiveServer]:
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    engine = make_engine(settings.database_url)
    yield LiveServer(f"http://127.0.0.1:{port}", engine, FileStore(settings.files_dir))
    server.should_exit = True
    thread.join(timeout=10)
    engine.dispose()


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[LiveServer]:
    # No Prefect in the browser tests: a step's documents wait in the outbox.
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'sapar.db'}",
                        files_dir=tmp_path / "files", var_dir=tmp_path,
                        officials_file=officials_file(tmp_path),
                        on_demand_documents=False)  # fmt: skip
    yield from serve(settings)


def officials_file(folder: Path) -> Path:
    """The officials setting's file, as a registrar would write it (README, "Officials")."""
    path = folder / "officials.json"
    entries = [e.model_dump(mode="json", exclude_defaults=True) for e in demo_officials()]
    path.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield launched
        launched.close()
