"""audit chain head on the case row, TRUNCATE refused, access log, outbox backoff, quota index

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02

- cases.audit_seq / audit_hash / audit_mac: the head of each case's audit chain, written in
  the same transaction as the event, so `verify` notices a deleted last event or a
  truncation; existing heads are filled in from the events.
- PostgreSQL refuses TRUNCATE of audit_events (a statement trigger; the row triggers of
  0001 do not fire on TRUNCATE).
- access_log: refused reads, apart from the cases' permanent history.
- outbox.first_failed_at / next_attempt_at: automatic retries back off by time.
- ix_cases_quota: the quota count of an order reads an index instead of the year's cases.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GENESIS = "0" * 64


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("audit_seq", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(
            sa.Column("audit_hash", sa.String(64), nullable=False, server_default=GENESIS)
        )
        batch.add_column(sa.Column("audit_mac", sa.String(64), nullable=True))
        batch.create_index(
            "ix_cases_quota", ["partner_id", "academic_year", "kind", "state"], unique=False
        )
    op.execute(
        "UPDATE cases SET "
        "audit_seq = (SELECT max(e.seq) FROM audit_events e WHERE e.case_id = cases.id), "
        "audit_hash = (SELECT e.hash FROM audit_events e WHERE e.case_id = cases.id "
        "ORDER BY e.seq DESC LIMIT 1) "
        "WHERE EXISTS (SELECT 1 FROM audit_events e WHERE e.case_id = cases.id)"
    )
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("first_failed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "access_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(120), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("access_log") as batch:
        batch.create_index(batch.f("ix_access_log_case_id"), ["case_id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events")
    with op.batch_alter_table("access_log") as batch:
        batch.drop_index(batch.f("ix_access_log_case_id"))
    op.drop_table("access_log")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("next_attempt_at")
        batch.drop_column("first_failed_at")
    with op.batch_alter_table("cases") as batch:
        batch.drop_index("ix_cases_quota")
        batch.drop_column("audit_mac")
        batch.drop_column("audit_hash")
        batch.drop_column("audit_seq")
