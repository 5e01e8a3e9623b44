"""sessions, tokens and limits (issue 14)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02

- api_tokens.expires_at: tokens expire; those made before get 90 days from now.
- login_throttle: failed logins per (account, IP) and per IP (no account lock any more).
- import_jobs: partner imports run off the request, with their progress.
- recognised_courses.refusal_reason: text a clerk types, held to the 2000 characters the form
  allows (PostgreSQL enforces it; SQLite does not check lengths, the form's check is the
  guard there). audit_events.reason keeps its type: FireIn holds it to 2000 characters, and
  the append-only, hash-chained table is not rebuilt for it.
"""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("api_tokens", sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
    tokens = sa.table("api_tokens", sa.column("expires_at", sa.DateTime(timezone=True)))
    op.execute(tokens.update().values(expires_at=datetime.now(UTC) + timedelta(days=90)))
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("blocked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key"),
    )
    with op.batch_alter_table("recognised_courses") as batch:
        batch.alter_column("refusal_reason", type_=sa.String(2000), existing_nullable=True)
    op.create_table(
        "import_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("error", sa.String(length=2000), nullable=True),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("import_jobs")
    with op.batch_alter_table("recognised_courses") as batch:
        batch.alter_column("refusal_reason", type_=sa.Text(), existing_nullable=True)
    op.drop_table("login_throttle")
    op.drop_column("api_tokens", "expires_at")
