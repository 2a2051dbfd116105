"""The forecast the answer layer calls: ``forecast_season(conn_or_engine, series_id, season, as_of)``.

``season`` is the season asked about ("will there be season 2?" → 2); the model scores the season
before it. Odds come from a model fit only on what was available by the end of ``as_of``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine

from renewcast.forecast.data import StoreView, load_view
from renewcast.forecast.features import FeatureIndex
from renewcast.forecast.labels import (
    LIMITED,
    NOT_RENEWED,
    OPEN,
    PRESUMED_DAYS,
    PRESUMED_RULE,
    RENEWED,
    Outcome,
    Unit,
    late_returns,
)
from renewcast.forecast.model import (
    PULLED_MODES,
    TEMPERATURE,
    VERSION,
    FittedModel,
    calibrated,
    fit,
)
from renewcast.store.cache import LRU, data_version
from renewcast.store.db import as_of_cutoff
from renewcast.store.forecasts import StoredCutoff


def latest_cutoff(as_of: date) -> date:
    """The latest Top 10 publication Tuesday on or before ``as_of`` (the weekly cutoffs)."""
    return as_of - timedelta(days=(as_of.weekday() - 1) % 7)


@dataclass(slots=True)
class Forecast:
    series: str
    series_id: int
    season: int  # the season asked about
    as_of: date
    status: str  # open | renewed | not_renewed | limited | unknown
    p_renewal: float | None
    reason: str | None = None
    decision: dict[str, date | None] = field(default_factory=dict)
    release_window: dict[str, date | None] = field(default_factory=dict)
    explanation: list[str] = field(default_factory=list)
    trained_through: date | None = None
    n_train: int = 0
    cutoff: date | None = None  # the weekly update (a Top 10 publication Tuesday) it is as of
    model_info: dict[str, Any] = field(default_factory=dict)  # internals, for --json only

    @property
    def cutoff_note(self) -> str | None:
        """Which weekly update an as-of date between two of them uses."""
        if self.cutoff is None or self.cutoff == self.as_of:
            return None
        return (
            f"as of the weekly update of {self.cutoff.isoformat()} (Tuesday), the latest on or "
            f"before {self.as_of.isoformat()}"
        )

    def to_json(self) -> dict[str, Any]:
        def d(x: date | None) -> str | None:
            return x.isoformat() if x else None

        return {
            "series": self.series,
            "season": self.season,
            "as_of": self.as_of.isoformat(),
            "cutoff": d(self.cutoff),
            "cutoff_note": self.cutoff_note,
            "status": self.status,
            "p_renewal": round(self.p_renewal, 4) if self.p_renewal is not None else None,
            "reason": self.reason,
            "decision": {k: d(self.decision.get(k)) for k in ("p10", "p50", "p90")},
            "release_window": {k: d(self.release_window.get(k)) for k in ("p10", "p50", "p90")},
            "explanation": self.explanation,
            "model": {
                "trained_through": d(self.trained_through),
                "n_train": self.n_train,
                "version": VERSION,
                **self.model_info,
            },
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], series_id: int, as_of: date) -> Forecast:
        """A stored forecast read back for a (possibly later) as-of date."""

        def d(x: str | None) -> date | None:
            return date.fromisoformat(x) if x else None

        model = dict(data.get("model") or {})
        trained = d(model.pop("trained_through", None))
        n_train = int(model.pop("n_train", 0))
        model.pop("version", None)
        return cls(
            series=data["series"],
            series_id=series_id,
            season=int(data["season"]),
            as_of=as_of,
            status=data["status"],
            p_renewal=data["p_renewal"],
            reason=data.get("reason"),
            decision={k: d(v) for k, v in data["decision"].items()},
            release_window={k: d(v) for k, v in data["release_window"].items()},
            explanation=list(data.get("explanation") or []),
            trained_through=trained,
            n_train=n_train,
            cutoff=d(data.get("cutoff")),
            model_info=model,
        )


# Fitted models per (store, version of what was known by the cutoff, cutoff): used when a cutoff
# is not materialised for the store's current data (``forecast/materialise.py``); an import, or an
# article public by the cutoff, refits; an article published later does not.
_MODELS: LRU[FittedModel] = LRU(16)


def model_as_of(conn: Connection, as_of: date) -> FittedModel:
    cutoff = as_of_cutoff(latest_cutoff(as_of))
    assert cutoff is not None
    key = (str(conn.engine.url), data_version(conn, cutoff), cutoff)
    return _MODELS.get(key, lambda: fit(load_view(conn, cutoff)))


def _stored_cutoff(conn: Connection, as_of: date) -> date | None:
    """The weekly cutoff for ``as_of`` when it is materialised for the store's current data."""
    got = _current(conn, as_of)
    return got.cutoff if got is not None else None


