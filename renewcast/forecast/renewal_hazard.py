"""How much faster than its peers a season's renewal comes: a renewal hazard ratio from its Top 10 run.

The base rate (``hazard.py``) pools every season's follow-up. Renewals become known within months,
ends often only years later, so at most cutoffs few ends are known and a classifier of decided
seasons has little to learn from (before 2023-10 fewer than 20 not-renewed seasons are decided at
any cutoff). A cause-specific renewal hazard needs no ends: every season followed contributes its
four-week spells while it was still open (renewal known in the spell = an event; an end, the
cutoff or nothing = no event), so it learns from the renewals and from everything still waiting.

Model: a discrete-time logistic hazard, ``logit h = α(age band) + β·z``, over the spells of every
season known by the cutoff (premiere to two years, spells that ended by the cutoff), with ``z`` the
standardised ``HAZARD_FEATURES`` as known at the spell's start and an age band per quarter-year
(the pooled hazard's shape). ``exp(β·(z − z̄))`` is the season's renewal hazard relative to the
spells' average; ``CompetingRisks.p_renewed_hr`` turns it into odds (the end hazard is left as
pooled).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from renewcast.forecast.features import FEATURES, FeatureIndex
from renewcast.forecast.labels import NOT_RENEWED, OPEN, PRESUMED_DAYS, RENEWED, Outcome, Unit
from renewcast.sources.base import end_of_day

#: the run as the hazard reads it: 28-day hours against the same week's list median, share of weeks
#: in the Top 10, season number, English list (the features the classifier of round 8 reads, less
#: age, which the age bands carry), and since round 10 the first week against the same list's
#: seasons of the past year (the one addition that lowered the Brier score of the cutoffs before
#: 2023-07 by 0.001 or more; docs/forecast.md, round 10)
HAZARD_FEATURES = ("hours28_rel_log", "weeks_rate", "season_log", "english", "peer_pct")
#: the feature sets the walk-forward check chooses between at each cutoff (``model.py``): the
#: run above; the same with the weeks charted after the first 28 days, which ranked better from
#: 2023-07 but not before (docs/forecast.md, round 10); and that with the show's kind (reality,
#: docuseries, animation or kids'), which JustWatch's genres give from 2023-03-31 on, so it can
#: only be chosen at cutoffs whose earlier cutoffs knew it (round 17)
KIND_FEATURES = ("reality", "documentary", "animation")
HAZARD_FEATURE_SETS = (
    HAZARD_FEATURES,
    (*HAZARD_FEATURES, "legs"),
    (*HAZARD_FEATURES, "legs", *KIND_FEATURES),
)
SPELL_DAYS = 28
AGE_BAND_DAYS = 91
#: the fewest renewal events to fit on
MIN_EVENTS = 10
C_REG = 0.5


@dataclass(slots=True)
class RenewalHazard:
    """``predict(X, raw_score=True)`` is the log hazard ratio of each feature row (full FEATURES
    vectors); ``pred_contrib=True`` gives each feature's share of it and 0 last (LightGBM's shape:
    the explanations read it like the trees' SHAP values)."""

    cols: list[int]
    mean: Any
    scale: Any
    coef: Any
    n_spells: int
    n_events: int

    def dump_model(self) -> dict[str, Any]:
        """The fitted numbers (for comparing two fits)."""
        return {
            "features": [FEATURES[i] for i in self.cols],
            "mean": [float(v) for v in self.mean],
            "scale": [float(v) for v in self.scale],
            "coef": [float(v) for v in self.coef],
            "spells": self.n_spells,
            "events": self.n_events,
        }

    def predict(
        self, X: Any, raw_score: bool = False, pred_contrib: bool = False, num_threads: int = 1
    ) -> Any:
        import numpy as np

        parts = (np.asarray(X, dtype=float)[:, self.cols] - self.mean) / self.scale * self.coef
        if pred_contrib:
            out = np.zeros((len(parts), len(FEATURES) + 1))
            out[:, self.cols] = parts
            return out
        return parts.sum(axis=1)


#: a season's four-week spells as the index sees them: (age at the start, start, end, features)
Spells = list[tuple[int, datetime, datetime, list[float]]]


def spells(
    outcomes: list[Outcome],
    index: FeatureIndex,
    cutoff: datetime,
    cache: dict[Unit, Spells] | None = None,
) -> tuple[list[list[float]], list[int], list[int]]:
    """(feature vector at the spell's start, renewal known in the spell, age band) of every
    four-week spell of every season, while it was open and by the cutoff. ``cache`` keeps each
    season's spells up to the index's cutoff, for fits at several cutoffs on one index."""
    rows: list[list[float]] = []
    ys: list[int] = []
    bands: list[int] = []
    cache = {} if cache is None else cache
    for o in outcomes:
        if o.status not in (RENEWED, NOT_RENEWED, OPEN) or o.unit.first_known > cutoff:
            continue
        if o.unit not in cache:
            cache[o.unit] = _spells_of(o.unit, index)
        for start, t0, t1, x in cache[o.unit]:
            if t1 > cutoff or (o.known_at is not None and o.known_at <= t0):
                break
            rows.append(x)
            ys.append(int(o.status == RENEWED and o.known_at is not None and o.known_at <= t1))
            bands.append(start // AGE_BAND_DAYS)
    return rows, ys, bands


def _spells_of(u: Unit, index: FeatureIndex) -> Spells:
    """The season's spells that started once it was known and ended by the index's cutoff."""
    last = index.view.cutoff
    out: Spells = []
    for start in range(0, PRESUMED_DAYS, SPELL_DAYS):
        t0 = end_of_day(u.premiere + timedelta(days=start))
        t1 = t0 + timedelta(days=SPELL_DAYS)
        if last is not None and t1 > last:
            break
        if t0 >= u.first_known:
            out.append((start, t0, t1, index.vector(u, t0)))
    return out


def fit_renewal_hazard(
    outcomes: list[Outcome],
    index: FeatureIndex,
    cutoff: datetime,
    cache: dict[Unit, Spells] | None = None,
    features: tuple[str, ...] = HAZARD_FEATURES,
) -> RenewalHazard | None:
    """The hazard on ``features`` as of ``cutoff`` (``outcomes`` as the cutoff knows them); None
    with fewer than ``MIN_EVENTS`` renewals in the spells (``cache``: see ``spells``)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    rows, ys, bands = spells(outcomes, index, cutoff, cache)
    if sum(ys) < MIN_EVENTS or sum(ys) == len(ys):
        return None
    cols = [FEATURES.index(f) for f in features]
    Z = np.asarray(rows, dtype=float)[:, cols]
    mean = Z.mean(axis=0)
    scale = Z.std(axis=0)
    scale[scale == 0] = 1.0
    n_bands = max(bands) + 1
    B = np.zeros((len(bands), n_bands))
    B[np.arange(len(bands)), bands] = 1.0
    X = np.hstack([(Z - mean) / scale, B])
    lr = LogisticRegression(C=C_REG, max_iter=5000).fit(X, np.asarray(ys))
    coef = np.asarray(lr.coef_[0][: len(cols)], dtype=float)
    return RenewalHazard(cols, mean, scale, coef, len(ys), int(sum(ys)))
