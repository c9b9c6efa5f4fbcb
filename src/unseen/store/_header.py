"""``workspace.json``: the public header. No secrets and no user names, by design.

It carries the format, the workspace id, the creation time and the audit verify key (with its
fingerprint), so anyone can check signed chain heads and bundles without opening the workspace.
The database keeps its own copy of the id and key; opening compares them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from unseen.crypto import VerifyKey
from unseen.errors import CryptoError, IntegrityError

from ._files import read_json, write_json

FORMAT = "unseen-workspace/1"
_DAMAGED = "workspace.json is damaged or was altered / workspace.json 파일이 손상되었습니다"


@dataclass(frozen=True)
class Header:
    workspace_id: str
    created_at: str
    verify_key: VerifyKey

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "workspace_id": self.workspace_id,
            "created_at": self.created_at,
            "audit_key": {
                "algorithm": "ed25519",
                "public_key": self.verify_key.to_bytes().hex(),
                "fingerprint": self.verify_key.fingerprint(),
            },
        }

    def write(self, path: Path) -> None:
        write_json(path, self.to_dict())

    @classmethod
    def read(cls, path: Path) -> Header:
        data = read_json(path, "workspace.json")
        try:
            if data["format"] != FORMAT:
                raise ValueError("format")
            key = data["audit_key"]
            if key["algorithm"] != "ed25519":
                raise ValueError("algorithm")
            verify_key = VerifyKey.from_bytes(bytes.fromhex(key["public_key"]))
            header = cls(str(data["workspace_id"]), str(data["created_at"]), verify_key)
            if header.to_dict() != data:
                raise ValueError("not canonical")
            return header
        except (KeyError, TypeError, ValueError, CryptoError):
            raise IntegrityError(_DAMAGED) from None
