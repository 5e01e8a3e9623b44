"""Persistence: ORM tables, repository, unit of work, hash-chained audit trail, file store."""
