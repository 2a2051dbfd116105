"""The decider: what dated, sourced evidence says about one season, as known at one moment.

Pure: no store, no clock. Everything that says whether season N is coming — ``ask``, the forecast's
labels, the lists of decisions, the feeds and the watch alerts — comes through :func:`decide`.

Precedence (docs/status.md):

1. A season that has been **released** (it premiered, or it is in Netflix's own viewing data) was
   made; nothing overturns that.
2. Otherwise the highest **tier** with a decision decides: official statements (the platform's
   newsroom, a showrunner or creator on the record) > trade press > other (secondary) reports >
   list snapshots (Wikipedia's lists, Netflix's Top 10 season labels, listed premiere dates).
3. Within that tier, **later beats earlier**: statements are grouped into news cycles
   (:data:`CYCLE_DAYS`); the latest cycle decides. Within one cycle the side backed by more
   **independent outlets** wins, each outlet weighted by the news model's **confidence** (unknown
   confidence counts as :data:`MEDIUM_CONFIDENCE`); a tie goes to the later statement.
4. **Hedged** statements (hopes, optimism, "in talks", "could return") and statements below
   :data:`MIN_CONFIDENCE` are context: shown, never deciding. "Not decided yet" statements (from
   :data:`MIN_CONFIDENCE`) are the latest word while pending, never a decision.
5. **Undated** statements count only from the day they were added, and decide only when their
   tier has no dated decision (they cannot be placed before or after a dated one); a decision
   resting on them has no date and says so.
6. Statements lower in precedence that disagree with the decision are shown: as disagreements
   when made after it, as superseded when made before it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from renewcast.news.claims import FIRM_CONFIDENCE
from renewcast.status.seasons import STOPS, Place, Question, bearing, is_final, question

STATUSES = ("renewed", "cancelled", "ended", "limited", "pending")
DECISIONS = ("renewed", "cancelled", "ended", "limited")

# Tiers, strongest first.
RELEASED, OFFICIAL, TRADE, SECONDARY, LISTS = 0, 1, 2, 3, 4
TIER_NAMES = {
    RELEASED: "released",
    OFFICIAL: "official",
    TRADE: "trade",
    SECONDARY: "secondary",
    LISTS: "lists",
}
CYCLE_DAYS = 14
#: independent outlets that, naming a season as coming after a report ruled it out, overtake it
#: even when they are of a lower tier (a plan changed after it was announced)
CORROBORATING_OUTLETS = 2
MEDIUM_CONFIDENCE = 0.6
# claims the news model scores lower are shown, never deciding. Lower than the model's own
# threshold for stating a claim alone (`renewcast extract`, 0.6): a decision here also needs the
# tier, the news cycle and the independent outlets above; a test keeps it at or under that one.
MIN_CONFIDENCE = FIRM_CONFIDENCE


@dataclass(slots=True, eq=False)
class Evidence:
    """One sourced statement bearing on the status of a series' seasons."""

    status: str | None  # what it says (STATUSES), or None for background (a premiere, a Top 10 run)
    claim: str  # what it says, as a sentence
    source: str  # outlet or catalog source name
    url: str | None
    published: datetime | None  # when it was published; None: undated
    known_at: datetime | None = None  # when it entered the store (defaults to ``published``)
    tier: int = SECONDARY
    kind: str = "news"  # news | catalog
    season: int | None = None  # the season it names
    where: Place = field(default_factory=Place)
    hedged: bool = False  # a hope, a hint, talks: context only
    confidence: float | None = None  # the news model's confidence; None: unknown
    outlet: str = ""  # identity of the outlet, for counting independent ones
    speaker: str | None = None
    quote: str | None = None
    file: str | None = None  # local file a catalog fact was read from
    note: str = ""  # why it was not counted, when it was not
    precision: str = "day"  # of ``published``: day | month (a page dated only to the month)
    # undated: the latest it can have been said, when the article itself bounds it (it reports
    # as ordered a season that has since come out); placed and overtaken as of then
    said_by: datetime | None = None
    # the ended list only: the kind of end to state when nothing else says which (a series of
    # fiction listed as ended after one or two seasons: "cancelled"); None: "ended"
    ends_as: str | None = None

    @property
    def said(self) -> datetime:
        """The latest moment it can have been said: its publication; undated, the bound its
        article gives, else the day it was added."""
        return self.published or self.said_by or self.known_at  # type: ignore[return-value]

    def __post_init__(self) -> None:
        if self.known_at is None:
            if self.published is None:
                raise ValueError("evidence needs a publication date or the day it was added")
            self.known_at = self.published
        if not self.outlet:
            self.outlet = (self.url or self.source).casefold()

    @property
    def undated(self) -> bool:
        return self.published is None

    @property
    def date_label(self) -> str | None:
        """Its date as shown: "2023-03-14", "2023-03" (known to the month), None when undated."""
        from renewcast.news.pubdate import date_label

        return None if self.published is None else date_label(self.published, self.precision)

    @property
    def when(self) -> datetime:
        """The moment it counts from: its publication, or the day it was added when undated."""
        return self.published or self.known_at  # type: ignore[return-value]

    @property
    def weight(self) -> float:
        return MEDIUM_CONFIDENCE if self.confidence is None else float(self.confidence)

    @property
    def tier_name(self) -> str:
        return TIER_NAMES[self.tier]

    @property
    def final(self) -> bool:
        return self.where.ordered is not None and self.where.stop == self.where.ordered + 1

    def to_json(self) -> dict[str, Any]:
        return {
            "claim": self.claim,
            "status": self.status,
            "season": self.season,
            "source": self.source,
            "url": self.url,
            "published": self.date_label,
            "undated": self.undated,
            "added": self.known_at.date().isoformat() if self.undated and self.known_at else None,
            "speaker": self.speaker,
            "quote": self.quote,
            "kind": self.kind,
            "tier": self.tier_name,
            "class": self.tier_name,
            "hedged": self.hedged,
            "confidence": self.confidence,
            "note": self.note or None,
        }


