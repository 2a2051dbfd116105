"""The evidence timeline chart of the series page: each dated statement about the season as a
point on a time axis, one lane per status it speaks for, coloured like the page's badges.

A plain Plotly JSON dict (drawn by the bundled plotly.min.js); the page lists the same evidence
below it. Undated evidence is never placed on the axis (it would look like "today"): the figure
says how many undated items the list holds instead.
"""

from __future__ import annotations

import textwrap
from datetime import date, timedelta
from html import escape
from typing import Any

from renewcast.answer.compose import COUNTS, NOT_COUNTED

#: the shortest stretch of time the axis shows: evidence all from one day or week is shown
#: in the last week of about two months
MIN_SPAN_DAYS = 60

LANES = ("renewed", "limited", "pending", "cancelled", "ended", "facts")
COLOURS = {
    "renewed": "#2e8b57",
    "limited": "#6c5ce7",
    "pending": "#d68910",
    "cancelled": "#c0392b",
    "ended": "#7f5539",
    "facts": "#6b6b70",
}


def timeline_figure(evidence: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The figure for an answer's ``status_evidence`` (None when nothing is dated)."""
    dated = [e for e in evidence if e.get("published") and not e.get("undated")]
    if not dated:
        return None
    traces = []
    lanes: list[str] = []  # the lanes drawn, in order
    for lane in LANES:
        items = [e for e in dated if (e.get("status") or "facts") == lane]
        if not items:
            continue
        lanes.append(lane)
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": "facts and context" if lane == "facts" else lane,
                "x": [e["published"] for e in items],
                "y": [lane] * len(items),
                "marker": {
                    "size": 12,
                    "color": COLOURS[lane],
                    # hopes, hints and statements too unsure to count: open circles
                    "symbol": ["circle-open" if _weak(e) else "circle" for e in items],
                },
                "text": [_hover(e) for e in items],
                "hovertemplate": "%{x}<br>%{text}<extra></extra>",
            }
        )
    undated = len(evidence) - len(dated)
    title = f"{undated} undated item(s) are in the list below" if undated else ""
    xaxis: dict[str, Any] = {"type": "date"}
    days = sorted(_day(str(e["published"])) for e in dated)
    if (days[-1] - days[0]).days < MIN_SPAN_DAYS:
        # left to itself the axis zooms in on a single day down to its milliseconds; the
        # stretch ends a week after the latest item, so it never reaches far past an as-of day
        hi = days[-1] + timedelta(days=7)
        lo = min(days[0] - timedelta(days=7), hi - timedelta(days=MIN_SPAN_DAYS))
        xaxis["range"] = [lo.isoformat(), hi.isoformat()]
    return {
        "data": traces,
        "layout": {
            "height": 120 + 40 * len(traces),
            "margin": {"l": 110, "r": 20, "t": 30 if title else 10, "b": 40},
            "title": {"text": title, "font": {"size": 12}},
            "xaxis": xaxis,
            "yaxis": {
                "type": "category",
                "categoryorder": "array",
                "categoryarray": lanes,
                # only the lanes drawn: autorange would add a neighbour lane's empty label
                "range": [-0.5, len(lanes) - 0.5],
            },
            "showlegend": False,
        },
    }


def _day(label: str) -> date:
    """A date label as the answer writes it: "2023-03-14", or "2023-03" when the page gave
    only the month (its first day; Plotly places it there too)."""
    if len(label) == 7:
        return date.fromisoformat(f"{label}-01")
    return date.fromisoformat(label[:10])


def _weak(e: dict[str, Any]) -> bool:
    return bool(e.get("hedged")) or e.get("counts") in NOT_COUNTED


def _hover(e: dict[str, Any]) -> str:
    claim = "<br>".join(escape(line) for line in textwrap.wrap(str(e.get("claim") or ""), 60)[:4])
    note = f" ({escape(COUNTS[e['counts']])})" if e.get("counts") in NOT_COUNTED else ""
    return f"{claim}<br><i>{escape(str(e.get('source') or ''))}</i>{note}"


def odds_figure(
    history: list[dict[str, Any]], data_gap: dict[str, Any] | None = None
) -> dict[str, Any] | None:
    """The odds of another season at each weekly forecast update (None with fewer than two).
    ``data_gap`` (the answer's forecast ``data_gap``): the updates after the newest data
    imported are marked, since they only count the time passing."""
    if len(history) < 2:
        return None
    shapes: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    newest = (data_gap or {}).get("newest")
    if newest and any(str(h["cutoff"]) > newest for h in history):
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": newest,
                "x1": max(str(h["cutoff"]) for h in history),
                "y0": 0,
                "y1": 1,
                "fillcolor": "#999",
                "opacity": 0.12,
                "line": {"width": 0},
            }
        )
        notes.append(
            {
                "x": newest,
                "y": 1,
                "xref": "x",
                "yref": "paper",
                "xanchor": "left",
                "yanchor": "top",
                "showarrow": False,
                "text": f"no new data after {newest}",
                "font": {"size": 11, "color": "#555"},
            }
        )
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": "chance of another season (forecast)",
                "x": [h["cutoff"] for h in history],
                "y": [h["p_renewal"] for h in history],
                "line": {"color": "#1f3a93", "width": 3, "shape": "hv"},
                "hovertemplate": "%{x}: %{y:.0%}<extra>forecast</extra>",
            }
        ],
        "layout": {
            "height": 260,
            "margin": {"l": 50, "r": 20, "t": 10, "b": 40},
            "xaxis": {"type": "date"},
            "yaxis": {"range": [0, 1], "tickformat": ".0%", "title": {"text": "odds"}},
            "showlegend": False,
            "shapes": shapes,
            "annotations": notes,
        },
    }
