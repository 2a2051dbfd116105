"""Walk-forward backtest: fit at each monthly cutoff, predict every open season, score against the end.

At each cutoff D the models are fit on ``view.at(D)`` only; every season open at D (premiered within a
year) gets a forecast. Each forecast is scored once the season's outcome is known in the full store
(its eventual label); seasons still open at the end of the data are left out and counted.

Metrics: AUC, Brier, log loss, expected calibration error (10 equal-width bins) and accuracy at 0.5,
for every (cutoff, season) forecast and for each season's first forecast; baselines: the base
rate with censoring at the cutoff (``hazard.py``, the model without features), the renewed share among
seasons decided by the cutoff (biased toward renewals early on), the renewal rate by weeks in the Top
10, and by first-week hours (quintiles), the last three learned from the seasons decided by the cutoff.
"""

from __future__ import annotations

import csv
import math
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from renewcast.forecast.data import StoreView
from renewcast.forecast.labels import NOT_RENEWED, PRESUMED_RULE, RENEWED, Outcome, label_units
from renewcast.forecast.model import FittedModel, _has_rows, fit
from renewcast.sources.base import end_of_day

# "five weeks in": a season's odds at the first cutoff at least this many days after its premiere
EARLY_DAYS = 35


@dataclass(slots=True)
class Prediction:
    cutoff: date
    series: str
    season: int  # the season that aired; the forecast is for season + 1
    premiere: date
    age_days: int
    p: float | None
    p_base: float | None  # the censoring-aware base rate at this age (no features)
    p_decided: float | None  # the renewed share among seasons decided by the cutoff
    p_weeks: float | None
    p_hours: float | None
    weeks: int
    first_hours: float | None
    decision_p10: date | None
    decision_p50: date | None
    decision_p90: date | None
    release_p10: date | None
    release_p50: date | None
    release_p90: date | None
    release_cadence: bool = False  # the window followed the show's own cadence
    outcome: str = "open"
    outcome_rule: str = ""
    outcome_known: date | None = None
    next_premiere: date | None = None

    @property
    def y(self) -> int | None:
        return {RENEWED: 1, NOT_RENEWED: 0}.get(self.outcome)


@dataclass(slots=True)
class BacktestResult:
    start: date
    end: date
    cutoffs: list[date] = field(default_factory=list)
    predictions: list[Prediction] = field(default_factory=list)
    fits: list[dict[str, Any]] = field(default_factory=list)
    labels: dict[str, Any] = field(default_factory=dict)

    def scored(self, first_only: bool = False) -> list[Prediction]:
        out = [p for p in self.predictions if p.p is not None and p.y is not None]
        if not first_only:
            return out
        seen: set[tuple[str, int]] = set()
        firsts = []
        for p in sorted(out, key=lambda q: q.cutoff):
            if (p.series, p.season) not in seen:
                seen.add((p.series, p.season))
                firsts.append(p)
        return firsts

    def weeks_in(self, days: int = EARLY_DAYS, decided_only: bool = False) -> list[Prediction]:
        """One forecast per season: the first cutoff at least ``days`` after its premiere (odds
        as a reader would have seen them a few weeks into the run), outcome not yet known then.
        ``decided_only``: only seasons whose outcome is a decision or a next season, not the
        presumption that a season never followed means none is coming (most real cancellations
        are never announced, so the announced ones are a different mix)."""
        firsts: dict[tuple[str, int], Prediction] = {}
        for p in sorted(self.scored(), key=lambda q: q.cutoff):
            if (p.cutoff - p.premiere).days < days:
                continue
            if p.outcome_known is not None and p.outcome_known <= p.cutoff:
                continue
            if decided_only and p.outcome_rule == PRESUMED_RULE:
                continue
            firsts.setdefault((p.series, p.season), p)
        return list(firsts.values())

    def summary(self) -> dict[str, Any]:
        preds = self.predictions
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "cutoffs": len(self.cutoffs),
            "cutoffs_with_odds": sum(1 for f in self.fits if f["ok"]),
            "forecasts": len(preds),
            "forecasts_without_odds": sum(1 for p in preds if p.p is None),
            "forecasts_still_open_at_end": sum(1 for p in preds if p.y is None),
            "renewal": {
                "all": renewal_metrics(self.scored()),
                "first_per_season": renewal_metrics(self.scored(first_only=True)),
                "five_weeks_in": renewal_metrics(self.weeks_in()),
                "five_weeks_in_decided": renewal_metrics(self.weeks_in(decided_only=True)),
            },
            "by_half_year": self.by_half_year(),
            "reliability": reliability(
                [p.y or 0 for p in self.scored()], [p.p or 0.0 for p in self.scored()]
            ),
            "decision_timing": interval_errors(
                [
                    (p.decision_p10, p.decision_p50, p.decision_p90, p.outcome_known)
                    for p in preds
                    if p.y is not None and p.outcome_rule != PRESUMED_RULE
                ]
            ),
            "release_window": self.release_summary(),
            "labels": self.labels,
            "fits": self.fits,
        }

    def by_half_year(self) -> list[dict[str, Any]]:
        """AUC / Brier of the model and the baselines per half-year of the cutoffs."""
        halves: dict[str, list[Prediction]] = {}
        for p in self.scored():
            halves.setdefault(f"{p.cutoff.year} H{1 if p.cutoff.month <= 6 else 2}", []).append(p)
        out = []
        for half, ps in sorted(halves.items()):
            m = renewal_metrics(ps)
            row: dict[str, Any] = {"half": half, "n": m["n"], "renewed_share": m["renewed_share"]}
            for name in ("model", "base_rate", "decided_share", "weeks_in_top10"):
                row[name] = {k: m[name][k] for k in ("auc", "brier", "ece")}
            row["model_at_or_below_base_rate"] = m["model"]["brier"] <= m["base_rate"]["brier"]
            out.append(row)
        return out

    def release_summary(self) -> dict[str, Any]:
        """Release-window errors over every renewed season's forecasts, and split by whether the
        window followed the show's own cadence (a previous gap known) or only its peers."""
        rows = [
            p
            for p in self.predictions
            if p.outcome == RENEWED and p.next_premiere and p.next_premiere > p.cutoff
        ]

        def errors(ps: list[Prediction]) -> dict[str, Any]:
            return interval_errors(
                [(p.release_p10, p.release_p50, p.release_p90, p.next_premiere) for p in ps]
            )

        out = errors(rows)
        out["with_cadence"] = errors([p for p in rows if p.release_cadence])
        out["peer_curve_only"] = errors([p for p in rows if not p.release_cadence])
        return out


