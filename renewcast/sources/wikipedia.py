"""Wikipedia's lists of Netflix original programming: ended series and current series.

Two snapshots live in ``shared/data/wikipedia`` (scraped with one row per table row, a ``table``
column giving the page table an ended row came from). The live page is read through the MediaWiki
action API (``action=parse``) and its ``wikitable`` tables are turned into the same records.

What the columns hold, and what this module makes of them:

* ``Premiere``/``Finale``: "November 2, 2018" (a :class:`~datetime.date`), with footnote marks
  like ``[1]`` removed. Partial dates ("2025", "May 2025", "Mid-2025") are imprecise, not wrong:
  they give ``None`` (a day cannot be invented) and are not reported. "TBA" is ``None`` too.
* ``Seasons``: "6 seasons, 73 episodes", "1 season, 10 episodes", "10 episodes" (no season count:
  ``seasons`` is ``None``), and Netflix's other names for a season: parts, volumes, collections,
  books and chapters ("6 chapters" alone counts episodes).
* ``Status`` (current list only): see :func:`parse_status`.
* ``kind``: see :func:`kind_from_genre`; rows with a ``Subject`` and no ``Genre`` come from the
  docuseries tables. For the 2023-11-06 ended snapshot the page's table layout is known (see
  ``_ENDED_TABLES``) and a table's kind and language win over the genre text: the adult-animation
  table's "Comedy drama" is still animation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from renewcast.sources.base import (
    CsvRow,
    ReadResult,
    RowProblem,
    SourceError,
    csv_rows,
    decode_text,
    read_bytes,
    sha256_bytes,
)
from renewcast.sources.http import Download, Validators, conditional_get

SOURCE_ENDED = "wikipedia/ended"
SOURCE_CURRENT = "wikipedia/current"
SOURCE_LIVE = "wikipedia/live"

API_URL = "https://en.wikipedia.org/w/api.php"
CURRENT_PAGE = "List_of_Netflix_original_programming"
ENDED_PAGE = "List_of_ended_Netflix_original_programming"

KINDS = ("scripted", "reality", "docuseries", "anime", "animation", "kids", "talk", "stand-up")


@dataclass(frozen=True, slots=True)
class WikiStatus:
    """What a ``Status`` cell says about the next season.

    ``renewed_for`` is the highest season number ordered, as said ("Renewed for seasons 2–3" → 3,
    "Season 4 due to premiere in 2025" → 4) or inferred from the seasons released so far (plain
    "Renewed" after 6 seasons → 7). ``final_season`` is set when the list says the ordered or
    upcoming season is the last. ``pending`` means no decision on another season is stated
    ("Pending", or a season airing now with no renewal). ``due`` is the release wording as written
    ("2025", "late 2025", "June 5, 2025") and ``due_season`` the season it is for ("Season 3 due
    to premiere on June 5, 2025 Renewed for season 4" → 3).
    """

    renewed_for: int | None = None
    final_season: int | None = None
    pending: bool = False
    miniseries: bool = False
    due: str | None = None
    ended: bool = False
    due_season: int | None = None

    @property
    def due_day(self) -> date | None:
        """``due`` as a day when it names one ("June 5, 2025"); None for a month, a year or a
        part of one ("May 2025", "late 2025")."""
        try:
            return parse_wiki_date(self.due)
        except ValueError:
            return None


@dataclass(frozen=True, slots=True)
class EndedSeries:
    title: str
    premiere: date | None
    finale: date | None
    seasons: int | None
    episodes: int | None
    genre: str | None
    language: str | None
    table: int | None
    kind: str | None
    notes: str | None
    line: int
    # the seasons a continuation's title names ("Lucifer (seasons 4–6)": (4, 6)); ``title`` is
    # then the series' own name, and ``premiere`` and ``seasons`` are those of Netflix's seasons
    continued: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class CurrentSeries:
    title: str
    genre: str | None
    premiere: date | None
    seasons: (
        int | None
    )  # seasons released, as the list counts them (Netflix's own, for continuations)
    episodes: int | None
    status_raw: str | None
    status: WikiStatus
    language: str | None
    kind: str | None
    line: int
    continued: tuple[int, int] | None = None  # as :attr:`EndedSeries.continued`


# --------------------------------------------------------------------------------------------
# Cell text

_FOOTNOTE = re.compile(r"\[(?:\d+|[a-z]|(?:note|nb|n) ?\d+|citation needed|when\?)\]", re.I)
_SPACE = re.compile(r"\s+")


def clean(text: str | None) -> str | None:
    """Cell text without footnote marks ("[1]", "[a]", "[note 2]") and extra space; None if empty."""
    if text is None:
        return None
    out = _SPACE.sub(" ", _FOOTNOTE.sub(" ", text)).strip()
    return out or None


_NOT_A_DATE = re.compile(r"^(tba|tbd|tbc|n/a|weekly release|awaiting release|unreleased)$", re.I)
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_PARTIAL_DATE = re.compile(
    rf"^(?:(?:early|mid|late)[- ]?)?(?:(?:{_MONTHS})\s+)?(?:19|20)\d\d$|^(?:{_MONTHS})\s+(?:19|20)\d\d$",
    re.I,
)


def parse_wiki_date(text: str | None) -> date | None:
    """A full date → ``date``; a partial one ("2018", "May 2025") or "TBA" → ``None``.

    Raises ``ValueError`` for text that is no date at all.
    """
    s = clean(text)
    if s is None or _NOT_A_DATE.match(s) or _PARTIAL_DATE.match(s):
        return None
    s = s.replace("\u00a0", " ")
    for fmt in ("%B %d, %Y", "%d %B %Y", "%Y-%m-%d", "%b %d, %Y"):
        try:
            return datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"{s!r} is not a date like 'November 2, 2018'")


_SEASON_UNITS = r"seasons?|series|parts?|volumes?|collections?|books?|chapters?"
_UNIT = re.compile(rf"(\d+)\s+({_SEASON_UNITS})\b", re.I)
_EPISODES = re.compile(r"(\d+)\s+episodes?\b", re.I)
_NOT_A_COUNT = re.compile(r"^(tba|tbd|weekly release|awaiting release)$", re.I)


def parse_seasons(text: str | None) -> tuple[int | None, int | None]:
    """``(seasons, episodes)`` from "6 seasons, 73 episodes", "10 episodes", "3 parts, 17 episodes"…

    Raises ``ValueError`` when the text holds neither a season nor an episode count.
    """
    s = clean(text)
    if s is None or _NOT_A_COUNT.match(s):
        return None, None
    unit = _UNIT.search(s)
    eps = _EPISODES.search(s)
    if unit is None and eps is None:
        raise ValueError(f"{s!r} has no season or episode count")
    episodes = int(eps.group(1)) if eps else None
    if unit is None:
        return None, episodes
    if unit.group(2).lower().startswith("chapter") and eps is None:
        return None, int(unit.group(1))  # "6 chapters": a docuseries' episodes
    return int(unit.group(1)), episodes


# --------------------------------------------------------------------------------------------
# Kind of programme

_KIND_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("anime", re.compile(r"\banime\b")),
    ("kids", re.compile(r"preschool|children|\bkids?\b|educational|\bfamily (?:comedy|musical)\b")),
    ("animation", re.compile(r"animat|stop[- ]motion|\bcgi?\b")),
    ("stand-up", re.compile(r"stand[- ]?up")),
    (
        "talk",
        re.compile(
            r"talk show|late[- ]night|variety|panel show|\binterview|aftershow|after show|live event"
        ),
    ),
    (
        "reality",
        re.compile(
            r"reality|competition|contest|game show|dating|makeover|cooking show|prank"
            r"|docu-?soap|\bcelebrity\b"
        ),
    ),
    (
        "docuseries",
        re.compile(
            r"docu|documentary|true crime|making-of|behind the scenes|nature|science investigation"
        ),
    ),
    (
        "scripted",
        re.compile(
            r"drama|comedy|sitcom|dramedy|thriller|horror|fantasy|fiction|mystery|crime|romance"
            r"|romantic|telenovela|melodrama|superhero|western|anthology|musical|mockumentary"
            r"|procedural|\bteen|period|action|adventure|suspense|supernatural|\bspy\b|espionage"
            r"|biopic|zombie|apocalyp|martial arts|mecha|tokusatsu|disaster|slice[- ]of[- ]life"
            r"|\bwar\b|historical|satir|sketch|paranormal|gothic|heist|legal|medical|political"
            r"|workplace|coming[- ]of[- ]age|puppetry|\bsuspense\b"
        ),
    ),
)


def kind_from_genre(genre: str | None) -> str | None:
    """The kind of programme a genre text names, or ``None`` when it names none.

    Rules go from the most specific to the broadest, so "Comedy talk show" is talk, "Reality
    television/interactive fiction" is reality, "Adult animated horror comedy" is animation and
    "Sports" or "Music" alone (which say nothing about the form) give ``None``.
    """
    g = clean(genre)
    if g is None:
        return None
    g = g.lower()
    for kind, pattern in _KIND_RULES:
        if pattern.search(g):
            return kind
    return None


_HEADING_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("anime", re.compile(r"\banime\b", re.I)),
    ("kids", re.compile(r"kids|children|family|preschool", re.I)),
    ("animation", re.compile(r"animation|animated", re.I)),
    ("docuseries", re.compile(r"docuseries|documentar|docu-series", re.I)),
    ("reality", re.compile(r"reality", re.I)),
    ("talk", re.compile(r"variety|talk", re.I)),
    ("stand-up", re.compile(r"stand-up", re.I)),
    ("scripted", re.compile(r"drama|comedy|scripted", re.I)),
)


def kind_from_heading(heading: str | None) -> str | None:
    """The kind a section heading of the live list names ("Docuseries", "Kids & family"…)."""
    if not heading:
        return None
    for kind, pattern in _HEADING_KINDS:
        if pattern.search(heading):
            return kind
    return None


# The table layout of the 2023-11-06 ended snapshot: table index → (kind, language). Read from
# the data: tables 3–5 are the animation tables (4 is mostly Japanese, 5 has no genre column and
# holds All Hail King Julien, Popples, StoryBots), 2 is "Kids & family" (Educational, Children's
# comedy, Julie's Greenroom), 29 has a Subject instead of a Genre (docuseries), 30 is 69× "Reality",
# 31 is talk/variety ("Talk show", "Late-night"); 6–28 are the non-English scripted tables, one per
# language in alphabetical order (Ludik → Afrikaans … Sacred Games → Hindi … The Brave Ones → Xhosa);
# 0–2 are the English-language scripted tables. A kind of ``None`` leaves the genre to decide.
_ENDED_2023_LANGUAGES = [
    "Afrikaans",
    "Arabic",
    "Danish",
    "Dutch",
    "French",
    "German",
    "Hindi",
    "Icelandic",
    "Italian",
    "Japanese",
    "Korean",
    "Mandarin",
    "Norwegian",
    "Polish",
    "Portuguese",
    "Punjabi",
    "Spanish",
    "Swedish",
    "Tamil",
    "Telugu",
    "Thai",
    "Turkish",
    "Xhosa",
]
_ENDED_TABLES: dict[date, dict[int, tuple[str | None, str | None]]] = {
    date(2023, 11, 6): {
        0: ("scripted", "English"),
        1: ("scripted", "English"),
        2: ("kids", "English"),
        3: ("animation", None),
        4: ("anime", None),
        5: ("kids", None),
        **{6 + i: ("scripted", lang) for i, lang in enumerate(_ENDED_2023_LANGUAGES)},
        29: ("docuseries", None),
        30: ("reality", None),
        31: ("talk", None),
    }
}


def _row_kind(genre: str | None, subject: str | None, table_kind: str | None) -> str | None:
    if table_kind is not None:
        return table_kind
    kind = kind_from_genre(genre)
    if kind is None and genre is None and subject is not None:
        return "docuseries"
    return kind


# --------------------------------------------------------------------------------------------
# Status

_DASH = re.compile(r"\s*[–—-]\s*")
_ORDINALS = {
    w: i
    for i, w in enumerate(
        [
            "first",
            "second",
            "third",
            "fourth",
            "fifth",
            "sixth",
            "seventh",
            "eighth",
            "ninth",
            "tenth",
            "eleventh",
            "twelfth",
        ],
        start=1,
    )
}
_UPCOMING = re.compile(
    r"(?P<what>final season|season (?P<n>\d+)|new episodes?|new season)\s+(?:is\s+)?due to "
    r"(?:premiere|be released|release)\s+(?:on|in)\s+(?P<when>.+?)"
    r"(?=\s+(?:renewed|season \d+|final season)\b|$)",
    re.I,
)
_ONGOING = re.compile(r"season (?P<n>\d+) ongoing|(?P<mini>miniseries) ongoing", re.I)
_RENEWED = re.compile(
    r"renewed(?P<rest>.*?)(?=\s+(?:season \d+|final season|new episodes?)\s+(?:is\s+)?due\b|$)",
    re.I,
)
_FOR_SEASONS = re.compile(r"for (?:seasons?|series|parts?|volumes?) (\d+)(?:-(\d+))?", re.I)
_FOR_FINAL = re.compile(
    r"for (?:a |the |its )?(?:final|last) (?:season|part|series|volume|chapter|book|collection)",
    re.I,
)
_FOR_ORDINAL = re.compile(rf"for (?:a |its )?({'|'.join(_ORDINALS)}) (?:and final )?season", re.I)
_FINAL_MARK = re.compile(r"\(final\)|\band final\b", re.I)
# An order counted in episodes ("through episode 100") covers an unknown number of seasons.
_BY_EPISODE = re.compile(
    r"\b(?:through|to|until|up to) episode \d+|\bfor \d+ (?:more )?episodes\b", re.I
)
_PENDING = re.compile(r"\bpending\b", re.I)
_MINI = re.compile(r"\b(?:miniseries|mini-series|limited series)\b", re.I)
_ENDED = re.compile(r"\b(?:ended|concluded|cancell?ed)\b", re.I)
_NO_INFO = re.compile(r"\bawaiting release\b", re.I)


def _next_after(*known: int | None) -> int | None:
    numbers = [k for k in known if k is not None]
    return max(numbers) + 1 if numbers else None


def parse_status(raw: str, seasons: int | None) -> WikiStatus:
    """Parse a ``Status`` cell; ``seasons`` is the last season released (for inference).

    Handles every shape of the 2025-03-24 list: "Pending", "Renewed", "Renewed for seasons 2–3
    (final)", "Renewed for final season/part", "Renewed through episode 100 (final)", "Renewed for
    season 4 and a reunion special", "Season 3 due to premiere on June 5, 2025 Renewed for season 4",
    "Final season due to premiere in late 2025", "New episode due to premiere on …", "Season 2
    ongoing", "Miniseries", "Miniseries ongoing", "Limited series", and the words ended/concluded/
    cancelled. Raises ``ValueError`` for text it cannot read.
    """
    text = clean(raw)
    if text is None:
        raise ValueError("empty status")
    text = _DASH.sub("-", text)
    recognised = False
    ordered: list[int] = []
    final: int | None = None
    due: str | None = None
    due_season: int | None = None

    ongoing: int | None = None
    mini_ongoing = False
    for m in _ONGOING.finditer(text):
        recognised = True
        if m.group("n"):
            ongoing = int(m.group("n"))
        else:
            mini_ongoing = True

    for m in _UPCOMING.finditer(text):
        recognised = True
        what = m.group("what").lower()
        n = None
        if m.group("n"):
            n = int(m.group("n"))
            ordered.append(n)
        elif what == "final season" or what == "new season":
            n = _next_after(seasons, ongoing)
            if n is not None:
                ordered.append(n)
            if what == "final season":
                final = n
        if due is None:
            due, due_season = m.group("when").strip(" .,;"), n

    for m in _RENEWED.finditer(text):
        recognised = True
        rest = m.group("rest")
        numbers: list[int] = []
        if fs := _FOR_SEASONS.search(rest):
            numbers = [int(x) for x in fs.groups() if x]
        elif fo := _FOR_ORDINAL.search(rest):
            numbers = [_ORDINALS[fo.group(1).lower()]]
        else:
            n = _next_after(seasons, ongoing, *ordered)
            numbers = [n] if n is not None else []
        ordered.extend(numbers)
        is_final = _FOR_FINAL.search(rest) or _FINAL_MARK.search(rest)
        # "Renewed through episode 100 (final)": the last of the episodes ordered ends it, and
        # which season that is the list does not say, so no season is read as the final one.
        if is_final and numbers and not _BY_EPISODE.search(rest):
            final = max(numbers)

    pending = bool(_PENDING.search(text))
    miniseries = bool(_MINI.search(text)) or mini_ongoing
    ended = bool(_ENDED.search(text))
    recognised = recognised or pending or miniseries or ended or bool(_NO_INFO.search(text))
    if not recognised:
        raise ValueError(f"unrecognised status {text!r}")
    renewed_for = max(ordered) if ordered else None
    if ongoing is not None and renewed_for is None and not (miniseries or ended):
        pending = True
    return WikiStatus(
        renewed_for=renewed_for,
        final_season=final,
        pending=pending,
        miniseries=miniseries,
        due=due,
        ended=ended,
        due_season=due_season,
    )


_TITLE_SEASONS = re.compile(
    r"\s*\((seasons?|series|parts?|episodes?)\s+(\d+)(?:\s*[–—-]\s*(\d+))?\)", re.I
)


def split_continuation(title: str) -> tuple[str, tuple[int, int] | None]:
    """A continuation's title as the series' own name and the seasons it names: "You (seasons
    2–4)" → ("You", (2, 4)), "Inside (season 2)" → ("Inside", (2, 2)). Episode ranges ("The
    Staircase (episodes 11–13)") and titles naming no seasons are returned whole, with None."""
    m = _TITLE_SEASONS.search(title)
    if not m or m.group(1).lower().startswith("episode"):
        return title, None
    first = int(m.group(2))
    last = int(m.group(3) or first)
    base = (title[: m.start()] + title[m.end() :]).strip()
    if not base or first < 1 or last < first:
        return title, None
    return base, (first, last)


