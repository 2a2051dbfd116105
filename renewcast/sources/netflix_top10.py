"""Netflix's official Top 10 files: weekly global and per-country lists, the all-time list, and
two derived files recording when each week was first seen and which season titles were renamed.

Pure readers (bytes or a path → :class:`ReadResult`); nothing here touches the store. The TSV files
are streamed with :mod:`csv` (``QUOTE_NONE``: Netflix does not quote, and titles may contain ``"``),
one record per line, so line numbers in problems are the lines an editor shows.

Columns are matched by name. Netflix has added and dropped columns over the years (``runtime`` and
``weekly_views`` only exist for weeks from mid-2023; columns came and went in 2024–2025), so:

* a missing *required* column (``week``, ``category``, ``weekly_rank``, ``show_title`` …) raises
  :class:`SourceError` naming the file and the column;
* a missing *optional* column gives ``None`` in every record and one note;
* an unknown extra column is ignored and reported once, on the header line.

Cells that cannot be used are reported by line and field. A bad required cell drops the row; a bad
optional cell (hours, views, runtime, cumulative weeks) becomes ``None`` and the row is kept.

Netflix publishes each week's list on the Tuesday after the week (weeks end on Sunday):
:func:`published_at` is that day, the earliest moment a week's figures can be known.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar

from renewcast.sources.base import (
    ABSENT_COLUMN,
    LIMITS,
    ReadResult,
    RowProblem,
    SourceError,
    day_start,
    decode_text,
    read_bytes,
    sha256_bytes,
    too_many_rows,
)
from renewcast.sources.http import Download, Validators, conditional_get

HOPELESS_PROBLEMS = 1000  # this many bad rows and ten times fewer good ones: the wrong file

if TYPE_CHECKING:
    import httpx

T = TypeVar("T")

BASE_URL = "https://www.netflix.com/tudum/top10/data/"
# Short names → the official file names under BASE_URL.
OFFICIAL_FILES: dict[str, str] = {
    "global": "all-weeks-global.tsv",
    "countries": "all-weeks-countries.tsv",
    "most-popular": "most-popular.tsv",
}
MAX_DOWNLOAD_BYTES = 128 * 1024 * 1024  # the countries file is ~30 MB and grows every week
DOWNLOAD_TIMEOUT = 60.0  # seconds per read; connecting gets at most 10

LIST_GLOBAL = "global"
LIST_COUNTRY = "country"
LIST_MOST_POPULAR = "most-popular"

NOT_APPLICABLE = "N/A"  # Netflix's season_title for films
PUBLISH_WEEKDAY = 1  # Tuesday (Monday is 0)
WEEK_END_WEEKDAY = 6  # Sunday


# ---------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class ChartRow:
    """One line of a Top 10 list. Hours and views are totals for the week (or first 91 days)."""

    list: str  # "global" | "country" | "most-popular"
    country_iso2: str | None
    country_name: str | None
    week: date | None  # the Sunday that ends the week; None for most-popular
    category: str  # e.g. "TV (English)", "Films (Non-English)", "TV" (country lists)
    rank: int
    show_title: str
    season_title: str | None  # None for "N/A" / empty (films)
    hours: float | None
    views: float | None
    runtime_hours: float | None
    cumulative_weeks: int | None
    line: int

    @property
    def key(self) -> str:
        """Unique per list entry: ``list|country|category|week|rank``."""
        week = self.week.isoformat() if self.week else ""
        return f"{self.list}|{self.country_iso2 or ''}|{self.category}|{week}|{self.rank}"


@dataclass(frozen=True, slots=True)
class WeekSeen:
    """When a week's global list was first seen in a daily scrape (an upper bound on publication)."""

    week: date
    first_seen: datetime  # aware, UTC
    backfilled: bool  # True: not seen on time (scrape began later, or a gap)
    line: int


@dataclass(frozen=True, slots=True)
class Relabel:
    """A season title Netflix renamed, first seen at ``first_seen``. Titles are kept literally
    (Netflix sometimes renames to or from ``"N/A"``)."""

    first_seen: datetime  # aware, UTC
    show_title: str
    old_season_title: str
    new_season_title: str
    line: int


