"""P(next season ordered): a censoring-aware base rate, refined by a regularised logistic regression.

The base rate (``hazard.py``) uses every season's follow-up — open seasons count as censored — so it
is honest with little data: as of 2022-09-01 it rests on a few hundred seasons followed for a year,
and what was not yet observed counts as a coin toss. When at least ``MIN_CLASS`` renewed and
``MIN_CLASS`` not-renewed seasons are known, a logistic regression on the Top 10 run refines it; its
intercept is shifted from the decided sample's renewal share to the censoring-aware one (prior
correction, King & Zeng 2001), because seasons decided early are mostly renewals.

Training rows are the seasons decided by the cutoff (renewed / not renewed; limited series are left
out), each seen at several ages (7 days .. a year after its premiere) while it was still open, with its
features as known at that age. Each season's rows share a total weight of 1. Platt scaling is fit on
out-of-fold scores (folds by season, no shuffling), so the fit is deterministic and the same cutoff
gives the same numbers on any store holding the same rows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from renewcast.forecast.data import StoreView
from renewcast.forecast.features import FEATURES, MAX_AGE_DAYS, FeatureIndex
from renewcast.forecast.hazard import CompetingRisks, fit_competing_risks
from renewcast.forecast.labels import (
    NOT_RENEWED,
    OPEN,
    RENEWED,
    Outcome,
    Unit,
    UnitScan,
    find_units,
    labels_of,
    season_premieres,
)
from renewcast.forecast.timing import (
    DecisionTiming,
    ReleaseWindow,
    fit_decision_timing,
    fit_release_window,
)
from renewcast.sources.base import end_of_day

VERSION = "renewal-checked-hazard/16"
AGES = (7, 14, 28, 56, 91, 182, 273, 365)
MIN_CLASS = 20
PRIOR_CORRECTION = True
#: the prior of the correction is the base rate at the season's own age (not at age 0); the age
#: feature is then left out of the classifier (the base rate already says what age means)
PRIOR_AT_AGE = False
C_REG = 0.5
FOLDS = 5
#: "lr" (logistic regression), "lgbm" (small monotone gradient-boosted trees) or "blend" (the
#: mean of both calibrated log-odds)
MODEL_KIND = "lgbm"
#: what the walk-forward check weighs against the base rate: "hazard" (the run's renewal hazard
#: ratio, ``renewal_hazard.py``, round 8) or "lgbm" (trees on the decided seasons, rounds 6-7)
CHECKED_KIND = "hazard"
#: shift each cutoff's calibrated log-odds so the mean forecast over the seasons open at the cutoff
#: equals the mean censoring-aware base rate at their ages (instead of matching the base rate at
#: age 0 on the training sample)
ANCHOR_OPEN = False
#: the trees move the base rate only as far as a walk-forward over earlier cutoffs inside the fit
#: shows they earn (``WalkForward``); False restores round 4's Platt scaling and prior correction
WALK_FORWARD = True
#: days between the earlier cutoffs of the walk-forward check, and how many: nine weeks (round 6
#: had 61 days), so a weekly cutoff's earlier cutoffs are weekly cutoffs too and the trees fit at
#: each are shared by six later cutoffs (``_trees``)
CHECK_STEP_DAYS = 63
CHECK_CUTOFFS = (2, 3, 4, 5, 6, 7)
#: the renewal hazard's earlier cutoffs: every season open then is scored on what followed, so
#: the nearest ones count too
HAZARD_CHECK_CUTOFFS = (1, 2, 3, 4, 5, 6)
#: how far the hazard ratio may move the base rate: the check picks the slope on its log
SLOPES = (0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5)
#: the fewest out-of-sample forecasts for the check to let the trees in (a handful of seasons
#: decided since an earlier cutoff says nothing; every backtest cutoff that used the trees had 111+)
MIN_CHECK = 100
#: the odds' log-odds are multiplied by this before they are shown (pulled toward even odds): the
#: backtest's odds were too spread for eventual outcomes (odds given 80-90% came true 64% of the
#: time, 10-20% 34%), the base rate's as much as the hazard's. Round 9 picked it on cutoffs before
#: 2023-07 only (docs/forecast.md); 1.0 leaves the odds as fitted
TEMPERATURE = 0.35
N_TREES = 80
#: fitted trees kept for reuse across cutoffs (the check's earlier cutoffs span 7 steps)
TREE_CACHE = 400
LEAVES = 4
#: features whose larger values can only raise the odds in the tree model
MONOTONE_UP = (
    "weeks",
    "peak",
    "first_hours_log",
    "hours28_log",
    "peer_pct",
    "engagement_pct",
    "first_rel_log",
    "hours28_rel_log",
    "legs",
)


@dataclass(slots=True)
class FittedModel:
    cutoff: datetime
    units: list[Unit]
    outcomes: list[Outcome]
    index: FeatureIndex
    timing: DecisionTiming | None
    release: ReleaseWindow
    base: CompetingRisks | None = None
    n_pos: int = 0
    n_neg: int = 0
    reason: str | None = None  # why there are no odds, when there are none
    mean: list[float] = field(default_factory=list)
    scale: list[float] = field(default_factory=list)
    coef: list[float] = field(default_factory=list)
    intercept: float = 0.0
    platt: tuple[float, float] = (1.0, 0.0)
    shift: float = 0.0  # prior correction added to the calibrated log-odds
    share_logit: float = 0.0  # log-odds of the decided sample's (weighted) renewal share
    mode: str = "none"  # none | base | lr | lgbm
    booster: Any = None  # the tree model when mode is lgbm or blend
    platt_lr: tuple[float, float] = (1.0, 0.0)  # the LR's own Platt scaling in a blend
    raw_mean: float = 0.0  # the trees' mean raw score on their training rows
    check: WalkForward | None = None  # the out-of-sample check on earlier cutoffs (lgbm)
    #: the trees' raw score and SHAP contributions per (season, moment), computed in batches
    #: (``score``): one LightGBM call per row costs ~10 ms, a batch of 300 rows about as much
    scored: dict[tuple[Unit, datetime], tuple[float, list[float]]] = field(default_factory=dict)
    #: per-model lookups built once for the explanations (``api._peer_weeks``)
    memo: dict[Any, Any] = field(default_factory=dict)

    @property
    def trained_through(self) -> date:
        return self.cutoff.date()

    @property
    def n_train(self) -> int:
        return self.n_pos + self.n_neg

    @property
    def ok(self) -> bool:
        return self.reason is None

    def outcome_of(self, series_id: int, season: int) -> Outcome | None:
        key = self.index.view.key(series_id)
        for o in self.outcomes:
            if o.unit.key == key and o.unit.season == season:
                return o
        return None

    def open_outcomes(self, max_age_days: int = MAX_AGE_DAYS) -> list[Outcome]:
        today = self.cutoff.date()
        return [
            o
            for o in self.outcomes
            if o.status == OPEN and (today - o.unit.premiere).days <= max_age_days
        ]

    def dates(self, unit: Unit, at: date) -> tuple[dict[str, date | None], dict[str, date]]:
        """Decision p10/p50/p90 and release window p10/p50/p90 of an open season as of ``at``: the
        decision conditional on none by ``at``; the release window is the renewed seasons' gap
        curve conditional on the time elapsed, its p50 and p90 moved to the decision's p50 when
        earlier (a season cannot premiere before it is ordered)."""
        age = (at - unit.premiere).days
        release = dict(self.release.quantiles(unit, at) or {})
        if self.timing is None:
            return {}, release
        decision = self.timing.quantiles(age, at=at, premiere=unit.premiere)
        d50 = decision["p50"]
        if release and d50 is not None:
            release["p50"] = max(release["p50"], d50)
            release["p90"] = max(release["p90"], release["p50"])
        return decision, release

    def score(self, items: list[tuple[Unit, datetime]]) -> None:
        """The trees' raw scores and contributions of many (season, moment) pairs at once."""
        todo = [k for k in dict.fromkeys(items) if k not in self.scored]
        if self.booster is None or not todo:
            return
        import numpy as np

        X = np.asarray([_features(self.index, u, t) for u, t in todo], dtype=float)
        raw = self.booster.predict(X, raw_score=True, num_threads=1)
        shap = self.booster.predict(X, pred_contrib=True, num_threads=1)
        for k, r, c in zip(todo, raw, shap, strict=True):
            self.scored[k] = (float(r), [float(v) for v in c])

    def _scored(self, unit: Unit, t: datetime) -> tuple[float, list[float]]:
        if (unit, t) not in self.scored:
            self.score([(unit, t)])
        return self.scored[(unit, t)]

    def logit(self, x: list[float], raw: float | None = None) -> float:
        a, b = self.platt
        if self.check is not None:
            if raw is None:
                raw = float(self.booster.predict(_row(x), raw_score=True, num_threads=1)[0])
            return a * (raw - self.raw_mean)
        if self.booster is not None:
            raw = float(self.booster.predict(_row(x), raw_score=True, num_threads=1)[0])
            tree = a * raw + b
            if self.mode != "blend":
                return tree + self.shift
            return (tree + self._lr_logit(x, self.platt_lr)) / 2 + self.shift
        return self._lr_logit(x, self.platt) + self.shift

    def _lr_logit(self, x: list[float], platt: tuple[float, float]) -> float:
        z = [(v - m) / s for v, m, s in zip(x, self.mean, self.scale, strict=True)]
        raw = self.intercept + sum(c * v for c, v in zip(self.coef, z, strict=True))
        return platt[0] * raw + platt[1]

    def predict(self, unit: Unit, at: datetime | None = None) -> float | None:
        if not self.ok:
            return None
        t = at or self.cutoff
        if self.mode == "base":
            assert self.base is not None
        moved = self._after_run(unit, t)
        if moved is not None:
            # the base and hazard odds are pulled toward even odds here, the checked modes'
            # within their fit
            return calibrated(moved) if self.mode in PULLED_MODES else moved
        x = _features(self.index, unit, t)
        if PRIOR_AT_AGE and self.base is not None and PRIOR_CORRECTION:
            age = (t.date() - unit.premiere).days
            shift = _logit(self.base.p_renewed(age)) - self.share_logit
            return _sigmoid(self.logit(x) - self.shift + shift)
        return _sigmoid(self.logit(x))

    def _after_run(self, unit: Unit, t: datetime) -> float | None:
        """The odds from the starting point at the season's age, moved by its Top 10 run as far
        as this mode does, before any pull toward even odds; None for a mode without a starting
        point."""
        if self.base is None:
            return None
        age = (t.date() - unit.premiere).days
        if self.mode == "base":
            return self.base.p_renewed(age)
        if self.mode == "hazard" and self.booster is not None:
            # the base rate with this season's renewal hazard: its run against its peers'
            hr = math.exp(self.platt[0] * self._scored(unit, t)[0])
            return self.base.p_renewed_hr(age, hr)
        if self.check is not None and self.booster is not None:
            # the base rate at the season's age, moved by the trees' score as far as earlier
            # cutoffs showed it earns (walk-forward): never the trees' own level
            raw = self._scored(unit, t)[0]
            return _sigmoid(_logit(self.base.p_renewed(age)) + self.logit([], raw))
        return None

    def odds_path(self, unit: Unit, at: datetime | None = None) -> tuple[float, float] | None:
        """For the explanation: the starting point at the season's age and the odds after its
        Top 10 run moved them, before they are pulled toward even odds (``predict`` is
        ``calibrated`` of the second in :data:`PULLED_MODES`, the second itself in the
        walk-forward-checked modes); None for a mode without a starting point."""
        if not self.ok or self.base is None:
            return None
        t = at or self.cutoff
        moved = self._after_run(unit, t)
        if moved is None:
            return None
        return self.base.p_renewed((t.date() - unit.premiere).days), moved

    def contributions(self, unit: Unit, at: datetime | None = None) -> list[tuple[str, float]]:
        """Each feature's push on the log-odds (coefficient × standardised value, or the trees'
        SHAP contribution), largest first."""
        if self.mode not in ("lr", "lgbm", "blend"):
            return []
        t = at or self.cutoff
        a = self.platt[0]
        if self.booster is not None:
            shap = self._scored(unit, t)[1]
            tree_parts = [(name, a * float(v)) for name, v in zip(FEATURES, shap, strict=False)]
            return sorted(tree_parts, key=lambda p: -abs(p[1]))
        x = _features(self.index, unit, t)
        parts = [
            (name, a * c * (v - m) / s)
            for name, c, v, m, s in zip(FEATURES, self.coef, x, self.mean, self.scale, strict=True)
        ]
        return sorted(parts, key=lambda p: -abs(p[1]))


