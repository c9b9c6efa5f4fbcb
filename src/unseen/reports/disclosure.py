"""Disclosure control for count tables: small-cell suppression, rounding, differential privacy.

Every count that leaves a workspace passes through :func:`protect`, which turns plain counts
(with their row and column codes) into a :class:`~unseen.reports.model.CountTable` whose cells
are flagged. The rules, for a coordinator, are in ``docs/disclosure.md``; in short:

1. **Primary suppression.** A published number (a cell, a row or column total, the grand
   total) of 1 to ``threshold - 1`` people is hidden (flag ``primary``). 0 is published: "no
   one documented" identifies no one.
2. **Secondary suppression.** A hidden cell must not be recoverable by subtraction from the
   published cells and totals. A 2-D table with its totals is read as the augmented
   ``(R+1) x (C+1)`` table whose every row and column adds up (the totals being the last row
   and column). Its hidden cells are the edges of a bipartite graph between its row lines and
   column lines; a hidden cell can be recovered exactly when it is a *bridge* of that graph (no
   cycle of hidden cells passes through it). So, for each hidden cell that is a bridge, the
   cheapest path of positive cells from its row line to its column line is hidden too, which
   closes a cycle (Dijkstra, cost = the cell's count, so small cells go first and totals,
   being large, last; cells already hidden cost nothing). When every hidden cell lies on a
   cycle of hidden cells that are all at least 1, adding and subtracting 1 around the cycle
   gives another table with the same published numbers: no hidden cell has a single possible
   value, over the integers or the non-negative reals. (This is the "shortest path" heuristic
   of the cell-suppression literature, e.g. Castro 2006, on a table with its margins.)
   A 1-D table has one equation (its cells add up to its total): at least two of its hidden
   numbers, adding up to more than 0, keep each of them between 0 and their sum. When the
   total is published elsewhere (``total_known``: e.g. the number of people in the report),
   it is no unknown: two hidden *cells* are needed in 1-D, and in 2-D the paths avoid it.
   Only when everyone is in one row, column or cell does no such path exist; then every
   number of the table but its total is hidden (each is then anything from 0 to the total).
3. **Rounding** (optional, ``DisclosureSettings.rounding``): published numbers are rounded to
   the nearest multiple of the base (halves up), each on its own; flag ``rounded``; a number
   that would round to 1..threshold-1, or to 0 from the threshold or more, is published as
   the first multiple of the base at or above the threshold instead. Rows may then not add
   up exactly: the report says so.
4. **Differential privacy** (optional, ``DisclosureSettings.epsilon``): each cell gets
   two-sided geometric noise (the discrete Laplace mechanism, ``P(k) ~ exp(-eps |k| / s)``,
   ``s`` the most cells one person can change), clipped at 0; totals are the sums of the noisy
   cells, so the table adds up; then rules 1 and 2 run on the noisy table (post-processing:
   no extra privacy cost). The noise is drawn from a numpy Generator seeded from
   ``DisclosureSettings.seed`` and the table's key. Budgets add up: a report of k tables of
   the same people spends ``k * epsilon``, and every new release (another report, another
   seed) spends it again. A fixed seed only reproduces one release; reusing it on changed
   data gives the same noise twice, and the difference of the two releases is then exact.
"""

from __future__ import annotations

import heapq
import math
import zlib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from unseen.errors import ConfigError
from unseen.reports.model import Cell, CellFlag, CountTable, DisclosureSettings

__all__ = [
    "ONE_D",
    "Protection",
    "check_settings",
    "geometric_noise",
    "noisy_count",
    "protect",
    "protect_counts",
    "round_to",
]

ONE_D = ("count",)  # the column codes of a 1-D table (model.CountTable)
IntArray = npt.NDArray[np.int64]
_INF = math.inf


