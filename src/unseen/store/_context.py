"""The unlocked state of an open workspace, shared by the modules that implement its methods."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from unseen.crypto import SigningKey, SymmetricKey, VerifyKey, derive_subkey
from unseen.errors import PermissionDenied

from ._canonical import Clock
from ._db import Database
from ._identity import blind_key
from ._keyfile import KeyFile
from ._values import Role

DB_PURPOSE = "unseen/v1/sqlcipher"
SIGNING_WRAP_PURPOSE = "unseen/v1/audit-signing-key"
EVIDENCE_PURPOSE = "unseen/v1/evidence"
EVIDENCE_ADDRESS_PURPOSE = "unseen/v1/evidence-address"

NO_IDENTITY_KEY = (
    "your role ({role}) cannot {what}: it does not hold the identity key / "
    "이 역할({role})은 신원 정보를 다룰 수 없습니다"
)


@dataclass(eq=False)
class Context:
    root: Path
    workspace_id: str
    user: str
    role: Role
    mk: SymmetricKey = field(repr=False)
    ik: SymmetricKey | None = field(repr=False)
    signing_key: SigningKey = field(repr=False)
    verify_key: VerifyKey
    db: Database = field(repr=False)
    clock: Clock = field(repr=False)
    keyfile: KeyFile = field(repr=False)

    @property
    def keys_path(self) -> Path:
        return self.root / "keys.json"

    @property
    def evidence_dir(self) -> Path:
        return self.root / "evidence"

    def identity_key(self, what: str) -> SymmetricKey:
        if self.ik is None or not self.role.can_reveal:
            raise PermissionDenied(NO_IDENTITY_KEY.format(role=self.role.value, what=what))
        return self.ik

    @functools.cached_property
    def blind_key(self) -> SymmetricKey:
        return blind_key(self.identity_key("search names"))

    def evidence_keys(self) -> tuple[SymmetricKey, SymmetricKey]:
        """(content key, address key): under IK, since evidence identifies people."""
        ik = self.identity_key("handle evidence")
        return derive_subkey(ik, EVIDENCE_PURPOSE), derive_subkey(ik, EVIDENCE_ADDRESS_PURPOSE)

    def require_admin(self, what: str) -> None:
        if not self.role.can_manage_users:
            raise PermissionDenied(
                f"only an admin can {what} / 관리자만 할 수 있습니다 ({self.role.value})"
            )
