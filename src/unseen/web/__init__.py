"""The web app (``unseen serve``): a thin FastAPI shell over unseen.services and unseen.store."""

from .app import create_app

__all__ = ["create_app"]
