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
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # SQLite rebuilds a table to change it (batch mode); dropping the old copy of a
            # table others refer to would break their foreign keys until the new copy takes
            # its name. SQLite's own procedure (lang_altertable.html): foreign keys off,
            # outside the transaction (a PRAGMA inside one is ignored), checked before the
            # commit. Set on the driver's connection, which begins no transaction.
            connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=sqlite,
        )
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                if broken:
                    raise RuntimeError(f"the migration broke foreign keys: {broken[:5]}")
    engine.dispose()
