"""``simulate(settings) -> Simulation``: the whole generative run, seeded and pure."""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np
import numpy.typing as npt

from unseen.simulate._acts import Acts, Perpetrators, build_acts
from unseen.simulate._capture import (
    Capture,
    ListRecords,
    capture_all,
    covariates,
    records_for,
)
from unseen.simulate._naming import Names, build_names
from unseen.simulate._population import FATES, GROUPS, Population, build_population
from unseen.simulate._rows import RowWriter, record_id
from unseen.simulate._settings import PATHWAYS, ListSettings, SimulationSettings
from unseen.simulate._tables import perpetrator_codes, places, violation_codes

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``, called as work advances (for a progress bar)."""

MANIFEST_FORMAT = "unseen-simulation-truth"
MANIFEST_VERSION = 1

# Independent random streams: changing one list never changes the population or other lists.
_STREAM_POPULATION, _STREAM_ACTS, _STREAM_NAMES, _STREAM_CAPTURE, _STREAM_RECORDS = range(5)


def _rng(seed: int, stream: int, name: str = "") -> np.random.Generator:
    key = (stream, zlib.crc32(name.encode("utf-8"))) if name else (stream,)
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=key))


def _freeze(*arrays: npt.NDArray[Any]) -> None:
    for a in arrays:
        a.setflags(write=False)


@dataclass(frozen=True, eq=False)
class Simulation:
    """A simulated population, its acts and perpetrators, and the records of every list.

    Arrays are read-only. ``records[name]`` holds each list's records in file order;
    :meth:`rows` renders them as FORMATS.md s1 text and :meth:`truth_rows` says whose they are.
    """

    settings: SimulationSettings
    population: Population
    acts: Acts
    perpetrators: Perpetrators
    names: Names
    buyer: npt.NDArray[np.int64]
    covariates: Mapping[str, npt.NDArray[np.float64]]
    captures: Mapping[str, Capture]
    records: Mapping[str, ListRecords]
    manifest: Mapping[str, Any]

    def __repr__(self) -> str:  # the arrays are large; say what the simulation is
        records = sum(len(r) for r in self.records.values())
        return (
            f"Simulation(preset={self.settings.name!r}, seed={self.settings.seed}, "
            f"people={len(self.population)}, lists={len(self.records)}, records={records})"
        )

    @property
    def true_size(self) -> int:
        """The number of people in the simulated population (children born in China included)."""
        return len(self.population)

    def list_settings(self, name: str) -> ListSettings:
        for lst in self.settings.lists:
            if lst.name == name:
                return lst
        raise KeyError(name)

    def person_id(self, i: int) -> str:
        width = max(6, len(str(len(self.population))))
        return f"P{int(self.population.key[i]):0{width}d}"

    def record_ids(self, name: str) -> tuple[str, ...]:
        lst, n = self.list_settings(name), len(self.records[name])
        return tuple(record_id(lst, r, n) for r in range(n))

    def rows(
        self, name: str, *, start: int = 0, stop: int | None = None
    ) -> Iterator[tuple[str, ...]]:
        """Rows of list ``name`` (columns of FORMATS.md s1, in order), rendered lazily."""
        rec = self.records[name]
        stop = len(rec) if stop is None else min(stop, len(rec))
        writer = RowWriter(
            self.list_settings(name),
            rec,
            self.population,
            self.names,
            self.acts,
            self.perpetrators,
            self.buyer,
        )
        return writer.rows(start, stop)

    def truth_rows(self, name: str) -> Iterator[tuple[str, str, str]]:
        """``(record_id, list, person_id)`` for every record of list ``name``."""
        lst, rec = self.list_settings(name), self.records[name]
        n = len(rec)
        for r in range(n):
            yield record_id(lst, r, n), name, self.person_id(int(rec.person[r]))


def _counts(values: npt.NDArray[Any], labels: tuple[str, ...]) -> dict[str, int]:
    c = np.bincount(values.astype(np.int64), minlength=len(labels))
    return {labels[i]: int(c[i]) for i in range(len(labels)) if c[i]}


def _place_counts(index: npt.NDArray[np.int64]) -> dict[str, int]:
    pl = places()
    prov = np.where(index >= 0, pl.province[np.maximum(index, 0)], -1)
    keys, counts = np.unique(prov, return_counts=True)
    return {
        ("none" if k < 0 else pl.ids[int(k)]): int(c) for k, c in zip(keys, counts, strict=True)
    }


def _manifest(
    settings: SimulationSettings,
    pop: Population,
    acts: Acts,
    perps: Perpetrators,
    captures: Mapping[str, Capture],
    records: Mapping[str, ListRecords],
) -> dict[str, Any]:
    ps = settings.population
    born_china = pop.mother >= 0
    present_end = ~np.isfinite(pop.exit)
    names = settings.list_names()
    hist = np.zeros(len(pop), dtype=np.int64)
    for k, name in enumerate(names):
        hist |= captures[name].captured.astype(np.int64) << (len(names) - 1 - k)
    observed = hist > 0
    patterns = {
        format(int(h), f"0{len(names)}b"): int(c)
        for h, c in zip(*np.unique(hist[observed], return_counts=True), strict=True)
    }
    arrivals = np.floor(pop.arrival[np.isfinite(pop.arrival) & ~born_china]).astype(np.int64)
    by_year = {
        str(y): {
            "M": int(
                ((arrivals == y) & (pop.sex[np.isfinite(pop.arrival) & ~born_china] == 0)).sum()
            ),
            "F": int(
                ((arrivals == y) & (pop.sex[np.isfinite(pop.arrival) & ~born_china] == 1)).sum()
            ),
        }
        for y in range(ps.start_year, ps.end_year + 1)
    }
    return {
        "format": MANIFEST_FORMAT,
        "version": MANIFEST_VERSION,
        "seed": settings.seed,
        "preset": settings.name,
        "period": [ps.start_year, ps.end_year],
        "population": {
            "total": len(pop),
            "by_stratum": {
                "sex": _counts(pop.sex, ("M", "F")),
                "china_province": _place_counts(pop.china),
                "origin_province": _place_counts(pop.origin),
                "born_in_china": {"yes": int(born_china.sum()), "no": int((~born_china).sum())},
                "pathway": _counts(pop.pathway, PATHWAYS),
                "fate": _counts(pop.fate, FATES),
                "group": _counts(pop.group, GROUPS),
            },
            "in_china_at_end": int(present_end.sum()),
            "arrivals_in_south_korea": by_year,
        },
        "lists": {
            name: {
                "records": len(records[name]),
                "people": int(captures[name].captured.sum()),
                "expected_people": round(float(captures[name].probability.sum()), 3),
            }
            for name in names
        },
        "observed_people": int(observed.sum()),
        "capture_histories": {"lists": list(names), "counts": patterns},
        "acts": _counts(acts.code, violation_codes()),
        "perpetrators": _counts(perps.ptype, perpetrator_codes()),
        "settings": settings.to_dict(),
    }


def simulate(settings: SimulationSettings, *, progress: Progress | None = None) -> Simulation:
    """Run the generative model of ``settings`` (same settings, same simulation)."""
    report = progress or (lambda stage, done, total: None)
    seed, ps = settings.seed, settings.population
    steps = 4 + len(settings.lists)
    report("population", 0, steps)
    pop = build_population(ps, _rng(seed, _STREAM_POPULATION), settings.frailty_dims)
    report("acts", 1, steps)
    built = build_acts(ps, pop, _rng(seed, _STREAM_ACTS))
    report("names", 2, steps)
    names = build_names(ps, pop, built, _rng(seed, _STREAM_NAMES))
    report("capture", 3, steps)
    cov = covariates(ps, pop)
    rngs = {lst.name: _rng(seed, _STREAM_CAPTURE, lst.name) for lst in settings.lists}
    caps = capture_all(settings.lists, ps, pop, cov, rngs)
    records: dict[str, ListRecords] = {}
    for k, lst in enumerate(settings.lists):
        report(f"records:{lst.name}", 4 + k, steps)
        records[lst.name] = records_for(
            lst, pop, built.acts, caps[lst.name], _rng(seed, _STREAM_RECORDS, lst.name)
        )
    report("done", steps, steps)
    for obj in (pop, built.acts, built.perpetrators, names, *caps.values(), *records.values()):
        _freeze(*(v for v in vars(obj).values() if isinstance(v, np.ndarray)))
    _freeze(built.buyer, *cov.values())
    return Simulation(
        settings=settings,
        population=pop,
        acts=built.acts,
        perpetrators=built.perpetrators,
        names=names,
        buyer=built.buyer,
        covariates=MappingProxyType(cov),
        captures=MappingProxyType(caps),
        records=MappingProxyType(records),
        manifest=MappingProxyType(
            _manifest(settings, pop, built.acts, built.perpetrators, caps, records)
        ),
    )