def _current(conn: Connection, as_of: date) -> StoredCutoff | None:
    from renewcast.store.forecasts import current_cutoff, version_text

    want = latest_cutoff(as_of)
    got = current_cutoff(conn, as_of, version_text(data_version(conn, None)), VERSION)
    return got if got is not None and got.cutoff == want else None


def forecast_season(
    conn_or_engine: Connection | Engine,
    series_id: int,
    season: int | None,
    as_of: date | None = None,
) -> Forecast:
    """Odds, decision timing and release window of ``season`` (default: the next one), as of the
    latest weekly cutoff (Top 10 publication Tuesday) on or before ``as_of``: read from the
    materialised forecasts when they are current, computed otherwise."""
    as_of = as_of or datetime.now(UTC).date()
    if isinstance(conn_or_engine, Engine):
        with conn_or_engine.connect() as conn:
            return forecast_season(conn, series_id, season, as_of)
    conn = conn_or_engine
    stored = _current(conn, as_of)
    if stored is not None:
        from renewcast.store.forecasts import series_key, stored_forecasts

        cutoff, key = stored.cutoff, series_key(conn, series_id)
        rows = stored_forecasts(conn, cutoff, key)
        if season is None and rows:
            season = rows[-1].season
        row = next((r for r in rows if r.season == season), None)
        if row is not None:
            return Forecast.from_json(row.payload, series_id, as_of)
        fc = _from_stored_seasons(conn, stored, key, series_id, season)
        if fc is not None:
            fc.as_of = as_of
            return fc
    model = model_as_of(conn, as_of)
    fc = forecast_from_model(model, model.index.view, series_id, season, model.cutoff.date())
    fc.as_of = as_of
    return fc


def _from_stored_seasons(
    conn: Connection, stored: StoredCutoff, key: str, series_id: int, season: int | None
) -> Forecast | None:
    """A season without a stored forecast row (decided long before the cutoff, or not a new
    season in the Top 10), answered from what the cutoff stored of the show's seasons — what
    ``forecast_from_model`` says of it, without fitting anything."""
    from renewcast.store.forecasts import show_title, stored_seasons

    info = stored_seasons(conn, stored, key)
    if info is None:
        return None
    cutoff = stored.cutoff
    seasons = {int(n): v for n, v in info["seasons"].items()}
    title = info["title"] or show_title(conn, key) or _series_title(conn, series_id)
    if season is None:
        season = max(seasons) if seasons else 2
    summary = stored.summary
    fc = Forecast(title, series_id, season, cutoff, "unknown", None, cutoff=cutoff)
    fc.trained_through = cutoff
    fc.n_train = int(summary.get("n_renewed", 0)) + int(summary.get("n_not_renewed", 0))
    fc.model_info = {k: summary.get(k) for k in model_summary_keys()}
    entry = seasons.get(season)
    if entry is None:
        from renewcast.store.catalog import charted_globally
        from renewcast.store.db import as_of_cutoff

        charted = season > 1 and charted_globally(conn, series_id, season - 1, as_of_cutoff(cutoff))
        fc.reason = _not_a_unit(title, season, charted)
        return fc
    status, known, rule, release = entry
    if status == OPEN:  # every open season has a stored row: this one should have been found
        return None
    _fill_decided(fc, status, date.fromisoformat(known) if known else None, rule, season - 1, title)
    if release:
        fc.release_window = {k: date.fromisoformat(v) for k, v in release.items()}
    return fc


def _series_title(conn: Connection, series_id: int) -> str:
    from renewcast.store.catalog import series_title

    return series_title(conn, series_id) or str(series_id)


