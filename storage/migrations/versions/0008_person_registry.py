"""person registry; typed case particulars instead of the free-form `details` map

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02

`participants` becomes the registry of people (one row per person, many cases each): the
university ID (unique), the personal number (ПИН), gender, birth date, the language the
person studies in, passport and address, a parent for the consent letter (annex 6), and a
version for optimistic editing.

Each value a document printed from `cases.details` becomes a named column (the host's
language of instruction, the substitute teacher, the funding project, ...); the keys that
were there are moved over, and the map is dropped so nothing can depend on it again.
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PERSON_COLUMNS = (
    sa.Column("university_id", sa.String(length=32), nullable=True),
    sa.Column("pin", sa.String(length=14), nullable=True),
    sa.Column("full_name_latin", sa.String(length=200), nullable=True),
    sa.Column("gender", sa.String(length=8), nullable=True),
    sa.Column("birth_date", sa.Date(), nullable=True),
    sa.Column("study_language", sa.String(length=40), nullable=True),
    sa.Column("passport_number", sa.String(length=40), nullable=True),
    sa.Column("address", sa.String(length=300), nullable=True),
    sa.Column("parent_full_name", sa.String(length=200), nullable=True),
    sa.Column("parent_relation", sa.String(length=40), nullable=True),
    sa.Column("parent_passport", sa.String(length=40), nullable=True),
    sa.Column("parent_address", sa.String(length=300), nullable=True),
    sa.Column("parent_phone", sa.String(length=40), nullable=True),
    sa.Column("version", sa.Integer(), server_default="0", nullable=False),
)
# details key → column (the keys documents read before this migration)
CASE_COLUMNS = {
    "host_language": sa.Column("host_language", sa.String(length=60), nullable=True),
    "language_level": sa.Column("language_level", sa.String(length=20), nullable=True),
    "substitute": sa.Column("substitute", sa.String(length=200), nullable=True),
    "project": sa.Column("project", sa.String(length=300), nullable=True),
    "host_contact": sa.Column("host_contact", sa.String(length=200), nullable=True),
    "host_contact_position": sa.Column(
        "host_contact_position", sa.String(length=200), nullable=True
    ),
    "coordinator": sa.Column("coordinator", sa.String(length=200), nullable=True),
    "home_country": sa.Column("home_country", sa.String(length=80), nullable=True),
}
OLD_KEYS = {"language": "host_language"}


def upgrade() -> None:
    with op.batch_alter_table("participants") as batch:
        for column in PERSON_COLUMNS:
            batch.add_column(
                sa.Column(
                    column.name,
                    column.type,
                    nullable=column.nullable,
                    server_default=column.server_default.arg
                    if column.server_default is not None
                    else None,
                )
            )
        batch.create_index("ix_participants_university_id", ["university_id"], unique=True)
        batch.create_index("ix_participants_pin", ["pin"], unique=False)
    with op.batch_alter_table("cases") as batch:
        for column in CASE_COLUMNS.values():
            batch.add_column(
                sa.Column(
                    column.name,
                    column.type,
                    nullable=column.nullable,
                    server_default=column.server_default.arg
                    if column.server_default is not None
                    else None,
                )
            )
    conn = op.get_bind()
    cases = sa.table("cases", sa.column("id"), *(sa.column(n) for n in CASE_COLUMNS))
    participants = sa.table("participants", sa.column("id"), sa.column("passport_number"))
    for case_id, participant_id, details in conn.execute(
        sa.text("SELECT id, participant_id, details FROM cases")
    ):
        found = json.loads(details) if isinstance(details, str) else (details or {})
        values = {}
        for key, value in found.items():
            name = OLD_KEYS.get(key, key)
            if name in CASE_COLUMNS and isinstance(value, str):
                values[name] = value[: CASE_COLUMNS[name].type.length]  # type: ignore[attr-defined]
        if values:
            conn.execute(cases.update().where(cases.c.id == case_id).values(**values))
        if isinstance(found.get("passport_number"), str):
            conn.execute(
                participants.update()
                .where(participants.c.id == participant_id)
                .values(passport_number=found["passport_number"][:40])
            )
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("details")


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(
            sa.Column("details", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )
    with op.batch_alter_table("cases") as batch:
        for name in CASE_COLUMNS:
            batch.drop_column(name)
    with op.batch_alter_table("participants") as batch:
        batch.drop_index("ix_participants_pin")
        batch.drop_index("ix_participants_university_id")
        for column in PERSON_COLUMNS:
            batch.drop_column(column.name)
