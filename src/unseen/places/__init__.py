"""Places in China and the DPRK: a shipped gazetteer, free-text resolution, hierarchy distance.

>>> resolve_place("연길").gazetteer_id
'CN-222401'
>>> place_distance("CN-222401", "CN-222400").relation
'same_prefecture'
"""

from __future__ import annotations

from unseen.places._distance import SCORES, PlaceDistance, place_distance
from unseen.places._gazetteer import Place, gazetteer
from unseen.places._resolve import PlaceMatch, resolve_place

__all__ = [
    "SCORES",
    "Place",
    "PlaceDistance",
    "PlaceMatch",
    "gazetteer",
    "place_distance",
    "resolve_place",
]
