"""What every route needs from the running app: the engine, the file store, the settings."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from sqlalchemy import Engine

from sapar.config import Settings
from storage.files import FileStore


@dataclass(frozen=True)
class Services:
    settings: Settings
    engine: Engine
    files: FileStore


def services(request: Request) -> Services:
    found: Services = request.app.state.services
    return found
