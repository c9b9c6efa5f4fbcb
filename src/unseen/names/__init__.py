"""Korean and Chinese personal names: parsing, romanisation, keys and similarity (pure).

>>> romanize("김선희", "mr")
'Kim Sŏn-hŭi'
>>> name_key("리순자") == name_key("Lee Soon-ja") == name_key("Yi Sunja")
True
"""

from __future__ import annotations

from unseen.names._hangul import INITIALS as HANGUL_INITIALS
from unseen.names._hangul import VOWELS as HANGUL_VOWELS
from unseen.names._hangul import compose as compose_syllable
from unseen.names._hangul import decompose as decompose_syllable
from unseen.names._hangul import is_syllable
from unseen.names._keyboard import JAMO_NEIGHBOURS, hangul_slips
from unseen.names._mandarin import mandarin_reading
from unseen.names._parse import ParsedName, name_key, name_tokens, parse_name
from unseen.names._romanize import SYSTEMS, System, romanization_variants, romanize
from unseen.names._similarity import SAME_NAME_THRESHOLD, NameSimilarity, similarity

__all__ = [
    "HANGUL_INITIALS",
    "HANGUL_VOWELS",
    "JAMO_NEIGHBOURS",
    "SAME_NAME_THRESHOLD",
    "SYSTEMS",
    "NameSimilarity",
    "ParsedName",
    "System",
    "compose_syllable",
    "decompose_syllable",
    "hangul_slips",
    "is_syllable",
    "mandarin_reading",
    "name_key",
    "name_tokens",
    "parse_name",
    "romanization_variants",
    "romanize",
    "similarity",
]