def _not_a_unit(title: str, season: int, charted: bool = False) -> str:
    """Why a season has no odds; ``charted``: the season before it was in the global Top 10, but
    not as a new season (a source dates it, or a later season, well before it charted)."""
    if season <= 1:
        return (
            f"no odds for {title} season {season}: odds are given for the season after one "
            "that reached Netflix's global Top 10 as a new season"
        )
    if charted:
        return (
            f"no odds for {title} season {season}: odds are given only for the season after one "
            f"that reached Netflix's global Top 10 as a new season; season {season - 1} was in "
            "it, but sources date it, or a later season, well before it charted (a show that "
            "came to Netflix after its first run, or another show of the same name)"
        )
    return (
        f"no odds for {title} season {season}: odds are given only for the season after one "
        f"that reached Netflix's global Top 10 as a new season, and season {season - 1} had "
        "not by this date"
    )


def _fill_decided(
    fc: Forecast, status: str, known: date | None, rule: str, aired: int, title: str
) -> None:
    """A decided season's forecast: the outcome, how it became known, in words. A season only
    presumed over (no sign of another two years after its premiere) is not certain: its odds are
    the share of such seasons renewed later, as known at the cutoff (from ``MIN_LATE`` of them)."""
    fc.status = status
    fc.p_renewal = {RENEWED: 1.0, NOT_RENEWED: 0.0}.get(status)
    fc.reason = _decided_words(status, known, rule, aired, title)
    late = fc.model_info.get("late_returns")
    if rule == PRESUMED_RULE and isinstance(late, dict) and late.get("seasons", 0) >= MIN_LATE:
        n, k = int(late["seasons"]), int(late["renewed"])
        fc.p_renewal = round(k / n, 4)
        fc.reason = (
            f"no sign of a season {aired + 1} of {title} in the two years after season "
            f"{aired}'s premiere (to {known.isoformat() if known else 'an unknown date'}); of "
            f"the {n} seasons that had gone that long without news, {k} were renewed later"
        )
    fc.explanation = [fc.reason]
    fc.model_info["rule"] = rule


def forecast_from_model(
    model: FittedModel, view: StoreView, series_id: int, season: int | None, as_of: date
) -> Forecast:
    key = view.key(series_id)
    by_key = model.memo.get("by_key")
    if by_key is None:
        by_key = model.memo["by_key"] = {}
        for x in model.outcomes:
            by_key.setdefault(x.unit.key, []).append(x)
    mine = sorted(by_key.get(key, []), key=lambda o: o.unit.season)
    title = view.shows.get(key) or view.titles.get(series_id, str(series_id))
    if season is None:
        season = (mine[-1].unit.season + 1) if mine else 2
    fc = Forecast(title, series_id, season, as_of, "unknown", None, cutoff=as_of)
    fc.trained_through, fc.n_train = model.trained_through, model.n_train
    fc.model_info = model_summary(model)
    o = next((x for x in mine if x.unit.season == season - 1), None)
    if o is None:
        charted = any(
            r.list == "global" and r.key == key and r.season == season - 1 for r in view.chart
        )
        fc.reason = _not_a_unit(title, season, charted)
        return fc
    fc.status = o.status
    if o.status != OPEN:
        known = o.known_at.date() if o.known_at else None
        _fill_decided(fc, o.status, known, o.rule, o.unit.season, title)
        if o.status == RENEWED and model.ok:
            fc.release_window = dict(model.release.quantiles(o.unit, as_of) or {})
        return fc
    if not model.ok:
        fc.reason = f"no odds: {model.reason}"
        fc.explanation = [fc.reason]
        return fc
    u = o.unit
    fc.p_renewal = model.predict(u)
    decision, release = model.dates(u, as_of)
    fc.decision, fc.release_window = dict(decision), dict(release)
    fc.explanation = explain(model, o)
    d50, d90 = decision.get("p50"), decision.get("p90")
    if model.timing is not None and d50 is not None and d90 is not None:
        age = (as_of - u.premiere).days
        share = round(100 * model.timing.announced_share(age))
        cap = u.premiere + timedelta(days=PRESUMED_DAYS)
        fc.explanation.insert(
            0,
            f"news of a decision, if it comes before {cap.isoformat()}, is likely by "
            f"{d50.isoformat()} (9 in 10 by {d90.isoformat()}); about "
            f"{share}% of seasons waiting this long hear something by then — with no news by "
            "then, it counts as not renewed",
        )
    return fc


#: seasons presumed over needed before their later-renewal share is given as their odds
MIN_LATE = 20

