"""Korean and Chinese personal names: parsing, romanisation, keys and similarity (pure).

>>> romanize("김순희", "mr")
'Kim Sŏn-hŭi'
"""

from __future__ import annotations

from unseen.names._romanize import SYSTEMS, System, romanization_variants, romanize

__all__ = ["SYSTEMS", "System", "romanization_variants", "romanize"]
