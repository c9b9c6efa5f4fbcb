"""Capture histories (FORMATS.md s3): which lists each observed person is on, as counts.

A pattern is a 0/1 row over the lists; its *index* is ``sum(bit_j << j)``, so list 0 is the
lowest bit. The all-zero pattern (index 0) is the unknown dark figure and is never stored.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from unseen.errors import InputError, Problem, ValidationFailed
from unseen.estimation._bilingual import both

__all__ = ["CaptureHistories", "collapse", "pattern_index", "read_capture_histories"]

MAX_LISTS = 20  # 2**20 cells: beyond this no method here is meaningful


def pattern_index(patterns: npt.NDArray[Any]) -> npt.NDArray[np.int64]:
    """Index ``sum(bit_j << j)`` of each 0/1 row of ``patterns`` (shape (k, t))."""
    p = np.asarray(patterns, dtype=np.int64)
    weights = np.left_shift(np.int64(1), np.arange(p.shape[1], dtype=np.int64))
    return p @ weights


def _bits(index: npt.NDArray[np.int64], t: int) -> npt.NDArray[np.int8]:
    return ((index[:, None] >> np.arange(t)) & 1).astype(np.int8)


@dataclass(frozen=True, eq=False)
class CaptureHistories:
    """Observed capture patterns and their counts, for one stratum (or for everyone).

    Build with :meth:`from_counts`, which validates and canonicalises (duplicate patterns
    merged, zero counts dropped, rows sorted by pattern index); the arrays are read-only.
    """

    lists: tuple[str, ...]
    patterns: npt.NDArray[np.int8]
    counts: npt.NDArray[np.int64]
    stratum: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        patterns = np.array(self.patterns, dtype=np.int8, copy=True)
        counts = np.array(self.counts, dtype=np.int64, copy=True)
        t = len(self.lists)
        if patterns.ndim != 2 or patterns.shape[1] != t or counts.shape != (patterns.shape[0],):
            raise ValueError("patterns must be (k, len(lists)) and counts (k,)")
        idx = pattern_index(patterns)
        if (
            np.any((patterns != 0) & (patterns != 1))
            or np.any(idx == 0)
            or np.any(counts <= 0)
            or len(np.unique(idx)) != len(idx)
        ):
            raise ValueError(
                "patterns must be unique non-zero 0/1 rows with positive counts; "
                "use CaptureHistories.from_counts to clean them"
            )
        order = np.argsort(idx, kind="stable")
        patterns, counts = patterns[order], counts[order]
        patterns.setflags(write=False)
        counts.setflags(write=False)
        object.__setattr__(self, "lists", tuple(str(x) for x in self.lists))
        object.__setattr__(self, "patterns", patterns)
        object.__setattr__(self, "counts", counts)
        object.__setattr__(self, "stratum", tuple((str(a), str(b)) for a, b in self.stratum))

    @classmethod
    def from_counts(
        cls,
        lists: Sequence[str],
        patterns: Iterable[Sequence[int]] | npt.ArrayLike,
        counts: Iterable[int] | npt.ArrayLike,
        *,
        stratum: Sequence[tuple[str, str]] = (),
    ) -> CaptureHistories:
        """Validate and canonicalise: 0/1 patterns of width ``len(lists)``, non-negative
        integer counts; duplicates are summed, zero counts dropped. Raises ``InputError``."""
        names = tuple(str(x) for x in lists)
        if len(names) < 1 or len(set(names)) != len(names):
            raise InputError(
                both(
                    "list names must be non-empty and distinct",
                    "명단 이름은 비어 있지 않고 서로 달라야 합니다",
                )
            )
        if len(names) > MAX_LISTS:
            raise InputError(
                both(
                    f"{len(names)} lists: at most {MAX_LISTS} are supported; merge small lists",
                    f"명단 {len(names)}개: 최대 {MAX_LISTS}개까지 가능합니다. 작은 명단을 합치세요",
                )
            )
        p = np.asarray(patterns if isinstance(patterns, np.ndarray) else list(patterns))  # type: ignore[arg-type]
        c = np.asarray(counts if isinstance(counts, np.ndarray) else list(counts))  # type: ignore[arg-type]
        t = len(names)
        if p.size == 0:
            p = p.reshape(0, t)
        if p.ndim != 2 or p.shape[1] != t:
            raise InputError(
                both(
                    f"each pattern needs {t} values, one per list",
                    f"각 패턴에는 명단마다 하나씩 {t}개의 값이 필요합니다",
                )
            )
        if c.shape != (p.shape[0],):
            raise InputError(
                both("one count per pattern is needed", "패턴마다 개수가 하나씩 필요합니다")
            )
        if not np.all(np.isin(p, (0, 1))):
            raise InputError(
                both("pattern values must be 0 or 1", "패턴 값은 0 또는 1이어야 합니다")
            )
        cf = c.astype(np.float64) if c.size else np.zeros(0)
        if c.size and (not np.all(np.isfinite(cf)) or np.any(cf < 0) or np.any(cf != np.floor(cf))):
            raise InputError(
                both(
                    "counts must be non-negative integers",
                    "개수는 0 이상의 정수여야 합니다",
                )
            )
        idx = pattern_index(p.astype(np.int64))
        c64 = cf.astype(np.int64)
        if np.any((idx == 0) & (c64 > 0)):
            raise InputError(
                both(
                    "the all-zero pattern (on no list) cannot have been observed",
                    "어느 명단에도 없는 패턴(모두 0)은 관측될 수 없습니다",
                )
            )
        full = np.bincount(idx, weights=c64, minlength=2**t).astype(np.int64)
        keep = np.flatnonzero(full[1:]) + 1
        return cls(names, _bits(keep.astype(np.int64), t), full[keep], tuple(stratum))

    @property
    def observed(self) -> int:
        """Number of distinct people seen on at least one list."""
        return int(self.counts.sum())

    @property
    def n_lists(self) -> int:
        return len(self.lists)

    @property
    def index(self) -> npt.NDArray[np.int64]:
        """Pattern index of each stored row."""
        return pattern_index(self.patterns)

    def full_counts(self) -> npt.NDArray[np.int64]:
        """Counts of all ``2**t - 1`` observable patterns; entry ``i - 1`` is pattern index i."""
        out = np.zeros(2**self.n_lists - 1, dtype=np.int64)
        out[self.index - 1] = self.counts
        return out

    def list_totals(self) -> npt.NDArray[np.int64]:
        """People on each list."""
        out: npt.NDArray[np.int64] = self.counts @ self.patterns.astype(np.int64)
        return out

    def overlap_matrix(self) -> npt.NDArray[np.int64]:
        """People on both list i and list j (diagonal: on list i)."""
        p = self.patterns.astype(np.int64)
        out: npt.NDArray[np.int64] = (p * self.counts[:, None]).T @ p
        return out

    def permuted(self, order: Sequence[int]) -> CaptureHistories:
        """The same table with the lists in ``order``."""
        o = list(order)
        if sorted(o) != list(range(self.n_lists)):
            raise ValueError("order must be a permutation of range(n_lists)")
        return CaptureHistories.from_counts(
            [self.lists[i] for i in o], self.patterns[:, o], self.counts, stratum=self.stratum
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CaptureHistories):
            return NotImplemented
        return (
            self.lists == other.lists
            and self.stratum == other.stratum
            and np.array_equal(self.patterns, other.patterns)
            and np.array_equal(self.counts, other.counts)
        )

    def __hash__(self) -> int:
        return hash((self.lists, self.stratum, self.patterns.tobytes(), self.counts.tobytes()))

    def __repr__(self) -> str:
        where = f", stratum={dict(self.stratum)}" if self.stratum else ""
        return (
            f"CaptureHistories(lists={list(self.lists)}, patterns={len(self.counts)}, "
            f"observed={self.observed}{where})"
        )


def collapse(histories: Sequence[CaptureHistories]) -> CaptureHistories:
    """Sum strata into one table (same lists, in the same order)."""
    if not histories:
        raise InputError(both("no capture histories to combine", "합칠 포획 이력이 없습니다"))
    lists = histories[0].lists
    for h in histories[1:]:
        if h.lists != lists:
            raise InputError(
                both(
                    "strata have different lists and cannot be combined",
                    "층마다 명단이 달라 합칠 수 없습니다",
                )
            )
    patterns = np.concatenate([h.patterns for h in histories]).reshape(-1, len(lists))
    counts = np.concatenate([h.counts for h in histories])
    return CaptureHistories.from_counts(lists, patterns, counts)


# --- reading FORMATS.md s3 files -------------------------------------------------------------

Pair = tuple[str, str]  # (English, Korean)
COMMA_FIX: Pair = ("check for a missing or stray comma", "빠지거나 잘못 들어간 쉼표를 확인하세요")
NOT_BINARY: Pair = ("a list column takes 0 or 1", "명단 열에는 0 또는 1만 쓸 수 있습니다")
NOT_BINARY_FIX: Pair = (
    "write 1 (on the list) or 0 (not on it)",
    "1(명단에 있음) 또는 0(없음)을 쓰세요",
)
NOT_BINARY_OR_STRATUM_FIX: Pair = (
    "write 1 (on the list) or 0 (not on it); if the column is a stratum, name it as one (--strata)",
    "1(명단에 있음) 또는 0(없음)을 쓰세요. 층 열이라면 층으로 지정하세요(--strata)",
)


def _problem(file: str, row: int | None, column: str | None, reason: Pair, fix: Pair) -> Problem:
    return Problem(file, row, column, both(*reason), both(*fix))


def read_capture_histories(
    path: str | Path, *, strata: Sequence[str] | None = None
) -> tuple[CaptureHistories, ...]:
    """Read a capture-history CSV: 0/1 list columns, optional text stratum columns, and a last
    column ``count``. One :class:`CaptureHistories` per stratum, in order of first appearance.

    Without ``strata``, a column whose values are all ``0``/``1`` is a list and any other column
    is a stratum; name the stratum columns to be explicit (a stratum coded 0/1 needs this).
    Raises ``InputError`` when the file cannot be read, ``ValidationFailed`` listing every
    problem otherwise.
    """
    p = Path(path)
    name = p.name
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise InputError(
            both(
                f"{name}: cannot be read ({exc.strerror or type(exc).__name__}); check the path",
                f"{name}: 읽을 수 없습니다. 경로를 확인하세요",
            )
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(
            both(
                f"{name}: not UTF-8 text; save it as 'CSV UTF-8' and try again",
                f"{name}: UTF-8 텍스트가 아닙니다. 'CSV UTF-8' 형식으로 다시 저장하세요",
            )
        ) from None
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise InputError(
            both(f"{name}: not valid CSV ({exc})", f"{name}: 올바른 CSV가 아닙니다")
        ) from None
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        raise ValidationFailed(
            [
                _problem(
                    name,
                    None,
                    None,
                    ("the file is empty", "파일이 비어 있습니다"),
                    (
                        "write a header row, then one row per pattern",
                        "머리글 행과 패턴마다 한 행을 쓰세요",
                    ),
                )
            ]
        )
    header = [h.strip() for h in rows[0]]
    body = rows[1:]
    problems: list[Problem] = []
    if not header or header[-1] != "count":
        raise ValidationFailed(
            [
                _problem(
                    name,
                    1,
                    header[-1] if header else None,
                    ("the last column must be 'count'", "마지막 열은 'count'여야 합니다"),
                    (
                        "put the number of people with each pattern in a last column 'count'",
                        "패턴별 인원 수를 마지막 열 'count'에 쓰세요",
                    ),
                )
            ]
        )
    seen: set[str] = set()
    for h in header:
        if not h or h in seen:
            problems.append(
                _problem(
                    name,
                    1,
                    h or None,
                    ("a column name is empty or repeated", "열 이름이 비어 있거나 중복되었습니다"),
                    ("give every column a distinct name", "모든 열에 서로 다른 이름을 쓰세요"),
                )
            )
        seen.add(h)
    if problems:
        raise ValidationFailed(problems)
    if not body:
        raise ValidationFailed(
            [
                _problem(
                    name,
                    None,
                    None,
                    ("the file has a header but no patterns", "머리글만 있고 패턴이 없습니다"),
                    ("add one row per capture pattern", "포획 패턴마다 한 행을 추가하세요"),
                )
            ]
        )
    width = len(header)
    cells: list[list[str] | None] = []  # None: a row of the wrong width, already reported
    for r, row in enumerate(body, start=2):
        if len(row) != width:
            problems.append(
                _problem(
                    name,
                    r,
                    None,
                    (
                        f"{len(row)} values, the header has {width}",
                        f"값이 {len(row)}개인데 머리글은 {width}개입니다",
                    ),
                    COMMA_FIX,
                )
            )
            cells.append(None)
        else:
            cells.append([c.strip() for c in row])
    columns = header[:-1]
    if strata is not None:
        unknown = [s for s in strata if s not in columns]
        for s in unknown:
            problems.append(
                _problem(
                    name,
                    1,
                    s,
                    ("no such stratum column", "그런 층 열이 없습니다"),
                    (
                        f"use one of: {', '.join(columns)}",
                        f"다음 중 하나를 쓰세요: {', '.join(columns)}",
                    ),
                )
            )
        strata_cols = [c for c in columns if c in set(strata)]
    else:
        strata_cols = []
        for j, col in enumerate(columns):
            values = [row[j] for row in cells if row is not None]
            binary = sum(v in ("0", "1") for v in values)
            if binary == len(values):
                continue
            if binary * 2 > len(values):
                # Mostly 0/1: almost certainly a list column with a typo, not a stratum.
                for r, line in enumerate(cells, start=2):
                    if line is not None and line[j] not in ("0", "1"):
                        problems.append(
                            _problem(name, r, col, NOT_BINARY, NOT_BINARY_OR_STRATUM_FIX)
                        )
                continue
            strata_cols.append(col)
    list_cols = [c for c in columns if c not in strata_cols]
    if len(list_cols) < 2:
        problems.append(
            _problem(
                name,
                1,
                None,
                (
                    f"{len(list_cols)} list column(s); estimation needs at least 2",
                    f"명단 열이 {len(list_cols)}개입니다. 추정에는 2개 이상이 필요합니다",
                ),
                ("add one 0/1 column per list", "명단마다 0/1 열을 하나씩 추가하세요"),
            )
        )
    if len(list_cols) > MAX_LISTS:
        problems.append(
            _problem(
                name,
                1,
                None,
                (
                    f"{len(list_cols)} list columns; at most {MAX_LISTS} are supported",
                    f"명단 열이 {len(list_cols)}개입니다. 최대 {MAX_LISTS}개까지 가능합니다",
                ),
                ("merge small lists", "작은 명단을 합치세요"),
            )
        )
    if problems:
        raise ValidationFailed(problems)
    li = [columns.index(c) for c in list_cols]
    si = [columns.index(c) for c in strata_cols]
    groups: dict[tuple[str, ...], tuple[list[list[int]], list[int]]] = {}
    for r, maybe in enumerate(cells, start=2):
        if maybe is None:
            continue
        row = maybe
        bad = False
        pattern: list[int] = []
        for j in li:
            v = row[j]
            if v not in ("0", "1"):
                problems.append(_problem(name, r, columns[j], NOT_BINARY, NOT_BINARY_FIX))
                bad = True
            else:
                pattern.append(int(v))
        key = tuple(row[j] for j in si)
        for j in si:
            if not row[j]:
                problems.append(
                    _problem(
                        name,
                        r,
                        columns[j],
                        ("the stratum is empty", "층 값이 비어 있습니다"),
                        ("fill it in, e.g. 'unknown'", "값을 채우세요(예: 'unknown')"),
                    )
                )
                bad = True
        count_text = row[-1]
        if not count_text.isdigit() or not count_text.isascii():
            problems.append(
                _problem(
                    name,
                    r,
                    "count",
                    (
                        "count must be a non-negative whole number",
                        "count는 0 이상의 정수여야 합니다",
                    ),
                    (
                        "write the number of people with this pattern, e.g. 12",
                        "이 패턴의 인원 수를 쓰세요(예: 12)",
                    ),
                )
            )
            bad = True
        if bad:
            continue
        count = int(count_text)
        if not any(pattern) and count > 0:
            problems.append(
                _problem(
                    name,
                    r,
                    None,
                    (
                        "the all-zero pattern (on no list) cannot have been observed",
                        "어느 명단에도 없는 패턴(모두 0)은 관측될 수 없습니다",
                    ),
                    (
                        "delete this row: people on no list are what is estimated",
                        "이 행을 지우세요. 어느 명단에도 없는 사람이 추정 대상입니다",
                    ),
                )
            )
            continue
        pats, cnts = groups.setdefault(key, ([], []))
        pats.append(pattern)
        cnts.append(count)
    if problems:
        raise ValidationFailed(problems)
    t = len(list_cols)
    return tuple(
        CaptureHistories.from_counts(
            list_cols,
            np.asarray(pats, dtype=np.int64).reshape(-1, t),
            np.asarray(cnts, dtype=np.int64),
            stratum=tuple(zip(strata_cols, key, strict=True)),
        )
        for key, (pats, cnts) in groups.items()
    )