def monthly_cutoffs(start: date, end: date) -> list[date]:
    out = []
    y, m = start.year, start.month
    d = start
    while d <= end:
        out.append(d)
        m += 1
        if m > 12:
            y, m = y + 1, 1
        d = date(y, m, min(start.day, 28))
    return out


def run_backtest(
    view: StoreView,
    start: date,
    end: date,
    *,
    on_step: Callable[[date, int, int], None] | None = None,
) -> BacktestResult:
    """Walk forward over monthly cutoffs from ``start`` to ``end`` on a full view of the store."""
    from renewcast.forecast.labels import label_report

    eventual_list = label_units(view)
    eventual = {(o.unit.key, o.unit.season): o for o in eventual_list}
    result = BacktestResult(start, end, labels=label_report(eventual_list))
    result.cutoffs = monthly_cutoffs(start, end)
    model: FittedModel | None = None
    for i, d in enumerate(result.cutoffs):
        if on_step:
            on_step(d, i, len(result.cutoffs))
        model = fit(view.at(end_of_day(d)), model)
        result.fits.append(
            {
                "cutoff": d.isoformat(),
                "ok": model.ok,
                "n_renewed": model.n_pos,
                "n_not_renewed": model.n_neg,
                "mode": model.mode,
                "check": model.check.to_json() if model.check else None,
                "reason": model.reason,
            }
        )
        baselines = _Baselines(model)
        model.score([(o.unit, model.cutoff) for o in model.open_outcomes()])
        for o in model.open_outcomes():
            result.predictions.append(_predict(model, o, d, view, baselines, eventual))
    return result


def _predict(
    model: FittedModel,
    o: Outcome,
    d: date,
    view: StoreView,
    baselines: _Baselines,
    eventual: dict[tuple[str, int], Outcome],
) -> Prediction:
    u = o.unit
    s = model.index.summary(u, model.cutoff)
    age = (d - u.premiere).days
    dec, rel = model.dates(u, d)
    p = Prediction(
        cutoff=d,
        series=view.title_of(u.key),
        season=u.season,
        premiere=u.premiere,
        age_days=age,
        p=model.predict(u),
        p_base=model.base.p_renewed(age) if model.ok and model.base else None,
        p_decided=baselines.base,
        p_weeks=baselines.by_weeks(s.weeks),
        p_hours=baselines.by_hours(s.first_hours),
        weeks=s.weeks,
        first_hours=s.first_hours,
        decision_p10=dec.get("p10"),
        decision_p50=dec.get("p50"),
        decision_p90=dec.get("p90"),
        release_p10=rel.get("p10"),
        release_p50=rel.get("p50"),
        release_p90=rel.get("p90"),
        release_cadence=bool(rel) and model.release.cadence(u) is not None,
    )
    ev = eventual.get((u.key, u.season))
    if ev is not None and ev.decided and ev.known_at is not None and ev.known_at.date() > d:
        p.outcome, p.outcome_rule = ev.status, ev.rule
        p.outcome_known = ev.known_at.date()
        p.next_premiere = ev.next_premiere
    return p


