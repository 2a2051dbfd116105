"""Evidence gathering: the catalog's facts and the news claims about a series, dated and placed.

Everything here reads the store (through SQL on its tables) and nothing known after the cutoff;
:mod:`renewcast.status.decide` then decides without touching the store. Every statement is placed
on the season line once (:func:`renewcast.status.seasons.place`), so the same evidence answers
any season.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Date, Integer, and_, bindparam, func, literal, select, union_all

from renewcast.status.decide import (
    EARLY_END_WHY,
    LISTS,
    MIN_CONFIDENCE,
    OFFICIAL,
    RELEASED,
    SECONDARY,
    TRADE,
    Evidence,
)
from renewcast.status.seasons import (
    BEFORE_RELEASE,
    Place,
    SeasonDates,
    place,
    place_claim,
    season_in_text,
    written_by,
)
from renewcast.store.catalog import fact_rows
from renewcast.store.db import as_day, known_by, prepared, series_rows, with_cutoff
from renewcast.store.documents import (
    LATER_HOMES,
    doc_label,
    doc_link,
    file_dates,
    is_official_outlet,
    is_trade,
    outlet_key,
    page_as_of,
    source_page,
)
from renewcast.store.schema import (
    chart_entries,
    claims,
    documents,
    engagement_rows,
    facts,
    quotes,
)

# Hopes, optimism, talks and hints: a statement with one of these and no definite decision is
# context, never a decision ("the showrunner is optimistic about a second season").
_HOPEFUL = re.compile(
    r"(?i)\b(?:hop(?:e|es|ed|eful|efully|ing)|optimis(?:m|tic|tically)|in\s+(?:early\s+)?talks|"
    r"in\s+(?:early\s+)?(?:discussions|negotiations)|would\s+love|fingers\s+crossed|"
    r"wish(?:es|ed)?|hint(?:s|ed|ing)?\s+at|(?:could|might|may)\s+(?:well\s+)?(?:return|come\s+back|"
    r"get|be\s+renewed|happen)|rumou?r(?:s|ed)?|eyeing|open\s+to|keen\s+(?:on|to)|"
    r"(?:wants?|wanted|plans?|planning)\s+to\s+(?:do|make|return|continue|pitch)|pitch(?:ed|ing)|"
    r"expected\s+to\s+(?:be\s+renewed|return|come\s+back|get)|speculat\w+|"
    r"(?:is|are|seems?)\s+(?:likely|poised|set)\s+to\s+(?:be\s+renewed|return|get)|"
    r"if\s+(?:it|the\s+show|the\s+series|netflix)\s+(?:is|gets|were|renews))\b"
)
_DEFINITE = re.compile(
    r"(?i)\b(?:(?:has|have|had|was|were|is|are|been|officially|formally|just)\s+"
    r"(?:been\s+)?(?:renewed|cancell?ed|axed|ordered|picked\s+up|green-?lit|greenlighted)|"
    r"officially|(?:renews|renewed|cancels|cancell?ed|axes|axed|orders|ordered)\s+(?:the\s+)?"
    r"(?:series|show|it)\b)"
)


def hopeful(text: str) -> bool:
    """A hope, optimism, talks or a hint, with no definite decision in the same sentence."""
    return bool(_HOPEFUL.search(text)) and not _DEFINITE.search(text)


def fact_date(value: Any) -> date | None:
    """A fact's date value (a date or an ISO string), or None when it is not one."""
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _day(cutoff: datetime | None) -> date:
    """The day an answer is for: the cutoff's, or today (a premiere date after it is to come)."""
    return cutoff.date() if cutoff is not None else datetime.now().date()


# ------------------------------------------------------------------------------- catalog


_PER_SEASON = ("premiere", "limited", "relabelled_limited", "renewed", "final", "status")
#: the facts of a series the status reads (:func:`catalog_evidence`, :func:`season_dates`), and
#: when a list says a season is due (the answer's announced dates: one read for both)
CATALOG_FACTS = (*_PER_SEASON, "status_text", "seasons", "finale", "kind", "due")
#: Wikipedia's ended list does not say why a series ended; of the series of fiction it lists as
#: ended after one or two seasons, the labelled news calls 30 of 32 cancelled (docs/status.md),
#: so that is the end stated for them when no report says which
EARLY_END_SEASONS = 2
FICTION_KINDS = frozenset({"scripted", "animation", "anime", "kids"})


