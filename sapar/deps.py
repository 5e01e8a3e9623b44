"""What every route needs from the running app: the engine, the file store, the settings, and
the queue through which a step asks for its documents (never calling Prefect itself)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from fastapi import Request
from sqlalchemy import Engine

from sapar.config import Settings
from storage.files import FileStore


class DocumentQueue(Protocol):
    """Where a step asks for its case's documents: flows/trigger.py's DocumentRequests,
    handed in by sapar.app, so that the front doors never import the flows."""

    def ask(self, case_id: int) -> None: ...
    def start(self) -> None: ...
    def stop(self) -> None: ...


@dataclass(frozen=True)
class Services:
    settings: Settings
    engine: Engine
    files: FileStore
    documents: DocumentQueue


def services(request: Request) -> Services:
    found: Services = request.app.state.services
    return found
