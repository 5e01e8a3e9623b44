"""The migrations build exactly the schema the ORM describes, and come down again."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, text

from storage.db import alembic_config, make_engine, upgrade
from storage.orm import Base


def test_migrations_match_the_tables_the_code_uses(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    upgrade(url)
    engine = make_engine(url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == [], "a model change without a migration"


def test_migrations_go_down_to_nothing_and_up_again(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    upgrade(url)
    command.downgrade(alembic_config(url), "base")
    upgrade(url)


@pytest.mark.postgres
def test_name_search_on_postgresql_has_a_trigram_index(postgres_engine: Engine) -> None:
    with postgres_engine.connect() as conn:
        names = (
            conn.execute(text("SELECT indexname FROM pg_indexes WHERE tablename = 'participants'"))
            .scalars()
            .all()
        )
    assert "ix_participants_full_name_trgm" in names


def test_the_country_migration_turns_recognisable_names_into_iso_codes(tmp_path: Path) -> None:
    from storage.uow import UnitOfWork
    from tests.builders import a_case

    url = f"sqlite:///{tmp_path / 'm.db'}"
    upgrade(url)
    engine = make_engine(url)
    typed = ["Германия", "Deutschland", "Türkiye", "Түркия", "Kazakhstan", "Нарния"]
    with UnitOfWork(engine) as uow:
        ids = [uow.cases.add(a_case()) for _ in typed]
        uow.commit()
    with engine.begin() as conn:  # as the clerks typed them before the picklist
        for case_id, country in zip(ids, typed, strict=True):
            conn.execute(
                text("UPDATE cases SET host_country = :c WHERE id = :i"),
                {"c": country, "i": case_id},
            )
    command.downgrade(alembic_config(url), "0014")
    upgrade(url)
    with engine.connect() as conn:
        found = conn.execute(text("SELECT host_country FROM cases ORDER BY id")).scalars().all()
    engine.dispose()
    assert found == ["DE", "DE", "TR", "TR", "KZ", "Нарния"]  # the unknown stays as typed


def test_the_partner_country_migration_codes_names_and_never_merges_two_partners(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    upgrade(url)
    command.downgrade(alembic_config(url), "0015")
    engine = make_engine(url)
    typed = [("Kastamonu", "Түркия"), ("Almaty", "Kazakhstan"), ("Hogwarts", "Нарния"),
             ("Leipzig", "Германия"), ("Leipzig", "DE")]  # fmt: skip
    with engine.begin() as conn:  # as the registry held them before the picklist
        for name, country in typed:
            conn.execute(
                text(
                    "INSERT INTO partners (name, country, scope, created_at) "
                    "VALUES (:n, :c, 'international', '2026-01-01')"
                ),
                {"n": name, "c": country},
            )
    upgrade(url)
    with engine.connect() as conn:
        found = conn.execute(text("SELECT name, country FROM partners ORDER BY id")).all()
    engine.dispose()
    assert [tuple(r) for r in found] == [
        ("Kastamonu", "TR"), ("Almaty", "KZ"), ("Hogwarts", "Нарния"),
        ("Leipzig", "Германия"), ("Leipzig", "DE"),  # the same name and code: left for a person
    ]  # fmt: skip


def test_the_citizenship_migration_codes_people_and_guests_home_countries(tmp_path: Path) -> None:
    from storage.uow import UnitOfWork
    from tests.builders import a_case

    url = f"sqlite:///{tmp_path / 'm.db'}"
    upgrade(url)
    engine = make_engine(url)
    with UnitOfWork(engine) as uow:
        case_id = uow.cases.add(a_case())
        uow.commit()
    with engine.begin() as conn:  # as typed before the list
        conn.execute(text("UPDATE participants SET citizenship = 'Кыргыз Республикасы'"))
        conn.execute(text("UPDATE cases SET home_country = 'Нарния' WHERE id = :i"), {"i": case_id})
    command.downgrade(alembic_config(url), "0016")
    upgrade(url)
    with engine.connect() as conn:
        citizenship = conn.execute(text("SELECT DISTINCT citizenship FROM participants")).scalar()
        home = conn.execute(text("SELECT home_country FROM cases")).scalar()
    engine.dispose()
    assert (citizenship, home) == ("KG", "Нарния")  # the unknown stays as typed
