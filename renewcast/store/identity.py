"""Identity: one series across every source.

"Partner Track" (Top 10), "Partner Track: Season 1" (engagement report), JustWatch ``ts310873`` and a
TVmaze id are one series. Records are matched by external id first, then by normalised title or alias,
with the premiere year as a tie-breaker. Where more than one series could be meant, the record is not
attached to any and the ambiguity is written to ``identity_issues`` — never silently merged.

Same-named series are told apart by what the records say about time: Netflix writes a year only to
tell two titles apart ("Suits (2011)" is the series its charts call "Suits" unless that one began in
another year); a chart week or report half-year is never a series that premiered after it; a
report's release day of a season picks the series the store knows came out that day.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Connection, func, select

from renewcast.store.db import as_day
from renewcast.store.schema import (
    chart_entries,
    documents,
    engagement_rows,
    facts,
    identity_issues,
    inserted_id,
    seasons,
    series,
    series_aliases,
    series_xrefs,
)

CARDINALS = {
    w: n
    for n, w in enumerate(
        [
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
        ],
        start=1,
    )
}
ORDINALS = {
    w: n
    for n, w in enumerate(
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
            "thirteenth",
            "fourteenth",
            "fifteenth",
        ],
        start=1,
    )
}
_NUMBER_WORDS = CARDINALS | ORDINALS
_ROMAN = {
    "i": 1,
    "ii": 2,
    "iii": 3,
    "iv": 4,
    "v": 5,
    "vi": 6,
    "vii": 7,
    "viii": 8,
    "ix": 9,
    "x": 10,
}


def number_from_word(word: str) -> int | None:
    w = word.strip().lower().rstrip(".")
    if w.isdigit():
        return int(w)
    m = re.fullmatch(r"(\d+)(st|nd|rd|th)", w)
    if m:
        return int(m.group(1))
    return _NUMBER_WORDS.get(w) or _ROMAN.get(w)


_APOSTROPHES = re.compile(r"['’`]")
_NOT_WORD = re.compile(r"[^\w]+")


def normalize_title(title: str) -> str:
    """Case-, accent- and punctuation-insensitive key: "Love, Death & Robots" → "love death and robots"."""
    s = title
    if not s.isascii():  # ASCII has no decompositions and no combining marks: nothing to strip
        s = unicodedata.normalize("NFKD", s)
        s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.casefold().replace("&", " and ")
    s = _APOSTROPHES.sub("", s)  # possessives and contractions stay one word
    s = _NOT_WORD.sub(" ", s)
    return " ".join(s.split())


@dataclass(frozen=True, slots=True)
class SeasonTitle:
    """What a Netflix season title says: "Wednesday: Season 1", "Stay Close: Limited Series"."""

    series_title: str
    season: int | None  # None: not a season title (a film, or a special)
    limited: bool = False
    part: int | None = None
    native_title: str | None = None
    # "Suits (2011): Season 1": the year Netflix writes to tell same-named series apart
    year: int | None = None


_SEASON_RE = re.compile(
    r"^(?P<series>.+?)(?:\s*[:\-–—]\s*|(?P<nosep>\s+)(?=season\s+\d+(?:\s+part\s+\w+)?\s*$))"
    # "…: Season 2", or with no separator when nothing follows ("The Long Way Season 2")
    r"(?:(?P<kind>season|series|book|volume|vol\.?|chapter|collection|"
    r"temporada|saison|staffel)(?:\s+(?:(?P<num>\d+)(?P<half>[ab])?|(?P<numw>[a-z]+))"
    r"|(?P<glued>\d+))"
    r"|(?P<ord>\d+)(?:st|nd|rd|th)\s+season"  # "2nd Season"
    r"|(?P<limited>limited series|miniseries|mini-series))"
    # "Season 2, Season 3 (…)": more than one season in one title
    r"(?P<more>(?:\s*(?:,|&|and)\s*(?:season\s+)?\d+)+)?"
    r"(?:\s*[:,\-–—]?\s*(?:part|vol\.?|volume)\s+(?P<part>\d+|[a-z]+))?"
    # "Season 2 (Part 1)", "Season 1 (Batch A)"
    r"(?:\s*\(\s*(?:part\s+(?P<ppart>\d+|[a-z]+)|[^()]*)\s*\))?"
    # the season's own name: "Season 2: Down Under", "Season 3 Part 2 - Seabound", in quotes
    # ("Season 1 \"At Sea\"") or straight after the number ("Season 4 Crystal Caves")
    r"(?:\s*[:\-–—]\s*(?!part\b)(?P<name>[^:\-–—\s].*)"
    r"|\s*[\"“](?P<qname>[^\"”]+)[\"”]"
    r"|\s+(?!part\b)(?P<bname>(?-i:[A-Z])[^:]*))?\s*$",
    re.IGNORECASE,
)
# the half of a season Netflix releases as "Season 3B" or "Part B"
_HALVES = {"a": 1, "b": 2}
# Unicode format characters (left-to-right marks, zero-width spaces) some titles carry at the end
_FORMAT_CHARS = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_NAMED_PART = re.compile(r"\bpart\s+(\d+|[a-z]+)\s*$", re.IGNORECASE)


# "Money Heist: Part 5", "The Upshaws: Part 1": a part with no season named is still the series
_PART_RE = re.compile(
    r"^(?P<series>.+?)\s*[:\-–—]\s*part(?:\s*(?P<part>\d+)|\s+(?P<wpart>[a-z]+))"
    r"(?:\s*(?:[-–&]|and)\s*(?:part\s+)?\d+)?\s*$",  # "Part 13 - Part 16", "Part 1 & 2"
    re.IGNORECASE,
)


_YEAR_SUFFIX = re.compile(r"^(?P<title>.*\S)\s*\((?P<year>(?:19|20)\d\d)\)$")


def split_title_year(title: str) -> tuple[str, int | None]:
    """ "Suits (2011)" → ("Suits", 2011): the year Netflix adds to tell same-named titles apart."""
    m = _YEAR_SUFFIX.match(title.strip())
    if m is None:
        return title.strip(), None
    return m.group("title"), int(m.group("year"))


def show_key(title: str) -> str:
    """The store-independent key of a series' title (forecasts are stored under it): normalised,
    without the year Netflix adds to tell same-named titles apart ("Suits (2011)" → "suits")."""
    return normalize_title(split_title_year(title)[0])


def parse_season_title(title: str | None, show_title: str | None = None) -> SeasonTitle | None:
    """Split a season title into series, season number, part and the limited-series label.

    Returns None for an empty title. A title with no season marker is the series itself (season None).
    A year in brackets after the series' name ("Suits (2011): Season 1") is the series' first year,
    not part of its name.
    """
    st = _parse_season_title(title, show_title)
    if st is None:
        return None
    bare, year = split_title_year(st.series_title)
    if year is None:
        return st
    return SeasonTitle(bare, st.season, st.limited, st.part, st.native_title, year)


def _parse_season_title(title: str | None, show_title: str | None) -> SeasonTitle | None:
    if title is None or not title.strip() or title.strip().upper() == "N/A":
        return None
    raw = _FORMAT_CHARS.sub("", title).strip()
    native = None
    if " // " in raw:
        raw, native = (p.strip() for p in raw.split(" // ", 1))
    m = _SEASON_RE.match(raw)
    if m and m.group("nosep") and not _name_before_season(m.group("series")):
        m = None  # "Open Season 2" (a film), "Squid Game: Making Season 2", "… from Season 50"
    if not m:
        # "Stranger Things 4": the show's title followed by a bare season number
        if show_title and raw.casefold().startswith(show_title.casefold() + " "):
            number = number_from_word(raw[len(show_title) :])
            if number is not None and 1 < number < 100:
                return SeasonTitle(show_title, number, native_title=native)
        p = _PART_RE.match(raw)
        part = _part_number(p.group("part") or p.group("wpart")) if p else None
        if p and part is not None:  # which season a part belongs to is not said
            series = show_title or p.group("series").strip()
            return SeasonTitle(series, None, part=part, native_title=native)
        return SeasonTitle(series_title=show_title or raw, season=None, native_title=native)
    series_title = show_title or m.group("series").strip()
    named_part = _NAMED_PART.search(m.group("name") or "")  # "…: The Search for X: Part 3"
    said = m.group("part") or m.group("ppart") or (named_part.group(1) if named_part else None)
    part = _part_number(said) if said else None
    if m.group("half"):  # "Season 3B": the season's second half
        part = _HALVES[m.group("half").lower()]
    if m.group("limited"):
        return SeasonTitle(series_title, 1, limited=True, part=part, native_title=native)
    number = number_from_word(
        m.group("num") or m.group("numw") or m.group("glued") or m.group("ord")
    )
    if number is None:
        return SeasonTitle(series_title=show_title or raw, season=None, native_title=native)
    if m.group("more"):  # "Season 2, Season 3": the series, no one season
        return SeasonTitle(series_title, None, native_title=native)
    return SeasonTitle(series_title, number, part=part, native_title=native)


def _name_before_season(series: str) -> bool:
    """Whether the words before a "Season N" written with no separator are a series' whole name:
    two or more words, no colon (after one, "Making Season 2" names a special), the last one
    capitalised."""
    words = series.split()
    return len(words) >= 2 and ":" not in series and words[-1][:1].isupper()


def _part_number(word: str) -> int | None:
    """A part's number as titles write it: "2", "Two", "II", "B" (the second half), and roman
    numerals typed with the letter l ("Part ll")."""
    number = number_from_word(word)
    if number is not None:
        return number
    w = word.strip().lower()
    if w in _HALVES:
        return _HALVES[w]
    if w and set(w) <= {"l", "i"}:
        return _ROMAN.get(w.replace("l", "i"))
    return None


# a chart week or report period ends on its last day; a premiere date may be a day or so off
AVAILABLE_SLACK = timedelta(days=7)
# a series counted in a report long before its first season's release is another series
RELEASE_SLACK = timedelta(days=60)
SAME_RELEASE_DAYS = 31
# sources disagree on a release day by weeks (a first airing elsewhere); not by half a year
OTHER_RELEASE_DAYS = 183
# how the Top 10 and the engagement reports name series: one naming, a year only when needed
NETFLIX_NAMES = "name@netflix"
# sources whose premiere dates are the day Netflix released a season, not the day it first aired
NETFLIX_RELEASES = "netflix-engagement"


@dataclass(slots=True)
class Resolution:
    series_id: int | None
    created: bool = False
    ambiguous: bool = False


class Resolver:
    """Finds or creates series inside one import transaction; caches what it has seen."""

    def __init__(self, conn: Connection, source: str) -> None:
        self.conn = conn
        self.source = source
        self.name_scheme = "name@" + source.split("/")[0]
        self._by_norm: dict[str, set[int]] = {}
        self._by_xref: dict[tuple[str, str], int] = {}
        # each series' shown title, and the series by the key of their own titles (not aliases)
        self._title_of: dict[int, str] = {}
        self._titled: dict[str, set[int]] = {}
        self._first_year: dict[int, int] = {}
        # the year Netflix first released it: the series began then or before
        self._latest_year: dict[int, int] = {}
        self._first_premiere: dict[int, date] = {}
        # every release day a source gave each season (Netflix's lists give Netflix's own)
        self._season_premiere: dict[tuple[int, int], set[date]] = {}
        # the earliest day a chart or report shows the series was watched on Netflix
        self._available: dict[int, date] = {}
        # Netflix's lists add a year only to tell same-named titles apart ("Suits (2011)")
        self.year_when_needed = self.name_scheme.startswith(NETFLIX_NAMES)
        self._named_with_year: dict[str, set[int]] = {}
        self._named_plain: dict[str, set[int]] = {}
        # one document's names that are two series (:meth:`apart`): the lesser name → the other,
        # and the series the other was given
        self._apart: dict[tuple[str, int | None], tuple[str, int | None]] = {}
        self._given: dict[tuple[str, int | None], set[int]] = {}
        self._seasons: set[tuple[int, int]] = set()
        self.created = 0
        self.issues = 0
        # written in batches by flush(): one INSERT per table instead of one per row
        self._pending_aliases: list[dict[str, object]] = []
        self._pending_xrefs: list[dict[str, object]] = []
        self._pending_seasons: list[dict[str, object]] = []
        # a series met earlier than it was first known (a fixed file, a newer source): lowered
        self._first_known: dict[int, datetime] = {}
        self._earlier: dict[int, datetime] = {}
        self._load()

    def _load(self) -> None:
        for sid, title, norm, first in self.conn.execute(
            select(series.c.id, series.c.title, series.c.norm_title, series.c.first_known_at)
        ):
            self._by_norm.setdefault(norm, set()).add(sid)
            self._title_of[sid] = title
            self._titled.setdefault(norm, set()).add(sid)
            self._first_known[sid] = first
            # a series shown with a year began that year (the year Netflix adds, or a source's)
            self.note_year(sid, split_title_year(title)[1])
        for sid, norm in self.conn.execute(
            select(series_aliases.c.series_id, series_aliases.c.norm)
        ):
            self._by_norm.setdefault(norm, set()).add(sid)
        for sid, scheme, value in self.conn.execute(
            select(series_xrefs.c.series_id, series_xrefs.c.scheme, series_xrefs.c.value)
        ):
            self._note_xref(sid, scheme, value)
        for sid, num in self.conn.execute(select(seasons.c.series_id, seasons.c.number)):
            self._seasons.add((sid, num))
        rows = self.conn.execute(
            select(facts.c.series_id, facts.c.season_number, facts.c.value, documents.c.source)
            .join(documents, documents.c.id == facts.c.document_id)
            .where(facts.c.attribute == "premiere")
        )
        for sid, number, value, source in rows:
            text = str(json.loads(value))
            on_netflix = source.startswith(NETFLIX_RELEASES)
            if number in (0, 1) and not on_netflix:
                self.note_year(sid, int(text[:4]))
            if len(text) == 10:  # a whole date (some sources give only the year or month)
                self.note_premiere(sid, number, date.fromisoformat(text), on_netflix=on_netflix)
        # the earliest chart week or report half-year that shows the series was watched
        for table, end in (
            (engagement_rows, engagement_rows.c.period_end),
            (chart_entries, chart_entries.c.week),
        ):
            sid_col = table.c.series_id
            first_seen = select(sid_col, func.min(end)).where(sid_col.is_not(None))
            for sid, day in self.conn.execute(first_seen.group_by(sid_col)):
                self._note_available(sid, as_day(day))

    def note_year(self, series_id: int, year: int | None) -> None:
        if year is not None:
            self._first_year[series_id] = min(year, self._first_year.get(series_id, year))

    def note_premiere(
        self, series_id: int, season: int, day: date, *, on_netflix: bool = False
    ) -> None:
        """A season's premiere, as a source gives it (season 0 or 1: the series' own).
        ``on_netflix``: the day Netflix released it, which for a show made elsewhere can be
        years after it began — a latest first year, not the first year."""
        key = (series_id, season)
        self._season_premiere.setdefault(key, set()).add(day)
        if season in (0, 1):
            first = self._first_premiere.get(series_id, day)
            self._first_premiere[series_id] = min(day, first)
            if not on_netflix:
                self.note_year(series_id, day.year)
            else:
                latest = self._latest_year.get(series_id, day.year)
                self._latest_year[series_id] = min(day.year, latest)

    def _year_fits(self, sid: int, year: int) -> bool:
        if sid in self._first_year:
            return abs(self._first_year[sid] - year) <= 1
        return year <= self._latest_year.get(sid, year) + 1

    def _note_available(self, series_id: int, day: date | None) -> None:
        if day is not None:
            self._available[series_id] = min(day, self._available.get(series_id, day))

    def _fits(
        self, sid: int, available_by: date | None, season: int | None, released: date | None
    ) -> bool:
        """Whether series ``sid`` can be a record watchable by ``available_by`` whose ``season``
        was released on ``released``: a series cannot be watched before it first premiered, nor
        counted in a report before its first season came out, nor is it a season the store
        knows came out on another day."""
        first = self._first_premiere.get(sid)
        if (
            available_by is not None
            and first is not None
            and first > available_by + AVAILABLE_SLACK
        ):
            return False
        if self._released_as(sid, season, released, OTHER_RELEASE_DAYS) is False:
            return False  # that season of this series came out months or years apart
        seen = self._available.get(sid)
        if season == 1 and released is not None and seen is not None:
            return seen >= released - RELEASE_SLACK
        return True

    def _began_after(self, sid: int, season: int | None, released: date | None) -> bool:
        """Whether series ``sid`` began after ``season`` (a later one) was released: then that
        season is another same-named series' where one fits. Not ruled out alone, since Netflix
        dates a licensed show's seasons by when it added each ("Season 2" can predate "Season
        1")."""
        first = self._first_premiere.get(sid)
        return (
            season is not None
            and season >= 2
            and released is not None
            and first is not None
            and released < first - AVAILABLE_SLACK
        )

    def _released_as(
        self, sid: int, season: int | None, released: date | None, days: int = SAME_RELEASE_DAYS
    ) -> bool | None:
        """Whether the store knows ``sid``'s ``season`` came out within ``days`` of ``released``
        (None: the store knows no day for that season)."""
        if season is None or released is None:
            return None
        known = self._season_premiere.get((sid, season))
        if not known:
            return None
        return any(abs((d - released).days) <= days for d in known)

    def resolve(
        self,
        title: str,
        *,
        known_at: datetime,
        xrefs: dict[str, str] | None = None,
        year: int | None = None,
        create: bool = True,
        record: str | None = None,
        available_by: date | None = None,
        season: int | None = None,
        released: date | None = None,
        also: str | None = None,
    ) -> Resolution:
        """The series ``title`` names (or, when no series has that name, ``also``: another name
        the record gives it, such as its title in its own language). ``available_by``: the
        record shows the series could be watched by that day (a chart week, a report's
        half-year); ``season`` and ``released``: the
        record's season and the day it was released. Both rule out same-named series that came
        later ("One Piece" charting in 2021 is not the 2023 series) and prefer the one whose season
        the store knows was released that day. A name :meth:`apart` from another of the same
        document is never given the series that one was given."""
        name = (normalize_title(title), year)
        taken = self._given.get(self._apart[name], set()) if name in self._apart else set()
        res = self._resolve(
            title,
            known_at=known_at,
            xrefs=xrefs,
            year=year,
            create=create,
            record=record,
            available_by=available_by,
            season=season,
            released=released,
            taken=taken,
            also=also,
        )
        if res.series_id is not None and name in self._given:
            self._given[name].add(res.series_id)
        return res

    def apart(self, names: Sequence[tuple[str, int | None, int | None, float]]) -> list[int]:
        """One Netflix list's ``(title, year, season, size)`` names, and the order to resolve them
        in. Netflix adds a year to tell a title from a same-named one, but not always the same way:
        a list that numbers "Name" and "Name (2015)" seasons apart (4 and 1–3) names one series,
        while one that gives both a season 1 names two. Of two such, the name watched more (its
        largest ``size``) is resolved first, as the series the store already knows by the name
        (the one the charts name), and the other is kept from it."""
        norms = [normalize_title(t) for t, *_ in names]
        by: dict[str, dict[int | None, tuple[set[int | None], float]]] = {}
        for norm, (_, y, n, size) in zip(norms, names, strict=True):
            seasons, most = by.setdefault(norm, {}).get(y, (set(), 0.0))
            by[norm][y] = (seasons | {n}, max(most, size))
        late: set[tuple[str, int | None]] = set()
        for norm, forms in by.items():
            if None not in forms or len(forms) < 2:
                continue
            plain, plain_size = forms[None]
            for y, (seasons, size) in forms.items():
                if y is None or not (seasons & plain):
                    continue
                major, minor = (
                    ((norm, None), (norm, y)) if plain_size >= size else ((norm, y), (norm, None))
                )
                self._apart[minor] = major
                self._given.setdefault(major, set())
                late.add(minor)
        last = [
            i
            for i, (norm, name) in enumerate(zip(norms, names, strict=True))
            if (norm, name[1]) in late
        ]
        skip = set(last)
        return [i for i in range(len(names)) if i not in skip] + last

    def _resolve(
        self,
        title: str,
        *,
        known_at: datetime,
        xrefs: dict[str, str] | None,
        year: int | None,
        create: bool,
        record: str | None,
        available_by: date | None,
        season: int | None,
        released: date | None,
        taken: set[int],
        also: str | None = None,
    ) -> Resolution:
        xrefs = {k: v for k, v in (xrefs or {}).items() if v}
        norm = normalize_title(title)
        if not norm:
            return Resolution(None)
        # how this source named the series last time decides first: re-imports resolve the same way
        xrefs[self.name_scheme] = norm if year is None else f"{norm}|{year}"
        hits = {self._by_xref[(k, v)] for k, v in xrefs.items() if (k, v) in self._by_xref}
        hits -= taken
        if len(hits) > 1:
            self._issue(record or title, hits, "external ids point to different series")
            return Resolution(None, ambiguous=True)
        named = set(self._by_norm.get(norm, set())) - taken
        by_also = not named and not hits and also is not None
        if by_also:  # "The Boat", which the charts call "El Barco"
            named = set(self._by_norm.get(normalize_title(also or ""), set())) - taken
        same_release = {c for c in named | hits if self._released_as(c, season, released) is True}
        # found by this source's name alone (an external id is not second-guessed)
        if len(xrefs) == 1:
            if len(same_release) == 1 and not hits <= same_release:
                hits = same_release  # the store knows this season came out that day: that series
            if hits and not self._fits(next(iter(hits)), available_by, season, released):
                hits = set()  # the name used before belongs to another, same-named series
            elif hits and self._began_after(next(iter(hits)), season, released):
                others = {c for c in named - hits if self._fits(c, available_by, season, released)}
                if others:  # one report's "Name: Season 1" of this year and "Season 2" of last
                    hits = set()
        if hits:
            sid = hits.pop()
            self._attach(sid, title, xrefs)
            self._show_year(sid, year)
            self._seen(sid, known_at)
            self._note_available(sid, available_by)
            return Resolution(sid)
        candidates = {c for c in named if self._fits(c, available_by, season, released)}
        if year is None and self.year_when_needed:
            # Netflix adds the year only to tell a title from a same-named one: where another
            # series of the name fits, a name without the year is not the one it names with it
            dated = self._named_with_year.get(norm, set()) - self._named_plain.get(norm, set())
            if candidates - dated:
                candidates -= dated
        if len(same_release & candidates) == 1:
            candidates = same_release & candidates
        begun = {c for c in candidates if not self._began_after(c, season, released)}
        if begun:
            candidates = begun
        if season is not None and len(candidates) > 1:
            # of same-named series, the one the store already knows has this season (a chart)
            known = {c for c in candidates if (c, season) in self._seasons}
            if len(known) == 1:
                candidates = known
        if year is not None and candidates:
            compatible = {c for c in candidates if self._year_fits(c, year)}
            # several compatible: prefer one whose year is known and matches
            exact = {c for c in compatible if self._first_year.get(c) == year}
            candidates = exact if len(exact) == 1 else compatible
        if len(candidates) == 1:
            sid = candidates.pop()
            self._attach(sid, title, xrefs)
            self.note_year(sid, year)
            self._show_year(sid, year)
            self._seen(sid, known_at)
            self._note_available(sid, available_by)
            return Resolution(sid)
        if len(candidates) > 1 and by_also:
            candidates, named = set(), set()  # the other name is no help: a series of its own
        if len(candidates) > 1:
            self._issue(
                record or title, candidates, f"{len(candidates)} series are titled {title!r}"
            )
            return Resolution(None, ambiguous=True)
        if not create:
            return Resolution(None)
        # a series Netflix names with its year, or a second one of its name, is shown with it
        shown = (
            f"{title} ({year})" if year is not None and (named or self.year_when_needed) else title
        )
        sid = self._create(shown, norm, known_at)
        self._attach(sid, title, xrefs)
        self.note_year(sid, year)
        self._note_available(sid, available_by)
        return Resolution(sid, created=True)

    def _seen(self, sid: int, known_at: datetime) -> None:
        first = self._first_known.get(sid)
        if first is not None and known_at < first:
            self._first_known[sid] = self._earlier[sid] = known_at

    def flush(self) -> None:
        """Write the aliases, external ids and seasons found so far (call before committing)."""
        for sid, at in self._earlier.items():
            self.conn.execute(series.update().where(series.c.id == sid).values(first_known_at=at))
        self._earlier.clear()
        for table, rows in (
            (series_aliases, self._pending_aliases),
            (series_xrefs, self._pending_xrefs),
            (seasons, self._pending_seasons),
        ):
            for i in range(0, len(rows), 5000):
                self.conn.execute(table.insert(), rows[i : i + 5000])
            rows.clear()

    def ensure_season(self, series_id: int, number: int) -> None:
        if (series_id, number) in self._seasons:
            return
        self._pending_seasons.append({"series_id": series_id, "number": number})
        self._seasons.add((series_id, number))

    def add_alias(self, series_id: int, alias: str) -> None:
        norm = normalize_title(alias)
        if not norm or series_id in self._by_norm.get(norm, set()):
            return
        self._pending_aliases.append(
            {"series_id": series_id, "alias": alias, "norm": norm, "source": self.source}
        )
        self._by_norm.setdefault(norm, set()).add(series_id)

    def _show_year(self, sid: int, year: int | None) -> None:
        """Show the year a source gives a series ("One Piece (1999)") where another series has
        its title, though a source without years named it first ("ONE PIECE")."""
        if year is None:
            return
        shown = self._title_of.get(sid)
        if shown is None or split_title_year(shown)[1] is not None:
            return
        if len(self._titled.get(normalize_title(shown), ())) < 2:
            return
        titled = f"{shown} ({year})"
        self.conn.execute(series.update().where(series.c.id == sid).values(title=titled))
        self._title_of[sid] = titled

    def _create(self, title: str, norm: str, known_at: datetime) -> int:
        sid = inserted_id(
            self.conn.execute(
                series.insert().values(title=title, norm_title=norm, first_known_at=known_at)
            )
        )
        self._by_norm.setdefault(norm, set()).add(sid)
        self._title_of[sid] = title
        self._titled.setdefault(norm, set()).add(sid)
        self._first_known[sid] = known_at
        self.created += 1
        return sid

    def _attach(self, sid: int, title: str, xrefs: dict[str, str]) -> None:
        self.add_alias(sid, title)
        for scheme, value in xrefs.items():
            if (scheme, value) in self._by_xref:
                continue
            self._pending_xrefs.append({"series_id": sid, "scheme": scheme, "value": value})
            self._note_xref(sid, scheme, value)

    def _note_xref(self, sid: int, scheme: str, value: str) -> None:
        self._by_xref[(scheme, value)] = sid
        if scheme.startswith(NETFLIX_NAMES):
            norm, dated, _year = value.partition("|")
            names = self._named_with_year if dated else self._named_plain
            names.setdefault(norm, set()).add(sid)

    def _issue(self, record: str, candidates: set[int], message: str) -> None:
        self.issues += 1
        exists = self.conn.execute(
            select(identity_issues.c.id).where(
                identity_issues.c.source == self.source, identity_issues.c.record == record
            )
        ).first()
        if exists:
            return
        titles = {
            sid: title
            for sid, title in self.conn.execute(
                select(series.c.id, series.c.title).where(series.c.id.in_(candidates))
            )
        }
        self.conn.execute(
            identity_issues.insert().values(
                source=self.source,
                record=record,
                candidates=json.dumps(
                    [{"series_id": c, "title": titles.get(c)} for c in sorted(candidates)]
                ),
                message=message,
            )
        )