def last_season_in_title(title: str) -> int | None:
    """The last season a continuation title names: "You (seasons 2–4)" → 4, "Inside (season 2)" → 2."""
    span = split_continuation(title)[1]
    return span[1] if span else None


# --------------------------------------------------------------------------------------------
# Files

_SNAPSHOT_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})")


def snapshot_date(path: Path | str) -> date:
    """The snapshot date in a file name like ``netflix-original-programming-2025-03-24.csv``."""
    name = Path(path).name
    m = _SNAPSHOT_IN_NAME.search(name)
    if not m:
        raise SourceError(f"{path}: no snapshot date (YYYY-MM-DD) in the file name; rename it")
    try:
        return date.fromisoformat(m.group(1))
    except ValueError as e:
        raise SourceError(f"{path}: {m.group(1)!r} in the file name is not a real date") from e


class _Row(CsvRow):
    """A Wikipedia CSV row; ``get`` gives a cell cleaned of footnote marks and spacing."""

    __slots__ = ()

    def get(self, column: str) -> str | None:
        return clean(self.cells.get(column))


def _csv_rows(
    text: str,
    uri: str,
    required: tuple[str, ...],
    what: str,
    problems: list[RowProblem],
    source: str,
) -> Iterator[_Row]:
    for row in csv_rows(text, uri, required, f"a CSV scrape of {what}", problems, source):
        yield _Row(row.line, row.cells)