_AGE = FEATURES.index("age")


def _features(index: FeatureIndex, unit: Unit, t: datetime) -> list[float]:
    """The classifier's input: the feature vector, without age when the prior carries it."""
    x = index.vector(unit, t)
    if PRIOR_AT_AGE:
        x[_AGE] = 0.0
    return x


def _row(x: list[float]) -> Any:
    import numpy as np

    return np.asarray([x], dtype=float)


#: the modes whose odds :func:`calibrated` pulls toward even odds after the fit
PULLED_MODES = ("base", "hazard")


def calibrated(p: float) -> float:
    """The odds as shown: ``p``'s log-odds times ``TEMPERATURE`` (pulled toward even odds)."""
    if TEMPERATURE == 1.0:
        return p
    return _sigmoid(TEMPERATURE * _logit(p))


def _sigmoid(z: float) -> float:
    if z < -30:
        return 0.0
    if z > 30:
        return 1.0
    return 1.0 / (1.0 + math.exp(-z))


def fit(view: StoreView, previous: FittedModel | None = None) -> FittedModel:
    """Fit every model on what ``view`` holds (its cutoff must be set). ``previous``, a model fit
    at an earlier cutoff of the same store, lends what does not depend on the cutoff (features
    of a season at a moment, the walk-forward check's trees for the same inputs): the result is
    the same as without it, only quicker when fitting cutoff after cutoff.

    One BLAS thread while fitting: the fits are many small two-parameter likelihoods, and
    OpenBLAS's worker threads spin on every tiny call — on a busy 2-core machine a censored
    log-normal fit took 55 ms with them, 1.3 ms without (docs/benchmarks.md, round 7). Scoped to
    the fit: other models of the process (the news reader) keep their threading."""
    import scipy.optimize  # noqa: F401 — its BLAS must be loaded for the limit to reach it
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        return _fit(view, previous)


