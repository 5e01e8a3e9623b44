"""text a user can fill is bounded; imports of people run as jobs (issue 14)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02

- audit_events.reason, access_log.reason, agreements.notes: VARCHAR(2000) instead of TEXT.
  A step's reason is held to 2000 characters by its form (FireIn); a refusal's own wording
  and a refused read's reason are cut to it where they are written. PostgreSQL enforces the
  length; SQLite does not check lengths, the forms' checks are the guard there.
  The history stays append-only: on PostgreSQL ALTER TABLE fires no row trigger and leaves
  the values (and so the hash chain) as they are; on SQLite the table is rebuilt by copying
  its rows verbatim, and its two append-only triggers, dropped with the old table, are made
  again. A reason already longer than 2000 characters stops the migration rather than being
  cut, since cutting it would break the case's hash chain.
- import_jobs.added / corrected: what an import of people did; error_line / error_field:
  where a refused import's first bad line is, so the API names the line and the field.
  Text the system writes for itself (outbox.last_error, a reminder's body and error) is not
  typed by a user and keeps its type.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIMIT = 2000


def _sqlite_append_only_triggers() -> None:
    # The same triggers as 0001's: dropping the old table during the rebuild dropped them.
    for action in ("UPDATE", "DELETE"):
        op.execute(f"DROP TRIGGER IF EXISTS audit_events_no_{action.lower()}")
        op.execute(
            f"CREATE TRIGGER audit_events_no_{action.lower()} BEFORE {action} ON audit_events "
            "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END"
        )


def _retype(table: str, column: str, new: sa.types.TypeEngine, old: sa.types.TypeEngine,
            nullable: bool) -> None:  # fmt: skip
    with op.batch_alter_table(table) as batch:
        batch.alter_column(column, type_=new, existing_type=old, existing_nullable=nullable)


def upgrade() -> None:
    bind = op.get_bind()
    longest = bind.execute(sa.text("SELECT max(length(reason)) FROM audit_events")).scalar()
    if longest is not None and longest > LIMIT:
        raise RuntimeError(
            f"audit_events.reason holds a reason of {longest} characters (over {LIMIT}); the "
            "history is hash-chained and is not cut: keep this database at revision 0012"
        )
    _retype("audit_events", "reason", sa.String(LIMIT), sa.Text(), True)
    if bind.dialect.name == "sqlite":
        _sqlite_append_only_triggers()
    op.execute(f"UPDATE access_log SET reason = substr(reason, 1, {LIMIT})")
    _retype("access_log", "reason", sa.String(LIMIT), sa.Text(), False)
    op.execute(f"UPDATE agreements SET notes = substr(notes, 1, {LIMIT})")
    _retype("agreements", "notes", sa.String(LIMIT), sa.Text(), True)
    with op.batch_alter_table("import_jobs") as batch:
        batch.add_column(sa.Column("added", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("corrected", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("error_line", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("error_field", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("import_jobs") as batch:
        batch.drop_column("error_field")
        batch.drop_column("error_line")
        batch.drop_column("corrected")
        batch.drop_column("added")
    _retype("agreements", "notes", sa.Text(), sa.String(LIMIT), True)
    _retype("access_log", "reason", sa.Text(), sa.String(LIMIT), False)
    _retype("audit_events", "reason", sa.Text(), sa.String(LIMIT), True)
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_append_only_triggers()
