"""``keys.json``: passphrase keyslots, the recovery slot and the signed audit chain head.

A keyslot is ``seal(KEK, {user, role, MK, IK?}, aad = workspace id + slot id)`` with
``KEK = Argon2id(passphrase, salt, params)``. The slot id is ``sha256(user_salt || user)``: slots
cannot be keyed before unlocking, so a user name is only hidden from a reader who cannot guess it
(user names should be pseudonyms). The whole file, head included, is signed with the workspace's
audit key after unlocking; see ``docs/store.md`` for what each check catches.
"""

from __future__ import annotations

import base64
import binascii
import json
import unicodedata
from dataclasses import dataclass, replace
from typing import Any

from unseen.crypto import (
    KdfParams,
    Passphrase,
    SigningKey,
    SymmetricKey,
    VerifyKey,
    derive_key,
    new_salt,
    open_sealed,
    seal,
    sha256_hex,
)
from unseen.errors import CryptoError, DecryptionFailed, InputError, IntegrityError, WrongPassphrase

from ._canonical import canonical_bytes
from ._values import Role

FORMAT = "unseen-keys/1"
_SIGN_LABEL = b"unseen/v1/keys.json\x00"
WRONG_PASSPHRASE = "wrong user name or passphrase / 사용자 이름 또는 암호가 틀렸습니다"  # noqa: S105
_DAMAGED = "keys.json is damaged or was altered / keys.json 파일이 손상되었거나 변경되었습니다"
MAX_USER_LEN = 64


def normalise_user(name: str) -> str:
    """The form a user name is stored and matched in: NFKC, trimmed, case-folded."""
    if not isinstance(name, str):
        raise InputError("a user name must be text / 사용자 이름은 문자여야 합니다")
    norm = unicodedata.normalize("NFKC", name).strip().casefold()
    if not norm or len(norm) > MAX_USER_LEN or any(unicodedata.category(c)[0] == "C" for c in norm):
        raise InputError(
            f"a user name must be 1 to {MAX_USER_LEN} printable characters / "
            f"사용자 이름은 1~{MAX_USER_LEN}자의 문자여야 합니다"
        )
    return norm


def as_passphrase(value: Passphrase | str) -> Passphrase:
    return value if isinstance(value, Passphrase) else Passphrase(value)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not text")
    return base64.b64decode(text.encode("ascii"), validate=True)


@dataclass(frozen=True)
class Slot:
    id: str
    kdf: KdfParams
    salt: bytes
    sealed: bytes

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kdf": self.kdf.to_dict(),
            "salt": self.salt.hex(),
            "sealed": _b64(self.sealed),
        }


@dataclass(frozen=True)
class Unlocked:
    """What a keyslot opens to. Never logged: SymmetricKey reprs are masked anyway."""

    user: str
    role: Role
    mk: SymmetricKey
    ik: SymmetricKey | None


@dataclass(frozen=True)
class KeyFile:
    workspace_id: str
    user_salt: bytes
    kdf: KdfParams
    slots: tuple[Slot, ...]
    recovery: bytes | None
    head_seq: int
    head_hash: str
    signature: bytes = b""

    def body(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "workspace_id": self.workspace_id,
            "user_salt": self.user_salt.hex(),
            "kdf": self.kdf.to_dict(),
            "slots": [s.to_dict() for s in sorted(self.slots, key=lambda s: s.id)],
            "recovery": None if self.recovery is None else _b64(self.recovery),
            "head": {"seq": self.head_seq, "entry_hash": self.head_hash},
        }

    def to_dict(self) -> dict[str, Any]:
        return {**self.body(), "signature": self.signature.hex()}

    def signed(self, key: SigningKey) -> KeyFile:
        return replace(self, signature=key.sign(_SIGN_LABEL + canonical_bytes(self.body())))

    def check_signature(self, verify_key: VerifyKey) -> None:
        try:
            verify_key.verify(self.signature, _SIGN_LABEL + canonical_bytes(self.body()))
        except CryptoError:
            raise IntegrityError(_DAMAGED) from None

    def slot_id(self, user: str) -> str:
        return sha256_hex(self.user_salt + normalise_user(user).encode("utf-8"))

    def find(self, user: str) -> Slot | None:
        wanted = self.slot_id(user)
        return next((s for s in self.slots if s.id == wanted), None)

    def with_slot(self, slot: Slot) -> KeyFile:
        return replace(self, slots=(*[s for s in self.slots if s.id != slot.id], slot))

    def without_slot(self, slot_id: str) -> KeyFile:
        return replace(self, slots=tuple(s for s in self.slots if s.id != slot_id))

    def with_head(self, seq: int, entry_hash: str) -> KeyFile:
        # Never move the recorded head backwards (another process may have written a later one).
        if seq <= self.head_seq:
            return self
        return replace(self, head_seq=seq, head_hash=entry_hash)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> KeyFile:
        try:
            if data["format"] != FORMAT:
                raise ValueError("format")
            slots = tuple(
                Slot(
                    id=str(s["id"]),
                    kdf=KdfParams.from_dict(s["kdf"]),
                    salt=bytes.fromhex(s["salt"]),
                    sealed=_unb64(s["sealed"]),
                )
                for s in data["slots"]
            )
            head = data["head"]
            recovery = data["recovery"]
            head_seq = head["seq"]
            if type(head_seq) is not int:
                raise ValueError("head")
            parsed = cls(
                workspace_id=str(data["workspace_id"]),
                user_salt=bytes.fromhex(data["user_salt"]),
                kdf=KdfParams.from_dict(data["kdf"]),
                slots=slots,
                recovery=None if recovery is None else _unb64(recovery),
                head_seq=head_seq,
                head_hash=str(head["entry_hash"]),
                signature=bytes.fromhex(data["signature"]),
            )
            # Exactly what we would write: an unknown key, a renamed optional field, upper-case
            # hex or non-canonical base64 counts as an alteration even where it is harmless.
            if parsed.to_dict() != data:
                raise ValueError("not canonical")
            return parsed
        except (KeyError, TypeError, ValueError, AttributeError, binascii.Error, CryptoError):
            raise IntegrityError(_DAMAGED) from None


