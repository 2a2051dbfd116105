"""Features of a season as known at a moment: its Top 10 run, engagement against peers, genre, news.

Every feature of a season at time ``t`` reads only rows available by ``t``; a season's "age" is the
days since its premiere. The run is read from the global list; the number of a later season is never
a feature (that would be the label).
"""

from __future__ import annotations

import bisect
import math
import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from renewcast.forecast.data import ChartRow, EngagementRow, StoreView
from renewcast.forecast.labels import Unit

MAX_AGE_DAYS = 365
PEER_DAYS = 365

FEATURES = (
    "age",
    "season_log",
    "english",
    "weeks",
    "weeks_rate",
    "peak",
    "mean_rank",
    "first_hours_log",
    "hours28_log",
    "decay",
    "has_week2",
    "peer_pct",
    "engagement_pct",
    "reality",
    "documentary",
    "animation",
    "news_pending",
    "first_rel_log",
    "hours28_rel_log",
    "legs",
    "prev_new_season",
    "growth",
)


@dataclass(frozen=True, slots=True)
class RunSummary:
    """The plain facts of a season's Top 10 run, for explanations."""

    weeks: int
    peak: int | None
    first_hours: float | None
    hours28: float | None
    first_views: float | None
    decay: float | None
    peer_pct: float | None
    engagement_pct: float | None


