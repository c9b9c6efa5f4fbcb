"""What the templates print: cells, the headline, the methods appendix, the cited treaties."""

from __future__ import annotations

import dataclasses
from types import MappingProxyType

from renderkit import P, S, c, sample_report

from unseen.reports.model import Cell
from unseen.reports.sections import cell_view, cited_instruments, flatten, headline


def test_cells_print_marks_and_approximations() -> None:
    assert cell_view(c(1234), "en", 5).text == "1,234"
    assert cell_view(P, "en", 5).text == "<5" and "primary" in cell_view(P, "en", 5).css
    assert cell_view(P, "ko", 10).note == "10명 미만, 비공개"
    assert cell_view(S, "en", 5).text == "×" and "secondary" in cell_view(S, "en", 5).css
    assert cell_view(Cell(120, "rounded"), "en", 5).text == "≈120"
    assert cell_view(Cell(37, "noisy"), "en", 5).text == "≈37"


def test_headline_known_answers() -> None:
    head = headline(sample_report("en"))
    assert (head.documented, head.estimate, head.interval) == ("899", "2,731", "2,104 – 3,652")
    assert head.share == "67%" and head.share_interval == "57% – 75%"  # 1 - 899/2731 ...
    assert head.truth == "2,900" and head.level == "95%"
    plain = headline(sample_report("en", demo=False))
    assert plain.truth == ""
    data = sample_report("ko")
    none = headline(dataclasses.replace(data, estimates=data.estimates[2:3]))  # not estimable
    assert none.estimate == "" and none.note.startswith("추정 불가: too few people")


def test_methods_rows_flatten_translate_and_skip_empty() -> None:
    rows = flatten(
        MappingProxyType(
            {
                "records": 1135,
                "seed": 2026,
                "level": 0.95,
                "message": "",
                "notes": (),
                "quality": MappingProxyType({"precision": 0.98123, "recall": 0.9}),
                "trace": tuple(range(100)),
                "lists": ("A", "B"),
                "unknown_key": True,
            }
        ),
        "ko",
    )
    assert rows == [
        ("기록", "1,135"),
        ("난수 시드", "2026"),
        ("구간 수준", "95%"),
        ("품질 · 정밀도", "0.9812"),
        ("품질 · 재현율", "0.9"),
        ("trace", "값 100개"),
        ("명단", "A, B"),
        ("unknown key", "예"),
    ]


def test_cited_instruments_resolve_with_state_status() -> None:
    cited = {i.code: i for i in cited_instruments(sample_report("en"))}
    assert list(cited) == ["PALERMO", "CEDAW", "CRC", "CAT", "RC1951", "ROME"]
    assert cited["PALERMO"].year == "2000" and "not party" in cited["PALERMO"].dprk
