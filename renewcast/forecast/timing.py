"""When: the decision (time-to-event with censoring) and the next season's premiere window.

Decision timing is a log-normal fit (maximum likelihood with right-censoring) of the days from a
season's premiere to the day a decision about it was announced. Announced renewals and announced
ends are events; open seasons are censored at the cutoff, and seasons only *presumed* over (no sign
of a next season ``PRESUMED_DAYS`` after the premiere) are censored at that age (nothing was
announced). A season with no announcement by the presumption counts as not renewed then, so the
dates are those of an announcement *conditional on none by the as-of age* ``a`` *and on one coming
before the presumption*: ``P(T ≤ t | a < T ≤ cap)`` (log-survival arithmetic, so even a long-open
season gets distinct dates). p10 ≤ p50 < p90, all after the as-of date and by the presumption date;
the chance an announcement comes at all before the presumption, ``1 − S(cap)/S(a)``, is reported
beside them. "Known" is when the store's sources showed it (an upper bound on the real
announcement).

The release window is a fit (maximum likelihood with right-censoring) of the premiere-to-premiere
gaps of renewed seasons of the same list language (English / non-English; all seasons when too few):
a renewed season whose next season has not premiered by the cutoff is censored at its age, so early
cutoffs (when only short gaps had finished) do not make the window too early, and the fitted curve
carries the tail past the longest gap followed. The curve is a log-normal or a Weibull, whichever makes
the gaps known at the cutoff likelier: log gaps lean left (a tail of seasons back within weeks — parts
and batches — and few very late ones), which a Weibull follows and a log-normal answers with a wide,
symmetric spread that pushes windows late once time has passed. When a show's kind (reality,
docuseries, animation, scripted — from its genres, as known at the cutoff) is known, the curve's two
parameters are shrunk toward that kind's own fit by ``n / (n + KIND_PRIOR_EVENTS)`` for ``n`` finished
gaps of the kind. The window is conditional on the gap being longer than the time already elapsed,
and (it is fit on renewed seasons) on a renewal; for a season still awaiting its decision its p50
and p90 are moved to the decision's p50 when earlier (``FittedModel.dates``): a season cannot
premiere before it is ordered. (Treating the premiere as the later of the gap and an independent
decision day was tried and not kept: 151 d p50 error and 73% inside p10–p90, against 115 d and
87% — in this data a renewal is often "known" only when the next season appears.)

A season whose show already has a cadence — the gaps between consecutive seasons that were units
(new seasons seen in the Top 10), as known at the cutoff — gets a window centred on that cadence,
shrunk toward the peer curve by how much evidence there is: with ``n`` previous gaps, the log-median
is ``w·mean(log previous gaps) + (1 − w)·log(peer median)`` with ``w = n / (n +
CADENCE_PRIOR_GAPS)`` (one previous gap weighs as much as the peer curve). Its spread is a censored
fit (Student t with 3 degrees of freedom on log days, robust to the odd show that breaks its rhythm)
of the renewed seasons with a cadence — finished gaps are events, renewed seasons still waiting are
censored at their age — with a prior pulling the scale toward the peer curve's (its standard
deviation of log gaps) when few gaps have finished. The centre itself is not fitted: at early
cutoffs the finished gaps are the short ones, and a fitted offset pushed windows late.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from renewcast.forecast.labels import (
    NOT_RENEWED,
    PRESUMED_DAYS,
    PRESUMED_RULE,
    RENEWED,
    Outcome,
    Unit,
)

#: the rule of seasons only presumed over (labels.py): no decision was announced

MIN_GAPS = 25
MIN_TAIL = 10
#: how many previous gaps weigh as much as the peer curve in a show's cadence
CADENCE_PRIOR_GAPS = 1.0
#: the fewest seasons with a cadence (finished or waiting) for a cadence fit
MIN_CADENCE = 5
#: degrees of freedom of the Student t on log days used for cadence windows
CADENCE_DF = 3
#: prior standard deviation of the log scale of a cadence fit around the peer curve's
CADENCE_SCALE_PRIOR = 0.3
LOGNORMAL = "lognormal"
WEIBULL = "weibull"
#: families the peer gap curve may take; each cutoff keeps the one with the higher censored
#: likelihood (both have two parameters)
PEER_FAMILIES = (LOGNORMAL, WEIBULL)
#: how many finished gaps of a kind (reality, docuseries, animation, scripted) weigh as much as
#: the language peer curve it is shrunk toward
KIND_PRIOR_EVENTS = 10.0
#: the fewest finished gaps for a kind's own fit
MIN_KIND_EVENTS = 5


@dataclass(frozen=True, slots=True)
class GapCurve:
    """A fit of gaps in days, with right-censoring: log-normal (``log gap = mu + sigma·Z``, Z
    standard normal) or Weibull (``log gap = mu + sigma·G``, G the standard minimum-Gumbel, whose
    log days lean left: a long left tail of quick returns, a short right one)."""

    mu: float
    sigma: float
    n_events: int
    n_censored: int
    family: str = LOGNORMAL

    @property
    def median_days(self) -> int:
        return round(math.exp(self.log_median))

    @property
    def log_median(self) -> float:
        """The log of the median gap (where a show's cadence is shrunk toward)."""
        return self.mu + self.sigma * self._z(0.5)

    @property
    def log_sd(self) -> float:
        """The standard deviation of the log gap."""
        return self.sigma * math.pi / math.sqrt(6) if self.family == WEIBULL else self.sigma

    def s(self, day: float) -> float:
        from statistics import NormalDist

        if day <= 0:
            return 1.0
        z = (math.log(day) - self.mu) / self.sigma
        if self.family == WEIBULL:
            return math.exp(-math.exp(min(z, 50.0)))
        return 1.0 - NormalDist().cdf(z)

    def _z(self, p: float) -> float:
        """The standardised log gap below which a share ``p`` of gaps fall."""
        from statistics import NormalDist

        p = min(max(p, 1e-12), 1 - 1e-12)
        if self.family == WEIBULL:
            return math.log(-math.log1p(-p))
        return NormalDist().inv_cdf(p)

    def conditional_quantile(self, q: float, elapsed: int) -> int:
        """The gap by which a share ``q`` of gaps longer than ``elapsed`` have ended (computed on
        the log scale of the survival, so it stays exact far into the tail)."""
        return max(round(math.exp(self.conditional_log_quantile(q, elapsed))), elapsed + 1)

    def conditional_log_quantile(self, q: float, elapsed: int) -> float:
        """log days at which ``S(t) = (1 - q)·S(elapsed)``."""
        q = min(max(q, 1e-9), 1 - 1e-9)
        za = (math.log(elapsed) - self.mu) / self.sigma if elapsed > 0 else -math.inf
        if self.family == WEIBULL:
            # S = exp(-exp(z)): exp(z_t) = exp(z_a) - log(1 - q)
            ea = math.exp(min(za, 50.0)) if za > -math.inf else 0.0
            return self.mu + self.sigma * math.log(ea - math.log1p(-q))
        from scipy.special import log_ndtr, ndtri_exp

        log_sa = float(log_ndtr(-za)) if za > -math.inf else 0.0
        return self.mu - self.sigma * float(ndtri_exp(log_sa + math.log1p(-q)))


@dataclass(frozen=True, slots=True)
class DecisionTiming:
    """A log-normal fit (with right-censoring) of premiere → announced-decision days; dates are
    those of an announcement before the presumption (``PRESUMED_DAYS``), when one comes."""

    curve: GapCurve

    @property
    def n_events(self) -> int:
        return self.curve.n_events

    def announced_share(self, age_days: int) -> float:
        """P(a decision is announced before the presumption | none by ``age_days``)."""
        a = max(age_days, 0)
        return (
            1.0 - self.curve.s(PRESUMED_DAYS) / max(self.curve.s(a), 1e-300)
            if a < PRESUMED_DAYS
            else 0.0
        )

    def _day(self, q: float, elapsed: int) -> float:
        """Days after the premiere by which a share ``q`` of the announcements that come between
        ``elapsed`` and the presumption have come (log-survival arithmetic: exact in the tail)."""
        from scipy.special import log_ndtr, ndtri_exp

        c = self.curve
        za = (math.log(elapsed) - c.mu) / c.sigma if elapsed > 0 else -math.inf
        zc = (math.log(PRESUMED_DAYS) - c.mu) / c.sigma
        log_sa = float(log_ndtr(-za)) if za > -math.inf else 0.0
        ratio = math.exp(min(float(log_ndtr(-zc)) - log_sa, 0.0))  # S(cap) / S(a)
        log_st = log_sa + math.log1p(-q * (1.0 - ratio))
        return math.exp(c.mu - c.sigma * float(ndtri_exp(log_st)))

    def quantiles(self, age_days: int, *, at: date, premiere: date) -> dict[str, date | None]:
        """p10/p50/p90 dates of the announcement for a season with no decision by ``at``
        (``age_days`` after its premiere), conditional on one coming before the presumption:
        p10 ≤ p50 < p90, all after ``at`` and by the presumption date."""
        elapsed = max(age_days, 0)
        first = max(premiere + timedelta(days=elapsed), at) + timedelta(days=1)
        cap = premiere + timedelta(days=PRESUMED_DAYS)
        out: dict[str, date | None] = {}
        prev: date | None = None
        for name, q in (("p10", 0.1), ("p50", 0.5), ("p90", 0.9)):
            day = premiere + timedelta(days=math.floor(self._day(q, elapsed)))
            day = min(max(day, first), cap)
            if name == "p90" and prev is not None and day <= prev:
                day = prev + timedelta(days=1)
            out[name] = prev = day
        return out


def fit_decision_timing(outcomes: list[Outcome], cutoff: datetime) -> DecisionTiming | None:
    """Announced decisions are events; open seasons are censored at the cutoff, seasons presumed
    over (nothing announced by the presumption) at the presumption."""
    rows: list[tuple[int, bool]] = []
    for o in outcomes:
        start = o.unit.premiere
        if o.status in (RENEWED, NOT_RENEWED):
            assert o.known_at is not None
            days = max((o.known_at.date() - start).days, 1)
            rows.append((days, o.rule != PRESUMED_RULE))
        elif o.status == "open":
            rows.append((max((cutoff.date() - start).days, 1), False))
    curve = _lognormal(rows)
    return DecisionTiming(curve) if curve is not None else None


@dataclass(frozen=True, slots=True)
class Cadence:
    """A show's rhythm before a season: the gaps between its consecutive unit seasons."""

    log_mean: float  # mean of log(previous gaps in days)
    n_gaps: int

    @property
    def days(self) -> int:
        return round(math.exp(self.log_mean))

    @property
    def weight(self) -> float:
        """How much the window leans on the show's own cadence rather than on its peers."""
        return self.n_gaps / (self.n_gaps + CADENCE_PRIOR_GAPS)


@dataclass(frozen=True, slots=True)
class CadenceFit:
    """The spread (t scale on log days) of gaps around the shrunk cadence, censored MLE."""

    scale: float
    n_events: int
    n_censored: int

    def conditional_quantile(self, mu: float, q: float, elapsed: int) -> int:
        # scipy.stats.t(df, mu, scale).sf / .ppf, through the special functions they call (a
        # frozen distribution costs ~1 ms to build)
        from scipy.special import stdtr, stdtrit

        survive = (
            float(stdtr(CADENCE_DF, -(math.log(elapsed) - mu) / self.scale)) if elapsed > 0 else 1.0
        )
        target = 1.0 - max(survive, 1e-9) * (1 - q)
        z = mu + self.scale * float(stdtrit(CADENCE_DF, min(max(target, 1e-9), 1 - 1e-9)))
        return max(round(math.exp(z)), elapsed + 1)


@dataclass(frozen=True, slots=True)
class ReleaseWindow:
    curves: dict[str, GapCurve]  # "english" | "non-english" | "all"
    cadences: dict[tuple[str, int], Cadence] = field(default_factory=dict)
    cadence_fit: CadenceFit | None = None
    kinds: dict[str, str] = field(default_factory=dict)  # show key -> kind known at the cutoff
    kind_fits: dict[tuple[str, str], GapCurve] = field(default_factory=dict)  # (kind, family)

    def peer_group(self, english: bool) -> str | None:
        """Which peer curve a season uses: its list language's, or all seasons' when too few."""
        group = "english" if english else "non-english"
        curve = self.curves.get(group)
        if curve is None or curve.n_events < MIN_GAPS:
            group, curve = "all", self.curves.get("all")
        if curve is None or curve.n_events < MIN_TAIL:
            return None
        return group

    def peer(self, english: bool) -> GapCurve | None:
        group = self.peer_group(english)
        return self.curves[group] if group else None

    def kind_peer(self, unit: Unit) -> tuple[GapCurve, str, float] | None:
        """The kind's own gaps when the show's kind is known: (its fit in the family of the
        language curve, the kind, the weight it gets against that curve)."""
        curve, kind = self.peer(unit.english), self.kinds.get(unit.key)
        if curve is None or kind is None:
            return None
        fit = self.kind_fits.get((kind, curve.family))
        if fit is None:
            return None
        return fit, kind, fit.n_events / (fit.n_events + KIND_PRIOR_EVENTS)

    def peer_curve(self, unit: Unit) -> GapCurve | None:
        """The language peer curve, shrunk toward the show's kind when that is known."""
        curve = self.peer(unit.english)
        kp = self.kind_peer(unit)
        if curve is None or kp is None:
            return curve
        fit, _, w = kp
        return replace(
            curve, mu=w * fit.mu + (1 - w) * curve.mu, sigma=w * fit.sigma + (1 - w) * curve.sigma
        )

    def cadence(self, unit: Unit) -> Cadence | None:
        """The show's cadence before ``unit`` when the window uses it."""
        if self.cadence_fit is None:
            return None
        return self.cadences.get((unit.key, unit.season))

    def quantiles(self, unit: Unit, at: date) -> dict[str, date] | None:
        """p10/p50/p90 of the next premiere, conditional on the gap exceeding the time elapsed."""
        curve = self.peer(unit.english)
        if curve is None:
            return None
        elapsed = max((at - unit.premiere).days, 0)
        cad = self.cadence(unit)
        fit = self.cadence_fit
        qs = (("p10", 0.1), ("p50", 0.5), ("p90", 0.9))
        if cad is None or fit is None:
            curve = self.peer_curve(unit) or curve
            return {
                name: unit.premiere + timedelta(days=curve.conditional_quantile(q, elapsed))
                for name, q in qs
            }
        mu = _shrunk(cad, curve)
        return {
            name: unit.premiere + timedelta(days=fit.conditional_quantile(mu, q, elapsed))
            for name, q in qs
        }


def _shrunk(cad: Cadence, peer: GapCurve) -> float:
    return cad.weight * cad.log_mean + (1 - cad.weight) * peer.log_median


def show_cadences(units: list[Unit]) -> dict[tuple[str, int], Cadence]:
    """(show key, season) → the cadence of the show's earlier unit seasons (consecutive pairs)."""
    by_show: dict[str, dict[int, date]] = {}
    for u in units:
        by_show.setdefault(u.key, {})[u.season] = u.premiere
    out: dict[tuple[str, int], Cadence] = {}
    for key, seasons in by_show.items():
        for n in seasons:
            logs = [
                math.log(gap)
                for m in seasons
                if m <= n and m - 1 in seasons and (gap := (seasons[m] - seasons[m - 1]).days) > 0
            ]
            if logs:
                out[(key, n)] = Cadence(sum(logs) / len(logs), len(logs))
    return out


def _gap_at(o: Outcome, cutoff: datetime) -> tuple[int, bool]:
    """A renewed season's gap: finished (event) or still waiting at the cutoff (censored)."""
    if o.next_premiere is not None and o.next_premiere <= cutoff.date():
        return (o.next_premiere - o.unit.premiere).days, True
    return (cutoff.date() - o.unit.premiere).days, False


def fit_release_window(
    outcomes: list[Outcome], cutoff: datetime, kinds: dict[str, str] | None = None
) -> ReleaseWindow:
    """Gaps of renewed seasons: the next premiere is the event; renewed seasons whose next season
    has not premiered by the cutoff are censored at their age (long gaps are not lost). ``kinds``
    maps show keys to their kind as known at the cutoff (reality, docuseries, animation, scripted)."""
    kinds = kinds or {}
    groups: dict[str, list[tuple[int, bool]]] = {"english": [], "non-english": [], "all": []}
    by_kind: dict[str, list[tuple[int, bool]]] = {}
    for o in outcomes:
        if o.status != RENEWED:
            continue
        gap, event = _gap_at(o, cutoff)
        if gap <= 0:
            continue
        groups["english" if o.unit.english else "non-english"].append((gap, event))
        groups["all"].append((gap, event))
        if (kind := kinds.get(o.unit.key)) is not None:
            by_kind.setdefault(kind, []).append((gap, event))
    curves = {k: c for k, v in groups.items() if (c := _peer_curve(v)) is not None}
    window = ReleaseWindow(
        curves,
        show_cadences([o.unit for o in outcomes]),
        kinds=dict(kinds),
        kind_fits=_kind_fits(by_kind, {c.family for c in curves.values()}),
    )
    return replace(window, cadence_fit=_fit_cadence(window, outcomes, cutoff))


def _kind_fits(
    by_kind: dict[str, list[tuple[int, bool]]], families: set[str]
) -> dict[tuple[str, str], GapCurve]:
    """Each kind's gaps fitted in each family the language curves took (so they can be shrunk
    toward them parameter by parameter)."""
    out: dict[tuple[str, str], GapCurve] = {}
    for kind, rows in by_kind.items():
        events = sum(1 for _, e in rows if e)
        if events < MIN_KIND_EVENTS:
            continue
        y = [math.log(g) for g, _ in rows]
        ev = [e for _, e in rows]
        for family in families:
            fit = _censored_weibull_mle if family == WEIBULL else _censored_normal_mle
            mu, sigma = fit(y, ev)
            out[(kind, family)] = GapCurve(mu, sigma, events, len(rows) - events, family)
    return out


def _fit_cadence(
    window: ReleaseWindow, outcomes: list[Outcome], cutoff: datetime
) -> CadenceFit | None:
    """Censored t fit of the scale of log gaps around each renewed season's shrunk cadence."""
    rows: list[tuple[float, float, bool]] = []  # (log gap, centre, event)
    peer_scales: list[float] = []
    for o in outcomes:
        cad = window.cadences.get((o.unit.key, o.unit.season))
        peer = window.peer(o.unit.english)
        if o.status != RENEWED or cad is None or peer is None:
            continue
        gap, event = _gap_at(o, cutoff)
        if gap > 0:
            rows.append((math.log(gap), _shrunk(cad, peer), event))
            peer_scales.append(peer.log_sd)
    if len(rows) < MIN_CADENCE or not any(e for *_, e in rows):
        return None
    return _t_scale(rows, sum(peer_scales) / len(peer_scales))


def _t_scale(rows: list[tuple[float, float, bool]], prior_scale: float) -> CadenceFit:
    import numpy as np
    from scipy.optimize import minimize_scalar
    from scipy.stats import t

    y = np.asarray([r[0] for r in rows])
    mu = np.asarray([r[1] for r in rows])
    ev = np.asarray([r[2] for r in rows], dtype=bool)
    prior = math.log(prior_scale)

    def loss(log_scale: float) -> float:
        z = (y - mu) / math.exp(log_scale)
        ll = np.where(ev, t.logpdf(z, CADENCE_DF) - log_scale, t.logsf(z, CADENCE_DF))
        return float(-ll.sum() + 0.5 * ((log_scale - prior) / CADENCE_SCALE_PRIOR) ** 2)

    best = minimize_scalar(loss, bounds=(prior - 3.0, prior + 3.0), method="bounded")
    n_events = int(ev.sum())
    return CadenceFit(math.exp(float(best.x)), n_events, len(rows) - n_events)


def _lognormal(rows: list[tuple[int, bool]]) -> GapCurve | None:
    events = sum(1 for _, e in rows if e)
    if events < MIN_TAIL:
        return None
    mu, sigma = _censored_normal_mle([math.log(g) for g, _ in rows], [e for _, e in rows])
    return GapCurve(mu, sigma, events, len(rows) - events)


def _peer_curve(rows: list[tuple[int, bool]]) -> GapCurve | None:
    """The family (of ``PEER_FAMILIES``) that makes the gaps known at the cutoff likeliest."""
    events = sum(1 for _, e in rows if e)
    if events < MIN_TAIL:
        return None
    y = [math.log(g) for g, _ in rows]
    ev = [e for _, e in rows]
    best: tuple[float, GapCurve] | None = None
    for family in PEER_FAMILIES:
        fit = _censored_weibull_mle if family == WEIBULL else _censored_normal_mle
        mu, sigma = fit(y, ev)
        curve = GapCurve(mu, sigma, events, len(rows) - events, family)
        ll = _log_likelihood(curve, y, ev)
        if best is None or ll > best[0]:
            best = (ll, curve)
    return best[1] if best else None


def _log_likelihood(curve: GapCurve, y: list[float], event: list[bool]) -> float:
    """Censored log-likelihood of log gaps ``y`` (events: density, censored: survival)."""
    import numpy as np
    from scipy.special import log_ndtr

    z = (np.asarray(y, dtype=float) - curve.mu) / curve.sigma
    ev = np.asarray(event, dtype=bool)
    if curve.family == WEIBULL:
        ll = np.where(ev, z - np.exp(z), -np.exp(z))
    else:
        ll = np.where(ev, -0.5 * z * z - 0.5 * math.log(2 * math.pi), log_ndtr(-z))
    return float(ll.sum() - ev.sum() * math.log(curve.sigma))


def _censored_weibull_mle(y: list[float], event: list[bool]) -> tuple[float, float]:
    """Maximum likelihood (mu, sigma) of a Weibull on the log scale (``y = mu + sigma·G``, G the
    standard minimum-Gumbel) with right-censoring, analytic gradient."""
    import numpy as np
    from scipy.optimize import minimize

    ys = np.asarray(y, dtype=float)
    ev = np.asarray(event, dtype=bool)

    def loss(theta: Any) -> tuple[float, Any]:
        mu, log_s = float(theta[0]), float(theta[1])
        s = math.exp(log_s)
        z = (ys - mu) / s
        ez = np.exp(np.minimum(z, 50.0))
        ll = np.where(ev, z - ez - log_s, -ez)
        d_mu = np.where(ev, (ez - 1.0) / s, ez / s)
        d_log_s = np.where(ev, z * (ez - 1.0) - 1.0, z * ez)
        return float(-ll.sum()), -np.array([d_mu.sum(), d_log_s.sum()])

    start = ys[ev] if ev.any() else ys
    sd = float(start.std()) or 1.0
    x0 = [float(start.mean()) + 0.45 * sd, math.log(sd * 0.78)]
    res = minimize(loss, x0, jac=True, method="L-BFGS-B")
    return float(res.x[0]), math.exp(float(res.x[1]))


def _censored_normal_mle(y: list[float], event: list[bool]) -> tuple[float, float]:
    """Maximum likelihood (mu, sigma) of a normal on ``y`` with right-censoring: events add the
    density, censored values the survival (the same estimate lifelines' LogNormalFitter gives on
    the days, with an analytic gradient, so a fit takes milliseconds rather than a second)."""
    import numpy as np
    from scipy.optimize import minimize
    from scipy.special import log_ndtr

    ys = np.asarray(y, dtype=float)
    ev = np.asarray(event, dtype=bool)

    def loss(theta: Any) -> tuple[float, Any]:
        mu, log_s = float(theta[0]), float(theta[1])
        s = math.exp(log_s)
        z = (ys - mu) / s
        log_sf = log_ndtr(-z)
        hazard = np.exp(-0.5 * z * z - log_sf) / math.sqrt(2 * math.pi)  # pdf / sf at z
        ll = np.where(ev, -0.5 * z * z - log_s - 0.5 * math.log(2 * math.pi), log_sf)
        d_mu = np.where(ev, z / s, hazard / s)
        d_log_s = np.where(ev, z * z - 1.0, hazard * z)
        return float(-ll.sum()), -np.array([d_mu.sum(), d_log_s.sum()])

    start = ys[ev] if ev.any() else ys
    sd = float(start.std()) or 1.0
    res = minimize(loss, [float(start.mean()), math.log(sd)], jac=True, method="L-BFGS-B")
    return float(res.x[0]), math.exp(float(res.x[1]))


def _quantile(sorted_values: list[int], q: float) -> int:
    """Linear-interpolated quantile of a sorted list, in whole days."""
    pos = q * (len(sorted_values) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    return round(sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo))
