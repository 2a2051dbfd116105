"""Seasons awaiting a decision, and their outcomes as known by a view's cutoff.

A *unit* is a season that entered Netflix's global TV Top 10 (numbered, not a limited series) within
``LIBRARY_DAYS`` of its known premiere, while no later season of the series was known: a new season whose follow-up is the open question. Its premiere
is the earliest of: the Monday of its first Top 10 week, an engagement report's release date, a
premiere fact (each as available by the cutoff).

Outcome rules (see docs/forecast.md), evaluated on what was available by the cutoff:

- renewed: any sign of a later season — a Top 10 row (global or per-country), an engagement-report row,
  a fact (``exists``/``renewed`` for a later season, or a season count above N), or an unhedged news
  claim that a later season is ordered. Dated by the earliest such sign.
- limited: the title was relabelled "Limited Series", a limited fact, or Wikipedia's Miniseries status
  (season 1 of a one-season series only). Its own outcome, not a cancellation.
- not renewed: Wikipedia's ended list or status "ended" while N was the latest season, a "final season"
  fact, or an unhedged news claim that the series was cancelled/ended after N.
- presumed not renewed: no sign of a later season ``PRESUMED_DAYS`` after the premiere.
- open: none of the above yet (censored).

A later season's appearance outranks every end statement (revivals and wrong reports): such seasons are
counted as disagreements.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from renewcast.forecast.data import ClaimRow, FactRow, StoreView
from renewcast.sources.base import day_start

PRESUMED_DAYS = 730
LIBRARY_DAYS = 45
CLAIM_MIN_CONFIDENCE = 0.5
RENEWED = "renewed"
NOT_RENEWED = "not_renewed"
LIMITED = "limited"
OPEN = "open"


@dataclass(frozen=True, slots=True)
class Unit:
    series_id: int  # the store series its first Top 10 row links to (store-dependent; for lookups)
    key: str  # the show key (normalised Top 10 show title): the store-independent identity
    season: int
    first_week: date  # the Sunday ending its first Top 10 week
    first_known: datetime  # when that week was published
    premiere: date
    english: bool


@dataclass(slots=True)
class Outcome:
    unit: Unit
    status: str  # renewed | not_renewed | limited | open
    known_at: datetime | None = None
    rule: str = ""
    evidence: dict[str, datetime] = field(default_factory=dict)  # rule -> earliest date
    next_premiere: date | None = None  # premiere of season N+1 when known

    @property
    def decided(self) -> bool:
        return self.status in (RENEWED, NOT_RENEWED)

    @property
    def conflicts(self) -> list[str]:
        ends = [r for r in self.evidence if not r.startswith("next-season")]
        if self.status == RENEWED and ends:
            return ends
        return []


def usable_claim(c: ClaimRow) -> bool:
    """A news claim read as outcome evidence: unhedged and confident (official or not)."""
    return not c.hedged and c.confidence >= CLAIM_MIN_CONFIDENCE


def week_start(week: date) -> date:
    """Netflix Top 10 weeks run Monday..Sunday; ``week`` is the Sunday."""
    return week - timedelta(days=6)


def find_units(view: StoreView) -> list[Unit]:
    """Every candidate season in the view, in a store-independent order."""
    first: dict[tuple[str, int], tuple[date, int, datetime, bool, int]] = {}
    for r in view.chart:
        if r.list != "global" or r.season is None or r.limited:
            continue
        k = (r.key, r.season)
        if k not in first or (r.week, r.rank) < first[k][:2]:
            first[k] = (r.week, r.rank, r.known_at, bool(r.english), r.series_id)
    later_seen = _season_first_seen(view)
    premieres = season_premieres(view)
    units = []
    for (key, n), (week, _, known, english, sid) in first.items():
        if any(m > n and t <= known for m, t in later_seen.get(key, {}).items()):
            continue  # a library season: a later one was already out
        prem = min(premieres.get((key, n), week_start(week)), week_start(week))
        if (week_start(week) - prem).days > LIBRARY_DAYS:
            continue  # released long before it charted: a library title, not a new season
        units.append(Unit(sid, key, n, week, known, prem, english))
    units.sort(key=lambda u: (u.key, u.season))
    return units


def _season_first_seen(view: StoreView) -> dict[str, dict[int, datetime]]:
    """show key → season → when that season was first seen anywhere."""
    seen: dict[str, dict[int, datetime]] = defaultdict(dict)

    def note(key: str, n: int | None, t: datetime) -> None:
        if n and (n not in seen[key] or t < seen[key][n]):
            seen[key][n] = t

    for r in view.chart:
        note(r.key, r.season, r.known_at)
    for e in view.engagement:
        note(view.key(e.series_id), e.season, e.known_at)
    for f in view.facts:
        if _redundant(f):
            continue
        if f.attribute in ("exists", "renewed") and f.value:
            note(view.key(f.series_id), f.season, f.known_at)
        elif f.attribute == "seasons" and isinstance(f.value, int) and 0 < f.value < 100:
            for n in range(1, f.value + 1):  # "N seasons": each of them exists
                note(view.key(f.series_id), n, f.known_at)
    return seen


def _redundant(f: FactRow) -> bool:
    """``exists`` facts are not read: they restate rows read directly (Top 10, engagement) or a
    season count from the same row (Wikipedia, JustWatch), and the store keeps one provenance per
    fact, moving it to whichever document dated it earliest — so their availability depends on what
    else was synced (see docs/forecast.md, "Identity-robust time travel")."""
    return f.attribute == "exists"


def season_premieres(view: StoreView) -> dict[tuple[str, int], date]:
    """(show key, season) → the earliest premiere date available in the view."""
    out: dict[tuple[str, int], date] = {}

    def note(k: tuple[str, int], d: date) -> None:
        if k not in out or d < out[k]:
            out[k] = d

    for r in view.chart:
        if r.season:
            note((r.key, r.season), week_start(r.week))
    for e in view.engagement:
        if e.season and e.release_date:
            note((view.key(e.series_id), e.season), e.release_date)
    for f in view.facts:
        if f.attribute == "premiere" and f.season and isinstance(f.value, str):
            try:
                note((view.key(f.series_id), f.season), date.fromisoformat(f.value))
            except ValueError:
                continue
    return out


def label_units(view: StoreView, units: list[Unit] | None = None) -> list[Outcome]:
    """The outcome of every unit as known by the view's cutoff (or its data end)."""
    units = find_units(view) if units is None else units
    horizon = view.cutoff or view.data_end
    ev = _Evidence(view)
    out = []
    for u in units:
        o = Outcome(u, OPEN)
        ev.collect(u, o.evidence)
        o.next_premiere = ev.premieres.get((u.key, u.season + 1))
        if horizon is not None:
            presumed = day_start(u.premiere + timedelta(days=PRESUMED_DAYS))
            first_sign = min(
                (t for r, t in o.evidence.items() if r.startswith("next-season")), default=None
            )
            if presumed <= horizon and (first_sign is None or first_sign > presumed):
                o.evidence["presumed-no-next-season"] = presumed
        _decide(o)
        out.append(o)
    return out


