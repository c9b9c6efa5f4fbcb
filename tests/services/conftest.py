"""Fixtures for service tests: real SQLCipher workspaces with cheap Argon2id settings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from svckit import ADMIN, ADMIN_PW, ANALYST, ANALYST_PW

from unseen.crypto import KdfParams
from unseen.store import Role, Workspace


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    with Workspace.create(
        tmp_path / "ws", user=ADMIN, passphrase=ADMIN_PW, kdf=KdfParams.fast_for_tests()
    ) as workspace:
        workspace.add_user(ANALYST, ANALYST_PW, Role.ANALYST)
        yield workspace


@pytest.fixture
def hq(tmp_path: Path) -> Iterator[Workspace]:
    with Workspace.create(
        tmp_path / "hq",
        user="hq-admin",
        passphrase="hq passphrase words",
        kdf=KdfParams.fast_for_tests(),
    ) as workspace:
        yield workspace
