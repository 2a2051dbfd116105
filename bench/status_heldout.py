"""Does the product's status agree with news it never read? (docs/status.md)

    RENEWCAST_DB=sqlite:///... .venv/bin/python bench/status_heldout.py [--days N] [--json]

The labelled articles of ``../shared/data/news/train`` are never ingested into the store (the store
reads ``news/articles.jsonl``). Each of their dated labels from 2021-07 on (the Top 10's first
week) with a season is a statement the product can be checked against: the season's status is
resolved as of ``--days`` after the article's day and compared with the label. Labels follow
``news/LABELING.md``, where "ended, season 6" means season 6 is the last; it is compared with the
product's status of season 7. Prints a Markdown table (stdout).
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from renewcast.status import resolve_status
from renewcast.status.seasons import STOPS
from renewcast.store.catalog import UnknownSeries, resolve_one
from renewcast.store.db import connect

TRAIN = Path(__file__).resolve().parents[2] / "shared/data/news/train"
FIRST_WEEK = date(2021, 7, 1)


def held_out(folder: Path) -> list[tuple[date, dict[str, object]]]:
    """(article day, label) of every dated label with a season, from the Top 10's first week."""
    days: dict[str, date] = {}
    with (folder / "articles.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            a = json.loads(line)
            try:
                days[a["id"]] = date.fromisoformat(str(a.get("published") or "")[:10])
            except ValueError:
                continue
    out = []
    with (folder / "labels.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            lab = json.loads(line)
            day = days.get(lab["id"])
            if day is None or day < FIRST_WEEK:
                continue
            out.extend((day, g) for g in lab["gold"] if g.get("season") and g.get("status"))
    return out


def verdict(said: str, product: str) -> str:
    if product == said:
        return "same"
    if product in STOPS and said in STOPS:
        return "an end, in other words"
    if product == "pending":
        return "product: not decided yet"
    if said == "pending":
        return "article: not decided yet; product: decided"
    return "contradicts"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=TRAIN, help="folder with the labelled articles")
    ap.add_argument("--days", type=int, default=0, help="resolve as of this many days after")
    ap.add_argument("--json", action="store_true", help="one JSON line per label instead")
    args = ap.parse_args()
    engine = connect(create=False)
    rows = []
    with engine.connect() as conn:
        for day, g in held_out(args.data):
            said = str(g["status"])
            season = int(str(g["season"])) + (1 if said == "ended" else 0)
            try:
                sid = resolve_one(conn, str(g["series"])).series_id
            except UnknownSeries:
                rows.append({"series": g["series"], "said": said, "result": "not in the catalog"})
                continue
            as_of = day + timedelta(days=args.days)
            r = resolve_status(conn, sid, season, as_of=as_of, background=False)
            rows.append(
                {
                    "series": r.title,
                    "season": season,
                    "as_of": as_of.isoformat(),
                    "said": said,
                    "product": r.status,
                    "result": verdict(said, r.status),
                }
            )
    if args.json:
        for row in rows:
            print(json.dumps(row))
        return 0
    counts = Counter(str(r["result"]) for r in rows)
    n = len(rows)
    print(f"labels: {n}, as of {args.days} days after each article\n")
    print("| the product, against the article | labels |\n| --- | --- |")
    for k, c in counts.most_common():
        print(f"| {k} | {c} |")
    for r in rows:
        if r["result"] in ("contradicts", "article: not decided yet; product: decided"):
            print(
                f"\n- {r['series']} season {r['season']} as of {r['as_of']}: the article says "
                f"{r['said']}, the product {r['product']}",
                end="",
            )
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
