"""Season arithmetic, in one place: which seasons a statement is about, and what a question can get.

A statement is placed on the season line once, when it is gathered, by :func:`place`:

* ``ordered`` — the highest season it confirms: seasons ``1..ordered`` are (or will be) made;
* ``stop`` — the first season it rules out: seasons ``stop, stop+1, …`` will not come;
* ``open`` — the one season it calls undecided.

"Renewed for season 4" is ``ordered=4``; "cancelled, no season 3" is ``stop=3``; "season 5 will be
the last" is ``ordered=5, stop=6``; a limited series is ``stop=2``. A statement that names no
season is about the season after the latest one released when it was made (a renewal said while
season 2 is out is a renewal for season 3). :func:`bearing` then answers, for the season asked
about, what the statement says of it — or why it says nothing.

:func:`question` sorts the question itself: season 0 is no season; a season already released is
answered from its release; a season more than one beyond the latest season released or ordered is
one no source can have decided for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

STOPS = ("cancelled", "ended", "limited")


@dataclass(slots=True)
class SeasonDates:
    """What the catalog says about each season's release, as known at the cutoff."""

    premieres: dict[int, date] = field(default_factory=dict)  # season → premiere (may be future)
    premiere_known: dict[int, datetime] = field(default_factory=dict)
    charted: dict[int, datetime] = field(default_factory=dict)  # season → first in Netflix's data
    top10: set[int] = field(default_factory=set)  # seasons of ``charted`` in a Top 10 list
    # season → the day Netflix's own rows show it out by: the Monday of its first Top 10 week, or
    # the release date an engagement report gives (``charted`` is when such a row became known)
    out_by: dict[int, date] = field(default_factory=dict)
    # first in Netflix's TV data under the series' name alone ("KAOS", season "N/A"): something
    # of it was out, so with no numbered season known its first season was
    unnumbered: datetime | None = None
    series_premiere: date | None = None
    counted: int = 0  # seasons released by Wikipedia's count
    counted_known: datetime | None = None
    # JustWatch's count of a series' seasons (it may list an announced one): read only for a
    # series nothing else dates, so that a show known from JustWatch alone is not asked about
    # its first season
    listed: int = 0
    listed_known: datetime | None = None

    def note_count(self, source: str, n: int, known_at: datetime) -> None:
        """A count of the series' seasons from ``source`` (Wikipedia's or JustWatch's)."""
        if source.startswith("wikipedia/"):
            if n > self.counted:
                self.counted, self.counted_known = n, known_at
        elif source.startswith("justwatch/") and n > self.listed:
            self.listed, self.listed_known = n, known_at

    def note_out(self, season: int, day: date) -> None:
        """Netflix's own data has ``season`` out by ``day`` (see ``out_by``)."""
        if season not in self.out_by or day < self.out_by[season]:
            self.out_by[season] = day

    def note_unnumbered(self, first: datetime | None) -> None:
        """A row of Netflix's TV data naming no season, first known at ``first``."""
        if first is not None and (self.unnumbered is None or first < self.unnumbered):
            self.unnumbered = first

    def released(self, day: date) -> list[int]:
        """The seasons out by ``day``: premiered, in Netflix's data, or counted by Wikipedia;
        failing all of those, listed by JustWatch."""
        out = {s for s, d in self.premieres.items() if d <= day}
        out |= {s for s, t in self.charted.items() if t.date() <= day}
        if self.counted and self.counted_known is not None and self.counted_known.date() <= day:
            out |= set(range(1, self.counted + 1))
        if not out and self.listed and self.listed_known and self.listed_known.date() <= day:
            out = set(range(1, self.listed + 1))
        return sorted(out)

    def latest_released(self, day: date) -> int:
        rel = self.released(day)
        if rel:
            return max(rel)
        if self.series_premiere and self.series_premiere <= day:
            return 1
        return 1 if self.unnumbered is not None and self.unnumbered.date() <= day else 0

    def first_out(self, season: int, day: date) -> date | None:
        """The first day ``season`` is known to have been out by ``day``: its premiere, or its
        first week in Netflix's data (which may be later than the premiere); None if not out."""
        premiere, seen = self.premieres.get(season), self.charted.get(season)
        if season == 1 and premiere is None and seen is None and not self.released(day):
            seen = self.unnumbered
        out = [d for d in (premiere, seen.date() if seen else None) if d is not None and d <= day]
        return min(out, default=None)