#: how an outcome became known, in words (labels.py rule → phrase)
RULE_WORDS = {
    "next-season-top10": "its next season appeared in Netflix's Top 10",
    "next-season-renewed": "Wikipedia listed it as renewed",
    "next-season-status": "Wikipedia listed it as renewed",
    "next-season-premiere": "a premiere date for its next season was listed",
    "next-season-final": "its next season was announced as the final one",
    "next-season-count": "a later season was listed",
    "next-season-engagement": "Netflix's engagement report listed a later season",
    "next-season-news": "a news report said so",
    "ended-status": "Wikipedia listed it as ended",
    "final-season": "it was billed as the final season",
    "claim-ended": "a news report said it was cancelled or ending",
    "presumed-no-next-season": "there was no sign of a new season two years after its premiere",
    "limited": "it is a limited series",
}


def _decided_words(status: str, known: date | None, rule: str, n: int, title: str) -> str:
    """How season ``n``'s outcome became known, in words."""
    when = known.isoformat() if known else "an unknown date"
    how = RULE_WORDS.get(rule, "the sources said so")
    if status == RENEWED:
        return f"{title} season {n + 1} is already known: {how} ({when})"
    if status == LIMITED:
        return f"{title} is a limited series ({when}): no further season is expected"
    return f"{title} is not coming back after season {n}: {how} ({when})"


# ------------------------------------------------------------------ explanations
_WORDS = {
    "weeks": "weeks in the global Top 10",
    "weeks_rate": "share of weeks spent in the Top 10",
    "peak": "peak rank",
    "mean_rank": "average rank",
    "first_hours_log": "first-week hours",
    "hours28_log": "hours in its first 28 days",
    "decay": "week-over-week drop",
    "has_week2": "a second week in the Top 10",
    "peer_pct": "first week against peers of the past year",
    "engagement_pct": "engagement-report hours against the same half-year's releases",
    "season_log": "season number",
    "english": "English-language list",
    "age": "time since premiere",
    "reality": "reality genre",
    "documentary": "documentary genre",
    "animation": "animation/family genre",
    "news_pending": "news reports of an undecided future",
    "first_rel_log": "first-week hours against that week's Top 10 median",
    "hours28_rel_log": "first 28 days against those weeks' Top 10 medians",
    "legs": "weeks in the Top 10 after its first 28 days",
    "prev_new_season": "previous season also premiered new on Netflix",
    "growth": "first week against the previous season's first week",
}


def explain(model: FittedModel, o: Outcome) -> list[str]:
    u = o.unit
    idx: FeatureIndex = model.index
    s = idx.summary(u, model.cutoff)
    lang = "English" if u.english else "non-English"
    peers = _peer_weeks(model, u.english, (model.cutoff.date() - u.premiere).days)
    lines = []
    ren = [w for st, w in peers if st == RENEWED]
    not_ren = [w for st, w in peers if st == NOT_RENEWED]
    if s.weeks:
        peak = f", peak #{s.peak}" if s.peak else ""
        lines.append(
            f"{s.weeks} week{'s' if s.weeks != 1 else ''} in the global Top 10 so far{peak}"
            + _weeks_against_peers(ren, not_ren, s.weeks, lang)
        )
    if s.first_hours:
        line = f"{s.first_hours / 1e6:.1f}M hours in its first week"
        if s.peer_pct is not None:
            line += f" — more than {round(100 * s.peer_pct)}% of {lang} seasons of the past year"
        lines.append(line)
    if s.decay is not None:
        lines.append(f"second week kept {round(100 * s.decay)}% of the first week's hours")
    if s.engagement_pct is not None:
        lines.append(
            f"engagement report: more hours than {round(100 * s.engagement_pct)}% of titles "
            "released in the same half-year"
        )
    top = [c for c in model.contributions(u) if abs(c[1]) >= 0.05][:4]
    up = [_WORDS.get(n, n) for n, v in top if v > 0]
    down = [_WORDS.get(n, n) for n, v in top if v < 0]
    if up:
        lines.append("helps its odds most: " + ", ".join(up))
    if down:
        lines.append("holds its odds back most: " + ", ".join(down))
    lines.extend(_basis(model, u))
    window = release_explanation(model, u)
    if window:
        lines.append(window)
    return lines


#: kinds of show in words (features.kind_of)
KIND_WORDS = {"reality": "reality", "docuseries": "docuseries", "animation": "animated or kids'"}