# ---------------------------------------------------------------- small public helpers


def published_at(week: date) -> datetime:
    """00:00 UTC on the first Tuesday after ``week`` (a Sunday): when Netflix publishes its list."""
    days = (PUBLISH_WEEKDAY - week.weekday()) % 7 or 7
    return day_start(week + timedelta(days=days))


def is_tv(category: str) -> bool:
    """True for TV categories ("TV (English)", "TV (Non-English)", "TV"), False for films."""
    return category.strip().casefold().startswith("tv")


# ---------------------------------------------------------------- table plumbing


class _BadRow(Exception):
    def __init__(self, column: str | None, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


@dataclass(frozen=True, slots=True)
class _Layout:
    """What a file must, may and may harmlessly contain."""

    source: str
    official_name: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    ignored: tuple[str, ...] = ()  # known columns this reader does not use
    delimiter: str = "\t"


@dataclass(slots=True)
class _Notes:
    """Problems that repeat on many rows, reported once with a count and the first line."""

    seen: dict[tuple[str | None, str], tuple[int, int]] = field(default_factory=dict)

    def add(self, column: str | None, message: str, line: int) -> None:
        count, first = self.seen.get((column, message), (0, line))
        self.seen[(column, message)] = (count + 1, first)

    def problems(self, uri: str) -> list[RowProblem]:
        return [
            RowProblem(uri, first, column, f"{message} ({count} rows; first at line {first})")
            for (column, message), (count, first) in self.seen.items()
        ]


@dataclass(slots=True)
class _Row:
    """Typed access to one row's cells; optional-cell problems are collected, not raised."""

    uri: str
    line: int
    cells: list[str]
    index: dict[str, int]
    problems: list[RowProblem]
    notes: _Notes

    def raw(self, column: str) -> str | None:
        i = self.index.get(column)
        if i is None:
            return None
        value = self.cells[i].strip()
        return value or None

    def text(self, column: str) -> str:
        value = self.raw(column)
        if value is None:
            raise _BadRow(column, "empty")
        return value

    def rank(self, column: str) -> int:
        value = self.text(column)
        try:
            rank = int(value)
        except ValueError:
            raise _BadRow(column, f"rank {value!r} is not a whole number") from None
        if not 1 <= rank <= 10:
            raise _BadRow(column, f"rank {rank} is outside 1..10")
        return rank

    def week(self, column: str) -> date:
        week = _week(self.text(column))
        if isinstance(week, str):
            raise _BadRow(column, week)
        return week

    def timestamp(self, column: str) -> datetime:
        value = self.text(column)
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise _BadRow(column, f"{value!r} is not an ISO 8601 date-time") from None
        if moment.tzinfo is None:
            self.notes.add(column, "date-time without a time zone; read as UTC", self.line)
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC)

    def flag(self, column: str) -> bool:
        value = self.text(column).casefold()
        if value in ("true", "1", "yes"):
            return True
        if value in ("false", "0", "no"):
            return False
        raise _BadRow(column, f"{value!r} is not True/False")

    def amount(self, column: str) -> float | None:
        """A non-negative quantity (hours, views, runtime); ``""``/N/A → None; 0 → None + note."""
        value = self.raw(column)
        if value is None or value == NOT_APPLICABLE:
            return None
        cleaned = value.replace(",", "").replace("\u00a0", "").replace(" ", "")
        try:
            number = float(cleaned)
        except ValueError:
            self._bad_cell(column, f"{value!r} is not a number; read as unknown")
            return None
        if number != number or number in (float("inf"), float("-inf")) or number < 0:
            self._bad_cell(column, f"{value!r} is not a usable quantity; read as unknown")
            return None
        if number == 0:
            self.notes.add(column, "0 cannot be a real Top 10 figure; read as unknown", self.line)
            return None
        return number

    def count(self, column: str) -> int | None:
        number = self.amount(column)
        if number is None:
            return None
        if not number.is_integer():
            self._bad_cell(column, f"{number:g} is not a whole number; read as unknown")
            return None
        return int(number)

    def _bad_cell(self, column: str, message: str) -> None:
        self.problems.append(RowProblem(self.uri, self.line, column, message))


