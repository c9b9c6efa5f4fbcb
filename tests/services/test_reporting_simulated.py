"""A report of simulated lists, imported and linked as the demo does: people linked across lists
count once, every province is a map area, nothing small is published, and a public report of
two consenting lists counts exactly the people on them and estimates from them alone."""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources
from pathlib import Path

from unseen.domain.model import ConsentScope
from unseen.linkage import EngineOptions, default_spec
from unseen.services.estimating import EstimateSettings
from unseen.services.ingest import ConsentGrant, import_person_list
from unseen.services.reporting import build_report_data, clusters_of
from unseen.services.workspace_linking import link_workspace
from unseen.simulate import SimulationSettings, simulate, write_simulation
from unseen.store import Workspace

DAY = dt.date(2026, 1, 15)
PUBLIC = ConsentGrant(frozenset({ConsentScope.PUBLIC}), dt.date(2025, 1, 1))


def _areas() -> set[str]:
    geo = resources.files("unseen.reports").joinpath("data", "admin1_cn_kp.geojson")
    return {f["properties"]["iso_3166_2"] for f in json.loads(geo.read_text("utf-8"))["features"]}


def test_a_simulated_workspace_reports_linked_people_once(ws: Workspace, tmp_path: Path) -> None:
    written = write_simulation(simulate(SimulationSettings.preset("small", 7)), tmp_path / "sim")
    for name in ("shelter", "media", "un"):
        grant = PUBLIC if name != "un" else None
        import_person_list(ws, written.lists[name], consent=grant)
    link = link_workspace(ws, default_spec(), options=EngineOptions(threads=1))
    clusters = clusters_of(link)
    mt = EstimateSettings(method="mt")

    d = build_report_data(ws, scope="internal", lang="en", today=DAY, clusters=clusters,
                          truth=1234, estimate=mt)  # fmt: skip
    assert d.people_in_scope == link.result.n_clusters == len(set(clusters.values()))
    (total,) = d.estimates
    assert total.estimate.observed == d.people_in_scope and total.truth == 1234
    for layer in d.maps:
        assert set(layer.counts) <= _areas(), layer.key
    for t in (*d.tables, d.timeline):
        assert t is not None
        every = [c for row in t.cells for c in row] + [*t.row_totals, *t.col_totals, t.total]
        assert not [c.value for c in every if c.value is not None and 0 < c.value < 5], t.key

    lists = {r.record_id: r.attributes["list_name"] for r in ws.iter_current("person")}
    on_public = {clusters[pid] for pid, name in lists.items() if name in ("shelter", "media")}
    p = build_report_data(ws, scope="public", lang="en", today=DAY, clusters=clusters,
                          estimate=mt)  # fmt: skip
    assert p.people_in_scope == len(on_public)
    assert p.left_out_by_consent == len(set(clusters.values()) - on_public)
    assert dict(p.methods.lists).keys() == {"shelter", "media"}
    (est,) = p.estimates
    assert est.estimate.observed == len(on_public)
    assert set(est.estimate.lists) == {"media", "shelter"}  # the UN list's records never count
