"""``resolve_status``: gather a series' evidence as known at a date, decide a season, say it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection

from renewcast.status.decide import DECISIONS, Evidence, Verdict, decide, endings_after_orders
from renewcast.status.evidence import (
    catalog_evidence,
    context_evidence,
    news_evidence,
    not_limited_note,
    season_dates,
)
from renewcast.status.seasons import SeasonDates
from renewcast.status.summary import summarize
from renewcast.store.catalog import facts_read_once, series_title
from renewcast.store.db import as_of_cutoff


@dataclass(slots=True)
class SeriesEvidence:
    """Everything known about one series' seasons at a cutoff, placed on the season line."""

    series_id: int
    title: str
    as_of: date | None
    cutoff: datetime | None
    dates: SeasonDates
    evidence: list[Evidence]
    dropped: list[Evidence]  # news claims that are no status evidence, with the reason

    @property
    def latest_released(self) -> int:
        return self.dates.latest_released(
            self.cutoff.date() if self.cutoff else datetime.now().date()
        )

    @property
    def next_season(self) -> int:
        latest = self.latest_released
        return max(latest, 1) + (1 if latest else 0)


@dataclass(slots=True)
class StatusResult:
    series_id: int
    title: str
    season: int
    as_of: date | None
    status: str
    decided_at: datetime | None  # the decision's real date (None: pending, or undated)
    deciding: Evidence | None
    evidence: list[Evidence]  # counted evidence about this season, oldest first
    disagreements: list[Evidence]
    superseded: list[Evidence]
    not_counted: list[Evidence]
    summary: str
    latest_season: int
    dates: SeasonDates
    verdict: Verdict

    @property
    def undated(self) -> bool:
        return self.verdict.undated

    @property
    def final(self) -> bool:
        return self.verdict.final

    @property
    def decided(self) -> bool:
        return self.status in DECISIONS

    def to_json(self) -> dict[str, Any]:
        return {
            "series": self.title,
            "season": self.season,
            "asked": self.verdict.question.asked,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "status": self.status,
            "summary": self.summary,
            "reason": self.verdict.reason or None,
            "decided_at": self.decided_at.date().isoformat() if self.decided_at else None,
            "undated": self.undated,
            "final": self.final,
            "deciding": self.deciding.to_json() if self.deciding else None,
            "evidence": [e.to_json() for e in self.evidence],
            "disagreements": [e.to_json() for e in self.disagreements],
            "superseded": [e.to_json() for e in self.superseded],
            "context": [e.to_json() for e in self.verdict.context if e.status is not None],
        }


def gather(conn: Connection, series_id: int, *, as_of: date | None = None) -> SeriesEvidence:
    """Every statement about the series' seasons known at the end of ``as_of``."""
    cutoff = as_of_cutoff(as_of)
    with facts_read_once():  # the season dates and the catalog evidence read the same facts
        title = series_title(conn, series_id)
        if title is None:
            raise LookupError(f"no series with id {series_id}")
        dates = season_dates(conn, series_id, cutoff)
        ev = catalog_evidence(conn, series_id, title, cutoff, dates)
    news, dropped = news_evidence(conn, series_id, cutoff, dates)
    endings_after_orders(ev + news)
    return SeriesEvidence(series_id, title, as_of, cutoff, dates, ev + news, dropped)


def status_of(
    conn: Connection, se: SeriesEvidence, season: int | None = None, *, background: bool = True
) -> StatusResult:
    """The status of ``season`` (default: the next one) from gathered evidence."""
    target = se.next_season if season is None else season
    latest = se.latest_released
    v = decide(se.evidence, target, as_of=se.cutoff, latest_released=latest)
    counted = list(v.counted)
    if background:
        counted.extend(context_evidence(conn, se.series_id, v.season, se.cutoff))
        if v.status == "pending" and v.question.kind == "next":
            note = not_limited_note(conn, se.series_id, v.season - 1, se.cutoff)
            if note is not None:
                counted.append(note)
        counted.sort(key=lambda e: (e.when, e.kind != "catalog"))
    result = StatusResult(
        series_id=se.series_id,
        title=se.title,
        season=v.season,
        as_of=se.as_of,
        status=v.status,
        decided_at=v.decided_at if v.decided else None,
        deciding=v.deciding,
        evidence=counted,
        disagreements=v.disagreements,
        superseded=v.superseded,
        not_counted=v.not_counted + se.dropped,
        summary="",
        latest_season=latest,
        dates=se.dates,
        verdict=v,
    )
    result.summary = summarize(result)
    return result


def resolve_status(
    conn: Connection,
    series_id: int,
    season: int | None = None,
    *,
    as_of: date | None = None,
    background: bool = True,
) -> StatusResult:
    """The status of ``season`` (default: the one after the latest released) as known at
    ``as_of``. ``background=False`` skips the premiere/Top 10 lines (lists and alerts)."""
    return status_of(conn, gather(conn, series_id, as_of=as_of), season, background=background)
