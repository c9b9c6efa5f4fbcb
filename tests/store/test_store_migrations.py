"""Alembic migrations: empty to head, the live schema matches them, newer schemas are refused."""

from __future__ import annotations

import secrets
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from storekit import ADMIN, ADMIN_PW, master_key, raw_connect

from unseen.crypto import SymmetricKey
from unseen.errors import SchemaTooNew
from unseen.store import Workspace, _migrate
from unseen.store._engine import make_engine
from unseen.store._migrate import current_revision, head_revision, script_directory, upgrade
from unseen.store._schema import APPEND_ONLY_TABLES, metadata


def _engine(tmp_path: Path) -> sa.Engine:
    return make_engine(tmp_path / f"m{secrets.token_hex(4)}.db", SymmetricKey.generate())


def test_revisions_form_one_line() -> None:
    script = script_directory()
    revisions = list(script.walk_revisions())
    assert [r.revision for r in revisions][-1] == "0001"
    assert len(script.get_heads()) == 1 and head_revision() == revisions[0].revision


def test_upgrade_from_empty_to_head(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    with engine.connect() as conn:
        with conn.begin():
            assert current_revision(conn) is None
            before, after = upgrade(conn)
        assert (before, after) == (None, head_revision())
        with conn.begin():
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").all() == [
                (head_revision(),)
            ]
            tables = set(sa.inspect(conn).get_table_names())
            assert tables == {t.name for t in metadata.sorted_tables} | {"alembic_version"}
            # the migrated schema is exactly the live metadata
            assert compare_metadata(MigrationContext.configure(conn), metadata) == []
            triggers = {
                r[0]
                for r in conn.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger'"
                )
            }
            expected = {f"{t}_no_{v}" for t in APPEND_ONLY_TABLES for v in ("update", "delete")}
            assert triggers == expected
        with conn.begin():
            assert upgrade(conn) == (head_revision(), head_revision())  # idempotent
    engine.dispose()


def test_failed_migration_leaves_no_schema(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    with engine.connect() as conn:
        with pytest.raises(RuntimeError), conn.begin():
            upgrade(conn)
            raise RuntimeError("crash after the DDL")
        with conn.begin():
            assert sa.inspect(conn).get_table_names() == []  # SQLite DDL is transactional
    engine.dispose()


def test_newer_schema_is_refused(ws: Workspace, ws_path: Path) -> None:
    mk = master_key(ws)
    ws.close()
    conn = raw_connect(ws_path, mk)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.close()
    with pytest.raises(SchemaTooNew, match="9999"):
        Workspace.open(ws_path, user=ADMIN, passphrase=ADMIN_PW)


def test_workspace_records_its_schema(ws: Workspace) -> None:
    assert ws.schema_revision == head_revision()
    with ws._c.db.read() as conn:
        detail = conn.exec_driver_sql("SELECT detail FROM audit_log WHERE seq = 1").scalar_one()
    assert f'"schema":"{head_revision()}"' in detail


_REV_0002 = '''
"""Test-only revision: an index on records(created_at).

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_records_created_at", "records", ["created_at"])
    FAIL


def downgrade() -> None:
    op.drop_index("ix_records_created_at", "records")
'''


def _scripts_with_0002(tmp_path: Path, *, fail: bool) -> Path:
    src = Path(script_directory().dir)
    dest = tmp_path / "migrations"
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("__pycache__"))
    body = _REV_0002.replace("    FAIL\n", '    raise RuntimeError("half-way")\n' if fail else "")
    (dest / "versions" / "0002_test_index.py").write_text(body)
    return dest


def _indexes(ws: Workspace) -> set[str]:
    with ws._c.db.read() as conn:
        return {
            r[0]
            for r in conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'records'"
            )
        }


def test_older_workspace_is_migrated_on_open(
    ws: Workspace, ws_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ref = ws.put("person", {"n": 1}, {"given_name": "정희"})
    ws.close()
    monkeypatch.setattr(_migrate, "_SCRIPTS", _scripts_with_0002(tmp_path, fail=False))
    with Workspace.open(ws_path, user=ADMIN, passphrase=ADMIN_PW) as w:
        assert w.schema_revision == "0002"
        assert "ix_records_created_at" in _indexes(w)
        assert w.get("person", ref.record_id, reveal=True).identity == {"given_name": "정희"}
        with w._c.db.read() as conn:
            last = conn.exec_driver_sql(
                "SELECT action, detail FROM audit_log WHERE action = 'migrate'"
            ).one()
        assert tuple(last) == ("migrate", '{"from":"0001","to":"0002"}')
        assert w.verify().ok


def test_failed_migration_on_open_changes_nothing(
    ws: Workspace, ws_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws.close()
    monkeypatch.setattr(_migrate, "_SCRIPTS", _scripts_with_0002(tmp_path, fail=True))
    with pytest.raises(RuntimeError, match="half-way"):
        Workspace.open(ws_path, user=ADMIN, passphrase=ADMIN_PW)
    monkeypatch.undo()
    with Workspace.open(ws_path, user=ADMIN, passphrase=ADMIN_PW) as w:
        assert w.schema_revision == "0001"
        assert "ix_records_created_at" not in _indexes(w)
        assert w.verify().ok
