"""Benchmark: articles per second for news extraction, one core versus Dask workers.

    .venv/bin/python bench/bench_extract.py                       # whole articles.jsonl, 1 and 2
    .venv/bin/python bench/bench_extract.py --replicate 100 --workers 2
    .venv/bin/python bench/bench_extract.py --db /tmp/store.db    # link against a synced catalog

``--replicate N`` writes an N-times copy of the archive to /tmp (ids suffixed ``#k``) and reads it
from there (never commit it). The model load (and the cluster start) are timed apart from the
extraction itself. Peak memory is the largest resident size of this process plus its children
(the Dask workers), sampled with psutil, and this process's own peak from getrusage.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from renewcast.news.article import Article, read_jsonl
from renewcast.news.jobs import DocInput, extract_one
from renewcast.news.mentions import StoreCatalog

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "shared/data/news/articles.jsonl"


@dataclass(slots=True)
class Result:
    file: str
    articles: int
    workers: int
    setup_seconds: float  # model load, or cluster start + model load on each worker
    seconds: float  # extraction only
    articles_per_second: float
    cpu_seconds: float | None  # this process's CPU time for the extraction (single process only)
    articles_per_cpu_second: float | None
    claims: int
    failed: int
    peak_rss_mb: float  # this process + children, sampled
    self_maxrss_mb: float


class PeakMemory:
    """Samples the resident memory of this process and its children every ``interval`` s."""

    def __init__(self, interval: float = 0.2) -> None:
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for p in [me, *me.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):
                    total += p.memory_info().rss
            self.peak = max(self.peak, total)
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()


def articles(path: Path) -> Iterator[Article]:
    with path.open(encoding="utf-8", errors="replace") as f:
        for item in read_jsonl(f, name=str(path)):
            if isinstance(item, Article):
                yield item


def replicate(path: Path, times: int) -> Path:
    out = Path("/tmp/renewcast-bench") / f"{path.stem}-x{times}.jsonl"
    out.parent.mkdir(parents=True, exist_ok=True)
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    with out.open("w", encoding="utf-8") as f:
        for k in range(times):
            for ln in lines:
                obj = json.loads(ln)
                obj["id"] = f"{obj.get('id')}#{k}"
                f.write(json.dumps(obj, ensure_ascii=False) + "\n")
    return out


def _tick(n: int, t0: float, every: int = 500) -> None:
    if n % every == 0:
        secs = time.perf_counter() - t0
        print(f"  {n} articles, {n / secs:.2f}/s", file=sys.stderr, flush=True)


def run_serial(
    path: Path, catalog: StoreCatalog | None
) -> tuple[float, float, int, int, int, float]:
    from renewcast.news.learned import load_default_model
    from renewcast.news.nlp import get_nlp

    t0 = time.perf_counter()
    get_nlp()
    load_default_model()
    setup = time.perf_counter() - t0
    n = claims = failed = 0
    c0 = time.process_time()
    t0 = time.perf_counter()
    for i, a in enumerate(articles(path)):
        res = extract_one(DocInput(i, a), catalog)
        n += 1
        _tick(n, t0)
        failed += res.error is not None
        claims += len((res.extraction or {}).get("claims", []))
    return setup, time.perf_counter() - t0, n, claims, failed, time.process_time() - c0


def run_dask(
    path: Path, catalog: StoreCatalog | None, workers: int, scheduler: str | None
) -> tuple[float, float, int, int, int]:
    from renewcast.news.parallel import check_workers, dask_client, run_partitions

    t0 = time.perf_counter()
    with dask_client(workers, scheduler) as client:
        check_workers(client)
        setup = time.perf_counter() - t0

        def partitions() -> Iterator[list[DocInput]]:
            part: list[DocInput] = []
            for i, a in enumerate(articles(path)):
                part.append(DocInput(i, a))
                if len(part) == 8:
                    yield part
                    part = []
            if part:
                yield part

        n = claims = failed = 0
        t0 = time.perf_counter()
        for res in run_partitions(client, partitions(), catalog):
            n += 1
            _tick(n, t0)
            failed += res.error is not None
            claims += len((res.extraction or {}).get("claims", []))
        return setup, time.perf_counter() - t0, n, claims, failed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--file", type=Path, default=DEFAULT_FILE)
    ap.add_argument("--replicate", type=int, default=1)
    ap.add_argument("--workers", default="1,2", help="comma-separated; 1 = single process")
    ap.add_argument("--scheduler", default=None)
    ap.add_argument("--db", default=None, help="a synced store to link series against")
    ap.add_argument("--json-out", type=Path, default=None)
    args = ap.parse_args()
    path = replicate(args.file, args.replicate) if args.replicate > 1 else args.file
    catalog = None
    if args.db:
        from renewcast.store.db import connect

        with connect(args.db).connect() as conn:
            catalog = StoreCatalog.from_connection(conn)
    results = []
    for w in (int(x) for x in args.workers.split(",")):
        with PeakMemory() as mem:
            cpu: float | None = None
            if w <= 1 and not args.scheduler:
                setup, secs, n, claims, failed, cpu = run_serial(path, catalog)
            else:
                setup, secs, n, claims, failed = run_dask(path, catalog, w, args.scheduler)
        self_max = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        r = Result(
            file=f"{args.file.name} x{args.replicate}",
            articles=n,
            workers=w,
            setup_seconds=round(setup, 2),
            seconds=round(secs, 2),
            articles_per_second=round(n / secs, 2) if secs else 0.0,
            cpu_seconds=round(cpu, 2) if cpu is not None else None,
            articles_per_cpu_second=round(n / cpu, 2) if cpu else None,
            claims=claims,
            failed=failed,
            peak_rss_mb=round(mem.peak / 2**20, 1),
            self_maxrss_mb=round(self_max, 1),
        )
        results.append(r)
        print(json.dumps(asdict(r)), flush=True)
    if args.json_out:
        args.json_out.write_text(json.dumps([asdict(r) for r in results], indent=2))
    print(f"cpus: {os.cpu_count()}, python {sys.version.split()[0]}", file=sys.stderr)


if __name__ == "__main__":
    main()