def _fit(view: StoreView, previous: FittedModel | None) -> FittedModel:
    if view.cutoff is None:
        raise ValueError("fit() needs a view with a cutoff (StoreView.at(cutoff))")
    cutoff = view.cutoff
    memo = previous.memo if previous is not None else {}
    scan: UnitScan | None = memo.get("scan")
    if scan is not None and scan.cutoff is not None and scan.cutoff <= cutoff:
        premieres = season_premieres(view.since(scan.cutoff), memo["premieres"])
    else:
        premieres = season_premieres(view)
    scan = UnitScan.of(view, scan)
    units = find_units(view, premieres, scan)
    outcomes, labels = labels_of(view, units, premieres, memo.get("labels"))
    index = FeatureIndex(view, units, previous.index if previous is not None else None)
    model = FittedModel(
        cutoff=cutoff,
        units=units,
        outcomes=outcomes,
        index=index,
        timing=fit_decision_timing(outcomes, cutoff),
        release=fit_release_window(outcomes, cutoff, index.kinds(cutoff)),
        base=fit_competing_risks(outcomes, cutoff),
    )
    model.memo.update(labels=labels, scan=scan, premieres=premieres)
    if previous is not None:
        model.memo["trees"] = previous.memo.get("trees", {})
    rows, ys, weights, groups = training_rows(outcomes, index, cutoff)
    model.n_pos = sum(1 for o in outcomes if o.status == RENEWED and _has_rows(o, cutoff))
    model.n_neg = sum(1 for o in outcomes if o.status == NOT_RENEWED and _has_rows(o, cutoff))
    base = model.base
    if base is None or base.n_renewed + base.n_ended == 0 or base.tau <= 0:
        model.reason = (
            f"no season's outcome was known by {cutoff.date()}: nothing to estimate odds from"
        )
        return model
    if WALK_FORWARD and CHECKED_KIND == "hazard":
        model.mode = "hazard"
        _fit_hazard_checked(model)
        return model
    if model.n_pos < MIN_CLASS or model.n_neg < MIN_CLASS:
        model.mode = "base"
        return model
    if MODEL_KIND == "lgbm" and WALK_FORWARD:
        model.mode = "lgbm"
        _fit_lgbm_checked(model, rows, ys, weights, groups)
        return model
    model.mode = MODEL_KIND
    if MODEL_KIND == "blend":
        _fit_lr(model, rows, ys, weights, groups)
        model.platt_lr = model.platt
        _fit_lgbm(model, rows, ys, weights, groups)
    elif MODEL_KIND == "lgbm":
        _fit_lgbm(model, rows, ys, weights, groups)
    else:
        _fit_lr(model, rows, ys, weights, groups)
    if PRIOR_CORRECTION:
        share = sum(w for w, y in zip(weights, ys, strict=True) if y) / sum(weights)
        model.share_logit = _logit(share)
        model.shift = _logit(base.p_renewed(0)) - model.share_logit
        if ANCHOR_OPEN:
            model.shift = _anchor_shift(model, base)
    return model


