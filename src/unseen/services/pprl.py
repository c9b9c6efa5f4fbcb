"""Privacy-preserving linkage between organisations: key files, workspace secrets, encoding,
matching and turning results back into one's own records.

- A **key file** (``unseen pprl keygen``) holds the linkage secret, the organisation's own
  Ed25519 signing key and a pseudonym key, sealed with AES-256-GCM under an Argon2id key from
  a passphrase (the recipes of ``unseen.crypto``); outside the seal it shows only the secret's
  fingerprint and generation and the signer's public key.
- In a **workspace** the secret is a ``pprl_secret`` record whose value is sealed like an
  identity (only reviewer, documenter and admin roles read it), and each exchange written from
  the workspace leaves a ``pprl_exchange`` record with the map from pseudonyms to people,
  sealed the same way.
- A secret goes to a partner sealed to the partner workspace's bundle key (HPKE, the same
  ``unseen keys recipient`` file bundles use) and signed; rotating it makes a new generation,
  and exchange files under the old one are refused.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from unseen.crypto import (
    KdfParams,
    KeyedHasher,
    Passphrase,
    SigningKey,
    SymmetricKey,
    VerifyKey,
    derive_key,
    new_salt,
    open_from,
    open_sealed,
    random_bytes,
    seal,
    seal_to,
    sha256_hex,
)
from unseen.errors import DecryptionFailed, InputError, PermissionDenied
from unseen.linkage import (
    LinkageSpec,
    capture_histories,
    default_spec,
    write_capture_histories_csv,
    write_clusters_csv,
    write_pairs_csv,
)
from unseen.pprl import (
    Hardening,
    LinkageSecret,
    Schema,
    encode,
    match,
    read_exchange,
    write_exchange,
)
from unseen.services import bundle
from unseen.services._output_set import write_together
from unseen.services.linking import read_tables
from unseen.services.workspace_linking import workspace_table
from unseen.store import Workspace

__all__ = [
    "KeyFileInfo",
    "MatchSummary",
    "PprlKeys",
    "create_keyfile",
    "encode_files",
    "encode_workspace",
    "import_keyfile",
    "keyfile_info",
    "match_files",
    "open_keyfile",
    "receive_secret",
    "resolve_workspace",
    "rotate_keyfile",
    "rotate_workspace_secret",
    "schema_for",
    "share_secret",
    "workspace_secret",
]

_KEY_TYPE = "unseen-pprl-key"
_SHARE_TYPE = "unseen-pprl-share"
_SECRET_KIND = "pprl_secret"  # noqa: S105 - a record kind, not a secret
_EXCHANGE_KIND = "pprl_exchange"
_SHARE_INFO = b"unseen/v1/pprl-share"
_STATEMENT = b"unseen/v1/statement|"
_PSEUDONYM_LABEL = b"unseen/pprl/pseudonym/v1\x00"
_ROLE = (
    "the linkage secret is kept like an identity: only reviewer, documenter and admin roles "
    "may use it / 연결 비밀키는 검토자, 기록자, 관리자만 쓸 수 있습니다"
)


@dataclass(frozen=True)
class KeyFileInfo:
    """What a key file shows without its passphrase."""

    path: Path
    key_fingerprint: str
    generation: int
    signer: str


class PprlKeys:
    """An opened key file: the secret, this organisation's signing key and pseudonym key."""

    __slots__ = ("secret", "signing_key", "_pseudonym_key")

    def __init__(
        self, secret: LinkageSecret, signing_key: SigningKey, pseudonym_key: SymmetricKey
    ) -> None:
        self.secret, self.signing_key, self._pseudonym_key = secret, signing_key, pseudonym_key

    def pseudonym(self, exchange_id: str, list_name: str, record_id: str) -> bytes:
        """16 bytes no one without this key file can link to the record (HMAC-SHA256)."""
        text = json.dumps([exchange_id, list_name, record_id], ensure_ascii=False)
        return KeyedHasher(self._pseudonym_key, _PSEUDONYM_LABEL).digest(text.encode())[:16]

    def __repr__(self) -> str:
        return f"PprlKeys('***', generation={self.secret.generation})"


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# -- key files ----------------------------------------------------------------------------------


