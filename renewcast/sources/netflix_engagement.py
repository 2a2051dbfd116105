"""Netflix's semi-annual engagement reports ("What We Watched: A Netflix Engagement Report").

Each report is an .xlsx workbook with one table per sheet (one sheet in 2023-H1; "TV"/"Film" or
"Shows"/"Movies" later). The table starts a few rows down, under a heading such as "Views from
July to December 2023". Nothing is read by fixed position: in every sheet the header row is the
first of its top :data:`HEADER_SEARCH_ROWS` rows that has a *Title* cell and an *Hours Viewed* or
*Views* cell, and each column is found by its header text (:data:`COLUMN_NAMES`), so extra,
reordered or renamed-case columns read the same. Unknown columns, and missing ones of
:data:`EXPECTED_COLUMNS`, are reported once per sheet. A sheet without a header row is reported
and skipped; a workbook with no such sheet is a :class:`SourceError`.

Rules, so the records mean the same thing whatever the layout:

* ``title`` is the title as written, trimmed; a native-language title after `` // `` goes to
  ``native_title`` (verbatim; it may hold several variants, e.g. traditional // simplified).
  Season numbers, "Limited Series" etc. are left in the title for the identity module.
* ``kind`` comes from the sheet name ("TV", "Shows", "Series" → ``"tv"``; "Film", "Movies" →
  ``"film"``), else from the heading above the table, else ``None``.
* ``runtime_hours`` accepts ``h:mm``, ``h:mm:ss``, decimal hours or an Excel time. Netflix
  marks some runtimes with ``*`` (alone: runtime not given; ``4:44*``: runtime given with a
  footnote); the mark sets ``runtime_marked`` and is not a problem.
* A cell that cannot be read is a :class:`RowProblem` (``file`` is ``"<uri>#<sheet>"``, ``line``
  the worksheet row, ``field`` the column header as written). A bad title, hours or views cell
  drops the row; any other bad cell is left empty and the row kept.
* The report period comes from the file name (``..._2023Jan-Jun.xlsx``), falling back to the
  sheet heading; a disagreement between the two is reported.
* The publication date is :data:`PUBLISHED` for known reports, else the ``published`` the
  caller gives, else :class:`SourceError`. The workbook's own "modified" date is *not* used as
  the publication date: Netflix saves the file days before publishing it (2025-H1: saved
  2025-07-14, published 2025-07-17), so using it would let backtests see data too early. It is
  returned as ``ReadResult.file_date`` for information.
"""

from __future__ import annotations

import calendar
import io
import math
import re
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from renewcast.sources.base import (
    LIMITS,
    ReadResult,
    RowProblem,
    SourceError,
    read_bytes,
    sha256_bytes,
    too_many_rows,
)
from renewcast.sources.http import Download, Validators, conditional_get

if TYPE_CHECKING:
    import httpx

T = TypeVar("T")

SOURCE = "netflix-engagement"
HEADER_SEARCH_ROWS = 30
MAX_DOWNLOAD_BYTES = 50 * 1024 * 1024

# Publication dates per press coverage on the day (see shared/README.md).
PUBLISHED: dict[str, date] = {
    "2023-H1": date(2023, 12, 12),
    "2023-H2": date(2024, 5, 23),
    "2024-H1": date(2024, 9, 19),
    "2024-H2": date(2025, 2, 27),
    "2025-H1": date(2025, 7, 17),
}

