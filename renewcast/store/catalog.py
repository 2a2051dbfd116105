"""Reading the catalog: find a series forgivingly, and its profile as known at a date.

Every value in a profile carries its source (document source and URI) and ``known_at``; with
``as_of`` nothing known after the end of that day (UTC) is returned.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, bindparam, case, distinct, func, select, true

from renewcast.store.db import as_of_cutoff, day_of, prepared, series_rows, with_cutoff
from renewcast.store.identity import normalize_title
from renewcast.store.schema import (
    chart_entries,
    credits,
    documents,
    engagement_rows,
    facts,
    people,
    series,
    series_aliases,
    series_xrefs,
)


class UnknownSeries(LookupError):
    """No series matches; ``suggestions`` holds the closest titles."""

    def __init__(self, query: str, suggestions: list[str], message: str | None = None) -> None:
        self.query = query
        self.suggestions = suggestions
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(message or f"no series called {query!r} in the catalog.{hint}")


@dataclass(frozen=True, slots=True)
class SeriesMatch:
    series_id: int
    title: str
    score: float  # 1.0 exact (title or alias), lower for prefix and fuzzy matches
    matched: str
    kind: str = "exact"  # exact | prefix | word (a later word starts with it) | fuzzy | id
    # other series the query names exactly too ("Your Honor": two shows), most watched first
    namesakes: tuple[SeriesMatch, ...] = ()


ARTICLES = ("the ", "a ", "an ")
PREFIX_SCORE = 0.8  # below resolve_one's 0.85: a bare prefix ("wedn") suggests, never decides
RECENT_DAYS = 365  # popularity: Top 10 weeks this recent rank first


def find_series(
    conn: Connection,
    query: str,
    *,
    limit: int = 5,
    as_of: date | None = None,
    fuzzy_cutoff: float = 0.75,
) -> list[SeriesMatch]:
    """Series matching ``query``, best first: exact title or alias, then titles it begins
    ("wedn" → Wednesday, "witcher" → The Witcher), then a later word it begins, then typos.

    Within each kind the more watched series comes first (:func:`popularity`, as known by
    ``as_of``); typos are ranked by closeness before that.
    """
    norm = normalize_title(query)
    if not norm:
        return []
    cutoff = as_of_cutoff(as_of)
    q = select(series.c.id, series.c.title, series.c.norm_title)
    if cutoff is not None:
        q = q.where(series.c.first_known_at <= cutoff)
    titles = {sid: (title, n) for sid, title, n in conn.execute(q)}
    names: dict[str, set[int]] = {}
    for sid, (_title, n) in titles.items():
        names.setdefault(n, set()).add(sid)
    for sid, n in conn.execute(select(series_aliases.c.series_id, series_aliases.c.norm)):
        if sid in titles:
            names.setdefault(n, set()).add(sid)

    found: dict[int, tuple[int, float, str, str]] = {}  # sid -> (tier, score, matched, kind)

    def offer(sid: int, tier: int, score: float, name: str, kind: str) -> None:
        old = found.get(sid)
        if old is None or (tier, -score) < (old[0], -old[1]):
            found[sid] = (tier, score, name, kind)

    for sid in names.get(norm, ()):
        offer(sid, 0 if titles[sid][1] == norm else 1, 1.0, query, "exact")
    # a shared name told apart by its year, as the catalog shows it: "One Piece (1999)"
    base, _, year = norm.rpartition(" ")
    if len(year) == 4 and year.isdigit():
        for sid in names.get(base, ()):
            if normalize_title(titles[sid][0]) == norm:
                offer(sid, 0, 1.0, query, "exact")
    for name, sids in names.items():
        if name == norm:
            continue
        bare = next((name[len(a) :] for a in ARTICLES if name.startswith(a)), name)
        if name.startswith(norm) or bare.startswith(norm):
            ratio = difflib.SequenceMatcher(None, norm, bare).ratio()
            for sid in sids:
                # nearly the whole title ("stranger thing") is as sure as a typo; a stub is not
                offer(sid, 2, round(ratio if ratio >= 0.9 else PREFIX_SCORE, 3), name, "prefix")
        elif f" {norm}" in f" {name}" and len(norm) >= 3:
            for sid in sids:
                offer(sid, 3, 0.7, name, "word")
    for name in difflib.get_close_matches(norm, list(names), n=limit * 3, cutoff=fuzzy_cutoff):
        ratio = round(difflib.SequenceMatcher(None, norm, name).ratio(), 3)
        for sid in names[name]:
            offer(sid, 4, ratio, name, "fuzzy")
    if not found:
        return []
    pop = popularity(conn, list(found), cutoff)

    def rank(sid: int) -> tuple[Any, ...]:
        tier, score, _name, _kind = found[sid]
        closeness = -round(score, 1) if tier == 4 else 0.0
        recent, weeks, rows = pop.get(sid, (0, 0, 0))
        return (tier, closeness, -recent, -weeks, -rows, titles[sid][0].casefold(), sid)

    ranked = sorted(found, key=rank)[:limit]
    return [SeriesMatch(s, titles[s][0], found[s][1], found[s][2], found[s][3]) for s in ranked]


def popularity(
    conn: Connection, ids: list[int], cutoff: datetime | None = None
) -> dict[int, tuple[int, int, int]]:
    """How much each series was watched, as known at ``cutoff``, as a sort key (larger first):
    weeks in Netflix's global Top 10 in the year before ``cutoff`` (today without one), weeks in
    it ever, then every Top 10 row (country lists count once per country).

    Recent weeks come first so that a title shared by an original and its remake means the one
    people are watching ("One Piece" the month the live-action series is out, not the anime
    that a few countries' lists carried two years before)."""
    end = cutoff or datetime.now(UTC)
    since = end - timedelta(days=RECENT_DAYS)
    is_global = chart_entries.c.list == "global"
    recent = and_(is_global, chart_entries.c.known_at > since)
    out: dict[int, tuple[int, int, int]] = {}
    for i in range(0, len(ids), 500):
        q = (
            select(
                chart_entries.c.series_id,
                func.count(distinct(case((recent, chart_entries.c.week)))),
                func.count(distinct(case((is_global, chart_entries.c.week)))),
                func.count(),
            )
            .where(chart_entries.c.series_id.in_(ids[i : i + 500]))
            .group_by(chart_entries.c.series_id)
        )
        if cutoff is not None:
            q = q.where(chart_entries.c.known_at <= cutoff)
        out.update({int(sid): (int(a), int(b), int(n)) for sid, a, b, n in conn.execute(q)})
    return out


def data_span(conn: Connection) -> tuple[date, date] | None:
    """The first and last day anything in the store became known (None for an empty store)."""
    lo, hi = conn.execute(
        select(func.min(documents.c.known_at), func.max(documents.c.known_at))
    ).one()
    if lo is None or hi is None:
        return None
    return day_of(lo), day_of(hi)


def as_of_warning(span: tuple[date, date] | None, as_of: date | None) -> str | None:
    """What to tell a reader whose ``as_of`` lies outside what the data covers (else None)."""
    if span is None or as_of is None:
        return None
    lo, hi = span
    covers = f"the data covers {lo.isoformat()} to {hi.isoformat()}"
    if as_of < lo:
        return f"{as_of.isoformat()} is before the data starts: {covers}, so nothing was known yet"
    if as_of > hi:
        return (
            f"{as_of.isoformat()} is after the data ends: {covers}; "
            f"this shows what was known by {hi.isoformat()}"
        )
    return None


def _bare(norm: str) -> str:
    return next((norm[len(a) :] for a in ARTICLES if norm.startswith(a)), norm)


def typo(query: str, title: str) -> bool:
    """Whether the normalised ``query`` reads as a slip in typing ``title``, not as another
    name: the same but for a leading article, or one or two letters changed inside it (one up
    to ten letters). A name that only adds to or cuts the end of another ("Chuck" and "Chucky",
    "Runaways" and "Runaway", "The Neighborhood" and "The Neighbor") is another name: such
    series exist, so a person is asked which one they mean."""
    a, b = _bare(query), _bare(title)
    if a == b:
        return True
    if a.startswith(b) or b.startswith(a):
        return False
    ops = difflib.SequenceMatcher(None, a, b).get_opcodes()
    edits = sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in ops if tag != "equal")
    return edits <= (1 if len(b) <= 10 else 2)


