"""Reports made for the estimates page and the downloads, kept a few minutes.

A report of a large workspace takes seconds to count and to estimate (a bootstrap or MCMC), and
each run draws anew: kept, the estimates page and the files downloaded from it show the same
numbers. They are kept by request (scope, partner, language, disclosure) and day, for
``ttl`` seconds, and dropped at once by "compute again". A report holds no identity, so one
made for one user may be shown to another; the scope is checked for every user before the
cache is looked at.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar, cast

from unseen.reports.model import ReportData
from unseen.services.report_downloads import ReportRequest

from .sessions import Clock

Key = tuple[ReportRequest, dt.date]
T = TypeVar("T")


@dataclass(frozen=True, repr=False)
class Made:
    data: ReportData
    at: float  # the app's clock when it was made

    def __repr__(self) -> str:
        return f"Made(scope={self.data.scope!r}, at={self.at})"


class ReportCache:
    def __init__(self, clock: Clock, ttl: float = 300.0, size: int = 16) -> None:
        self.clock, self.ttl, self.size = clock, ttl, size
        self._reports: OrderedDict[Key, Made] = OrderedDict()
        self._derived: dict[tuple[Key, str], object] = {}
        self._lock = threading.Lock()

    def report(self, key: Key, make: Callable[[], ReportData]) -> Made:
        with self._lock:
            found = self._reports.get(key)
            if found is not None and self.clock() - found.at <= self.ttl:
                return found
        made = Made(make(), self.clock())
        with self._lock:
            self._reports[key] = made
            self._derived = {k: v for k, v in self._derived.items() if k[0] != key}
            while len(self._reports) > self.size:
                old, _ = self._reports.popitem(last=False)
                self._derived = {k: v for k, v in self._derived.items() if k[0] != old}
        return made

    def derived(self, key: Key, name: str, made: Made, make: Callable[[], T]) -> T:
        """Something made from ``made`` (a rendered file, the page's charts), kept while
        ``made`` is."""
        with self._lock:
            found = self._derived.get((key, name))
            if found is not None and self._reports.get(key) is made:
                return cast(T, found)
        value = make()
        with self._lock:
            if self._reports.get(key) is made:
                self._derived[(key, name)] = value
        return value

    def clear(self) -> None:
        with self._lock:
            self._reports.clear()
            self._derived.clear()