class FeatureIndex:
    """Indexes of a view's rows by series and season, built once and queried at many moments."""

    def __init__(
        self, view: StoreView, units: list[Unit], previous: FeatureIndex | None = None
    ) -> None:
        self.view = view
        self.units = units
        self.runs: dict[tuple[str, int], list[ChartRow]] = defaultdict(list)
        for r in view.chart:
            if r.list == "global" and r.season is not None and not r.limited:
                self.runs[(r.key, r.season)].append(r)
        for rows in self.runs.values():
            rows.sort(key=lambda r: (r.week, r.rank))
        self.eng: dict[tuple[str, int], list[EngagementRow]] = defaultdict(list)
        self.reports: dict[str, list[EngagementRow]] = defaultdict(list)
        for e in view.engagement:
            if e.season is not None:
                self.eng[(view.key(e.series_id), e.season)].append(e)
                self.reports[e.report].append(e)
        self.genres: dict[str, tuple[datetime, list[str]]] = {}
        for f in view.facts:
            if f.attribute == "jw_genres" and isinstance(f.value, list):
                k = view.key(f.series_id)
                old = self.genres.get(k)
                if old is None or (f.known_at, sorted(map(str, f.value))) < (old[0], old[1]):
                    self.genres[k] = (f.known_at, sorted(str(g) for g in f.value))
        self.news: dict[str, list[datetime]] = defaultdict(list)
        for c in view.claims:
            if c.status == "pending" or c.hedged:
                self.news[view.key(c.series_id)].append(c.known_at)
        # median hours of each week's list (English / non-English TV), published with the week
        per_week: dict[tuple[bool, date], list[float]] = defaultdict(list)
        for r in view.chart:
            if r.list == "global" and r.hours and r.english is not None:
                per_week[(r.english, r.week)].append(r.hours)
        self.week_median = {k: statistics.median(v) for k, v in per_week.items()}
        # seasons that premiered on Netflix as new seasons (units): a sign of Netflix's own show
        self.unit_keys = {(u.key, u.season): u for u in units}
        # first-week hours of every unit, per list language, for peer percentiles
        self.peers: dict[bool, list[tuple[date, datetime, float]]] = {True: [], False: []}
        for u in units:
            rows = self.runs.get((u.key, u.season), [])
            if rows and rows[0].hours:
                self.peers[u.english].append((rows[0].week, rows[0].known_at, rows[0].hours))
        for lst in self.peers.values():
            lst.sort()
        self._peer_weeks = {k: [w for w, _, _ in v] for k, v in self.peers.items()}
        self._report_peers: dict[tuple[str, tuple[int, int]], list[float]] = {}
        self._vectors: dict[tuple[Unit, datetime], list[float]] = {}
        self._summaries: dict[tuple[Unit, datetime], RunSummary] = {}
        if previous is not None and self._same_past(previous):
            # every feature at t reads only rows available by t, so what an index of an earlier
            # cutoff computed holds here too — when the seasons it knew are the ones this index
            # knows by then (they set the peers and the previous-season flags)
            self._vectors, self._summaries = previous._vectors, previous._summaries

    def _same_past(self, previous: FeatureIndex) -> bool:
        before, now = previous.view.cutoff, self.view.cutoff
        if before is None or now is None or before > now:
            return False
        return {u for u in self.units if u.first_known <= before} == set(previous.units)

    def run_at(self, u: Unit, t: datetime) -> list[ChartRow]:
        return [r for r in self.runs.get((u.key, u.season), []) if r.known_at <= t]

    def summary(self, u: Unit, t: datetime) -> RunSummary:
        s = self._summaries.get((u, t))
        if s is None:
            s = self._summaries[(u, t)] = self._summary(u, t)
        return s

    def _summary(self, u: Unit, t: datetime) -> RunSummary:
        run = self.run_at(u, t)
        by_week = _weekly(run)
        hours = [h for _, h, _, _ in by_week]
        first_hours = hours[0] if hours and hours[0] else None
        first28 = [h for (w, h, _, _) in by_week if w <= u.first_week + timedelta(days=21)]
        decay = None
        if len(hours) >= 2 and hours[0] and hours[1]:
            decay = hours[1] / hours[0]
        return RunSummary(
            weeks=len(by_week),
            peak=min((rk for _, _, rk, _ in by_week), default=None),
            first_hours=first_hours,
            hours28=sum(first28) if first28 else None,
            first_views=by_week[0][3] if by_week else None,
            decay=decay,
            peer_pct=self._peer_pct(u, first_hours, t),
            engagement_pct=self._engagement_pct(u, t),
        )

    def _peer_pct(self, u: Unit, hours: float | None, t: datetime) -> float | None:
        if hours is None:
            return None
        lo = u.first_week - timedelta(days=PEER_DAYS)
        weeks, rows = self._peer_weeks[u.english], self.peers[u.english]
        i, j = bisect.bisect_left(weeks, lo), bisect.bisect_right(weeks, u.first_week)
        peers = [h for w, k, h in rows[i:j] if k <= t and not (w == u.first_week and h == hours)]
        if len(peers) < 5:
            return None
        peers.sort()
        return bisect.bisect_left(peers, hours) / len(peers)

    def _engagement_pct(self, u: Unit, t: datetime) -> float | None:
        rows = [e for e in self.eng.get((u.key, u.season), []) if e.known_at <= t]
        rows = [e for e in rows if e.hours and e.release_date]
        if not rows:
            return None
        first = min(rows, key=lambda e: (e.period_start, e.report))
        assert first.release_date is not None
        peers = self._report_half(first.report, _half(first.release_date))
        if len(peers) < 5 or first.hours is None:
            return None
        return bisect.bisect_left(peers, first.hours) / len(peers)

    def _report_half(self, report: str, half: tuple[int, int]) -> list[float]:
        """Sorted hours of a report's titles released in one half-year."""
        key = (report, half)
        if key not in self._report_peers:
            self._report_peers[key] = sorted(
                e.hours
                for e in self.reports[report]
                if e.hours and e.release_date and _half(e.release_date) == half
            )
        return self._report_peers[key]

    def vector(self, u: Unit, t: datetime) -> list[float]:
        """The feature vector of ``u`` at ``t`` (see FEATURES for the order); a copy of the
        one computed first for that season and moment."""
        x = self._vectors.get((u, t))
        if x is None:
            x = self._vectors[(u, t)] = self._vector(u, t)
        return list(x)

    def _vector(self, u: Unit, t: datetime) -> list[float]:
        s = self.summary(u, t)
        age = min(max((t.date() - u.premiere).days, 0), MAX_AGE_DAYS)
        weeks_open = max(
            1, (min(t.date(), u.first_week + timedelta(days=7 * 12)) - u.first_week).days // 7 + 1
        )
        run = _weekly(self.run_at(u, t))
        ranks = [rk for _, _, rk, _ in run]
        genre = self._genre(u.key, t)
        news = sum(1 for k in self.news.get(u.key, []) if k <= t)
        return [
            age / MAX_AGE_DAYS,
            math.log(u.season),
            1.0 if u.english else 0.0,
            float(s.weeks),
            min(1.0, s.weeks / weeks_open),
            (11 - s.peak) / 10 if s.peak else 0.0,
            (11 - sum(ranks) / len(ranks)) / 10 if ranks else 0.0,
            _log_m(s.first_hours),
            _log_m(s.hours28),
            math.log(s.decay) if s.decay else 0.0,
            1.0 if s.decay else 0.0,
            s.peer_pct if s.peer_pct is not None else 0.5,
            s.engagement_pct if s.engagement_pct is not None else 0.5,
            1.0 if genre and "reality" in genre else 0.0,
            1.0 if genre and "documentation" in genre else 0.0,
            1.0 if genre and ("animation" in genre or "family" in genre) else 0.0,
            math.log1p(news),
            *self._relative(u, run),
            float(sum(1 for w, *_ in run if w > u.first_week + timedelta(days=21))),
            self._prev_new_season(u, t),
            self._growth(u, s.first_hours, t),
        ]

    def _growth(self, u: Unit, first_hours: float | None, t: datetime) -> float:
        """log(first-week hours / the previous season's first-week hours), both as published by
        ``t``; 0 without both (a first season, or a previous season that never charted)."""
        prev = [r for r in self.runs.get((u.key, u.season - 1), []) if r.known_at <= t]
        if not first_hours or not prev:
            return 0.0
        first = min(prev, key=lambda r: (r.week, r.rank))
        return math.log(first_hours / first.hours) if first.hours else 0.0

    def _relative(
        self, u: Unit, run: list[tuple[date, float, int, float | None]]
    ) -> tuple[float, float]:
        """log(first-week hours / the week's list median), log(sum of that ratio over 28 days)."""
        ratios = []
        for w, h, _, _ in run:
            med = self.week_median.get((u.english, w))
            if med and h and w <= u.first_week + timedelta(days=21):
                ratios.append(h / med)
        if not ratios or run[0][0] != u.first_week:
            return 0.0, 0.0
        return math.log(ratios[0]), math.log1p(sum(ratios))

    def _prev_new_season(self, u: Unit, t: datetime) -> float:
        """1 for a first season or one whose previous season was also a new season on Netflix
        (it entered the Top 10 at its premiere, by ``t``); 0 otherwise (a licensed-looking run)."""
        if u.season == 1:
            return 1.0
        prev = self.unit_keys.get((u.key, u.season - 1))
        return 1.0 if prev is not None and prev.first_known <= t else 0.0

    def _genre(self, sid: str, t: datetime) -> list[str] | None:
        g = self.genres.get(sid)
        return g[1] if g and g[0] <= t else None

    def kind(self, key: str, t: datetime) -> str | None:
        """The kind of the show with this key, if its genres are known by ``t``."""
        genres = self._genre(key, t)
        return kind_of(genres) if genres is not None else None

    def kinds(self, t: datetime) -> dict[str, str]:
        """Show key → kind, for the shows whose genres are known by ``t``."""
        return {key: kind_of(g) for key, (known, g) in self.genres.items() if known <= t}


def kind_of(genres: list[str]) -> str:
    """The kind of show its JustWatch genres say: reality, docuseries, animation (animation and
    family: kids' shows, anime) or scripted."""
    if "reality" in genres:
        return "reality"
    if "documentation" in genres:
        return "docuseries"
    if "animation" in genres or "family" in genres:
        return "animation"
    return "scripted"


def _weekly(run: list[ChartRow]) -> list[tuple[date, float, int, float | None]]:
    """One (week, hours, rank, views) per week (a title sits in one list per week)."""
    out: dict[date, tuple[date, float, int, float | None]] = {}
    for r in run:
        views = r.views
        if views is None and r.hours and r.runtime_hours:
            views = r.hours / r.runtime_hours
        if r.week not in out or r.rank < out[r.week][2]:
            out[r.week] = (r.week, r.hours or 0.0, r.rank, views)
    return [out[w] for w in sorted(out)]


def _half(d: date) -> tuple[int, int]:
    return (d.year, 0 if d.month <= 6 else 1)


def _log_m(x: float | None) -> float:
    return math.log1p(x / 1e6) if x else 0.0