def series_by_id(conn: Connection, series_id: int, *, as_of: date | None = None) -> SeriesMatch:
    """The series with this id (as the web pages and ``--json`` give it); raises
    :class:`UnknownSeries` when there is none, or none known yet by ``as_of``."""
    cutoff = as_of_cutoff(as_of)
    known = series.c.first_known_at <= cutoff if cutoff is not None else true()
    row = conn.execute(
        select(series.c.title, series.c.first_known_at, known.label("known")).where(
            series.c.id == series_id
        )
    ).first()
    if row is None:
        raise UnknownSeries(str(series_id), [], f"no series has the id {series_id}")
    if not row.known and as_of is not None:
        raise _not_known_yet(str(series_id), row.title, row.first_known_at, as_of)
    return SeriesMatch(series_id, row.title, 1.0, row.title, "id")


def _not_known_yet(query: str, title: str, first: datetime, as_of: date) -> UnknownSeries:
    """The error for a series the data first has (``first``) after ``as_of``: say when, rather
    than "no series called …"."""
    return UnknownSeries(
        query,
        [],
        f"{title!r} was not known yet by {as_of.isoformat()}: the data first "
        f"has it on {day_of(first).isoformat()}",
    )


def resolve_one(conn: Connection, query: str, *, as_of: date | None = None) -> SeriesMatch:
    """The series a person most likely means by ``query``; raises :class:`UnknownSeries`."""
    if not query.strip():
        raise UnknownSeries(query, [], 'no title given: name a series, e.g. "Partner Track"')
    norm = normalize_title(query)

    def sure_of(m: SeriesMatch) -> bool:
        return m.score >= 0.85 and (m.kind == "exact" or typo(norm, m.matched))

    matches = find_series(conn, query, as_of=as_of)
    sure = [m for m in matches if sure_of(m)]
    if sure:
        best = max(sure, key=lambda m: m.score)  # the first of the best (ranked order)
        others = tuple(m for m in sure if m is not best and m.kind == best.kind == "exact")
        return replace(best, namesakes=others) if others else best
    if as_of is not None:  # known later? say so rather than "no series called …"
        later = [m for m in find_series(conn, query) if sure_of(m)]
        if later:
            best = max(later, key=lambda m: m.score)
            first = conn.execute(
                select(series.c.first_known_at).where(series.c.id == best.series_id)
            ).scalar_one()
            raise _not_known_yet(query, best.title, first, as_of)
    raise UnknownSeries(query, [m.title for m in matches])


