"""Registration numbers of orders and letters: per series and year, never reused, no gaps.

The counter row is bumped by one UPDATE … RETURNING inside the caller's transaction, the
same one that records the document. PostgreSQL holds the row lock until that transaction
ends, so concurrent issuers queue on it; a rollback takes the number back with it, so a
failed issue leaves no gap. (SQLite writers are serialised by BEGIN IMMEDIATE.)
"""

from __future__ import annotations

from sqlalchemy import insert, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from storage.orm import NumberSeriesRow


def next_number(session: Session, series: str, year: int) -> int:
    dialect = session.get_bind().dialect.name
    new_series: object
    if dialect == "postgresql":
        new_series = pg_insert(NumberSeriesRow).on_conflict_do_nothing()
    elif dialect == "sqlite":
        new_series = sqlite_insert(NumberSeriesRow).on_conflict_do_nothing()
    else:  # pragma: no cover - only the two databases are supported
        new_series = insert(NumberSeriesRow)
    session.execute(new_series.values(series=series, year=year, last=0))
    return session.execute(
        update(NumberSeriesRow)
        .where(NumberSeriesRow.series == series, NumberSeriesRow.year == year)
        .values(last=NumberSeriesRow.last + 1)
        .returning(NumberSeriesRow.last)
    ).scalar_one()
