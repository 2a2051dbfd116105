"""The lists the site serves: latest decisions (renewals, cancellations, endings) and "on the bubble".

A *decision* is what the status decider (:mod:`renewcast.status`) decides for a season, dated by
the statement that decided it (its real publication date). Decisions resting on undated articles
have no date: they are left out unless asked for (``include_undated``), and then listed after the
dated ones. Resolving every series for every request would take minutes, so
:func:`latest_decisions` works top-k over :func:`renewcast.status.evidence.decision_bounds` (the
latest date a decision about each series can carry): series are resolved in descending order of
the bound and the scan stops once ``limit`` decisions are found that are at least as recent as the
next bound (or after ``max_scan`` series, and then the result says it is partial). A list of
cancellations or endings scans only the series with a statement that can decide one
(``decision_bounds(status=…)``), so that recent releases do not use up the scan.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, select

from renewcast.status import DECISIONS, StatusResult, gather, status_of
from renewcast.status.evidence import decision_bounds
from renewcast.store.db import as_of_cutoff
from renewcast.store.schema import chart_entries, engagement_rows, facts, series

MAX_SCAN = 400


@dataclass(frozen=True, slots=True)
class SeriesMeta:
    """What the list filters look at, as known at the cutoff."""

    series_id: int
    title: str
    platform: str | None
    language: str | None  # original language (Wikipedia), when known
    list_language: str | None  # English / Non-English (the Top 10 list it charted in)
    kind: str | None  # scripted, docuseries, reality, ...

    def to_json(self) -> dict[str, Any]:
        return {
            "platform": self.platform,
            "language": self.language,
            "list_language": self.list_language,
            "kind": self.kind,
        }


@dataclass(frozen=True, slots=True)
class Filters:
    platform: str | None = None
    language: str | None = None
    kind: str | None = None
    status: str | None = None

    def matches_meta(self, m: SeriesMeta | None) -> bool:
        if m is None:
            return not (self.platform or self.language or self.kind)
        if self.platform and (m.platform or "").casefold() != self.platform.casefold():
            return False
        if self.language:
            want = self.language.casefold()
            if want not in {(m.language or "").casefold(), (m.list_language or "").casefold()}:
                return False
        return not (self.kind and (m.kind or "").casefold() != self.kind.casefold())

    def to_json(self) -> dict[str, str | None]:
        return {
            "platform": self.platform,
            "language": self.language,
            "kind": self.kind,
            "status": self.status,
        }


def series_meta(conn: Connection, as_of: date | None) -> dict[int, SeriesMeta]:
    """Platform, language and kind of every series as known at ``as_of`` (latest fact wins).

    A series with no platform fact that appears in Netflix's own Top 10 or engagement reports is
    on Netflix: those lists only hold Netflix titles.
    """
    cutoff = as_of_cutoff(as_of)
    q = select(series.c.id, series.c.title, series.c.platform)
    if cutoff is not None:
        q = q.where(series.c.first_known_at <= cutoff)
    base = {sid: (title, platform) for sid, title, platform in conn.execute(q)}
    fq = (
        select(facts.c.series_id, facts.c.attribute, facts.c.value)
        .where(
            facts.c.season_number == 0,
            facts.c.attribute.in_(("platform", "language", "list_language", "kind")),
        )
        .order_by(facts.c.known_at, facts.c.id)
    )
    if cutoff is not None:
        fq = fq.where(facts.c.known_at <= cutoff)
    attrs: dict[int, dict[str, str]] = {}
    for sid, attr, value in conn.execute(fq):
        v = json.loads(value)
        if isinstance(v, str) and v:
            attrs.setdefault(sid, {})[attr] = v
    netflix: set[int] = set()
    for table in (chart_entries, engagement_rows):
        nq = select(table.c.series_id).where(table.c.series_id.is_not(None)).distinct()
        if cutoff is not None:
            nq = nq.where(table.c.known_at <= cutoff)
        netflix.update(sid for (sid,) in conn.execute(nq))
    out = {}
    for sid, (title, platform) in base.items():
        a = attrs.get(sid, {})
        plat = a.get("platform") or platform or ("Netflix" if sid in netflix else None)
        out[sid] = SeriesMeta(
            sid, title, plat, a.get("language"), a.get("list_language"), a.get("kind")
        )
    return out


def facet_values(metas: dict[int, SeriesMeta]) -> dict[str, list[str]]:
    """The values each filter can take, for the pages' select boxes."""
    plats = sorted({m.platform for m in metas.values() if m.platform})
    langs = {m.language for m in metas.values() if m.language}
    langs |= {m.list_language for m in metas.values() if m.list_language}
    kinds = sorted({m.kind for m in metas.values() if m.kind})
    return {"platform": plats, "language": sorted(langs), "kind": kinds}


# ------------------------------------------------------------------------------ decisions