def _anchor_shift(model: FittedModel, base: CompetingRisks) -> float:
    """The shift that makes the mean forecast over the open seasons equal their mean base rate
    (only what the cutoff knows: the open seasons, their features and the base-rate curve)."""
    opens = model.open_outcomes()
    if not opens:
        return model.shift
    today = model.cutoff.date()
    raw = [model.logit(_features(model.index, o.unit, model.cutoff)) - model.shift for o in opens]
    target = sum(base.p_renewed((today - o.unit.premiere).days) for o in opens) / len(opens)
    lo, hi = -10.0, 10.0
    for _ in range(60):  # bisection: the mean forecast rises with the shift
        mid = (lo + hi) / 2
        mean = sum(_sigmoid(z + mid) for z in raw) / len(raw)
        lo, hi = (mid, hi) if mean < target else (lo, mid)
    return (lo + hi) / 2


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def _has_rows(o: Outcome, cutoff: datetime) -> bool:
    return any(_row_time(o, a, cutoff) is not None for a in AGES)


def _row_time(o: Outcome, age: int, cutoff: datetime) -> datetime | None:
    """When ``o`` is seen at ``age`` days — only if that is by the cutoff and it was still open."""
    t = end_of_day(o.unit.premiere + timedelta(days=age))
    if t > cutoff or t < o.unit.first_known:
        return None
    if o.known_at is not None and o.known_at <= t:
        return None
    return t


