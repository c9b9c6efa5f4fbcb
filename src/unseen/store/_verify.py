"""``Workspace.verify``: recompute everything the audit log vouches for and say what fails first.

Checks, in order: SQLCipher page authentication and SQLite's structure check; every audit entry
(sequence, link, hash, signature); every record version's content hash against its row; that each
record version has exactly one write entry with its hash and each write entry its version (the
same for evidence); that disclosure entries name existing versions; that the chain head recorded
in keys.json is in the log. The report names the lowest failing sequence number.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from unseen.errors import IntegrityError

from . import _schema as s
from ._audit import EVIDENCE_WRITES, RECORD_WRITES, check_entry, genesis_hash
from ._canonical import evidence_content_hash, record_content_hash
from ._context import Context
from ._engine import integrity_problems
from ._files import read_json
from ._keyfile import KeyFile
from ._values import AuditReport

Problem = tuple[int | None, str]


def _first(problems: list[Problem]) -> Problem | None:
    if not problems:
        return None
    numbered = [p for p in problems if p[0] is not None]
    return min(numbered, key=lambda p: p[0] or 0) if numbered else problems[0]


def verify(ctx: Context) -> AuditReport:
    with ctx.db.read() as conn:
        damage = integrity_problems(conn, full=True)
        if damage is not None:
            return AuditReport(ok=False, entries=0, reason=damage)
        entries = conn.execute(sa.select(s.audit_log).order_by(s.audit_log.c.seq)).all()
        evidence = conn.execute(sa.select(s.evidence)).all()
        problems: list[Problem] = []
        report = _check(ctx, conn, entries, evidence, problems)
    return report


def _check(
    ctx: Context,
    conn: sa.Connection,
    entries: Sequence[Any],
    evidence: Sequence[Any],
    problems: list[Problem],
) -> AuditReport:

    # 1. The chain: the first broken entry stops the walk (everything after hangs on it).
    prev = genesis_hash(ctx.workspace_id)
    for expected, row in enumerate(entries, start=1):
        why = check_entry(
            row,
            workspace_id=ctx.workspace_id,
            expected_seq=expected,
            prev_hash=prev,
            verify_key=ctx.verify_key,
        )
        if why is not None:
            problems.append((expected, f"audit entry {expected}: {why}"))
            break
        prev = row.entry_hash
    head_seq = len(entries)

    # 2. Records and their write entries.
    writes: dict[tuple[str, str, int], list[Any]] = {}
    shown: list[Any] = []
    ev_writes: dict[str, list[Any]] = {}
    for row in entries:
        if row.action in RECORD_WRITES:
            writes.setdefault((row.kind, row.record_id, row.version), []).append(row)
        elif row.action in EVIDENCE_WRITES:
            ev_writes.setdefault(row.record_id, []).append(row)
        elif row.kind is not None and row.kind != "evidence" and row.version is not None:
            shown.append(row)
    stored: dict[tuple[str, str, int], str] = {}
    n_records = 0
    for rec in conn.execute(sa.select(s.records)):  # streamed: 100,000 rows stay off the heap
        n_records += 1
        key = (rec.kind, rec.record_id, rec.version)
        name = f"{rec.kind} record {rec.record_id} version {rec.version}"
        actual = record_content_hash(
            kind=rec.kind,
            record_id=rec.record_id,
            version=rec.version,
            created_at=rec.created_at,
            author=rec.author,
            attributes_json=rec.attributes,
            identity_sealed=rec.identity_sealed,
            identity_key_wrapped=rec.identity_key_wrapped,
            deleted=bool(rec.deleted),
        )
        stored[key] = actual
        mine = writes.get(key, [])
        seq = mine[0].seq if mine else None
        if actual != rec.content_hash:
            problems.append((seq, f"{name}: its content does not match its stored hash"))
        elif not mine:
            problems.append((None, f"{name} has no audit entry (written around the log)"))
        elif len(mine) > 1:
            problems.append((mine[1].seq, f"{name} has more than one write entry"))
        elif mine[0].content_hash != actual:
            problems.append((seq, f"{name}: its content differs from what the log recorded"))
    for key, rows in writes.items():
        if key not in stored:
            problems.append(
                (
                    rows[0].seq,
                    f"audit entry {rows[0].seq}: its {key[0]} record "
                    f"{key[1]} version {key[2]} is missing",
                )
            )
    for row in shown:
        if (row.kind, row.record_id, row.version) not in stored:
            problems.append(
                (row.seq, f"audit entry {row.seq} names a record version that does not exist")
            )

    # 3. Evidence rows and their entries.
    for ev in evidence:
        actual = evidence_content_hash(
            address=ev.address,
            sha256=ev.sha256,
            size=ev.size,
            media_type=ev.media_type,
            created_at=ev.created_at,
            author=ev.author,
            filename_sealed=ev.filename_sealed,
        )
        mine = ev_writes.pop(ev.address, [])
        seq = mine[0].seq if mine else None
        if actual != ev.content_hash or (mine and mine[0].content_hash != actual):
            problems.append((seq, f"evidence {ev.address[:16]}: metadata does not match its hash"))
        elif len(mine) != 1:
            problems.append((seq, f"evidence {ev.address[:16]} has {len(mine)} audit entries"))
    for rows in ev_writes.values():
        problems.append((rows[0].seq, f"audit entry {rows[0].seq}: its evidence is missing"))

    # 4. The head recorded outside the database (catches a log cut back in time).
    try:
        kf = KeyFile.from_dict(read_json(ctx.keys_path, "keys.json"))
        kf.check_signature(ctx.verify_key)
    except IntegrityError as exc:
        problems.append((None, str(exc)))
        kf = ctx.keyfile
    if kf.head_seq > head_seq:
        problems.append(
            (
                head_seq + 1,
                f"the log ends at entry {head_seq} but keys.json "
                f"recorded entry {kf.head_seq}: entries were removed or rolled back",
            )
        )
    elif kf.head_seq and entries[kf.head_seq - 1].entry_hash != kf.head_hash:
        problems.append(
            (kf.head_seq, f"audit entry {kf.head_seq} differs from the head recorded in keys.json")
        )

    first = _first(problems)
    head_hash = entries[-1].entry_hash if entries else ""
    if first is not None:
        return AuditReport(
            ok=False,
            entries=len(entries),
            first_bad_seq=first[0],
            reason=first[1],
            records=n_records,
            evidence=len(evidence),
            head_seq=head_seq,
            head_hash=head_hash,
        )
    return AuditReport(
        ok=True,
        entries=len(entries),
        records=n_records,
        evidence=len(evidence),
        head_seq=head_seq,
        head_hash=head_hash,
    )