def _key_aad(fingerprint: str, generation: int, signer: str) -> bytes:
    return f"unseen/v1/pprl-key|{fingerprint}|{generation}|{signer}".encode()


def _write_keyfile(
    path: Path, keys: PprlKeys, passphrase: Passphrase, kdf: KdfParams
) -> KeyFileInfo:
    salt = new_salt(kdf.salt_len)
    fp, gen = keys.secret.fingerprint(), keys.secret.generation
    signer = keys.signing_key.public_key()
    payload = json.dumps(
        {
            "secret": keys.secret.reveal().to_bytes().hex(),
            "signing_key": keys.signing_key.to_bytes().hex(),
            "pseudonym_key": keys._pseudonym_key.to_bytes().hex(),
        }
    ).encode()
    sealed = seal(
        payload, derive_key(passphrase, salt, kdf), aad=_key_aad(fp, gen, signer.fingerprint())
    )
    data = {
        "type": _KEY_TYPE,
        "version": 1,
        "key_fingerprint": fp,
        "generation": gen,
        "verify_key": signer.to_bytes().hex(),
        "kdf": {**kdf.to_dict(), "salt": base64.b64encode(salt).decode()},
        "sealed": base64.b64encode(sealed).decode(),
    }
    tmp = path.with_name(path.name + ".partial")
    tmp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    tmp.chmod(0o600)
    tmp.replace(path)
    return KeyFileInfo(path, fp, gen, signer.fingerprint())


def create_keyfile(
    path: Path, passphrase: Passphrase, *, kdf: KdfParams | None = None
) -> KeyFileInfo:
    """A new linkage secret (generation 1) with a new signing and pseudonym key, sealed."""
    if path.exists():
        raise InputError(f"{path} exists: choose another name / 이미 있는 파일입니다")
    keys = PprlKeys(LinkageSecret.generate(), SigningKey.generate(), SymmetricKey.generate())
    return _write_keyfile(path, keys, passphrase, kdf or KdfParams.default())


