"""Identity: one series across every source.

"Partner Track" (Top 10), "Partner Track: Season 1" (engagement report), JustWatch ``ts310873`` and a
TVmaze id are one series. Records are matched by external id first, then by normalised title or alias,
with the premiere year as a tie-breaker. Where more than one series could be meant, the record is not
attached to any and the ambiguity is written to ``identity_issues`` — never silently merged.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select

from renewcast.store.schema import (
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


_SEASON_RE = re.compile(
    r"^(?P<series>.+?)\s*[:\-–—]\s*(?:(?P<kind>season|series|book|volume|vol\.?|chapter|collection|"
    r"temporada|saison|staffel)\s+(?P<num>\d+|[a-z]+)|(?P<limited>limited series|miniseries|"
    r"mini-series))(?:\s*[:,\-–—]?\s*(?:part|vol\.?|volume)\s+(?P<part>\d+|[a-z]+))?\s*$",
    re.IGNORECASE,
)


def parse_season_title(title: str | None, show_title: str | None = None) -> SeasonTitle | None:
    """Split a season title into series, season number, part and the limited-series label.

    Returns None for an empty title. A title with no season marker is the series itself (season None).
    """
    if title is None or not title.strip() or title.strip().upper() == "N/A":
        return None
    raw = title.strip()
    native = None
    if " // " in raw:
        raw, native = (p.strip() for p in raw.split(" // ", 1))
    m = _SEASON_RE.match(raw)
    if not m:
        # "Stranger Things 4": the show's title followed by a bare season number
        if show_title and raw.casefold().startswith(show_title.casefold() + " "):
            number = number_from_word(raw[len(show_title) :])
            if number is not None and 1 < number < 100:
                return SeasonTitle(show_title, number, native_title=native)
        return SeasonTitle(series_title=show_title or raw, season=None, native_title=native)
    series_title = show_title or m.group("series").strip()
    part = number_from_word(m.group("part")) if m.group("part") else None
    if m.group("limited"):
        return SeasonTitle(series_title, 1, limited=True, part=part, native_title=native)
    number = number_from_word(m.group("num"))
    if number is None:
        return SeasonTitle(series_title=show_title or raw, season=None, native_title=native)
    return SeasonTitle(series_title, number, part=part, native_title=native)


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
        self._first_year: dict[int, int] = {}
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
        for sid, norm, first in self.conn.execute(
            select(series.c.id, series.c.norm_title, series.c.first_known_at)
        ):
            self._by_norm.setdefault(norm, set()).add(sid)
            self._first_known[sid] = first
        for sid, norm in self.conn.execute(
            select(series_aliases.c.series_id, series_aliases.c.norm)
        ):
            self._by_norm.setdefault(norm, set()).add(sid)
        for sid, scheme, value in self.conn.execute(
            select(series_xrefs.c.series_id, series_xrefs.c.scheme, series_xrefs.c.value)
        ):
            self._by_xref[(scheme, value)] = sid
        for sid, num in self.conn.execute(select(seasons.c.series_id, seasons.c.number)):
            self._seasons.add((sid, num))
        from renewcast.store.schema import facts

        rows = self.conn.execute(
            select(facts.c.series_id, facts.c.value).where(
                facts.c.attribute == "premiere", facts.c.season_number.in_([0, 1])
            )
        )
        for sid, value in rows:
            year = int(json.loads(value)[:4])
            self._first_year[sid] = min(year, self._first_year.get(sid, year))

    def note_year(self, series_id: int, year: int | None) -> None:
        if year is not None:
            self._first_year[series_id] = min(year, self._first_year.get(series_id, year))

    def resolve(
        self,
        title: str,
        *,
        known_at: datetime,
        xrefs: dict[str, str] | None = None,
        year: int | None = None,
        create: bool = True,
        record: str | None = None,
    ) -> Resolution:
        xrefs = {k: v for k, v in (xrefs or {}).items() if v}
        norm = normalize_title(title)
        if not norm:
            return Resolution(None)
        # how this source named the series last time decides first: re-imports resolve the same way
        xrefs[self.name_scheme] = norm if year is None else f"{norm}|{year}"
        hits = {self._by_xref[(k, v)] for k, v in xrefs.items() if (k, v) in self._by_xref}
        if len(hits) > 1:
            self._issue(record or title, hits, "external ids point to different series")
            return Resolution(None, ambiguous=True)
        if hits:
            sid = hits.pop()
            self._attach(sid, title, xrefs)
            self._seen(sid, known_at)
            return Resolution(sid)
        candidates = set(self._by_norm.get(norm, set()))
        if year is not None and candidates:
            compatible = {
                c
                for c in candidates
                if c not in self._first_year or abs(self._first_year[c] - year) <= 1
            }
            # several compatible: prefer one whose year is known and matches
            exact = {c for c in compatible if c in self._first_year}
            candidates = exact if len(exact) == 1 else compatible
        if len(candidates) == 1:
            sid = candidates.pop()
            self._attach(sid, title, xrefs)
            self.note_year(sid, year)
            self._seen(sid, known_at)
            return Resolution(sid)
        if len(candidates) > 1:
            self._issue(
                record or title, candidates, f"{len(candidates)} series are titled {title!r}"
            )
            return Resolution(None, ambiguous=True)
        if not create:
            return Resolution(None)
        sid = self._create(title, norm, known_at)
        self._attach(sid, title, xrefs)
        self.note_year(sid, year)
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

    def _create(self, title: str, norm: str, known_at: datetime) -> int:
        sid = inserted_id(
            self.conn.execute(
                series.insert().values(title=title, norm_title=norm, first_known_at=known_at)
            )
        )
        self._by_norm.setdefault(norm, set()).add(sid)
        self._first_known[sid] = known_at
        self.created += 1
        return sid

    def _attach(self, sid: int, title: str, xrefs: dict[str, str]) -> None:
        self.add_alias(sid, title)
        for scheme, value in xrefs.items():
            if (scheme, value) in self._by_xref:
                continue
            self._pending_xrefs.append({"series_id": sid, "scheme": scheme, "value": value})
            self._by_xref[(scheme, value)] = sid

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
