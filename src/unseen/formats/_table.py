"""The shape every reader produces: a header and numbered rows of text cells."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

# (spreadsheet row number with the header as row 1, the row's cells as text)
RawRow = tuple[int, list[str]]


@dataclass
class RawTable:
    """A file decoded into text cells, not yet validated. ``rows`` is consumed once."""

    file: str
    format: str
    header: list[str] | None  # None: the file holds nothing at all
    rows: Iterator[RawRow]
    close: Callable[[], None] = lambda: None  # releases the file (XLSX reads lazily)
