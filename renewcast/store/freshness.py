"""How fresh the store is: each source's last successful update, latest data date and last error.

``renewcast update`` records one :data:`~renewcast.store.schema.source_checks` row per source and
run (:func:`record_check`). The *latest data date* is read from the data itself, so it is right
for stores filled by ``sync`` as well: the newest Top 10 week, the end of the newest engagement
report period, the newest Wikipedia revision or snapshot, the newest TVmaze fetch, the newest
article's publication. With ``as_of`` only what was known by then counts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from renewcast.store.db import as_day, as_of_cutoff, known_by, prepared, with_cutoff
from renewcast.store.schema import (
    chart_entries,
    documents,
    engagement_rows,
    import_log,
    source_checks,
)

# name → what users read
LABELS: dict[str, str] = {
    "netflix-top10": "Netflix Top 10",
    "netflix-engagement": "Netflix engagement reports",
    "wikipedia": "Wikipedia lists",
    "tvmaze": "TVmaze",
    "news": "news",
    "justwatch": "JustWatch",
}
# what the latest data date means, per source ("Netflix Top 10 to the week ending 2026-11-29")
MEANING: dict[str, str] = {
    "netflix-top10": "to the week ending",
    "netflix-engagement": "to the period ending",
    "wikipedia": "of",
    "tvmaze": "as fetched",
    "news": "to",
    "justwatch": "of",
}
# the store's document sources → the source they belong to
GROUPS = (
    ("netflix-top10", "netflix-top10"),
    ("netflix-engagement", "netflix-engagement"),
    ("wikipedia", "wikipedia"),
    ("tvmaze", "tvmaze"),
    ("justwatch", "justwatch"),
)


def group_of(document_source: str) -> str:
    """``netflix-top10/global`` → ``netflix-top10``; an article's outlet → ``news``."""
    return next((g for prefix, g in GROUPS if document_source.startswith(prefix)), "news")


@dataclass(slots=True)
class SourceFreshness:
    source: str
    label: str
    data_date: date | None  # the newest data the store holds from it
    meaning: str
    last_success_at: datetime | None  # last update (or sync import) that worked
    last_check_at: datetime | None
    last_status: str | None
    last_error: str | None
    last_error_at: datetime | None

    def line(self) -> str:
        if self.data_date is None:
            return f"{self.label}: no data"
        return f"{self.label} {self.meaning} {self.data_date.isoformat()}"

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "label": self.label,
            "data_date": self.data_date.isoformat() if self.data_date else None,
            "meaning": self.meaning,
            "last_success_at": _iso(self.last_success_at),
            "last_check_at": _iso(self.last_check_at),
            "last_status": self.last_status,
            "last_error": self.last_error,
            "last_error_at": _iso(self.last_error_at),
        }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def record_check(
    engine: Engine,
    source: str,
    *,
    started_at: datetime,
    finished_at: datetime,
    status: str,
    added: int = 0,
    updated: int = 0,
    message: str | None = None,
) -> None:
    """Log one update run of ``source`` (its own transaction, apart from the data)."""
    with engine.begin() as conn:
        conn.execute(
            source_checks.insert().values(
                source=source,
                started_at=started_at,
                finished_at=finished_at,
                status=status,
                added=added,
                updated=updated,
                message=message,
            )
        )


def _doc_date(column: Any, *where: Any) -> Callable[[Connection, datetime | None], date | None]:
    built: dict[bool, Any] = {}  # the statement with and without a cutoff, built once

    def query(conn: Connection, cutoff: datetime | None) -> date | None:
        q = built.get(cutoff is None)
        if q is None:
            q = select(func.max(column)).where(*where)
            if cutoff is not None:
                q = q.where(known_by(documents.c.known_at, cutoff))
            q = built.setdefault(cutoff is None, q)
        return as_day(conn.execute(q, with_cutoff({}, cutoff)).scalar())

    return query


def _top10_date(conn: Connection, cutoff: datetime | None) -> date | None:
    q = select(func.max(chart_entries.c.week)).where(chart_entries.c.list == "global")
    if cutoff is not None:
        q = q.where(chart_entries.c.known_at <= cutoff)
    return as_day(conn.execute(q).scalar())


def _engagement_date(conn: Connection, cutoff: datetime | None) -> date | None:
    q = select(func.max(engagement_rows.c.period_end))
    if cutoff is not None:
        q = q.where(engagement_rows.c.known_at <= cutoff)
    return as_day(conn.execute(q).scalar())


DATA_DATE: dict[str, Callable[[Connection, datetime | None], date | None]] = {
    "netflix-top10": _top10_date,
    "netflix-engagement": _engagement_date,
    "wikipedia": _doc_date(documents.c.known_at, documents.c.source.like("wikipedia/%")),
    "tvmaze": _doc_date(documents.c.known_at, documents.c.source == "tvmaze"),
    "news": _doc_date(documents.c.published, documents.c.kind == "article"),
    "justwatch": _doc_date(documents.c.known_at, documents.c.source.like("justwatch/%")),
}


def freshness(
    conn: Connection,
    sources: Iterable[str] | None = None,
    *,
    as_of: date | None = None,
) -> list[SourceFreshness]:
    """Each source's freshness (every known source when ``sources`` is None)."""
    cutoff = as_of_cutoff(as_of)
    names = list(sources) if sources is not None else list(LABELS)
    return [_source_freshness(conn, name, cutoff) for name in names if name in LABELS]