_END_RULES = ("ended-status", "final-season", "claim-ended")
#: same-day ties go to the most direct sign (a Top 10 row also writes an ``exists`` fact)
_PRIORITY = {
    "next-season-top10": 0,
    "next-season-engagement": 1,
    "next-season-renewed": 2,
    "next-season-news": 3,
    "next-season-count": 4,
    "next-season-exists": 5,
}


def _decide(o: Outcome) -> None:
    ev = o.evidence
    nxt = {r: t for r, t in ev.items() if r.startswith("next-season")}
    if nxt:
        rule = min(nxt, key=lambda r: (nxt[r], _PRIORITY.get(r, 9), r))
        o.status, o.known_at, o.rule = RENEWED, nxt[rule], rule
        return
    if "limited" in ev:
        o.status, o.known_at, o.rule = LIMITED, ev["limited"], "limited"
        return
    ends = {r: t for r, t in ev.items() if r in _END_RULES}
    if ends:
        rule = min(ends, key=lambda r: (ends[r], r))
        o.status, o.known_at, o.rule = NOT_RENEWED, ends[rule], rule
        return
    if "presumed-no-next-season" in ev:
        t = ev["presumed-no-next-season"]
        o.status, o.known_at, o.rule = NOT_RENEWED, t, "presumed-no-next-season"


