"""What a report shows, after disclosure control: the contract between the code that counts
(:mod:`unseen.services.reporting`, which reads the workspace and applies
:mod:`unseen.reports.disclosure`) and the code that draws (charts, maps, HTML, PDF).

Every number here is already safe to publish for the report's scope: a suppressed cell has
``value is None`` and says why in ``flag``. Renderers never see a record, a name or a count
that disclosure control has not passed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

from unseen.estimation import Estimate

__all__ = [
    "Cell",
    "CellFlag",
    "CountTable",
    "DisclosureSettings",
    "EstimateView",
    "MapLayer",
    "MethodsAppendix",
    "ReportData",
    "ViolationLaw",
]

# "" published as counted; "primary": below the threshold; "secondary": hidden so a primary
# cell cannot be recovered from the margins; "rounded": published rounded; "noisy": published
# with differential-privacy noise.
CellFlag = Literal["", "primary", "secondary", "rounded", "noisy"]


@dataclass(frozen=True)
class Cell:
    value: int | None  # None: suppressed (flag says why)
    flag: CellFlag = ""

    @property
    def suppressed(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class CountTable:
    """A published 1-D or 2-D count table. 1-D tables have ``cols == ("count",)``.

    ``key`` names it for code and files (e.g. ``"violation_by_year"``); titles and labels come in
    both languages; ``row_labels``/``col_labels`` are display labels parallel to ``rows``/``cols``
    (codes), in the report's language.
    """

    key: str
    title_en: str
    title_ko: str
    rows: tuple[str, ...]
    cols: tuple[str, ...]
    row_labels: tuple[str, ...]
    col_labels: tuple[str, ...]
    cells: tuple[tuple[Cell, ...], ...]  # [row][col]
    row_totals: tuple[Cell, ...]
    col_totals: tuple[Cell, ...]
    total: Cell
    unit_en: str = "people"
    unit_ko: str = "명"

    def title(self, lang: str) -> str:
        return self.title_ko if lang == "ko" else self.title_en


@dataclass(frozen=True)
class MapLayer:
    """Counts per admin-1 area (province), keyed by ISO 3166-2 code (``CN-JL``, ``KP-09``): the
    ``iso_3166_2`` property of the features of ``admin1_cn_kp.geojson``."""

    key: str  # "china_residence" | "origin_kp"
    title_en: str
    title_ko: str
    counts: MappingProxyType[str, Cell]


@dataclass(frozen=True)
class ViolationLaw:
    """The legal framing of one violation type counted in the report."""

    code: str
    label: str  # in the report's language
    definition: str
    instruments: tuple[str, ...]  # e.g. "PALERMO art. 3(a),(b),(c)"
    rome_statute: str


@dataclass(frozen=True)
class EstimateView:
    """One estimate of the whole population (documented + never documented) for a stratum
    (``stratum == ()`` is everyone), with the simulated truth when the workspace is a demo."""

    estimate: Estimate
    label: str  # e.g. "all" / "전체", or "sex = F"
    truth: int | None = None
    # (N, density or relative likelihood) for a plot of N; empty when the method gives none.
    curve: tuple[tuple[float, float], ...] = ()

    @property
    def share_undocumented(self) -> tuple[float, float, float] | None:
        """(point, low, high) share never documented, or None when not estimable."""
        e = self.estimate
        if e.estimate is None or e.lower is None or e.upper is None or e.estimate <= 0:
            return None
        n = e.observed
        return (1 - n / e.estimate, 1 - n / e.lower if e.lower > 0 else 0.0, 1 - n / e.upper)


@dataclass(frozen=True)
class MethodsAppendix:
    lists: tuple[tuple[str, int], ...]  # (list name, records in scope)
    linkage: MappingProxyType[str, Any]  # records, clusters, threshold, engine, quality if known
    review: MappingProxyType[str, int]  # decisions by kind: match, non-match, unsure
    estimation: MappingProxyType[str, Any]  # method, why (auto's reason), diagnostics summary
    notes: tuple[str, ...] = ()  # in the report's language


@dataclass(frozen=True)
class DisclosureSettings:
    threshold: int = 5  # publish no cell of 1..threshold-1 people
    rounding: int | None = None  # round published cells to this base (e.g. 5), or no rounding
    epsilon: float | None = None  # differential privacy budget per table, or exact counts
    seed: int | None = None  # for the DP noise; None draws fresh noise (repeated releases)


@dataclass(frozen=True)
class ReportData:
    """Everything one report shows, in one language, for one scope, after disclosure control."""

    lang: Literal["en", "ko"]
    scope: str  # internal | partner | un | public
    workspace_label: str  # a display name, never a path with a user name
    generated_on: dt.date
    people_in_scope: int  # documented people counted in this report (before suppression)
    left_out_by_consent: int  # people whose consent does not cover this scope
    tables: tuple[CountTable, ...]  # people by violation, year, CN province, KP province, sex, age
    timeline: CountTable | None  # acts by year (rows) x violation type (cols)
    maps: tuple[MapLayer, ...]
    estimates: tuple[EstimateView, ...]  # the first is the total
    laws: tuple[ViolationLaw, ...]
    methods: MethodsAppendix
    disclosure: DisclosureSettings = field(default_factory=DisclosureSettings)
    demo: bool = False  # the workspace holds simulated people only