def release_explanation(model: FittedModel, u: Unit) -> str | None:
    """The release window in plain words: the show's own cadence, or its peers' gaps."""
    group = model.release.peer_group(u.english)
    if group is None:
        return None
    peer = model.release.curves[group]
    lang = {"english": "English ", "non-english": "non-English "}.get(group, "")
    peers = (
        f"the gaps between seasons of {peer.n_events} renewed {lang}seasons "
        f"(median {_months(peer.median_days)} months)"
    )
    cad = model.release.cadence(u)
    if cad is None:
        kp = model.release.kind_peer(u)
        if kp is None:
            return f"release window if renewed: from {peers}"
        fit, kind, w = kp
        return (
            f"release window if renewed: from {peers}, leaning {round(100 * w)}% on the gaps of "
            f"{fit.n_events} renewed {KIND_WORDS.get(kind, kind)} seasons "
            f"(median {_months(fit.median_days)} months)"
        )
    apart = f"{_months(cad.days)} months apart"
    seasons = "its previous two seasons came" if cad.n_gaps == 1 else "its previous seasons came"
    return (
        f"release window if renewed: {seasons} {apart}; the window leans "
        f"{round(100 * cad.weight)}% on that cadence and the rest on {peers}"
    )


def _months(days: int) -> int:
    return max(round(days / 30.4), 1)


def _basis(model: FittedModel, u: Unit) -> list[str]:
    """What the odds rest on, in plain words, with the odds after each step (the internals are
    in --json under ``model``)."""
    base = model.base
    assert base is not None
    age = (model.cutoff.date() - u.premiere).days
    p0 = round(100 * base.p_renewed(age))
    path = model.odds_path(u)
    moved = round(100 * path[1]) if path is not None else None
    lines = [
        f"starting point: {p0}% — how often a season still waiting for news {age} days after "
        f"its premiere has gone on to be renewed, judged from {base.n_seasons} seasons followed "
        "so far"
    ]
    if model.mode == "base" and model.check is not None:
        lines.append(
            "its Top 10 run is not used: weighing runs like this did not beat the starting point "
            "on earlier weeks' forecasts, so the odds are the starting point"
        )
    elif model.mode == "base":
        lines.append(
            f"only {model.n_pos} renewed and {model.n_neg} cancelled or ended seasons were known "
            f"by {model.trained_through}: too few to learn what in a Top 10 run predicts "
            "renewal, so the odds are the starting point"
        )
    elif model.mode == "hazard":
        kind = _kind_read(model, u)
        by, like = (
            (f"its Top 10 run and its kind ({KIND_WORDS[kind]})", f"{KIND_WORDS[kind]} seasons")
            if kind
            else ("its Top 10 run", "seasons")
        )
        lines.append(
            f"{_moved(p0, moved)} by {by}: how much sooner or later than their peers {like} "
            f"with runs like this were renewed, judged from {base.n_seasons} seasons "
            "followed — as far as that beat the starting point on earlier weeks' forecasts"
        )
    else:
        lines.append(
            f"{_moved(p0, moved)} by its Top 10 run, as far as runs like this beat the starting "
            f"point on earlier weeks' forecasts ({model.n_pos} renewed and {model.n_neg} "
            f"cancelled or ended seasons known by {model.trained_through})"
        )
    if TEMPERATURE != 1.0:
        # the base and hazard odds are pulled here; the checked modes' within their fit
        pulled = path is not None and model.mode in PULLED_MODES
        shown = round(100 * calibrated(path[1])) if path is not None and pulled else None
        to = f" ({moved}% → {shown}%)" if shown is not None and shown != moved else ""
        lines.append(
            f"then pulled toward even odds{to}: in past forecasts, odds far from 50–50 came true "
            "less often than they said"
        )
    return lines


def _kind_read(model: FittedModel, u: Unit) -> str | None:
    """The show's kind when the odds read it: the hazard chosen weighs kinds and the show's
    genres were known by the cutoff (a scripted show is the kinds' baseline: not named)."""
    from renewcast.forecast.renewal_hazard import KIND_FEATURES

    features = model.check.features if model.check is not None else ()
    if not set(KIND_FEATURES) & set(features or ()):
        return None
    kind = model.index.kind(u.key, model.cutoff)
    return kind if kind in KIND_WORDS else None


def _moved(p0: int, moved: int | None) -> str:
    """How the Top 10 run moved the odds from the starting point, in words."""
    if moved is None:
        return "moved from the starting point"
    if moved > p0:
        return f"raised from {p0}% to {moved}%"
    if moved < p0:
        return f"lowered from {p0}% to {moved}%"
    return f"left at {p0}%"


