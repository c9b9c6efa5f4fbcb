"""Korean and Chinese personal names: parsing, romanisation, keys and similarity (pure).

>>> romanize("김선희", "mr")
'Kim Sŏn-hŭi'
>>> name_key("리순자") == name_key("Lee Soon-ja") == name_key("Yi Sunja")
True
"""

from __future__ import annotations

from unseen.names._mandarin import mandarin_reading
from unseen.names._parse import ParsedName, name_key, name_tokens, parse_name
from unseen.names._romanize import SYSTEMS, System, romanization_variants, romanize
from unseen.names._similarity import SAME_NAME_THRESHOLD, NameSimilarity, similarity

__all__ = [
    "SAME_NAME_THRESHOLD",
    "SYSTEMS",
    "NameSimilarity",
    "ParsedName",
    "System",
    "mandarin_reading",
    "name_key",
    "name_tokens",
    "parse_name",
    "romanization_variants",
    "romanize",
    "similarity",
]
