"""Benchmark the web server: requests/s and latency of /api/ask and the series page.

    .venv/bin/python bench/bench_web.py --db STORE [--seconds 15] [--requests 2000] [--concurrency 4]

``renewcast serve`` runs in one child process on a free loopback port; the load generator (httpx,
``--concurrency`` threads, at most ``--requests`` requests and ``--seconds`` per scenario) runs in a
second child process, so client and server do not share a GIL. Only 127.0.0.1 is ever contacted.
STORE must hold the full data (``renewcast sync --from ../shared/data``; the news archive too if the
answers should cite articles). Scenarios:

* warm: the same URL again and again (the server's answer cache hits after the first request);
* cold: one request per distinct series (every request computes a new answer; the forecast model
  for the date is fit once, during a warm-up request that is not counted).

Prints a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
AS_OF = "2024-06-30"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[k]


# ------------------------------------------------------------------ the load generator (child)
class StdlibClient:
    """One keep-alive connection with ``http.client``: 0.4 ms of CPU a request against httpx's
    1.3 ms, which runs on the same cores as the server it measures."""

    def __init__(self, base: str) -> None:
        import http.client
        from urllib.parse import urlsplit

        parts = urlsplit(base)
        self._new = lambda: http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
        self.conn = self._new()

    def ok(self, url: str) -> bool:
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        try:
            self.conn.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
            response = self.conn.getresponse()
            response.read()
            return response.status == 200
        except OSError:
            self.conn.close()
            self.conn = self._new()
            return False

    def close(self) -> None:
        self.conn.close()


class HttpxClient:
    def __init__(self, base: str) -> None:
        import httpx

        self.client = httpx.Client(timeout=120)
        self.errors = (httpx.HTTPError,)

    def ok(self, url: str) -> bool:
        try:
            return bool(self.client.get(url).status_code == 200)
        except self.errors:
            return False

    def close(self) -> None:
        self.client.close()


CLIENTS = {"httpx": HttpxClient, "stdlib": StdlibClient}


def load(
    urls: list[str], concurrency: int, max_requests: int, seconds: float, client: str = "httpx"
) -> dict[str, Any]:
    """Request ``urls`` round-robin from ``concurrency`` threads; bounded by count and time."""
    import resource

    for u in urls:
        if not u.startswith("http://127.0.0.1:"):
            raise SystemExit(f"refusing to load-test {u}: loopback only")
    lock = threading.Lock()
    latencies: list[float] = []
    errors = 0
    issued = 0

    # the clients exist before the clock starts: making an httpx one costs 35-150 ms of CPU (its
    # TLS context), which would otherwise count against the server in a run of 40 requests
    clients = [CLIENTS[client](urls[0]) for _ in range(concurrency)]
    started = threading.Barrier(concurrency + 1)

    def worker(c: Any) -> None:
        nonlocal errors, issued
        started.wait()
        try:
            while True:
                with lock:
                    if issued >= max_requests or time.monotonic() > deadline:
                        return
                    url = urls[issued % len(urls)]
                    issued += 1
                t0 = time.perf_counter()
                ok = c.ok(url)
                dt = time.perf_counter() - t0
                with lock:
                    latencies.append(dt)
                    errors += 0 if ok else 1
        finally:
            c.close()

    threads = [threading.Thread(target=worker, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    deadline = time.monotonic() + seconds
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    started.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = cpu1.ru_utime - cpu0.ru_utime + cpu1.ru_stime - cpu0.ru_stime
    return {
        "requests": len(latencies),
        "errors": errors,
        "seconds": wall,
        "rps": len(latencies) / wall if wall else 0.0,
        "p50_ms": 1000 * statistics.median(latencies) if latencies else None,
        "p95_ms": 1000 * percentile(latencies, 0.95),
        "client_cpu_ms": 1000 * cpu / len(latencies) if latencies else None,
    }


def run_load(
    urls: list[str], concurrency: int, max_requests: int, seconds: float, client: str = "httpx"
) -> dict:
    """The load generator in a second process."""
    args = [
        sys.executable,
        __file__,
        "--load-child",
        json.dumps(urls),
        "--concurrency",
        str(concurrency),
        "--requests",
        str(max_requests),
        "--seconds",
        str(seconds),
        "--client",
        client,
    ]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


# ------------------------------------------------------------------ the server (child)
def start_server(db: str, workers: int = 1) -> tuple[subprocess.Popen[bytes], str]:
    import httpx

    port = free_port()
    exe = Path(sys.executable).with_name("renewcast")
    proc = subprocess.Popen(
        [str(exe), "serve", "--host", "127.0.0.1", "--port", str(port), "--db", db]
        + (["--workers", str(workers)] if workers > 1 else []),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            # a cheap page: "/" computes today's lists, which may take longer than the probe
            if httpx.get(base + "/openapi.json", timeout=2).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.terminate()
    raise SystemExit("renewcast serve did not start within 60 s")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", help="A store with the full data loaded.")
    ap.add_argument("--seconds", type=float, default=15.0)
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--concurrency", type=int, default=4)
    ap.add_argument("--cold-series", type=int, default=30)
    ap.add_argument("--workers", type=int, default=1, help="`renewcast serve --workers N`")
    ap.add_argument(
        "--client",
        choices=sorted(CLIENTS),
        default="httpx",
        help="The load generator's HTTP client (stdlib: a third of httpx's CPU a request).",
    )
    ap.add_argument("--cold-only", action="store_true", help="Only the uncached /api/ask scenario.")
    ap.add_argument("--load-child", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.load_child:
        print(
            json.dumps(
                load(json.loads(a.load_child), a.concurrency, a.requests, a.seconds, a.client)
            )
        )
        return
    if not a.db:
        raise SystemExit("give --db STORE (a store synced from ../shared/data)")
    import httpx

    proc, base = start_server(a.db, a.workers)
    try:
        ask = f"{base}/api/ask?q=Partner%20Track&as_of={AS_OF}"
        sid = httpx.get(f"{base}/api/search?q=Partner%20Track", timeout=60).json()["matches"][0]
        page = f"{base}/series/{sid['series_id']}?as_of={AS_OF}"
        rows: list[tuple[str, dict]] = []
        t0 = time.perf_counter()
        httpx.get(f"{base}/api/forecast/open?as_of={AS_OF}", timeout=600)  # fits the model
        rows.append(
            (
                "first /api/forecast/open (fits the model for the date)",
                {"p50_ms": 1000 * (time.perf_counter() - t0)},
            )
        )
        t0 = time.perf_counter()
        httpx.get(ask, timeout=300)
        rows.append(("first /api/ask", {"p50_ms": 1000 * (time.perf_counter() - t0)}))
        if not a.cold_only:
            t0 = time.perf_counter()
            httpx.get(page, timeout=300)
            first_page = 1000 * (time.perf_counter() - t0)
            rows.append(("first series page after it (chart comparables)", {"p50_ms": first_page}))
        decided = httpx.get(
            f"{base}/api/decisions?as_of={AS_OF}&limit={min(200, 3 * a.cold_series)}",
            timeout=300,
        ).json()["decisions"]
        every = list(dict.fromkeys(d["series_id"] for d in decided))
        half = min(a.cold_series, len(every) // 2)
        ids, page_ids = every[:half], every[half : 2 * half]  # no answer cached for the pages
        if not a.cold_only:
            rows.append(
                ("/api/ask, warm", run_load([ask], a.concurrency, a.requests, a.seconds, a.client))
            )
            rows.append(
                (
                    "series page, warm",
                    run_load([page], a.concurrency, a.requests, a.seconds, a.client),
                )
            )
        cold = [f"{base}/api/ask?series_id={i}&as_of={AS_OF}" for i in ids]
        rows.append(
            (
                f"/api/ask, cold ({len(ids)} distinct series)",
                run_load(cold, a.concurrency, len(ids), a.seconds * 8, a.client),
            )
        )
        if not a.cold_only:
            pages = [f"{base}/series/{i}?as_of={AS_OF}&season=" for i in page_ids]
            rows.append(
                (
                    f"series page, cold ({len(page_ids)} other series)",
                    run_load(pages, a.concurrency, len(page_ids), a.seconds * 8, a.client),
                )
            )
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    print(
        f"as_of={AS_OF}, concurrency {a.concurrency}, {a.workers} server worker(s), loopback, "
        "server and client in separate processes"
    )
    print()
    print(f"load generator: {a.client}, {a.concurrency} keep-alive connections")
    print()
    print("| scenario | requests | errors | req/s | p50 ms | p95 ms | client CPU ms/request |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, r in rows:

        def f(key: str, r: dict = r) -> str:
            v = r.get(key)
            return "" if v is None else (f"{v:.1f}" if isinstance(v, float) else str(v))

        print(
            f"| {name} | {f('requests') or 1} | {f('errors') or 0} | {f('rps')} | "
            f"{f('p50_ms')} | {f('p95_ms')} | {f('client_cpu_ms')} |"
        )


if __name__ == "__main__":
    main()
