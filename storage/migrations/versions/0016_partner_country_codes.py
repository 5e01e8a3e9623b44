"""partners' countries as ISO 3166 codes (issue 13.5)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07

Data only, as 0015 did for the cases' host country: each partner's country typed as free
text ("Түркия", "Kazakhstan") becomes its ISO 3166-1 alpha-2 code where it can be recognised
(storage/countries.py). Partner name and country identify a partner, so two rows that now
share both are left as typed rather than merged behind the registrar's back. The downgrade
leaves the codes: a name in one language would be a guess.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage import countries

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    partners = sa.table(
        "partners", sa.column("id", sa.Integer), sa.column("name", sa.String(300)),
        sa.column("country", sa.String(80)),
    )  # fmt: skip
    rows = bind.execute(sa.select(partners.c.id, partners.c.name, partners.c.country)).all()
    taken = {(name, country) for _, name, country in rows}
    for partner_id, name, country in rows:
        code = countries.code_of(country)
        if code is None or code == country or (name, code) in taken:
            continue
        bind.execute(partners.update().where(partners.c.id == partner_id).values(country=code))
        taken.add((name, code))


def downgrade() -> None:
    pass
