"""The GIL switch interval and request-like threads beside a CPU-bound background thread.

    .venv/bin/python bench/bench_switch_interval.py [--seconds 4]

Eight threads each repeat a "request": six hand-offs (a 0.2 ms sleep, which releases the GIL, then
a little Python work), as a request moves between uvicorn's event loop and its thread pool. With
and without one thread computing in pure Python (the web service's background refresher
recomputing stale answers during a writer), at CPython's default switch interval (5 ms) and at
the 1 ms ``renewcast serve`` sets (``web.app.SWITCH_INTERVAL``). No store, no network. Prints a
Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time


def run(interval: float, background: bool, seconds: float) -> tuple[int, float, float]:
    sys.setswitchinterval(interval)
    stop = threading.Event()
    lat: list[float] = []

    def cpu() -> None:
        x = 0
        while not stop.is_set():
            for i in range(10_000):
                x += i * i

    def client() -> None:
        while not stop.is_set():
            t0 = time.perf_counter()
            for _ in range(6):
                time.sleep(0.0002)
                sum(range(2000))
            lat.append(time.perf_counter() - t0)

    threads = [threading.Thread(target=client) for _ in range(8)]
    if background:
        threads.append(threading.Thread(target=cpu))
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join()
    lat.sort()
    return len(lat), 1000 * lat[len(lat) // 2], 1000 * lat[int(0.95 * len(lat))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=4.0)
    a = ap.parse_args()
    print("| switch interval | background CPU thread | requests | p50 ms | p95 ms |")
    print("| --- | --- | --- | --- | --- |")
    for interval in (0.005, 0.001):
        for background in (False, True):
            n, p50, p95 = run(interval, background, min(a.seconds, 30.0))
            print(
                f"| {1000 * interval:.0f} ms | {'yes' if background else 'no'} | {n} | "
                f"{p50:.1f} | {p95:.1f} |"
            )


if __name__ == "__main__":
    main()
