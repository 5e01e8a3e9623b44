"""each status column holds one of its enum's values (issue 16)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07

A CHECK constraint per status column, the values those of its StrEnum (storage/orm.py,
states/): a typo in the code, or a hand-written UPDATE, is refused by the database rather
than leaving a row no query will ever find again. The lists are written out here, not
imported, so this revision means the same thing whatever the enums become.

A database holding a value outside a list stops the migration and names the table, the
column and the values: which one was meant cannot be guessed, and a row silently changed
could send a letter twice or never. (No released version wrote any other value.)

On SQLite a CHECK is added by rebuilding the table; `deadlines` is referenced by
`notifications`, so the rebuild runs with foreign keys off and checked before the commit
(storage/migrations/env.py). The history (audit_events) gets none: it is append-only, and the rebuild
would have to drop and remake its triggers for a column only the service layer writes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHECKS: dict[tuple[str, str], tuple[str, ...]] = {
    ("deadlines", "status"): ("open", "met", "overdue", "void"),
    ("documents", "origin"): ("uploaded", "generated"),
    ("outbox", "status"): ("pending", "done", "failed"),
    ("notifications", "status"): (
        "pending", "sent", "recorded", "failed", "refused", "superseded", "moot",
    ),
    ("notifications", "channel"): ("email", "record"),
    ("import_jobs", "status"): ("queued", "checking", "writing", "done", "failed"),
    ("portal_links", "channel"): ("email", "record"),
}  # fmt: skip


def _name(table: str, column: str) -> str:
    return f"ck_{table}_{column}"


def _refuse_strays(bind: sa.Connection) -> None:
    strays = []
    for (table, column), values in CHECKS.items():
        t = sa.table(table, sa.column(column, sa.String()))
        found = bind.execute(
            sa.select(t.c[column]).where(t.c[column].not_in(values)).distinct()
        ).scalars()
        strays += [f"{table}.{column} = {v!r}" for v in found]
    if strays:
        raise RuntimeError(
            "rows hold values outside their column's list: " + ", ".join(sorted(strays))
            + "; correct them by hand, then upgrade again"
        )


def upgrade() -> None:
    bind = op.get_bind()
    _refuse_strays(bind)
    tables = dict.fromkeys(table for table, _ in CHECKS)
    for table in tables:
        with op.batch_alter_table(table) as batch:
            for (t, column), values in CHECKS.items():
                if t == table:
                    listed = ", ".join(f"'{v}'" for v in values)
                    batch.create_check_constraint(_name(t, column), f"{column} IN ({listed})")


def downgrade() -> None:
    tables = dict.fromkeys(table for table, _ in CHECKS)
    for table in tables:
        with op.batch_alter_table(table) as batch:
            for t, column in CHECKS:
                if t == table:
                    batch.drop_constraint(_name(t, column), type_="check")
