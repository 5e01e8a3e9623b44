"""name search index (PostgreSQL trigram)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23

A search by part of a name (`ILIKE '%…%'`) cannot use a b-tree; at a million cases it would
scan every participant. PostgreSQL's pg_trgm answers it from a GIN index. Where the role
may not create the extension, the search still works, only slower (a notice says so).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        """
        DO $$
        BEGIN
            CREATE EXTENSION IF NOT EXISTS pg_trgm;
        EXCEPTION WHEN insufficient_privilege THEN
            RAISE NOTICE 'pg_trgm not available: name search will scan participants';
        END $$;
        """
    )
    op.execute(
        """
        DO $$
        BEGIN
            IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
                CREATE INDEX IF NOT EXISTS ix_participants_full_name_trgm
                    ON participants USING gin (full_name gin_trgm_ops);
            END IF;
        END $$;
        """
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_participants_full_name_trgm")
