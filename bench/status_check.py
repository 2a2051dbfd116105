"""What did the product say the day before each new season premiered? (docs/status.md)

    RENEWCAST_DB=sqlite:///... .venv/bin/python bench/status_check.py [--json]

Every season N >= 2 that entered Netflix's global Top 10 as a new season (the forecast's units:
within 45 days of its premiere, no later season out yet) was, by then, certainly renewed. For each,
the status of season N is resolved as of the day before its premiere, and when it is not
``renewed`` the reason is sorted: no statement about it at all, only hopes/hints, only "not decided
yet", or a wrong decision (which source). Prints a Markdown table (stdout) for docs/status.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from datetime import timedelta

from renewcast.forecast.data import load_view
from renewcast.forecast.labels import find_units
from renewcast.status import resolve_status
from renewcast.status.decide import TIER_NAMES
from renewcast.store.db import connect


def why_not(r) -> str:  # type: ignore[no-untyped-def]
    v = r.verdict
    if r.status != "pending":
        d = r.deciding
        return f"wrong decision: {r.status} by {TIER_NAMES[d.tier] if d else '?'}"
    if v.question.kind == "beyond":
        return "pending: more than one season beyond the latest released or ordered"
    said = [e for e in v.counted if e.status is not None]
    if any(e.status == "pending" and not e.hedged for e in said):
        return "pending: the latest word was 'not decided yet'"
    if any(e.hedged or e in v.context for e in said):
        return "pending: only hopes, hints or low-confidence reports"
    if v.not_counted:
        return "pending: nothing said about this season (only about earlier ones)"
    return "pending: no statement about it in the data"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--json", action="store_true", help="one JSON line per season instead")
    args = ap.parse_args()
    engine = connect(create=False)
    rows = []
    with engine.connect() as conn:
        view = load_view(conn)
        for u in find_units(view):
            if u.season < 2:
                continue
            day = u.premiere - timedelta(days=1)
            r = resolve_status(conn, u.series_id, u.season, as_of=day, background=False)
            tier = TIER_NAMES[r.deciding.tier] if r.deciding and r.status == "renewed" else None
            rows.append(
                {
                    "series": r.title,
                    "season": u.season,
                    "day_before": day.isoformat(),
                    "status": r.status,
                    "by": tier,
                    "undated": r.undated,
                    "why": None if r.status == "renewed" else why_not(r),
                }
            )
    if args.json:
        for row in rows:
            print(json.dumps(row))
        return 0
    n = len(rows)
    st = Counter(r["status"] for r in rows)
    by = Counter(r["by"] for r in rows if r["status"] == "renewed")
    why = Counter(r["why"] for r in rows if r["why"])
    print(f"seasons: {n}\n")
    print("| said the day before | seasons | share |\n| --- | --- | --- |")
    for k, c in st.most_common():
        print(f"| {k} | {c} | {c / n:.1%} |")
    print("\n| renewed, decided by | seasons |\n| --- | --- |")
    for k, c in by.most_common():
        print(f"| {k} | {c} |")
    print("\n| not renewed: why | seasons |\n| --- | --- |")
    for k, c in why.most_common():
        print(f"| {k} | {c} |")
    wrong = [r for r in rows if r["status"] not in ("renewed", "pending")]
    for r in wrong:
        print(
            f"- {r['series']} season {r['season']} ({r['day_before']}): {r['why']}", file=sys.stderr
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