def prune_unreferenced_series(conn: Connection) -> list[str]:
    """Delete the series that no stored record refers to any more, with their own names, ids
    and seasons; returns their titles. A full sync re-reads every source, and a record an
    earlier matching made a series of its own ("The Upshaws: Part 1", before parts were read as
    their series) then goes to the series it belongs to, leaving the old one empty: it would
    still be found and answered ("Will there be a season 2 of The Upshaws: Part 1?"). A series
    anything refers to — a fact, a chart or report row, a credit, a news claim, quote or cast
    mention, a watch or its snapshots — is kept; nothing else is stored about an empty one."""
    from sqlalchemy import delete, union

    from renewcast.store.schema import (
        cast_mentions,
        claims,
        credits,
        quotes,
        status_snapshots,
        title_relabels,
        watches,
    )

    used = union(
        *(
            select(t.c.series_id).where(t.c.series_id.is_not(None))
            for t in (
                facts,
                chart_entries,
                engagement_rows,
                title_relabels,
                credits,
                claims,
                quotes,
                cast_mentions,
                watches,
                status_snapshots,
            )
        )
    ).subquery()
    gone = conn.execute(
        select(series.c.id, series.c.title)
        .where(series.c.id.not_in(select(used.c.series_id)))
        .order_by(series.c.id)
    ).all()
    ids = [int(i) for i, _ in gone]
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for t in (series_aliases, series_xrefs, seasons):
            conn.execute(delete(t).where(t.c.series_id.in_(chunk)))
        conn.execute(delete(series).where(series.c.id.in_(chunk)))
    return [str(t) for _, t in gone]
