"""Benchmark `renewcast update` on the real Top 10 files and engagement reports (served by respx).

    .venv/bin/python bench/bench_update.py --store STORE.db [--data ../shared/data]

STORE.db is a store synced from the data folder (`renewcast sync --from ../shared/data`); it is
copied, never changed. The official URLs answer with the data folder's files (ETag per file,
304 to a matching If-None-Match); no network is used. Three runs of
`update --source netflix-top10 --source netflix-engagement`:

1. a fresh data directory: every file is downloaded; the store already holds the same bytes from
   `sync`, so nothing is imported;
2. again: every answer is 304 Not Modified;
3. the global file gains one week (the newest week's rows, seven days later): it alone is parsed
   and imported, in one transaction.

Prints a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import hashlib
import resource
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import httpx
import respx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from renewcast.sources import netflix_engagement as ne  # noqa: E402
from renewcast.sources import netflix_top10 as top10  # noqa: E402
from renewcast.store.db import connect  # noqa: E402
from renewcast.update import ENGAGEMENT_CONFIG, Updater  # noqa: E402


def one_more_week(tsv: bytes) -> bytes:
    """The newest week's rows again, dated a week later, at the top (the file is newest first)."""
    lines = tsv.decode("utf-8").split("\n")
    header, rows = lines[0], [r for r in lines[1:] if r.strip()]
    newest = max(r.split("\t", 1)[0] for r in rows)
    later = (date.fromisoformat(newest) + timedelta(days=7)).isoformat()
    extra = [later + r[len(newest) :] for r in rows if r.startswith(newest)]
    return "\n".join([header, *extra, *rows]).encode("utf-8")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--store", required=True, help="a store synced from --data (copied)")
    ap.add_argument("--data", default=str(REPO.parent / "shared" / "data"))
    a = ap.parse_args()
    data = Path(a.data)
    files = {
        top10.official_url("global"): data / "netflix-top10" / "all-weeks-global.tsv",
        top10.official_url("countries"): next(
            (data / "netflix-top10").glob("all-weeks-countries*.tsv")
        ),
        top10.official_url("most-popular"): data / "netflix-top10" / "most-popular.tsv",
    }
    reports = {ne.REPORT_URLS[label]: label for label in ne.REPORT_SHA256}
    for url in reports:
        files[url] = data / "netflix-engagement" / url.rsplit("/", 1)[1]
    bodies = {url: path.read_bytes() for url, path in files.items()}

    def answer(request: httpx.Request) -> httpx.Response:
        body = bodies[str(request.url)]
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if request.headers.get("If-None-Match") == etag:
            return httpx.Response(304, headers={"ETag": etag})
        return httpx.Response(200, content=body, headers={"ETag": etag})

    rows = []
    with tempfile.TemporaryDirectory() as tmp, respx.mock(assert_all_called=False) as router:
        router.route().mock(side_effect=answer)
        db = Path(tmp) / "store.db"
        shutil.copy(a.store, db)
        live = Path(tmp) / "live"
        (live / ENGAGEMENT_CONFIG).parent.mkdir(parents=True)
        (live / ENGAGEMENT_CONFIG).write_text("\n".join(reports) + "\n")
        engine = connect(f"sqlite:///{db}")
        runs = (
            ("fresh data directory, store already synced", None),
            ("second run: every answer 304", None),
            ("global file gains a week", one_more_week),
        )
        for what, change in runs:
            if change is not None:
                url = top10.official_url("global")
                bodies[url] = change(bodies[url])
            t0 = time.perf_counter()
            with httpx.Client() as client:
                report = Updater(engine, live, client=client).run(
                    ["netflix-top10", "netflix-engagement"]
                )
            wall = time.perf_counter() - t0
            states = ", ".join(
                f"{s.source} {s.status} (+{s.added}/~{s.updated})" for s in report.sources
            )
            rows.append((what, wall, states))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("| run | seconds | outcome |")
    print("| --- | --- | --- |")
    for what, wall, states in rows:
        print(f"| {what} | {wall:.2f} | {states} |")
    print(f"\npeak RSS of the whole benchmark process: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
