"""The answer to "Will there be season N of X?": status, odds, cast, storylines and dates, sourced.

:func:`compose` gathers everything known at ``as_of`` into an :class:`Answer`; the renderers
(:mod:`render_text`, :mod:`render_markdown`) only format it. Forecasts come from
``renewcast.forecast.forecast_season`` when that module is installed; without it the answer says
plainly that it has no odds and never makes numbers up.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeGuard

from sqlalchemy import Connection

from renewcast.answer.articles import NewsArticle, series_articles
from renewcast.answer.cast_outlook import CastOutlook, cast_outlook
from renewcast.answer.storylines import Storyline, storylines
from renewcast.status import Evidence, StatusResult, resolve_status
from renewcast.status.evidence import fact_date
from renewcast.store.catalog import fact_rows, facts_read_once, series_namesakes
from renewcast.store.db import as_of_cutoff
from renewcast.store.documents import SOURCE_PAGES
from renewcast.store.freshness import (
    LABELS,
    SourceFreshness,
    cached_freshness,
    data_as_of_line,
    data_gap,
    group_of,
)

NO_ODDS = "no forecast model is available in this installation, so this answer gives no odds"


@dataclass(slots=True)
class WhenItem:
    """A date or window for the next season: announced (sourced) or forecast."""

    text: str
    kind: str  # announced | forecast | expected
    source: str
    url: str | None
    published: datetime | None

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "kind": self.kind,
            "source": self.source,
            "url": self.url,
            "published": self.published.date().isoformat() if self.published else None,
        }


@dataclass(slots=True)
class Answer:
    series: str
    series_id: int
    season: int
    as_of: date | None
    status: StatusResult
    forecast: dict[str, Any] | None = None
    forecast_note: str = ""
    release_window: dict[str, Any] | None = None
    when: list[WhenItem] = field(default_factory=list)
    when_note: str = ""
    cast: list[CastOutlook] = field(default_factory=list)
    storylines: list[Storyline] = field(default_factory=list)
    articles: list[NewsArticle] = field(default_factory=list)
    data_as_of: list[SourceFreshness] = field(default_factory=list)
    # other series of this title (id, shown title): "Your Honor" names two shows
    namesakes: list[tuple[int, str]] = field(default_factory=list)

    def data_as_of_line(self) -> str:
        return data_as_of_line(self.data_as_of)

    def sources(self) -> list[dict[str, Any]]:
        """Every source the answer cites, once, oldest first."""
        seen: dict[tuple[str, str | None], dict[str, Any]] = {}

        def add(source: str, url: str | None, published: datetime | str | None) -> None:
            key = (source, url)
            day = published.date().isoformat() if isinstance(published, datetime) else published
            if key not in seen:
                seen[key] = {"source": source, "url": url, "published": day, "undated": not day}
            elif day and (seen[key]["published"] is None or day > seen[key]["published"]):
                seen[key].update(published=day, undated=False)

        for e in self.status.evidence:
            add(e.source, e.url, e.date_label)  # "2011-05" for a date known to the month
        for e in self.status.disagreements:
            add(e.source, e.url, e.date_label)
        for c in self.cast:
            add(c.source, c.url, None if c.undated else c.published)
        for s in self.storylines:
            add(s.source, s.url, None if s.undated else s.published)
        for w in self.when:
            if w.kind != "forecast":
                add(w.source, w.url, w.published)
        return sorted(seen.values(), key=lambda d: (d["published"] or "", d["source"]))

    def to_json(self) -> dict[str, Any]:
        st = self.status
        return {
            "series": self.series,
            "series_id": self.series_id,
            "season": self.season,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "status": st.status,
            "status_summary": st.summary,
            "decided_at": st.decided_at.date().isoformat() if st.decided_at else None,
            "status_evidence": [
                {**_evidence_json(e), "counts": evidence_counts(st, e)} for e in st.evidence
            ],
            "deciding_evidence": _evidence_json(st.deciding) if st.deciding else None,
            "disagreements": [_evidence_json(e) for e in st.disagreements],
            "forecast": self.forecast,
            "forecast_note": self.forecast_note or None,
            "release_window": self.release_window,
            "when": [w.to_json() for w in self.when],
            "when_note": self.when_note or None,
            "cast": [c.to_json() for c in self.cast],
            "storylines": [s.to_json() for s in self.storylines],
            "sources": self.sources(),
            "data_as_of": [f.to_json() for f in self.data_as_of],
            "data_as_of_text": self.data_as_of_line(),
            "namesakes": [{"series_id": i, "title": t} for i, t in self.namesakes],
        }


def _evidence_json(e: Evidence) -> dict[str, Any]:
    return e.to_json()


#: how a statement counts toward the status (``status_evidence[].counts``), in plain words for
#: the pages; the text answer groups them by it too (render_markdown ``_confirmed``)
COUNTS = {
    "decides": "the statement the status rests on",
    "counted": "counted",
    "hint": "a hope or hint, not a decision",
    "unclear": "read too unsurely to count",
    "background": "background",
}
#: the statements shown but not counted: the pages mark them apart
NOT_COUNTED = ("hint", "unclear")


def evidence_counts(st: StatusResult, e: Evidence) -> str:
    """Which of :data:`COUNTS` ``e`` is in ``st``: the deciding statement, a counted one, a
    hope or hint, a statement the news reader was too unsure of (shown, never counted), or
    background without a status (a premiere, a Top 10 run)."""
    if e is st.deciding:
        return "decides"
    if e.status is None:
        return "background"
    if any(e is c for c in st.verdict.context):
        return "hint" if e.hedged else "unclear"
    return "counted"


# The sources every answer reads, cited or not: the status (Wikipedia, news) and the forecast
# (Top 10, engagement reports); the others count when the answer cites them.
ANSWER_SOURCES = {"wikipedia", "news", "netflix-top10", "netflix-engagement"}


# ---------------------------------------------------------------------------- forecasts

ForecastFn = Callable[..., Any]


def forecast_function() -> ForecastFn | None:
    """``renewcast.forecast.forecast_season`` when the forecast module provides it."""
    for module in ("renewcast.forecast", "renewcast.forecast.model", "renewcast.forecast.api"):
        try:
            mod = importlib.import_module(module)
        except ImportError:
            continue
        fn = getattr(mod, "forecast_season", None)
        if callable(fn):
            return fn  # type: ignore[no-any-return]
    return None


def run_forecast(
    conn: Connection, series_id: int, season: int, as_of: date | None
) -> tuple[dict[str, Any] | None, str]:
    fn = forecast_function()
    if fn is None:
        return None, NO_ODDS
    try:
        fc = fn(conn, series_id, season, as_of)
    except Exception as e:  # the model's own errors (no data for a platform, ...) are reported
        return None, f"the forecast model has no odds for this series ({type(e).__name__}: {e})"
    if fc is None:
        return None, "the forecast model has no odds for this series"
    data = fc.to_json() if hasattr(fc, "to_json") else dict(fc)
    if data.get("p_renewal") is None:
        reason = data.get("reason") or "the forecast model gives no odds for this series"
        return data, str(reason).removeprefix("no odds: ").removeprefix("no odds for ")
    return data, ""


def with_data_gap(fc: dict[str, Any], fresh: list[SourceFreshness]) -> dict[str, Any]:
    """The forecast, told in one more plain line when its weekly update comes well after the
    newest data imported (:func:`~renewcast.store.freshness.data_gap`): the odds count that
    stretch as time without news of a decision, which is right only if nothing happened in it.
    The gap is also kept in the JSON (``data_gap``)."""
    cutoff = fc.get("cutoff")
    gap = data_gap(date.fromisoformat(str(cutoff)[:10]), fresh) if cutoff else None
    if gap is None:
        return fc
    return {
        **fc,
        "explanation": [gap.line(), *(fc.get("explanation") or [])],
        "data_gap": gap.to_json(),
    }


def model_label(fc: dict[str, Any]) -> str:
    """Where a forecast comes from, in words (the model's name and version stay in its JSON)."""
    model = fc.get("model")
    through = model.get("trained_through") if isinstance(model, dict) else None
    label = f"renewcast forecast from data known by {through}" if through else "renewcast forecast"
    note = fc.get("cutoff_note")
    return f"{label}, {note}" if note else label


def has_odds(fc: dict[str, Any] | None) -> TypeGuard[dict[str, Any]]:
    return fc is not None and fc.get("p_renewal") is not None


# ---------------------------------------------------------------------------- when


def _announced(conn: Connection, st: StatusResult, cutoff: datetime | None) -> list[WhenItem]:
    """Premiere dates, or when a list says the season is due, for the season asked about."""
    out = []
    for r in fact_rows(conn, st.series_id, cutoff, ("premiere", "due")):
        if r.season_number != st.season:
            continue
        value = json.loads(r.value)
        name, url = SOURCE_PAGES.get(r.source, (r.source, None))
        if r.attribute == "premiere":
            text = f"Season {st.season} premiere: {value}"
        else:
            day = fact_date(value)  # a day ("2025-06-05"), else the list's words ("late 2025")
            when = f"on {day.isoformat()}" if day else f"in {value}"
            text = f"Season {st.season} is due to premiere {when}."
        out.append(WhenItem(text, "announced", name, url, r.known_at))
    return out


def _forecast_when(
    fc: dict[str, Any], *, renewed: bool = False, window: bool = True
) -> list[WhenItem]:
    """The forecast's dates in words: when news of a decision is likely, and (``window``) the
    release window."""
    out: list[WhenItem] = []
    model = model_label(fc)
    dec = (fc.get("decision") or {}) if has_odds(fc) else {}
    if dec.get("p50"):
        extra = f" (9 in 10 by {dec['p90']})" if dec.get("p90") else ""
        out.append(
            WhenItem(
                f"News of a decision, if any comes, is likely by {dec['p50']}{extra}.",
                "forecast",
                model,
                None,
                None,
            )
        )
    rw = (fc.get("release_window") or {}) if window else {}
    if rw.get("p50"):
        lo, hi = rw.get("p10"), rw.get("p90")
        rng = f" (80% between {lo} and {hi})" if lo and hi else ""
        out.append(
            WhenItem(
                f"{'Release' if renewed else 'If it is made, release'} around {rw['p50']}{rng}.",
                "forecast",
                model,
                None,
                None,
            )
        )
    return out


# ---------------------------------------------------------------------------- compose


def compose(
    conn: Connection,
    series_id: int,
    season: int | None = None,
    *,
    as_of: date | None = None,
    with_forecast: bool = True,
) -> Answer:
    """Everything known at ``as_of`` about season ``season`` (default: the next one)."""
    with facts_read_once():  # the status, its background and the dates read the same facts
        return _compose(conn, series_id, season, as_of=as_of, with_forecast=with_forecast)


def _compose(
    conn: Connection,
    series_id: int,
    season: int | None,
    *,
    as_of: date | None,
    with_forecast: bool,
) -> Answer:
    cutoff = as_of_cutoff(as_of)
    st = resolve_status(conn, series_id, season, as_of=as_of)
    arts = series_articles(conn, series_id, st.title, cutoff)
    ans = Answer(series=st.title, series_id=series_id, season=st.season, as_of=as_of, status=st)
    ans.articles = arts
    ans.namesakes = series_namesakes(conn, series_id, as_of=as_of)
    ahead = st.verdict.question.kind == "next"  # a season still to come, not released/too far
    if ahead or st.status in ("cancelled", "ended", "limited"):
        ans.cast = cast_outlook(conn, st, arts, cutoff)
    if ahead and st.status not in ("cancelled", "ended", "limited"):
        # only for a season to come
        day = as_of or datetime.now().date()
        prev_out = st.dates.first_out(st.season - 1, day) if st.season > 1 else None
        ans.storylines = storylines(
            conn, series_id, st.title, arts, cutoff, season=st.season, prev_out=prev_out
        )
    used = {group_of(s["source"]) for s in ans.sources()} | ANSWER_SOURCES
    # in the order of freshness' sources: a set's order changes from one process to the next
    ordered = [name for name in LABELS if name in used]
    ans.data_as_of = [
        f for f in cached_freshness(conn, ordered, as_of=as_of) if f.data_date is not None
    ]
    if st.status in ("cancelled", "ended", "limited"):
        # no "what could happen" for a season that won't come: the status says why
        ans.forecast_note = f"no odds: the status is already decided ({st.status})"
        ans.when_note = f"No release date: there will be no season {st.season} ({st.status})."
        return ans
    if st.verdict.question.kind == "beyond":
        ans.forecast_note = "nothing to forecast for a season no source can have decided yet"
        ans.when_note = f"No date: {st.verdict.reason}."
        return ans
    if st.verdict.question.kind in ("released", "no-season"):
        ans.forecast_note = f"season {st.season} has already been released"
        ans.when = _announced(conn, st, cutoff)
        return ans
    if with_forecast:
        fc, note = run_forecast(conn, series_id, st.season, as_of)
        if st.status == "renewed" and has_odds(fc):
            # no odds beside a decision: a forecast that knows of the renewal says 100%, one made
            # at the latest weekly update before the report came in gives stale odds; its
            # release window if renewed is kept
            note = (
                ""  # the answer's "Yes: renewed" says it; the JSON's forecast keeps why
                if fc.get("status") == "renewed"
                else "it has been renewed since the latest weekly forecast was made"
            )
            fc = {**fc, "p_renewal": None, "explanation": [], "decision": None}
        if has_odds(fc):
            fc = with_data_gap(fc, ans.data_as_of)
        ans.forecast, ans.forecast_note = fc, note
        rw = (fc or {}).get("release_window") or {}
        ans.release_window = rw if any(rw.values()) else None
    if st.status == "renewed":
        ans.when = _announced(conn, st, cutoff)
        if not ans.when:
            ans.when_note = f"No date for season {st.season} has been announced yet."
    # a date or window the sources announce is the answer: no model's window beside it
    announced = bool(ans.when)
    if announced:
        ans.release_window = None
    if ans.forecast is not None:
        ans.when.extend(
            _forecast_when(ans.forecast, renewed=st.status == "renewed", window=not announced)
        )
    if st.status == "pending" and not any(w.kind == "forecast" for w in ans.when):
        ans.when_note = (
            f"Season {st.season} has to be confirmed before a date is set; "
            f"there is no forecast of the timing ({ans.forecast_note})."
        )
    return ans
