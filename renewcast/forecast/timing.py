"""When: the decision (time-to-event with censoring) and the next season's premiere window.

Decision timing is a Kaplan–Meier fit (lifelines) of the days from a season's premiere to the day its
outcome became known — renewals and explicit ends are events; open seasons and seasons only presumed
over are censored at the cutoff. For a season still open at age ``a``, the p50/p90 dates are where the
survival curve conditional on ``S(a)`` falls to 50% / 10%. "Known" is when the store's sources showed it
(an upper bound on the real announcement).

The release window is the empirical distribution of premiere-to-premiere gaps of renewed seasons of
the same list language (English / non-English; all seasons when too few), truncated to gaps longer than
the time already elapsed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from renewcast.forecast.labels import NOT_RENEWED, RENEWED, Outcome

MIN_GAPS = 25
MIN_TAIL = 10


@dataclass(frozen=True, slots=True)
class DecisionTiming:
    times: tuple[float, ...]  # days since premiere, ascending
    survival: tuple[float, ...]  # S(t) at each time
    n_events: int

    def quantiles(self, age_days: int, *, at: date, premiere: date) -> dict[str, date | None]:
        """p10/p50/p90 dates of the decision for a season still open at ``age_days``."""
        s_a = 1.0
        for t, s in zip(self.times, self.survival, strict=True):
            if t <= age_days:
                s_a = s
        out: dict[str, date | None] = {}
        for name, frac in (("p10", 0.9), ("p50", 0.5), ("p90", 0.1)):
            target = s_a * frac
            day = next(
                (
                    t
                    for t, s in zip(self.times, self.survival, strict=True)
                    if t > age_days and s <= target
                ),
                None,
            )
            out[name] = max(premiere + timedelta(days=int(day)), at) if day is not None else None
        return out


def fit_decision_timing(outcomes: list[Outcome], cutoff: datetime) -> DecisionTiming | None:
    from lifelines import KaplanMeierFitter

    durations, events = [], []
    for o in outcomes:
        start = o.unit.premiere
        if o.status in (RENEWED, NOT_RENEWED) and o.rule != "presumed-no-next-season":
            assert o.known_at is not None
            durations.append(max((o.known_at.date() - start).days, 0))
            events.append(True)
        elif o.status in (RENEWED, NOT_RENEWED) or o.status == "open":
            durations.append(max((cutoff.date() - start).days, 0))
            events.append(False)
    if sum(events) < MIN_TAIL:
        return None
    kmf = KaplanMeierFitter()
    kmf.fit(durations, event_observed=events)
    sf = kmf.survival_function_
    times = tuple(float(t) for t in sf.index)
    surv = tuple(float(v) for v in sf.iloc[:, 0])
    return DecisionTiming(times, surv, int(sum(events)))


@dataclass(frozen=True, slots=True)
class ReleaseWindow:
    gaps: dict[str, tuple[int, ...]]  # "english" | "non-english" | "all" → sorted gaps in days

    def quantiles(self, english: bool, premiere: date, at: date) -> dict[str, date] | None:
        gaps = self.gaps.get("english" if english else "non-english", ())
        if len(gaps) < MIN_GAPS:
            gaps = self.gaps.get("all", ())
        if len(gaps) < MIN_TAIL:
            return None
        elapsed = (at - premiere).days
        tail = [g for g in gaps if g > elapsed]
        if len(tail) < MIN_TAIL:
            tail = sorted(max(g, elapsed + 30) for g in gaps[-MIN_TAIL:])
        return {
            name: premiere + timedelta(days=_quantile(tail, q))
            for name, q in (("p10", 0.1), ("p50", 0.5), ("p90", 0.9))
        }


def fit_release_window(outcomes: list[Outcome]) -> ReleaseWindow:
    groups: dict[str, list[int]] = {"english": [], "non-english": [], "all": []}
    for o in outcomes:
        if o.status != RENEWED or o.next_premiere is None:
            continue
        gap = (o.next_premiere - o.unit.premiere).days
        if gap <= 0:
            continue
        groups["english" if o.unit.english else "non-english"].append(gap)
        groups["all"].append(gap)
    return ReleaseWindow({k: tuple(sorted(v)) for k, v in groups.items()})


def _quantile(sorted_values: list[int], q: float) -> int:
    """Linear-interpolated quantile of a sorted list, in whole days."""
    pos = q * (len(sorted_values) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    return round(sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo))
