"""The store's tables as SQLAlchemy Core metadata (the live shape; migrations create it).

``records``, ``audit_log``, ``blind_index`` and ``evidence`` are append-only: triggers created by
the first migration abort any UPDATE or DELETE on them. ``users`` and ``meta`` are mutable; every
change to them is also written to the audit log.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

metadata = sa.MetaData()

# One version of one record: the key of ``records``, and what blind_index and audit_log point at.
VERSION_KEY = ("kind", "record_id", "version")


def _version_columns(*, nullable: bool) -> tuple[sa.Column[Any], ...]:
    return (
        sa.Column("kind", sa.Text, nullable=nullable),
        sa.Column("record_id", sa.Text, nullable=nullable),
        sa.Column("version", sa.Integer, nullable=nullable),
    )


records = sa.Table(
    "records",
    metadata,
    *_version_columns(nullable=False),
    sa.Column("created_at", sa.Text, nullable=False),
    sa.Column("author", sa.Text, nullable=False),
    sa.Column("attributes", sa.Text, nullable=False),
    sa.Column("identity_sealed", sa.LargeBinary, nullable=True),
    sa.Column("identity_key_wrapped", sa.LargeBinary, nullable=True),
    sa.Column("deleted", sa.Boolean, nullable=False),
    sa.Column("content_hash", sa.Text, nullable=False),
    sa.PrimaryKeyConstraint(*VERSION_KEY, name="pk_records"),
)

blind_index = sa.Table(
    "blind_index",
    metadata,
    sa.Column("token_hash", sa.Text, nullable=False),
    *_version_columns(nullable=False),
    sa.PrimaryKeyConstraint("token_hash", *VERSION_KEY, name="pk_blind_index"),
    sa.ForeignKeyConstraint(
        VERSION_KEY, [f"records.{c}" for c in VERSION_KEY], name="fk_blind_index_records"
    ),
    sqlite_with_rowid=False,
)

evidence = sa.Table(
    "evidence",
    metadata,
    sa.Column("address", sa.Text, primary_key=True),
    sa.Column("sha256", sa.Text, nullable=False),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("media_type", sa.Text, nullable=False),
    sa.Column("created_at", sa.Text, nullable=False),
    sa.Column("author", sa.Text, nullable=False),
    sa.Column("filename_sealed", sa.LargeBinary, nullable=True),
    sa.Column("content_hash", sa.Text, nullable=False),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("at", sa.Text, nullable=False),
    sa.Column("actor", sa.Text, nullable=False),
    sa.Column("action", sa.Text, nullable=False),
    *_version_columns(nullable=True),  # null where an entry is about no record (users, migrate)
    sa.Column("content_hash", sa.Text, nullable=True),
    sa.Column("detail", sa.Text, nullable=True),
    sa.Column("prev_hash", sa.Text, nullable=False),
    sa.Column("entry_hash", sa.Text, nullable=False),
    sa.Column("signature", sa.LargeBinary, nullable=False),
)

users = sa.Table(
    "users",
    metadata,
    sa.Column("name", sa.Text, primary_key=True),
    sa.Column("role", sa.Text, nullable=False),
    sa.Column("added_at", sa.Text, nullable=False),
    sa.Column("added_by", sa.Text, nullable=False),
    sa.Column("removed_at", sa.Text, nullable=True),
)

meta = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

APPEND_ONLY_TABLES = ("records", "audit_log", "blind_index", "evidence")
