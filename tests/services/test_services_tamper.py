"""Any single flipped byte of the database, an evidence blob or the keyslot file is detected,
by opening the workspace or by verifying its audit trail."""

from __future__ import annotations

import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from svckit import person_rows, write_csv

from unseen.crypto import KdfParams
from unseen.errors import UnseenError
from unseen.services.evidence import add_evidence_file, export_evidence
from unseen.services.ingest import import_person_list
from unseen.store import Workspace

PW = "tamper test passphrase words"
_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _workspace(tmp_path: Path) -> tuple[Path, str]:
    root = tmp_path / "pristine"
    if (root / "store.db").exists():
        return root, (root / "evidence-id").read_text()
    scan = tmp_path / "scan.jpg"
    scan.write_bytes(bytes(range(256)) * 40)
    with Workspace.create(root, user="admin", passphrase=PW, kdf=KdfParams.fast_for_tests()) as ws:
        import_person_list(ws, write_csv(tmp_path / "a.csv", person_rows(60)))
        evidence_id = add_evidence_file(ws, scan)
    (root / "evidence-id").write_text(evidence_id)
    return root, evidence_id


def _detected(copy: Path, evidence_id: str, tmp: Path) -> bool:
    """True when opening, verifying or reading the evidence refuses the altered workspace."""
    try:
        with Workspace.open(copy, user="admin", passphrase=PW) as ws:
            if not ws.verify().ok:
                return True
            out = tmp / "evidence.out"
            out.unlink(missing_ok=True)
            export_evidence(ws, evidence_id, out)
    except UnseenError:
        return True
    return False


def _flip_and_check(tmp_path: Path, which: str, where: float, bit: int) -> None:
    root, evidence_id = _workspace(tmp_path)
    copy = tmp_path / "copy"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(root, copy)
    target = {
        "db": copy / "store.db",
        "keys": copy / "keys.json",
        "blob": next(p for p in (copy / "evidence").rglob("*") if p.is_file()),
    }[which]
    data = bytearray(target.read_bytes())
    offset = min(int(where * len(data)), len(data) - 1)
    data[offset] ^= 1 << bit
    target.write_bytes(bytes(data))
    assert _detected(copy, evidence_id, tmp_path), f"{which} byte {offset} bit {bit} went unseen"


@_SETTINGS
@given(where=st.floats(0, 1, exclude_max=True), bit=st.integers(0, 7))
def test_any_byte_of_the_database(tmp_path: Path, where: float, bit: int) -> None:
    _flip_and_check(tmp_path, "db", where, bit)


@_SETTINGS
@given(where=st.floats(0, 1, exclude_max=True), bit=st.integers(0, 7))
def test_any_byte_of_an_evidence_blob(tmp_path: Path, where: float, bit: int) -> None:
    _flip_and_check(tmp_path, "blob", where, bit)


@_SETTINGS
@given(where=st.floats(0, 1, exclude_max=True), bit=st.integers(0, 7))
def test_any_byte_of_the_keyslot_file(tmp_path: Path, where: float, bit: int) -> None:
    _flip_and_check(tmp_path, "keys", where, bit)


def test_an_untouched_copy_is_not_flagged(tmp_path: Path) -> None:
    root, evidence_id = _workspace(tmp_path)
    copy = tmp_path / "copy"
    shutil.copytree(root, copy)
    assert not _detected(copy, evidence_id, tmp_path)
