"""notifications: attempts, and an index of the letters still to send

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02

The deadline check sends every letter still pending or failed (issue 11.3): those of today,
those that failed earlier and those a crashed check left pending. A partial index keeps
finding them cheap however many letters were ever written. `attempts` counts how often a
sender took a letter to the mail server.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNSENT = sa.text("status IN ('pending', 'failed')")


def upgrade() -> None:
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("attempts", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.create_index(
            "ix_notifications_unsent",
            ["id"],
            unique=False,
            postgresql_where=UNSENT,
            sqlite_where=UNSENT,
        )


def downgrade() -> None:
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index("ix_notifications_unsent")
        batch_op.drop_column("attempts")