@dataclass(frozen=True, slots=True)
class Place:
    """Where a statement sits on the season line (see the module docstring)."""

    ordered: int | None = None
    stop: int | None = None
    open: int | None = None


def next_season(dates: SeasonDates, day: date) -> int:
    """The season a statement naming none is about: the one after the latest released by ``day``.

    With nothing known to be released, the series is taken to have aired its first season (a
    news story about its future is about a series that exists), so the next season is 2."""
    return max(dates.latest_released(day), 1) + 1


# an article reporting that a season is ordered or still undecided was written before it came out
BEFORE_RELEASE = ("renewed", "pending")


def written_by(statements: Iterable[tuple[SeasonDates, str, int | None]], day: date) -> date | None:
    """The last day an undated article can have been written, as known on ``day``: the day before
    the first of the seasons it reports as ordered or undecided ("X has been renewed for a fourth
    season") came out; None when none of them is out. Each statement: the series' season dates,
    the status and the season it names (the caller passes only the confident, unhedged ones)."""
    out: date | None = None
    for dates, status, season in statements:
        if status not in BEFORE_RELEASE or not season:
            continue
        first = dates.first_out(season, day)
        if first is not None and (out is None or first - timedelta(days=1) < out):
            out = first - timedelta(days=1)
    return out


_UPCOMING = re.compile(
    r"(?i)\b(?:upcoming|forthcoming|next|coming|new)\s+(?:\w+\s+)?(?:and\s+final\s+)?"
    r"(?:season|seasons|installments?|chapters?)\b|\bwill\s+(?:end|conclude|wrap(?:\s+up)?)\s+"
    r"with\b"
)


def ends_with_upcoming(text: str) -> bool:
    """An ending said of a season still to come ("ending with their upcoming seasons")."""
    return bool(_UPCOMING.search(text))


def place(
    status: str,
    season: int | None,
    final: bool,
    dates: SeasonDates,
    day: date,
    *,
    upcoming: bool = False,
    denied: bool = False,
) -> Place | None:
    """Place a statement of ``status`` about ``season`` (None: no season named) made on ``day``;
    ``upcoming``: an ending said of the season still to come, which is then the last one;
    ``denied``: the statement's sentence says ``season`` will not come ("there won't be a
    fourth season")."""
    nxt = next_season(dates, day)
    if status == "renewed":
        n = season if season is not None and season >= 1 else nxt
        return Place(ordered=n, stop=n + 1 if final else None)
    if status == "cancelled":
        return Place(stop=season if season is not None and season >= 2 else nxt)
    if status == "ended":
        if season is not None and season >= 2 and denied:  # "no season N": N will not come
            return Place(stop=season)
        if season is not None and season >= 1:  # "season N is/was the last": N is made, N+1 is not
            return Place(ordered=season, stop=season + 1)
        return Place(ordered=nxt, stop=nxt + 1) if upcoming else Place(stop=nxt)
    if status == "limited":
        return Place(stop=season if season is not None and season >= 2 else max(nxt, 2))
    if status == "pending":
        return Place(open=season if season is not None and season >= 1 else nxt)
    return None


# how far past the latest season out a statement's season can be: a renewal may order two
# seasons at once ("seasons 3 and 4" while season 1 streams); an end or a cancellation is about
# the season being made or the one after it
MAX_AHEAD = {"renewed": 3}
MAX_AHEAD_OTHER = 2


def misread_season(status: str, season: int | None, dates: SeasonDates, day: date) -> str | None:
    """Why a news statement's season cannot be the one it is about, or None: a season further
    past the latest season out on ``day`` than any order reaches (most often a sentence naming
    several series, another one's number taken; or the seasons a story was planned to run).
    Judged against every season known out, Netflix's charts included: for a licensed series they
    may list only older seasons, so a far-ahead statement about one is set aside with its reason
    shown rather than turned into a renewal of seasons nobody announced."""
    if season is None:
        return None
    latest = dates.latest_released(day)
    if latest < 1 or season <= latest + MAX_AHEAD.get(status, MAX_AHEAD_OTHER):
        return None
    out = "season 1 was" if latest == 1 else f"seasons 1–{latest} were"
    return (
        f"it names season {season}, but only {out} out on {day.isoformat()}: "
        "its season number was most likely misread"
    )