def training_rows(
    outcomes: list[Outcome], index: FeatureIndex, cutoff: datetime
) -> tuple[list[list[float]], list[int], list[float], list[int]]:
    rows: list[list[float]] = []
    ys: list[int] = []
    weights: list[float] = []
    groups: list[int] = []
    for g, o in enumerate(outcomes):
        if o.status not in (RENEWED, NOT_RENEWED):
            continue
        times = [t for a in AGES if (t := _row_time(o, a, cutoff)) is not None]
        for t in times:
            rows.append(_features(index, o.unit, t))
            ys.append(1 if o.status == RENEWED else 0)
            weights.append(1.0 / len(times))
            groups.append(g)
    return rows, ys, weights, groups


def _fit_lr(
    model: FittedModel,
    rows: list[list[float]],
    ys: list[int],
    weights: list[float],
    groups: list[int],
) -> None:
    import numpy as np

    X = np.asarray(rows, dtype=float)
    y = np.asarray(ys, dtype=int)
    w = np.asarray(weights, dtype=float)
    mean = X.mean(axis=0)
    scale = X.std(axis=0)
    scale[scale == 0] = 1.0
    Z = (X - mean) / scale
    lr = _lr().fit(Z, y, sample_weight=w)
    model.mean, model.scale = [float(v) for v in mean], [float(v) for v in scale]
    model.coef, model.intercept = [float(v) for v in lr.coef_[0]], float(lr.intercept_[0])
    model.platt = _platt(Z, y, w, np.asarray(groups))


def _lgbm() -> Any:
    from lightgbm import LGBMClassifier

    mono = [1 if name in MONOTONE_UP else 0 for name in FEATURES]
    return LGBMClassifier(
        n_estimators=N_TREES,
        learning_rate=0.05,
        num_leaves=LEAVES,
        min_child_samples=30,
        reg_lambda=5.0,
        monotone_constraints=mono,
        deterministic=True,
        force_row_wise=True,
        seed=0,
        n_jobs=1,
        verbose=-1,
    )


