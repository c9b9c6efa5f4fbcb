"""When each person has one act, people by violation type and people by year are exactly the
timeline's column and row totals, and the number of people is published. The three tables are
protected together: solving all their published numbers and all these equalities at once (by
linear programming), no hidden number has a single possible value."""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from unseen.reports.model import Cell, CountTable, DisclosureSettings
from unseen.reports.tables import ActFact, PersonFact, build_tables

acts = st.tuples(st.sampled_from(["FMAR", "TIP", "SV"]), st.sampled_from([2010, 2011, 2012, None]))
weights = st.lists(st.tuples(acts, st.integers(1, 12) | st.integers(1, 3)), min_size=1, max_size=8)


class System:
    """Linear equalities over the hidden numbers of several tables (published ones are
    constants)."""

    def __init__(self) -> None:
        self.vars: dict[Hashable, int] = {}
        self.rows: list[tuple[dict[int, float], float]] = []

    def term(self, name: Hashable, cell: Cell) -> tuple[int | None, float]:
        if cell.value is not None:
            return None, float(cell.value)
        return self.vars.setdefault(name, len(self.vars)), 0.0

    def equal(self, terms: list[tuple[float, Hashable, Cell]]) -> None:
        coefs: dict[int, float] = {}
        rhs = 0.0
        for k, name, cell in terms:
            var, const = self.term(name, cell)
            if var is None:
                rhs -= k * const
            else:
                coefs[var] = coefs.get(var, 0.0) + k
        if coefs:
            self.rows.append((coefs, rhs))
        else:
            assert abs(rhs) < 1e-9  # published numbers alone must agree

    def ranges(self) -> dict[Hashable, tuple[float, float]]:
        n = len(self.vars)
        a = np.zeros((len(self.rows), n))
        b = np.zeros(len(self.rows))
        for r, (coefs, rhs) in enumerate(self.rows):
            for v, k in coefs.items():
                a[r, v] = k
            b[r] = rhs
        out = {}
        for name, v in self.vars.items():
            c = np.zeros(n)
            c[v] = 1.0
            lo = linprog(c, A_eq=a, b_eq=b, bounds=(0, None), method="highs")
            hi = linprog(-c, A_eq=a, b_eq=b, bounds=(0, None), method="highs")
            assert lo.status == 0
            out[name] = (lo.fun, np.inf if hi.status == 3 else -hi.fun)
        return out


def _timeline(s: System, t: CountTable, total: int) -> None:
    known = Cell(total)
    for i, row in enumerate(t.cells):
        s.equal([(1.0, ("t", i, j), c) for j, c in enumerate(row)] + [(-1.0, ("tr", i), t.row_totals[i])])  # fmt: skip # noqa: E501
    for j in range(len(t.cols)):
        s.equal([(1.0, ("t", i, j), t.cells[i][j]) for i in range(len(t.rows))] + [(-1.0, ("tc", j), t.col_totals[j])])  # fmt: skip # noqa: E501
    s.equal([(1.0, ("tr", i), c) for i, c in enumerate(t.row_totals)] + [(-1.0, "T", known)])
    s.equal([(1.0, ("tc", j), c) for j, c in enumerate(t.col_totals)] + [(-1.0, "T", known)])


@settings(max_examples=60, deadline=None)
@given(weights, st.integers(2, 6))
def test_the_timeline_and_its_people_tables_hide_together(
    groups: list[tuple[tuple[str, int | None], int]], threshold: int
) -> None:
    people = [PersonFact(acts=(ActFact(v, y),)) for (v, y), n in groups for _ in range(n)]
    r = build_tables(people, DisclosureSettings(threshold=threshold))
    by = {t.key: t for t in r.tables}
    tl, years, kinds = r.timeline, by["people_by_year"], by["people_by_violation"]
    n = len(people)
    s = System()
    _timeline(s, tl, n)
    s.equal([(1.0, ("y", i), row[0]) for i, row in enumerate(years.cells)] + [(-1.0, "N", Cell(n))])  # fmt: skip # noqa: E501
    assert years.rows == tl.rows and kinds.rows == tl.cols
    for i, row in enumerate(years.cells):  # people by first year = acts per year
        s.equal([(1.0, ("y", i), row[0]), (-1.0, ("tr", i), tl.row_totals[i])])
    for j, row in enumerate(kinds.cells):  # people by type = acts per type
        s.equal([(1.0, ("v", j), row[0]), (-1.0, ("tc", j), tl.col_totals[j])])
    # a line that is the whole table is everyone: the number of people, which is published
    everyone = set()
    if len(tl.cols) == 1:
        everyone |= {("tc", 0), ("v", 0)}
    if len(tl.rows) == 1:
        everyone |= {("tr", 0), ("y", 0)}
    if len(tl.rows) == len(tl.cols) == 1:
        everyone.add(("t", 0, 0))
    for name, (lo, hi) in s.ranges().items():
        if name in everyone:
            continue
        assert hi - lo > 0.5, (groups, threshold, name, lo, hi)
