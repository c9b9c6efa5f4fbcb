"""Pure domain values of unseen: fuzzy dates, controlled vocabularies and the record model.

No I/O beyond reading the package's own data files, no clock, no randomness.

* :mod:`unseen.domain.dates` - :class:`FuzzyDate` and :func:`parse_fuzzy_date`
* :mod:`unseen.domain.vocab` - violation, perpetrator, instrument and attribute vocabularies
* :mod:`unseen.domain.model` - the record model (HURIDOCS ESF) and its store codecs
"""

from __future__ import annotations

from unseen.domain import dates, model, vocab

__all__ = ["dates", "model", "vocab"]