@dataclass(slots=True)
class Sourced:
    value: Any
    source: str
    uri: str
    known_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "source": self.source,
            "uri": self.uri,
            "known_at": self.known_at.isoformat(),
        }


@dataclass(slots=True)
class SeasonInfo:
    number: int
    premiere: Sourced | None = None
    finale: Sourced | None = None
    episodes: Sourced | None = None
    limited: Sourced | None = None
    renewed: Sourced | None = None
    final: Sourced | None = None
    first_known: datetime | None = None

    def to_json(self) -> dict[str, Any]:
        def v(s: Sourced | None) -> Any:
            return s.to_json() if s else None

        return {
            "number": self.number,
            "premiere": self.premiere.value if self.premiere else None,
            "finale": self.finale.value if self.finale else None,
            "episodes": self.episodes.value if self.episodes else None,
            "limited": bool(self.limited and self.limited.value),
            "announced_renewal": bool(self.renewed and self.renewed.value),
            "final_season": bool(self.final and self.final.value),
            "first_known": self.first_known.isoformat() if self.first_known else None,
            "sources": {
                k: v(getattr(self, k))
                for k in ("premiere", "finale", "episodes", "limited", "renewed", "final")
                if getattr(self, k) is not None
            },
        }


@dataclass(slots=True)
class ChartWeek:
    week: date
    rank: int
    category: str
    season_number: int | None
    season_title: str | None
    hours: float | None
    views: float | None
    runtime_hours: float | None
    cumulative_weeks: int | None
    known_at: datetime
    uri: str

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["week"] = self.week.isoformat()
        d["known_at"] = self.known_at.isoformat()
        return d


