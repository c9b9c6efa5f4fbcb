"""The signed exchange file (FORMATS.md s7): one party's encodings, and nothing else.

A UTF-8 JSON object (layout in docs/pprl.md)::

    format, version, exchange_id, created, records, lists, list_index, pseudonyms,
    key {fingerprint, generation}, schema {...}, schema_fingerprint,
    fields {name: {present, bits}}, signer {verify_key, fingerprint}, signature

Binary parts are base64: ``list_index`` (uint16 little-endian per record), ``pseudonyms`` (16
random bytes per record), each field's ``present`` (one bit per record, ``np.packbits`` order)
and ``bits`` (the packed uint64 words, little-endian, row after row). No name, no record id, no
unkeyed value: only keyed, hardened bits, list names, pseudonyms and counts.

The signature is Ed25519 over ``"unseen/v1/statement|" || SHA-256(canonical JSON of every
other member)`` (canonical: sorted keys, no spaces, UTF-8), the same statement form a
workspace's audit key signs, so an exchange can be signed by a workspace or by a key file.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from unseen.crypto import VerifyKey, sha256_hex
from unseen.errors import ConfigError, InputError, SignatureInvalid
from unseen.pprl.encoding import Encoded, FieldBits
from unseen.pprl.schema import Schema

__all__ = ["FORMAT", "STATEMENT", "Exchange", "read_exchange", "write_exchange"]

FORMAT = "unseen-pprl-exchange"
VERSION = 1
STATEMENT = b"unseen/v1/statement|"
Signer = Callable[[bytes], bytes]  # SHA-256 digest -> Ed25519 signature over STATEMENT || digest


@dataclass(frozen=True)
class Exchange:
    """A read (verified) exchange file."""

    path: Path
    exchange_id: str
    created: str
    encoded: Encoded = field(repr=False)
    pseudonyms: tuple[str, ...] = field(repr=False)
    signer: str
    key_generation: int


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _canonical(obj: dict[str, Any]) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def write_exchange(
    path: Path,
    encoded: Encoded,
    pseudonyms: tuple[bytes, ...],
    *,
    exchange_id: str,
    created: str,
    key_generation: int,
    verify_key: VerifyKey,
    sign: Signer,
) -> Path:
    """Write ``encoded`` with its 16-byte pseudonyms, signed by ``sign`` (``verify_key``'s)."""
    if len(pseudonyms) != encoded.n or any(len(p) != 16 for p in pseudonyms):
        raise InputError("one 16-byte pseudonym per record is needed")
    body: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "exchange_id": exchange_id,
        "created": created,
        "records": encoded.n,
        "lists": list(encoded.lists),
        "list_index": _b64(encoded.list_index.astype("<u2").tobytes()),
        "pseudonyms": _b64(b"".join(pseudonyms)),
        "key": {"fingerprint": encoded.key_fingerprint, "generation": key_generation},
        "schema": encoded.schema.to_dict(),
        "schema_fingerprint": encoded.schema.fingerprint(),
        "fields": {
            name: {
                "present": _b64(np.packbits(fb.present).tobytes()),
                "bits": _b64(fb.words.astype("<u8").tobytes()),
            }
            for name, fb in encoded.fields.items()
        },
        "signer": {
            "verify_key": verify_key.to_bytes().hex(),
            "fingerprint": verify_key.fingerprint(),
        },
    }
    digest = bytes.fromhex(sha256_hex(_canonical(body)))
    body["signature"] = sign(digest).hex()
    tmp = path.with_name(path.name + ".partial")
    try:
        tmp.write_bytes(_canonical(body) + b"\n")
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def _not_exchange(path: Path, why: str) -> InputError:
    return InputError(
        f"{path.name} is not an unseen exchange file ({why}): use the file `unseen pprl encode` "
        "wrote / pprl 교환 파일이 아닙니다"
    )


