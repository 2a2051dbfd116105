"""Cached reads of the web service in-process, with and without ``news add`` writing: no HTTP.

    .venv/bin/python bench/bench_service_reads.py --db STORE --news ARTICLES.jsonl \\
        [--seconds 20] [--clients 8] [--series 12]

What ``bench_reads_during_writes.py`` measures over loopback HTTP, without the HTTP server and the
load generator: ``--clients`` threads call ``Service.answer`` and ``Service.series_page`` (the
answers of ``/api/ask`` and ``/api/series/{id}``) for ``--series`` decided series, today, each
computed once before the timing so that every timed call is a cached read. Phase 1 has no writer;
phase 2 runs ``renewcast news add ARTICLES.jsonl`` against the same store (a copy of STORE, which
must be synced from ../shared/data without the news and with ``--no-forecasts``), timed from the
writer's first committed claim. Each phase is
bounded by ``--seconds`` (at most 60). It shows whether a read waits for the writer (a query on
the store, a lock) apart from the machine's CPU; it also counts the stale values served and the
background recomputations (``Refresher``) run while the writer changes the data versions.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bench_reads_during_writes import (
    arguments,
    claim_count,
    copy_store,
    start_writer,
    stop,
    wait_for_claims,
)


def phase(calls: list[tuple[Callable[..., Any], tuple[Any, ...]]], clients: int, seconds: float):  # type: ignore[no-untyped-def]
    lat: list[float] = []
    stop = time.perf_counter() + seconds

    def client(k: int) -> None:
        j = k
        while time.perf_counter() < stop:
            f, args = calls[j % len(calls)]
            j += 1
            t0 = time.perf_counter()
            f(*args)
            lat.append(time.perf_counter() - t0)

    with ThreadPoolExecutor(clients) as ex:
        list(ex.map(client, range(clients)))
    lat.sort()
    return {
        "calls": len(lat),
        "per_s": len(lat) / seconds,
        "p50_ms": 1000 * lat[len(lat) // 2],
        "p95_ms": 1000 * lat[int(len(lat) * 0.95)],
        "max_ms": 1000 * lat[-1],
    }


def main() -> None:
    a = arguments(20.0)
    seconds = a.seconds

    from renewcast.store.db import connect
    from renewcast.web.lists import Filters
    from renewcast.web.service import Service

    tmp = Path(tempfile.mkdtemp(prefix="renewcast-bench-"))
    db = copy_store(a.db, tmp / "store.db")
    writer = None
    try:
        svc = Service(connect(db))
        jobs: list[float] = []
        submit = svc.refresher.submit

        def timed_submit(key: Any, job: Callable[[], Any]) -> None:
            def run() -> None:
                t0 = time.perf_counter()
                job()
                jobs.append(time.perf_counter() - t0)

            submit(key, run)

        svc.refresher.submit = timed_submit  # type: ignore[method-assign]
        decided = svc.decisions(None, Filters(), 100).decisions
        ids = list(dict.fromkeys(d.series_id for d in decided))[: a.series]
        calls: list[tuple[Callable[..., Any], tuple[Any, ...]]] = [
            (svc.answer, (i, None, None)) for i in ids
        ]
        calls += [(svc.series_page, (i, None, None)) for i in ids]
        t0 = time.perf_counter()
        for f, args in calls:
            f(*args)
        warm = time.perf_counter() - t0
        quiet = phase(calls, a.clients, seconds)
        writer = start_writer(db, a.news)
        ingest = wait_for_claims(db, writer)
        stale0 = sum(c.stale for c in (svc.answers, svc.profiles, svc.charts, svc.lists))
        jobs.clear()
        busy = phase(calls, a.clients, seconds)
        stale = sum(c.stale for c in (svc.answers, svc.profiles, svc.charts, svc.lists)) - stale0
        claims = claim_count(db)
    finally:
        stop(writer)
        shutil.rmtree(tmp, ignore_errors=True)
    print(
        f"{a.clients} threads, {len(calls)} cached calls ({len(ids)} series: answer and series "
        f"page, today), {seconds:.0f} s a phase, in-process; warm-up {warm:.1f} s; phase 2 from "
        f"the writer's first claim ({ingest:.0f} s after its start); during the "
        f"writer: {claims} claims committed, {stale} stale values served, {len(jobs)} background "
        f"recomputations ({sum(jobs):.1f} s)"
    )
    print()
    print("| phase | calls | calls/s | p50 ms | p95 ms | max ms |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, r in (("no writer", quiet), ("during `news add`", busy)):
        print(
            f"| {name} | {r['calls']} | {r['per_s']:.0f} | {r['p50_ms']:.1f} | "
            f"{r['p95_ms']:.1f} | {r['max_ms']:.0f} |"
        )


if __name__ == "__main__":
    main()
