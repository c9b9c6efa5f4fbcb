"""The written files: exactly FORMATS.md s1-2, deterministic for a seed, consistent truth."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from simkit import tiny_settings

from unseen.domain.dates import parse_fuzzy_date
from unseen.formats import PERSON_LIST_COLUMNS, read_person_list
from unseen.places import gazetteer
from unseen.simulate import Simulation, SimulationSettings, simulate, write_simulation
from unseen.simulate._tables import perpetrator_codes, violation_codes

FORMATS_S1 = (
    "record_id,list,family_name,given_name,full_name,name_hangul,name_hanzi,aliases,sex,"
    "birth_date,origin_place,china_place,first_exit_date,event_date,event_place,violation,"
    "perpetrator_type,mother_record_id,notes"
)


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, strict=True))


@pytest.fixture(scope="module")
def written(small: Simulation, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("small")
    write_simulation(small, out)
    return out


def test_writes_exactly_the_formats_files(small: Simulation, written: Path) -> None:
    names = {f"{n}.csv" for n in small.settings.list_names()}
    assert {p.name for p in written.iterdir()} == names | {"truth.csv", "truth.json"}


def test_header_is_formats_s1_and_rows_are_rfc4180(small: Simulation, written: Path) -> None:
    assert ",".join(PERSON_LIST_COLUMNS) == FORMATS_S1
    for name in small.settings.list_names():
        raw = (written / f"{name}.csv").read_bytes()
        assert raw.startswith(FORMATS_S1.encode() + b"\r\n")
        assert raw.endswith(b"\r\n")
        with (written / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh, strict=True))
        assert all(len(r) == 19 for r in rows)
        assert len(rows) - 1 == len(small.records[name])
    assert (written / "truth.csv").read_bytes().startswith(b"record_id,list,person_id\r\n")


def test_the_project_reader_accepts_every_list(small: Simulation, written: Path) -> None:
    for name in small.settings.list_names():
        plist = read_person_list(written / f"{name}.csv")
        assert len(plist.rows) == len(small.records[name])
        assert set(plist.list_names) == {name}


def test_record_ids_unique_and_mothers_resolve(small: Simulation, written: Path) -> None:
    truth = {(r["record_id"], r["list"]): r["person_id"] for r in _read(written / "truth.csv")}
    children = 0
    for name in small.settings.list_names():
        rows = _read(written / f"{name}.csv")
        ids = [r["record_id"] for r in rows]
        assert len(set(ids)) == len(ids)
        by_id = {r["record_id"]: r for r in rows}
        for r in rows:
            if r["mother_record_id"]:
                children += 1
                assert r["mother_record_id"] in by_id
                assert r["mother_record_id"] != r["record_id"]
                assert truth[(r["mother_record_id"], name)] != truth[(r["record_id"], name)]
                assert by_id[r["mother_record_id"]]["sex"] in ("F", "")
    assert children > 0


def test_mother_links_match_the_truth(small: Simulation) -> None:
    pop = small.population
    for name, rec in small.records.items():
        for r in range(len(rec)):
            m = int(rec.mother_row[r])
            child = int(rec.person[r])
            if pop.mother[child] >= 0:
                assert m >= 0 and int(rec.person[m]) == int(pop.mother[child])
            else:
                assert m == -1, name


def test_truth_covers_every_record_and_person(small: Simulation, written: Path) -> None:
    truth = _read(written / "truth.csv")
    manifest = json.loads((written / "truth.json").read_text(encoding="utf-8"))
    all_ids = {small.person_id(i) for i in range(len(small.population))}
    assert len(all_ids) == manifest["population"]["total"] == len(small.population)
    assert {r["person_id"] for r in truth} <= all_ids
    keys = [(r["record_id"], r["list"]) for r in truth]
    assert len(set(keys)) == len(keys) == sum(len(r) for r in small.records.values())
    for name in small.settings.list_names():
        ids = {r["record_id"] for r in _read(written / f"{name}.csv")}
        assert ids == {rid for rid, lst in keys if lst == name}
    # the same record always names the same person
    first = next(iter(small.settings.list_names()))
    rec = small.records[first]
    row0 = next(r for r in truth if r["list"] == first and r["record_id"] == truth[0]["record_id"])
    assert row0["person_id"] == small.person_id(int(rec.person[0]))


def test_manifest_totals_and_strata(small: Simulation, written: Path) -> None:
    m = json.loads((written / "truth.json").read_text(encoding="utf-8"))
    total = m["population"]["total"]
    for stratum, counts in m["population"]["by_stratum"].items():
        assert sum(counts.values()) == total, stratum
    assert m["seed"] == 11 and m["preset"] == "small"
    assert SimulationSettings.from_dict(m["settings"]) == small.settings
    observed = sum(m["capture_histories"]["counts"].values())
    assert observed == m["observed_people"]
    assert "0" * len(m["capture_histories"]["lists"]) not in m["capture_histories"]["counts"]


def test_values_are_codes_dates_and_gazetteer_ids(small: Simulation, written: Path) -> None:
    codes, ptypes, places = set(violation_codes()), set(perpetrator_codes()), gazetteer()
    seen_ids = 0
    for name in small.settings.list_names():
        for r in _read(written / f"{name}.csv"):
            assert r["violation"] in codes | {""}
            assert r["perpetrator_type"] in ptypes | {""}
            assert r["sex"] in ("F", "M", "")
            for col in ("birth_date", "first_exit_date", "event_date"):
                if r[col]:
                    parse_fuzzy_date(r[col])  # raises if not understood
            for col in ("origin_place", "china_place", "event_place"):
                if r[col].startswith(("CN-", "KP-")):
                    seen_ids += 1
                    assert r[col] in places
    assert seen_ids > 0


def test_event_dates_contain_the_true_date(small: Simulation) -> None:
    from unseen.simulate._render_text import to_date

    name = "repatriation"
    rec = small.records[name]
    col = 13  # event_date
    checked = 0
    for r, row in enumerate(small.rows(name)):
        a = int(rec.act[r])
        if a < 0 or not row[col]:
            continue
        d = parse_fuzzy_date(row[col]).value
        truth = to_date(float(small.acts.time[a]))
        assert d.earliest is not None and d.latest is not None
        assert d.earliest <= truth <= d.latest
        checked += 1
    assert checked > 20


def test_deterministic_byte_identical(tmp_path: Path) -> None:
    s = tiny_settings(3, scale=0.02)
    write_simulation(simulate(s), tmp_path / "a")
    write_simulation(simulate(s), tmp_path / "b")
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")


def test_other_seeds_differ(tmp_path: Path) -> None:
    write_simulation(simulate(tiny_settings(3, scale=0.02)), tmp_path / "a")
    write_simulation(simulate(tiny_settings(4, scale=0.02)), tmp_path / "b")
    a, b = _digest(tmp_path / "a"), _digest(tmp_path / "b")
    assert a.keys() == b.keys()
    assert all(a[k] != b[k] for k in a)


def test_rewrite_replaces_files_without_leftovers(small: Simulation, tmp_path: Path) -> None:
    write_simulation(small, tmp_path)
    before = _digest(tmp_path)
    write_simulation(small, tmp_path)
    assert _digest(tmp_path) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1))
def test_invariants_for_any_seed(seed: int) -> None:
    sim = simulate(tiny_settings(seed))
    n = len(sim.population)
    pop = sim.population
    for name, rec in sim.records.items():
        assert ((rec.person >= 0) & (rec.person < n)).all()
        assert sim.captures[name].captured[rec.person].all()
        people = set(rec.person.tolist())
        assert people == set(map(int, sim.captures[name].captured.nonzero()[0]))
        kids = rec.mother_row >= 0
        assert (pop.mother[rec.person[kids]] == rec.person[rec.mother_row[kids]]).all()
        assert ((pop.mother[rec.person] >= 0) == kids).all()
        acts = rec.act[rec.act >= 0]
        assert (sim.acts.person[acts] == rec.person[rec.act >= 0]).all()
    assert sim.manifest["population"]["total"] == n
    # stays are ordered in time
    assert (pop.exit >= pop.cross).all()
    assert (sim.acts.time < 2026).all()


def test_unusable_output_folder_is_an_input_error(small: Simulation, tmp_path: Path) -> None:
    from unseen.errors import InputError

    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="output folder cannot be created"):
        write_simulation(small, blocker / "out")
    assert repr(small).startswith("Simulation(preset='small', seed=11, people=")
