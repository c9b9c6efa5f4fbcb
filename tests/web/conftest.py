"""Fixtures for web tests: a real SQLCipher workspace (cheap Argon2id), the app, a client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from webkit import PASSWORDS, ROLES, Clock, Secrets, TestClient

from unseen.crypto import KdfParams
from unseen.services.estimating import EstimateSettings
from unseen.store import Workspace
from unseen.web import create_app


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    with Workspace.create(
        tmp_path / "ws", user="admin-1", passphrase=PASSWORDS["admin-1"],
        kdf=KdfParams.fast_for_tests(),
    ) as ws:  # fmt: skip
        for name, role in ROLES.items():
            ws.add_user(name, PASSWORDS[name], role)
        yield ws


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def secrets() -> Secrets:
    return Secrets()


@pytest.fixture
def app(workspace: Workspace, clock: Clock) -> FastAPI:
    # Mt (a log-linear fit, milliseconds) rather than the default auto choice: tests stay fast.
    return create_app(workspace, clock=clock, estimate=EstimateSettings(method="mt"))


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c
