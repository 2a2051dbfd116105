"""A small thread-safe LRU for values computed from the store, keyed by its data version.

The web server reads a store that ``sync`` and ``news add`` may write to at the same time, so
every key carries :func:`store_version`: any import or new article changes it and old entries stop
being used (they age out of the LRU).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from sqlalchemy import Connection, func, select

from renewcast.store.schema import claims, documents, import_log

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

    def __len__(self) -> int:
        return len(self._data)


def store_version(conn: Connection) -> tuple[int, int, int, int]:
    """Changes whenever the store gains documents, imports or (re-)extracted claims."""
    row = conn.execute(
        select(
            select(func.coalesce(func.max(documents.c.id), 0)).scalar_subquery(),
            select(func.coalesce(func.max(import_log.c.id), 0)).scalar_subquery(),
            select(func.coalesce(func.max(claims.c.id), 0)).scalar_subquery(),
            select(func.count()).select_from(claims).scalar_subquery(),
        )
    ).one()
    return (int(row[0]), int(row[1]), int(row[2]), int(row[3]))
