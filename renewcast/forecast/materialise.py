"""Forecasts computed ahead, per weekly cutoff, and kept in the store.

A cutoff is a Top 10 publication Tuesday (every Tuesday from the first list in the store to
today); its forecasts are those a model fit on the rows available by the end of that Tuesday gives.
Each cutoff carries a *fingerprint* of its inputs — the rows available by then (chart, engagement,
facts, relabels, news claims), the series titles that key them and the model version — so a refresh
after ``sync`` or ``news add`` recomputes only the cutoffs whose inputs changed (new rows dated
2024-03 leave every earlier cutoff as it was) and marks the others current for the new data version.

Stored per cutoff: every season still open (the board is those premiered within a year) and every
season decided in the ``RECENT_DAYS`` before it; other questions (a season decided long before) are
computed on the spot.
"""

from __future__ import annotations

import hashlib
import time
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine

from renewcast.forecast.api import forecast_from_model, latest_cutoff, model_summary
from renewcast.forecast.data import StoreView, load_view
from renewcast.forecast.features import MAX_AGE_DAYS
from renewcast.forecast.labels import OPEN, RENEWED
from renewcast.forecast.model import VERSION, FittedModel, fit
from renewcast.sources.base import end_of_day
from renewcast.sources.netflix_top10 import published_at
from renewcast.store.cache import data_version
from renewcast.store.forecasts import (
    StoredForecast,
    board_history,
    confirm_cutoffs,
    drop_cutoffs,
    save_accuracy,
    save_cutoff,
    save_shows,
    stored_cutoffs,
    version_text,
)

#: the fewest decided seasons for a track-record share
MIN_TRACK = 10
#: decided seasons stay materialised this long after their outcome became known
RECENT_DAYS = 180


def weekly_cutoffs(view: StoreView, today: date) -> list[date]:
    """Every Tuesday from the first global Top 10 list's publication to ``today``."""
    weeks = [r.week for r in view.chart if r.list == "global"]
    if not weeks:
        return []
    d, last = published_at(min(weeks)).date(), latest_cutoff(today)
    out = []
    while d <= last:
        out.append(d)
        d += timedelta(days=7)
    return out


class Fingerprints:
    """Order-independent running hashes of the view's rows by availability, read at any cutoff."""

    def __init__(self, view: StoreView) -> None:
        items: list[tuple[datetime, int]] = []
        for rows in (view.chart, view.engagement, view.facts, view.relabels, view.claims):
            for r in rows:
                items.append((r.known_at, _h(repr(r))))
        items.sort(key=lambda x: x[0])
        self.times = [t for t, _ in items]
        self.sums: list[int] = []
        acc = 0
        for _, h in items:
            acc = (acc + h) % (1 << 64)
            self.sums.append(acc)
        self.titles = _h(repr(sorted(view.titles.items())))

    def at(self, cutoff: date) -> str:
        n = bisect_right(self.times, end_of_day(cutoff))
        acc = self.sums[n - 1] if n else 0
        return f"{n}:{acc:016x}:{self.titles:016x}"