def check_settings(settings: DisclosureSettings) -> DisclosureSettings:
    """Refuse settings that would publish unsafe or meaningless numbers."""
    if not isinstance(settings.threshold, int) or settings.threshold < 1:
        raise ConfigError(
            "the disclosure threshold is a whole number of people, 1 or more (1: no "
            "suppression) / 공개 기준값은 1 이상의 정수여야 합니다"
        )
    if settings.rounding is not None and (
        not isinstance(settings.rounding, int) or settings.rounding < 1
    ):
        raise ConfigError(
            "the rounding base is a whole number, 1 or more / "
            "반올림 단위는 1 이상의 정수여야 합니다"
        )
    if settings.epsilon is not None and not (
        isinstance(settings.epsilon, int | float) and 0 < settings.epsilon < math.inf
    ):
        raise ConfigError(
            "epsilon (the privacy budget per table) is a number above 0, e.g. 1.0 / "
            "엡실론(표마다의 프라이버시 예산)은 0보다 큰 수여야 합니다 (예: 1.0)"
        )
    return settings


@dataclass(frozen=True)
class Protection:
    """The flagged numbers of one table: cells ``[row][col]``, row totals, column totals."""

    cells: tuple[tuple[Cell, ...], ...]
    row_totals: tuple[Cell, ...]
    col_totals: tuple[Cell, ...]
    total: Cell

    @property
    def suppressed(self) -> int:
        every = [c for row in self.cells for c in row]
        return sum(c.suppressed for c in (*every, *self.row_totals, *self.col_totals, self.total))


def geometric_noise(
    shape: tuple[int, ...], epsilon: float, sensitivity: int, rng: np.random.Generator
) -> IntArray:
    """Two-sided geometric noise: ``P(k) = (1-a)/(1+a) a^|k|`` with ``a = exp(-eps/s)``, the
    difference of two geometric variables (Ghosh, Roughgarden and Sundararajan 2009)."""
    p = -math.expm1(-epsilon / sensitivity)  # 1 - a, exactly for small eps
    a = rng.geometric(p, size=shape).astype(np.int64)
    b = rng.geometric(p, size=shape).astype(np.int64)
    return a - b


def noisy_count(n: int, settings: DisclosureSettings, key: str) -> int:
    """``n`` with the table noise (sensitivity 1, clipped at 0) when ``settings`` ask for
    differential privacy; ``n`` itself otherwise. For single counts such as the number of
    people in a report, each of which spends ``epsilon`` too."""
    if settings.epsilon is None:
        return n
    noise = geometric_noise((1,), settings.epsilon, 1, _rng(settings, key))
    return max(0, n + int(noise[0]))


def _rng(settings: DisclosureSettings, key: str) -> np.random.Generator:
    if settings.seed is None:
        return np.random.default_rng()
    # Each table its own stream: the same noise on two tables would cancel in a difference.
    return np.random.default_rng([int(settings.seed) % 2**63, zlib.crc32(key.encode("utf-8"))])


def protect_counts(
    counts: Sequence[Sequence[int]] | IntArray,
    settings: DisclosureSettings = DisclosureSettings(),  # noqa: B008 (frozen, shared safely)
    *,
    one_d: bool = False,
    total_known: bool = False,
    sensitivity: int = 1,
    key: str = "",
    hide: Collection[tuple[int, int]] = (),
    publish_total: bool = True,
) -> Protection:
    """Flag the cells and totals of ``counts`` (rows x cols of non-negative integers; a 1-D
    table is one column with ``one_d=True``). ``total_known``: the grand total is published
    elsewhere (e.g. the people in the report), so it cannot hide a cell. ``sensitivity``: the
    most cells one person adds to (differential privacy only). ``key`` separates the noise
    of tables. ``hide``: numbers to hide whatever their size, as (row, col) of the table with
    its totals (row ``len(counts)`` is the column totals, column ``len(counts[0])`` the row
    totals; in 1-D, (row, 0), the total being row ``len(counts)``), e.g. because another
    table hides the same number; they are protected like small cells (flag ``secondary``).
    ``publish_total=False`` (1-D only): the cells need not add up to anything published (a
    total of person-types, say), so the total is hidden and the cells need no partner."""
    check_settings(settings)
    x = np.asarray(counts, dtype=np.int64)
    if x.ndim != 2 or (one_d and x.shape[1] != 1):
        raise ConfigError("counts are rows x columns (one column for a 1-D table)")
    if x.size and x.min() < 0:
        raise ConfigError("counts are never negative")
    if sensitivity < 1:
        raise ConfigError("sensitivity is at least 1")
    noisy = settings.epsilon is not None
    if settings.epsilon is not None:
        x = np.maximum(
            x + geometric_noise(x.shape, settings.epsilon, sensitivity, _rng(settings, key)), 0
        )
    forced = set(hide)
    if one_d:
        rows = {i for i, _ in forced}
        hidden_1d, flags_1d = _suppress_1d(
            x[:, 0], settings.threshold, total_known, rows, publish_total
        )
        return _assemble_1d(x[:, 0], hidden_1d, flags_1d, settings, noisy)
    if not publish_total:
        raise ConfigError("publish_total=False is for 1-D tables")
    aug = _augment(x)
    flags = _suppress_2d(aug, settings.threshold, total_known, forced)
    return _assemble_2d(aug, flags, settings, noisy)