@dataclass(slots=True)
class Verdict:
    """The decider's answer for one season."""

    season: int
    question: Question
    status: str
    deciding: Evidence | None  # the statement that decided (or the latest word while pending)
    decided_at: datetime | None  # the decision's real date; None when pending or undated
    since: datetime | None  # when it was first known: the earliest statement agreeing with it
    undated: bool  # the decision rests on an undated statement
    final: bool  # the season is confirmed as the last one
    counted: list[Evidence]  # statements about this season, oldest first (context included)
    agreeing: list[Evidence]
    disagreements: list[Evidence]
    superseded: list[Evidence]
    context: list[Evidence]  # hedged / low-confidence statements and background
    not_counted: list[Evidence]  # statements about other seasons, with the reason in ``note``
    reason: str  # why pending, when pending

    @property
    def decided(self) -> bool:
        return self.status in DECISIONS


def _is_decision(e: Evidence, status: str | None) -> bool:
    return status in DECISIONS and not e.hedged and e.weight >= MIN_CONFIDENCE


def _is_word(e: Evidence, status: str | None) -> bool:
    """A "not decided yet" firm enough to be the latest word while nothing is decided."""
    return status == "pending" and not e.hedged and e.weight >= MIN_CONFIDENCE


def _family(status: str | None) -> str:
    return "stop" if status in STOPS else str(status)


