"""The web app (``unseen serve``): a thin FastAPI shell over unseen.services and unseen.store.

``create_app`` is imported on first use, so that reading the catalogs (:mod:`.i18n`, which
``unseen review`` shares) does not start FastAPI and every router (about 3 s).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from .app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