def _fit_lgbm(
    model: FittedModel,
    rows: list[list[float]],
    ys: list[int],
    weights: list[float],
    groups: list[int],
) -> None:
    """Trees on the raw features; Platt scaling on out-of-fold raw scores (folds by season)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    X = np.asarray(rows, dtype=float)
    y = np.asarray(ys, dtype=int)
    w = np.asarray(weights, dtype=float)
    model.booster = _lgbm().fit(X, y, sample_weight=w).booster_
    oof = np.zeros(len(y))
    for train, test in GroupKFold(n_splits=FOLDS).split(X, y, np.asarray(groups)):
        if len(set(y[train].tolist())) < 2:
            return
        m = _lgbm().fit(X[train], y[train], sample_weight=w[train])
        oof[test] = m.predict(X[test], raw_score=True, num_threads=1)
    cal = LogisticRegression(C=1e6, max_iter=5000).fit(oof.reshape(-1, 1), y, sample_weight=w)
    model.platt = (float(cal.coef_[0][0]), float(cal.intercept_[0]))


def _lr() -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C_REG, max_iter=5000)


def _platt(Z: Any, y: Any, w: Any, groups: Any) -> tuple[float, float]:
    """Platt scaling fit on out-of-fold raw scores (folds by season, in store-independent order)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    oof = np.zeros(len(y))
    for train, test in GroupKFold(n_splits=FOLDS).split(Z, y, groups):
        if len(set(y[train].tolist())) < 2:
            return (1.0, 0.0)
        m = _lr().fit(Z[train], y[train], sample_weight=w[train])
        oof[test] = m.decision_function(Z[test])
    cal = LogisticRegression(C=1e6, max_iter=5000).fit(oof.reshape(-1, 1), y, sample_weight=w)
    return (float(cal.coef_[0][0]), float(cal.intercept_[0]))


# ------------------------------------------------------------------ walk-forward check
@dataclass(frozen=True, slots=True)
class WalkForward:
    """How the trees fared on seasons open at earlier cutoffs (inside the fit: everything is as
    known at the cutoff), against the base rate at those cutoffs."""

    cutoffs: tuple[date, ...]  # the earlier cutoffs with enough decided seasons to fit at
    n: int  # forecasts scored (seasons open at an earlier cutoff, decided by the cutoff)
    brier_model: float  # each earlier cutoff's set and slope chosen on the others (leave one out)
    brier_base: float
    slope: float  # how far the trees move the base rate's log-odds (0 = base rate)
    features: tuple[str, ...] = ()  # the hazard's chosen feature set (none for the trees)

    @property
    def skill(self) -> float:
        return 1.0 - self.brier_model / self.brier_base if self.brier_base else 0.0

    @property
    def earns(self) -> bool:
        return self.n >= MIN_CHECK and self.skill > 0 and self.slope > 0

    def to_json(self) -> dict[str, Any]:
        return {
            "cutoffs": [d.isoformat() for d in self.cutoffs],
            "n": self.n,
            "brier_model": round(self.brier_model, 4),
            "brier_base": round(self.brier_base, 4),
            "skill": round(self.skill, 4),
            "slope": round(self.slope, 4),
            "features": list(self.features),
        }


def _fit_lgbm_checked(
    model: FittedModel,
    rows: list[list[float]],
    ys: list[int],
    weights: list[float],
    groups: list[int],
) -> None:
    """Trees on every decided season, then a walk-forward over earlier cutoffs ``c``: trees fit on
    the seasons decided by ``c`` score the seasons open at ``c`` that the cutoff knows the outcome
    of, beside the base rate fitted at ``c``. The forecast is the base rate's log-odds plus
    ``slope × (score − mean score)``; the slope is fit on those out-of-sample forecasts, and is 0
    (the base rate) unless the trees beat the base rate with each earlier cutoff's slope fitted on
    the others."""
    import numpy as np

    X = np.asarray(rows, dtype=float)
    y = np.asarray(ys, dtype=int)
    w = np.asarray(weights, dtype=float)
    g = np.asarray(groups)
    trees: dict[str, Any] = model.memo.setdefault("trees", {})
    known = [model.outcomes[i].known_at for i in groups]
    cutoff = model.cutoff
    pooled: list[tuple[int, float, float, int]] = []  # (y, base log-odds, centred score, k)
    used: list[date] = []
    for k in CHECK_CUTOFFS:
        c = end_of_day(cutoff.date() - timedelta(days=k * CHECK_STEP_DAYS))
        mask = np.asarray([t is not None and t <= c for t in known])
        decided = {int(i) for i in g[mask]}
        pos = sum(1 for i in decided if model.outcomes[i].status == RENEWED)
        if pos < MIN_CLASS or len(decided) - pos < MIN_CLASS:
            continue
        base = fit_competing_risks(_as_of(model.outcomes, c), c)
        if base is None or base.tau <= 0:
            continue
        booster, centre = _trees(trees, X[mask], y[mask], w[mask])
        tests = [o for o in model.outcomes if _open_then_decided(o, c)]
        if not tests:
            continue
        Xt = np.asarray([_features(model.index, o.unit, c) for o in tests], dtype=float)
        raw = booster.predict(Xt, raw_score=True, num_threads=1)
        for o, r in zip(tests, raw, strict=True):
            age = (c.date() - o.unit.premiere).days
            pooled.append(
                (int(o.status == RENEWED), _logit(base.p_renewed(age)), float(r) - centre, k)
            )
        used.append(c.date())
    model.check = _check(pooled, used)
    model.platt = (model.check.slope if model.check.earns else 0.0, 0.0)
    if not model.check.earns:
        model.mode = "base"  # the trees on every decided season are not needed
        return
    model.booster, model.raw_mean = _trees(trees, X, y, w)


