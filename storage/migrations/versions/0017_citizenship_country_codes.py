"""citizenship and a guest's home country as ISO 3166 codes (issue 13.5)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07

Data only, as 0015 and 0016 did for the host country and the partners: a person's
citizenship and a guest's home country typed as free text ("Кыргыз Республикасы",
"Türkiye") become ISO 3166-1 alpha-2 codes where they can be recognised
(storage/countries.py); the papers print the country's name in their own language. A value
not recognised stays as typed and is printed so. The downgrade leaves the codes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage import countries

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (("participants", "citizenship"), ("cases", "home_country"))


def upgrade() -> None:
    bind = op.get_bind()
    for table_name, column in COLUMNS:
        table = sa.table(table_name, sa.column(column, sa.String(80)))
        typed = bind.execute(sa.select(table.c[column]).distinct()).scalars().all()
        for value in typed:
            code = countries.code_of(value)
            if code is not None and code != value:
                bind.execute(
                    table.update().where(table.c[column] == value).values({column: code})
                )


def downgrade() -> None:
    pass