def protect(
    key: str,
    rows: Sequence[str],
    cols: Sequence[str],
    counts: Mapping[tuple[str, str], int] | Mapping[str, int] | Sequence[Sequence[int]],
    settings: DisclosureSettings = DisclosureSettings(),  # noqa: B008 (frozen, shared safely)
    *,
    title_en: str,
    title_ko: str,
    row_labels: Sequence[str] | None = None,
    col_labels: Sequence[str] | None = None,
    unit_en: str = "people",
    unit_ko: str = "명",
    total_known: bool = False,
    sensitivity: int = 1,
    hide_row_totals: Collection[str] = (),
    hide_col_totals: Collection[str] = (),
    publish_total: bool = True,
) -> CountTable:
    """A :class:`CountTable` of ``counts`` after disclosure control.

    ``counts`` is a grid ``[row][col]``, a mapping ``{(row, col): n}``, or for a 1-D table
    (``cols == ONE_D``) a mapping ``{row: n}``; codes missing from a mapping count 0, and codes
    not in ``rows``/``cols`` are refused (a count must never vanish silently).
    ``hide_row_totals``/``hide_col_totals``: codes whose row or column totals must be hidden
    (because another table hides the same number; in 1-D a row's total is its cell);
    ``publish_total``: see :func:`protect_counts`."""
    rows, cols = tuple(rows), tuple(cols)
    grid = _grid(rows, cols, counts)
    one_d = cols == ONE_D
    if one_d:
        hide = [(i, 0) for i, r in enumerate(rows) if r in hide_row_totals]
    else:
        hide = [(i, len(cols)) for i, r in enumerate(rows) if r in hide_row_totals]
        hide += [(len(rows), j) for j, c in enumerate(cols) if c in hide_col_totals]
    p = protect_counts(
        grid,
        settings,
        one_d=one_d,
        total_known=total_known,
        sensitivity=sensitivity,
        key=key,
        hide=hide,
        publish_total=publish_total,
    )
    return CountTable(
        key=key,
        title_en=title_en,
        title_ko=title_ko,
        rows=rows,
        cols=cols,
        row_labels=tuple(row_labels) if row_labels is not None else rows,
        col_labels=tuple(col_labels) if col_labels is not None else cols,
        cells=p.cells,
        row_totals=p.row_totals,
        col_totals=p.col_totals,
        total=p.total,
        unit_en=unit_en,
        unit_ko=unit_ko,
    )


def _grid(
    rows: tuple[str, ...],
    cols: tuple[str, ...],
    counts: Mapping[tuple[str, str], int] | Mapping[str, int] | Sequence[Sequence[int]],
) -> IntArray:
    if not isinstance(counts, Mapping):
        grid = np.asarray(counts, dtype=np.int64)
        if grid.shape != (len(rows), len(cols)):
            raise ConfigError(f"counts are {grid.shape}, rows x cols is {len(rows)} x {len(cols)}")
        return grid
    r_at = {r: i for i, r in enumerate(rows)}
    c_at = {c: j for j, c in enumerate(cols)}
    grid = np.zeros((len(rows), len(cols)), dtype=np.int64)
    for k, n in counts.items():
        if isinstance(k, str):
            r, c = k, ONE_D[0]
        else:
            r, c = k
        if r not in r_at or c not in c_at:
            raise ConfigError(f"a count for ({r!r}, {c!r}) has no row or column in the table")
        grid[r_at[r], c_at[c]] += int(n)
    return grid


# -- 1-D ----------------------------------------------------------------------------------


def _small(v: int, threshold: int) -> bool:
    return 0 < v < threshold