def _date_field(row: _Row, column: str, uri: str, problems: list[RowProblem]) -> date | None:
    try:
        return parse_wiki_date(row.cells.get(column))
    except ValueError as e:
        problems.append(RowProblem(uri, row.line, column, str(e)))
        return None


def _language_field(row: _Row, uri: str, problems: list[RowProblem]) -> str | None:
    """The Language cell, or None when it holds no language: a cell with digits is another
    column's value in the wrong place (a runtime such as "50 min" in a row whose cells shifted),
    reported and left unknown rather than offered as a language."""
    value = row.get("Language")
    if value is not None and any(ch.isdigit() for ch in value):
        problems.append(
            RowProblem(
                uri,
                row.line,
                "Language",
                f"{value!r} is not a language (the row's cells look shifted); language unknown",
            )
        )
        return None
    return value


def _seasons_field(
    row: _Row, column: str, uri: str, problems: list[RowProblem]
) -> tuple[int | None, int | None]:
    try:
        return parse_seasons(row.cells.get(column))
    except ValueError as e:
        problems.append(RowProblem(uri, row.line, column, str(e)))
        return None, None


def _ended_record(
    row: _Row,
    uri: str,
    problems: list[RowProblem],
    tables: dict[int, tuple[str | None, str | None]],
    heading_kind: str | None = None,
) -> EndedSeries | None:
    title = row.get("Title")
    if title is None:
        problems.append(RowProblem(uri, row.line, "Title", "empty title; row skipped"))
        return None
    table: int | None = None
    raw_table = row.get("table")
    if raw_table is not None:
        try:
            table = int(raw_table)
        except ValueError:
            problems.append(RowProblem(uri, row.line, "table", f"{raw_table!r} is not a number"))
    table_kind, table_language = (
        tables.get(table, (None, None)) if table is not None else (None, None)
    )
    genre = row.get("Genre")
    seasons, episodes = _seasons_field(row, "Seasons", uri, problems)
    title, continued = split_continuation(title)
    return EndedSeries(
        title=title,
        premiere=_date_field(row, "Premiere", uri, problems),
        finale=_date_field(row, "Finale", uri, problems),
        seasons=seasons,
        episodes=episodes,
        genre=genre,
        language=_language_field(row, uri, problems) or table_language,
        table=table,
        kind=_row_kind(genre, row.get("Subject"), table_kind or heading_kind),
        notes=row.get("Notes"),
        line=row.line,
        continued=continued,
    )