def season_dates(conn: Connection, series_id: int, cutoff: datetime | None) -> SeasonDates:
    """Premieres, first appearances in Netflix's data and Wikipedia's season counts of every
    season, known at the cutoff."""
    out = SeasonDates()
    params = with_cutoff({"sid": series_id}, cutoff)
    # the premieres come from the read of the facts the catalog evidence needs next (one
    # statement for both inside :func:`~renewcast.store.catalog.facts_read_once`)
    for r in fact_rows(conn, series_id, cutoff, CATALOG_FACTS):
        if r.attribute != "premiere":
            continue
        d = fact_date(json.loads(r.value))
        if d is None:
            continue
        season_no = r.season_number
        if season_no == 0:
            out.series_premiere = min(d, out.series_premiere or d)
            continue
        out.premieres.setdefault(season_no, d)
        out.premiere_known.setdefault(season_no, r.known_at)
    cq = prepared(
        ("season_dates.first", cutoff is None),
        lambda: union_all(
            _first_seen(chart_entries, True, cutoff),
            _first_seen(engagement_rows, False, cutoff),
            _first_unnumbered(chart_entries, True, cutoff),
            _first_unnumbered(engagement_rows, False, cutoff),
        ),
    )
    for top10, season_no, first, out_day in conn.execute(cq, params):  # in any order
        if season_no is None:  # a row naming no season (see :func:`_first_unnumbered`)
            out.note_unnumbered(first)
            continue
        day = as_day(out_day)
        if day is not None:
            # a Top 10 week is named by its Sunday: the season was out by its Monday
            out.note_out(season_no, day - timedelta(days=6) if top10 else day)
        if season_no and top10:
            out.top10.add(season_no)
        if season_no and (season_no not in out.charted or first < out.charted[season_no]):
            out.charted[season_no] = first
    sq = prepared(  # Wikipedia counts released seasons (JustWatch lists announced ones too)
        ("season_dates.counts", cutoff is None),
        lambda: (
            select(facts.c.value, facts.c.known_at, documents.c.source)
            .join(documents, documents.c.id == facts.c.document_id)
            .where(
                facts.c.series_id == bindparam("sid"),
                facts.c.attribute == "seasons",
                facts.c.season_number == 0,
                known_by(facts.c.known_at, cutoff),
            )
        ),
    )
    for value, known_at, source in conn.execute(sq, params):
        n = json.loads(value)
        if isinstance(n, int) and 0 < n < 100:
            out.note_count(source, n, known_at)
    if out.series_premiere and 1 not in out.premieres:
        out.premieres[1] = out.series_premiere
    return out


def _first_seen(table: Any, top10: bool, cutoff: datetime | None) -> Any:
    """Each season's first row in ``table`` (Top 10 or engagement) known by the cutoff, and the
    first week (Top 10) or release date (engagement) those rows give."""
    day = table.c.week if top10 else table.c.release_date
    return (
        select(literal(top10), table.c.season_number, func.min(table.c.known_at), func.min(day))
        .where(
            table.c.series_id == bindparam("sid"),
            table.c.season_number.is_not(None),
            known_by(table.c.known_at, cutoff),
        )
        .group_by(table.c.season_number)
    )


#: the season of a row naming none ("Crims (2020): Season 0" is a season 0, not this)
_NO_SEASON = literal(None, Integer)


def _unnumbered_tv(table: Any, top10: bool) -> Any:
    """A row of Netflix's TV data under the series' name alone: no season, not a Limited Series."""
    tv = table.c.category.like("TV%") if top10 else table.c.kind == "tv"
    return and_(table.c.season_number.is_(None), table.c.limited.is_(False), tv)


def _first_unnumbered(table: Any, top10: bool, cutoff: datetime | None) -> Any:
    """The series' first such row in ``table`` known by the cutoff, with no season (NULL), and
    NULL for the time when there is none."""
    return select(
        literal(top10), _NO_SEASON, func.min(table.c.known_at), literal(None, Date)
    ).where(
        table.c.series_id == bindparam("sid"),
        _unnumbered_tv(table, top10),
        known_by(table.c.known_at, cutoff),
    )