@dataclass(slots=True)
class Decision:
    series_id: int
    title: str
    season: int
    status: str
    decided_at: datetime | None  # None: the deciding article is undated
    summary: str
    source: str | None
    url: str | None
    meta: SeriesMeta | None
    added: datetime | None = None  # the day an undated deciding article was added

    @classmethod
    def from_status(cls, r: StatusResult, meta: SeriesMeta | None) -> Decision:
        d = r.deciding
        return cls(
            r.series_id,
            r.title,
            r.season,
            r.status,
            r.decided_at,
            r.summary,
            d.source if d else None,
            d.url if d else None,
            meta,
            d.known_at if d is not None and d.undated else None,
        )

    @property
    def undated(self) -> bool:
        return self.decided_at is None

    def sort_key(self) -> tuple[bool, datetime, str, int]:
        """Dated decisions newest first, then undated ones (by the day they were added)."""
        t = self.decided_at or self.added or datetime.min.replace(tzinfo=UTC)
        return (not self.undated, t, self.title, self.season)

    def to_json(self) -> dict[str, Any]:
        return {
            "series_id": self.series_id,
            "series": self.title,
            "season": self.season,
            "status": self.status,
            "decided_at": self.decided_at.date().isoformat() if self.decided_at else None,
            "undated": self.undated,
            "added": self.added.date().isoformat() if self.added else None,
            "summary": self.summary,
            "source": self.source,
            "url": self.url,
            **(self.meta.to_json() if self.meta else {}),
        }


@dataclass(slots=True)
class DecisionList:
    as_of: date | None
    filters: Filters
    decisions: list[Decision] = field(default_factory=list)
    scanned: int = 0
    complete: bool = True

    def to_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "filters": self.filters.to_json(),
            "decisions": [d.to_json() for d in self.decisions],
            "series_scanned": self.scanned,
            "complete": self.complete,
        }


def series_decisions(
    conn: Connection, series_id: int, as_of: date | None, *, include_undated: bool = False
) -> list[StatusResult]:
    """The decided seasons of one series: the next season's and the latest released one's."""
    se = gather(conn, series_id, as_of=as_of)
    out: list[StatusResult] = []
    nxt = status_of(conn, se, None, background=False)
    if nxt.status in DECISIONS:
        out.append(nxt)
    latest = nxt.latest_season
    if latest >= 2 and latest != nxt.season:  # a released season: the decision was to make it
        cur = status_of(conn, se, latest, background=False)
        if cur.status == "renewed":
            out.append(cur)
    return [r for r in out if include_undated or r.decided_at is not None]


def series_history(
    conn: Connection, series_id: int, as_of: date | None, *, include_undated: bool = False
) -> list[StatusResult]:
    """Every decided season of one series (2 .. next), newest decision first."""
    se = gather(conn, series_id, as_of=as_of)
    nxt = status_of(conn, se, None, background=False)
    out = [nxt] if nxt.status in DECISIONS else []
    for season in range(2, nxt.season):  # released seasons: only the renewal is news
        r = status_of(conn, se, season, background=False)
        if r.status == "renewed":
            out.append(r)
    out = [r for r in out if include_undated or r.decided_at is not None]
    out.sort(
        key=lambda r: (
            r.decided_at is not None,
            r.decided_at or datetime.min.replace(tzinfo=UTC),
            r.season,
        ),
        reverse=True,
    )
    return out


def latest_decisions(
    conn: Connection,
    as_of: date | None,
    filters: Filters,
    *,
    limit: int = 50,
    metas: dict[int, SeriesMeta] | None = None,
    max_scan: int = MAX_SCAN,
    include_undated: bool = False,
) -> DecisionList:
    """The ``limit`` most recent decisions known at ``as_of`` that pass ``filters``, ordered by
    the decision's real date; decisions resting on undated articles only when asked for."""
    metas = metas if metas is not None else series_meta(conn, as_of)
    out = DecisionList(as_of=as_of, filters=filters)
    found: list[Decision] = []
    # a season is cancelled or ended only by some statements: scan the series that have one
    ending = filters.status if filters.status in ("cancelled", "ended") else None
    bounds = decision_bounds(conn, as_of, include_undated=include_undated, status=ending)
    for sid, bound in bounds:
        dated = [d for d in found if d.decided_at is not None]
        if len(dated) >= limit:
            dated.sort(key=Decision.sort_key, reverse=True)
            last = dated[limit - 1].decided_at
            if last is not None and bound.date() <= last.date():
                break
        meta = metas.get(sid)
        if meta is None or not filters.matches_meta(meta):
            continue
        if out.scanned >= max_scan:
            out.complete = False
            break
        out.scanned += 1
        for r in series_decisions(conn, sid, as_of, include_undated=include_undated):
            if filters.status and r.status != filters.status:
                continue
            found.append(Decision.from_status(r, meta))
    found.sort(key=Decision.sort_key, reverse=True)
    out.decisions = found[:limit]
    return out