def _read_keyfile(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("type") != _KEY_TYPE or data.get("version") != 1:
            raise ValueError
        return dict(data)
    except (OSError, ValueError, AttributeError):
        raise InputError(
            f"{path} is not an unseen linkage key file: make one with `unseen pprl keygen` / "
            "연결 키 파일이 아닙니다"
        ) from None


def open_keyfile(path: Path, passphrase: Passphrase) -> PprlKeys:
    data = _read_keyfile(path)
    try:
        kdf = KdfParams.from_dict(data["kdf"])
        salt = base64.b64decode(data["kdf"]["salt"], validate=True)
        signer = VerifyKey.from_bytes(bytes.fromhex(data["verify_key"])).fingerprint()
        aad = _key_aad(str(data["key_fingerprint"]), int(data["generation"]), signer)
        sealed = base64.b64decode(data["sealed"], validate=True)
    except (KeyError, TypeError, ValueError):
        raise InputError(f"{path}: the key file is damaged") from None
    try:
        payload = json.loads(open_sealed(sealed, derive_key(passphrase, salt, kdf), aad=aad))
    except DecryptionFailed:
        raise DecryptionFailed(
            f"{path} cannot be opened: wrong passphrase, or the file was altered / "
            "암호가 틀렸거나 파일이 바뀌었습니다"
        ) from None
    secret = LinkageSecret(SymmetricKey(bytes.fromhex(payload["secret"])), int(data["generation"]))
    if secret.fingerprint() != data["key_fingerprint"]:
        raise DecryptionFailed(f"{path}: the key file does not verify")
    return PprlKeys(
        secret,
        SigningKey.from_bytes(bytes.fromhex(payload["signing_key"])),
        SymmetricKey(bytes.fromhex(payload["pseudonym_key"])),
    )


def keyfile_info(path: Path) -> KeyFileInfo:
    data = _read_keyfile(path)
    signer = VerifyKey.from_bytes(bytes.fromhex(data["verify_key"])).fingerprint()
    return KeyFileInfo(path, str(data["key_fingerprint"]), int(data["generation"]), signer)


def rotate_keyfile(
    path: Path, passphrase: Passphrase, *, kdf: KdfParams | None = None
) -> KeyFileInfo:
    """Replace the secret by a new one, one generation later (same signing and pseudonym keys)."""
    keys = open_keyfile(path, passphrase)
    new = PprlKeys(keys.secret.rotated(), keys.signing_key, keys._pseudonym_key)
    return _write_keyfile(path, new, passphrase, kdf or KdfParams.default())


# -- the secret in a workspace ------------------------------------------------------------------


def _store_secret(ws: Workspace, secret: LinkageSecret, origin: str) -> None:
    if not ws.role.can_reveal:
        raise PermissionDenied(_ROLE)
    current = list(ws.iter_current(_SECRET_KIND))
    attrs = {
        "key_fingerprint": secret.fingerprint(),
        "generation": secret.generation,
        "origin": origin,
    }
    ident = {"secret": secret.reveal().to_bytes().hex()}
    ws.put(_SECRET_KIND, attrs, ident, record_id=current[0].record_id if current else None)


def workspace_secret(ws: Workspace) -> LinkageSecret:
    """The workspace's current linkage secret (its read is audited by the store)."""
    if not ws.role.can_reveal:
        raise PermissionDenied(_ROLE)
    for rec in ws.iter_current(_SECRET_KIND):
        full = ws.get(_SECRET_KIND, rec.record_id, reveal=True)
        ident = full.identity or {}
        return LinkageSecret(
            SymmetricKey(bytes.fromhex(ident["secret"])), int(rec.attributes["generation"])
        )
    raise InputError(
        "this workspace holds no linkage secret: `unseen pprl key import` a key file or "
        "`unseen pprl key receive` a partner's share first / 연결 비밀키가 없습니다"
    )


def import_keyfile(ws: Workspace, keys: PprlKeys) -> str:
    _store_secret(ws, keys.secret, "keyfile")
    return keys.secret.fingerprint()


def rotate_workspace_secret(ws: Workspace) -> LinkageSecret:
    new = workspace_secret(ws).rotated()
    _store_secret(ws, new, "rotated")
    return new


def share_secret(
    secret: LinkageSecret,
    to: bundle.RecipientKey,
    out: Path,
    *,
    verify_key: VerifyKey,
    sign: Callable[[bytes], bytes],
) -> str:
    """Seal ``secret`` to a partner workspace's bundle key and sign it; returns the file's
    recipient fingerprint."""
    token = seal_to(
        to.public_key,
        secret.reveal().to_bytes() + secret.generation.to_bytes(4, "big"),
        info=_SHARE_INFO,
    )
    body = {
        "type": _SHARE_TYPE,
        "version": 1,
        "recipient": to.fingerprint,
        "key_fingerprint": secret.fingerprint(),
        "generation": secret.generation,
        "token": base64.b64encode(token).decode(),
        "verify_key": verify_key.to_bytes().hex(),
    }
    digest = bytes.fromhex(sha256_hex(json.dumps(body, sort_keys=True).encode()))
    body["signature"] = sign(digest).hex()
    out.write_text(json.dumps(body, indent=2) + "\n", encoding="utf-8")
    return to.fingerprint


def receive_secret(ws: Workspace, path: Path, *, sender: str | None = None) -> tuple[str, str]:
    """Open a share sealed to this workspace and store its secret; (fingerprint, signer)."""
    if not ws.role.can_reveal:
        raise PermissionDenied(_ROLE)
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
        if body.get("type") != _SHARE_TYPE:
            raise ValueError
        signature = bytes.fromhex(body.pop("signature"))
        signer = VerifyKey.from_bytes(bytes.fromhex(body["verify_key"]))
        token = base64.b64decode(body["token"], validate=True)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        raise InputError(
            f"{path} is not a linkage secret share / 비밀키 공유 파일이 아닙니다"
        ) from None
    digest = bytes.fromhex(sha256_hex(json.dumps(body, sort_keys=True).encode()))
    signer.verify(signature, _STATEMENT + digest)
    if sender is not None and signer.fingerprint() != sender:
        raise InputError(f"{path} was signed by {signer.fingerprint()}, not by {sender}")
    plain = open_from(bundle._recipient_pair(ws), token, info=_SHARE_INFO)
    secret = LinkageSecret(SymmetricKey(plain[:32]), int.from_bytes(plain[32:36], "big"))
    if secret.fingerprint() != body["key_fingerprint"]:
        raise InputError(f"{path}: the share does not match its fingerprint (damaged)")
    _store_secret(ws, secret, "share")
    return secret.fingerprint(), signer.fingerprint()


# -- encoding -----------------------------------------------------------------------------------


def schema_for(config: Path | None = None, *, hardening: Hardening | None = None) -> Schema:
    """The linkage schema of a linkage config (``unseen link --config``), or the default one
    for person lists."""
    spec = LinkageSpec.from_config(config) if config is not None else default_spec()
    return Schema.from_spec(spec, hardening=hardening)


def encode_files(
    paths: Sequence[Path],
    keys: PprlKeys,
    out: Path,
    *,
    schema: Schema,
    list_name: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[str, int]:
    """Encode person-list files into a signed exchange file; (exchange id, records).
    Pseudonyms are keyed by the key file's own pseudonym key, so the owner (and no one else)
    can compute which record each one is from the file and the key file."""
    assert schema.spec is not None  # noqa: S101 - schema_for always attaches the spec
    table = read_tables(list(paths), schema.spec, list_name=list_name)
    encoded = encode(table, schema, keys.secret, progress=progress)
    exchange_id = random_bytes(16).hex()
    rid, lst = schema.spec.record_id, schema.spec.list_column
    pseudonyms = tuple(
        keys.pseudonym(exchange_id, str(li), str(r))
        for r, li in zip(table[rid], table[lst], strict=True)
    )
    sk = keys.signing_key
    write_exchange(
        out, encoded, pseudonyms, exchange_id=exchange_id, created=_now(),
        key_generation=keys.secret.generation, verify_key=sk.public_key(),
        sign=lambda d: sk.sign(_STATEMENT + d),
    )  # fmt: skip
    return exchange_id, encoded.n


def encode_workspace(
    ws: Workspace,
    out: Path,
    *,
    schema: Schema,
    secret: LinkageSecret | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[str, int]:
    """Encode every current person of ``ws``; the map from pseudonyms to people is stored in
    the workspace (sealed like an identity) and the file is signed by the workspace's key."""
    if not ws.role.can_reveal:
        raise PermissionDenied(_ROLE)
    assert schema.spec is not None  # noqa: S101
    secret = secret if secret is not None else workspace_secret(ws)
    table, person_ids, _ = workspace_table(ws, schema.spec)
    encoded = encode(table, schema, secret, progress=progress)
    exchange_id = random_bytes(16).hex()
    pseudonyms = tuple(random_bytes(16) for _ in person_ids)
    mapping = {p.hex(): pid for p, pid in zip(pseudonyms, person_ids, strict=True)}
    with ws.transaction():
        ws.put(
            _EXCHANGE_KIND,
            {"exchange_id": exchange_id, "key_fingerprint": secret.fingerprint(),
             "records": encoded.n, "schema_fingerprint": schema.fingerprint()},
            {"pseudonyms": mapping},
        )  # fmt: skip
        write_exchange(
            out, encoded, pseudonyms, exchange_id=exchange_id, created=_now(),
            key_generation=secret.generation, verify_key=ws.verify_key, sign=ws.sign,
        )  # fmt: skip
    return exchange_id, encoded.n


# -- matching and results ------------------------------------------------------------------------


@dataclass(frozen=True)
class MatchSummary:
    records: int
    parties: int
    clusters: int
    candidate_pairs: int
    files: tuple[str, ...]


def match_files(
    paths: Sequence[Path],
    out_dir: Path,
    *,
    expect_key: str | None = None,
    threshold: float | None = None,
    solution: str = "clusters",
    device: str = "auto",
    progress: Callable[[str], None] | None = None,
) -> MatchSummary:
    """Verify and match exchange files; write ``clusters.csv``, ``pairs.csv``,
    ``capture_histories.csv`` (record ids are pseudonyms) and ``match.json``."""
    exchanges = [read_exchange(p, expect_key=expect_key) for p in paths]
    ids = [x.exchange_id for x in exchanges]
    if len(set(ids)) != len(ids):
        raise InputError("the same exchange file was given twice / 같은 파일이 두 번 있습니다")
    keys = {x.encoded.key_fingerprint for x in exchanges}
    if len(keys) > 1:
        names = ", ".join(f"{x.path.name}: {x.encoded.key_fingerprint} (generation "
                          f"{x.key_generation})" for x in exchanges)  # fmt: skip
        raise InputError(
            f"these files were encoded under different linkage secrets ({names}): a secret was "
            "rotated; ask the owners of the older files to encode again / 연결 비밀키가 서로 "
            "다릅니다: 비밀키가 교체되었으니 이전 파일을 다시 인코딩하십시오"
        )
    result = match(
        [x.encoded for x in exchanges], [x.pseudonyms for x in exchanges],
        threshold=threshold, solution=solution, device=device, progress=progress,
    )  # fmt: skip
    link = result.link_result()
    meta = {
        "exchanges": [
            {
                "file": x.path.name,
                "exchange_id": x.exchange_id,
                "signer": x.signer,
                "records": x.encoded.n,
                "lists": list(x.encoded.lists),
            }
            for x in exchanges
        ],  # fmt: skip
        "key_fingerprint": next(iter(keys)),
        "schema_fingerprint": exchanges[0].encoded.schema.fingerprint(),
        "model": result.model.as_dict(),
        "stats": result.stats,
        "threshold": result.threshold,
        "solution": solution,
    }
    files = write_together(
        out_dir,
        {
            "clusters.csv": lambda p: write_clusters_csv(link, p),
            "pairs.csv": lambda p: write_pairs_csv(link, p),
            "capture_histories.csv": lambda p: write_capture_histories_csv(
                capture_histories(link), p
            ),
            "match.json": lambda p: p.write_text(
                json.dumps(meta, indent=2) + "\n", encoding="utf-8"
            ),
        },
    )
    return MatchSummary(
        result.stats["records"], len(exchanges), result.stats["clusters"],
        result.stats["candidate_pairs"], files,
    )  # fmt: skip


def resolve_workspace(ws: Workspace, clusters: Path, out: Path) -> int:
    """Rewrite ``clusters.csv`` for this workspace's own people: its rows whose pseudonyms this
    workspace issued, with the workspace person id instead; every cluster id is kept so
    records joined to other parties' records show it. Returns the rows written."""
    if not ws.role.can_reveal:
        raise PermissionDenied(_ROLE)
    own: dict[str, str] = {}
    for rec in ws.iter_current(_EXCHANGE_KIND):
        full = ws.get(_EXCHANGE_KIND, rec.record_id, reveal=True)
        own.update((full.identity or {}).get("pseudonyms", {}))
    try:
        rows = pd.read_csv(clusters, dtype=str, keep_default_na=False)
    except (OSError, ValueError):
        raise InputError(
            f"cannot read {clusters.name}: give the clusters.csv of `unseen pprl match`"
        ) from None
    if "record_id" not in rows.columns or "cluster_id" not in rows.columns:
        raise InputError(f"{clusters.name} is not a clusters.csv (record_id, cluster_id missing)")
    sizes = rows["cluster_id"].value_counts()
    written = 0
    with out.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(["person_id", "list", "cluster_id", "cluster_size", "match_probability"])
        for r in rows.itertuples(index=False):
            pid = own.get(str(r.record_id))
            if pid is None:
                continue
            w.writerow([pid, r.list, r.cluster_id, int(sizes[r.cluster_id]), r.match_probability])
            written += 1
    return written
