"""Known answers of disclosure control: which cells are hidden, and why."""

from __future__ import annotations

import pytest

from unseen.errors import ConfigError
from unseen.reports.disclosure import ONE_D, protect, protect_counts
from unseen.reports.model import Cell, DisclosureSettings


def values(cells: tuple[Cell, ...]) -> list[int | None]:
    return [c.value for c in cells]


def test_a_small_cell_and_its_smallest_partner_are_hidden_in_a_1d_table() -> None:
    p = protect_counts([[3], [7], [20], [0]], one_d=True)
    assert [c[0].flag for c in p.cells] == ["primary", "secondary", "", ""]
    assert p.total == Cell(30)  # 3 + 7 = 10 is known, but not how it splits
    assert p.row_totals == tuple(c[0] for c in p.cells)


def test_zero_is_published_and_a_lone_small_cell_is_hidden_with_its_total() -> None:
    p = protect_counts([[0], [3], [0]], one_d=True)
    assert values(tuple(c[0] for c in p.cells)) == [0, None, 0]
    assert p.total == Cell(None, "primary")  # 3 as well: nothing else to hide


def test_a_known_total_hides_a_zero_cell_when_nothing_else_is_left() -> None:
    p = protect_counts([[0], [3], [0]], one_d=True, total_known=True)
    assert [c[0].flag for c in p.cells] == ["secondary", "primary", ""]
    assert p.total == Cell(None, "primary")  # 3: small, though published elsewhere


def test_2d_a_small_cell_is_hidden_on_a_rectangle_of_the_cheapest_cells() -> None:
    grid = [[2, 10, 30], [8, 9, 40], [50, 60, 70]]
    p = protect_counts(grid)
    hidden = {(i, j) for i, row in enumerate(p.cells) for j, c in enumerate(row) if c.suppressed}
    assert hidden == {(0, 0), (0, 1), (1, 0), (1, 1)}  # 2 with 10, 8, 9: the cheapest cycle
    assert p.cells[0][0].flag == "primary" and p.cells[1][1].flag == "secondary"
    assert values(p.row_totals) == [42, 57, 180] and values(p.col_totals) == [60, 79, 140]


def test_2d_a_row_with_one_positive_cell_hides_totals() -> None:
    p = protect_counts([[3, 0], [10, 20]])
    assert p.cells[0][0].flag == "primary"
    assert p.cells[0][1] == Cell(0)
    assert p.row_totals[0].suppressed  # 3: primary itself
    assert p.suppressed >= 4


def test_threshold_one_publishes_everything() -> None:
    p = protect_counts([[1, 2], [3, 4]], DisclosureSettings(threshold=1))
    assert p.suppressed == 0


def test_protect_reads_mappings_by_code_and_refuses_unknown_codes() -> None:
    t = protect("by_sex", ("F", "M"), ONE_D, {"F": 12, "M": 7}, title_en="Sex", title_ko="성별")
    assert values(tuple(c[0] for c in t.cells)) == [12, 7] and t.total == Cell(19)
    t2 = protect("yv", ("2010", "2011"), ("A", "B"), {("2010", "A"): 9, ("2011", "B"): 6},
                 title_en="t", title_ko="t")  # fmt: skip
    assert values(t2.cells[0]) == [9, 0] and t2.row_labels == ("2010", "2011")
    with pytest.raises(ConfigError, match="no row or column"):
        protect("x", ("F",), ONE_D, {"Z": 1}, title_en="t", title_ko="t")


@pytest.mark.parametrize(
    ("settings", "match"),
    [
        (DisclosureSettings(threshold=0), "threshold"),
        (DisclosureSettings(rounding=0), "rounding"),
        (DisclosureSettings(epsilon=0.0), "epsilon"),
        (DisclosureSettings(epsilon=float("inf")), "epsilon"),
    ],
)
def test_bad_settings_say_what_to_use(settings: DisclosureSettings, match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        protect_counts([[1]], settings)


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ConfigError, match="negative"):
        protect_counts([[-1, 2]])


def test_a_known_2d_total_is_never_a_complement() -> None:
    grid = [[3, 0], [0, 40]]
    assert protect_counts(grid).total.suppressed  # 3, r1, c1, T: the cheapest cycle
    p = protect_counts(grid, total_known=True)
    assert not p.total.suppressed
    assert p.cells[1][1].suppressed  # 3 and 40 hide each other through the totals


def test_everyone_in_one_row_with_a_known_total_hides_the_whole_table() -> None:
    p = protect_counts([[2, 2], [0, 0]], DisclosureSettings(threshold=5), total_known=True)
    assert all(c.suppressed for row in p.cells for c in row)
    assert all(c.suppressed for c in (*p.row_totals, *p.col_totals))
    assert p.total == Cell(None, "primary")  # 4: small, and published elsewhere
    p = protect_counts([[30, 0], [2, 0]], DisclosureSettings(threshold=5), total_known=True)
    assert not p.total.suppressed and p.cells[0][1] == Cell(0)  # 2 + 30 in column 0: a cycle


def test_numbers_hidden_elsewhere_are_hidden_and_protected_here() -> None:
    p = protect_counts([[20, 30], [40, 50]], hide=[(2, 0)])  # column 0's total: 60
    assert p.col_totals[0] == Cell(None, "secondary")
    assert p.col_totals[1].suppressed  # else 150 - 80 gives it back
    t = protect("t", ("a", "b"), ("x", "y"), [[20, 30], [40, 50]], hide_row_totals=("b",),
                title_en="t", title_ko="t")  # fmt: skip
    assert t.row_totals[1].suppressed and t.row_totals[0].suppressed


def test_a_1d_table_without_a_total_hides_only_small_cells() -> None:
    p = protect_counts([[3], [7], [20]], one_d=True, publish_total=False)
    assert [c[0].flag for c in p.cells] == ["primary", "", ""]
    assert p.total == Cell(None, "secondary")
    with pytest.raises(ConfigError, match="1-D"):
        protect_counts([[3, 4]], publish_total=False)


def test_a_headline_count_gets_noise_only_under_dp() -> None:
    from unseen.reports.disclosure import noisy_count

    assert noisy_count(17, DisclosureSettings(), "n") == 17
    dp = DisclosureSettings(epsilon=0.2, seed=5)
    draws = {noisy_count(17, DisclosureSettings(epsilon=0.2, seed=s), "n") for s in range(20)}
    assert noisy_count(17, dp, "n") == noisy_count(17, dp, "n") and len(draws) > 3
    assert min(draws) >= 0