def catalog_statement(
    status: str | None,
    claim: str,
    source: str,
    known_at: datetime,
    file: str | None,
    *,
    where: Place | None = None,
    season: int | None = None,
    tier: int = LISTS,
) -> Evidence:
    """A dated statement from the catalog (a list, a label, Netflix's data), cited by its page."""
    name, url = source_page(source)
    return Evidence(
        status=status,
        claim=claim,
        source=name,
        url=url,
        published=known_at,
        tier=tier,
        kind="catalog",
        season=season,
        where=where or Place(),
        outlet=f"catalog:{source}",
        file=file,
    )


def catalog_evidence(
    conn: Connection, series_id: int, title: str, cutoff: datetime | None, dates: SeasonDates
) -> list[Evidence]:
    """What the catalog says about every season: releases, listed dates, labels, list statuses."""
    out: list[Evidence] = []
    day = _day(cutoff)
    for s, first in sorted(dates.charted.items()):
        out.append(
            catalog_statement(
                "renewed",
                f"Season {s} of {title} is in Netflix's own viewing data "
                f"(first on {first.date().isoformat()}).",
                # the Top 10 when a chart row names the season, else the engagement report
                "netflix-top10/global" if s in dates.top10 else "netflix-engagement",
                first,
                None,
                where=Place(ordered=s),
                season=s,
                tier=RELEASED,
            )
        )
    per_season = _PER_SEASON
    both = fact_rows(conn, series_id, cutoff, CATALOG_FACTS)
    rows = [r for r in both if r.attribute in per_season or r.attribute == "status_text"]
    seasons_rows = [
        r for r in both if r.attribute in ("seasons", "finale") and r.season_number == 0
    ]
    status_text = {r.source: json.loads(r.value) for r in rows if r.attribute == "status_text"}
    counts = {r.source: json.loads(r.value) for r in seasons_rows if r.attribute == "seasons"}
    kinds = {r.source: json.loads(r.value) for r in both if r.attribute == "kind"}
    finale = next((json.loads(r.value) for r in seasons_rows if r.attribute == "finale"), None)
    seen_premiere: set[int] = set()
    for r in rows:
        value = json.loads(r.value)
        n = int(r.season_number or 0)
        if r.attribute == "premiere":
            d = fact_date(value)
            s = max(n, 1)
            if d is None or s in seen_premiere:
                continue
            seen_premiere.add(s)
            released = d <= day
            out.append(
                catalog_statement(
                    "renewed",
                    f"Season {s} premiered on {d.isoformat()}."
                    if released
                    else f"Season {s} has a premiere date: {d.isoformat()}.",
                    r.source,
                    r.known_at,
                    r.uri,
                    where=Place(ordered=s),
                    season=s,
                    tier=RELEASED if released else LISTS,
                )
            )
        elif r.attribute == "renewed" and value and n >= 1:
            out.append(
                catalog_statement(
                    "renewed",
                    f"Listed as renewed for season {n}.",
                    r.source,
                    r.known_at,
                    r.uri,
                    where=Place(ordered=n),
                    season=n,
                )
            )
        elif r.attribute == "final" and value and n >= 1:
            out.append(
                catalog_statement(
                    "ended",
                    f"Season {n} is listed as the final season.",
                    r.source,
                    r.known_at,
                    r.uri,
                    where=Place(ordered=n, stop=n + 1),
                    season=n,
                )
            )
        elif r.attribute in ("limited", "relabelled_limited") and value:
            what = (
                f"Netflix relabelled {value!r} as a Limited Series."
                if r.attribute == "relabelled_limited" and isinstance(value, str)
                else f"{title} is labelled a Limited Series (a single season, no more planned)."
            )
            out.append(
                catalog_statement(
                    "limited",
                    what,
                    r.source,
                    r.known_at,
                    r.uri,
                    where=Place(stop=max(n, 1) + 1),
                    season=max(n, 1),
                )
            )
        elif r.attribute == "status" and n == 0:
            ev = _list_status(title, value, r, status_text, counts, finale, dates, kinds)
            if ev is not None:
                out.append(ev)
    for source, n in counts.items():
        if isinstance(n, int) and 0 < n < 100:
            row = next(r for r in seasons_rows if r.source == source and r.attribute == "seasons")
            out.append(
                catalog_statement(
                    "renewed",
                    f"{source_page(source)[0]} lists {n} season{'s' if n != 1 else ''} of {title}.",
                    source,
                    row.known_at,
                    row.uri,
                    where=Place(ordered=n),
                    season=n,
                )
            )
    return _cited_as_then(conn, out, cutoff)


