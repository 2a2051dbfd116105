"""What every source module shares: problems found while reading, and what a read returns.

A source module (one per source, like trafilatura's stages) is *pure*: it turns bytes or a local
file into typed records, and reports every row it could not use as a :class:`RowProblem` naming the
file, line and field. It never touches the store; :mod:`renewcast.store.load` writes the records in
one transaction per import.

Each module also has the real code for its official live location (``fetch_*`` functions taking an
:class:`httpx.Client`), tested with recorded responses.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Generic, TypeVar

R = TypeVar("R")

USER_AGENT = "renewcast/0.1 (+https://github.com/renewcast/renewcast)"
# The problem a reader reports, on the header line, for an optional column the file lacks. A sync
# refuses such a file when the stored version of it had the column (see store/importer.py).
ABSENT_COLUMN = "column absent; every value is unknown"


class SourceError(Exception):
    """A whole source could not be read (missing file, wrong format, unreachable URL).

    The message always names the file or URL and says what to do.
    """


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One row (or cell) that could not be used. ``line`` is 1-based as an editor shows it."""

    file: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        if self.field:
            where += f" [{self.field}]"
        return f"{where}: {self.message}"


@dataclass(slots=True)
class ReadResult(Generic[R]):
    """Records read from one file, the problems met, and the file's identity."""

    source: str  # e.g. "netflix-top10/global"
    uri: str  # path or URL it came from
    sha256: str
    records: list[R] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    file_date: date | None = None  # the date the file itself carries (snapshot date), if any

    def __iter__(self) -> Iterator[R]:
        return iter(self.records)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, slots=True)
class Limit:
    """How big one file of a source may be: bytes on disk and rows (lines, sheet rows)."""

    max_bytes: int
    max_rows: int


_MB = 1024 * 1024
# Every size and row guard, in one place: a few times the largest real file, so a junk or runaway
# file is refused before it costs gigabytes, with an error that names the limit.
LIMITS: dict[str, Limit] = {
    "netflix-top10/global": Limit(64 * _MB, 500_000),  # 0.9 MB, 10,560 rows in 2026
    "netflix-top10/countries": Limit(512 * _MB, 8_000_000),  # ~30 MB and growing weekly
    "netflix-top10/most-popular": Limit(4 * _MB, 10_000),  # 40 rows
    "netflix-top10/week-first-seen": Limit(16 * _MB, 100_000),
    "netflix-top10/season-title-relabels": Limit(16 * _MB, 100_000),
    "netflix-engagement": Limit(64 * _MB, 200_000),  # 0.9 MB, ~20,000 rows a report
    "justwatch/titles": Limit(128 * _MB, 2_000_000),
    "justwatch/credits": Limit(256 * _MB, 5_000_000),
    "wikipedia/ended": Limit(32 * _MB, 200_000),
    "wikipedia/current": Limit(32 * _MB, 200_000),
    "news": Limit(1024 * _MB, 2_000_000),  # a JSONL archive; 100 copies of the archive: 67 MB
}
BINARY_SOURCES = frozenset({"netflix-engagement"})
SNIFF_BYTES = 65_536


def limit_for(source: str) -> Limit:
    return LIMITS[source]


def too_many_rows(uri: str, source: str) -> SourceError:
    limit = LIMITS[source].max_rows
    return SourceError(
        f"{uri}: more than {limit:,} rows, the limit for a {source} file "
        "(LIMITS in renewcast/sources/base.py); is this the right file?"
    )


def read_bytes(path: Path, source: str | None = None) -> bytes:
    """The file's bytes. With ``source``, a file over the source's byte limit, or a text source's
    file that holds binary data (NUL bytes), is refused before it is read."""
    try:
        if source is not None:
            _check_file(path, source)
        return path.read_bytes()
    except FileNotFoundError as e:
        raise SourceError(f"{path}: file not found") from e
    except IsADirectoryError as e:
        raise SourceError(f"{path}: is a folder, not a file") from e
    except OSError as e:
        raise SourceError(f"{path}: cannot read ({e.strerror})") from e


def _check_file(path: Path, source: str) -> None:
    limit = LIMITS[source].max_bytes
    size = path.stat().st_size
    if size > limit:
        raise SourceError(
            f"{path}: {size:,} bytes is more than the {limit:,}-byte limit for a {source} file "
            "(LIMITS in renewcast/sources/base.py); is this the right file?"
        )
    if source not in BINARY_SOURCES:
        with path.open("rb") as f:
            head = f.read(SNIFF_BYTES)
        at = head.find(b"\x00")
        if at >= 0:
            raise SourceError(
                f"{path}: binary data (a NUL byte at byte {at:,}), not the "
                f"text a {source} file holds; is this the right file?"
            )