def _fit_hazard_checked(model: FittedModel) -> None:
    """The renewal hazard ratio (``renewal_hazard.py``) fit on every season followed by the cutoff,
    used only if it earned it on earlier cutoffs: at each earlier cutoff ``c`` (the check's
    cutoffs) a hazard fit on what ``c`` knew gives every season open at ``c`` its chance of a
    renewal becoming known by this cutoff, beside the base rate fitted at ``c`` over the same
    span; the hazard is used if its Brier over those forecasts beats the base rate's. Every
    season open at ``c`` is scored (a renewal known since is a 1, anything else a 0), so the
    check does not lean toward the quick decisions."""
    import numpy as np

    from renewcast.forecast.renewal_hazard import HAZARD_FEATURE_SETS, fit_renewal_hazard

    cutoff = model.cutoff
    spells: dict[Unit, Any] = {}
    fits: dict[Any, Any] = model.memo.setdefault("hazards", {})
    pooled: list[tuple[int, int, list[float]]] = []  # (renewed since, cutoff, p per set, slope)
    used: list[date] = []
    slopes = np.asarray(SLOPES)
    for k in HAZARD_CHECK_CUTOFFS:
        c = end_of_day(cutoff.date() - timedelta(days=k * CHECK_STEP_DAYS))
        past = _as_of(model.outcomes, c)
        # the base rate and hazard at c depend only on the outcomes as known by c (the same
        # week after week): fit once per distinct input
        key = (c, tuple((o.unit, o.status, o.known_at) for o in past))
        if key not in fits:
            fits[key] = (
                fit_competing_risks(past, c),
                [fit_renewal_hazard(past, model.index, c, spells, f) for f in HAZARD_FEATURE_SETS],
            )
            while len(fits) > TREE_CACHE:  # oldest first
                del fits[next(iter(fits))]
        base, hz_cs = fits[key]
        if base is None or base.tau <= 0 or any(h is None for h in hz_cs):
            continue
        span = (cutoff.date() - c.date()).days
        tests = [
            o
            for o in model.outcomes
            if o.unit.first_known <= c
            and (o.known_at is None or o.known_at > c)
            and o.status in (RENEWED, NOT_RENEWED, OPEN)
            and 0 <= (c.date() - o.unit.premiere).days <= MAX_AGE_DAYS
        ]
        if not tests:
            continue
        X = np.asarray([_features(model.index, o.unit, c) for o in tests], dtype=float)
        raws = [h.predict(X, raw_score=True) for h in hz_cs]
        for i, o in enumerate(tests):
            age = (c.date() - o.unit.premiere).days
            renewed = o.status == RENEWED and o.known_at is not None and o.known_at <= cutoff
            ps = [
                float(v)
                for raw in raws
                for v in base.p_renewed_hrs(age, np.exp(slopes * raw[i]), span)
            ]
            pooled.append((int(renewed), k, ps))
        used.append(c.date())
    model.check = _hazard_check(pooled, used, HAZARD_FEATURE_SETS)
    if not model.check.earns:
        model.mode = "base"
        return
    hz = fit_renewal_hazard(model.outcomes, model.index, cutoff, spells, model.check.features)
    if hz is None:
        model.mode = "base"
        return
    model.booster, model.raw_mean = hz, 0.0
    model.platt = (model.check.slope, 0.0)


