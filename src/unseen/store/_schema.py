"""The store's tables as SQLAlchemy Core metadata (the live shape; migrations create it).

``records``, ``audit_log``, ``blind_index`` and ``evidence`` are append-only: triggers created by
the first migration abort any UPDATE or DELETE on them. ``users`` and ``meta`` are mutable; every
change to them is also written to the audit log.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

records = sa.Table(
    "records",
    metadata,
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("record_id", sa.Text, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("created_at", sa.Text, nullable=False),
    sa.Column("author", sa.Text, nullable=False),
    sa.Column("attributes", sa.Text, nullable=False),
    sa.Column("identity_sealed", sa.LargeBinary, nullable=True),
    sa.Column("identity_key_wrapped", sa.LargeBinary, nullable=True),
    sa.Column("deleted", sa.Boolean, nullable=False),
    sa.Column("content_hash", sa.Text, nullable=False),
    sa.PrimaryKeyConstraint("kind", "record_id", "version", name="pk_records"),
)

blind_index = sa.Table(
    "blind_index",
    metadata,
    sa.Column("token_hash", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("record_id", sa.Text, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.PrimaryKeyConstraint("token_hash", "kind", "record_id", "version", name="pk_blind_index"),
    sa.ForeignKeyConstraint(
        ["kind", "record_id", "version"],
        ["records.kind", "records.record_id", "records.version"],
        name="fk_blind_index_records",
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
    sa.Column("kind", sa.Text, nullable=True),
    sa.Column("record_id", sa.Text, nullable=True),
    sa.Column("version", sa.Integer, nullable=True),
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
