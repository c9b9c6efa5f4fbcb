"""Alembic migrations of the store schema, run by :mod:`unseen.store._migrate` (no alembic.ini)."""
