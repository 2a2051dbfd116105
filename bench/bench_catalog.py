"""Benchmark the catalog: full sync (time, peak memory), the idempotent re-sync, and `show`.

    .venv/bin/python bench/bench_catalog.py [--data ../shared/data] [--repeat 5]

Prints a Markdown table for docs/benchmarks.md. Each sync runs in a fresh child process so that its peak
RSS (ru_maxrss) is its own.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "renewcast.cli"]


def run_child(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before) / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(REPO.parent / "shared" / "data"))
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        sync_s, sync_mb = run_child([*CLI, "sync", "--from", a.data, "--db", db, "--json"])
        resync_s, _ = run_child([*CLI, "sync", "--from", a.data, "--db", db, "--json"])
        cold = [
            run_child([*CLI, "show", "Partner Track", "--db", db, "--json"])[0]
            for _ in range(a.repeat)
        ]
        sys.path.insert(0, str(REPO))
        from renewcast.store.catalog import resolve_one, series_profile
        from renewcast.store.db import connect

        engine = connect(db)
        warm = []
        for _ in range(a.repeat * 4):
            t0 = time.perf_counter()
            with engine.connect() as conn:
                m = resolve_one(conn, "Partner Track")
                series_profile(conn, m.series_id).to_json()
            warm.append(time.perf_counter() - t0)
    print("| what | result |")
    print("| --- | --- |")
    print(
        f"| full sync of ../shared/data (SQLite, empty store) | {sync_s:.1f} s, peak RSS {sync_mb:.0f} MiB |"
    )
    print(f"| second sync (nothing changes) | {resync_s:.1f} s |")
    print(
        f'| `show "Partner Track" --json`, cold process, median of {len(cold)} | {statistics.median(cold):.2f} s |'
    )
    print(
        f"| show, warm (in-process resolve + profile), median of {len(warm)} | {statistics.median(warm) * 1000:.1f} ms |"
    )


if __name__ == "__main__":
    main()
