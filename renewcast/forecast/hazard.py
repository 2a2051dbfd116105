"""The base rate with censoring: competing risks (renewal vs end) over every season's follow-up.

At a cutoff most seasons are still open, and the decided ones are a biased sample: renewals become
known within months (a trailer, the next season in the Top 10), ends often only years later (the
ended list, the two-year presumption). Counting decided seasons therefore overstates renewals early
on. Instead, every season contributes its follow-up: from the age it entered the data (its first Top
10 week) to the age its outcome became known (an event: renewed or ended) or to the cutoff
(censored). The Aalen–Johansen estimator gives the cumulative incidence of each outcome by age,
``CIF_R(t)``, ``CIF_E(t)``, and the share still undecided, ``S(t)``.

Beyond the last age with enough seasons at risk (``tau``) nothing is observed. The labels settle
what happens there: a season with no sign of a next season ``PRESUMED_DAYS`` after its premiere is
not renewed. So the share still undecided at ``tau``, ``S(tau)``, is renewed only if a renewal comes
between ``tau`` and the presumption; its chance is the renewal rate observed over the last
``LATE_WINDOW`` days of follow-up (renewals per season-day at risk, ``lambda``) carried on to the
presumption::

    late = 1 - exp(-lambda * (PRESUMED_DAYS - tau))
    P(renewed | open at a) = (CIF_R(tau) - CIF_R(a) + late * S(tau)) / S(a)

(round 3 split ``S(tau)`` 50/50, which was optimistic at early cutoffs: seasons still undecided after
a year turned out mostly not renewed, and the renewal rate at those ages already said so). With no
season-days at risk in the window the split stays 50/50 (a Beta(1, 1) prior). The summary says how
many seasons and events it rests on.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from renewcast.forecast.labels import NOT_RENEWED, OPEN, PRESUMED_DAYS, RENEWED, Outcome

#: the fewest seasons at risk for an age to count as observed
MIN_AT_RISK = 10
#: Beta(a, b) prior on the renewal share of what is still undecided beyond the observed ages, used
#: only when nothing was at risk in the late window
PRIOR = (1.0, 1.0)
#: the last days of follow-up (ages up to ``tau``) whose renewal rate is carried to the presumption
LATE_WINDOW = 180


@dataclass(frozen=True, slots=True)
class CompetingRisks:
    times: tuple[int, ...]  # event ages (days since premiere), ascending
    cif_renewed: tuple[float, ...]  # CIF_R just after each time
    survival: tuple[float, ...]  # S just after each time
    tau: int  # the age by which only MIN_AT_RISK seasons were still followed
    n_seasons: int
    n_renewed: int  # renewal events
    n_ended: int  # end events
    n_open: int  # censored at the cutoff
    late_rate: float | None = None  # renewals per season-day at risk over the late window
    #: Nelson–Aalen increments of each cause at each time (renewals / at risk, ends / at risk)
    d_renewed: tuple[float, ...] = ()
    d_ended: tuple[float, ...] = ()

    def late_share(self, age: int) -> float:
        """P(a renewal comes before the presumption | still undecided at ``age`` ≥ tau)."""
        if self.late_rate is None:
            return PRIOR[0] / (PRIOR[0] + PRIOR[1])
        return 1.0 - math.exp(-self.late_rate * max(PRESUMED_DAYS - age, 0))

    def _at(self, age: int) -> tuple[float, float]:
        i = bisect_right(self.times, age)
        if i == 0:
            return 0.0, 1.0
        return self.cif_renewed[i - 1], self.survival[i - 1]

    @property
    def undecided_share(self) -> float:
        """S(tau): the share of seasons whose outcome was not yet observed at the last observed age."""
        return self._at(self.tau)[1]

    def p_renewed(self, age: int) -> float:
        """P(next season ordered) for a season still open at ``age`` days."""
        if age >= self.tau:
            return min(max(self.late_share(age), 1e-4), 1 - 1e-4)
        cif_a, s_a = self._at(age)
        cif_t, s_t = self._at(self.tau)
        if s_a <= 0:
            return min(max(self.late_share(self.tau), 1e-4), 1 - 1e-4)
        p = (cif_t - cif_a + self.late_share(self.tau) * s_t) / s_a
        return min(max(p, 1e-4), 1 - 1e-4)

    def p_renewed_hr(self, age: int, hr: float, horizon: int | None = None) -> float:
        """P(renewed | open at ``age``) for a season whose renewal hazard is ``hr`` times the
        pooled one at every age (the end hazard unchanged); with ``horizon``, P(renewed within
        ``horizon`` days). ``hr`` = 1 gives ``p_renewed`` (without a horizon)."""
        return float(self.p_renewed_hrs(age, [hr], horizon)[0])

    def p_renewed_hrs(self, age: int, hrs: Any, horizon: int | None = None) -> Any:
        """``p_renewed_hr`` for several hazard ratios at once (a numpy array, same order)."""
        import numpy as np

        hr = np.asarray(hrs, dtype=float)[:, None]
        stop = PRESUMED_DAYS if horizon is None else min(age + horizon, PRESUMED_DAYS)
        i = bisect_right(self.times, age)
        j = bisect_right(self.times, min(stop, self.tau))
        inc = np.zeros(len(hr))
        s_z = np.ones(len(hr))
        if j > i:
            d_r = np.asarray(self.d_renewed[i:j])[None, :]
            keep = np.clip(1.0 - hr * d_r - np.asarray(self.d_ended[i:j])[None, :], 0.0, None)
            run = np.cumprod(keep, axis=1)
            before = np.hstack([np.ones((len(hr), 1)), run[:, :-1]])
            inc = np.sum(before * hr * d_r, axis=1)
            s_z = run[:, -1]
        rest = stop - max(age, self.tau)
        if rest > 0:
            if self.late_rate is None:
                late = np.full(len(hr), PRIOR[0] / (PRIOR[0] + PRIOR[1]))
                if horizon is not None:
                    late *= rest / max(PRESUMED_DAYS - max(age, self.tau), 1)
            else:
                late = 1.0 - np.exp(-hr[:, 0] * self.late_rate * rest)
            inc = inc + s_z * late
        return np.clip(inc, 1e-4, 1 - 1e-4)


def fit_competing_risks(outcomes: list[Outcome], cutoff: datetime) -> CompetingRisks | None:
    """Aalen–Johansen on (entry age, exit age, outcome) of every non-limited season; None if empty."""
    subjects: list[tuple[int, int, str]] = []
    for o in outcomes:
        if o.status not in (RENEWED, NOT_RENEWED, OPEN):
            continue
        entry = max((o.unit.first_known.date() - o.unit.premiere).days, 0)
        if o.status == OPEN or o.known_at is None:
            end, kind = (cutoff.date() - o.unit.premiere).days, OPEN
        else:
            end, kind = (o.known_at.date() - o.unit.premiere).days, o.status
        subjects.append((entry, max(end, entry), kind))
    if not subjects:
        return None
    exits = sorted((end for _, end, _ in subjects), reverse=True)
    tau = exits[MIN_AT_RISK - 1] if len(exits) >= MIN_AT_RISK else 0
    events = sorted({end for _, end, kind in subjects if kind != OPEN and end <= tau})
    entries = sorted(entry for entry, _, _ in subjects)
    ends = sorted(end for _, end, _ in subjects)
    out_at = Counter((end, kind) for _, end, kind in subjects)
    times, cifs, survs, d_rs, d_es = [], [], [], [], []
    s, cif = 1.0, 0.0
    for t in events:
        # entry < t <= end; every subject has entry <= end, so those ending before t entered too
        at_risk = bisect_left(entries, t) - bisect_left(ends, t)
        if at_risk == 0:
            continue
        d_r, d_e = out_at[(t, RENEWED)], out_at[(t, NOT_RENEWED)]
        cif += s * d_r / at_risk
        s *= 1 - (d_r + d_e) / at_risk
        times.append(t)
        cifs.append(cif)
        survs.append(s)
        d_rs.append(d_r / at_risk)
        d_es.append(d_e / at_risk)
    return CompetingRisks(
        tuple(times),
        tuple(cifs),
        tuple(survs),
        tau,
        len(subjects),
        sum(1 for *_, k in subjects if k == RENEWED),
        sum(1 for *_, k in subjects if k == NOT_RENEWED),
        sum(1 for *_, k in subjects if k == OPEN),
        _late_rate(subjects, tau),
        tuple(d_rs),
        tuple(d_es),
    )


def _late_rate(subjects: list[tuple[int, int, str]], tau: int) -> float | None:
    """Renewals per season-day at risk over ages (tau − LATE_WINDOW, tau]; None if none at risk."""
    lo = tau - LATE_WINDOW
    days = sum(max(min(end, tau) - max(entry, lo), 0) for entry, end, _ in subjects)
    renewals = sum(1 for _, end, kind in subjects if kind == RENEWED and lo < end <= tau)
    return renewals / days if days > 0 else None
