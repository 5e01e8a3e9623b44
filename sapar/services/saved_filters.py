"""A user's named views of the case list (issue 13.3): the list page's query string, stored
per user, listed on the page, used by following it. A view is checked when saved (it must be
a list query the page accepts) and again when used (the page validates its parameters)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from pydantic import ValidationError
from sqlalchemy import Engine, delete, func, select

from sapar import clock
from sapar.i18n import t
from storage.orm import SavedFilterRow
from storage.uow import UnitOfWork

from .schemas import ListView
from .users import User

MAX_PER_USER = 30
# Not part of a view: where the list was paged to, and the form's token.
TRANSIENT = frozenset({"page", "after", "csrf", "name"})


class FilterRefused(ValueError):
    """A view that cannot be saved; the message is in the user's language."""


@dataclass(frozen=True)
class SavedFilter:
    id: int
    name: str
    query: str


def clean_query(query: str) -> str:
    """The view's parameters in a stable order, without the transient ones and blanks."""
    pairs = [(k, v) for k, v in parse_qsl(query, keep_blank_values=False) if k not in TRANSIENT]
    return urlencode(sorted(pairs))


def mine(engine: Engine, *, user: User) -> list[SavedFilter]:
    with UnitOfWork(engine, read_only=True) as uow:
        rows = uow.session.scalars(
            select(SavedFilterRow)
            .where(SavedFilterRow.user_id == user.id)
            .order_by(SavedFilterRow.name)
        )
        return [SavedFilter(r.id, r.name, r.query) for r in rows]


def save(engine: Engine, *, user: User, name: str, query: str) -> SavedFilter:
    """Save the view under its name; the same name again replaces the earlier view."""
    name = " ".join(name.split())
    if not 1 <= len(name) <= 80:
        raise FilterRefused(t(user.language, "saved.bad_name"))
    query = clean_query(query[:2000])
    try:
        ListView.model_validate(dict(parse_qsl(query)))
    except ValidationError:
        raise FilterRefused(t(user.language, "saved.bad_query")) from None
    with UnitOfWork(engine) as uow:
        s = uow.session
        row = s.scalar(
            select(SavedFilterRow).where(
                SavedFilterRow.user_id == user.id, SavedFilterRow.name == name
            )
        )
        if row is None:
            count = s.scalar(select(func.count()).where(SavedFilterRow.user_id == user.id))
            if (count or 0) >= MAX_PER_USER:
                raise FilterRefused(t(user.language, "saved.too_many", max=MAX_PER_USER))
            row = SavedFilterRow(user_id=user.id, name=name, query=query,
                                 created_at=clock.now())  # fmt: skip
            s.add(row)
        else:
            row.query = query
        s.flush()
        found = SavedFilter(row.id, row.name, row.query)
        uow.commit()
        return found


def remove(engine: Engine, *, user: User, filter_id: int) -> None:
    """Delete one of the user's own views (another user's id deletes nothing)."""
    with UnitOfWork(engine) as uow:
        uow.session.execute(
            delete(SavedFilterRow).where(
                SavedFilterRow.id == filter_id, SavedFilterRow.user_id == user.id
            )
        )
        uow.commit()
