"""What every route needs from the running app: the engine, the file store, the settings, and
the queue through which a step asks for its documents (never calling Prefect itself)."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import Request
from sqlalchemy import Engine

from flows.trigger import DocumentRequests
from sapar.config import Settings
from storage.files import FileStore


@dataclass(frozen=True)
class Services:
    settings: Settings
    engine: Engine
    files: FileStore
    documents: DocumentRequests = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "documents", DocumentRequests(self.engine, self.settings))


def services(request: Request) -> Services:
    found: Services = request.app.state.services
    return found