def _h(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


History = dict[date, list[tuple[str, int, float, float | None]]]


def _known(model: FittedModel) -> dict[tuple[str, int], str]:
    """(show key, season asked) → the outcome, of every season the cutoff knows decided."""
    view = model.index.view
    return {
        (view.key(o.unit.series_id), o.unit.season + 1): o.status
        for o in model.outcomes
        if o.decided
    }


Bands = dict[int, set[tuple[str, int]]]


def _in_band(b: int, q: float) -> bool:
    lo = b / 10
    return lo <= q < lo + 0.1 or (lo == 0.9 and q >= 1.0)


def bands_before(history: History, cutoff: date) -> Bands:
    """10-point band → the seasons given odds in it at weekly cutoffs before ``cutoff``."""
    out: Bands = {b: set() for b in range(10)}
    for d, rows in history.items():
        if d >= cutoff:
            continue
        for k, n, q, _ in rows:
            c = min(int(q * 10), 9)
            for b in (c - 1, c, c + 1):
                if 0 <= b <= 9 and _in_band(b, q):
                    out[b].add((k, n))
    return out


def track_record(
    model: FittedModel,
    history: History,
    p: float,
    known: dict[tuple[str, int], str],
    bands: Bands | None = None,
) -> tuple[str, dict[str, Any]]:
    """How odds like ``p`` given at earlier weekly cutoffs have fared, as the cutoff knows the
    outcomes (``known``): each season counted once per 10-point band it was given (``bands``:
    ``bands_before(history, cutoff)``, when already built)."""
    b = min(int(p * 10), 9)
    lo = b / 10
    if bands is None:
        bands = bands_before(history, model.cutoff.date())
    seasons = bands[b]
    decided = [known[s] for s in seasons if s in known]
    band = f"{round(100 * lo)}–{round(100 * lo) + 10}%"
    renewed = sum(1 for st in decided if st == RENEWED)
    info = {"band": band, "seasons": len(seasons), "decided": len(decided), "renewed": renewed}
    if len(decided) < MIN_TRACK:
        return (
            f"track record: too few seasons given {band} at earlier weekly updates have been "
            f"decided yet ({len(decided)}) to say how such odds fared",
            info,
        )
    waiting = len(seasons) - len(decided)
    # renewals become known sooner than ends (a next season shows up in the charts; an end is
    # often known only from a later list), so while many wait the share leans to renewals
    still = (
        f"; {waiting} more are still waiting, and renewals tend to be known sooner than endings"
        if waiting
        else ""
    )
    return (
        f"track record: of {len(decided)} seasons given {band} at earlier weekly updates and "
        f"decided since, {round(100 * renewed / len(decided))}% were renewed{still}",
        info,
    )


def forecasts_at(
    model: FittedModel, cutoff: date, history: History | None = None
) -> list[StoredForecast]:
    """The forecasts a cutoff keeps: open seasons, and seasons decided in the last RECENT_DAYS;
    each forecast with odds says how such odds fared at earlier cutoffs (``history``)."""
    view = model.index.view
    out: dict[tuple[str, int], StoredForecast] = {}
    recent = end_of_day(cutoff - timedelta(days=RECENT_DAYS))
    known = _known(model) if history is not None else {}
    bands = bands_before(history, cutoff) if history is not None else None
    model.score([(o.unit, model.cutoff) for o in model.outcomes if o.status == OPEN])
    for o in model.outcomes:
        if o.status != OPEN and (o.known_at is None or o.known_at < recent):
            continue
        key = view.key(o.unit.series_id)
        fc = forecast_from_model(model, view, o.unit.series_id, o.unit.season + 1, cutoff)
        board = o.status == OPEN and (cutoff - o.unit.premiere).days <= MAX_AGE_DAYS
        if o.status == OPEN and fc.p_renewal is not None and history is not None:
            line, info = track_record(model, history, fc.p_renewal, known, bands)
            fc.explanation.append(line)
            fc.model_info["track_record"] = info
        p_base = None
        if o.status == OPEN and model.ok and model.base is not None:
            p_base = model.base.p_renewed((cutoff - o.unit.premiere).days)
        out[(key, fc.season)] = StoredForecast(
            key,
            fc.season,
            fc.status,
            fc.p_renewal,
            board,
            {"series_id": fc.series_id, **fc.to_json()},
            p_base,
        )
    return list(out.values())


@dataclass(slots=True)
class RefreshReport:
    cutoffs: int = 0
    computed: list[date] = field(default_factory=list)
    unchanged: int = 0
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "cutoffs": self.cutoffs,
            "computed": len(self.computed),
            "unchanged": self.unchanged,
            "first_computed": self.computed[0].isoformat() if self.computed else None,
            "seconds": round(self.seconds, 1),
        }


def refresh(
    engine: Engine,
    *,
    today: date,
    on_step: Callable[[date, int, int], None] | None = None,
    only_if_materialised: bool = False,
) -> RefreshReport:
    """Recompute the cutoffs whose inputs changed (all of them the first time). With
    ``only_if_materialised`` a store that never had forecasts materialised is left alone."""
    t0 = time.perf_counter()
    report = RefreshReport()
    with engine.connect() as conn:
        stored = stored_cutoffs(conn)
        if only_if_materialised and not stored:
            return report
        view = load_view(conn)
        version = version_text(data_version(conn, None))
    cutoffs = weekly_cutoffs(view, today)
    report.cutoffs = len(cutoffs)
    prints = Fingerprints(view)
    todo, same = [], []
    for d in cutoffs:
        fp = f"{VERSION}|{prints.at(d)}"
        old = stored.get(d)
        if old is not None and old.fingerprint == fp and old.model_version == VERSION:
            same.append(d)
        else:
            todo.append((d, fp))
    with engine.begin() as conn:
        confirm_cutoffs(conn, same, version)
        drop_cutoffs(conn, [d for d in stored if d not in set(cutoffs)])
        if todo:
            save_shows(conn, view.shows)
    report.unchanged = len(same)
    with engine.connect() as conn:
        history = board_history(conn) if todo else {}
    redo = {d for d, _ in todo}
    history = {d: rows for d, rows in history.items() if d not in redo}
    model: FittedModel | None = None
    for i, (d, fp) in enumerate(todo):
        if on_step:
            on_step(d, i, len(todo))
        model, rows = _materialise_one(engine, view, d, fp, version, history, model)
        history[d] = [
            (r.show_key, r.season, r.p_renewal, r.p_base)
            for r in rows
            if r.board and r.p_renewal is not None
        ]
        report.computed.append(d)
        if d == cutoffs[-1]:  # the latest cutoff knows the most outcomes: score the history
            with engine.begin() as conn:
                save_accuracy(conn, accuracy(model, history))
    if on_step and todo:
        on_step(todo[-1][0], len(todo), len(todo))
    report.seconds = time.perf_counter() - t0
    return report