@dataclass(slots=True)
class EngagementInfo:
    report: str
    title: str
    season_number: int | None
    hours: float | None
    views: float | None
    release_date: date | None
    known_at: datetime
    uri: str

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["release_date"] = self.release_date.isoformat() if self.release_date else None
        d["known_at"] = self.known_at.isoformat()
        return d


@dataclass(slots=True)
class CastInfo:
    actor: str
    character: str | None
    billing: int | None
    source: str
    known_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "actor": self.actor,
            "character": self.character,
            "billing": self.billing,
            "source": self.source,
            "known_at": self.known_at.isoformat(),
        }


@dataclass(slots=True)
class SeriesProfile:
    id: int
    title: str
    as_of: date | None
    aliases: list[str] = field(default_factory=list)
    xrefs: dict[str, str] = field(default_factory=dict)
    attributes: dict[str, Sourced] = field(default_factory=dict)  # latest known per attribute
    seasons: list[SeasonInfo] = field(default_factory=list)
    top10: list[ChartWeek] = field(default_factory=list)
    engagement: list[EngagementInfo] = field(default_factory=list)
    cast: list[CastInfo] = field(default_factory=list)
    # other series of the same title (told apart by their years where a source gives them)
    namesakes: list[tuple[int, str]] = field(default_factory=list)

    @property
    def latest_season(self) -> int:
        released = [
            s.number for s in self.seasons if s.premiere or (s.first_known and not s.renewed)
        ]
        return max(released, default=0)

    def first_top10_weeks(self) -> dict[int, date]:
        """Each season's first week (its last day) in Netflix's global Top 10: when it was
        out at the latest, for seasons no list or report gives a premiere for yet."""
        out: dict[int, date] = {}
        for w in self.top10:
            if w.season_number is not None and w.week < out.get(w.season_number, date.max):
                out[w.season_number] = w.week
        return out

    def to_json(self) -> dict[str, Any]:
        first = self.first_top10_weeks()
        return {
            "id": self.id,
            "title": self.title,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "aliases": self.aliases,
            "external_ids": self.xrefs,
            "attributes": {k: v.to_json() for k, v in sorted(self.attributes.items())},
            "seasons": [
                {
                    **s.to_json(),
                    "first_top10_week": (
                        first[s.number].isoformat() if s.number in first else None
                    ),
                }
                for s in self.seasons
            ],
            "top10": [w.to_json() for w in self.top10],
            "engagement": [e.to_json() for e in self.engagement],
            "cast": [c.to_json() for c in self.cast],
            "namesakes": [{"id": i, "title": t} for i, t in self.namesakes],
        }


def series_title(conn: Connection, series_id: int) -> str | None:
    """The series' title (None: no such series); a statement built once, run once per series
    inside :func:`facts_read_once` (an answer reads it for the status and the forecast)."""
    read = _TITLES_READ.get()
    if read is not None and series_id in read:
        return read[series_id]
    q = prepared(
        ("series_title",), lambda: select(series.c.title).where(series.c.id == bindparam("sid"))
    )
    title = conn.execute(q, {"sid": series_id}).scalar()
    found = None if title is None else str(title)
    if read is not None:
        read[series_id] = found
    return found


#: inside :func:`facts_read_once`: the facts already read, per (series, cutoff), with the
#: attributes each read asked for (None: all)
_FACTS_READ: ContextVar[dict[Any, list[tuple[frozenset[str] | None, list[Any]]]] | None] = (
    ContextVar("facts_read", default=None)
)
#: inside :func:`facts_read_once`: the titles already read, per series
_TITLES_READ: ContextVar[dict[int, str | None] | None] = ContextVar("titles_read", default=None)