class _Evidence:
    """Per-series indexes of every dated sign, built once per view."""

    def __init__(self, view: StoreView) -> None:
        self.seasons = _season_first_seen(view)
        self.premieres = season_premieres(view)
        self.sources: dict[str, list[tuple[int, datetime, str]]] = defaultdict(list)
        for r in view.chart:
            if r.season:
                self.sources[r.key].append((r.season, r.known_at, "next-season-top10"))
        for e in view.engagement:
            if e.season:
                self.sources[view.key(e.series_id)].append(
                    (e.season, e.known_at, "next-season-engagement")
                )
        self.ends: dict[str, list[tuple[int | None, datetime, str]]] = defaultdict(list)
        self.limited: dict[str, datetime] = {}
        for f in view.facts:
            if not _redundant(f):
                self._fact(view.key(f.series_id), f.season, f.attribute, f.value, f.known_at)
        for rl in view.relabels:
            if rl.limited:
                self._limited(view.key(rl.series_id), rl.known_at)
        for c in view.claims:
            if not usable_claim(c):
                continue
            k = view.key(c.series_id)
            if c.status == "renewed" and c.season:
                self.sources[k].append((c.season, c.known_at, "next-season-news"))
            elif c.status == "renewed":
                self.ends[k].append((None, c.known_at, "claim-renewed"))
            elif c.status in ("cancelled", "ended"):
                self.ends[k].append((c.season, c.known_at, "claim-ended"))
            elif c.status == "limited":
                self._limited(k, c.known_at)

    def _limited(self, sid: str, t: datetime) -> None:
        if sid not in self.limited or t < self.limited[sid]:
            self.limited[sid] = t

    def _fact(self, sid: str, season: int, attr: str, value: object, t: datetime) -> None:
        if attr in ("exists", "renewed") and value and season:
            self.sources[sid].append((season, t, f"next-season-{attr}"))
        elif attr == "seasons" and isinstance(value, int) and value > 0:
            self.sources[sid].append((value, t, "next-season-count"))
        elif attr == "status" and value == "ended":
            self.ends[sid].append((None, t, "ended-status"))
        elif (attr == "status" and value == "limited") or (attr == "limited" and value):
            self._limited(sid, t)
        elif attr == "final" and value and season:
            self.ends[sid].append((season, t, "final-season"))

    def collect(self, u: Unit, into: dict[str, datetime]) -> None:
        def note(rule: str, t: datetime) -> None:
            if rule not in into or t < into[rule]:
                into[rule] = t

        for n, t, rule in self.sources.get(u.key, ()):
            if n > u.season:
                note(rule, t)
        for m, t, rule in self.ends.get(u.key, ()):
            latest = self._latest_at(u.key, t)
            if rule == "claim-renewed":
                if latest == u.season and t >= u.first_known:
                    note("next-season-news", t)
            elif m == u.season or (m is None and latest == u.season):
                note(rule, t)
        lim = self.limited.get(u.key)
        if lim is not None and u.season == 1 and self._latest_at(u.key, lim) <= 1:
            note("limited", lim)

    def _latest_at(self, sid: str, t: datetime) -> int:
        return max((n for n, s in self.seasons.get(sid, {}).items() if s <= t), default=0)


def label_report(outcomes: list[Outcome]) -> dict[str, object]:
    """How many seasons each rule decides, how many each rule touches, and the disagreements."""
    by_rule: dict[str, int] = defaultdict(int)
    touched: dict[str, int] = defaultdict(int)
    status: dict[str, int] = defaultdict(int)
    conflicts: dict[str, int] = defaultdict(int)
    for o in outcomes:
        status[o.status] += 1
        if o.rule:
            by_rule[o.rule] += 1
        for r in o.evidence:
            touched[r] += 1
        for r in o.conflicts:
            conflicts[r] += 1
    return {
        "seasons": len(outcomes),
        "status": dict(sorted(status.items())),
        "decided_by_rule": dict(sorted(by_rule.items())),
        "evidence_by_rule": dict(sorted(touched.items())),
        "renewed_despite": dict(sorted(conflicts.items())),
    }
