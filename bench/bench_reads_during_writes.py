"""Cached reads with and without a writer: does ``news add`` stall the web server's readers?

    .venv/bin/python bench/bench_reads_during_writes.py --db STORE --news ARTICLES.jsonl \\
        [--seconds 30] [--clients 8] [--series 12]

STORE is a store synced from ../shared/data *without* the news (the writer adds it); it is copied
first, so STORE itself is never written. ``renewcast serve`` runs on a free 127.0.0.1 port (only
loopback is ever contacted); the load generator of ``bench_web.py`` runs in its own process with
``--clients`` threads, each phase bounded by ``--seconds`` (at most 60). URLs: ``/api/ask`` and
``/api/series/{id}`` of ``--series`` series for today, each requested once before the timing
(so every timed read is a cached read). Phase 1 has no writer; phase 2 runs ``renewcast news add
ARTICLES.jsonl`` (ingest, then extraction, which commits claims article by article) against the
same store while the clients read. Prints a Markdown table for docs/benchmarks.md.
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


def copy_store(src: str, dest: Path) -> str:
    path = src.removeprefix("sqlite:///")
    a, b = sqlite3.connect(path), sqlite3.connect(dest)
    with b:
        a.backup(b)
    a.close()
    b.close()
    return str(dest)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True, help="A store synced from ../shared/data, no news.")
    ap.add_argument("--news", required=True, help="The JSONL archive the writer adds.")
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--series", type=int, default=12)
    a = ap.parse_args()
    seconds = min(a.seconds, MAX_SECONDS)
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
        exe = Path(sys.executable).with_name("renewcast")
        writer = subprocess.Popen(
            [str(exe), "news", "add", a.news, "--db", db, "--json"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(2.0)  # ingest under way; extraction commits claims from here on
        busy = run_load(urls, a.clients, 10**9, seconds)
        running = writer.poll() is None
        added = None
        if not running:
            con = sqlite3.connect(db)
            added = con.execute("select count(*) from claims").fetchone()[0]
            con.close()
    finally:
        if writer is not None and writer.poll() is None:
            writer.terminate()
            writer.wait(timeout=30)
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:  # busy recomputing: our own child, stop it hard
            proc.kill()
            proc.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)
    print(
        f"{a.clients} clients, {len(urls)} cached URLs ({len(ids)} series: /api/ask and "
        f"/api/series, today), {seconds:.0f} s a phase, loopback; warm-up {warm:.1f} s; writer "
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