@lru_cache(maxsize=4096)
def _week(value: str) -> date | str:
    """A week-ending Sunday, or why ``value`` is not one (cached: a file repeats its weeks)."""
    try:
        week = date.fromisoformat(value)
    except ValueError:
        return f"{value!r} is not a date (YYYY-MM-DD)"
    if week.weekday() != WEEK_END_WEEKDAY:
        return f"{value} is a {week:%A}; Netflix weeks end on a Sunday"
    return week


def _blank(cells: list[str]) -> bool:
    return not cells or (len(cells) == 1 and not cells[0].strip())


def _normalise_header(name: str) -> str:
    return name.strip().lstrip("\ufeff").strip().casefold().replace(" ", "_")


def _bind_header(
    header: list[str], line: int, layout: _Layout, uri: str
) -> tuple[dict[str, int], list[RowProblem]]:
    """Map column names to positions; raise on a missing required column."""
    problems: list[RowProblem] = []
    index: dict[str, int] = {}
    known = set(layout.required) | set(layout.optional) | set(layout.ignored)
    for i, raw in enumerate(header):
        name = _normalise_header(raw)
        if not name:
            problems.append(RowProblem(uri, line, None, f"column {i + 1} has no name; ignored"))
        elif name in index:
            problems.append(RowProblem(uri, line, name, "column appears twice; the first is used"))
        elif name not in known:
            problems.append(RowProblem(uri, line, name, "unknown column; ignored"))
            index[name] = i
        else:
            index[name] = i
    for name in layout.required:
        if name not in index:
            raise SourceError(
                f"{uri}: required column {name!r} is missing (the header has: "
                f"{', '.join(h.strip() for h in header) or 'nothing'}). Is this Netflix's "
                f"{layout.official_name}? Download it again from {BASE_URL}{layout.official_name}."
            )
    for name in layout.optional:
        if name not in index:
            problems.append(RowProblem(uri, line, name, ABSENT_COLUMN))
    return index, problems


def _records(text: str, layout: _Layout) -> Iterator[tuple[int, list[str] | str]]:
    """(first line, cells) per record, or (line, error message) for a record csv cannot read.

    TSV: one line a record, no quoting. CSV: quoted fields may span lines.
    """
    lines = io.StringIO(text, newline="")  # keeps each line's own terminator for csv
    if layout.delimiter == "\t":
        reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE, strict=True)
    else:
        reader = csv.reader(lines, delimiter=layout.delimiter, strict=True)
    previous_end = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as e:  # the bad record ends at reader.line_num; go on after it
            yield previous_end + 1, f"unreadable record ({e}); skipped"
            previous_end = reader.line_num
            continue
        start, previous_end = previous_end + 1, reader.line_num
        yield start, cells


@dataclass(slots=True)
class _Parsed(Generic[T]):
    records: list[T]
    problems: list[RowProblem]


def _parse_table(
    data: bytes,
    uri: str,
    layout: _Layout,
    build: Callable[[_Row], T | None],
) -> _Parsed[T]:
    """Decode, bind the header, and build one record per good row."""
    text, problems = decode_text(data, uri, skip_bad_lines=True)
    rows = _records(text, layout)
    header: list[str] | None = None
    header_line = 0
    for line, cells in rows:
        if isinstance(cells, str) or not _blank(cells):
            header, header_line = ([cells] if isinstance(cells, str) else cells), line
            break
    if header is None:
        raise SourceError(f"{uri}: the file is empty; download {layout.official_name} again.")
    index, header_problems = _bind_header(header, header_line, layout, uri)
    problems.extend(header_problems)
    notes = _Notes()
    records: list[T] = []
    width = len(header)
    max_rows = LIMITS[layout.source].max_rows
    for line, cells in rows:
        if line > max_rows:
            raise too_many_rows(uri, layout.source)
        if len(problems) > HOPELESS_PROBLEMS and len(problems) > 10 * len(records):
            raise SourceError(
                f"{uri}: {len(problems):,} unusable rows and {len(records):,} good ones by line "
                f"{line:,}: this is not Netflix's {layout.official_name}; download it again."
            )
        if isinstance(cells, str):
            problems.append(RowProblem(uri, line, None, cells))
            continue
        if _blank(cells):
            continue  # blank line (e.g. the final newline)
        if len(cells) != width:
            hint = " (truncated?)" if len(cells) < width else " (a tab or comma inside a value?)"
            problems.append(
                RowProblem(
                    uri, line, None, f"{len(cells)} fields, the header has {width}{hint}; skipped"
                )
            )
            continue
        row = _Row(uri, line, cells, index, problems, notes)
        try:
            record = build(row)
        except _BadRow as e:
            problems.append(RowProblem(uri, line, e.column, f"{e.message}; row skipped"))
            continue
        if record is not None:
            records.append(record)
    problems.extend(notes.problems(uri))
    return _Parsed(records, problems)


