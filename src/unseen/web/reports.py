"""Reports for the estimates page and the downloads: made in a worker thread, kept a few minutes.

A report of a large workspace takes seconds to read, count and estimate (a bootstrap or MCMC),
and each run draws anew. So a report is a job: the request opens a second handle on the user's
workspace (:meth:`~unseen.store.Workspace.sibling`: her keys, its own connection), a worker
thread makes the report with it and closes it, and no lock of the app is held meanwhile, so
other requests (hers included) go on. The request waits ``wait`` seconds for it; a report not
done by then is shown as "being made" (stage and progress) until it is.

Kept, the estimates page and the files downloaded from it show the same numbers: reports are
kept by request (scope, partner, language, disclosure) and day, for ``ttl`` seconds, and
dropped at once by "compute again" and by every write (a job still running then is finished
but not kept: the next request makes the report again). A report holds no identity, so one
made for one user may be shown to another; the scope is checked for every user before the
table is looked at.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar, cast

from unseen.errors import UnseenError
from unseen.reports.model import ReportData
from unseen.services.report_downloads import ReportRequest
from unseen.store import Workspace

from .sessions import Clock

Key = tuple[ReportRequest, dt.date]
Progress = Callable[[str, int, int], None]
Build = Callable[[Workspace, Progress], ReportData]
T = TypeVar("T")


@dataclass(frozen=True, repr=False)
class Made:
    data: ReportData
    at: float  # the app's clock when it was made

    def __repr__(self) -> str:
        return f"Made(scope={self.data.scope!r}, at={self.at})"


class Job:
    """One report being made: its stage and progress, then the report or the error."""

    def __init__(self, key: Key, started: float) -> None:
        self.key, self.started = key, started
        self.stage, self.done_steps, self.total_steps = "start", 0, 0
        self.made: Made | None = None
        self.error: UnseenError | None = None
        self.finished = threading.Event()

    def progress(self, stage: str, done: int, total: int) -> None:
        self.stage, self.done_steps, self.total_steps = stage, done, total

    def __repr__(self) -> str:
        return f"Job(scope={self.key[0].scope!r}, stage={self.stage!r})"


class ReportCache:
    def __init__(
        self, clock: Clock, ttl: float = 300.0, size: int = 16, *, wait: float = 3.0,
        workers: int = 2,
    ) -> None:  # fmt: skip
        self.clock, self.ttl, self.size, self.wait = clock, ttl, size, wait
        self._reports: OrderedDict[Key, Made] = OrderedDict()
        self._running: dict[Key, Job] = {}
        self._derived: dict[tuple[Key, str], object] = {}
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="unseen-report")
        # Between the handle and the report: a test holds a job here (threading.Event).
        self.before_build: Callable[[Key], None] = lambda key: None

    def kept(self, key: Key) -> Made | None:
        with self._lock:
            found = self._reports.get(key)
            if found is not None and self.clock() - found.at <= self.ttl:
                return found
            return None

    def start(self, key: Key, open_handle: Callable[[], Workspace], build: Build) -> Job:
        """The job making this report: one already running for it, else a new one (the
        handle is opened here, in the request's thread, and closed by the worker)."""
        with self._lock:
            running = self._running.get(key)
            if running is not None:
                return running
            job = Job(key, self.clock())
            self._running[key] = job
        try:
            handle = open_handle()
        except BaseException:
            with self._lock:
                self._running.pop(key, None)
            job.finished.set()
            raise
        self._pool.submit(self._run, job, handle, build)
        return job

    def _run(self, job: Job, handle: Workspace, build: Build) -> None:
        try:
            self.before_build(job.key)
            made = Made(build(handle, job.progress), self.clock())
            job.made = made
            with self._lock:
                if self._running.get(job.key) is job:  # not dropped by a write meanwhile
                    self._keep(job.key, made)
        except UnseenError as exc:
            job.error = exc
        except Exception:  # a bug: say so, and let the next request try again
            job.error = UnseenError("the report could not be made / 보고서를 만들 수 없습니다")
        finally:
            handle.close()
            with self._lock:
                if self._running.get(job.key) is job:
                    del self._running[job.key]
            job.finished.set()

    def _keep(self, key: Key, made: Made) -> None:
        self._reports[key] = made
        self._reports.move_to_end(key)
        self._derived = {k: v for k, v in self._derived.items() if k[0] != key}
        while len(self._reports) > self.size:
            old, _ = self._reports.popitem(last=False)
            self._derived = {k: v for k, v in self._derived.items() if k[0] != old}

    def report(
        self, key: Key, open_handle: Callable[[], Workspace], build: Build,
        *, wait: float | None = None,
    ) -> Made | Job:  # fmt: skip
        """The kept report, or the one made within ``wait`` seconds, else its job (running).
        A job that failed raises its error here."""
        found = self.kept(key)
        if found is not None:
            return found
        job = self.start(key, open_handle, build)
        job.finished.wait(self.wait if wait is None else wait)
        if job.error is not None:
            raise job.error
        return job.made if job.made is not None else job

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
        """Drop every kept report; jobs still running finish but are not kept."""
        with self._lock:
            self._reports.clear()
            self._derived.clear()
            self._running.clear()