def _cited_as_then(
    conn: Connection, out: list[Evidence], cutoff: datetime | None
) -> list[Evidence]:
    """Statements of a list dated after the cutoff (facts it gives as public earlier) are cited
    by the page that held them then (:func:`~renewcast.store.documents.page_as_of`)."""
    later = [
        (e, e.file, e.outlet.removeprefix("catalog:"))
        for e in out
        if e.file and e.outlet.removeprefix("catalog:") in LATER_HOMES
    ]
    if cutoff is None or not later:
        return out
    listed = file_dates(conn, (file for _, file, _ in later))
    for e, file, source in later:
        cited = page_as_of(source, listed.get(file), cutoff)
        if cited != source:
            e.source, e.url = source_page(cited)
    return out


def _list_status(
    title: str,
    value: Any,
    r: Any,
    status_text: dict[str, Any],
    counts: dict[str, Any],
    finale: Any,
    dates: SeasonDates,
    kinds: dict[str, Any],
) -> Evidence | None:
    """Wikipedia's status column or its list of ended series, placed on the season line."""
    day = r.known_at.date()
    if value == "ended":
        ended_list = r.source.endswith("ended")
        got = counts.get(r.source) if ended_list else None
        n = got if isinstance(got, int) and 0 < got < 100 else None
        after = f" after {n} season{'s' if n != 1 else ''}" if n else ""
        last = f", last episode {finale}" if finale else ""
        where = Place(stop=n + 1) if n else place("ended", None, False, dates, day)
        early = ended_list and n is not None and n <= EARLY_END_SEASONS
        fiction = kinds.get(r.source) in FICTION_KINDS
        why = (
            f"; the list does not say why, and {EARLY_END_WHY}"
            if early and fiction
            else "; the list does not say whether it was cancelled or concluded as planned"
        )
        ev = catalog_statement(
            "ended",
            f"Wikipedia lists {title} among ended Netflix series{after}{last}{why}."
            if ended_list
            else f"Wikipedia's list of Netflix series gives its status as ended{after}.",
            r.source,
            r.known_at,
            r.uri,
            where=where,
        )
        ev.ends_as = "cancelled" if early and fiction else None
        return ev
    if value not in ("renewed", "pending", "limited"):
        return None
    text = status_text.get(r.source)
    named = season_in_text(text) if isinstance(text, str) else None
    said = f" ({text!r})" if isinstance(text, str) and text.lower() != value else ""
    claim = {
        "renewed": f"Wikipedia's list of Netflix series gives its status as renewed{said}.",
        "pending": "Wikipedia's list of Netflix series gives its status as pending "
        "(no decision announced).",
        "limited": "Wikipedia's list of Netflix series lists it as a miniseries.",
    }[value]
    where = place(value, named, False, dates, day)
    return catalog_statement(value, claim, r.source, r.known_at, r.uri, where=where, season=named)


def not_limited_note(
    conn: Connection, series_id: int, season: int, cutoff: datetime | None
) -> Evidence | None:
    """Netflix lists the latest season as "Season N", not "Limited Series": background that only
    means something while the next season is undecided."""
    if season < 1:
        return None
    q = prepared(
        ("not_limited_note", cutoff is None),
        lambda: (
            select(chart_entries.c.season_title, chart_entries.c.known_at, documents.c.source)
            .join(documents, documents.c.id == chart_entries.c.document_id)
            .where(
                chart_entries.c.series_id == bindparam("sid"),
                chart_entries.c.season_number == bindparam("season"),
                chart_entries.c.limited.is_(False),
                chart_entries.c.season_title.is_not(None),
                known_by(chart_entries.c.known_at, cutoff),
            )
            .order_by(chart_entries.c.known_at)
            .limit(1)
        ),
    )
    row = conn.execute(q, with_cutoff({"sid": series_id, "season": season}, cutoff)).first()
    if row is None or not re.search(r"season", row.season_title or "", re.I):
        return None
    return catalog_statement(
        None,
        f"Netflix lists it as {row.season_title!r}, not as a Limited Series, so more "
        "seasons are possible.",
        row.source,
        row.known_at,
        None,
        season=season,
    )


