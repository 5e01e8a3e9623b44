"""Unit of work: one transaction, rolled back unless `commit()` is called."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from storage.db import reader
from storage.repository import CaseRepository


class UnitOfWork:
    def __init__(self, engine: Engine, *, read_only: bool = False) -> None:
        bind = reader(engine) if read_only else engine
        self._factory = sessionmaker(bind=bind, expire_on_commit=False)

    def __enter__(self) -> UnitOfWork:
        self.session: Session = self._factory()
        self.cases = CaseRepository(self.session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # Detach first, so rows read here stay readable after the unit of work; then undo
        # whatever was not committed.
        self.session.expunge_all()
        self.session.rollback()
        self.session.close()

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()
