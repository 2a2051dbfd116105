"""The Top 10 run chart: rank and hours by week of a season, against comparable seasons.

Comparable seasons are the ones the forecast's labeller (``renewcast.forecast``) had already
decided by the same date — renewed or not renewed — from the same Top 10 list (English or
non-English), premiered closest in time before the season shown. Everything is read as known at
``as_of``; a season decided later never appears as a comparable.
The figure is a plain Plotly JSON dict (no plotly import on the server); the page draws it with the
bundled ``plotly.min.js`` and shows the same numbers in a table for readers without JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, select

from renewcast.store.db import as_of_cutoff
from renewcast.store.schema import chart_entries, series

N_COMPARABLES = 4
COLOURS = {"this": "#1f3a93", "renewed": "#2e8b57", "not_renewed": "#c0392b"}


@dataclass(slots=True)
class Run:
    series_id: int
    title: str
    season: int | None
    group: str  # this | renewed | not_renewed
    weeks: list[date] = field(default_factory=list)
    ranks: list[int] = field(default_factory=list)
    hours: list[float | None] = field(default_factory=list)
    category: str | None = None

    @property
    def label(self) -> str:
        s = f" S{self.season}" if self.season else ""
        return f"{self.title}{s}"

    def to_json(self) -> dict[str, Any]:
        return {
            "series_id": self.series_id,
            "series": self.title,
            "season": self.season,
            "group": self.group,
            "category": self.category,
            "weeks": [w.isoformat() for w in self.weeks],
            "ranks": self.ranks,
            "hours": self.hours,
        }


@dataclass(slots=True)
class RunChart:
    season: int | None
    runs: list[Run]
    note: str = ""

    @property
    def this(self) -> Run | None:
        return next((r for r in self.runs if r.group == "this"), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "season": self.season,
            "runs": [r.to_json() for r in self.runs],
            "note": self.note or None,
            "figure": self.figure(),
        }

    def figure(self) -> dict[str, Any]:
        """Two panels sharing the x axis (weeks since the first Top 10 week): rank and hours."""
        traces: list[dict[str, Any]] = []
        shown: set[str] = set()
        for run in sorted(self.runs, key=lambda r: r.group == "this"):
            x = list(range(1, len(run.weeks) + 1))
            main = run.group == "this"
            style = {
                "color": COLOURS[run.group],
                "width": 4 if main else 1.5,
                "dash": "solid" if main or run.group == "renewed" else "dot",
            }
            legend = {
                "this": run.label,
                "renewed": "comparable, renewed",
                "not_renewed": "comparable, not renewed",
            }[run.group]
            show = main or run.group not in shown
            shown.add(run.group)
            text = [f"{run.label}: week to {w.isoformat()}" for w in run.weeks]
            common = {
                "type": "scatter",
                "mode": "lines+markers",
                "x": x,
                "text": text,
                "line": style,
                "legendgroup": run.group if not main else "this",
                "opacity": 1.0 if main else 0.7,
            }
            traces.append(
                {**common, "y": run.ranks, "name": legend, "showlegend": show, "yaxis": "y"}
            )
            traces.append(
                {
                    **common,
                    "y": [round(h / 1e6, 2) if h is not None else None for h in run.hours],
                    "name": legend,
                    "showlegend": False,
                    "xaxis": "x2",
                    "yaxis": "y2",
                }
            )
        return {
            "data": traces,
            "layout": {
                "height": 460,
                "margin": {"l": 60, "r": 20, "t": 30, "b": 40},
                "grid": {"rows": 2, "columns": 1, "pattern": "independent"},
                "xaxis": {"title": {"text": ""}, "dtick": 1, "matches": "x2"},
                "xaxis2": {"title": {"text": "week in the global Top 10"}, "dtick": 1},
                "yaxis": {"title": {"text": "rank"}, "autorange": "reversed", "dtick": 1},
                "yaxis2": {"title": {"text": "hours (M)"}, "rangemode": "tozero"},
                "legend": {"orientation": "h", "y": 1.12},
            },
        }


def _runs(conn: Connection, keys: list[tuple[int, int | None]], cutoff: datetime | None) -> dict:
    """Weekly global Top 10 rows of (series, season) pairs; season None = every season."""
    out: dict[tuple[int, int | None], list[Any]] = {}
    ids = sorted({k[0] for k in keys})
    if not ids:
        return out
    q = (
        select(
            chart_entries.c.series_id,
            chart_entries.c.season_number,
            chart_entries.c.week,
            chart_entries.c.rank,
            chart_entries.c.hours,
            chart_entries.c.category,
            chart_entries.c.list,
        )
        .where(chart_entries.c.series_id.in_(ids))
        .order_by(chart_entries.c.week, chart_entries.c.rank)
    )
    if cutoff is not None:
        q = q.where(chart_entries.c.known_at <= cutoff)
    wanted = set(keys)
    for r in conn.execute(q):
        if r.list != "global":  # filtered here: in the query SQLite would scan every global week
            continue
        for key in ((r.series_id, r.season_number), (r.series_id, None)):
            if key in wanted:
                out.setdefault(key, []).append(r)
    return out


def _fill(run: Run, rows: list[Any]) -> Run:
    seen: set[date] = set()
    for r in rows:
        if r.week in seen:  # one row a week (the best rank if a title charted twice)
            continue
        seen.add(r.week)
        run.weeks.append(r.week)
        run.ranks.append(int(r.rank))
        run.hours.append(float(r.hours) if r.hours is not None else None)
        run.category = run.category or r.category
    return run


def _title(conn: Connection, series_id: int) -> str:
    row = conn.execute(select(series.c.title).where(series.c.id == series_id)).first()
    return str(row[0]) if row else str(series_id)


@dataclass(frozen=True, slots=True)
class Decided:
    """A season the forecast's labeller had decided by the cutoff."""

    series_id: int
    season: int
    english: bool
    first_week: date
    group: str  # renewed | not_renewed


