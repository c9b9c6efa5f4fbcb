"""What a user reads (messages, reasons, notes): English, then Korean, in one string.

The CLI, the web app and the reports print an estimate's ``message`` as it is, so each
module of this package writes its messages through :func:`both`.
"""

from __future__ import annotations

__all__ = ["both"]


def both(en: str, ko: str) -> str:
    return f"{en} / {ko}"