_CTF = "https://assets.ctfassets.net/4cd45et68cgf/"
# Official file locations (Netflix's Contentful asset host, linked from about.netflix.com).
# The five with a REPORT_SHA256 entry were checked: those hashes are the hashes of the files in
# shared/data/netflix-engagement. The two later URLs were seen in public code and could not be
# checked here (no internet); their publication dates are not known, so pass ``published``.
REPORT_URLS: dict[str, str] = {
    "2023-H1": _CTF + "1HyknFM84ISQpeua6TjM7A/97a0a393098937a8f29c9d29c48dbfa8/"
    "What_We_Watched_A_Netflix_Engagement_Report_2023Jan-Jun.xlsx",
    "2023-H2": _CTF + "inuAnzotdsAEgbInGLzH5/1be323ba419b2af3a96bffa29acc31a3/"
    "What_We_Watched_A_Netflix_Engagement_Report_2023Jul-Dec.xlsx",
    "2024-H1": _CTF + "2PoZlfdc46dH2gQvI8eUzI/9db5840720c47acfcf7b89ffe2402860/"
    "What_We_Watched_A_Netflix_Engagement_Report_2024Jan-Jun.xlsx",
    "2024-H2": _CTF + "6XSmoEjBjVMPRtYybT9d1E/8c0b0b2645b8712d5597b0bdbe0d64e2/"
    "What_We_Watched_A_Netflix_Engagement_Report_2024Jul-Dec.xlsx",
    "2025-H1": _CTF + "mplcXj5ulHDfbCPCr0f0I/5dbb6ec09f03df89706476e380e9b8bd/"
    "What_We_Watched_A_Netflix_Engagement_Report_2025Jan-Jun.xlsx",
    "2025-H2": _CTF + "2vdDPGLKA0XX2cjF2APJFn/7f1c367b39ed73a6a588751d3c5d0252/"
    "What_We_Watched_A_Netflix_Engagement_Report_2025Jul-Dec__6_.xlsx",
    "2026-H1": _CTF + "40WGcHJa9vRua31kU6Gbz5/43b15c7fbd6924392fc80e885839e39f/"
    "Netflix-s_What_We_Watched_Report_2026Jan-Jun__1_.xlsx",
}
REPORT_SHA256: dict[str, str] = {
    "2023-H1": "c6fd33eb4c243e6e18d81a248ad71a28e8ccc3d0dd2b1fbc9f8538c649d28637",
    "2023-H2": "ea536b6e1f3771ba662e57a72ab847efd0200b3e4adb93a2f7d3e2b133f5b655",
    "2024-H1": "2803512229889f91b51c214b9494b7a55799767d63e3f5cf2c142b1917a18d62",
    "2024-H2": "3030e3630fb0ff90d8d84b9cda3c22c83f4e9e356d4f1742bda729bfa2fc738c",
    "2025-H1": "7208fc0207818f961652748d19500221b1d3edce8999b83e0f954f27fb31e8dd",
}

# Header text (lower-case, punctuation dropped) → field.
COLUMN_NAMES: dict[str, str] = {
    "title": "title",
    "available globally": "available_globally",
    "globally available": "available_globally",
    "release date": "release_date",
    "hours viewed": "hours",
    "hours": "hours",
    "runtime": "runtime",
    "run time": "runtime",
    "views": "views",
}
# Columns every report so far has; a sheet without one is reported (runtime and views are new
# since 2023-H2, so their absence is normal).
EXPECTED_COLUMNS = {
    "available_globally": "Available Globally?",
    "release_date": "Release Date",
    "hours": "Hours Viewed",
}
_KIND_WORDS: dict[str, str] = {
    "tv": "tv",
    "show": "tv",
    "shows": "tv",
    "series": "tv",
    "television": "tv",
    "film": "film",
    "films": "film",
    "movie": "film",
    "movies": "film",
}
_EMPTY_MARKERS = {"", "-", "–", "—", "n/a", "na", "none"}


@dataclass(frozen=True, slots=True)
class EngagementRow:
    """One title's line in one engagement report."""

    report: str  # e.g. "2023-H1", "2023-H2"
    period_start: date
    period_end: date
    published: date
    sheet: str
    line: int  # worksheet row, 1-based
    kind: str | None  # "tv" | "film" | None when the report doesn't say
    title: str  # as written, without the native-language part
    available_globally: bool | None
    release_date: date | None
    hours: float | None
    views: float | None
    runtime_hours: float | None
    native_title: str | None = None  # the part after " // ", verbatim
    runtime_marked: bool = False  # Netflix put "*" on the runtime