def context_evidence(
    conn: Connection, series_id: int, season: int, cutoff: datetime | None
) -> list[Evidence]:
    """The previous season's premiere and its Top 10 run: the background a reader needs."""
    out: list[Evidence] = []
    prev = max(season - 1, 1)
    rows = fact_rows(conn, series_id, cutoff, ("premiere",))
    prem = next((r for r in rows if r.season_number == prev), None) or next(
        (r for r in rows if r.season_number == 0 and prev == 1), None
    )
    if prem is not None:
        out.append(
            catalog_statement(
                None,
                f"Season {prev} premiered on {json.loads(prem.value)}.",
                prem.source,
                prem.known_at,
                prem.uri,
                season=prev,
            )
        )
    q = prepared(
        ("context_evidence.weeks", cutoff is None),
        lambda: (
            select(
                chart_entries.c.week,
                chart_entries.c.rank,
                chart_entries.c.category,
                chart_entries.c.known_at,
                chart_entries.c.list,
            )
            .where(
                chart_entries.c.series_id == bindparam("sid"),
                chart_entries.c.season_number == bindparam("season"),
                known_by(chart_entries.c.known_at, cutoff),
            )
            .order_by(chart_entries.c.week)
        ),
    )
    # the list is filtered here: with it in the query SQLite reads the index of every global
    # week known by the cutoff (ix_chart_list_known) instead of this series' rows
    params = with_cutoff({"sid": series_id, "season": prev}, cutoff)
    weeks = [w for w in conn.execute(q, params) if w.list == "global"]
    if weeks:
        best = min(weeks, key=lambda w: w.rank)
        n = len(weeks)
        out.append(
            catalog_statement(
                None,
                f"Season {prev} spent {n} week{'s' if n != 1 else ''} in Netflix's global Top 10 "
                f"({best.category}), peaking at #{best.rank} in the week to "
                f"{best.week.isoformat()}; latest week {weeks[-1].week.isoformat()}.",
                "netflix-top10/global",
                weeks[-1].known_at,
                None,
                season=prev,
            )
        )
    return _cited_as_then(conn, out, cutoff)


# ------------------------------------------------------------------------------- news

_OFFICIAL_ROLES = re.compile(
    r"(?i)\b(creator|co-creator|showrunner|network statement|head of|chief content|"
    r"president|executive producer)\b"
)


def claim_tier(official: bool, url: str | None, publisher: str | None, speakers: str | None) -> int:
    """Official (the platform's newsroom, or a creator/showrunner/executive on the record), trade
    press, or another outlet."""
    if official or is_official_outlet(url, publisher):
        return OFFICIAL
    if speakers:
        try:
            people = json.loads(speakers)
        except ValueError:
            people = []
        roles = " ".join(str(p.get("role") or "") for p in people if isinstance(p, dict))
        if _OFFICIAL_ROLES.search(roles):
            return OFFICIAL
    if is_trade(url, publisher):
        return TRADE
    return SECONDARY


def _claims_query(cutoff: datetime | None) -> Any:
    """A series' news claims known by the cutoff, with their documents (built once per shape)."""
    return series_rows(
        claims,
        claims.c.season,
        claims.c.status,
        claims.c.series_text,
        claims.c.final,
        claims.c.official,
        claims.c.hedged,
        claims.c.confidence,
        claims.c.evidence,
        claims.c.speakers,
        claims.c.document_id,
        claims.c.known_at,
        documents.c.uri,
        documents.c.canonical_url,
        documents.c.publisher,
        documents.c.title,
        documents.c.published,
        documents.c.published_precision,
        cutoff=cutoff,
    )


