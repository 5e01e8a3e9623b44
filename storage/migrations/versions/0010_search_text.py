"""forgiving search: folded name, group and host beside the rows

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02

The search folds Latin, Cyrillic and Russian-keyboard spellings to one (storage/search.py);
the folded text is stored so a plain LIKE finds it on SQLite and PostgreSQL. Existing rows are
folded here; the ORM keeps new and edited rows folded.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.search import fold

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _backfill(table: str, columns: tuple[str, ...], limit: int) -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.text(f"SELECT id, {', '.join(columns)} FROM {table}")).all()
    update = sa.text(f"UPDATE {table} SET search_text = :folded WHERE id = :id")
    for start in range(0, len(rows), 1000):
        chunk = rows[start : start + 1000]
        params = [{"id": r[0], "folded": fold(*r[1:])[:limit]} for r in chunk]
        if params:
            bind.execute(update, params)


def upgrade() -> None:
    with op.batch_alter_table("participants") as batch:
        batch.add_column(sa.Column("search_text", sa.String(400), nullable=False, server_default=""))
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("search_text", sa.String(800), nullable=False, server_default=""))
    _backfill("participants", ("full_name", "full_name_latin", "group_name"), 400)
    _backfill("cases", ("host_institution", "host_city", "programme"), 800)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            DO $$
            BEGIN
                IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
                    CREATE INDEX IF NOT EXISTS ix_participants_search_trgm
                        ON participants USING gin (search_text gin_trgm_ops);
                    CREATE INDEX IF NOT EXISTS ix_cases_search_trgm
                        ON cases USING gin (search_text gin_trgm_ops);
                END IF;
            END $$;
            """
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_participants_search_trgm")
        op.execute("DROP INDEX IF EXISTS ix_cases_search_trgm")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("search_text")
    with op.batch_alter_table("participants") as batch:
        batch.drop_column("search_text")
