"""Fixtures for the store tests: real SQLCipher, real crypto, cheap Argon2id settings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from storekit import ADMIN, ADMIN_PW, ANALYST, ANALYST_PW, DOC, DOC_PW, TickingClock

from unseen.crypto import KdfParams
from unseen.store import Role, Workspace


@pytest.fixture
def fast_kdf() -> KdfParams:
    return KdfParams.fast_for_tests()


@pytest.fixture
def clock() -> TickingClock:
    return TickingClock()


@pytest.fixture
def ws_path(tmp_path: Path) -> Path:
    return tmp_path / "ws"


@pytest.fixture
def ws(ws_path: Path, fast_kdf: KdfParams, clock: TickingClock) -> Iterator[Workspace]:
    with Workspace.create(
        ws_path, user=ADMIN, passphrase=ADMIN_PW, kdf=fast_kdf, clock=clock
    ) as workspace:
        yield workspace


@pytest.fixture
def team(ws: Workspace) -> Workspace:
    """The admin workspace with a documenter and an analyst added."""
    ws.add_user(DOC, DOC_PW, Role.DOCUMENTER)
    ws.add_user(ANALYST, ANALYST_PW, Role.ANALYST)
    return ws