def _current_record(
    row: _Row, uri: str, problems: list[RowProblem], heading_kind: str | None = None
) -> CurrentSeries:
    title, continued = split_continuation(row.get("Title") or "")
    genre = row.get("Genre")
    seasons, episodes = _seasons_field(row, "Seasons", uri, problems)
    status_raw = row.get("Status")
    status = WikiStatus()
    if status_raw is not None:
        try:
            # "10 episodes" with no season count: one season is out
            released = (continued[1] if continued else None) or seasons or (1 if episodes else None)
            status = parse_status(status_raw, released)
        except ValueError as e:
            problems.append(RowProblem(uri, row.line, "Status", str(e)))
    return CurrentSeries(
        title=title,
        genre=genre,
        premiere=_date_field(row, "Premiere", uri, problems),
        seasons=seasons,
        episodes=episodes,
        status_raw=status_raw,
        status=status,
        language=_language_field(row, uri, problems),
        kind=_row_kind(genre, row.get("Subject"), heading_kind),
        line=row.line,
        continued=continued,
    )


@dataclass(slots=True)
class _Skipped:
    upcoming: int = 0  # a title but no status: the list's upcoming-series tables
    navigation: int = 0  # no title: navbox text spilled into other columns
    subheadings: int = 0  # "Awaiting release" rows spanning the table

    def note(self, uri: str) -> RowProblem | None:
        if not (self.upcoming or self.navigation or self.subheadings):
            return None
        return RowProblem(
            uri,
            None,
            "Status",
            f"skipped {self.navigation} navigation rows without a title, {self.upcoming} rows "
            f"with a title but no status (upcoming series) and {self.subheadings} "
            "'Awaiting release' sub-heading rows; not errors",
        )


