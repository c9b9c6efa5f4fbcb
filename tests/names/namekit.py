"""The made-up name material that tests and benches share: the labelled pair table and the
syllable pools names are drawn from (synthetic only: random combinations of common syllables).

`name_syllables.csv` lists each syllable once, with its place in each pool's draw order (blank
where the pool does not use it): `bench` for bench/names_pairs.py's generated pairs,
`hypothesis` for the property tests of tests/names, `linkage` for tests/linkage/linkagekit.py's
person lists. The order is kept because seeded draws (and the figures in the docs) depend on it.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Literal

HERE = Path(__file__).resolve().parent
PAIRS_CSV = HERE / "name_pairs.csv"
SYLLABLES_CSV = HERE / "name_syllables.csv"

Part = Literal["family", "given"]
Pool = Literal["bench", "hypothesis", "linkage"]


def labelled_pairs() -> list[dict[str, str]]:
    """Rows of name_pairs.csv: a, b, same ("1"/"0"), variant_class."""
    return list(csv.DictReader(PAIRS_CSV.read_text(encoding="utf-8").splitlines()))


def syllables(part: Part, pool: Pool) -> tuple[str, ...]:
    """One pool's family names or given-name syllables, in its draw order."""
    rows = csv.DictReader(SYLLABLES_CSV.read_text(encoding="utf-8").splitlines())
    ranked = [(int(r[pool]), r["syllable"]) for r in rows if r["part"] == part and r[pool]]
    return tuple(s for _, s in sorted(ranked))