@contextmanager
def facts_read_once() -> Iterator[None]:
    """Within the block (one answer), :func:`fact_rows` reads a series' facts once: a later call
    for attributes an earlier call read takes those rows, in the same order, without a query;
    :func:`series_title` reads a title once. Inside another such block it shares that one."""
    if _FACTS_READ.get() is not None:
        yield
        return
    token = _FACTS_READ.set({})
    titles = _TITLES_READ.set({})
    try:
        yield
    finally:
        _TITLES_READ.reset(titles)
        _FACTS_READ.reset(token)


def fact_rows(
    conn: Connection,
    series_id: int,
    cutoff: datetime | None,
    attributes: tuple[str, ...] | None = None,
) -> list[Any]:
    """A series' facts known by ``cutoff`` (all, or these attributes), oldest first:
    rows of (season_number, attribute, value JSON, known_at, document source, document uri)."""
    read = _FACTS_READ.get()
    wanted = None if attributes is None else frozenset(attributes)
    if read is not None:
        for had, rows in read.get((series_id, cutoff), ()):
            if had is None or (wanted is not None and wanted <= had):
                return [r for r in rows if wanted is None or r.attribute in wanted]
    rows = _fact_rows(conn, series_id, cutoff, attributes)
    if read is not None:
        read.setdefault((series_id, cutoff), []).append((wanted, rows))
    return rows


def _fact_rows(
    conn: Connection,
    series_id: int,
    cutoff: datetime | None,
    attributes: tuple[str, ...] | None,
) -> list[Any]:

    def build() -> Any:
        q = series_rows(
            facts,
            facts.c.season_number,
            facts.c.attribute,
            facts.c.value,
            facts.c.known_at,
            documents.c.source,
            documents.c.uri,
            cutoff=cutoff,
        )
        if attributes is not None:
            q = q.where(facts.c.attribute.in_(attributes))
        return q

    shape = None if attributes is None else tuple(attributes)  # a list would not be a key
    q = prepared(("fact_rows", cutoff is None, shape), build)
    return list(conn.execute(q, with_cutoff({"sid": series_id}, cutoff)))


_SEASON_ATTRS = {"premiere", "finale", "episodes", "limited", "renewed", "final"}


def series_namesakes(
    conn: Connection, series_id: int, *, as_of: date | None = None
) -> list[tuple[int, str]]:
    """The other series of the same title (id, shown title) known by ``as_of``: a reader
    should know that "Your Honor" names two shows."""
    same = select(series.c.norm_title).where(series.c.id == series_id).scalar_subquery()
    others = select(series.c.id, series.c.title).where(
        series.c.norm_title == same, series.c.id != series_id
    )
    cutoff = as_of_cutoff(as_of)
    if cutoff is not None:
        others = others.where(series.c.first_known_at <= cutoff)
    return [(int(i), str(t)) for i, t in conn.execute(others.order_by(series.c.id))]


