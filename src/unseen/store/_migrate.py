"""Run the Alembic migrations programmatically on the live encrypted connection.

No ``alembic.ini`` and no ``env.py``: an in-memory :class:`alembic.config.Config` names the
package's script directory and :class:`alembic.runtime.environment.EnvironmentContext` runs the
upgrade on the connection we opened (it is the only thing that has the key). The caller holds the
transaction, so a failed migration leaves the schema as it was (SQLite DDL is transactional).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic.config import Config
from alembic.runtime.environment import EnvironmentContext
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from unseen.errors import SchemaTooNew

_SCRIPTS = Path(__file__).with_name("migrations")


def script_directory() -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location", str(_SCRIPTS))
    return ScriptDirectory.from_config(config)


def head_revision() -> str:
    head = script_directory().get_current_head()
    assert head is not None  # noqa: S101 - the package always ships revision 0001
    return head


def current_revision(conn: sa.Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def upgrade(conn: sa.Connection, target: str = "head") -> tuple[str | None, str]:
    """Bring the schema to ``target``; return (revision before, revision after).

    Raises SchemaTooNew when the database carries a revision this code does not know (it was
    written by a newer unseen): we never guess at a schema we cannot read.
    """
    script = script_directory()
    before = current_revision(conn)
    known = {rev.revision for rev in script.walk_revisions()}
    if before is not None and before not in known:
        raise SchemaTooNew(
            f"this workspace uses store schema {before}, newer than this unseen knows "
            f"({script.get_current_head()}): upgrade unseen to open it / "
            "더 새로운 unseen 버전으로 만든 작업 공간입니다"
        )
    config = Config()
    config.set_main_option("script_location", str(_SCRIPTS))

    def _steps(rev: Any, context: Any) -> Any:
        return script._upgrade_revs(target, rev)

    with EnvironmentContext(config, script, fn=_steps, destination_rev=target) as env:
        env.configure(connection=conn, transactional_ddl=True)
        with env.begin_transaction():
            env.run_migrations()
    after = current_revision(conn)
    assert after is not None  # noqa: S101
    return before, after