def endings_after_orders(evidence: list[Evidence]) -> None:
    """Place, in place, an ending that names no season and was said while a season ordered
    before it was still to come: that season is the last one — made, and no season after it
    ("the series will end" with season 5 ordered and season 4 out: season 5 is the final one).
    A cancellation can undo an order; an ending the makers chose does not (news only: a list's
    "ended" cannot tell the two apart). Run once on a series' gathered statements (the status and
    the forecast labels alike)."""
    for e in evidence:
        # a news ending naming no season, read as ruling seasons out (not "the next is the last")
        if (
            e.kind != "news"
            or e.status != "ended"
            or e.season is not None
            or e.where.ordered is not None
            or e.where.stop is None
        ):
            continue
        before = [x for x in evidence if x is not e and x.said < e.said]
        ordered = latest_ordered(before)
        if ordered >= e.where.stop:
            e.where = Place(ordered=ordered, stop=ordered + 1)


def latest_ordered(evidence: Iterable[Evidence], as_of: datetime | None = None) -> int:
    """The highest season any counted, unhedged statement orders."""
    return max(
        (
            e.where.ordered
            for e in evidence
            if e.where.ordered is not None
            and not e.hedged
            and e.weight >= MIN_CONFIDENCE
            and e.status in ("renewed", "ended")
            and (as_of is None or e.when <= as_of)
        ),
        default=0,
    )


def decide(
    evidence: Sequence[Evidence],
    season: int,
    *,
    as_of: datetime | None = None,
    latest_released: int = 0,
) -> Verdict:
    """What ``evidence`` (known at ``as_of``) says about ``season``.

    ``latest_released`` is the latest season out at ``as_of`` (premiered, or in Netflix's data);
    a question more than one season beyond it and beyond every season ordered is ``pending``
    unless a statement rules the season out (a cancelled series' later seasons won't come either).
    """
    seen = [e for e in evidence if as_of is None or e.when <= as_of]
    q = question(season, latest_released, latest_ordered(seen))
    s = q.season
    counted: list[Evidence] = []
    not_counted: list[Evidence] = []
    context: list[Evidence] = []
    bears: dict[int, str] = {}
    for e in sorted(seen, key=lambda x: (x.when, x.kind != "catalog")):
        if e.status is None:
            context.append(e)
            counted.append(e)
            continue
        b, why = bearing(e.status, e.where, s)
        if b in STOPS and e.where.stop is not None and e.where.stop < s:
            why = _refuted(seen, e, as_of, latest_released)
            b = None if why else b
        elif b in STOPS and e.where.stop == s:
            why = _named_after(seen, e, s)
            b = None if why else b
        if b is None:
            not_counted.append(replace(e, note=why))
            continue
        counted.append(e)
        bears[id(e)] = b
        if not (_is_decision(e, b) or _is_word(e, b)):
            context.append(e)  # a hope, or a statement read too unsurely to decide or be the word
    decisive = [e for e in counted if id(e) in bears and _is_decision(e, bears[id(e)])]
    if q.kind == "released":
        made = [e for e in decisive if e.tier == RELEASED and bears[id(e)] == "renewed"]
        if not made:  # released by Wikipedia's count or a premiere we have no row for
            decisive = [e for e in decisive if bears[id(e)] == "renewed"] or decisive
    if q.kind == "beyond":
        decisive = [e for e in decisive if bears[id(e)] in STOPS]
    pend = [e for e in counted if _is_word(e, bears.get(id(e)))]
    if not decisive:
        latest_word = max(pend, key=lambda e: (not e.undated, e.when), default=None)
        reason = q.reason or (
            f"no source has announced a decision about season {s}"
            if latest_word is None
            else f"the latest word is that season {s} has not been decided"
        )
        return Verdict(
            season=s,
            question=q,
            status="pending",
            deciding=latest_word,
            decided_at=None,
            since=None,
            undated=False,
            final=False,
            counted=counted,
            agreeing=[],
            disagreements=[],
            superseded=[],
            context=context,
            not_counted=not_counted,
            reason=reason,
        )
    return _verdict(q, counted, decisive, bears, context, not_counted)