class _Baselines:
    """Renewal rates among the seasons decided by the cutoff: overall, by weeks, by first-week hours."""

    def __init__(self, model: FittedModel) -> None:
        decided = [
            o
            for o in model.outcomes
            if o.status in (RENEWED, NOT_RENEWED) and _has_rows(o, model.cutoff)
        ]
        ys = [1 if o.status == RENEWED else 0 for o in decided]
        self.base = (sum(ys) + 1) / (len(ys) + 2) if model.ok else None
        sums = [model.index.summary(o.unit, model.cutoff) for o in decided]
        self._weeks = _rates([_week_bin(s.weeks) for s in sums], ys)
        hours = sorted(s.first_hours or 0.0 for s in sums)
        self._edges = [hours[int(len(hours) * q / 5)] for q in range(1, 5)] if hours else []
        self._hours = _rates([bisect_right(self._edges, s.first_hours or 0.0) for s in sums], ys)

    def by_weeks(self, weeks: int) -> float | None:
        return self._weeks.get(_week_bin(weeks), self.base) if self.base is not None else None

    def by_hours(self, hours: float | None) -> float | None:
        if self.base is None:
            return None
        return self._hours.get(bisect_right(self._edges, hours or 0.0), self.base)


def _week_bin(weeks: int) -> int:
    return min(weeks, 6)


def _rates(keys: list[int], ys: list[int]) -> dict[int, float]:
    tot: dict[int, list[int]] = {}
    for k, y in zip(keys, ys, strict=True):
        tot.setdefault(k, []).append(y)
    return {k: (sum(v) + 1) / (len(v) + 2) for k, v in tot.items()}


# ------------------------------------------------------------------ metrics
def renewal_metrics(preds: list[Prediction]) -> dict[str, Any]:
    if not preds:
        return {"n": 0}
    y = [p.y for p in preds if p.y is not None]
    out: dict[str, Any] = {"n": len(y), "renewed_share": round(sum(y) / len(y), 4)}
    models: dict[str, list[float]] = {
        "model": [p.p for p in preds if p.p is not None],
        "base_rate": [p.p_base if p.p_base is not None else 0.5 for p in preds],
        "decided_share": [p.p_decided if p.p_decided is not None else 0.5 for p in preds],
        "weeks_in_top10": [p.p_weeks if p.p_weeks is not None else 0.5 for p in preds],
        "first_week_hours": [p.p_hours if p.p_hours is not None else 0.5 for p in preds],
    }
    share = sum(y) / len(y)
    models["oracle_constant"] = [share] * len(y)
    for name, ps in models.items():
        out[name] = score(y, ps)
    b_model = out["model"]["brier"]
    for ref in ("base_rate", "oracle_constant"):
        b_ref = out[ref]["brier"]
        out[f"brier_skill_vs_{ref}"] = round(1 - b_model / b_ref, 4) if b_ref else None
    return out


def score(y: list[int], p: list[float]) -> dict[str, float | None]:
    from sklearn.metrics import roc_auc_score

    eps = 1e-6
    n = len(y)
    brier = sum((pi - yi) ** 2 for pi, yi in zip(p, y, strict=True)) / n
    ll = -sum(
        yi * math.log(max(pi, eps)) + (1 - yi) * math.log(max(1 - pi, eps))
        for pi, yi in zip(p, y, strict=True)
    )
    acc = sum((pi >= 0.5) == (yi == 1) for pi, yi in zip(p, y, strict=True)) / n
    auc = roc_auc_score(y, p) if 0 < sum(y) < n else None
    return {
        "auc": round(float(auc), 4) if auc is not None else None,
        "brier": round(brier, 4),
        "log_loss": round(ll / n, 4),
        "ece": round(ece(y, p), 4),
        "accuracy": round(acc, 4),
    }