def _materialise_one(
    engine: Engine,
    view: StoreView,
    d: date,
    fp: str,
    version: str,
    history: History,
    previous: FittedModel | None,
) -> tuple[FittedModel, list[StoredForecast]]:
    t = time.perf_counter()
    model = fit(view.at(end_of_day(d)), previous)
    rows = forecasts_at(model, d, history)
    summary = {**model_summary(model), "reason": model.reason}
    seasons = seasons_at(model, d)
    with engine.begin() as conn:
        save_cutoff(
            conn,
            d,
            fingerprint=fp,
            data_version=version,
            model_version=VERSION,
            summary=summary,
            seconds=time.perf_counter() - t,
            rows=rows,
            seasons=seasons,
        )
    return model, rows


def seasons_at(model: FittedModel, cutoff: date) -> dict[str, Any]:
    """Every season the cutoff knows as a new season, by show key: its outcome, how it became
    known and (renewed) its release window — what ``forecast_from_model`` says of a season
    without a stored row, kept so that answering it never needs a fit."""
    view = model.index.view
    out: dict[str, Any] = {}
    for o in model.outcomes:
        k = o.unit.key
        entry = out.setdefault(k, {"title": view.shows.get(k), "seasons": {}})
        release = None
        if o.status == RENEWED and model.ok:
            window = model.release.quantiles(o.unit, cutoff) or {}
            release = {name: d.isoformat() for name, d in window.items()}
        known = o.known_at.date().isoformat() if o.known_at else None
        entry["seasons"][str(o.unit.season + 1)] = [o.status, known, o.rule, release]
    return out


def _half(d: date) -> str:
    return f"{d.year} H{1 if d.month <= 6 else 2}"


def accuracy(model: FittedModel, history: History) -> dict[str, Any]:
    """How the weekly forecasts fared, scored against the outcomes ``model`` (the latest cutoff)
    knows: AUC, Brier and calibration of the odds and of the starting point (base rate), overall
    and by half-year of the cutoff, and the reliability diagram."""
    from renewcast.forecast.backtest import reliability, score

    view = model.index.view
    known = {
        (view.key(o.unit.series_id), o.unit.season + 1): o
        for o in model.outcomes
        if o.decided and o.known_at is not None
    }
    scored: list[tuple[date, int, float, float]] = []
    # forecasts of seasons not decided yet: renewals are known sooner than endings, so a recent
    # half-year's scored forecasts are mostly the quick renewals until the rest are decided
    waiting: Counter[str] = Counter()
    for d, rows in sorted(history.items()):
        for k, n, p, base in rows:
            o = known.get((k, n))
            if o is None:
                waiting[_half(d)] += 1
            if o is None or base is None or o.known_at is None or o.known_at.date() <= d:
                continue
            scored.append((d, int(o.status == RENEWED), p, base))

    def block(items: list[tuple[date, int, float, float]], still: int) -> dict[str, Any]:
        y = [i[1] for i in items]
        return {
            "n": len(y),
            "renewed_share": round(sum(y) / len(y), 4) if y else None,
            "waiting": still,
            "odds": score(y, [i[2] for i in items]) if y else None,
            "starting_point": score(y, [i[3] for i in items]) if y else None,
        }

    halves: dict[str, list[tuple[date, int, float, float]]] = {h: [] for h in waiting}
    for item in scored:
        halves.setdefault(_half(item[0]), []).append(item)
    return {
        "as_of": model.cutoff.date().isoformat(),
        "weekly_cutoffs": len(history),
        "all": block(scored, sum(waiting.values())),
        "by_half_year": [{"half": h, **block(v, waiting[h])} for h, v in sorted(halves.items())],
        "reliability": reliability([i[1] for i in scored], [i[2] for i in scored]),
    }
