"""Seasons awaiting a decision, and their outcomes as known by a view's cutoff.

A *unit* is a season that entered Netflix's global TV Top 10 (numbered, not a limited series) within
``LIBRARY_DAYS`` of its known premiere, while no later season of the series was known: a new season whose follow-up is the open question. Its premiere
is the earliest of: the Monday of its first Top 10 week, an engagement report's release date, a
premiere fact (each as available by the cutoff).

Outcomes are the status decider's (:func:`renewcast.status.decide`, docs/status.md) for season N+1,
on what was available by the cutoff, in the forecast's words: ``renewed``; ``not_renewed``
(cancelled or ended); ``limited``; ``open`` (pending). Each rule name below says what kind of
statement decided it and is kept with its earliest date in ``Outcome.evidence``:

- next-season-top10 / -engagement / -premiere: a later season released (or a listed premiere date);
  next-season-renewed / -count / -status: a catalog list orders or counts a later season;
  next-season-news: a news report of a renewal (or of a final season that is still to come).
- ended-status: Wikipedia's ended list; final-season: a listed final season; claim-ended: a news
  report of a cancellation or an ending; limited: a Limited Series label, fact or news report.
- presumed-no-next-season: the decider says pending ``PRESUMED_DAYS`` after the premiere — the
  forecast's own censoring assumption, not a decision (the status decider never presumes).

A released later season outranks every end statement (revivals and wrong reports): such reports are
kept as disagreements (``Outcome.conflicts``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from renewcast.forecast.data import ClaimRow, FactRow, StoreView
from renewcast.sources.base import day_start
from renewcast.status.decide import LISTS, MIN_CONFIDENCE, RELEASED, decide, endings_after_orders
from renewcast.status.decide import Evidence as StatusEvidence
from renewcast.status.evidence import (
    catalog_statement,
    claim_tier,
    drop_two_way,
    fact_date,
    hopeful,
    placed_by,
)
from renewcast.status.seasons import (
    Place,
    SeasonDates,
    bearing,
    place,
    place_claim,
    season_in_text,
    written_by,
)
from renewcast.store.documents import outlet, outlet_key

PRESUMED_DAYS = 730
#: the rule of a season only presumed over: the forecast's censoring, not a decision
PRESUMED_RULE = "presumed-no-next-season"
COUNT_RULE = "next-season-count"  # a catalog's count of a show's seasons
LIBRARY_DAYS = 45
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


def late_returns(outcomes: list[Outcome], cutoff: datetime) -> tuple[int, int]:
    """How often the two-year presumption was wrong, as known at ``cutoff``: the seasons that had
    gone ``PRESUMED_DAYS`` without a decision by then, and how many of them were renewed after
    that (each renewal as the outcomes date it; a later one is not known yet)."""
    reached = late = 0
    for o in outcomes:
        presumed = day_start(o.unit.premiere + timedelta(days=PRESUMED_DAYS))
        if o.status == LIMITED or presumed > cutoff:
            continue
        if o.rule == PRESUMED_RULE:
            reached += 1
        elif o.decided and o.known_at is not None and o.known_at > presumed:
            reached += 1
            late += o.status == RENEWED
    return reached, late


def week_start(week: date) -> date:
    """Netflix Top 10 weeks run Monday..Sunday; ``week`` is the Sunday."""
    return week - timedelta(days=6)


def find_units(
    view: StoreView,
    premieres: dict[tuple[str, int], date] | None = None,
    scan: UnitScan | None = None,
) -> list[Unit]:
    """Every candidate season in the view, in a store-independent order (``premieres``: the
    view's ``season_premieres``; ``scan``: its ``UnitScan`` — when already computed)."""
    scan = scan or UnitScan.of(view)
    premieres = season_premieres(view) if premieres is None else premieres
    shared = {k for k, c in Counter(view.norm.values()).items() if c > 1}
    released: dict[tuple[str, int], date] | None = None  # read when first needed
    first_new: dict[str, date] = {}  # show key → premiere of its first new season
    units: list[Unit] = []
    for (key, n), (week, _, known, english, sid) in sorted(scan.first.items()):
        # a season after one that was itself new in the global Top 10 before it: only Netflix's
        # own rows tell a later season was out (a catalog's count also has announced seasons) —
        # unless two series go by the name, when the catalog may be telling the other one apart
        before = scan.first.get((key, n - 1))
        continuing = before is not None and before[0] < week and key not in shared
        later = _later_seen(scan, key, n, known, netflix_only=continuing)
        if later and not continuing and not _later_seen(scan, key, n, known, netflix_only=True):
            # only a catalog lists a later season: not if it did so before the first new season
            # of the show had even been released (it counts another show of the name)
            if released is None:
                released = release_dates(view)
            first = first_new.get(key)
            own = released.get((key, n))
            if own is not None and (week_start(week) - own).days <= LIBRARY_DAYS:
                first = own if first is None else min(first, own)
            if first is not None:
                later = [t for t in later if t >= day_start(first)]
        if later:
            continue  # a library season: a later one was already out
        prem = min(premieres.get((key, n), week_start(week)), week_start(week))
        if (week_start(week) - prem).days > LIBRARY_DAYS:
            continue  # released long before it charted: a library title, not a new season
        units.append(Unit(sid, key, n, week, known, prem, english))
        first_new.setdefault(key, prem)  # seasons come in order: the first is the earliest
    units.sort(key=lambda u: (u.key, u.season))
    return units


def _later_seen(
    scan: UnitScan, key: str, n: int, known: datetime, *, netflix_only: bool
) -> list[datetime]:
    """When each season after ``n`` of show ``key`` was first seen out by ``known`` (in
    Netflix's own rows only, or anywhere)."""
    seen = scan.shown if netflix_only else scan.seen
    return [t for m, t in seen.get(key, {}).items() if m > n and t <= known]


def release_dates(view: StoreView) -> dict[tuple[str, int], date]:
    """(show key, season) → the earliest release date a source gives for it (an engagement
    report's release date, a premiere fact) — not the Top 10 week it first charted."""
    out: dict[tuple[str, int], date] = {}

    def note(k: tuple[str, int], d: date) -> None:
        if k not in out or d < out[k]:
            out[k] = d

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


@dataclass(slots=True)
class UnitScan:
    """Per season, its first global Top 10 row, and per show when each season was first seen:
    earliest-of aggregates, so the scan at a later cutoff is the earlier one plus the rows
    that arrived in between (``of(view, previous)``)."""

    cutoff: datetime | None
    first: dict[tuple[str, int], tuple[date, int, datetime, bool, int]]
    seen: dict[str, dict[int, datetime]]
    shown: dict[str, dict[int, datetime]]  # the same, from Netflix's own rows only

    @classmethod
    def of(cls, view: StoreView, previous: UnitScan | None = None) -> UnitScan:
        rows = view
        first: dict[tuple[str, int], tuple[date, int, datetime, bool, int]] = {}
        seen: dict[str, dict[int, datetime]] = defaultdict(dict)
        shown: dict[str, dict[int, datetime]] = defaultdict(dict)
        if _earlier(previous, view):
            assert previous is not None and previous.cutoff is not None
            rows = view.since(previous.cutoff)
            first = dict(previous.first)
            seen.update({k: dict(v) for k, v in previous.seen.items()})
            shown.update({k: dict(v) for k, v in previous.shown.items()})
        for r in rows.chart:
            if r.list != "global" or r.season is None or r.limited:
                continue
            k = (r.key, r.season)
            if k not in first or (r.week, r.rank) < first[k][:2]:
                first[k] = (r.week, r.rank, r.known_at, bool(r.english), r.series_id)
        _season_first_seen(rows, seen, shown)
        return cls(view.cutoff, first, seen, shown)


def _earlier(previous: UnitScan | None, view: StoreView) -> bool:
    """Whether ``previous`` scanned the same store at or before the view's cutoff."""
    return (
        previous is not None
        and previous.cutoff is not None
        and view.cutoff is not None
        and previous.cutoff <= view.cutoff
    )


def _season_first_seen(
    view: StoreView,
    seen: dict[str, dict[int, datetime]] | None = None,
    shown: dict[str, dict[int, datetime]] | None = None,
) -> dict[str, dict[int, datetime]]:
    """show key → season → when that season was first seen out anywhere (added to ``seen``):
    in Netflix's Top 10 or engagement reports (also added to ``shown``), or a catalog's list of
    the seasons it has. A renewal is an order, not a season out."""
    seen = defaultdict(dict) if seen is None else seen

    def note(into: dict[str, dict[int, datetime]], key: str, n: int | None, t: datetime) -> None:
        if n and (n not in into[key] or t < into[key][n]):
            into[key][n] = t

    netflix = [seen] if shown is None else [seen, shown]
    for r in view.chart:
        for into in netflix:
            note(into, r.key, r.season, r.known_at)
    for e in view.engagement:
        for into in netflix:
            note(into, view.key(e.series_id), e.season, e.known_at)
    for f in view.facts:
        if _redundant(f):
            continue
        if f.attribute == "exists" and f.value:
            note(seen, view.key(f.series_id), f.season, f.known_at)
        elif f.attribute == "seasons" and isinstance(f.value, int) and 0 < f.value < 100:
            for n in range(1, f.value + 1):  # "N seasons": each of them exists
                note(seen, view.key(f.series_id), n, f.known_at)
    return seen


def _redundant(f: FactRow) -> bool:
    """``exists`` facts are not read: they restate rows read directly (Top 10, engagement) or a
    season count from the same row (Wikipedia, JustWatch), and the store keeps one provenance per
    fact, moving it to whichever document dated it earliest — so their availability depends on what
    else was synced (see docs/forecast.md, "Identity-robust time travel")."""
    return f.attribute == "exists"


def season_premieres(
    view: StoreView, earlier: dict[tuple[str, int], date] | None = None
) -> dict[tuple[str, int], date]:
    """(show key, season) → the earliest premiere date available in the view (and in
    ``earlier``, the premieres of the same store at an earlier cutoff when ``view`` holds only
    the rows that arrived since)."""
    out: dict[tuple[str, int], date] = dict(earlier or {})

    def note(k: tuple[str, int], d: date) -> None:
        if k not in out or d < out[k]:
            out[k] = d

    for r in view.chart:
        if r.season:
            note((r.key, r.season), week_start(r.week))
    for k, d in release_dates(view).items():
        note(k, d)
    return out


def label_units(
    view: StoreView,
    units: list[Unit] | None = None,
    premieres: dict[tuple[str, int], date] | None = None,
    previous: Labels | None = None,
) -> list[Outcome]:
    """The outcome of every unit as known by the view's cutoff (or its data end), decided by the
    status decider (:func:`renewcast.status.decide`) for season N+1 of each unit. ``previous``
    (the ``Labels`` of an earlier cutoff of the same store, ``labels_of``) lends the statements
    and decisions of shows with no row added since: the same outcomes, quicker."""
    return labels_of(view, units, premieres, previous)[0]


@dataclass(slots=True)
class Labels:
    """What labelling at a cutoff built, kept for the next cutoff (``label_units(previous=)``)."""

    cutoff: datetime
    day: date
    by_key: dict[str, list[StatusEvidence]]
    rule: dict[int, str]
    #: unit → (latest season released, status, known_at, rule, evidence) before the presumption
    decided: dict[Unit, tuple[int, str, datetime | None, str, dict[str, datetime]]]


def labels_of(
    view: StoreView,
    units: list[Unit] | None = None,
    premieres: dict[tuple[str, int], date] | None = None,
    previous: Labels | None = None,
) -> tuple[list[Outcome], Labels | None]:
    """``label_units`` and what it built (None without a cutoff)."""
    premieres = season_premieres(view) if premieres is None else premieres
    units = find_units(view, premieres) if units is None else units
    horizon = view.cutoff or view.data_end
    ev = _Evidence(view, premieres, previous)
    for u in units:  # when the first new season of each show came out
        if u.key not in ev.first_new or u.premiere < ev.first_new[u.key]:
            ev.first_new[u.key] = u.premiere
    out = []
    for u in units:
        o = Outcome(u, OPEN)
        ev.decide(u, o)
        o.next_premiere = ev.premieres.get((u.key, u.season + 1))
        if o.status == OPEN and horizon is not None:
            presumed = day_start(u.premiere + timedelta(days=PRESUMED_DAYS))
            if presumed <= horizon:
                o.evidence[PRESUMED_RULE] = presumed
                o.status, o.known_at, o.rule = NOT_RENEWED, presumed, PRESUMED_RULE
        out.append(o)
    return out, ev.keep()


#: the status decider's vocabulary → the forecast's outcomes
OUTCOME_OF = {
    "renewed": RENEWED,
    "cancelled": NOT_RENEWED,
    "ended": NOT_RENEWED,
    "limited": LIMITED,
    "pending": OPEN,
}


class _Evidence:
    """Per show key, every dated statement as status evidence, built once per view."""

    def __init__(
        self,
        view: StoreView,
        premieres: dict[tuple[str, int], date],
        previous: Labels | None = None,
    ) -> None:
        self.cutoff = view.cutoff
        self.day = view.cutoff.date() if view.cutoff else datetime.now().date()
        self.premieres = premieres
        self.decided: dict[Unit, tuple[int, str, datetime | None, str, dict[str, datetime]]] = {}
        self.reused: set[str] = set()  # show keys whose statements come from ``previous``
        self.first_new: dict[str, date] = {}  # show key → premiere of its first new season
        self.rule: dict[int, str] = {}  # id(evidence) → the rule name reports use
        self.dates: dict[str, SeasonDates] = defaultdict(SeasonDates)
        for (k, n), d in self.premieres.items():
            self.dates[k].premieres[n] = d
        first: dict[tuple[str, int], tuple[datetime, str]] = {}

        def seen(k: str, n: int | None, t: datetime, rule: str) -> None:
            if n and ((k, n) not in first or t < first[(k, n)][0]):
                first[(k, n)] = (t, rule)

        for r in view.chart:
            seen(r.key, r.season, r.known_at, "next-season-top10")
        for e in view.engagement:
            seen(view.key(e.series_id), e.season, e.known_at, "next-season-engagement")
        for (k, n), (t, _) in first.items():
            self.dates[k].charted[n] = t
        counts: dict[tuple[str, str], tuple[int, datetime]] = {}
        for f in view.facts:
            v = f.value
            if f.attribute == "seasons" and f.season == 0 and isinstance(v, int) and 0 < v < 100:
                k = view.key(f.series_id)
                counts[(k, f.source)] = (v, f.known_at)
                self.dates[k].note_count(f.source, v, f.known_at)
        self.by_key: dict[str, list[StatusEvidence]] = defaultdict(list)
        if previous is not None and self.cutoff is not None and previous.cutoff <= self.cutoff:
            self._reuse(view, previous)
        for (k, n), (t, rule) in first.items():
            if k not in self.reused:
                self._add(k, rule, "renewed", t, Place(ordered=n), n, RELEASED)
        texts = {
            (view.key(f.series_id), f.source): f.value
            for f in view.facts
            if f.attribute == "status_text" and f.season == 0
        }
        for f in view.facts:
            if not _redundant(f):
                k = view.key(f.series_id)
                if k not in self.reused:
                    self._fact(k, f, counts.get((k, f.source)), texts.get((k, f.source)))
        for rl in view.relabels:
            if rl.limited:
                k = view.key(rl.series_id)
                if k not in self.reused:
                    self._add(
                        k, "limited", "limited", rl.known_at, Place(stop=(rl.season or 1) + 1)
                    )
        self.written_by = self._written_by(view)
        for c in view.claims:
            k = view.key(c.series_id)
            if k not in self.reused:
                self._claim(k, c)
        for k, items in self.by_key.items():  # a sentence read both ways is evidence for neither
            if k not in self.reused:
                self.by_key[k], _ = drop_two_way(items, [])
                endings_after_orders(self.by_key[k])

    def _reuse(self, view: StoreView, previous: Labels) -> None:
        """Take the statements (and decisions) of every show none of whose rows arrived after
        ``previous.cutoff`` and none of whose listed premieres passed since: a show's statements
        read only its own rows, dated by when each was available, and the day only to tell a
        premiere listed as past from one still to come."""
        before = previous.cutoff
        changed: set[str] = set()
        changed.update(r.key for r in view.chart if r.known_at > before)
        for rows in (view.engagement, view.facts, view.relabels, view.claims):
            changed.update(view.key(r.series_id) for r in rows if r.known_at > before)
        # an undated article is placed by other series' seasons too (``_written_by``)
        changed.update(view.key(c.series_id) for c in view.claims if c.undated)
        for f in view.facts:
            d = fact_date(f.value) if f.attribute == "premiere" else None
            if d is not None and previous.day < d <= self.day:
                changed.add(view.key(f.series_id))
        for k, items in previous.by_key.items():
            if k not in changed:
                self.by_key[k] = items
                self.reused.add(k)
                for e in items:
                    self.rule[id(e)] = previous.rule[id(e)]
        self.decided = {u: d for u, d in previous.decided.items() if u.key in self.reused}

    def keep(self) -> Labels | None:
        if self.cutoff is None:
            return None
        return Labels(self.cutoff, self.day, dict(self.by_key), self.rule, self.decided)

    def _add(
        self,
        key: str,
        rule: str,
        status: str,
        t: datetime,
        where: Place,
        season: int | None = None,
        tier: int = LISTS,
    ) -> None:
        e = catalog_statement(status, rule, rule, t, None, where=where, season=season, tier=tier)
        self.rule[id(e)] = rule
        self.by_key[key].append(e)

    def _fact(self, k: str, f: FactRow, count: tuple[int, datetime] | None, text: object) -> None:
        t, n, v = f.known_at, f.season, f.value
        if f.attribute == "renewed" and v and n:
            self._add(k, "next-season-renewed", "renewed", t, Place(ordered=n), n)
        elif f.attribute == "seasons" and n == 0 and isinstance(v, int) and 0 < v < 100:
            self._add(k, COUNT_RULE, "renewed", t, Place(ordered=v), v)
        elif f.attribute == "premiere" and isinstance(v, str):
            d = fact_date(v)
            if d is None:
                return
            tier = RELEASED if d <= self.day else LISTS
            s = max(n, 1)
            self._add(k, "next-season-premiere", "renewed", t, Place(ordered=s), s, tier)
        elif f.attribute == "status" and n == 0 and v == "ended":
            where = (
                Place(stop=count[0] + 1)
                if count is not None and f.source.endswith("ended")
                else place("ended", None, False, self.dates[k], t.date())
            )
            self._add(k, "ended-status", "ended", t, where or Place())
        elif f.attribute == "status" and n == 0 and v in ("renewed", "pending", "limited"):
            named = season_in_text(text) if isinstance(text, str) else None
            where = place(str(v), named, False, self.dates[k], t.date())
            rule = {"renewed": "next-season-status", "pending": "status-pending"}.get(
                str(v), "limited"
            )
            self._add(k, rule, str(v), t, where or Place(), named)
        elif f.attribute == "limited" and v:
            self._add(k, "limited", "limited", t, Place(stop=max(n, 1) + 1), max(n, 1))
        elif f.attribute == "final" and v and n:
            self._add(k, "final-season", "ended", t, Place(ordered=n, stop=n + 1), n)

    def _written_by(self, view: StoreView) -> dict[int, date]:
        """Per undated article, the last day it can have been written (as the status reads it)."""
        said: dict[int, list[tuple[SeasonDates, str, int | None]]] = defaultdict(list)
        undated = {c.document_id for c in view.claims if c.undated}
        for c in view.claims:
            if (
                c.document_id in undated
                and not c.hedged
                and c.confidence is not None
                and c.confidence >= MIN_CONFIDENCE
            ):
                said[c.document_id].append((self.dates[view.key(c.series_id)], c.status, c.season))
        out = {d: written_by(items, self.day) for d, items in said.items()}
        return {d: b for d, b in out.items() if b is not None}

    def _claim(self, k: str, c: ClaimRow) -> None:
        day, said_by = (
            placed_by(c.known_at, self.written_by.get(c.document_id))
            if c.undated
            else (c.known_at.date(), None)
        )
        where, why = place_claim(c.status, c.season, c.final, c.text, c.title, self.dates[k], day)
        if where is None or why is not None:
            return
        rule = "limited" if c.status == "limited" else "news"
        e = StatusEvidence(
            status=c.status,
            claim=c.text,
            source=outlet(c.url, c.publisher),
            url=c.url,
            published=None if c.undated else c.known_at,
            known_at=c.known_at,
            tier=claim_tier(c.official, c.url, c.publisher, c.speakers),
            season=c.season,
            where=where,
            hedged=c.hedged or hopeful(c.text),
            confidence=c.confidence,
            outlet=outlet_key(c.url, c.publisher, f"document {c.document_id}"),
            said_by=said_by,
        )
        self.rule[id(e)] = rule
        self.by_key[k].append(e)

    def decide(self, u: Unit, o: Outcome) -> None:
        """Season N+1 of the unit, by the status decider; the rules behind it in ``evidence``."""
        latest = self.dates[u.key].latest_released(self.day)
        kept = self.decided.get(u)
        if kept is not None and kept[0] == latest:  # same statements, same question
            _, o.status, o.known_at, o.rule, evidence = kept
            o.evidence = dict(evidence)
            return
        self._decide(u, o, latest)
        self.decided[u] = (latest, o.status, o.known_at, o.rule, dict(o.evidence))

    def _decide(self, u: Unit, o: Outcome, latest: int) -> None:
        said = self.by_key.get(u.key, [])
        first = self.first_new.get(u.key)
        if first is not None:  # a count taken before the show's first new season came out
            start = day_start(first)  # is another show's of the name (find_units)
            said = [e for e in said if e.when >= start or self.rule.get(id(e)) != COUNT_RULE]
        v = decide(said, u.season + 1, as_of=self.cutoff, latest_released=latest)
        deciding = [v.deciding] if v.deciding is not None else []
        for e in [*deciding, *v.agreeing, *v.disagreements, *v.superseded]:
            rule = _rule(self.rule.get(id(e)), bearing(e.status or "", e.where, v.season)[0])
            if rule and (rule not in o.evidence or e.when < o.evidence[rule]):
                o.evidence[rule] = e.when
        o.status = OUTCOME_OF[v.status]
        if v.decided and v.deciding is not None:
            o.rule = _rule(self.rule.get(id(v.deciding)), v.status)
            o.known_at = v.since


def _rule(base: str | None, said: str | None) -> str:
    """The rule name of a statement by what it says of the season: a news report is
    ``next-season-news`` or ``claim-ended``; a listed final season renews the last season."""
    if base is None or said is None or said == "pending":
        return "" if base in (None, "news") else str(base)
    if base == "news":
        return "next-season-news" if said == "renewed" else "claim-ended"
    if base == "final-season" and said == "renewed":
        return "next-season-final"
    return base


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