def _is_subheading(row: _Row) -> bool:
    values = {v for v in (row.get(c) for c in ("Title", "Status", "Premiere")) if v}
    return len(values) == 1 and bool(_NO_INFO.fullmatch(next(iter(values))))


def parse_ended(data: bytes, uri: str, snapshot: date | None = None) -> ReadResult[EndedSeries]:
    """Read a CSV scrape of the ended-series list (columns ``table``, ``Title``, ``Premiere``…)."""
    text, problems = decode_text(data, uri, skip_bad_lines=True)
    result: ReadResult[EndedSeries] = ReadResult(
        SOURCE_ENDED, uri, sha256_bytes(data), problems=problems, file_date=snapshot
    )
    tables = _ENDED_TABLES.get(snapshot, {}) if snapshot else {}
    what = "Wikipedia's List of ended Netflix original programming"
    for row in _csv_rows(text, uri, ("Title", "Premiere"), what, problems, SOURCE_ENDED):
        record = _ended_record(row, uri, problems, tables)
        if record is not None:
            result.records.append(record)
    return result


def parse_current(data: bytes, uri: str, snapshot: date | None = None) -> ReadResult[CurrentSeries]:
    """Read a CSV scrape of the current-series list (``Title``, ``Status``, ``Premiere``…).

    Rows without a title or without a status are the page's navigation boxes and upcoming-series
    tables: they are skipped and counted in one note instead of being reported one by one.
    """
    text, problems = decode_text(data, uri, skip_bad_lines=True)
    result: ReadResult[CurrentSeries] = ReadResult(
        SOURCE_CURRENT, uri, sha256_bytes(data), problems=problems, file_date=snapshot
    )
    skipped = _Skipped()
    what = "Wikipedia's List of Netflix original programming"
    for row in _csv_rows(
        text, uri, ("Title", "Status", "Premiere"), what, problems, SOURCE_CURRENT
    ):
        if _is_subheading(row):
            skipped.subheadings += 1
        elif row.get("Title") is None:
            skipped.navigation += 1
        elif row.get("Status") is None:
            skipped.upcoming += 1
        else:
            result.records.append(_current_record(row, uri, problems))
    if note := skipped.note(uri):
        problems.append(note)
    return result


