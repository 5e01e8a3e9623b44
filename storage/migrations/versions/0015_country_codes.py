"""countries as ISO 3166 codes (issue 13.5)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02

Data only: each case's host country typed as free text ("Türkiye", "Германия",
"Deutschland") becomes its ISO 3166-1 alpha-2 code where it can be recognised
(storage/countries.py: the code itself, or a country's name in Kyrgyz, Russian, English or
the partners' languages, from CLDR). A value not recognised stays as it was typed, and is
shown so. The downgrade leaves the codes: a name in one language would be a guess.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage import countries

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    cases = sa.table("cases", sa.column("host_country", sa.String(80)))
    typed = bind.execute(sa.select(cases.c.host_country).distinct()).scalars().all()
    for value in typed:
        code = countries.code_of(value)
        if code is not None and code != value:
            bind.execute(
                cases.update().where(cases.c.host_country == value).values(host_country=code)
            )


def downgrade() -> None:
    pass