def ece(y: list[int], p: list[float], bins: int = 10) -> float:
    """Expected calibration error: |mean p − share renewed| per equal-width bin, weighted by size."""
    total = 0.0
    for b in range(bins):
        idx = [i for i, pi in enumerate(p) if min(int(pi * bins), bins - 1) == b]
        if idx:
            gap = abs(sum(p[i] for i in idx) / len(idx) - sum(y[i] for i in idx) / len(idx))
            total += gap * len(idx)
    return total / len(y) if y else 0.0


def reliability(y: list[int], p: list[float], bins: int = 10) -> list[dict[str, float]]:
    rows = []
    for b in range(bins):
        idx = [i for i, pi in enumerate(p) if min(int(pi * bins), bins - 1) == b]
        if idx:
            rows.append(
                {
                    "bin": b,
                    "n": len(idx),
                    "mean_p": round(sum(p[i] for i in idx) / len(idx), 4),
                    "share_renewed": round(sum(y[i] for i in idx) / len(idx), 4),
                }
            )
    return rows


def interval_errors(
    rows: list[tuple[date | None, date | None, date | None, date | None]],
) -> dict[str, Any]:
    """Median absolute error of p50 (days) and share of actual dates inside [p10, p90] (a forecast
    without one of the bounds counts as a miss)."""
    errs = []
    inside = 0
    open_ended = 0
    n = 0
    for p10, p50, p90, actual in rows:
        if actual is None or p50 is None:
            continue
        n += 1
        errs.append(abs((p50 - actual).days))
        open_ended += p10 is None or p90 is None
        # a missing bound is not a hit: the interval must contain the date
        inside += p10 is not None and p90 is not None and p10 <= actual <= p90
    if not n:
        return {"n": 0, "without_p50": len(rows)}
    errs.sort()
    return {
        "n": n,
        "without_p50": len(rows) - n,
        "median_abs_days": errs[len(errs) // 2] if n % 2 else (errs[n // 2 - 1] + errs[n // 2]) / 2,
        "coverage_80": round(inside / n, 4),
        "without_p10_or_p90": open_ended,
    }


# ------------------------------------------------------------------ report files
def write_report(result: BacktestResult, folder: Path) -> list[Path]:
    """The per-season CSV, the summary JSON and a reliability plot (PNG, or HTML without matplotlib)."""
    import json

    from renewcast.hygiene import csv_cell

    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / "backtest_forecasts.csv", folder / "backtest_summary.json"]
    with paths[0].open("w", newline="", encoding="utf-8") as fh:
        names = list(Prediction.__dataclass_fields__)
        w = csv.DictWriter(fh, fieldnames=names)
        w.writeheader()
        for p in result.predictions:
            # a title like "=HYPERLINK(…)" must stay text when the CSV is opened in a spreadsheet
            w.writerow({k: ("" if v is None else csv_cell(v)) for k, v in asdict(p).items()})
    paths[1].write_text(json.dumps(result.summary(), indent=2, default=str), encoding="utf-8")
    scored = result.scored()
    y = [p.y or 0 for p in scored]
    ps = [p.p or 0.0 for p in scored]
    paths.append(plot_reliability(reliability(y, ps), folder))
    return paths


def plot_reliability(rows: list[dict[str, float]], folder: Path) -> Path:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover - matplotlib is installed here
        return _plot_html(rows, folder)
    fig, ax = plt.subplots(figsize=(5, 5), dpi=100)
    ax.plot([0, 1], [0, 1], color="grey", linestyle="--", label="perfect")
    ax.plot(
        [r["mean_p"] for r in rows],
        [r["share_renewed"] for r in rows],
        marker="o",
        label="renewcast",
    )
    for r in rows:
        ax.annotate(str(int(r["n"])), (r["mean_p"], r["share_renewed"]), fontsize=7)
    ax.set_xlabel("forecast P(renewed)")
    ax.set_ylabel("share renewed")
    ax.set_title("Reliability (walk-forward)")
    ax.legend(loc="upper left")
    path = folder / "reliability.png"
    fig.savefig(path, bbox_inches="tight")
    plt.close(fig)
    return path


def _plot_html(rows: list[dict[str, float]], folder: Path) -> Path:  # pragma: no cover
    import plotly.graph_objects as go

    fig = go.Figure()
    fig.add_scatter(x=[0, 1], y=[0, 1], name="perfect", line={"dash": "dash"})
    fig.add_scatter(
        x=[r["mean_p"] for r in rows], y=[r["share_renewed"] for r in rows], name="renewcast"
    )
    path = folder / "reliability.html"
    fig.write_html(path, include_plotlyjs=True)
    return path