def new_keyfile(workspace_id: str, kdf: KdfParams) -> KeyFile:
    return KeyFile(
        workspace_id=workspace_id,
        user_salt=new_salt(16),
        kdf=kdf,
        slots=(),
        recovery=None,
        head_seq=0,
        head_hash="",
    )


def _slot_aad(workspace_id: str, slot_id: str) -> bytes:
    return f"unseen/v1/keyslot|{workspace_id}|{slot_id}".encode()


def _recovery_aad(workspace_id: str) -> bytes:
    return f"unseen/v1/recovery|{workspace_id}".encode()


def _keys_payload(mk: SymmetricKey, ik: SymmetricKey | None) -> dict[str, Any]:
    return {"mk": mk.to_bytes().hex(), "ik": None if ik is None else ik.to_bytes().hex()}


def make_slot(
    keyfile: KeyFile,
    *,
    user: str,
    role: Role,
    passphrase: Passphrase,
    mk: SymmetricKey,
    ik: SymmetricKey | None,
) -> Slot:
    """Seal MK (and IK when the role may reveal) for one user under a fresh salt."""
    if role.can_reveal and ik is None:
        raise CryptoError("a revealing role's keyslot needs the identity key")
    sid = keyfile.slot_id(user)
    salt = new_salt(keyfile.kdf.salt_len)
    kek = derive_key(passphrase, salt, keyfile.kdf)
    payload = {
        "v": 1,
        "user": normalise_user(user),
        "role": role.value,
        **_keys_payload(mk, ik if role.can_reveal else None),
    }
    sealed = seal(
        json.dumps(payload).encode("utf-8"), kek, aad=_slot_aad(keyfile.workspace_id, sid)
    )
    return Slot(id=sid, kdf=keyfile.kdf, salt=salt, sealed=sealed)


def open_slot(keyfile: KeyFile, user: str, passphrase: Passphrase) -> Unlocked:
    """Unlock one user's slot. Unknown user and wrong passphrase cost the same and read the same."""
    try:
        norm = normalise_user(user)
    except InputError:
        norm = ""
    slot = keyfile.find(norm) if norm else None
    if slot is None:
        # Spend the same Argon2id work as a real slot so timing does not tell users apart.
        derive_key(passphrase, new_salt(keyfile.kdf.salt_len), keyfile.kdf)
        raise WrongPassphrase(WRONG_PASSPHRASE)
    kek = derive_key(passphrase, slot.salt, slot.kdf)
    try:
        raw = open_sealed(slot.sealed, kek, aad=_slot_aad(keyfile.workspace_id, slot.id))
    except DecryptionFailed:
        # A flipped byte in this user's own slot is indistinguishable from a wrong passphrase.
        raise WrongPassphrase(WRONG_PASSPHRASE) from None
    try:
        data = json.loads(raw)
        if data["user"] != norm:
            raise ValueError("user")
        return Unlocked(
            user=norm,
            role=Role(data["role"]),
            mk=SymmetricKey.from_bytes(bytes.fromhex(data["mk"])),
            ik=None if data["ik"] is None else SymmetricKey.from_bytes(bytes.fromhex(data["ik"])),
        )
    except (KeyError, TypeError, ValueError, CryptoError):
        raise IntegrityError(_DAMAGED) from None


def seal_recovery(
    keyfile: KeyFile, rk: SymmetricKey, mk: SymmetricKey, ik: SymmetricKey
) -> KeyFile:
    sealed = seal(
        json.dumps({"v": 1, **_keys_payload(mk, ik)}).encode("utf-8"),
        rk,
        aad=_recovery_aad(keyfile.workspace_id),
    )
    return replace(keyfile, recovery=sealed)


def open_recovery(keyfile: KeyFile, rk: SymmetricKey) -> tuple[SymmetricKey, SymmetricKey]:
    if keyfile.recovery is None:
        raise WrongPassphrase(
            "this workspace has no recovery shares / 복구 조각이 없는 작업 공간입니다"
        )
    try:
        data = json.loads(
            open_sealed(keyfile.recovery, rk, aad=_recovery_aad(keyfile.workspace_id))
        )
        return (
            SymmetricKey.from_bytes(bytes.fromhex(data["mk"])),
            SymmetricKey.from_bytes(bytes.fromhex(data["ik"])),
        )
    except DecryptionFailed:
        raise WrongPassphrase(
            "the recovery shares do not open this workspace / "
            "복구 조각이 이 작업 공간과 맞지 않습니다"
        ) from None
    except (KeyError, TypeError, ValueError, CryptoError):
        raise IntegrityError(_DAMAGED) from None