def read_ended(path: Path | str) -> ReadResult[EndedSeries]:
    p = Path(path)
    return parse_ended(read_bytes(p, SOURCE_ENDED), str(p), snapshot_date(p))


def read_current(path: Path | str) -> ReadResult[CurrentSeries]:
    p = Path(path)
    return parse_current(read_bytes(p, SOURCE_CURRENT), str(p), snapshot_date(p))


# --------------------------------------------------------------------------------------------
# Live page


MAX_PAGE_BYTES = 30 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Revision:
    """The latest revision of a page: its id and when it was saved (UTC)."""

    page: str
    revid: int
    timestamp: datetime

    @property
    def snapshot(self) -> date:
        return self.timestamp.date()


def fetch_revision(
    client: Any, page: str = CURRENT_PAGE, validators: Validators | None = None
) -> tuple[Download, Revision | None]:
    """The page's latest revision id and timestamp (``action=query&prop=revisions``); the
    revision is None when the server answered "not modified" to ``validators``."""
    params = {
        "action": "query",
        "prop": "revisions",
        "titles": page,
        "rvprop": "ids|timestamp",
        "format": "json",
        "formatversion": "2",
        "redirects": "1",
    }
    got = _api_get(client, page, params, validators)
    if got.body is None:
        return got, None
    payload = _api_json(got.body, page)
    try:
        pages = payload["query"]["pages"]
        first = pages[0] if isinstance(pages, list) else next(iter(pages.values()))
        if first.get("missing"):
            raise SourceError(f"{API_URL} ({page}): Wikipedia has no such page; check the name")
        rev = first["revisions"][0]
        revid = int(rev["revid"])
        stamp = datetime.fromisoformat(str(rev["timestamp"]).replace("Z", "+00:00"))
    except (KeyError, IndexError, TypeError, ValueError, StopIteration, AttributeError) as e:
        raise SourceError(
            f"{API_URL} ({page}): the revision answer has no query.pages[].revisions[] with "
            f"revid and timestamp ({type(e).__name__}: {e}); the MediaWiki API format may have "
            "changed — check https://www.mediawiki.org/wiki/API:Revisions"
        ) from e
    return got, Revision(page, revid, stamp)


