"""``renewcast sync``: import every source in a data folder, in the order identity needs.

Order matters for identity and dating: the Wikipedia lists first (they carry premiere dates), then the
Top 10 (global) and engagement reports, then JustWatch (its one-season casts are dated by the premieres
already known), then the per-country and most-popular lists, the relabels (which only link to series
that exist) and the publication log.
Each file is one transaction; a file that fails leaves the store as it was and the others go on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select

from renewcast.sources.base import ReadResult, SourceError, day_start
from renewcast.store import load
from renewcast.store.importer import DocumentInfo, ImportReport, Loader, log_import, now, run_import
from renewcast.store.schema import chart_entries


@dataclass(frozen=True, slots=True)
class Step:
    source: str
    path: Path
    read: Callable[[Path], ReadResult[Any]]
    make_loader: Callable[[ReadResult[Any]], Loader]
    known_at: Callable[[ReadResult[Any]], datetime]


def _steps(data: Path, engine: Engine) -> Iterator[Step]:
    from renewcast.sources import justwatch, netflix_engagement, netflix_top10, wikipedia

    wiki = data / "wikipedia"
    for p in sorted(wiki.glob("ended-*.csv")):
        yield Step("wikipedia/ended", p, wikipedia.read_ended, load.load_wikipedia_ended, _file_day)
    for p in sorted(wiki.glob("netflix-original-programming-*.csv")):
        yield Step(
            "wikipedia/current", p, wikipedia.read_current, load.load_wikipedia_current, _file_day
        )

    top10 = data / "netflix-top10"

    relabel_file = top10 / "season-title-relabels.csv"
    relabels = (
        load.RelabelIndex.from_records(netflix_top10.read_relabels(relabel_file).records)
        if relabel_file.exists()
        else None
    )

    def top10_loader(result: ReadResult[Any]) -> Loader:
        return chart_loader(result, relabels)

    def last_week(_: ReadResult[Any]) -> datetime:
        with engine.connect() as conn:
            w = conn.execute(
                select(func.max(chart_entries.c.week)).where(chart_entries.c.list == "global")
            ).scalar()
        if w is None:
            raise SourceError("most-popular.tsv has no date: import all-weeks-global.tsv first")
        return netflix_top10.published_at(w)

    def most_popular_loader(result: ReadResult[Any]) -> Loader:
        return chart_loader(result, relabels, last_week(result))

    if (p := top10 / "all-weeks-global.tsv").exists():
        yield Step("netflix-top10/global", p, netflix_top10.read_global, top10_loader, latest_week)
    # every chart before the reports: a season the charts name ("Name: Subtitle" under the show
    # "Name") is that show's when a report lists it alone
    for p in sorted(top10.glob("all-weeks-countries*.tsv")):
        yield Step(
            "netflix-top10/countries", p, netflix_top10.read_countries, top10_loader, latest_week
        )
    # newest report first: its release days tell a new series from an older one of the same
    # name, so the older reports' rows of that name find the older series
    for p in sorted((data / "netflix-engagement").glob("*.xlsx"), reverse=True):
        yield Step(
            "netflix-engagement",
            p,
            netflix_engagement.read_report,
            load.load_engagement,
            report_day,
        )
    jw = data / "justwatch"
    if (p := jw / "titles.csv").exists():
        yield Step(
            "justwatch/titles",
            p,
            justwatch.read_titles,
            lambda r: load.load_justwatch_titles(r, justwatch.SNAPSHOT),
            lambda r: day_start(justwatch.SNAPSHOT),
        )
    if (p := jw / "credits.csv").exists():
        yield Step(
            "justwatch/credits",
            p,
            justwatch.read_credits,
            lambda r: load.load_justwatch_credits(r, justwatch.SNAPSHOT),
            lambda r: day_start(justwatch.SNAPSHOT),
        )
    if (p := top10 / "most-popular.tsv").exists():
        yield Step(
            "netflix-top10/most-popular",
            p,
            netflix_top10.read_most_popular,
            most_popular_loader,
            last_week,
        )
    # after every import that may create series, so each relabel links the same way every run
    if (p := top10 / "season-title-relabels.csv").exists():
        yield Step(
            "netflix-top10/relabels",
            p,
            netflix_top10.read_relabels,
            load.load_relabels,
            _latest_seen,
        )
    if (p := top10 / "week-first-seen.csv").exists():
        yield Step(
            "netflix-top10/week-first-seen",
            p,
            netflix_top10.read_week_first_seen,
            load.load_week_first_seen,
            _latest_seen,
        )


def chart_loader(
    result: ReadResult[Any],
    relabels: load.RelabelIndex | None,
    fallback_known_at: datetime | None = None,
) -> Loader:
    """The loader of a Top 10 file: rows dated by Netflix's publishing day (or, for the undated
    most-popular list, ``fallback_known_at``), season titles as first published."""
    from renewcast.sources import netflix_top10

    return load.load_top10(
        result,
        published_at=netflix_top10.published_at,
        is_tv=netflix_top10.is_tv,
        fallback_known_at=fallback_known_at,
        relabels=relabels,
    )


def _file_day(result: ReadResult[Any]) -> datetime:
    if result.file_date is None:
        raise SourceError(f"{result.uri}: cannot tell the snapshot date from the file name")
    return day_start(result.file_date)


def latest_week(result: ReadResult[Any]) -> datetime:
    from renewcast.sources.netflix_top10 import published_at

    weeks = [r.week for r in result.records if r.week is not None]
    if not weeks:
        raise SourceError(f"{result.uri}: no rows with a week")
    return published_at(max(weeks))


def _latest_seen(result: ReadResult[Any]) -> datetime:
    seen = [r.first_seen for r in result.records]
    if not seen:
        raise SourceError(f"{result.uri}: no rows")
    return max(seen)


def report_day(result: ReadResult[Any]) -> datetime:
    pubs = {r.published for r in result.records}
    if not pubs:
        raise SourceError(f"{result.uri}: no rows read from the report")
    return day_start(max(pubs))


def sync_dir(
    engine: Engine,
    data: Path,
    *,
    on_step: Callable[[str, int, int], None] | None = None,
) -> list[ImportReport]:
    """Import every known file under ``data`` (``news/`` is the news pipeline's, not this)."""
    if not data.is_dir():
        raise SourceError(
            f"{data}: not a folder (give --from the data folder, e.g. ../shared/data)"
        )
    steps = list(_steps(data, engine))
    if not steps:
        raise SourceError(f"{data}: no known source files found")
    reports = []
    for i, step in enumerate(steps):
        if on_step:
            on_step(f"{step.source}: {step.path.name}", i, len(steps))
        reports.append(import_file(engine, step))
    if on_step:
        on_step("done", len(steps), len(steps))
    return reports


def import_file(engine: Engine, step: Step) -> ImportReport:
    try:
        result = step.read(step.path)
        doc = DocumentInfo(
            kind="file",
            source=step.source,
            uri=str(step.path),
            sha256=result.sha256,
            known_at=step.known_at(result),
        )
    except SourceError as e:
        report = ImportReport(
            source=step.source, uri=str(step.path), status="failed", message=str(e)
        )
        log_import(engine, report, None, now())
        return report
    return run_import(engine, doc, step.make_loader(result), problems=result.problems)


def as_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as e:
        raise ValueError(f"{value!r} is not an ISO 8601 date (YYYY-MM-DD)") from e
