"""Time one fit, one `forecast`, and the full walk-forward backtest on a synced store.

Usage: .venv/bin/python bench/bench_forecast.py --db /tmp/store.db [--report DIR]
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import date
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--report", type=Path, default=None)
    args = ap.parse_args()
    from renewcast.forecast.api import forecast_season
    from renewcast.forecast.backtest import run_backtest, write_report
    from renewcast.forecast.data import load_view
    from renewcast.forecast.model import fit
    from renewcast.sources.base import end_of_day
    from renewcast.store.catalog import resolve_one
    from renewcast.store.db import connect

    engine = connect(args.db)
    with engine.connect() as conn:
        t = time.perf_counter()
        view = load_view(conn)
        t_load = time.perf_counter() - t
        t = time.perf_counter()
        fit(view.at(end_of_day(date(2024, 6, 1))))
        t_fit = time.perf_counter() - t
        sid = resolve_one(conn, "Virgin River").series_id
        t = time.perf_counter()
        forecast_season(conn, sid, None, date(2024, 1, 1))
        t_fc = time.perf_counter() - t
    t = time.perf_counter()
    result = run_backtest(view, date(2022, 7, 1), date(2025, 6, 30))
    t_bt = time.perf_counter() - t
    if args.report:
        write_report(result, args.report)
    out = {
        "load_view_s": round(t_load, 2),
        "one_fit_s": round(t_fit, 2),
        "forecast_s": round(t_fc, 2),
        "backtest_36_cutoffs_s": round(t_bt, 1),
        # what the timed backtest measured, so a run of the benchmark also checks the figures
        "renewal_all": result.summary()["renewal"]["all"]["model"],
        "release_window": result.release_summary(),
    }
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