def _season_title(row: _Row, column: str) -> str | None:
    value = row.raw(column)
    return None if value is None or value == NOT_APPLICABLE else value


def _country(row: _Row) -> str:
    code = row.text("country_iso2").upper()
    if len(code) != 2 or not code.isalpha() or not code.isascii():
        raise _BadRow("country_iso2", f"{code!r} is not a two-letter country code")
    return code


def _unique_charts(parsed: _Parsed[ChartRow], uri: str) -> _Parsed[ChartRow]:
    """Drop later rows that repeat an entry's key (same list, country, category, week, rank)."""
    first_line: dict[str, int] = {}
    kept: list[ChartRow] = []
    for record in parsed.records:
        seen = first_line.setdefault(record.key, record.line)
        if seen != record.line:
            parsed.problems.append(
                RowProblem(
                    uri, record.line, "rank", f"rank {record.rank} repeats line {seen}; skipped"
                )
            )
        else:
            kept.append(record)
    parsed.records = kept
    return parsed


def _category_notes(parsed: _Parsed[ChartRow], known: tuple[str, ...], uri: str) -> None:
    notes = _Notes()
    for record in parsed.records:
        if record.category not in known:
            notes.add("category", f"unexpected category {record.category!r}", record.line)
    parsed.problems.extend(notes.problems(uri))


def _chart_result(
    parsed: _Parsed[ChartRow], source: str, uri: str, data: bytes, known: tuple[str, ...]
) -> ReadResult[ChartRow]:
    parsed = _unique_charts(parsed, uri)
    _category_notes(parsed, known, uri)
    weeks = [r.week for r in parsed.records if r.week is not None]
    return ReadResult(
        source=source,
        uri=uri,
        sha256=sha256_bytes(data),
        records=parsed.records,
        problems=parsed.problems,
        file_date=max(weeks) if weeks else None,  # the latest week the file covers
    )


def _plain_result(parsed: _Parsed[T], source: str, uri: str, data: bytes) -> ReadResult[T]:
    return ReadResult(
        source=source,
        uri=uri,
        sha256=sha256_bytes(data),
        records=parsed.records,
        problems=parsed.problems,
    )


# ---------------------------------------------------------------- the five files

GLOBAL_CATEGORIES = ("Films (English)", "Films (Non-English)", "TV (English)", "TV (Non-English)")
COUNTRY_CATEGORIES = ("Films", "TV")