def freshness_version(conn: Connection) -> tuple[Any, ...]:
    """What :func:`freshness` reads, other than the news articles' dates: the import and update
    logs (append-only) and the documents (every import or fetch adds one). One statement."""
    q = prepared(
        ("freshness_version",),
        lambda: select(
            select(func.coalesce(func.max(import_log.c.id), 0)).scalar_subquery(),
            select(func.coalesce(func.max(source_checks.c.id), 0)).scalar_subquery(),
            select(func.count(), func.coalesce(func.max(documents.c.id), 0))
            .select_from(documents)
            .subquery(),
        ),
    )
    return (str(conn.engine.url), *(int(v) for v in conn.execute(q).one()))


#: freshness per (store, version, cutoff, sources) — the same for every answer of a data version
_CACHE: dict[tuple[Any, ...], list[SourceFreshness]] = {}
_CACHE_MAX = 256


def cached_freshness(
    conn: Connection, sources: Iterable[str], *, as_of: date | None = None
) -> list[SourceFreshness]:
    """:func:`freshness` of ``sources``, the same list as a fresh computation, read once per
    version of the logs and documents (:func:`freshness_version`) and cutoff. The news' latest
    date is read every time: an article can be re-dated in place, which moves no log."""
    cutoff = as_of_cutoff(as_of)
    names = tuple(n for n in sources if n in LABELS)
    key = (freshness_version(conn), cutoff, names)
    found = _CACHE.get(key)
    if found is None:
        found = [_source_freshness(conn, name, cutoff) for name in names]
        if len(_CACHE) >= _CACHE_MAX:
            _CACHE.clear()
        _CACHE[key] = found
    return [
        replace(f, data_date=DATA_DATE["news"](conn, cutoff)) if f.source == "news" else f
        for f in found
    ]


def _source_freshness(conn: Connection, name: str, cutoff: datetime | None) -> SourceFreshness:
    checks = source_checks.c
    last = conn.execute(
        select(checks.finished_at, checks.status)
        .where(checks.source == name)
        .order_by(checks.id.desc())
        .limit(1)
    ).first()
    ok = conn.execute(
        select(func.max(checks.finished_at)).where(checks.source == name, checks.status != "failed")
    ).scalar()
    imported = conn.execute(  # a `sync` of local files counts too
        select(func.max(import_log.c.finished_at)).where(
            import_log.c.source.like(f"{name}%"), import_log.c.status != "failed"
        )
    ).scalar()
    added = None
    if name == "news":  # articles stored by `news add` (archives, files, pages) are imports too
        added = conn.execute(
            select(func.max(documents.c.fetched_at)).where(documents.c.kind == "article")
        ).scalar()
    ok = max((t for t in (ok, imported, added) if t is not None), default=None)
    err = conn.execute(
        select(checks.finished_at, checks.message)
        .where(checks.source == name, checks.status == "failed")
        .order_by(checks.id.desc())
        .limit(1)
    ).first()
    return SourceFreshness(
        source=name,
        label=LABELS[name],
        data_date=DATA_DATE[name](conn, cutoff),
        meaning=MEANING[name],
        last_success_at=ok,
        last_check_at=last[0] if last else None,
        last_status=last[1] if last else None,
        last_error=err[1] if err else None,
        last_error_at=err[0] if err else None,
    )


def data_as_of_line(items: Iterable[SourceFreshness]) -> str:
    """The line every answer and page shows, e.g. "Data as of: Netflix Top 10 to the week ending
    2025-06-29; Wikipedia lists of 2025-03-24."."""
    parts = [f.line() for f in items if f.data_date is not None]
    return "Data as of: " + ("; ".join(parts) if parts else "no source data yet") + "."


def news_dating(conn: Connection, as_of: date | None = None) -> dict[str, int]:
    """How many news articles the store held by ``as_of`` and how many of them have no
    publication date (none given, none found on the page): their statements count only from the
    day they were added, which the news' latest date does not show."""
    cutoff = as_of_cutoff(as_of)
    q = select(func.count(), func.count().filter(documents.c.published.is_(None))).where(
        documents.c.kind == "article"
    )
    if cutoff is not None:
        q = q.where(documents.c.known_at <= cutoff)
    total, undated = conn.execute(q).one()
    return {"articles": int(total or 0), "undated": int(undated or 0)}


#: days between the newest Top 10 week and a weekly forecast update after which the imported
#: data has stopped, not just paused (each Tuesday's list covers the week that ended two days
#: before)
STALE_DAYS = 14


@dataclass(slots=True, frozen=True)
class DataGap:
    """A weekly forecast update made long after the newest Top 10 week and news imported."""

    newest: date  # the newest Top 10 week or news date
    days: int  # from it to the update
    top10: date
    news: date | None

    def line(self) -> str:
        what = f"Netflix Top 10 to the week ending {self.top10.isoformat()}" + (
            f", news to {self.news.isoformat()}" if self.news is not None else ", no news"
        )
        return (
            f"nothing newer than {self.newest.isoformat()} has been imported ({what}): the odds "
            f"count the {self.days} days since as days without news of a decision, so newer "
            "data could change them"
        )

    def sentence(self) -> str:
        """:meth:`line` said on its own, under a list of odds."""
        line = self.line()
        return f"{line[0].upper()}{line[1:]}."

    def to_json(self) -> dict[str, Any]:
        return {"newest": self.newest.isoformat(), "days": self.days}


def data_gap(update: date, fresh: Iterable[SourceFreshness]) -> DataGap | None:
    """The gap between a weekly forecast update and the newest data it could read, when both the
    Top 10 and the news stopped more than :data:`STALE_DAYS` before it (None otherwise)."""
    dates = {f.source: f.data_date for f in fresh if f.data_date is not None}
    top10 = dates.get("netflix-top10")
    if top10 is None or (update - top10).days <= STALE_DAYS:
        return None
    news = dates.get("news")
    newest = max(top10, news) if news is not None else top10
    days = (update - newest).days
    return DataGap(newest, days, top10, news) if days > STALE_DAYS else None
