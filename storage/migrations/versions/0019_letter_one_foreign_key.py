"""a letter's deadline and case under one foreign key (issue 15.2)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07

A reminder or escalation (notifications) had two foreign keys, to its deadline and to its
case. The deadline check writes thousands of letters in one statement, and PostgreSQL checks
each key of each row with a look-up that locks the row referred to: two look-ups per
letter, and the lock on the case dirties a page of the large cases table for each one
(a third of the check's time at 10,000 letters among 1M cases). One key on (deadline, case)
referring to the deadline's (id, case_id) checks one row and says more: the letter's case is
its deadline's case; that case exists because the deadline refers to it.

The unique index on deadlines (id, case_id) is what the key refers to (a key needs a unique
index on the columns it points at). A letter whose case is not its deadline's case (none is
written so) stops the upgrade on PostgreSQL, and on SQLite at the foreign key check
storage/migrations/env.py runs before the commit.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# SQLite keeps the keys 0002 made without names: batch mode names them by this pattern so
# they can be dropped (PostgreSQL named them itself, and so did a downgrade from here).
SQLITE_NAMES = {"fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}


def _old_keys() -> list[str]:
    """The names of the letters' two keys, to the case and to the deadline."""
    keys = sa.inspect(op.get_bind()).get_foreign_keys("notifications")
    return [
        k["name"] or f"fk_notifications_{k['constrained_columns'][0]}_{k['referred_table']}"
        for k in keys
    ]


def upgrade() -> None:
    op.create_index("uq_deadlines_id_case", "deadlines", ["id", "case_id"], unique=True)
    old = _old_keys()
    sqlite = op.get_bind().dialect.name == "sqlite"
    how = {"naming_convention": SQLITE_NAMES} if sqlite else {}
    with op.batch_alter_table("notifications", **how) as batch:  # type: ignore[arg-type]
        for name in old:
            batch.drop_constraint(name, type_="foreignkey")
        batch.create_foreign_key(
            "fk_notifications_deadline_case",
            "deadlines",
            ["deadline_id", "case_id"],
            ["id", "case_id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("notifications") as batch:
        batch.drop_constraint("fk_notifications_deadline_case", type_="foreignkey")
        batch.create_foreign_key("notifications_case_id_fkey", "cases", ["case_id"], ["id"])
        batch.create_foreign_key(
            "notifications_deadline_id_fkey", "deadlines", ["deadline_id"], ["id"]
        )
    op.drop_index("uq_deadlines_id_case", table_name="deadlines")
