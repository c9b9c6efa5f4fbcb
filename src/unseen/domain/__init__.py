"""Pure domain values of unseen: fuzzy dates, controlled vocabularies and the record model.

No I/O beyond reading the package's own data files, no clock, no randomness.

* :mod:`unseen.domain.dates` - :class:`FuzzyDate` and :func:`parse_fuzzy_date`
* :mod:`unseen.domain.vocab` - violation, perpetrator, instrument and attribute vocabularies
"""

from __future__ import annotations

from unseen.domain import dates, vocab

__all__ = ["dates", "vocab"]
