"""CPU of an uncached answer in-process: what `/api/ask` computes for a first request, no HTTP.

    .venv/bin/python bench/bench_answer_cpu.py --db STORE [--series 120] [--runs 5]

The series of the latest decisions as of 2024-06-30 (the ones ``bench_web.py`` asks about, more
of them), each answered (``Service.answer_json``: status, evidence, odds, cast, storylines,
encoded JSON) as of 2024-06-30, 2023-06-29 and 2022-06-28. Each run uses a new ``Service``, so
every answer is computed; what is shared by every answer of a date in a running server (the
freshness line of the date, the stored seasons of its weekly cutoff, statement shapes) is read
once before the first run, as a server has after its first answer for that date. Prints the CPU
time an answer (min and median of the runs) and the SQL statements an answer runs.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date
from typing import Any

DATES = (date(2024, 6, 30), date(2023, 6, 29), date(2022, 6, 28))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True, help="A store built as `make run` builds it.")
    ap.add_argument("--series", type=int, default=120)
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()

    from sqlalchemy import event

    from renewcast.store.db import connect
    from renewcast.web.lists import Filters
    from renewcast.web.service import Service

    engine = connect(a.db)
    first = Service(engine)
    decided = first.decisions(DATES[0], Filters(), 200).decisions
    ids = list(dict.fromkeys(d.series_id for d in decided))[: a.series]
    for day in DATES:  # what every answer of the date shares, read once (as in a server)
        first.bubble(day, Filters(), 25)
        first.answer_json(ids[0], None, day)
    statements = [0]

    def count(*_: Any) -> None:
        statements[0] += 1

    event.listen(engine, "before_cursor_execute", count)
    per_answer: list[float] = []
    for _ in range(a.runs):
        svc = Service(engine)
        statements[0] = 0
        t0 = time.process_time()
        for day in DATES:
            for series_id in ids:
                svc.answer_json(series_id, None, day)
        per_answer.append(1000 * (time.process_time() - t0) / (len(ids) * len(DATES)))
    answers = len(ids) * len(DATES)
    print(
        f"{answers} uncached answers a run ({len(ids)} series x {len(DATES)} dates), "
        f"{a.runs} runs: CPU {min(per_answer):.2f} ms an answer (min), "
        f"{statistics.median(per_answer):.2f} (median); {statements[0] / answers:.1f} statements"
    )


if __name__ == "__main__":
    main()