def news_evidence(
    conn: Connection, series_id: int, cutoff: datetime | None, dates: SeasonDates
) -> tuple[list[Evidence], list[Evidence]]:
    """Claims from the news, placed: (evidence, claims not counted with the reason)."""
    q = prepared(("news_evidence", cutoff is None), lambda: _claims_query(cutoff))
    rows = conn.execute(q, with_cutoff({"sid": series_id}, cutoff)).all()
    said = _quoted_sentences(conn, {r.document_id for r in rows})
    bounds = _written_by(conn, {r.document_id for r in rows if r.published is None}, cutoff)
    out: list[Evidence] = []
    dropped: list[Evidence] = []
    for r in rows:
        url = doc_link(r.uri, r.canonical_url)
        speakers = _speaker_of(r.evidence, said.get(r.document_id, []))
        day, said_by = (
            placed_by(r.known_at, bounds.get(r.document_id))
            if r.published is None
            else (r.published.date(), None)
        )
        where, why = place_claim(
            r.status, r.season, bool(r.final), r.evidence, r.series_text, dates, day
        )
        ev = Evidence(
            status=r.status if where is not None else None,
            claim=shown_sentence(r.evidence),
            source=doc_label(url, r.publisher, r.title),
            url=url,
            published=r.published,
            precision=r.published_precision or "day",
            known_at=r.known_at,
            tier=claim_tier(bool(r.official), url, r.publisher, r.speakers),
            kind="news",
            season=r.season,
            where=where or Place(),
            hedged=bool(r.hedged) or hopeful(r.evidence),
            confidence=None if r.confidence is None else float(r.confidence),
            outlet=outlet_key(url, r.publisher, f"document {r.document_id}"),
            speaker=speakers,
            quote=shown_sentence(r.evidence) if speakers else None,
            said_by=said_by,
        )
        if where is None:
            ev.note = f"not a status ({r.status!r})"
            dropped.append(ev)
            continue
        if why is not None:
            ev.note = why
            dropped.append(ev)
            continue
        out.append(ev)
    return drop_two_way(out, dropped)


_BULLET = re.compile(r"^\s*(?:[-–—•*·]\s+)+")


def shown_sentence(text: str) -> str:
    """A claim's sentence as a reader sees it: without the page's date marker or a list bullet in
    front ("- date 2023-11-16 Netflix has …" → "Netflix has …")."""
    from renewcast.news.pubdate import strip_date_marker

    return strip_date_marker(_BULLET.sub("", text, count=1))


def drop_two_way(
    counted: list[Evidence], dropped: list[Evidence]
) -> tuple[list[Evidence], list[Evidence]]:
    """A sentence read as both a renewal and an end is not evidence for either."""
    sides: dict[tuple[str | None, str], set[str]] = {}
    for e in counted:
        if e.status in ("renewed", "cancelled", "ended", "limited") and not e.hedged:
            side = "renewed" if e.status == "renewed" else "stop"
            sides.setdefault((e.url, e.claim), set()).add(side)
    bad = {k for k, v in sides.items() if len(v) > 1}
    keep = []
    for e in counted:
        if (e.url, e.claim) in bad:
            e.note = "the sentence reads both ways"
            dropped.append(e)
        else:
            keep.append(e)
    return keep, dropped


def placed_by(added: datetime, bound: date | None) -> tuple[date, datetime | None]:
    """An undated statement's day on the season line, and the moment it was said by when its
    article bounds it (:func:`written_by`) before the day it was ``added``: (that bound, its
    start), else (the day added, None)."""
    if bound is None or bound >= added.date():
        return added.date(), None
    return bound, datetime.combine(bound, datetime.min.time(), tzinfo=added.tzinfo)


