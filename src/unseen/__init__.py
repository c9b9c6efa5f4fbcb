"""unseen: record, link and count abuses that no official record shows.

The library comes first; the ``unseen`` command and the web app are thin shells over
:mod:`unseen.services`. Pure libraries (:mod:`unseen.names`, :mod:`unseen.places`,
:mod:`unseen.domain`, linkage, estimation) take tables and values, never the store.
"""

from __future__ import annotations

from unseen.errors import UnseenError

__version__ = "0.1.0"
__all__ = ["UnseenError", "__version__"]
