"""Initial schema: records, blind index, evidence, audit log, users, meta; append-only triggers.

Revision ID: 0001
Revises:
Create Date: 2026-12-01

The DDL is written out here rather than taken from ``_schema.metadata``: a migration must keep
creating the same tables after the live schema has moved on.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

_APPEND_ONLY = ("records", "audit_log", "blind_index", "evidence")


def upgrade() -> None:
    op.create_table(
        "records",
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
    op.create_table(
        "blind_index",
        sa.Column("token_hash", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("record_id", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint(
            "token_hash", "kind", "record_id", "version", name="pk_blind_index"
        ),
        sa.ForeignKeyConstraint(
            ["kind", "record_id", "version"],
            ["records.kind", "records.record_id", "records.version"],
            name="fk_blind_index_records",
        ),
        sqlite_with_rowid=False,  # the key is the whole row: no second copy in a rowid table
    )
    op.create_table(
        "evidence",
        sa.Column("address", sa.Text, primary_key=True),
        sa.Column("sha256", sa.Text, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("media_type", sa.Text, nullable=False),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("author", sa.Text, nullable=False),
        sa.Column("filename_sealed", sa.LargeBinary, nullable=True),
        sa.Column("content_hash", sa.Text, nullable=False),
    )
    op.create_table(
        "audit_log",
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
    op.create_table(
        "users",
        sa.Column("name", sa.Text, primary_key=True),
        sa.Column("role", sa.Text, nullable=False),
        sa.Column("added_at", sa.Text, nullable=False),
        sa.Column("added_by", sa.Text, nullable=False),
        sa.Column("removed_at", sa.Text, nullable=True),
    )
    op.create_table(
        "meta",
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    for table in _APPEND_ONLY:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "  # noqa: S608
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            )


def downgrade() -> None:
    for table in _APPEND_ONLY:
        for verb in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{verb}")
    for table in ("meta", "users", "audit_log", "evidence", "blind_index", "records"):
        op.drop_table(table)