def _suppress_1d(
    x: IntArray,
    threshold: int,
    total_known: bool,
    forced: Collection[int] = (),
    publish_total: bool = True,
) -> tuple[list[bool], list[CellFlag]]:
    """Hidden flags of the cells and, last, of the total. The table's one equation is
    ``sum(cells) = total``; a known total is a published number of that equation."""
    n = len(x)
    values = [int(v) for v in x] + [int(x.sum())]
    flags: list[CellFlag] = ["primary" if _small(v, threshold) else "" for v in values]
    for i in forced:
        flags[i] = flags[i] or "secondary"
    if not publish_total:
        flags[n] = flags[n] or "secondary"
        return [bool(f) for f in flags], flags
    unknowns = sum(1 for f in flags[:n] if f) + (0 if total_known else bool(flags[n]))
    if unknowns == 1:
        # One hidden number in one equation: hide the smallest other positive cell; failing
        # that, the total, or when the total is public a 0 cell, which still leaves a range.
        free = [i for i in range(n) if not flags[i]]
        positive = [i for i in free if values[i] > 0]
        if positive:
            flags[min(positive, key=lambda i: (values[i], i))] = "secondary"
        elif not total_known:
            flags[n] = "secondary"
        elif free:
            flags[free[0]] = "secondary"
    return [bool(f) for f in flags], flags


def _assemble_1d(
    x: IntArray,
    hidden: list[bool],
    flags: list[CellFlag],
    settings: DisclosureSettings,
    noisy: bool,
) -> Protection:
    values = [int(v) for v in x] + [int(x.sum())]
    out = [_cell(v, h, f, settings, noisy) for v, h, f in zip(values, hidden, flags, strict=True)]
    cells = tuple((c,) for c in out[:-1])
    return Protection(cells, tuple(out[:-1]), (out[-1],), out[-1])


# -- 2-D ----------------------------------------------------------------------------------


def _augment(x: IntArray) -> IntArray:
    r, c = x.shape
    aug = np.zeros((r + 1, c + 1), dtype=np.int64)
    aug[:r, :c] = x
    aug[:r, c] = x.sum(axis=1)
    aug[r, :c] = x.sum(axis=0)
    aug[r, c] = x.sum()
    return aug


def _suppress_2d(
    aug: IntArray,
    threshold: int,
    total_known: bool,
    forced: Collection[tuple[int, int]] = (),
) -> list[list[CellFlag]]:
    nr, nc = aug.shape
    corner = (nr - 1, nc - 1)
    flags: list[list[CellFlag]] = [
        ["primary" if _small(int(aug[i, j]), threshold) else "" for j in range(nc)]
        for i in range(nr)
    ]
    for i, j in forced:
        # a forced 0 needs no protection: 0 identifies no one, and it is published elsewhere
        if aug[i, j] > 0:
            flags[i][j] = flags[i][j] or "secondary"
    # A total published elsewhere is no unknown, even when flagged here as small.
    known = {corner} if total_known else set()
    # Smallest first, so that their paths are the ones later cells reuse.
    while True:
        edges = [
            (i, j) for i in range(nr) for j in range(nc) if flags[i][j] and (i, j) not in known
        ]
        bridges = _bridges(nr, nc, edges)
        if not bridges:
            return flags
        i, j = min(bridges, key=lambda e: (int(aug[e]), e))
        path = _cheapest_path(aug, flags, i, j, avoid=known)
        if path is None and known:
            # Everyone is in the hidden cell's row, column or cell, so with the total known
            # it is given away by whatever is left published: hide the whole table but its
            # total (each hidden number is then anything from 0 to the total).
            for a in range(nr):
                for b in range(nc):
                    if (a, b) != corner and not flags[a][b]:
                        flags[a][b] = "secondary"
            return flags
        if path is None:  # cannot happen: a positive hidden cell's totals are positive
            raise ConfigError("secondary suppression found no cells to hide")
        for a, b in path:
            if not flags[a][b]:
                flags[a][b] = "secondary"