def _peer_weeks(model: FittedModel, english: bool, age: int) -> list[tuple[str, int]]:
    """(outcome, weeks in the global Top 10 by the same age) of every decided peer season of the
    list language (weeks as published by then, never after the cutoff)."""
    from bisect import bisect_right

    key = ("peer_weeks", english)
    peers = model.memo.get(key)
    if peers is None:  # each peer's distinct weeks, by the day each was first published (UTC)
        peers = []
        for o in model.outcomes:
            if o.status not in (RENEWED, NOT_RENEWED) or o.unit.english != english:
                continue
            first: dict[date, datetime] = {}
            for r in model.index.runs.get((o.unit.key, o.unit.season), []):
                if r.week not in first or r.known_at < first[r.week]:
                    first[r.week] = r.known_at
            days = sorted(_utc_day(t) for t in first.values() if t <= model.cutoff)
            peers.append((o.status, o.unit.premiere.toordinal(), days))
        model.memo[key] = peers
    # published by the end of the day the peer was as old (and by the cutoff: ``days`` holds
    # only weeks published by then)
    return [(status, bisect_right(days, p + max(age, 0))) for status, p, days in peers]


def _utc_day(t: datetime) -> int:
    """The ordinal of the UTC day of ``t`` (naive times are UTC in the store)."""
    if t.tzinfo is not None:
        t = t.astimezone(UTC)
    return t.date().toordinal()


def _weeks_against_peers(ren: list[int], not_ren: list[int], weeks: int, lang: str) -> str:
    """ " — at least as many as 80% of 20 renewed English seasons and 40% of 5 not-renewed ones
    at the same age"; a group with no decided season is said to have none, not "0%"."""
    if not ren and not not_ren:
        return ""
    if ren and not_ren:
        return (
            f" — at least as many as {_share_le(ren, weeks)}% of {len(ren)} renewed {lang} "
            f"seasons and {_share_le(not_ren, weeks)}% of {len(not_ren)} not-renewed ones at the "
            "same age"
        )
    group, other = (ren, "not-renewed") if ren else (not_ren, "renewed")
    label = "renewed" if ren else "not-renewed"
    return (
        f" — at least as many as {_share_le(group, weeks)}% of {len(group)} {label} {lang} "
        f"seasons at the same age (no {other} one decided yet to compare with)"
    )


def _share_le(values: list[int], x: int) -> int:
    if not values:
        return 0
    return round(100 * sum(1 for v in values if v <= x) / len(values))


def open_board(conn: Connection, as_of: date) -> list[Forecast]:
    """Every season awaiting a decision (premiered within a year), highest odds first, as of the
    latest weekly cutoff on or before ``as_of``."""
    cutoff = _stored_cutoff(conn, as_of)
    if cutoff is not None:
        from renewcast.store.forecasts import stored_board

        out = [
            Forecast.from_json(r.payload, int(r.payload["series_id"]), as_of)
            for r in stored_board(conn, cutoff)
        ]
    else:
        model = model_as_of(conn, as_of)
        day = model.cutoff.date()
        out = []
        model.score([(o.unit, model.cutoff) for o in model.open_outcomes()])
        for o in model.open_outcomes():
            fc = forecast_from_model(
                model, model.index.view, o.unit.series_id, o.unit.season + 1, day
            )
            fc.as_of = as_of
            out.append(fc)
    return sorted(out, key=lambda f: (-(f.p_renewal or 0.0), f.series, f.season))


def model_summary_keys() -> tuple[str, ...]:
    return ("mode", "n_renewed", "n_not_renewed", "walk_forward_check", "late_returns")


def model_summary(model: FittedModel) -> dict[str, Any]:
    """The model's internals for --json (never in the answer's words)."""
    return {
        "mode": model.mode,
        "n_renewed": model.n_pos,
        "n_not_renewed": model.n_neg,
        "walk_forward_check": model.check.to_json() if model.check else None,
        "late_returns": _late_returns(model),
    }


def _late_returns(model: FittedModel) -> dict[str, int]:
    key = ("late_returns", model.cutoff)
    if key not in model.memo:
        reached, late = late_returns(model.outcomes, model.cutoff)
        model.memo[key] = {"seasons": reached, "renewed": late}
    return dict(model.memo[key])