def read_exchange(
    path: Path, *, signer: str | None = None, expect_key: str | None = None
) -> Exchange:
    """Read and verify ``path``: signature first, then contents. ``signer`` pins the signer's
    fingerprint; ``expect_key`` the linkage secret's (a rotated secret refuses older files)."""
    try:
        body = json.loads(path.read_bytes())
    except OSError as exc:
        raise InputError(f"cannot read {path.name}: {type(exc).__name__}") from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise _not_exchange(path, "not JSON") from None
    if not isinstance(body, dict) or body.get("format") != FORMAT:
        raise _not_exchange(path, "no unseen-pprl-exchange header")
    if body.get("version") != VERSION:
        raise InputError(f"{path.name}: exchange format version {body.get('version')!r}; this "
                         f"unseen reads version {VERSION}: update unseen")  # fmt: skip
    bad = SignatureInvalid(
        f"{path.name}: the signature does not verify: the file was altered or damaged; ask the "
        "sender for a new copy / 서명이 맞지 않습니다: 파일이 바뀌었거나 손상되었습니다"
    )
    try:
        signature = bytes.fromhex(body.pop("signature"))
        key = VerifyKey.from_bytes(bytes.fromhex(body["signer"]["verify_key"]))
        key.verify(signature, STATEMENT + bytes.fromhex(sha256_hex(_canonical(body))))
    except (KeyError, TypeError, ValueError, AttributeError, SignatureInvalid):
        raise bad from None
    except Exception:  # noqa: BLE001 - any malformed signer is the same verdict
        raise bad from None
    if signer is not None and key.fingerprint() != signer:
        raise InputError(
            f"{path.name} was signed by {key.fingerprint()}, not by {signer}: do not use it / "
            "서명자가 다릅니다"
        )
    fp = str(body["key"]["fingerprint"])
    if expect_key is not None and fp != expect_key:
        raise InputError(
            f"{path.name} was encoded under linkage secret {fp} (generation "
            f"{body['key'].get('generation')}), but the current secret is {expect_key}: the "
            "secret was rotated, so this file no longer matches; ask its owner to encode again "
            "/ 연결 비밀키가 교체되어 이 파일은 더 이상 쓸 수 없습니다: 다시 인코딩을 요청하십시오"
        )
    try:
        return _decode(path, body, key.fingerprint())
    except (KeyError, TypeError, ValueError, binascii.Error, ConfigError):
        raise _not_exchange(path, "its contents are malformed") from None


def _decode(path: Path, body: dict[str, Any], signer: str) -> Exchange:
    schema = Schema.from_dict(body["schema"])
    if schema.fingerprint() != body["schema_fingerprint"]:
        raise ValueError("schema fingerprint")
    n = int(body["records"])
    lists = tuple(str(x) for x in body["lists"])
    list_index = np.frombuffer(base64.b64decode(body["list_index"], validate=True), "<u2")
    raw = base64.b64decode(body["pseudonyms"], validate=True)
    if (
        list_index.shape[0] != n
        or len(raw) != 16 * n
        or (n and int(list_index.max()) >= len(lists))
    ):
        raise ValueError("record counts")
    pseudonyms = tuple(raw[16 * k : 16 * (k + 1)].hex() for k in range(n))
    fields: dict[str, FieldBits] = {}
    for spec in schema.fields:
        item = body["fields"][spec.name]
        present = np.unpackbits(
            np.frombuffer(base64.b64decode(item["present"], validate=True), np.uint8), count=n
        ).astype(bool)
        words = np.frombuffer(base64.b64decode(item["bits"], validate=True), "<u8")
        if words.shape[0] != n * spec.words:
            raise ValueError("field size")
        fields[spec.name] = FieldBits(words.astype(np.uint64).reshape(n, spec.words), present)
    encoded = Encoded(
        schema, str(body["key"]["fingerprint"]), lists, list_index.astype(np.int32), fields
    )
    return Exchange(
        path,
        str(body["exchange_id"]),
        str(body["created"]),
        encoded,
        pseudonyms,
        signer,
        int(body["key"]["generation"]),
    )