_GLOBAL = _Layout(
    source="netflix-top10/global",
    official_name=OFFICIAL_FILES["global"],
    required=("week", "category", "weekly_rank", "show_title"),
    optional=(
        "season_title",
        "weekly_hours_viewed",
        "runtime",
        "weekly_views",
        "cumulative_weeks_in_top_10",
    ),
)
_COUNTRIES = _Layout(
    source="netflix-top10/countries",
    official_name=OFFICIAL_FILES["countries"],
    required=("country_iso2", "week", "category", "weekly_rank", "show_title"),
    optional=("country_name", "season_title", "cumulative_weeks_in_top_10"),
)
_MOST_POPULAR = _Layout(
    source="netflix-top10/most-popular",
    official_name=OFFICIAL_FILES["most-popular"],
    required=("category", "rank", "show_title"),
    optional=("season_title", "hours_viewed_first_91_days", "runtime", "views_first_91_days"),
)
_WEEK_FIRST_SEEN = _Layout(
    source="netflix-top10/week-first-seen",
    official_name="week-first-seen.csv",
    required=("week", "first_seen_commit_time", "backfilled_or_gap"),
    ignored=("commit", "lag_days"),
    delimiter=",",
)
_RELABELS = _Layout(
    source="netflix-top10/season-title-relabels",
    official_name="season-title-relabels.csv",
    required=("first_seen_commit_time", "show_title", "old_season_title", "new_season_title"),
    ignored=("commit",),
    delimiter=",",
)


def _global_row(row: _Row) -> ChartRow:
    return ChartRow(
        list=LIST_GLOBAL,
        country_iso2=None,
        country_name=None,
        week=row.week("week"),
        category=row.text("category"),
        rank=row.rank("weekly_rank"),
        show_title=row.text("show_title"),
        season_title=_season_title(row, "season_title"),
        hours=row.amount("weekly_hours_viewed"),
        views=row.amount("weekly_views"),
        runtime_hours=row.amount("runtime"),
        cumulative_weeks=row.count("cumulative_weeks_in_top_10"),
        line=row.line,
    )


def _country_row(row: _Row) -> ChartRow:
    return ChartRow(
        list=LIST_COUNTRY,
        country_iso2=_country(row),
        country_name=row.raw("country_name"),
        week=row.week("week"),
        category=row.text("category"),
        rank=row.rank("weekly_rank"),
        show_title=row.text("show_title"),
        season_title=_season_title(row, "season_title"),
        hours=None,
        views=None,
        runtime_hours=None,
        cumulative_weeks=row.count("cumulative_weeks_in_top_10"),
        line=row.line,
    )


def _most_popular_row(row: _Row) -> ChartRow:
    return ChartRow(
        list=LIST_MOST_POPULAR,
        country_iso2=None,
        country_name=None,
        week=None,
        category=row.text("category"),
        rank=row.rank("rank"),
        show_title=row.text("show_title"),
        season_title=_season_title(row, "season_title"),
        hours=row.amount("hours_viewed_first_91_days"),
        views=row.amount("views_first_91_days"),
        runtime_hours=row.amount("runtime"),
        cumulative_weeks=None,
        line=row.line,
    )


def _week_seen_row(row: _Row) -> WeekSeen:
    week = row.week("week")
    first_seen = row.timestamp("first_seen_commit_time")
    if first_seen.date() < week:
        raise _BadRow("first_seen_commit_time", f"{first_seen:%Y-%m-%d} is before week {week}")
    return WeekSeen(week, first_seen, row.flag("backfilled_or_gap"), row.line)


def _relabel_row(row: _Row) -> Relabel:
    old, new = row.text("old_season_title"), row.text("new_season_title")
    if old == new:
        raise _BadRow("new_season_title", "same as old_season_title; not a rename")
    return Relabel(
        row.timestamp("first_seen_commit_time"), row.text("show_title"), old, new, row.line
    )


def parse_global(data: bytes, uri: str) -> ReadResult[ChartRow]:
    """``all-weeks-global.tsv``: 40 rows a week (4 categories x 10)."""
    parsed = _parse_table(data, uri, _GLOBAL, _global_row)
    return _chart_result(parsed, _GLOBAL.source, uri, data, GLOBAL_CATEGORIES)


def parse_countries(data: bytes, uri: str) -> ReadResult[ChartRow]:
    """``all-weeks-countries.tsv``: 20 rows a week per country (Films and TV), no hours."""
    parsed = _parse_table(data, uri, _COUNTRIES, _country_row)
    return _chart_result(parsed, _COUNTRIES.source, uri, data, COUNTRY_CATEGORIES)


