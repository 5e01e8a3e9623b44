"""Alembic environment: runs against the URL the caller put in the config."""

from alembic import context
from sqlalchemy import pool

from storage.db import make_engine
from storage.orm import Base

config = context.config
url = config.get_main_option("sqlalchemy.url")
assert url, "storage.db.alembic_config sets sqlalchemy.url"

if context.is_offline_mode():
    context.configure(url=url, target_metadata=Base.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    engine = make_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
