"""The lists the site serves: latest decisions (renewals, cancellations, endings) and "on the bubble".

A *decision* is what :func:`renewcast.status.resolve_status` decides for a season, dated by the
evidence that decided it (``decided_at``). Resolving every series of the catalog for every request
would take minutes, so :func:`latest_decisions` works top-k: for each series it first computes, in
SQL, the latest date any decisive evidence about it became public (news claims of a decision, the
catalog's status/limited/renewal facts, a later season's premiere or first appearance in Netflix's
data). No decision about the series can be dated later than that bound, so series are resolved in
descending order of the bound and the scan stops once ``limit`` decisions are found that are at least
as recent as the next bound (or after ``max_scan`` series, and then the result says it is partial).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, select, union_all

from renewcast.status import DECISIONS, StatusResult, resolve_status
from renewcast.store.db import as_of_cutoff
from renewcast.store.schema import (
    chart_entries,
    claims,
    documents,
    engagement_rows,
    facts,
    series,
)

DECISIVE_FACTS = ("limited", "relabelled_limited", "renewed", "final")
WIKIPEDIA_FACTS = ("status", "seasons")
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
    decided_at: datetime
    summary: str
    source: str | None
    url: str | None
    meta: SeriesMeta | None

    @classmethod
    def from_status(cls, r: StatusResult, meta: SeriesMeta | None) -> Decision:
        assert r.decided_at is not None
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
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "series_id": self.series_id,
            "series": self.title,
            "season": self.season,
            "status": self.status,
            "decided_at": self.decided_at.date().isoformat(),
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


def decision_bounds(conn: Connection, as_of: date | None) -> list[tuple[int, datetime]]:
    """(series, latest date any decisive evidence about it became public), latest first."""
    cutoff = as_of_cutoff(as_of)

    def known(col: Any) -> Any:
        return col <= cutoff if cutoff is not None else col.is_not(None)

    parts: list[Any] = [
        select(claims.c.series_id.label("sid"), claims.c.known_at.label("t")).where(
            claims.c.series_id.is_not(None),
            claims.c.status.in_(DECISIONS),
            known(claims.c.known_at),
        ),
        select(facts.c.series_id.label("sid"), facts.c.known_at.label("t")).where(
            facts.c.attribute.in_(DECISIVE_FACTS), known(facts.c.known_at)
        ),
        # season counts and statuses decide only from Wikipedia's lists (as in renewcast.status)
        select(facts.c.series_id.label("sid"), facts.c.known_at.label("t"))
        .join(documents, documents.c.id == facts.c.document_id)
        .where(
            facts.c.attribute.in_(WIKIPEDIA_FACTS),
            documents.c.source.like("wikipedia/%"),
            known(facts.c.known_at),
        ),
        select(facts.c.series_id.label("sid"), facts.c.known_at.label("t")).where(
            facts.c.attribute == "premiere",
            facts.c.season_number >= 2,
            known(facts.c.known_at),
        ),
    ]
    for table in (chart_entries, engagement_rows):
        first = (
            select(
                table.c.series_id.label("sid"),
                func.min(table.c.known_at).label("t"),
            )
            .where(
                table.c.series_id.is_not(None),
                table.c.season_number >= 2,
                known(table.c.known_at),
            )
            .group_by(table.c.series_id, table.c.season_number)
        )
        parts.append(first)
    u = union_all(*parts).subquery()
    q = select(u.c.sid, func.max(u.c.t).label("bound")).group_by(u.c.sid)
    rows = [(int(sid), t) for sid, t in conn.execute(q)]
    rows = [(sid, _aware(t)) for sid, t in rows if t is not None]
    rows.sort(key=lambda r: (r[1], -r[0]), reverse=True)
    return rows


def _aware(t: Any) -> datetime:
    from datetime import UTC

    if isinstance(t, str):
        t = datetime.fromisoformat(t)
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def series_decisions(conn: Connection, series_id: int, as_of: date | None) -> list[StatusResult]:
    """The decided seasons of one series: the next season's and the latest released one's."""
    out: list[StatusResult] = []
    nxt = resolve_status(conn, series_id, None, as_of=as_of)
    if nxt.status in DECISIONS and nxt.decided_at is not None:
        out.append(nxt)
    latest = nxt.latest_season
    if latest >= 2 and latest != nxt.season:  # a released season: the decision was to make it
        cur = resolve_status(conn, series_id, latest, as_of=as_of)
        if cur.status == "renewed" and cur.decided_at is not None:
            out.append(cur)
    return out


def series_history(conn: Connection, series_id: int, as_of: date | None) -> list[StatusResult]:
    """Every decided season of one series (2 .. next), newest decision first."""
    nxt = resolve_status(conn, series_id, None, as_of=as_of)
    out = [nxt] if nxt.status in DECISIONS and nxt.decided_at is not None else []
    for season in range(2, nxt.season):  # released seasons: only the renewal is news
        r = resolve_status(conn, series_id, season, as_of=as_of)
        if r.status == "renewed" and r.decided_at is not None:
            out.append(r)
    out.sort(key=lambda r: (r.decided_at or datetime.min, r.season), reverse=True)
    return out


def latest_decisions(
    conn: Connection,
    as_of: date | None,
    filters: Filters,
    *,
    limit: int = 50,
    metas: dict[int, SeriesMeta] | None = None,
    max_scan: int = MAX_SCAN,
) -> DecisionList:
    """The ``limit`` most recent decisions known at ``as_of`` that pass ``filters``."""
    metas = metas if metas is not None else series_meta(conn, as_of)
    out = DecisionList(as_of=as_of, filters=filters)
    found: list[Decision] = []
    for sid, bound in decision_bounds(conn, as_of):
        if len(found) >= limit:
            found.sort(key=lambda d: (d.decided_at, d.title), reverse=True)
            if bound.date() <= found[limit - 1].decided_at.date():
                break
        meta = metas.get(sid)
        if meta is None or not filters.matches_meta(meta):
            continue
        if out.scanned >= max_scan:
            out.complete = False
            break
        out.scanned += 1
        for r in series_decisions(conn, sid, as_of):
            if filters.status and r.status != filters.status:
                continue
            found.append(Decision.from_status(r, meta))
    found.sort(key=lambda d: (d.decided_at, d.title, d.season), reverse=True)
    out.decisions = found[:limit]
    return out