def decided_seasons(conn: Connection, as_of: date | None) -> tuple[list[Decided], str]:
    """Seasons decided (renewed / not renewed) by the end of ``as_of``, by the forecast's rules.

    Returns the seasons and, when there are none, why.
    """
    try:
        from renewcast.forecast.data import load_view
        from renewcast.forecast.labels import NOT_RENEWED, RENEWED, label_units
    except ImportError:
        return [], "No comparable seasons: the forecast module is not installed."
    day = as_of or datetime.now(UTC).date()
    try:
        outcomes = label_units(load_view(conn, as_of_cutoff(day)))
    except Exception as e:  # the labeller's own errors leave the chart without comparables
        return [], f"No comparable seasons: the forecast labeller failed ({type(e).__name__})."
    groups = {RENEWED: "renewed", NOT_RENEWED: "not_renewed"}
    out = [
        Decided(
            o.unit.series_id, o.unit.season, o.unit.english, o.unit.first_week, groups[o.status]
        )
        for o in outcomes
        if o.status in groups
    ]
    return out, ""


def run_chart(
    conn: Connection,
    series_id: int,
    asked_season: int,
    as_of: date | None,
    decided: tuple[list[Decided], str] | None = None,
) -> RunChart:
    """The run of the season before ``asked_season`` (the one its renewal depends on).

    ``decided`` is :func:`decided_seasons` for the same date, when the caller has it cached.
    """
    cutoff = as_of_cutoff(as_of)
    season = max(asked_season - 1, 1)
    rows = _runs(conn, [(series_id, season), (series_id, None)], cutoff)
    own = rows.get((series_id, season)) or []
    shown_season: int | None = season
    if not own:  # titles without a season number ("X: Limited Series", films of a series)
        own, shown_season = rows.get((series_id, None)) or [], None
    this = _fill(Run(series_id, _title(conn, series_id), shown_season, "this"), own)
    chart = RunChart(shown_season, [this] if this.weeks else [])
    if not this.weeks:
        chart.note = "This series has no weeks in Netflix's global Top 10 as of this date."
        return chart
    pool, why = decided if decided is not None else decided_seasons(conn, as_of)
    picked, chart.note = comparables(series_id, this, pool)
    if not pool and why:
        chart.note = why
    if picked:
        got = _runs(conn, [(sid, s) for sid, s, _ in picked], cutoff)
        for sid, s, group in picked:
            run = _fill(Run(sid, _title(conn, sid), s, group), got.get((sid, s), []))
            if run.weeks:
                chart.runs.append(run)
    return chart


def comparables(
    series_id: int, this: Run, pool: list[Decided]
) -> tuple[list[tuple[int, int, str]], str]:
    """Up to N renewed and N not-renewed seasons from the same list that charted most recently
    before this one."""
    english = not (this.category or "").lower().endswith("(non-english)")
    start = this.weeks[0]
    near: dict[str, list[tuple[int, int, int]]] = {"renewed": [], "not_renewed": []}
    for d in pool:
        if d.series_id == series_id or d.english != english or d.first_week > start:
            continue
        near[d.group].append(((start - d.first_week).days, d.series_id, d.season))
    picked: list[tuple[int, int, str]] = []
    for group in ("renewed", "not_renewed"):
        for _, sid, s in sorted(near[group])[:N_COMPARABLES]:
            picked.append((sid, s, group))
    lang = "English" if english else "non-English"
    if not picked:
        return [], f"No {lang} season had been decided by this date to compare with."
    return picked, (
        f"Compared with the {lang} seasons decided by this date (renewed or not) that charted "
        "most recently before this one."
    )
