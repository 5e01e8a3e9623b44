"""participants' portal: one-time sign-in links

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02

Participants sign in to the portal by a link sent to their e-mail. The link's token is
kept as its sha256 only, with its expiry and the moment it was used (once).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "portal_links",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_hash", sa.String(length=64), nullable=False, unique=True),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_portal_links_email", "portal_links", ["email"])


def downgrade() -> None:
    op.drop_index("ix_portal_links_email", table_name="portal_links")
    op.drop_table("portal_links")
