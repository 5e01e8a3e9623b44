"""officials: who held each post, with validity dates

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02

Orders print who held the post on the order's date; the setting file's names were never
read and deans printed as "—". The registry lives in the database, editable by an admin.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "officials",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("post", sa.String(40), nullable=False),
        sa.Column("unit", sa.String(200), nullable=False, server_default=""),
        sa.Column("full_name", sa.String(200), nullable=False),
        sa.Column("titles", sa.JSON(), nullable=False),
        sa.Column("email", sa.String(200), nullable=False, server_default=""),
        sa.Column("phone", sa.String(60), nullable=False, server_default=""),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("post", "unit", "valid_from", name="uq_official_post_unit_from"),
    )


def downgrade() -> None:
    op.drop_table("officials")