def _refuted(
    seen: Sequence[Evidence], e: Evidence, as_of: datetime | None, latest_released: int
) -> str:
    """Why a statement ruling out seasons ``stop`` onwards no longer holds for a later season:
    season ``stop`` was made after all (released after the statement, or renewed after it)."""
    assert e.where.stop is not None
    said, stop = e.said, e.where.stop
    if any(r.tier == RELEASED and (r.where.ordered or 0) >= stop and r.when > said for r in seen):
        return f"overtaken: season {stop} was released after it"
    v = decide(seen, stop, as_of=as_of, latest_released=latest_released)
    if v.status == "renewed" and v.since is not None and v.since > said:
        return f"overtaken: season {stop} was renewed or released after it"
    return ""


def _named_after(seen: Sequence[Evidence], e: Evidence, season: int) -> str:
    """Why a news report ruling ``season`` out no longer holds for it: later, unhedged, dated
    statements of a lower tier name ``season`` as coming — an order of that season, a listed
    premiere or final season — and either the report names no season (which season it stops at
    is reckoned from what was out when it was said: "ending with its upcoming season" while two
    seasons were being made together), or at least two independent outlets say so (a plan
    changed after it was announced: "the fifth season will be the last", then a sixth was
    ordered). (One of the same or a higher tier needs no exception: the later decision wins and
    the report is shown as superseded, as with a revival.)"""
    if e.kind != "news":
        return ""
    later = [
        r
        for r in seen
        if r.tier > e.tier
        and r.season is not None
        and r.status in ("renewed", "ended")
        and (r.where.ordered or 0) >= season
        and not r.hedged
        and r.weight >= MIN_CONFIDENCE
        and not r.undated
        and r.when > e.said
    ]
    outlets = {r.outlet for r in later}
    if later and (e.season is None or len(outlets) >= CORROBORATING_OUTLETS):
        r = max(later, key=lambda x: x.when)
        what = "it names no season, and" if e.season is None else f"{len(outlets)} outlets said"
        return (
            f"overtaken: {what} season {season} was named as coming after it "
            f"({r.source}, {r.when.date().isoformat()})"
        )
    return ""


def _support(items: Iterable[Evidence]) -> float:
    """Independent outlets behind a side, each counted once at its best confidence."""
    best: dict[str, float] = {}
    for e in items:
        best[e.outlet] = max(best.get(e.outlet, 0.0), e.weight)
    return sum(best.values())


def _cycles(items: list[Evidence]) -> list[list[Evidence]]:
    """Statements grouped into news cycles: each cycle spans CYCLE_DAYS from its first statement."""
    out: list[list[Evidence]] = []
    for e in sorted(items, key=lambda x: x.when):
        if out and e.when - out[-1][0].when <= timedelta(days=CYCLE_DAYS):
            out[-1].append(e)
        else:
            out.append([e])
    return out


def _cycle_side(cycle: list[Evidence], bears: dict[int, str]) -> str:
    sides: dict[str, list[Evidence]] = {}
    for e in cycle:
        sides.setdefault(_family(bears[id(e)]), []).append(e)
    last = _family(bears[id(cycle[-1])])
    return max(sides, key=lambda k: (_support(sides[k]), k == last))


