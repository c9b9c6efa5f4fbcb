"""Settings: presets, JSON round trip, validation with exact errors; the public API."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from simkit import tiny_settings

import unseen.simulate as simulate_pkg
from unseen.errors import ConfigError
from unseen.simulate import (
    ListSettings,
    RecordHabit,
    Schedule,
    SimulationSettings,
    Weights,
    simulate,
    write_simulation,
)


def test_exports_are_the_public_api() -> None:
    public = {n for n in vars(simulate_pkg) if not n.startswith("_")} - {"annotations"}
    assert public == set(simulate_pkg.__all__)


def test_json_round_trip_is_exact() -> None:
    for preset in ("small", "realistic", "stress"):
        s = SimulationSettings.preset(preset, 42)
        assert SimulationSettings.from_json(s.to_json()) == s
        assert SimulationSettings.from_dict(json.loads(json.dumps(s.to_dict()))) == s


def test_settings_from_truth_json_reproduce_the_files(tmp_path: Path) -> None:
    write_simulation(simulate(tiny_settings(9, scale=0.01)), tmp_path / "a")
    manifest = json.loads((tmp_path / "a" / "truth.json").read_text(encoding="utf-8"))
    again = SimulationSettings.from_dict(manifest["settings"])
    write_simulation(simulate(again), tmp_path / "b")
    for p in (tmp_path / "a").iterdir():
        assert p.read_bytes() == (tmp_path / "b" / p.name).read_bytes(), p.name


def test_preset_sizes() -> None:
    small = simulate(SimulationSettings.preset("small", 1))
    assert 1_500 <= len(small.population) <= 3_000
    realistic = simulate(SimulationSettings.preset("realistic", 1))
    assert 90_000 <= len(realistic.population) <= 130_000
    records = sum(len(r) for r in realistic.records.values())
    assert 10_000 <= records <= 20_000
    stress = SimulationSettings.preset("stress", 1)
    # records scale with the population: the stress preset aims at about 1,000,000 records
    expected = records * stress.population.scale / realistic.settings.population.scale
    assert 700_000 <= expected <= 1_300_000


def test_list_count() -> None:
    assert SimulationSettings.preset("small", 1, lists=3).list_names() == (
        "interviews",
        "shelter",
        "media",
    )
    names = SimulationSettings.preset("small", 1, lists=8).list_names()
    assert names[6:] == ("interviews_2", "shelter_2")
    sim = simulate(
        replace(tiny_settings(1), lists=SimulationSettings.preset("small", 1, lists=8).lists)
    )
    assert set(sim.records) == set(names)


def _list(**kw: object) -> ListSettings:
    return ListSettings(name="x", label_en="x", label_ko="x", **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: SimulationSettings.preset("huge", 1), "unknown preset"),
        (lambda: replace(SimulationSettings.preset("small", 1), seed=-1), "seed"),
        (lambda: _list(effects=Weights.of(height=1.0)), "effects may name only"),
        (lambda: _list(act_weights=Weights.of(NOPE=1.0)), "violation_types.csv"),
        (lambda: _list(eligible="everyone"), "eligible must be one of"),
        (lambda: _list(window=(2010, 2000)), "window"),
        (lambda: ListSettings(name="truth", label_en="", label_ko=""), "truth"),
        (lambda: RecordHabit(name_systems=Weights.of(klingon=1.0)), "name_systems"),
        (lambda: RecordHabit(date_style=Weights.of(someday=1.0)), "date_style"),
        (lambda: RecordHabit(missing=Weights.of(record_id=0.5)), "missing may name only"),
        (lambda: RecordHabit(typo=1.5), "typo must lie in"),
        (lambda: Schedule(((2000, 1.0), (1999, 2.0))), "schedule years must increase"),
        (lambda: Weights.of(a=1.0).probabilities(["b"]), "positive sum"),
        (lambda: SimulationSettings.from_json("[1]"), "must be an object"),
        (lambda: SimulationSettings.from_json("{"), "not valid JSON"),
    ],
)
def test_invalid_settings_raise_config_error(build: object, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        build()  # type: ignore[operator]


def test_dependence_must_point_backwards() -> None:
    s = SimulationSettings.preset("small", 1)
    un_first = (s.lists[-1], *s.lists[:-1])
    with pytest.raises(ConfigError, match="must come earlier"):
        replace(s, lists=un_first)


def test_changing_one_list_leaves_the_others() -> None:
    base = tiny_settings(2, scale=0.02)
    changed = replace(base, lists=(*base.lists[:-1], replace(base.lists[-1], intercept=-3.0)))
    a, b = simulate(base), simulate(changed)
    for name in base.list_names()[:-1]:
        assert (a.records[name].person == b.records[name].person).all()
    assert len(a.records["un"]) != len(b.records["un"])
