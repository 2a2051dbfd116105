"""When: the decision (time-to-event with censoring) and the next season's premiere window.

Decision timing is a log-normal fit (lifelines, maximum likelihood with right-censoring) of the days
from a season's premiere to the day its outcome became known — renewals and explicit ends are events;
open seasons and seasons only presumed over are censored at the cutoff. For a season still open at
age ``a``, the p10/p50/p90 dates are the quantiles of the fitted curve conditional on ``S(a)``; unlike
a Kaplan–Meier curve (which stops at the longest follow-up) the 90% date always exists. A season
with no sign of a next season is presumed over ``PRESUMED_DAYS`` after its premiere (labels.py), so
that is an event too, and no date is later than it. "Known" is when the store's sources showed it
(an upper bound on the real announcement).

The release window is a log-normal fit (lifelines, maximum likelihood with right-censoring) of the
premiere-to-premiere gaps of renewed seasons of the same list language (English / non-English; all
seasons when too few): a renewed season whose next season has not premiered by the cutoff is censored
at its age, so early cutoffs (when only short gaps had finished) do not make the window too early, and
the log-normal carries the tail past the longest gap followed. The window is conditional on the gap
being longer than the time already elapsed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from renewcast.forecast.labels import NOT_RENEWED, PRESUMED_DAYS, RENEWED, Outcome

MIN_GAPS = 25
MIN_TAIL = 10


@dataclass(frozen=True, slots=True)
class GapCurve:
    """A log-normal fit of premiere-to-next-premiere gaps (days), with right-censoring."""

    mu: float
    sigma: float
    n_events: int
    n_censored: int

    def s(self, day: float) -> float:
        from statistics import NormalDist

        if day <= 0:
            return 1.0
        return 1.0 - NormalDist().cdf((math.log(day) - self.mu) / self.sigma)

    def conditional_quantile(self, q: float, elapsed: int) -> int:
        """The gap by which a share ``q`` of gaps longer than ``elapsed`` have ended."""
        from statistics import NormalDist

        target = 1.0 - max(self.s(elapsed), 1e-9) * (1 - q)
        z = NormalDist().inv_cdf(min(max(target, 1e-9), 1 - 1e-9))
        return max(round(math.exp(self.mu + self.sigma * z)), elapsed + 1)


@dataclass(frozen=True, slots=True)
class DecisionTiming:
    """A log-normal fit (with right-censoring) of premiere → outcome-known days."""

    curve: GapCurve

    @property
    def n_events(self) -> int:
        return self.curve.n_events

    def quantiles(self, age_days: int, *, at: date, premiere: date) -> dict[str, date | None]:
        """p10/p50/p90 dates of the decision for a season still open at ``age_days`` (never
        missing: the parametric tail carries past the longest follow-up)."""
        elapsed = max(age_days, 0)
        cap = premiere + timedelta(days=PRESUMED_DAYS)
        out: dict[str, date | None] = {}
        for name, q in (("p10", 0.1), ("p50", 0.5), ("p90", 0.9)):
            day = premiere + timedelta(days=self.curve.conditional_quantile(q, elapsed))
            out[name] = max(min(day, cap), at)
        return out


def fit_decision_timing(outcomes: list[Outcome], cutoff: datetime) -> DecisionTiming | None:
    rows: list[tuple[int, bool]] = []
    for o in outcomes:
        start = o.unit.premiere
        if o.status in (RENEWED, NOT_RENEWED):
            assert o.known_at is not None
            rows.append((max((o.known_at.date() - start).days, 1), True))
        elif o.status == "open":
            rows.append((max((cutoff.date() - start).days, 1), False))
    curve = _lognormal(rows)
    return DecisionTiming(curve) if curve is not None else None


@dataclass(frozen=True, slots=True)
class ReleaseWindow:
    curves: dict[str, GapCurve]  # "english" | "non-english" | "all"

    def quantiles(self, english: bool, premiere: date, at: date) -> dict[str, date] | None:
        curve = self.curves.get("english" if english else "non-english")
        if curve is None or curve.n_events < MIN_GAPS:
            curve = self.curves.get("all")
        if curve is None or curve.n_events < MIN_TAIL:
            return None
        elapsed = max((at - premiere).days, 0)
        return {
            name: premiere + timedelta(days=curve.conditional_quantile(q, elapsed))
            for name, q in (("p10", 0.1), ("p50", 0.5), ("p90", 0.9))
        }


def fit_release_window(outcomes: list[Outcome], cutoff: datetime) -> ReleaseWindow:
    """Gaps of renewed seasons: the next premiere is the event; renewed seasons whose next season
    has not premiered by the cutoff are censored at their age (long gaps are not lost)."""
    groups: dict[str, list[tuple[int, bool]]] = {"english": [], "non-english": [], "all": []}
    for o in outcomes:
        if o.status != RENEWED:
            continue
        if o.next_premiere is not None and o.next_premiere <= cutoff.date():
            gap, event = (o.next_premiere - o.unit.premiere).days, True
        else:
            gap, event = (cutoff.date() - o.unit.premiere).days, False
        if gap <= 0:
            continue
        groups["english" if o.unit.english else "non-english"].append((gap, event))
        groups["all"].append((gap, event))
    curves = {k: c for k, v in groups.items() if (c := _lognormal(v)) is not None}
    return ReleaseWindow(curves)


def _lognormal(rows: list[tuple[int, bool]]) -> GapCurve | None:
    events = sum(1 for _, e in rows if e)
    if events < MIN_TAIL:
        return None
    from lifelines import LogNormalFitter

    f = LogNormalFitter().fit([g for g, _ in rows], event_observed=[e for _, e in rows])
    return GapCurve(float(f.mu_), float(f.sigma_), events, len(rows) - events)


def _quantile(sorted_values: list[int], q: float) -> int:
    """Linear-interpolated quantile of a sorted list, in whole days."""
    pos = q * (len(sorted_values) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    return round(sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo))
