"""Prefect flows: thin wrappers that execute the side effects transitions record."""
