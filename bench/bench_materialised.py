"""Cold timings of the materialised forecasts: `ask` of a pending season, `forecast --open`, /bubble.

Each timing is a fresh process (imports, store open, the read), run ``--runs`` times; the store must
have its forecasts materialised (`renewcast sync`, or `bench_materialised.py --refresh`, which
times the materialisation of every weekly cutoff).

Usage: .venv/bin/python bench/bench_materialised.py --db sqlite:////tmp/store.db
       [--title "The Eternaut"] [--as-of 2026-12-01] [--runs 5] [--refresh]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

BUBBLE = """
import sys
from fastapi.testclient import TestClient
from renewcast.web.app import create_app
r = TestClient(create_app(sys.argv[1])).get("/bubble", params={"as_of": sys.argv[2]})
assert r.status_code == 200, r.status_code
"""


def _timed(cmd: list[str], env: dict[str, str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, capture_output=True)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--title", default="The Eternaut")
    ap.add_argument("--as-of", default="2026-12-01")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--refresh", action="store_true")
    args = ap.parse_args()
    env = {**os.environ, "RENEWCAST_DB": args.db}
    out: dict[str, object] = {}
    if args.refresh:
        from datetime import date

        from renewcast.forecast.materialise import refresh
        from renewcast.store.db import connect

        report = refresh(connect(args.db), today=date.fromisoformat(args.as_of))
        out["materialise"] = report.to_json()
    py = [sys.executable]
    cli = [*py, "-m", "renewcast.cli"]
    runs = {
        "ask_pending": [*cli, "ask", args.title, "--as-of", args.as_of, "--json"],
        "forecast_open": [*cli, "forecast", "--open", "--as-of", args.as_of, "--json"],
    }
    for name, cmd in runs.items():
        ts = [_timed(cmd, env) for _ in range(args.runs)]
        out[name] = {"median_s": round(statistics.median(ts), 2), "max_s": round(max(ts), 2)}
    ts = [_timed([*py, "-c", BUBBLE, args.db, args.as_of], env) for _ in range(args.runs)]
    out["bubble_cold_process"] = {
        "median_s": round(statistics.median(ts), 2),
        "max_s": round(max(ts), 2),
    }
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