@dataclass(frozen=True, slots=True)
class _Layout:
    sheet: str
    header_line: int
    columns: dict[str, int]  # field → 0-based column index
    labels: dict[str, str]  # field → header text as written
    heading: tuple[tuple[int, str], ...]  # (line, text) of each row above the header row
    kind: str | None

    def heading_period(self) -> tuple[tuple[str, date, date], int] | None:
        """The first report period named above the table, and its line."""
        for line, text in self.heading:
            try:
                return report_period(text), line
            except ValueError:
                continue
        return None


@dataclass(frozen=True, slots=True)
class _Report:
    report: str
    period_start: date
    period_end: date
    published: date


class _CellError(ValueError):
    pass


# --- report period and publication -------------------------------------------------------

_MONTH = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])"
)
_SEP = r"[\s_]*(?:-|–|—|to|through|until)[\s_]*"
_YEAR = r"(?<!\d)(20\d\d)(?!\d)"
_HALF_RE = re.compile(rf"{_YEAR}[\s_-]*h([12])(?![a-z0-9])|(?<![a-z])h([12])[\s_-]*{_YEAR}", re.I)
_YEAR_FIRST_RE = re.compile(rf"{_YEAR}[\s_-]*(?<![a-z]){_MONTH}[a-z]*?{_SEP}{_MONTH}", re.I)
_MONTHS_FIRST_RE = re.compile(
    rf"(?<![a-z]){_MONTH}(?:[\s_,]+{_YEAR})?{_SEP}{_MONTH}[\s_,]+{_YEAR}", re.I
)


def _month_number(name: str) -> int:
    return [m.lower() for m in calendar.month_abbr].index(name[:3].lower())


def _period_label(start: date, end: date) -> str:
    if start.year == end.year and (start.month, end.month) in ((1, 6), (7, 12)):
        return f"{start.year}-H{1 if start.month == 1 else 2}"
    return f"{start:%Y-%m}..{end:%Y-%m}"


def _period(y1: int, m1: int, y2: int, m2: int) -> tuple[str, date, date]:
    if (y2, m2) < (y1, m1):
        raise ValueError(f"period ends before it starts ({y1}-{m1:02d} .. {y2}-{m2:02d})")
    start = date(y1, m1, 1)
    end = date(y2, m2, calendar.monthrange(y2, m2)[1])
    return _period_label(start, end), start, end


def report_period(name_or_text: str) -> tuple[str, date, date]:
    """``(report, period_start, period_end)`` from a file name or a heading.

    Understands ``2023Jan-Jun`` (file names), ``from July to December 2023`` / ``July 2025 to
    June 2026`` (headings) and ``2023 H1`` / ``H2 2023``. Half-years are labelled ``"2023-H1"``;
    any other span ``"2026-01..2026-03"``. Raises :class:`ValueError` when no period is found.
    """
    s = name_or_text
    if m := _HALF_RE.search(s):
        year = int(m.group(1) or m.group(4))
        half = int(m.group(2) or m.group(3))
        return _period(year, 1 if half == 1 else 7, year, 6 if half == 1 else 12)
    if m := _YEAR_FIRST_RE.search(s):
        year, m1, m2 = int(m.group(1)), _month_number(m.group(2)), _month_number(m.group(3))
        return _period(year, m1, year if m2 >= m1 else year + 1, m2)
    if m := _MONTHS_FIRST_RE.search(s):
        m1, m2, y2 = _month_number(m.group(1)), _month_number(m.group(3)), int(m.group(4))
        y1 = int(m.group(2)) if m.group(2) else (y2 if m1 <= m2 else y2 - 1)
        return _period(y1, m1, y2, m2)
    raise ValueError(f"no report period (like '2023Jan-Jun' or 'January to June 2023') in {s!r}")


def publication_date(report: str) -> date:
    """When Netflix published ``report``; :class:`SourceError` for a report not known here."""
    try:
        return PUBLISHED[report]
    except KeyError:
        raise SourceError(
            f"engagement report {report}: publication date not known to renewcast; give it "
            "explicitly (--published YYYY-MM-DD, or published= in code) so that its figures "
            "are not treated as known before Netflix released them"
        ) from None