def place_claim(
    status: str,
    season: int | None,
    final: bool,
    text: str,
    title: str | None,
    dates: SeasonDates,
    day: date,
) -> tuple[Place | None, str | None]:
    """Place a news claim of ``status`` about ``season``, read from ``text`` (its sentence) for
    the series written ``title``, made on ``day``: (where it stands, None if it states no status;
    why it cannot count, or None). A renewal of a season its own sentence says will not come ("a
    movie in place of a fourth season") is a misreading; an ending that denies its season rules that
    season out rather than making it the last."""
    from renewcast.news.seasons import denied_seasons

    denied = season is not None and season in denied_seasons(text, title)
    where = place(
        status, season, final, dates, day, upcoming=ends_with_upcoming(text), denied=denied
    )
    if where is None:
        return None, None
    if denied and status == "renewed":
        return where, f"its own sentence says season {season} will not come"
    return where, misread_season(status, season, dates, day)


def bearing(status: str, where: Place, season: int) -> tuple[str | None, str]:
    """What a statement of ``status`` placed at ``where`` says about ``season``, or why nothing."""
    if where.stop is not None and season >= where.stop:
        return (status if status in STOPS else "ended"), ""
    if where.ordered is not None and season <= where.ordered:
        return "renewed", ""
    if where.open is not None and season == where.open:
        return "pending", ""
    about = where.ordered or where.open or where.stop
    if where.stop is not None and where.ordered is None:
        return None, f"rules out season {where.stop} onwards, not season {season}"
    return None, f"about season {about}, not season {season}"


def is_final(where: Place, season: int) -> bool:
    """``season`` is confirmed as the last one."""
    return where.ordered == season and where.stop == season + 1


@dataclass(frozen=True, slots=True)
class Question:
    """The season asked about, sorted: ``kind`` is ``no-season`` (0), ``released``, ``next`` or
    ``beyond`` (more than one past the latest season released or ordered)."""

    asked: int
    season: int  # the season actually answered (season 0 is answered as season 1)
    kind: str
    latest_released: int
    latest_ordered: int

    @property
    def reason(self) -> str:
        if self.kind == "beyond":
            base = max(self.latest_released, self.latest_ordered)
            what = (
                f"season {self.latest_ordered} is the latest any source orders"
                if self.latest_ordered > self.latest_released
                else f"season {self.latest_released} is the latest released"
                if self.latest_released
                else "no season is known to be released"
            )
            return (
                f"season {self.asked} is more than one season beyond season {base} ({what}), "
                f"so no source can have decided it yet"
            )
        if self.kind == "no-season":
            return "there is no season 0; the answer is about season 1"
        return ""


def question(asked: int, latest_released: int, latest_ordered: int) -> Question:
    """Sort the question "season ``asked``?" given what is released and ordered."""
    season = max(asked, 1)
    base = max(latest_released, latest_ordered, 1 if asked <= 1 else 0)
    if asked <= 0:
        kind = "no-season"
    elif season <= latest_released:
        kind = "released"
    elif season > base + 1:
        kind = "beyond"
    else:
        kind = "next"
    return Question(asked, season, kind, latest_released, latest_ordered)


_SEASON_IN_TEXT = re.compile(
    r"(?i)\bseasons?\s+(\d{1,3})(?:\s*(?:[–—-]|to|and|&)\s*(\d{1,3}))?\b|"
    r"\b(\d{1,3})(?:st|nd|rd|th)\s+season\b"
)
_WORD_ORDINALS = {
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
}
_WORD_SEASON = re.compile(
    r"(?i)\b(" + "|".join(_WORD_ORDINALS) + r")\s+(?:and\s+final\s+)?season\b"
)


def season_in_text(text: str) -> int | None:
    """The season a short status text names ("Season 2 due to premiere in 2025" → 2); of a range,
    the highest ("Renewed for seasons 2–3" → 3, as a multi-season order is read)."""
    m = _SEASON_IN_TEXT.search(text)
    if m:
        return max(int(g) for g in m.groups() if g)
    w = _WORD_SEASON.search(text)
    return _WORD_ORDINALS[w.group(1).lower()] if w else None