def _verdict(
    q: Question,
    counted: list[Evidence],
    decisive: list[Evidence],
    bears: dict[int, str],
    context: list[Evidence],
    not_counted: list[Evidence],
) -> Verdict:
    top = min(e.tier for e in decisive)
    in_tier = [e for e in decisive if e.tier == top]
    dated = [e for e in in_tier if not e.undated]
    pool = dated or in_tier  # undated statements decide only a tier with no dated decision
    cycles = _cycles(pool)
    side = _cycle_side(cycles[-1], bears)
    # the run of cycles on the winning side that ends with the latest cycle
    first_of_run = len(cycles) - 1
    while first_of_run > 0 and _cycle_side(cycles[first_of_run - 1], bears) == side:
        first_of_run -= 1
    if top == RELEASED:
        # it was made; the decision to make it is the first dated report that it would be
        made = [e for e in decisive if bears[id(e)] == "renewed" and not e.undated]
        winners = sorted(made or pool, key=lambda e: (e.when, e.tier))
        run_start = winners[0].when
    else:
        winners = [e for e in cycles[first_of_run] if _family(bears[id(e)]) == side]
        run_start = cycles[first_of_run][0].when
    deciding = _explain_stop(winners[0], decisive, bears) if side == "stop" else winners[0]
    status = bears[id(deciding)]
    if side == "stop" and status not in STOPS:
        status = "ended"
    if status == "ended" and is_ended_list(deciding) and deciding.ends_as:
        status = deciding.ends_as  # nothing said which kind of end: the list's likelier one
    agreeing, disagree, superseded = [], [], []
    start = deciding.when
    for e in decisive:
        if e is deciding:
            continue
        if _family(bears[id(e)]) == side:
            agreeing.append(e)
        elif e.when < run_start:
            superseded.append(e)
        else:
            disagree.append(e)
    pending_after = [
        e
        for e in counted
        if bears.get(id(e)) == "pending"
        and not e.hedged
        and not e.undated  # an undated "not yet" cannot be placed after the decision
        and e.when > start
        and e.tier <= top
    ]
    disagree.extend(pending_after)
    last_overturned = max((e.when for e in superseded), default=None)
    # the standing decision was known from its first dated statement since the last one it
    # overturned, whichever tier decides it now (a cancellation reported, later confirmed by its
    # creator, was known when it was first reported); an undated decision stays undated
    run = [
        e
        for e in [deciding, *agreeing]
        if not e.undated and (last_overturned is None or e.when > last_overturned)
    ]
    since = min((e.when for e in run), default=deciding.when)  # a dated statement's when: its day
    decided_at = None if deciding.undated else since
    final = side == "renewed" and any(
        is_final(e.where, q.season) for e in decisive if _family(bears[id(e)]) == "renewed"
    )
    return Verdict(
        season=q.season,
        question=q,
        status=status,
        deciding=deciding,
        decided_at=decided_at,
        since=since,
        undated=deciding.undated,
        final=final,
        counted=counted,
        agreeing=agreeing,
        disagreements=sorted(disagree, key=lambda e: e.when),
        superseded=sorted(superseded, key=lambda e: e.when),
        context=context,
        not_counted=not_counted,
        reason="",
    )


#: why the ended list's end is stated as a cancellation (``Evidence.ends_as``), in words
EARLY_END_WHY = "a series of fiction that ends this early has almost always been cancelled"


def is_ended_list(e: Evidence) -> bool:
    """Wikipedia's ended list alone: it does not tell a cancellation from a planned ending."""
    return e.kind == "catalog" and e.status == "ended" and e.season is None and e.tier == LISTS


def _explain_stop(deciding: Evidence, decisive: list[Evidence], bears: dict[int, str]) -> Evidence:
    """Which kind of end: "ended" says least. A Limited Series label or report (in any tier) says
    why a series ended; the ended list alone cannot tell cancelled from concluded, and a news
    report of either can (without one, the list's ``ends_as`` is stated)."""
    if bears[id(deciding)] != "ended":
        return deciding
    limited = [e for e in decisive if bears[id(e)] == "limited"]
    if limited:
        return min(limited, key=lambda e: (e.tier, e.undated, e.when))
    if not is_ended_list(deciding):
        return deciding
    said = [e for e in decisive if e.kind == "news" and bears[id(e)] in ("cancelled", "ended")]
    if said:
        return min(said, key=lambda e: (e.tier, e.undated, -e.when.timestamp()))
    return deciding


def decide_all(
    evidence: Sequence[Evidence],
    seasons: Iterable[int],
    *,
    as_of: datetime | None = None,
    latest_released: int = 0,
) -> dict[int, Verdict]:
    """:func:`decide` for several seasons of one series."""
    return {n: decide(evidence, n, as_of=as_of, latest_released=latest_released) for n in seasons}