def parse_most_popular(data: bytes, uri: str) -> ReadResult[ChartRow]:
    """``most-popular.tsv``: all-time lists by hours in the first 91 days; ``week`` is None."""
    parsed = _parse_table(data, uri, _MOST_POPULAR, _most_popular_row)
    return _chart_result(parsed, _MOST_POPULAR.source, uri, data, GLOBAL_CATEGORIES)


def parse_week_first_seen(data: bytes, uri: str) -> ReadResult[WeekSeen]:
    parsed = _parse_table(data, uri, _WEEK_FIRST_SEEN, _week_seen_row)
    return _plain_result(parsed, _WEEK_FIRST_SEEN.source, uri, data)


def parse_relabels(data: bytes, uri: str) -> ReadResult[Relabel]:
    parsed = _parse_table(data, uri, _RELABELS, _relabel_row)
    return _plain_result(parsed, _RELABELS.source, uri, data)


def read_global(path: Path | str) -> ReadResult[ChartRow]:
    path = Path(path)
    return parse_global(read_bytes(path, _GLOBAL.source), str(path))


def read_countries(path: Path | str) -> ReadResult[ChartRow]:
    path = Path(path)
    return parse_countries(read_bytes(path, _COUNTRIES.source), str(path))


def read_most_popular(path: Path | str) -> ReadResult[ChartRow]:
    path = Path(path)
    return parse_most_popular(read_bytes(path, _MOST_POPULAR.source), str(path))


def read_week_first_seen(path: Path | str) -> ReadResult[WeekSeen]:
    path = Path(path)
    return parse_week_first_seen(read_bytes(path, _WEEK_FIRST_SEEN.source), str(path))


def read_relabels(path: Path | str) -> ReadResult[Relabel]:
    path = Path(path)
    return parse_relabels(read_bytes(path, _RELABELS.source), str(path))


# ---------------------------------------------------------------- live


def official_url(name: str) -> str:
    """URL of an official file, by short name ("global") or file name ("all-weeks-global.tsv")."""
    file_name = OFFICIAL_FILES.get(name, name)
    if file_name not in OFFICIAL_FILES.values():
        raise SourceError(
            f"{name!r} is not a Netflix Top 10 file; use one of "
            f"{', '.join(sorted(OFFICIAL_FILES))} (or {', '.join(OFFICIAL_FILES.values())})."
        )
    return BASE_URL + file_name


def fetch(
    client: httpx.Client,
    name: str,
    *,
    max_bytes: int = MAX_DOWNLOAD_BYTES,
    timeout: float = DOWNLOAD_TIMEOUT,
) -> bytes:
    """Download one official file ("global", "countries", "most-popular") and return its bytes."""
    body = fetch_if_changed(client, name, max_bytes=max_bytes, timeout=timeout).body
    assert body is not None  # no validators sent: never "not modified"
    return body


def fetch_if_changed(
    client: httpx.Client,
    name: str,
    validators: Validators | None = None,
    *,
    max_bytes: int = MAX_DOWNLOAD_BYTES,
    timeout: float = DOWNLOAD_TIMEOUT,
) -> Download:
    """Download one official file unless the copy ``validators`` describe is still current."""
    url = official_url(name)
    got = conditional_get(
        client,
        url,
        validators=validators,
        accept="text/tab-separated-values, text/plain, */*",
        max_bytes=max_bytes,
        timeout=timeout,
        moved_hint="the file may have moved — check https://www.netflix.com/tudum/top10 and retry",
    )
    if got.body is not None and got.body.lstrip()[:1] == b"<":
        raise SourceError(
            f"{url}: got an HTML page instead of the TSV file (blocked or moved?); "
            f"download it in a browser and read it with read_*(path)."
        )
    return got


def parse_official(name: str, data: bytes, uri: str) -> ReadResult[ChartRow]:
    """Parse bytes of an official file by its short or file name (what :func:`fetch` took)."""
    parsers = {
        "all-weeks-global.tsv": parse_global,
        "all-weeks-countries.tsv": parse_countries,
        "most-popular.tsv": parse_most_popular,
    }
    file_name = official_url(name).removeprefix(BASE_URL)
    return parsers[file_name](data, uri)
