"""What the store held at a cutoff: the rows forecasts are built from, each with ``available_at``.

``available_at`` is when a row could first have been read by a store syncing the data as it was
published. Most rows carry it as ``known_at``. A few facts are back-dated by the loaders to when the
underlying event was public (a Wikipedia snapshot of 2023 dates a 2022 premiere at the premiere);
a store synced on the day could not have held them, so for files that are snapshots
(everything except the row-dated Netflix Top 10 logs) a fact is available at
``max(known_at, the document's known_at)``. That rule makes the forecast as of D identical on a store
synced from data cut at D and on one holding later data.

Identity-robust: the unit of analysis is the *show key*, the normalised title without the year
Netflix adds to tell same-named titles apart (:func:`renewcast.store.identity.show_key`) — of the
Top 10 show title as published for chart rows, of the store series' title for every other row.
Two stores synced from different data can link the same rows to different series ids, or
split/merge homonyms differently; keyed by show title, the inputs as of D are the same. A snapshot
document that holds facts for two different series under one key (a title shared by two shows, e.g.
an original and its reboot) is ambiguous for that key, and its facts are left out for it
(``StoreView.ambiguous`` counts them).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, select

from renewcast.store.identity import show_key
from renewcast.store.schema import (
    chart_entries,
    claims,
    documents,
    engagement_rows,
    facts,
    series,
    title_relabels,
)

#: sources whose rows are dated one by one (a file that grows); facts from them keep ``known_at``
ROW_DATED_SOURCES = ("netflix-top10/",)
#: fact attributes the forecast reads
FACT_ATTRIBUTES = (
    "exists",
    "renewed",
    "seasons",
    "status",
    "limited",
    "final",
    "premiere",
    "jw_genres",
    "status_text",
)


@dataclass(frozen=True, slots=True)
class ChartRow:
    series_id: int
    key: str  # normalised show title as published
    show: str  # the show title as published
    season: int | None
    limited: bool
    list: str  # global | country
    english: bool | None  # None for per-country rows
    week: date
    rank: int
    hours: float | None
    views: float | None
    runtime_hours: float | None
    known_at: datetime


@dataclass(frozen=True, slots=True)
class EngagementRow:
    series_id: int
    season: int | None
    limited: bool
    report: str
    period_start: date
    hours: float | None
    views: float | None
    runtime_hours: float | None
    release_date: date | None
    known_at: datetime


@dataclass(frozen=True, slots=True)
class FactRow:
    series_id: int
    season: int
    attribute: str
    value: Any
    source: str
    known_at: datetime  # available_at (see module docstring)


@dataclass(frozen=True, slots=True)
class RelabelRow:
    series_id: int
    season: int | None
    limited: bool
    known_at: datetime


@dataclass(frozen=True, slots=True)
class ClaimRow:
    series_id: int
    season: int | None
    status: str
    final: bool
    official: bool
    hedged: bool
    confidence: float | None
    known_at: datetime
    # what the status decider reads besides (renewcast.status): the sentence and its outlet
    text: str = ""
    url: str | None = None
    publisher: str | None = None
    speakers: str | None = None
    undated: bool = False  # the article had no date: ``known_at`` is the day it was added
    document_id: int = 0
    title: str | None = None  # the series as the sentence writes it


@dataclass(slots=True)
class StoreView:
    """Rows available by ``cutoff`` (None = everything), ready for labels and features."""

    cutoff: datetime | None
    titles: dict[int, str] = field(default_factory=dict)
    norm: dict[int, str] = field(default_factory=dict)  # series id → show key
    shows: dict[str, str] = field(default_factory=dict)  # show key → Top 10 title, first published
    ambiguous: int = 0  # snapshot facts left out: their document names two series one key
    chart: list[ChartRow] = field(default_factory=list)
    engagement: list[EngagementRow] = field(default_factory=list)
    facts: list[FactRow] = field(default_factory=list)
    relabels: list[RelabelRow] = field(default_factory=list)
    claims: list[ClaimRow] = field(default_factory=list)

    @property
    def data_end(self) -> datetime | None:
        """The latest moment any row was available (the store's horizon)."""
        stamps = [r.known_at for r in self.chart if r.list == "global"]
        stamps += [r.known_at for r in self.engagement] + [f.known_at for f in self.facts]
        return max(stamps, default=None)

    def at(self, cutoff: datetime) -> StoreView:
        """The same view restricted to rows available by ``cutoff``."""

        def ok(t: datetime) -> bool:
            return t <= cutoff

        return replace(
            self,
            cutoff=cutoff,
            chart=[r for r in self.chart if ok(r.known_at)],
            engagement=[r for r in self.engagement if ok(r.known_at)],
            facts=[r for r in self.facts if ok(r.known_at)],
            relabels=[r for r in self.relabels if ok(r.known_at)],
            claims=[r for r in self.claims if ok(r.known_at)],
        )

    def since(self, after: datetime) -> StoreView:
        """Only the rows that became available after ``after`` (by the view's cutoff)."""

        def ok(t: datetime) -> bool:
            return t > after

        return replace(
            self,
            chart=[r for r in self.chart if ok(r.known_at)],
            engagement=[r for r in self.engagement if ok(r.known_at)],
            facts=[r for r in self.facts if ok(r.known_at)],
            relabels=[r for r in self.relabels if ok(r.known_at)],
            claims=[r for r in self.claims if ok(r.known_at)],
        )

    def key(self, series_id: int) -> str:
        """The show key of a store series."""
        return self.norm.get(series_id, "")

    def title_of(self, key: str) -> str:
        return self.shows.get(key, key)


def load_view(conn: Connection, cutoff: datetime | None = None) -> StoreView:
    """Read every row the forecast needs that was available by ``cutoff``."""
    view = StoreView(cutoff=None)
    for sid, title in conn.execute(select(series.c.id, series.c.title)):
        view.titles[sid] = title
        view.norm[sid] = show_key(title)
    view.chart = _chart(conn, cutoff)
    for r in sorted(view.chart, key=lambda r: (r.known_at, r.week, r.rank)):
        view.shows.setdefault(r.key, r.show)
    view.engagement = _engagement(conn, cutoff)
    view.facts, view.ambiguous = _facts(conn, cutoff, view.norm)
    view.relabels = _relabels(conn, cutoff)
    view.claims = _claims(conn, cutoff)
    if cutoff is None:
        return view
    return view.at(cutoff)


def _chart(conn: Connection, cutoff: datetime | None) -> list[ChartRow]:
    c = chart_entries.c
    q = select(
        c.series_id,
        c.show_title,
        c.season_number,
        c.limited,
        c.list,
        c.category,
        c.week,
        c.rank,
        c.hours,
        c.views,
        c.runtime_hours,
        c.known_at,
    ).where(c.series_id.is_not(None), c.list.in_(["global", "country"]), c.week.is_not(None))
    if cutoff is not None:
        q = q.where(c.known_at <= cutoff)
    out = []
    for r in conn.execute(q):
        cat = (r.category or "").lower()
        if not cat.startswith("tv"):
            continue
        english = None if r.list != "global" else "non-english" not in cat
        out.append(
            ChartRow(
                r.series_id,
                show_key(r.show_title),
                r.show_title,
                r.season_number,
                bool(r.limited),
                r.list,
                english,
                r.week,
                r.rank,
                r.hours,
                r.views,
                r.runtime_hours,
                r.known_at,
            )
        )
    return out


def _engagement(conn: Connection, cutoff: datetime | None) -> list[EngagementRow]:
    c = engagement_rows.c
    q = select(
        c.series_id,
        c.season_number,
        c.limited,
        c.report,
        c.period_start,
        c.hours,
        c.views,
        c.runtime_hours,
        c.release_date,
        c.known_at,
    ).where(c.series_id.is_not(None))
    if cutoff is not None:
        q = q.where(c.known_at <= cutoff)
    return [
        EngagementRow(r[0], r[1], bool(r[2]), r[3], r[4], r[5], r[6], r[7], r[8], r[9])
        for r in conn.execute(q)
    ]


def _facts(
    conn: Connection, cutoff: datetime | None, norm: dict[int, str]
) -> tuple[list[FactRow], int]:
    q = (
        select(
            facts.c.document_id,
            facts.c.series_id,
            facts.c.season_number,
            facts.c.attribute,
            facts.c.value,
            documents.c.source,
            documents.c.known_at,
            facts.c.known_at,
        )
        .join(documents, documents.c.id == facts.c.document_id)
        .where(facts.c.attribute.in_(FACT_ATTRIBUTES))
    )
    if cutoff is not None:
        q = q.where(facts.c.known_at <= cutoff)
    rows = list(conn.execute(q))
    named: dict[tuple[int, str], set[int]] = defaultdict(set)
    for doc, sid, *_ in rows:
        named[(doc, norm.get(sid, ""))].add(sid)
    out = []
    dropped = 0
    for doc, sid, season, attr, value, source, doc_known, known_at in rows:
        snapshot = not source.startswith(ROW_DATED_SOURCES)
        if snapshot and len(named[(doc, norm.get(sid, ""))]) > 1:
            dropped += 1
            continue
        available = known_at
        if snapshot and doc_known > known_at:
            available = doc_known
        out.append(FactRow(sid, season, attr, json.loads(value), source, available))
    return out, dropped


def _relabels(conn: Connection, cutoff: datetime | None) -> list[RelabelRow]:
    c = title_relabels.c
    q = select(c.series_id, c.season_number, c.limited, c.known_at).where(c.series_id.is_not(None))
    if cutoff is not None:
        q = q.where(c.known_at <= cutoff)
    return [RelabelRow(r[0], r[1], bool(r[2]), r[3]) for r in conn.execute(q)]


def _claims(conn: Connection, cutoff: datetime | None) -> list[ClaimRow]:
    from renewcast.store.documents import doc_link

    c = claims.c
    q = (
        select(
            c.series_id,
            c.season,
            c.status,
            c.final,
            c.official,
            c.hedged,
            c.confidence,
            c.known_at,
            c.evidence,
            documents.c.uri,
            documents.c.canonical_url,
            documents.c.publisher,
            c.speakers,
            documents.c.published,
            c.document_id,
            c.series_text,
        )
        .join(documents, documents.c.id == c.document_id)
        .where(c.series_id.is_not(None))
    )
    if cutoff is not None:
        q = q.where(c.known_at <= cutoff)
    return [
        ClaimRow(
            r[0],
            r[1],
            r[2],
            bool(r[3]),
            bool(r[4]),
            bool(r[5]),
            None if r[6] is None else float(r[6]),
            r[7],
            text=r[8] or "",
            url=doc_link(r[9], r[10]),
            publisher=r[11],
            speakers=r[12],
            undated=r[13] is None,
            document_id=r[14],
            title=r[15],
        )
        for r in conn.execute(q)
    ]
