"""Caches for values computed from the store, and the data versions they are keyed by.

The web server reads a store that ``sync`` and ``news add`` may write to at the same time. A value
is keyed by the version of the data it depends on, not by one version of the whole store:

* :func:`series_version` — what one series' answer reads that news can change (its claims, quotes
  and cast mentions known by the cutoff) plus the catalog version (every file import);
* :func:`data_version` — everything known by a cutoff (the forecast model fitted at that cutoff,
  the lists): an article published after the cutoff does not change it;
* :func:`forecasts_version` — the materialised weekly forecasts (the odds over time).

:class:`VersionedLRU` keeps the last value of each slot with the version it was computed at; when
the version moved on, the old value is served while one background thread recomputes it, so a
read never waits for a writer's changes to be recomputed (a value is at most one refresh old).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection, bindparam, func, select

from renewcast.store.db import known_by, prepared, with_cutoff
from renewcast.store.schema import cast_mentions, claims, forecast_cutoffs, import_log, quotes

V = TypeVar("V")


class LRU(Generic[V]):
    """Least-recently-used cache; values are computed outside the lock (two threads may both
    compute a missing value once; the second result wins, both are the same)."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._data: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, compute: Callable[[], V]) -> V:
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                self.hits += 1
                return self._data[key]
            self.misses += 1
        value = compute()
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.maxsize:
                self._data.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    def forget(self, key: Hashable) -> None:
        with self._lock:
            self._data.pop(key, None)

    def __len__(self) -> int:
        return len(self._data)


def catalog_version(conn: Connection) -> int:
    """Changes with every file import (``sync``, ``update``); news ingest does not log here."""
    return int(conn.execute(select(func.coalesce(func.max(import_log.c.id), 0))).scalar_one())


def data_version(conn: Connection, cutoff: datetime | None) -> tuple[int, ...]:
    """The version of what was known by ``cutoff`` (None: everything): imports, and the claims
    public by then. A forecast model fitted at the cutoff depends on exactly this."""

    def build() -> Any:
        where = [known_by(claims.c.known_at, cutoff)] if cutoff is not None else []
        return select(
            select(func.coalesce(func.max(import_log.c.id), 0)).scalar_subquery(),
            select(func.count()).select_from(claims).where(*where).scalar_subquery(),
            select(func.coalesce(func.max(claims.c.id), 0)).where(*where).scalar_subquery(),
        )

    q = prepared(("data_version", cutoff is None), build)
    return tuple(int(v) for v in conn.execute(q, with_cutoff({}, cutoff)).one())


def series_version(conn: Connection, series_id: int, cutoff: datetime | None) -> tuple[int, ...]:
    """The version of one series' own news (claims, quotes, cast mentions known by ``cutoff``)
    and of the catalog; another series' article does not change it. One statement of indexed
    lookups."""

    def build() -> Any:
        parts: list[Any] = [select(func.coalesce(func.max(import_log.c.id), 0)).scalar_subquery()]
        for table in (claims, quotes, cast_mentions):
            where = [table.c.series_id == bindparam("sid")]
            if cutoff is not None and "known_at" in table.c:
                where.append(known_by(table.c.known_at, cutoff))
            parts.append(select(func.count()).select_from(table).where(*where).scalar_subquery())
            parts.append(
                select(func.coalesce(func.max(table.c.id), 0)).where(*where).scalar_subquery()
            )
        return select(*parts)

    q = prepared(("series_version", cutoff is None), build)
    return tuple(int(v) for v in conn.execute(q, with_cutoff({"sid": series_id}, cutoff)).one())


def forecasts_version(conn: Connection) -> tuple[Any, ...]:
    """Changes whenever weekly forecasts are materialised or dropped (``forecast_cutoffs``) and
    with every file import: what an answer read from the materialised forecasts depends on."""
    n, last = conn.execute(select(func.count(), func.max(forecast_cutoffs.c.computed_at))).one()
    return (catalog_version(conn), int(n), str(last))


class VersionedLRU(Generic[V]):
    """An LRU of ``slot -> (version, value)`` that serves a stale value while it is recomputed.

    :meth:`get` returns the stored value when its version matches; when the version moved on it
    returns the stored value at once and queues one recomputation on the shared background
    thread; a slot never computed is computed in the caller's thread.
    """

    def __init__(self, maxsize: int, refresher: Refresher) -> None:
        self.maxsize = maxsize
        self.refresher = refresher
        self._data: OrderedDict[Hashable, tuple[Hashable, V]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.stale = 0
        self.misses = 0

    def get(self, slot: Hashable, version: Hashable, compute: Callable[[], V]) -> V:
        with self._lock:
            found = self._data.get(slot)
            if found is not None:
                self._data.move_to_end(slot)
                if found[0] == version:
                    self.hits += 1
                    return found[1]
                self.stale += 1
            else:
                self.misses += 1
        if found is not None:
            self.refresher.submit((id(self), slot), lambda: self.put(slot, version, compute()))
            return found[1]
        value = compute()
        self.put(slot, version, value)
        return value

    def peek(self, slot: Hashable) -> V | None:
        """The stored value of ``slot`` whatever its version (None when never computed); never
        computes."""
        with self._lock:
            found = self._data.get(slot)
        return None if found is None else found[1]

    def put(self, slot: Hashable, version: Hashable, value: V) -> None:
        with self._lock:
            self._data[slot] = (version, value)
            self._data.move_to_end(slot)
            while len(self._data) > self.maxsize:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        return len(self._data)


class Refresher:
    """One background thread that recomputes stale cache slots, each slot queued at most once.

    It takes at most ``share`` of a core while work is queued: after a job of ``t`` seconds it
    pauses ``t * (1 - share) / share`` (at most ``max_pause``) before the next one, so that while
    a writer keeps changing versions (``news add`` commits article by article) the recomputations
    leave the CPU and the interpreter lock to the requests they exist to keep fast. Stale values
    are served meanwhile, so a pause delays freshness, never a read.
    """

    def __init__(
        self,
        share: float = 0.5,
        max_pause: float = 5.0,
        *,
        clock: Callable[[], float] = time.perf_counter,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._pending: dict[Hashable, Callable[[], Any]] = {}
        self._cond = threading.Condition()
        self._busy = False
        self._thread: threading.Thread | None = None
        self.errors = 0
        self.share = share
        self.max_pause = max_pause
        self._clock = clock
        self._sleep = sleep

    def submit(self, key: Hashable, job: Callable[[], Any]) -> None:
        with self._cond:
            if key in self._pending:
                return
            self._pending[key] = job
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="renewcast-refresh", daemon=True
                )
                self._thread.start()
            self._cond.notify()

    def pause_after(self, seconds: float) -> float:
        """The pause after a job of ``seconds`` that keeps the thread to its share of a core."""
        return min(self.max_pause, seconds * (1.0 - self.share) / self.share)

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._pending:
                    self._busy = False
                    self._cond.notify_all()
                    self._cond.wait()
                key = next(iter(self._pending))
                job = self._pending.pop(key)
                self._busy = True
            t0 = self._clock()
            try:
                job()
            except Exception:  # the next read of the slot tries again
                self.errors += 1
            with self._cond:
                more = bool(self._pending)
            if more:  # nothing queued: no pause, the next job after a quiet spell starts at once
                self._sleep(self.pause_after(self._clock() - t0))

    def wait_idle(self, timeout: float = 60.0) -> bool:
        """Block until nothing is queued or running (tests, benchmarks); False on timeout."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._pending and not self._busy, timeout)