def series_profile(conn: Connection, series_id: int, *, as_of: date | None = None) -> SeriesProfile:
    cutoff = as_of_cutoff(as_of)
    row = conn.execute(select(series.c.title).where(series.c.id == series_id)).first()
    if row is None:
        raise LookupError(f"no series with id {series_id}")
    prof = SeriesProfile(id=series_id, title=row[0], as_of=as_of)
    prof.namesakes = series_namesakes(conn, series_id, as_of=as_of)
    prof.aliases = sorted(
        {
            a
            for (a,) in conn.execute(
                select(series_aliases.c.alias).where(series_aliases.c.series_id == series_id)
            )
        }
        - {prof.title}
    )
    prof.xrefs = dict(
        conn.execute(
            select(series_xrefs.c.scheme, series_xrefs.c.value).where(
                series_xrefs.c.series_id == series_id
            )
        ).all()
    )

    def known(col: Any) -> Any:
        return col <= cutoff if cutoff is not None else True

    seasons: dict[int, SeasonInfo] = {}
    for season_no, attr, value, known_at, source, uri in fact_rows(conn, series_id, cutoff):
        sv = Sourced(json.loads(value), source, uri, known_at)
        if season_no == 0:
            prof.attributes[attr] = sv  # ordered by known_at: the latest wins
            continue
        info = seasons.setdefault(season_no, SeasonInfo(season_no))
        if info.first_known is None or known_at < info.first_known:
            info.first_known = known_at
        if attr in _SEASON_ATTRS:
            current = getattr(info, attr)
            # earliest source for dates/counts; a later source may correct them
            if (
                current is None
                or attr in ("limited", "renewed", "final")
                or current.value != sv.value
            ) and (current is None or sv.known_at >= current.known_at):
                setattr(info, attr, sv)

    cq = (
        select(
            chart_entries.c.week,
            chart_entries.c.rank,
            chart_entries.c.category,
            chart_entries.c.season_number,
            chart_entries.c.season_title,
            chart_entries.c.hours,
            chart_entries.c.views,
            chart_entries.c.runtime_hours,
            chart_entries.c.cumulative_weeks,
            chart_entries.c.known_at,
            documents.c.uri,
            chart_entries.c.list,
        )
        .join(documents, documents.c.id == chart_entries.c.document_id)
        .where(chart_entries.c.series_id == series_id, known(chart_entries.c.known_at))
        .order_by(chart_entries.c.week, chart_entries.c.rank)
    )
    for r in conn.execute(cq):
        # the list is filtered here: in the query it makes SQLite read every global week known
        # by the date (ix_chart_list_known) instead of this series' rows
        if r.list != "global":
            continue
        prof.top10.append(ChartWeek(*r[:-1]))
        if r.season_number:
            info = seasons.setdefault(r.season_number, SeasonInfo(r.season_number))
            if info.first_known is None or r.known_at < info.first_known:
                info.first_known = r.known_at

    eq = (
        select(
            engagement_rows.c.report,
            engagement_rows.c.title,
            engagement_rows.c.season_number,
            engagement_rows.c.hours,
            engagement_rows.c.views,
            engagement_rows.c.release_date,
            engagement_rows.c.known_at,
            documents.c.uri,
        )
        .join(documents, documents.c.id == engagement_rows.c.document_id)
        .where(engagement_rows.c.series_id == series_id, known(engagement_rows.c.known_at))
        .order_by(engagement_rows.c.period_start, engagement_rows.c.title)
    )
    prof.engagement = [EngagementInfo(*r) for r in conn.execute(eq)]

    castq = (
        select(
            people.c.name,
            credits.c.character,
            credits.c.billing,
            documents.c.source,
            credits.c.known_at,
        )
        .join(people, people.c.id == credits.c.person_id)
        .join(documents, documents.c.id == credits.c.document_id)
        .where(credits.c.series_id == series_id, known(credits.c.known_at))
        .order_by(func.coalesce(credits.c.billing, 10_000), people.c.name)
    )
    prof.cast = [CastInfo(*r) for r in conn.execute(castq)]
    prof.seasons = [seasons[k] for k in sorted(seasons)]
    return prof


def series_ids_with(conn: Connection, attribute: str, value: Any) -> list[int]:
    enc = json.dumps(value, sort_keys=True)
    return [
        sid
        for (sid,) in conn.execute(
            select(facts.c.series_id)
            .where(and_(facts.c.attribute == attribute, facts.c.value == enc))
            .distinct()
        )
    ]


def charted_globally(
    conn: Connection, series_id: int, season: int, cutoff: datetime | None
) -> bool:
    """Whether ``season`` of the series was in Netflix's global Top 10 by ``cutoff``."""
    q = select(chart_entries.c.id).where(
        chart_entries.c.series_id == series_id,
        chart_entries.c.season_number == season,
        chart_entries.c.list == "global",
    )
    if cutoff is not None:
        q = q.where(chart_entries.c.known_at <= cutoff)
    return conn.execute(q.limit(1)).first() is not None
