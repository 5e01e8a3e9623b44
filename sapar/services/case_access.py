"""Whether a logged-in user may see a case, and the trace a refused attempt leaves: a refused
read goes to the capped access log, a refused change to the case's history (who tried what),
so the web, the API and the CLI all leave the same trace."""

from __future__ import annotations

from typing import NoReturn

from sqlalchemy import Engine

from states.machine import NotPermitted
from states.model import Case
from storage.uow import UnitOfWork

from . import access, access_log
from .cases import log_refusal
from .users import User

# Actions that only read: refused, they go to the capped access log, not the case's history.
READS = frozenset({"view", "download_document", "avn_export"})


def refuse(engine: Engine, user: User, case: Case, action: str, error: NotPermitted) -> NoReturn:
    """Write the refused attempt where it belongs (READS to the access log, a change to the
    case's history), then raise it."""
    assert case.id is not None
    if action in READS:
        access_log.record(
            engine, actor=user.actor, case_id=case.id, action=action, reason=str(error)
        )
        raise error
    log_refusal(
        engine,
        case_id=case.id,
        event=action,
        actor=user.actor,
        state=case.state,
        refusal=error,
        payload={},
    )
    raise error


def case_for(engine: Engine, *, user: User, case_id: int, action: str = "view") -> Case:
    """The case, if this user may see it; else the refusal is logged and raised (a read to
    the access log, a change to the case's history)."""
    with UnitOfWork(engine, read_only=True) as uow:
        case = uow.cases.get(case_id)
    ensure_can_see(engine, user=user, case=case, action=action)
    return case


def ensure_can_see(engine: Engine, *, user: User, case: Case, action: str = "view") -> None:
    """For a case already read: refuse (and log) when it is outside the user's scope."""
    try:
        access.check_can_see(user, case)
    except NotPermitted as error:
        refuse(engine, user, case, action, error)
