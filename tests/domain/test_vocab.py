"""The shipped vocabularies: complete, consistent with each other, read-only."""

from __future__ import annotations

import csv
from importlib import resources

import pytest

from unseen.domain import vocab
from unseen.errors import ValueNotUnderstood


def _csv_rows(name: str) -> list[dict[str, str]]:
    text = resources.files("unseen.domain").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@pytest.mark.parametrize(
    ("loader", "name", "expected"),
    [
        (vocab.violation_types, "violation_types.csv", 27),
        (vocab.perpetrator_types, "perpetrator_types.csv", 24),
        (vocab.legal_instruments, "legal_instruments.csv", 18),
        (vocab.victim_attributes, "victim_attributes.csv", 26),
    ],
)
def test_counts_equal_csv_rows(loader: object, name: str, expected: int) -> None:
    mapping = loader()  # type: ignore[operator]
    assert len(mapping) == len(_csv_rows(name)) == expected


def test_every_parent_exists_and_hierarchy_is_shallow() -> None:
    types = vocab.violation_types()
    for v in types.values():
        if v.parent is not None:
            assert v.parent in types
            assert types[v.parent].parent is None  # two levels only
    assert {c for c, v in types.items() if v.parent == "TIP"} == {
        "TIP.DECEPT",
        "TIP.ABDUCT",
        "TIP.SALE",
    }


def test_every_instrument_referenced_exists() -> None:
    instruments = vocab.legal_instruments()
    unresolved = []
    for v in vocab.violation_types().values():
        assert v.instruments, v.code
        for ref in v.instruments:
            if ref.instrument_id is None:
                unresolved.append((v.code, ref.text))
            else:
                assert ref.instrument_id in instruments
    # the one known gap of the compilation (documented in data/README.md)
    assert unresolved == [("BIRTHREG", "PRC Nationality Law art. 4")]


def test_every_typical_perpetrator_exists() -> None:
    perpetrators = vocab.perpetrator_types()
    for v in vocab.violation_types().values():
        assert v.typical_perpetrators, v.code
        for code in v.typical_perpetrators:
            assert code in perpetrators, (v.code, code)


def test_labels_in_three_languages() -> None:
    entries: list[vocab.ViolationType | vocab.PerpetratorType] = [
        *vocab.violation_types().values(),
        *vocab.perpetrator_types().values(),
    ]
    for entry in entries:
        for language in ("en", "ko", "zh"):
            assert entry.label(language).strip(), (entry.code, language)
        assert entry.label_ko != entry.label_en and entry.label_zh != entry.label_en


def test_known_values() -> None:
    tip = vocab.violation_types()["TIP.SALE"]
    assert (tip.label_en, tip.label_ko, tip.label_zh) == (
        "Sale or purchase of a person",
        "매매(판매·구매)",
        "买卖人口",
    )
    assert tip.typical_perpetrators == ("BROKER-CN", "BUYER-HUSBAND", "BROTHEL-OPERATOR")
    assert tip.instrument_ids == ("PALERMO", "SUPP1956", "CN-CL")
    assert tip.instruments[0].articles == "art. 3(a) (giving or receiving payments)"
    assert tip.phases == ("China",)
    assert vocab.violation_types()["SV"].phases == vocab.PHASES  # "all"
    assert vocab.violation_types()["EXTORT"].phases == ("exit", "China", "transit")
    assert vocab.violation_types()["THREAT"].rome_statute_art7_coi is None
    husband = vocab.perpetrator_types()["BUYER-HUSBAND"]
    assert husband.label_en == 'Buyer / "husband"' and husband.countries == ("CN",)
    assert vocab.perpetrator_types()["FAMILY-MEMBER"].countries == ("KP", "CN")
    assert vocab.perpetrator_types()["UNKNOWN"].countries == ()
    icc = vocab.legal_instruments()["ICCPR"]
    assert icc.code == "ICCPR" and icc.china_status == "signed 1998, not ratified"
    sex = vocab.victim_attributes()["sex"]
    assert sex.choices == ("F", "M", "X", "unknown") and sex.sensitivity is vocab.Sensitivity.LOW
    detention = vocab.victim_attributes()["dprk_detention_types"]
    assert (
        detention.multi_valued and detention.choices is not None and "kwanliso" in detention.choices
    )
    assert vocab.victim_attributes()["birth_year"].choices is None
    assert vocab.victim_attributes()["current_country"].sensitivity is vocab.Sensitivity.VERY_HIGH


def test_mappings_are_read_only_and_cached() -> None:
    types = vocab.violation_types()
    assert types is vocab.violation_types()
    with pytest.raises(TypeError):
        types["NEW"] = types["TIP"]  # type: ignore[index]


def test_require_codes() -> None:
    assert vocab.require_violation_type("FMAR").code == "FMAR"
    assert vocab.require_perpetrator_type("KP-MSS").code == "KP-MSS"
    with pytest.raises(ValueNotUnderstood, match="unknown violation code.*FMAR"):
        vocab.require_violation_type("fmar")
    with pytest.raises(ValueNotUnderstood, match="unknown perpetrator type"):
        vocab.require_perpetrator_type("김순희")


def test_data_readme_has_attribution() -> None:
    readme = resources.files("unseen.domain").joinpath("data", "README.md").read_text("utf-8")
    assert "CC BY 4.0" in readme and "HURIDOCS" in readme and "GeoNames" in readme