def fetch_list(client: Any, page: str = CURRENT_PAGE, *, revid: int | None = None) -> bytes:
    """The article's HTML (UTF-8) from the MediaWiki action API (``action=parse``): the current
    page, or revision ``revid`` of it.

    ``client`` is an :class:`httpx.Client`. Raises :class:`SourceError` when Wikipedia cannot be
    reached, answers with an error, or the page does not exist.
    """
    params = {"action": "parse", "prop": "text", "format": "json", "formatversion": "2"}
    if revid is not None:
        params["oldid"] = str(revid)
    else:
        params.update(page=page, redirects="1")
    body = _api_get(client, page, params, None).body
    assert body is not None  # no validators sent: never "not modified"
    payload = _api_json(body, page)
    text = payload.get("parse", {}).get("text")
    if isinstance(text, dict):  # formatversion=1 shape {"*": html}
        text = text.get("*")
    if not isinstance(text, str):
        raise SourceError(
            f"{API_URL} ({page}): no parse.text in the answer; the MediaWiki API format may "
            "have changed — check https://www.mediawiki.org/wiki/API:Parse"
        )
    return text.encode("utf-8")


def _api_get(
    client: Any, page: str, params: dict[str, str], validators: Validators | None
) -> Download:
    try:
        return conditional_get(
            client,
            API_URL,
            params=params,
            validators=validators,
            accept="application/json",
            max_bytes=MAX_PAGE_BYTES,
        )
    except SourceError as e:
        raise SourceError(f"{API_URL} ({page}): {str(e).removeprefix(API_URL + ': ')}") from e


def _api_json(body: bytes, page: str) -> dict[str, Any]:
    import json

    try:
        payload = json.loads(body)
    except ValueError as e:
        raise SourceError(
            f"{API_URL} ({page}): the answer is not JSON (cut short or an error page); try again"
        ) from e
    if not isinstance(payload, dict):
        raise SourceError(f"{API_URL} ({page}): the answer is not a JSON object")
    if "error" in payload:
        error = payload["error"]
        info = error.get("info", error) if isinstance(error, dict) else error
        raise SourceError(f"{API_URL} ({page}): Wikipedia says {info!r}; check the page name")
    return payload


