"""Import throughput into an encrypted workspace, against plain SQLite as the anchor.

    .venv/bin/python bench/import_throughput.py [--rows 100000]

Prints one table: for the same person list, (1) the anchor, Python's stdlib ``sqlite3`` writing each
row as one JSON document into an unencrypted table in one transaction (no validation, no
encryption, no audit), and (2) ``unseen import`` through the service layer: validation, SQLCipher,
per-record sealed identities, blind-index tokens and the signed audit chain. Ratios are against the
anchor measured in the same run. Bytes per record are the workspace folder's size divided by rows.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from unseen.crypto import KdfParams
from unseen.services.ingest import import_person_list
from unseen.store import Workspace

FAMILY = [
    ("김", "Kim"),
    ("리", "Ri"),
    ("박", "Pak"),
    ("최", "Choe"),
    ("정", "Jong"),
    ("강", "Kang"),
]
GIVEN = [("순", "Sun"), ("영", "Yong"), ("명", "Myong"), ("은", "Un"), ("혜", "Hye"),
         ("미", "Mi"), ("옥", "Ok"), ("희", "Hui"), ("숙", "Suk"), ("련", "Ryon")]  # fmt: skip
HEADER = ["record_id", "list", "family_name", "given_name", "name_hangul", "sex", "birth_date",
          "origin_place", "china_place", "event_date", "event_place", "violation",
          "perpetrator_type"]  # fmt: skip
PLACES_KP = ["Hyesan", "Musan", "Hoeryong", "Chongjin", "Onsong"]
PLACES_CN = ["Yanji", "Dandong", "Tumen", "Helong", "Shenyang", "Harbin"]
VIOLATIONS = ["FMAR", "TIP.SALE", "ARREST", "REFOUL", "FLAB"]


def write_list(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        for i in range(rows):
            fam = FAMILY[i % len(FAMILY)]
            g1, g2 = GIVEN[(i // 6) % 10], GIVEN[(i // 60) % 10]
            w.writerow([
                f"R{i:07d}", "bench list", fam[1], f"{g1[1]}-{g2[1].lower()}",
                fam[0] + g1[0] + g2[0], "F" if i % 5 else "M", str(1960 + i % 40),
                PLACES_KP[i % 5], PLACES_CN[i % 6], f"{2000 + i % 25}-{1 + i % 12:02d}",
                PLACES_CN[(i + 1) % 6], VIOLATIONS[i % 5], "BROKER-CN" if i % 3 == 0 else "",
            ])  # fmt: skip


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def anchor(source: Path, db: Path) -> float:
    begun = time.perf_counter()
    with source.open(encoding="utf-8", newline="") as fh:
        rows = [json.dumps(r, ensure_ascii=False) for r in csv.DictReader(fh)]
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE records (id INTEGER PRIMARY KEY, doc TEXT)")
    with con:
        con.executemany("INSERT INTO records (doc) VALUES (?)", ((r,) for r in rows))
    con.close()
    return time.perf_counter() - begun


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        source = tmp / "list.csv"
        write_list(source, args.rows)
        t_anchor = anchor(source, tmp / "plain.sqlite")
        plain_bytes = (tmp / "plain.sqlite").stat().st_size
        ws_path = tmp / "ws"
        with Workspace.create(
            ws_path, user="bench", passphrase="bench passphrase", kdf=KdfParams.default()
        ) as ws:
            begun = time.perf_counter()
            summary = import_person_list(ws, source)
            t_unseen = time.perf_counter() - begun
        unseen_bytes = dir_size(ws_path)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = args.rows
    table = [
        ("anchor: stdlib sqlite3, JSON rows, unencrypted", t_anchor, rows / t_anchor,
         plain_bytes / rows, 1.0),
        ("unseen import (SQLCipher, sealed, audited)", t_unseen, rows / t_unseen,
         unseen_bytes / rows, t_unseen / t_anchor),
    ]  # fmt: skip
    print(
        f"import of {rows:,} person rows ({summary.records:,} store records: people, events, "
        f"acts, involvements); peak RSS {peak_mib:,.0f} MiB"
    )
    print(f"{'what':50} {'seconds':>9} {'rows/s':>10} {'bytes/row':>10} {'x anchor time':>14}")
    for name, secs, rate, size, ratio in table:
        print(f"{name:50} {secs:9.2f} {rate:10,.0f} {size:10,.0f} {ratio:14.1f}")
    print(f"store records/s: {summary.records / t_unseen:,.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