def _written_by(conn: Connection, doc_ids: set[int], cutoff: datetime | None) -> dict[int, date]:
    """Per undated article: the last day it can have been written, from the seasons it reports
    as ordered or undecided that have since come out (:func:`written_by`), as known at the
    cutoff. At most three statements, and none for a series without undated articles."""
    if not doc_ids:
        return {}
    q = select(claims.c.document_id, claims.c.series_id, claims.c.status, claims.c.season).where(
        claims.c.document_id.in_(doc_ids),
        claims.c.series_id.is_not(None),
        claims.c.status.in_(BEFORE_RELEASE),
        claims.c.season.is_not(None),
        claims.c.hedged.is_(False),
        claims.c.confidence >= MIN_CONFIDENCE,
    )
    said: dict[int, list[tuple[int, str, int]]] = {}
    for doc_id, sid, status, season in conn.execute(q):
        said.setdefault(doc_id, []).append((sid, status, season))
    if not said:
        return {}
    dates = _seasons_out(conn, {sid for items in said.values() for sid, _, _ in items}, cutoff)
    day = _day(cutoff)
    out: dict[int, date] = {}
    for doc_id, items in said.items():
        bound = written_by(((dates[sid], st, n) for sid, st, n in items), day)
        if bound is not None:
            out[doc_id] = bound
    return out


def _seasons_out(
    conn: Connection, series_ids: set[int], cutoff: datetime | None
) -> dict[int, SeasonDates]:
    """Just the premieres and first weeks in Netflix's data of several series' seasons, known by
    the cutoff (what :meth:`SeasonDates.first_out` reads), in two statements."""
    out: dict[int, SeasonDates] = {sid: SeasonDates() for sid in series_ids}
    premieres = (
        select(facts.c.series_id, facts.c.season_number, facts.c.value)
        .where(
            facts.c.series_id.in_(series_ids),
            facts.c.attribute == "premiere",
            facts.c.season_number > 0,
            known_by(facts.c.known_at, cutoff),
        )
        .order_by(facts.c.known_at, facts.c.id)
    )
    params = with_cutoff({}, cutoff)
    for sid, n, value in conn.execute(premieres, params):
        d = fact_date(json.loads(value))
        if d is not None:  # the first known, as :func:`season_dates` reads them
            out[sid].premieres.setdefault(n, d)
    seen = union_all(
        *(
            select(t.c.series_id, t.c.season_number, func.min(t.c.known_at))
            .where(
                t.c.series_id.in_(series_ids),
                t.c.season_number.is_not(None),
                known_by(t.c.known_at, cutoff),
            )
            .group_by(t.c.series_id, t.c.season_number)
            for t in (chart_entries, engagement_rows)
        ),
        *(
            select(t.c.series_id, _NO_SEASON, func.min(t.c.known_at))
            .where(
                t.c.series_id.in_(series_ids),
                _unnumbered_tv(t, top10),
                known_by(t.c.known_at, cutoff),
            )
            .group_by(t.c.series_id)
            for t, top10 in ((chart_entries, True), (engagement_rows, False))
        ),
    )
    for sid, n, first in conn.execute(seen, params):
        if n is None:
            out[sid].note_unnumbered(first)
            continue
        had = out[sid].charted.get(n)
        if had is None or first < had:
            out[sid].charted[n] = first
    return out


def _quoted_sentences(
    conn: Connection, doc_ids: set[int]
) -> dict[int, list[tuple[str, str, str, str | None]]]:
    """Per document: (quote, its sentence, speaker, role) of every attributed quote."""
    out: dict[int, list[tuple[str, str, str, str | None]]] = {}
    if not doc_ids:
        return out
    q = select(
        quotes.c.document_id, quotes.c.text, quotes.c.sentence, quotes.c.speaker, quotes.c.role
    ).where(quotes.c.document_id.in_(doc_ids), quotes.c.speaker.is_not(None))
    for doc_id, text, sentence, speaker, role in conn.execute(q):
        out.setdefault(doc_id, []).append((text or "", sentence or "", speaker, role))
    return out


def _speaker_of(evidence: str, said: list[tuple[str, str, str, str | None]]) -> str | None:
    """Who said the claim's sentence: a speaker counts only when the evidence is (part of) their
    quote — being quoted elsewhere in the article about the series is not saying this."""
    ev = " ".join(evidence.split()).casefold()
    names: list[str] = []
    for text, sentence, speaker, role in said:
        t = " ".join(text.split()).casefold()
        sent = " ".join(sentence.split()).casefold()
        inside = (len(t) >= 20 and (t in ev or ev in t)) or (len(ev) >= 20 and ev in sent and t)
        label = f"{speaker} ({role})" if role else speaker
        if inside and label not in names:
            names.append(label)
    return ", ".join(names) or None