def _bridges(nr: int, nc: int, edges: Sequence[tuple[int, int]]) -> set[tuple[int, int]]:
    """Hidden cells that lie on no cycle of hidden cells (bridges of the row/column graph)."""
    # nodes: rows 0..nr-1, columns nr..nr+nc-1
    adj: dict[int, list[tuple[int, int]]] = {}
    for k, (i, j) in enumerate(edges):
        adj.setdefault(i, []).append((nr + j, k))
        adj.setdefault(nr + j, []).append((i, k))
    disc: dict[int, int] = {}
    low: dict[int, int] = {}
    out: set[tuple[int, int]] = set()
    counter = 0
    for root in adj:
        if root in disc:
            continue
        disc[root] = low[root] = counter
        counter += 1
        stack: list[tuple[int, int, int]] = [(root, -1, 0)]  # node, edge in, next neighbour
        while stack:
            node, via, nxt = stack[-1]
            if nxt < len(adj[node]):
                stack[-1] = (node, via, nxt + 1)
                other, k = adj[node][nxt]
                if k == via:
                    continue
                if other in disc:
                    low[node] = min(low[node], disc[other])
                else:
                    disc[other] = low[other] = counter
                    counter += 1
                    stack.append((other, k, 0))
            else:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > disc[parent]:
                        out.add(edges[via])
    return out


def _cheapest_path(
    aug: IntArray,
    flags: list[list[CellFlag]],
    i0: int,
    j0: int,
    avoid: set[tuple[int, int]],
) -> list[tuple[int, int]] | None:
    """Cells of the cheapest path from row line ``i0`` to column line ``j0`` that avoids cell
    (i0, j0) and ``avoid``: positive cells only, hidden ones free, others cost their count."""
    nr, nc = aug.shape
    start, goal = i0, nr + j0
    dist: dict[int, float] = {start: 0.0}
    back: dict[int, tuple[int, tuple[int, int]]] = {}
    heap: list[tuple[float, int, int]] = [(0.0, 0, start)]
    tie = 0
    while heap:
        d, _, node = heapq.heappop(heap)
        if d > dist.get(node, _INF):
            continue
        if node == goal:
            break
        if node < nr:
            steps = [((node, j), nr + j) for j in range(nc)]
        else:
            steps = [((i, node - nr), i) for i in range(nr)]
        for cell, other in steps:
            if cell == (i0, j0) or aug[cell] <= 0 or cell in avoid:
                continue
            # Each newly hidden cell costs its count plus one, so fewer cells win a tie.
            cost = 0.0 if flags[cell[0]][cell[1]] else float(aug[cell]) + 1.0
            nd = d + cost
            if nd < dist.get(other, _INF):
                dist[other] = nd
                back[other] = (node, cell)
                tie += 1
                heapq.heappush(heap, (nd, tie, other))
    if goal not in back:
        return None
    path: list[tuple[int, int]] = []
    node = goal
    while node != start:
        node, cell = back[node]
        path.append(cell)
    return path


def _assemble_2d(
    aug: IntArray, flags: list[list[CellFlag]], settings: DisclosureSettings, noisy: bool
) -> Protection:
    nr, nc = aug.shape
    grid = [
        [_cell(int(aug[i, j]), bool(flags[i][j]), flags[i][j], settings, noisy) for j in range(nc)]
        for i in range(nr)
    ]
    return Protection(
        cells=tuple(tuple(row[: nc - 1]) for row in grid[: nr - 1]),
        row_totals=tuple(row[nc - 1] for row in grid[: nr - 1]),
        col_totals=tuple(grid[nr - 1][: nc - 1]),
        total=grid[nr - 1][nc - 1],
    )


def _cell(v: int, hidden: bool, flag: CellFlag, settings: DisclosureSettings, noisy: bool) -> Cell:
    if hidden:
        return Cell(None, flag)
    if settings.rounding is not None and settings.rounding > 1:
        r = round_to(v, settings.rounding)
        if 0 < r < settings.threshold or (r == 0 and v >= settings.threshold):
            # Never a rounded number that reads as a small cell: the first multiple at or
            # above the threshold (the true value is at least the threshold).
            r = -(-settings.threshold // settings.rounding) * settings.rounding
        return Cell(r, "noisy" if noisy else "rounded")
    return Cell(v, "noisy" if noisy else "")


def round_to(v: int, base: int) -> int:
    """Nearest multiple of ``base``, halves up (no banker's rounding: 5 to base 10 is 10)."""
    return ((2 * v + base) // (2 * base)) * base