def _hazard_check(
    pooled: list[tuple[int, int, list[float]]],
    used: list[date],
    sets: tuple[tuple[str, ...], ...],
) -> WalkForward:
    """The feature set of ``sets`` and slope on its log hazard ratio (each row holds one forecast
    per set and ``SLOPES`` value, set by set; slope 0 is the base rate) with the least Brier over
    the earlier cutoffs' forecasts, and the Brier of the forecasts with each earlier cutoff's set
    and slope chosen on the others (leave one cutoff out) against the base rate's."""
    if not pooled:
        return WalkForward(tuple(used), 0, 0.0, 0.0, 0.0)
    import numpy as np

    y = np.asarray([r[0] for r in pooled], dtype=float)
    ks = np.asarray([r[1] for r in pooled])
    sq = (np.asarray([r[2] for r in pooled]) - y[:, None]) ** 2  # rows x slopes
    held = np.empty(len(y))
    for k in set(ks.tolist()):
        out = ks == k
        best = int(np.argmin(sq[~out].mean(axis=0))) if (~out).any() else 0
        held[out] = sq[out, best]
    base = SLOPES.index(0.0)
    chosen = int(np.argmin(sq.mean(axis=0)))
    return WalkForward(
        tuple(used),
        len(y),
        float(held.mean()),
        float(sq[:, base].mean()),
        float(SLOPES[chosen % len(SLOPES)]),
        sets[chosen // len(SLOPES)],
    )


def _trees(cache: dict[str, Any], X: Any, y: Any, w: Any) -> tuple[Any, float]:
    """Trees fit on (X, y, w) and their mean raw score there; the same inputs give the same
    (deterministic) trees, so fits are shared by digest of the inputs (``cache``, carried from
    cutoff to cutoff: the walk-forward check refits on the same earlier seasons week after
    week)."""
    import hashlib

    h = hashlib.blake2b(digest_size=16)
    for a in (X, y, w):
        h.update(str(a.shape).encode())
        h.update(a.tobytes())
    key = h.hexdigest()
    if key not in cache:
        booster = _lgbm().fit(X, y, sample_weight=w).booster_
        cache[key] = (booster, _mean_raw(booster, X, w))
        while len(cache) > TREE_CACHE:  # oldest first
            del cache[next(iter(cache))]
    return cache[key]


def _mean_raw(booster: Any, X: Any, w: Any) -> float:
    import numpy as np

    return float(np.average(booster.predict(X, raw_score=True, num_threads=1), weights=w))


def _as_of(outcomes: list[Outcome], c: datetime) -> list[Outcome]:
    """The outcomes as the cutoff ``c`` saw them: seasons known by then, decided only if by then."""
    out = []
    for o in outcomes:
        if o.unit.first_known > c:
            continue
        if o.known_at is not None and o.known_at > c:
            o = Outcome(o.unit, OPEN)
        out.append(o)
    return out


def _open_then_decided(o: Outcome, c: datetime) -> bool:
    """A season open at ``c`` (premiered within a year, already seen) whose outcome is known now."""
    if o.status not in (RENEWED, NOT_RENEWED) or o.known_at is None or o.known_at <= c:
        return False
    return o.unit.first_known <= c and 0 <= (c.date() - o.unit.premiere).days <= MAX_AGE_DAYS


def _check(pooled: list[tuple[int, float, float, int]], used: list[date]) -> WalkForward:
    if not pooled:
        return WalkForward(tuple(used), 0, 0.0, 0.0, 0.0)
    import numpy as np

    y = np.asarray([r[0] for r in pooled], dtype=float)
    b = np.asarray([r[1] for r in pooled])
    z = np.asarray([r[2] for r in pooled])
    ks = np.asarray([r[3] for r in pooled])
    p_model = np.empty(len(y))
    for k in set(ks.tolist()):
        out = ks == k
        slope = _slope(y[~out], b[~out], z[~out]) if (~out).any() else 0.0
        p_model[out] = 1 / (1 + np.exp(-(b[out] + slope * z[out])))
    p_base = 1 / (1 + np.exp(-b))
    return WalkForward(
        tuple(used),
        len(y),
        float(np.mean((p_model - y) ** 2)),
        float(np.mean((p_base - y) ** 2)),
        _slope(y, b, z),
    )


def _slope(y: Any, b: Any, z: Any) -> float:
    """The slope ``a ≥ 0`` maximising the likelihood of ``y`` under ``sigmoid(b + a·z)``."""
    import numpy as np
    from scipy.optimize import minimize_scalar

    def loss(a: float) -> float:
        eta = b + a * z
        return float(np.sum(np.logaddexp(0.0, eta) - y * eta))

    return float(minimize_scalar(loss, bounds=(0.0, 3.0), method="bounded").x)