def decode_text(
    data: bytes, uri: str, *, skip_bad_lines: bool = False
) -> tuple[str, list[RowProblem]]:
    """Decode UTF-8 (with or without BOM); undecodable bytes are reported by line. Tables and JSONL
    (``skip_bad_lines``) leave such a line out, as a blank line so the others keep their numbers:
    a mangled value must not be stored, since a fixed file could not tell it from a real one.
    Prose (articles, HTML) keeps the line with U+FFFD in place of the bad bytes."""
    problems: list[RowProblem] = []
    try:
        return data.decode("utf-8-sig"), problems
    except UnicodeDecodeError:
        pass
    text_lines = []
    for i, raw in enumerate(data.split(b"\n"), start=1):
        try:
            text_lines.append(raw.decode("utf-8"))
        except UnicodeDecodeError as e:
            what = "line skipped" if skip_bad_lines else "replaced"
            problems.append(RowProblem(uri, i, None, f"not valid UTF-8 at byte {e.start}; {what}"))
            text_lines.append("" if skip_bad_lines else raw.decode("utf-8", errors="replace"))
    text = "\n".join(text_lines)
    return text.removeprefix("\ufeff"), problems


def decode_lines(lines: Iterable[bytes], uri: str, problems: list[RowProblem]) -> Iterator[str]:
    """A stream of JSONL byte lines (stdin) as text, as :func:`decode_text` with
    ``skip_bad_lines``: a line that is not UTF-8 becomes a problem in ``problems`` and a blank
    line, so the others keep their numbers."""
    for i, raw in enumerate(lines, start=1):
        try:
            yield raw.decode("utf-8-sig" if i == 1 else "utf-8")
        except UnicodeDecodeError as e:
            problems.append(
                RowProblem(uri, i, None, f"not valid UTF-8 at byte {e.start}; line skipped")
            )
            yield ""


def day_start(d: date) -> datetime:
    """Midnight UTC at the start of ``d``: the ``known_at`` of a fact public on day ``d``."""
    return datetime.combine(d, time(0, 0), tzinfo=UTC)


def end_of_day(d: date) -> datetime:
    """The last instant of ``d`` (UTC) — what ``--as-of d`` means: everything known by then."""
    return datetime.combine(d + timedelta(days=1), time(0, 0), tzinfo=UTC) - timedelta(
        microseconds=1
    )


@dataclass(slots=True)
class CsvRow:
    """One data row of a CSV file: its 1-based line and its cells by (stripped) header name."""

    line: int
    cells: dict[str, str]


def csv_rows(
    text: str,
    uri: str,
    required: tuple[str, ...],
    what: str,
    problems: list[RowProblem],
    source: str | None = None,
) -> Iterator[CsvRow]:
    """Rows of a CSV text with a header. A missing required column is a :class:`SourceError`;
    a malformed or ragged row is a :class:`RowProblem` and is skipped; blank rows are ignored.
    ``what`` names the expected file in messages ("a JustWatch titles CSV"); more rows than the
    ``source``'s limit is a :class:`SourceError`."""
    max_rows = LIMITS[source].max_rows if source else None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise SourceError(f"{uri}: the file is empty; expected {what}") from None
    except csv.Error as e:
        raise SourceError(f"{uri}: the header row is not CSV ({e})") from e
    missing = [c for c in required if c not in header]
    if missing:
        raise SourceError(
            f"{uri}: missing column(s) {', '.join(missing)}; expected {what} "
            f"with columns {', '.join(required)} (found {', '.join(header[:8])})"
        )
    while True:
        start = reader.line_num + 1
        if max_rows is not None and start > max_rows + 1:
            raise too_many_rows(uri, source or "")
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            problems.append(RowProblem(uri, start, None, f"not valid CSV ({e}); row skipped"))
            continue
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            problems.append(
                RowProblem(
                    uri,
                    start,
                    None,
                    f"row has {len(values)} fields, the header has {len(header)} "
                    "(truncated or misquoted); row skipped",
                )
            )
            continue
        yield CsvRow(start, dict(zip(header, values, strict=True)))
