"""Cached reads with and without a writer: does ``news add`` stall the web server's readers?

    .venv/bin/python bench/bench_reads_during_writes.py --db STORE --news ARTICLES.jsonl \\
        [--seconds 30] [--clients 8] [--series 12]

STORE is a store synced from ../shared/data *without* the news (the writer adds it); it is copied
first, so STORE itself is never written. ``renewcast serve`` runs on a free 127.0.0.1 port (only
loopback is ever contacted); the load generator of ``bench_web.py`` runs in its own process with
``--clients`` threads, each phase bounded by ``--seconds`` (at most 60). URLs: ``/api/ask`` and
``/api/series/{id}`` of ``--series`` series for today, each requested once before the timing
(so every timed read is a cached read). Phase 1 has no writer; phase 2 runs ``renewcast news add
ARTICLES.jsonl`` against the same store and starts timing once the writer commits its first claim
(ingest done, extraction committing claims article by article, each commit moving the data
versions the caches are keyed by), waiting at most 300 s for it. STORE must be synced with
``--no-forecasts``: with materialised forecasts ``news add`` would recompute every weekly cutoff. Prints a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_web import run_load, start_server

MAX_SECONDS = 60.0
#: how long the writer may take to reach extraction (its first committed claim)
MAX_INGEST_SECONDS = 300.0


def copy_store(src: str, dest: Path) -> str:
    path = src.removeprefix("sqlite:///")
    a, b = sqlite3.connect(path), sqlite3.connect(dest)
    with b:
        a.backup(b)
    a.close()
    b.close()
    return str(dest)


def claim_count(db: str) -> int:
    con = sqlite3.connect(db, timeout=30)
    try:
        return int(con.execute("select count(*) from claims").fetchone()[0])
    finally:
        con.close()


def stop(writer: subprocess.Popen[bytes] | None) -> None:
    if writer is not None and writer.poll() is None:
        writer.terminate()
        writer.wait(timeout=30)


def wait_for_claims(db: str, writer: subprocess.Popen[bytes]) -> float:
    """Block until the writer has committed a claim (extraction under way: every commit moves
    the data versions the caches are keyed by); the seconds waited. Bounded."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < MAX_INGEST_SECONDS and writer.poll() is None:
        if claim_count(db):
            break
        time.sleep(0.5)
    return time.perf_counter() - t0


def arguments(seconds: float) -> argparse.Namespace:
    """--db, --news, --seconds (at most MAX_SECONDS), --clients, --series."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True, help="A store synced without news or forecasts.")
    ap.add_argument("--news", required=True, help="The JSONL archive the writer adds.")
    ap.add_argument("--seconds", type=float, default=seconds)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--series", type=int, default=12)
    a = ap.parse_args()
    a.seconds = min(a.seconds, MAX_SECONDS)
    return a


def start_writer(db: str, news: str) -> subprocess.Popen[bytes]:
    """`renewcast news add NEWS` on the store, in a child process."""
    exe = Path(sys.executable).with_name("renewcast")
    return subprocess.Popen(
        [str(exe), "news", "add", news, "--db", db, "--json"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def main() -> None:
    a = arguments(30.0)
    seconds = a.seconds
    import httpx

    tmp = Path(tempfile.mkdtemp(prefix="renewcast-bench-"))
    db = copy_store(a.db, tmp / "store.db")
    proc, base = start_server(db)
    writer = None
    try:
        decided = httpx.get(f"{base}/api/decisions?limit=100", timeout=600).json()["decisions"]
        ids = list(dict.fromkeys(d["series_id"] for d in decided))[: a.series]
        urls = [f"{base}/api/ask?series_id={i}" for i in ids]
        urls += [f"{base}/api/series/{i}" for i in ids]
        t0 = time.perf_counter()
        for u in urls:  # every timed read is a cached read
            httpx.get(u, timeout=600).raise_for_status()
        warm = time.perf_counter() - t0
        quiet = run_load(urls, a.clients, 10**9, seconds)
        writer = start_writer(db, a.news)
        ingest = wait_for_claims(db, writer)  # extraction commits claims from here on
        busy = run_load(urls, a.clients, 10**9, seconds)
        running = writer.poll() is None
        added = None
        if not running:
            added = claim_count(db)
    finally:
        stop(writer)
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:  # busy recomputing: our own child, stop it hard
            proc.kill()
            proc.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)
    print(
        f"{a.clients} clients, {len(urls)} cached URLs ({len(ids)} series: /api/ask and "
        f"/api/series, today), {seconds:.0f} s a phase, loopback; warm-up {warm:.1f} s; phase 2 "
        f"from the writer's first claim ({ingest:.0f} s after its start); writer "
        + ("still running at the end of the phase" if running else f"done ({added} claims)")
    )
    print()
    print("| phase | requests | errors | req/s | p50 ms | p95 ms |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, r in (("no writer", quiet), ("during `news add`", busy)):
        print(
            f"| {name} | {r['requests']} | {r['errors']} | {r['rps']:.1f} | "
            f"{r['p50_ms']:.1f} | {r['p95_ms']:.1f} |"
        )
    print()
    print(f"throughput during the writer: {100 * busy['rps'] / max(quiet['rps'], 1e-9):.0f}% ")


if __name__ == "__main__":
    main()
