"""Property tests of disclosure control: nothing small is published, and no hidden cell of a
1-D or 2-D table can be worked out from what is published (checked by linear programming:
each hidden cell's smallest and largest value over the non-negative reals that agree with
every published number must differ)."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from unseen.reports.disclosure import protect_counts, round_to
from unseen.reports.model import Cell, DisclosureSettings

Grid = list[list[int]]
# Mostly small counts, so most tables have cells to hide.
counts = st.integers(0, 12) | st.integers(0, 3) | st.integers(20, 60)


def grids(max_rows: int = 4, max_cols: int = 4) -> st.SearchStrategy[Grid]:
    return st.integers(1, max_rows).flatmap(
        lambda r: st.integers(1, max_cols).flatmap(
            lambda c: st.lists(st.lists(counts, min_size=c, max_size=c), min_size=r, max_size=r)
        )
    )


columns = st.lists(counts, min_size=1, max_size=7)


def augmented(p_cells: tuple[tuple[Cell, ...], ...], rt: tuple[Cell, ...], ct: tuple[Cell, ...],
              total: Cell) -> list[list[Cell]]:  # fmt: skip
    return [[*row, rt[i]] for i, row in enumerate(p_cells)] + [[*ct, total]]


def intervals_2d(
    aug: list[list[Cell]], known_total: int | None = None
) -> dict[tuple[int, int], tuple[float, float]]:
    """For each hidden entry of the augmented table, (min, max) over non-negative reals that
    keep every row and column adding up (the totals being the last row and column)."""
    nr, nc = len(aug), len(aug[0])
    if known_total is not None:  # published elsewhere
        aug = [list(row) for row in aug]
        aug[-1][-1] = Cell(known_total)
    hidden = [(i, j) for i in range(nr) for j in range(nc) if aug[i][j].suppressed]
    if not hidden:
        return {}
    at = {cell: k for k, cell in enumerate(hidden)}
    lines: list[list[tuple[tuple[int, int], float]]] = []
    for i in range(nr):  # row i: its cells - its total = 0
        lines.append([((i, j), 1.0) for j in range(nc - 1)] + [((i, nc - 1), -1.0)])
    for j in range(nc):
        lines.append([((i, j), 1.0) for i in range(nr - 1)] + [((nr - 1, j), -1.0)])
    a_eq, b_eq = [], []
    for line in lines:
        row = np.zeros(len(hidden))
        rhs = 0.0
        for cell, coef in line:
            if cell in at:
                row[at[cell]] += coef
            else:
                value = aug[cell[0]][cell[1]].value
                assert value is not None
                rhs -= coef * value
        if row.any():
            a_eq.append(row)
            b_eq.append(rhs)
        else:
            assert abs(rhs) < 1e-9  # published numbers alone must add up
    return _solve(hidden, np.array(a_eq), np.array(b_eq))


def intervals_1d(
    cells: list[Cell], total: Cell, known_total: int | None
) -> dict[int, tuple[float, float]]:  # noqa: E501
    n = len(cells)
    entries = [*cells, total if known_total is None else Cell(known_total)]
    hidden = [k for k in range(n + 1) if entries[k].suppressed]
    if not hidden:
        return {}
    row = np.array([1.0 if k < n else -1.0 for k in hidden])
    rhs = -sum((1.0 if k < n else -1.0) * (entries[k].value or 0) for k in range(n + 1)
               if not entries[k].suppressed)  # fmt: skip
    return _solve(hidden, row[None, :], np.array([rhs]))


def _solve(hidden: list, a_eq: np.ndarray, b_eq: np.ndarray) -> dict:  # type: ignore[type-arg]
    out = {}
    for k, cell in enumerate(hidden):
        c = np.zeros(len(hidden))
        c[k] = 1.0
        lo = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        hi = linprog(-c, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        assert lo.status == 0, lo.message  # feasible: the true table is a solution
        upper = math.inf if hi.status == 3 else -hi.fun
        out[cell] = (lo.fun, upper)
    return out


def published(values: list[Cell]) -> list[int]:
    return [c.value for c in values if c.value is not None]


@settings(max_examples=150, deadline=None)
@given(grids(), st.integers(2, 6))
def test_2d_nothing_small_and_no_hidden_cell_recoverable(grid: Grid, threshold: int) -> None:
    p = protect_counts(grid, DisclosureSettings(threshold=threshold))
    aug = augmented(p.cells, p.row_totals, p.col_totals, p.total)
    every = [c for row in aug for c in row]
    assert not [v for v in published(every) if 0 < v < threshold]
    x = np.asarray(grid)
    truth = np.zeros((x.shape[0] + 1, x.shape[1] + 1), dtype=int)
    truth[:-1, :-1], truth[:-1, -1], truth[-1, :-1], truth[-1, -1] = x, x.sum(1), x.sum(0), x.sum()
    for i, row in enumerate(aug):
        for j, cell in enumerate(row):
            assert cell.value is None or cell.value == truth[i, j]  # published exactly
            assert (cell.flag == "primary") == (0 < truth[i, j] < threshold)
    for cell, (lo, hi) in intervals_2d(aug).items():
        assert lo <= truth[cell] + 1e-6 and truth[cell] - 1e-6 <= hi
        assert hi - lo > 0.5, (grid, cell, lo, hi)  # at least two whole numbers possible


@settings(max_examples=150, deadline=None)
@given(grids(), st.integers(2, 6))
def test_2d_with_a_known_total_no_hidden_cell_is_recoverable(grid: Grid, threshold: int) -> None:
    p = protect_counts(grid, DisclosureSettings(threshold=threshold), total_known=True)
    aug = augmented(p.cells, p.row_totals, p.col_totals, p.total)
    x = np.asarray(grid)
    assert not [v for v in published([c for row in aug for c in row]) if 0 < v < threshold]
    r, c = x.shape
    for (i, j), (lo, hi) in intervals_2d(aug, int(x.sum())).items():
        # the row total of a one-row table is the known total itself (same for columns)
        if (j == c and r == 1) or (i == r and c == 1) or x.size == 1:
            continue
        assert hi - lo > 0.5, (grid, (i, j), lo, hi)


@settings(max_examples=150, deadline=None)
@given(columns, st.integers(2, 6), st.booleans())
def test_1d_nothing_small_and_no_hidden_cell_recoverable(
    col: list[int], threshold: int, total_known: bool
) -> None:
    p = protect_counts([[v] for v in col], DisclosureSettings(threshold=threshold), one_d=True,
                       total_known=total_known)  # fmt: skip
    cells = [row[0] for row in p.cells]
    assert p.row_totals == tuple(cells) and p.col_totals == (p.total,)
    assert not [v for v in published([*cells, p.total]) if 0 < v < threshold]
    known = sum(col) if total_known else None
    for k, (lo, hi) in intervals_1d(cells, p.total, known).items():
        true = col[k] if k < len(col) else sum(col)
        assert lo <= true + 1e-6 and true - 1e-6 <= hi
        if len(col) > 1 or not total_known:  # one cell that is the known total: nothing hides it
            assert hi - lo > 0.5, (col, k, lo, hi)


@settings(max_examples=100, deadline=None)
@given(grids(), st.integers(2, 6), st.sampled_from([2, 3, 5, 10]))
def test_rounding_keeps_the_pattern_and_stays_within_half_a_base(
    grid: Grid, threshold: int, base: int
) -> None:
    plain = protect_counts(grid, DisclosureSettings(threshold=threshold))
    rounded = protect_counts(grid, DisclosureSettings(threshold=threshold, rounding=base))
    a = augmented(plain.cells, plain.row_totals, plain.col_totals, plain.total)
    b = augmented(rounded.cells, rounded.row_totals, rounded.col_totals, rounded.total)
    for ra, rb in zip(a, b, strict=True):
        for ca, cb in zip(ra, rb, strict=True):
            assert ca.suppressed == cb.suppressed
            if ca.value is not None:
                assert cb.value is not None and cb.value % base == 0 and cb.flag == "rounded"
                assert cb.value == 0 or cb.value >= threshold
                floor = -(-threshold // base) * base  # the first multiple at the threshold
                assert abs(cb.value - ca.value) * 2 <= base or cb.value == floor
                assert (cb.value == 0) == (ca.value == 0)


@settings(max_examples=100, deadline=None)
@given(grids(), st.integers(2, 6), st.floats(0.1, 5.0), st.integers(0, 2**32))
def test_dp_tables_are_whole_non_negative_and_add_up(
    grid: Grid, threshold: int, epsilon: float, seed: int
) -> None:
    s = DisclosureSettings(threshold=threshold, epsilon=epsilon, seed=seed)
    p = protect_counts(grid, s, key="t")
    again = protect_counts(grid, s, key="t")
    assert p == again  # one seed, one release
    aug = augmented(p.cells, p.row_totals, p.col_totals, p.total)
    every = [c for row in aug for c in row]
    assert all(c.flag in ("noisy", "primary", "secondary") for c in every)
    assert all(v >= 0 and not 0 < v < threshold for v in published(every))
    # totals add up: every hidden cell of the noisy table keeps a range, and a fully published
    # line adds up exactly (intervals_2d asserts it)
    for lo, hi in intervals_2d(aug).values():
        assert hi - lo > 0.5


def test_dp_noise_has_the_discrete_laplace_spread() -> None:
    # Var of the two-sided geometric with a = exp(-eps): 2a / (1 - a)^2.
    eps, n = 0.5, 20_000
    grid = [[1000] for _ in range(n)]
    p = protect_counts(grid, DisclosureSettings(epsilon=eps, seed=7), one_d=True)
    noise = np.array([row[0].value for row in p.cells]) - 1000
    a = math.exp(-eps)
    assert abs(noise.mean()) < 0.1
    assert abs(noise.var() / (2 * a / (1 - a) ** 2) - 1) < 0.05


def test_dp_seeds_differ_per_table_and_fresh_without_a_seed() -> None:
    grid = [[500] for _ in range(50)]
    s = DisclosureSettings(epsilon=1.0, seed=3)
    a = protect_counts(grid, s, one_d=True, key="a")
    b = protect_counts(grid, s, one_d=True, key="b")
    assert a != b
    fresh = DisclosureSettings(epsilon=1.0)
    assert protect_counts(grid, fresh, one_d=True) != protect_counts(grid, fresh, one_d=True)


@given(st.integers(0, 1000), st.sampled_from([1, 2, 5, 10]))
def test_round_to_is_the_nearest_multiple(v: int, base: int) -> None:
    r = round_to(v, base)
    assert r % base == 0 and abs(r - v) * 2 <= base
    assert abs(r - v) * 2 < base or r > v  # halves go up


@settings(max_examples=100, deadline=None)
@given(grids(), st.integers(2, 6), st.data())
def test_numbers_hidden_for_another_table_are_protected_too(
    grid: Grid, threshold: int, data: st.DataObject
) -> None:
    r, c = len(grid), len(grid[0])
    cells = [(i, j) for i in range(r + 1) for j in range(c + 1)]
    forced = data.draw(st.lists(st.sampled_from(cells), max_size=3))
    p = protect_counts(grid, DisclosureSettings(threshold=threshold), hide=forced)
    aug = augmented(p.cells, p.row_totals, p.col_totals, p.total)
    x = np.asarray(grid)
    truth = np.zeros((r + 1, c + 1), dtype=int)
    truth[:-1, :-1], truth[:-1, -1], truth[-1, :-1], truth[-1, -1] = x, x.sum(1), x.sum(0), x.sum()
    for i, j in forced:
        assert aug[i][j].suppressed or truth[i, j] == 0  # a 0 needs no hiding
    for cell, (lo, hi) in intervals_2d(aug).items():
        assert hi - lo > 0.5, (grid, forced, cell, lo, hi)
