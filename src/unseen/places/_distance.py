"""How close two gazetteer places are, by administrative hierarchy (not by kilometres)."""

from __future__ import annotations

from dataclasses import dataclass

from unseen.errors import ValueNotUnderstood
from unseen.places._gazetteer import gazetteer

# Relation -> score used as a linkage feature; a place and a unit containing it share that unit
# (Yanji and Yanbian are in the same prefecture).
SCORES = {
    "same_place": 1.0,
    "same_county": 0.9,
    "same_prefecture": 0.7,
    "same_province": 0.45,
    "same_country": 0.2,
    "different_country": 0.0,
}


@dataclass(frozen=True)
class PlaceDistance:
    """``relation`` is the finest unit both places lie in; ``common_id`` is that unit's id."""

    relation: str
    score: float
    common_id: str | None


def _chain(pid: str) -> list[str]:
    g = gazetteer()
    if pid not in g:
        raise ValueNotUnderstood("unknown gazetteer id; ids look like CN-222401 or KP-10-hyesan-si")
    out = [pid]
    while (parent := g[out[-1]].parent_id) is not None:
        out.append(parent)
    return out


def place_distance(a_id: str, b_id: str) -> PlaceDistance:
    """Relation of two places: same place / county / prefecture / province / country, or not."""
    ca, cb = _chain(a_id), _chain(b_id)
    if a_id == b_id:
        return PlaceDistance("same_place", SCORES["same_place"], a_id)
    g = gazetteer()
    common = next((x for x in ca if x in cb), None)
    if common is not None:
        relation = f"same_{g[common].level}"
        return PlaceDistance(relation, SCORES[relation], common)
    if g[a_id].country == g[b_id].country:
        return PlaceDistance("same_country", SCORES["same_country"], None)
    return PlaceDistance("different_country", SCORES["different_country"], None)