def _cell_text(cell: Any) -> str:
    """Visible text of a table cell: footnotes, hidden sort keys and line breaks handled."""
    for el in cell.xpath(
        ".//sup[contains(@class,'reference')] | .//*[contains(@style,'display:none')]"
        " | .//*[contains(@class,'sortkey')] | .//style"
    ):
        parent = el.getparent()
        if parent is None:
            continue
        if el.tail:  # keep the text that follows the removed element
            prev = el.getprevious()
            if prev is not None:
                prev.tail = (prev.tail or "") + el.tail
            else:
                parent.text = (parent.text or "") + el.tail
        parent.remove(el)
    for br in cell.xpath(".//br"):
        br.tail = " " + (br.tail or "")
    return _SPACE.sub(" ", "".join(cell.itertext())).strip()


def _table_grid(table: Any) -> list[list[str]]:
    """The table as rows of cell texts, with rowspan and colspan cells repeated where they span."""
    grid: list[list[str]] = []
    carry: dict[int, tuple[int, str]] = {}  # column → (rows still to fill, text)
    for tr in table.xpath("./tr | ./tbody/tr | ./thead/tr"):
        row: list[str] = []
        cells = iter(tr.xpath("./th | ./td"))
        col = 0
        while True:
            if col in carry:
                left, text = carry[col]
                row.append(text)
                carry[col] = (left - 1, text)
                if left - 1 <= 0:
                    del carry[col]
                col += 1
                continue
            cell = next(cells, None)
            if cell is None:
                break
            text = _cell_text(cell)
            span = _int_attr(cell, "colspan")
            down = _int_attr(cell, "rowspan")
            for _ in range(span):
                if down > 1:
                    carry[col] = (down - 1, text)
                row.append(text)
                col += 1
        while col in carry:  # rowspans at the end of a short row
            left, text = carry[col]
            row.append(text)
            carry[col] = (left - 1, text)
            if left - 1 <= 0:
                del carry[col]
            col += 1
        grid.append(row)
    return grid


def _int_attr(cell: Any, name: str) -> int:
    try:
        return max(1, min(int(str(cell.get(name, "1")).strip() or 1), 1000))
    except ValueError:
        return 1


def _heading_before(table: Any) -> str | None:
    headings = table.xpath(
        "preceding::*[self::h2 or self::h3 or self::h4 or self::h5]"
        "[not(ancestor::table)][position() <= 3]"
    )
    # nearest first; the nearest heading that names a kind wins
    for h in reversed(headings):
        text = _SPACE.sub(" ", "".join(h.itertext())).replace("[edit]", "").strip()
        if kind_from_heading(text):
            return text
    return None


def parse_list_html(
    html: bytes, uri: str, snapshot: date
) -> ReadResult[EndedSeries | CurrentSeries]:
    """Turn the live list's ``wikitable`` tables into records.

    A table with a ``Status`` column gives :class:`CurrentSeries`; one with a ``Title`` and a
    ``Premiere`` but no status gives :class:`EndedSeries` (``table`` = its index on the page).
    The kind comes from the genre, else from the nearest section heading ("Docuseries", "Kids &
    family"…). Line numbers are 1-based row numbers within each table (header included).
    """
    from lxml import html as lxml_html

    text, problems = decode_text(html, uri)
    result: ReadResult[EndedSeries | CurrentSeries] = ReadResult(
        SOURCE_LIVE, uri, sha256_bytes(html), problems=problems, file_date=snapshot
    )
    if not text.strip():
        raise SourceError(f"{uri}: empty page; fetch it again")
    root = lxml_html.fromstring(text)
    skipped = _Skipped()
    for index, table in enumerate(root.xpath("//table[contains(@class,'wikitable')]")):
        grid = _table_grid(table)
        if not grid:
            continue
        header = [h.strip() for h in grid[0]]
        if "Title" not in header or "Premiere" not in header:
            continue
        heading = _heading_before(table)
        heading_kind = kind_from_heading(heading)
        for n, values in enumerate(grid[1:], start=2):
            cells = dict(zip(header, values, strict=False))
            cells["table"] = str(index)
            row = _Row(n, cells)
            if "Status" in header:
                if _is_subheading(row):
                    skipped.subheadings += 1
                elif row.get("Title") is None or row.get("Status") is None:
                    skipped.upcoming += 1
                else:
                    result.records.append(_current_record(row, uri, problems, heading_kind))
            else:
                record = _ended_record(row, uri, problems, {}, heading_kind)
                if record is not None:
                    result.records.append(record)
    if note := skipped.note(uri):
        problems.append(note)
    return result
