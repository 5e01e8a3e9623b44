"""Exit 0 when the PostgreSQL server behind the given SQLAlchemy URL answers."""

import sys

import psycopg
from sqlalchemy.engine import make_url


def main(url: str) -> int:
    u = make_url(url)
    try:
        psycopg.connect(
            host=u.host or "127.0.0.1",
            port=u.port or 5432,
            user=u.username or "postgres",
            dbname=u.database or "postgres",
            connect_timeout=3,
        ).close()
    except psycopg.OperationalError as exc:
        print(f"PostgreSQL not reachable: {exc}".strip())
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