# ------------------------------------------------------------------------------- bounds

DECISIVE_FACTS = ("limited", "relabelled_limited", "renewed", "final", "status", "seasons")


def decision_bounds(
    conn: Connection,
    as_of: date | None,
    *,
    include_undated: bool = False,
    status: str | None = None,
) -> list[tuple[int, datetime]]:
    """(series, the latest date a decision about it can carry), latest first.

    The statements :func:`catalog_evidence` and :func:`news_evidence` read as decisions, dated
    as the decider dates a decision (an article's publication; undated articles only when asked,
    at the day they were added). No decision about a series is dated after its bound, so lists
    can resolve series in this order and stop early. ``status`` ``cancelled`` or ``ended`` keeps
    only the statements that can decide one, so only the series with such a statement are
    listed, each bounded by the latest of them: a season is cancelled by news saying so or by
    the ended list (a series of fiction it ends early); ended also by news ordering a final
    season, a list's "ended" status or a final season. ``renewed`` keeps the announced renewals
    (news, a list's renewal), not a next season seen in the charts or counted by a catalog."""
    from renewcast.store.db import as_of_cutoff

    cutoff = as_of_cutoff(as_of)

    def known(col: Any) -> Any:
        return col <= cutoff if cutoff is not None else col.is_not(None)

    if status == "cancelled":
        says = claims.c.status == "cancelled"
    elif status == "renewed":
        says = claims.c.status == "renewed"
    elif status == "ended":
        says = (claims.c.status == "ended") | ((claims.c.status == "renewed") & claims.c.final)
    else:
        says = claims.c.status.in_(("renewed", "cancelled", "ended", "limited"))
    dated = func.coalesce(documents.c.published, claims.c.known_at)
    news = (
        select(claims.c.series_id.label("sid"), dated.label("t"))
        .join(documents, documents.c.id == claims.c.document_id)
        .where(claims.c.series_id.is_not(None), says, known(claims.c.known_at))
    )
    if not include_undated:
        news = news.where(documents.c.published.is_not(None))
    parts: list[Any] = [news]
    listed_ended = (facts.c.attribute == "status") & (facts.c.value == json.dumps("ended"))
    if status == "ended":
        parts.append(
            select(facts.c.series_id.label("sid"), facts.c.known_at.label("t")).where(
                (facts.c.attribute == "final") | listed_ended, known(facts.c.known_at)
            )
        )
    elif status == "cancelled":  # the ended list states a cancellation when nothing says which
        parts.append(
            select(facts.c.series_id.label("sid"), facts.c.known_at.label("t")).where(
                listed_ended, known(facts.c.known_at)
            )
        )
    elif status == "renewed":  # announced: a list's renewal, not a season seen or counted
        listed_renewed = (facts.c.attribute == "renewed") | (
            (facts.c.attribute == "status") & (facts.c.value == json.dumps("renewed"))
        )
        parts.append(
            select(facts.c.series_id.label("sid"), facts.c.known_at.label("t")).where(
                listed_renewed, known(facts.c.known_at)
            )
        )
    else:
        parts.append(
            select(facts.c.series_id.label("sid"), facts.c.known_at.label("t")).where(
                facts.c.attribute.in_((*DECISIVE_FACTS, "premiere")), known(facts.c.known_at)
            )
        )
        for table in (chart_entries, engagement_rows):
            parts.append(
                select(table.c.series_id.label("sid"), func.min(table.c.known_at).label("t"))
                .where(table.c.series_id.is_not(None), known(table.c.known_at))
                .group_by(table.c.series_id, table.c.season_number)
            )
    u = union_all(*parts).subquery()
    q = select(u.c.sid, func.max(u.c.t).label("bound")).group_by(u.c.sid)
    rows = [(int(sid), _aware(t)) for sid, t in conn.execute(q) if t is not None]
    rows.sort(key=lambda r: (r[1], -r[0]), reverse=True)
    return rows


def _aware(t: Any) -> datetime:
    from datetime import UTC

    if isinstance(t, str):
        t = datetime.fromisoformat(t)
    return t if t.tzinfo else t.replace(tzinfo=UTC)
