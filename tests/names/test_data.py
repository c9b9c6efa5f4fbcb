"""The shipped tables: present, attributed, and consistent with each other."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from unseen.names._tables import given_hanja, given_syllables, surnames, surnames_by_hanja

DOCS = Path(__file__).resolve().parents[2] / "docs" / "names-and-places.md"


def test_tables_load() -> None:
    assert len(surnames()) == 105 + 3
    assert len(given_syllables()) == 45
    assert len({r.hanja for r in given_hanja().values()}) >= 200


def test_every_syllable_table_hanja_has_a_reading() -> None:
    readings = given_hanja()
    for g in given_syllables():
        for chars in g.hanja:
            for ch in chars:
                assert ch in readings, ch


def test_surname_hanja_in_both_scripts() -> None:
    index = surnames_by_hanja()
    assert index["朴"][2] == "Piao" and index["金"][0].hangul == "김"
    assert index["鄭"][0] is index["郑"][0]
    assert index["南宮"][0] is index["南宫"][0]
    assert index["獨孤"][0].hangul == "독고"


def test_readme_carries_the_attribution() -> None:
    readme = (
        resources.files("unseen.names").joinpath("data").joinpath("README.md").read_text("utf-8")
    )
    assert "CC BY 4.0" in readme and "korean-name-generator" in readme


def test_docs_mention_every_public_name() -> None:
    import unseen.names as names
    import unseen.places as places

    text = DOCS.read_text("utf-8")
    for name in (*names.__all__, *places.__all__):
        if name[0].islower():
            assert f"{name}" in text, name