# --- cell values -------------------------------------------------------------------------


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_title(value: object) -> tuple[str, str | None]:
    """``"The Glory: Season 1 // 더 글로리: 시즌 1"`` → ``("The Glory: Season 1", "더 글로리: 시즌 1")``."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise _CellError(f"expected a title, got {type(value).__name__}")
    text = _text(value)
    if not text:
        raise _CellError("empty title")
    parts = re.split(r"\s+//\s+", text, maxsplit=1)
    if len(parts) == 2 and parts[0].strip() and parts[1].strip():
        return parts[0].strip(), parts[1].strip()
    return text, None


def parse_count(value: object) -> float | None:
    """Hours or views: a number, or a string like ``"812,100,000"``."""
    if _is_blank(value):
        return None
    if isinstance(value, bool):
        raise _CellError(f"expected a number, got {value!r}")
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        s = re.sub(r"[,\s\u00a0\u202f']", "", value)
        if s.lower() in _EMPTY_MARKERS:
            return None
        try:
            number = float(s)
        except ValueError:
            raise _CellError(f"not a number: {value!r}") from None
    else:
        raise _CellError(f"expected a number, got {type(value).__name__}")
    if not math.isfinite(number) or number < 0:
        raise _CellError(f"not a count: {value!r}")
    return number


def parse_runtime(value: object) -> tuple[float | None, bool]:
    """``(hours, marked)`` from ``"1:23"``, ``"1:23:45"``, ``"1.5"``, ``1.5``, an Excel time or ``"*"``."""
    if _is_blank(value):
        return None, False
    if isinstance(value, time):
        return value.hour + value.minute / 60 + value.second / 3600, False
    if isinstance(value, timedelta):
        return value.total_seconds() / 3600, False
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not math.isfinite(value) or value < 0:
            raise _CellError(f"not a runtime: {value!r}")
        return float(value), False
    if not isinstance(value, str):
        raise _CellError(f"expected a runtime, got {type(value).__name__}")
    s = value.strip()
    marked = s.endswith("*")
    s = s.rstrip("*").strip()
    if not s:
        return None, marked
    if m := re.fullmatch(r"(\d+):([0-5]\d)(?::([0-5]\d))?", s):
        h, mi, se = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
        return h + mi / 60 + se / 3600, marked
    if re.fullmatch(r"\d+(?:\.\d+)?", s):
        return float(s), marked
    raise _CellError(f"not a runtime (h:mm or decimal hours): {value!r}")


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y")


def _plausible(d: date, value: object) -> date:
    if not 1900 <= d.year <= 2100:
        raise _CellError(f"date out of range: {value!r}")
    return d


def _parse_slash_date(s: str) -> date | None:
    m = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", s)
    if not m:
        return None
    a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if a <= 12 and b <= 12 and a != b:
        raise _CellError(f"ambiguous date (day/month or month/day?): {s!r}")
    month, day = (a, b) if a <= 12 else (b, a)
    try:
        return date(year, month, day)
    except ValueError:
        raise _CellError(f"not a date: {s!r}") from None


def parse_release_date(value: object) -> date | None:
    """An Excel date, an Excel day number, or a string (ISO, ``2 March 2023``, unambiguous d/m/y)."""
    if _is_blank(value):
        return None
    if isinstance(value, datetime):
        return _plausible(value.date(), value)
    if isinstance(value, date):
        return _plausible(value, value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        from openpyxl.utils.datetime import from_excel

        if not 1 <= value < 100_000:
            raise _CellError(f"not an Excel date: {value!r}")
        return _plausible(from_excel(value).date(), value)
    if not isinstance(value, str):
        raise _CellError(f"expected a date, got {type(value).__name__}")
    s = value.strip()
    if s.lower() in _EMPTY_MARKERS:
        return None
    head = s[:10] if re.match(r"\d{4}-\d\d-\d\d[T ]", s) else s
    for fmt in _DATE_FORMATS:
        try:
            return _plausible(datetime.strptime(head, fmt).date(), value)
        except ValueError:
            continue
    if (d := _parse_slash_date(s)) is not None:
        return _plausible(d, value)
    raise _CellError(f"not a date: {value!r}")


def parse_yes_no(value: object) -> bool | None:
    if _is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    s = str(value).strip().lower()
    if s in ("yes", "y", "true"):
        return True
    if s in ("no", "n", "false"):
        return False
    raise _CellError(f"expected Yes or No, got {value!r}")


# --- layout ------------------------------------------------------------------------------


def _header_key(value: object) -> str:
    if not isinstance(value, str):
        return ""
    return " ".join(re.sub(r"[^\w\s]", " ", value.lower()).split())


def _kind_from(text: str) -> str | None:
    kinds = {_KIND_WORDS[w] for w in re.findall(r"[a-z]+", text.lower()) if w in _KIND_WORDS}
    return kinds.pop() if len(kinds) == 1 else None


def _find_header(rows: Sequence[Sequence[object]]) -> int | None:
    """Index in ``rows`` of the first row with a Title and an Hours Viewed or Views cell."""
    for i, row in enumerate(rows):
        fields = {COLUMN_NAMES.get(_header_key(v)) for v in row}
        if "title" in fields and fields & {"hours", "views"}:
            return i
    return None


def _layout(
    sheet: str, rows: Sequence[Sequence[object]], where: str
) -> tuple[_Layout | None, list[RowProblem]]:
    i = _find_header(rows)
    if i is None:
        return None, [
            RowProblem(
                where,
                None,
                None,
                f"no table header (a 'Title' and an 'Hours Viewed' or 'Views' cell) in the "
                f"first {HEADER_SEARCH_ROWS} rows; sheet skipped",
            )
        ]
    problems: list[RowProblem] = []
    columns: dict[str, int] = {}
    labels: dict[str, str] = {}
    for col, value in enumerate(rows[i]):
        if _is_blank(value):
            continue
        name = COLUMN_NAMES.get(_header_key(value))
        label = _text(value)
        if name is None:
            problems.append(RowProblem(where, i + 1, label, "unknown column; ignored"))
        elif name in columns:
            problems.append(RowProblem(where, i + 1, label, f"second {name} column; ignored"))
        else:
            columns[name], labels[name] = col, label
    for name, label in EXPECTED_COLUMNS.items():
        if name not in columns:
            problems.append(RowProblem(where, i + 1, label, "column not found; left empty"))
    heading = tuple(
        (n, text)
        for n, row in enumerate(rows[:i], start=1)
        if (text := " ".join(_text(v) for v in row if isinstance(v, str) and v.strip()))
    )
    kind = _kind_from(sheet) or _kind_from(" ".join(text for _, text in heading))
    return _Layout(sheet, i + 1, columns, labels, heading, kind), problems


# --- rows --------------------------------------------------------------------------------


def _cell(row: Sequence[object], layout: _Layout, name: str) -> object:
    col = layout.columns.get(name)
    return row[col] if col is not None and col < len(row) else None


@dataclass(slots=True)
class _Cells:
    """Reads the cells of one row, collecting a problem per unreadable cell."""

    row: Sequence[object]
    line: int
    layout: _Layout
    where: str
    problems: list[RowProblem] = field(default_factory=list)
    row_lost: bool = False

    def read(self, name: str, parse: Callable[[object], T], default: T, required: bool) -> T:
        try:
            return parse(_cell(self.row, self.layout, name))
        except _CellError as e:
            self.row_lost |= required
            action = "row skipped" if required else "left empty"
            label = self.layout.labels.get(name, name)
            self.problems.append(RowProblem(self.where, self.line, label, f"{e}; {action}"))
            return default


_NO_TITLE: tuple[str, str | None] = ("", None)
_NO_RUNTIME: tuple[float | None, bool] = (None, False)


def _row(
    row: Sequence[object], line: int, layout: _Layout, report: _Report, where: str
) -> tuple[EngagementRow | None, list[RowProblem]]:
    cells = _Cells(row, line, layout, where)
    title, native_title = cells.read("title", parse_title, _NO_TITLE, required=True)
    hours = cells.read("hours", parse_count, None, required=True)
    views = cells.read("views", parse_count, None, required=True)
    if cells.row_lost:
        return None, cells.problems
    if hours is None and views is None:
        label = layout.labels.get("hours") or layout.labels.get("views", "hours")
        cells.problems.append(
            RowProblem(where, line, label, "no hours viewed or views; row skipped")
        )
        return None, cells.problems
    runtime_hours, marked = cells.read("runtime", parse_runtime, _NO_RUNTIME, required=False)
    record = EngagementRow(
        report=report.report,
        period_start=report.period_start,
        period_end=report.period_end,
        published=report.published,
        sheet=layout.sheet,
        line=line,
        kind=layout.kind,
        title=title,
        available_globally=cells.read("available_globally", parse_yes_no, None, required=False),
        release_date=cells.read("release_date", parse_release_date, None, required=False),
        hours=hours,
        views=views,
        runtime_hours=runtime_hours,
        native_title=native_title,
        runtime_marked=marked,
    )
    return record, cells.problems


def _missing_title_problem(
    row: Sequence[object], line: int, layout: _Layout, where: str
) -> RowProblem:
    label = layout.labels.get("title", "title")
    shown = ", ".join(_text(v) for v in row if not _is_blank(v))[:80]
    return RowProblem(where, line, label, f"no title ({shown}); row skipped")


def _sheet_records(
    rows: Iterator[Sequence[object]], layout: _Layout, report: _Report, where: str
) -> tuple[list[EngagementRow], list[RowProblem]]:
    records: list[EngagementRow] = []
    problems: list[RowProblem] = []
    for line, row in enumerate(rows, start=layout.header_line + 1):
        if all(_is_blank(v) for v in row):
            continue
        if _is_blank(_cell(row, layout, "title")):
            problems.append(_missing_title_problem(row, line, layout, where))
            continue
        record, row_problems = _row(row, line, layout, report, where)
        problems.extend(row_problems)
        if record is not None:
            records.append(record)
    return records, problems


# --- workbook ----------------------------------------------------------------------------


def _open_workbook(data: bytes, uri: str) -> Any:
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise SourceError(f"{uri}: old Excel .xls format; save it as .xlsx and import that")
    if data[:2] != b"PK":
        start = data[:40].decode("utf-8", "replace").strip()
        raise SourceError(
            f"{uri}: not an .xlsx workbook (starts with {start!r}); download the report again"
        )
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(
                io.BytesIO(data), read_only=True, data_only=True, keep_links=False
            )
    except Exception as e:  # zipfile.BadZipFile, KeyError, XML errors… all mean a bad file
        raise SourceError(
            f"{uri}: cannot open the workbook ({type(e).__name__}: {e}); the file is truncated "
            "or corrupt — download it again"
        ) from e


def _resolve_report(
    uri: str, layout: _Layout, where: str, published: date | None
) -> tuple[_Report, list[RowProblem]]:
    problems: list[RowProblem] = []
    found = layout.heading_period()
    from_heading, heading_line = found if found else (None, None)
    try:
        period = report_period(Path(uri.split("?")[0]).name)
    except ValueError:
        if from_heading is None:
            raise SourceError(
                f"{uri}: cannot tell which period this report covers (no '2023Jan-Jun' in the "
                "file name, no 'January to June 2023' in the sheet heading); rename the file "
                "like What_We_Watched_..._2023Jan-Jun.xlsx"
            ) from None
        period = from_heading
    if from_heading is not None and from_heading != period:
        problems.append(
            RowProblem(
                where,
                heading_line,
                "period",
                f"heading says {from_heading[0]} but the file name says {period[0]}; "
                "using the file name",
            )
        )
    when = published if published is not None else publication_date(period[0])
    return _Report(period[0], period[1], period[2], when), problems


def _sheet_rows(ws: Any, where: str) -> Iterator[tuple[object, ...]]:
    """The sheet's rows, read lazily; more than the source's row limit is a SourceError (an
    11 MB workbook can unzip to a million rows)."""
    ws.reset_dimensions()  # a wrong <dimension> must not cut rows off
    limit = LIMITS[SOURCE].max_rows
    for n, row in enumerate(ws.iter_rows(values_only=True), start=1):
        if n > limit:
            raise too_many_rows(where, SOURCE)
        yield row


def _file_date(wb: Any) -> date | None:
    modified = getattr(wb.properties, "modified", None) or getattr(wb.properties, "created", None)
    return modified.date() if isinstance(modified, datetime) else None


def parse_report(data: bytes, uri: str, published: date | None = None) -> ReadResult[EngagementRow]:
    """Read one engagement report from its bytes. ``uri`` names it in problems and errors.

    ``published`` overrides :func:`publication_date` (needed for reports not in
    :data:`PUBLISHED`).
    """
    wb = _open_workbook(data, uri)
    result: ReadResult[EngagementRow] = ReadResult(SOURCE, uri, sha256_bytes(data))
    try:
        result.file_date = _file_date(wb)
        _read_sheets(wb, uri, published, result)
    finally:
        wb.close()
    return result


def _read_sheets(
    wb: Any, uri: str, published: date | None, result: ReadResult[EngagementRow]
) -> None:
    report: _Report | None = None
    for ws in wb.worksheets:
        where = f"{uri}#{ws.title}"
        try:
            rows = _sheet_rows(ws, where)
            top = [row for _, row in zip(range(HEADER_SEARCH_ROWS), rows, strict=False)]
            layout, problems = _layout(ws.title, top, where)
            result.problems.extend(problems)
            if layout is None:
                continue
            if report is None:
                report, problems = _resolve_report(uri, layout, where, published)
                result.problems.extend(problems)
            rest = iter(top[layout.header_line :])
            records, problems = _sheet_records(_chain(rest, rows), layout, report, where)
        except (
            zipfile.BadZipFile,
            zlib.error,
            OSError,
            EOFError,
            KeyError,
            ValueError,
            SyntaxError,
        ) as e:
            raise SourceError(
                f"{where}: the sheet cannot be read ({type(e).__name__}: {e}); the file is "
                "truncated or corrupt — download it again"
            ) from e
        result.records.extend(records)
        result.problems.extend(problems)
    if report is None:
        raise SourceError(
            f"{uri}: no sheet has a table with 'Title' and 'Hours Viewed' or 'Views' columns; "
            "is this a Netflix engagement report?"
        )


def _chain(
    first: Iterator[Sequence[object]], second: Iterator[Sequence[object]]
) -> Iterator[Sequence[object]]:
    yield from first
    yield from second


def read_report(path: Path | str, published: date | None = None) -> ReadResult[EngagementRow]:
    """Read one engagement report .xlsx from disk (see :func:`parse_report`)."""
    p = Path(path)
    return parse_report(read_bytes(p, SOURCE), str(p), published)


# --- live --------------------------------------------------------------------------------


def fetch_report(client: httpx.Client, url: str) -> bytes:
    """Download a report workbook: timeouts, renewcast's User-Agent, a 50 MB cap, xlsx check."""
    body = fetch_report_if_changed(client, url).body
    assert body is not None  # no validators sent: never "not modified"
    return body


def fetch_report_if_changed(
    client: httpx.Client, url: str, validators: Validators | None = None
) -> Download:
    """Download a report workbook unless the copy ``validators`` describe is still current."""
    got = conditional_get(
        client,
        url,
        validators=validators,
        max_bytes=MAX_DOWNLOAD_BYTES,
        moved_hint="check the URL (Netflix moves report files) or download the .xlsx by hand "
        "and import the file",
    )
    if got.body is not None and got.body[:4] != b"PK\x03\x04":
        kind = got.content_type or "unknown type"
        raise SourceError(
            f"{url}: the response is not an .xlsx workbook ({kind}); the link may point to a "
            "web page — find the report's download link on about.netflix.com"
        )
    return got
