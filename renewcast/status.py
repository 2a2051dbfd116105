"""Status resolution: has season N of a series been renewed, cancelled, ended, limited — or not yet?

Every piece of evidence is dated (``known_at``, when it became public) and sourced, and nothing known
after ``as_of`` is read. The evidence comes from news claims (the ``claims`` table), the catalog
(a "Limited Series" label or relabel, a later season in the Top 10 or the engagement reports,
Wikipedia's list of ended series, Wikipedia's current status column) and, when pending, forecasts.

The rules, in one paragraph: a statement counts for season N only when it is about season N (a
renewal for a later season implies N; "final season N-1", "limited series" and "cancelled after
season N-1" are about N as well); a statement that names no season counts only when it was made
after season N-1 premiered and before season N did. Hedged or negated statements ("hasn't been
confirmed yet", "could return") never decide; they are evidence for ``pending``. Decisions
(``renewed``, ``cancelled``, ``ended``, ``limited``) come in two classes: authoritative —
official announcements, trade press, the platform's own data (Top 10, engagement reports, title
labels) and Wikipedia's lists — and other news (fan sites, aggregators). The strongest class present
decides, and within it a later decision beats an earlier one; a weaker source never overturns a
stronger one. Wikipedia's ended list alone gives ``ended`` and says so, because the list does not
tell a cancellation from a planned conclusion; a news report that the series was cancelled (or
concluded as planned) makes it ``cancelled`` (or ``ended``). When sources disagree after the
decision the answer says so and shows both. With no decision the status is ``pending``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from sqlalchemy import Connection, func, select

from renewcast.store.catalog import fact_rows
from renewcast.store.db import as_of_cutoff
from renewcast.store.schema import (
    chart_entries,
    claims,
    documents,
    engagement_rows,
    facts,
    quotes,
    series,
)

STATUSES = ("renewed", "cancelled", "ended", "limited", "pending")
DECISIONS = ("renewed", "cancelled", "ended", "limited")

# Evidence classes. "authoritative" decides over "news"; "speculation" and "context" never decide.
AUTHORITATIVE, NEWS, SPECULATION, CONTEXT, FORECAST = (
    "authoritative",
    "news",
    "speculation",
    "context",
    "forecast",
)
_CLASS_RANK = {AUTHORITATIVE: 0, NEWS: 1}

# Trade press and the platforms' own newsrooms: outlets that report decisions from the studios.
TRADE_DOMAINS = (
    "deadline.com",
    "variety.com",
    "hollywoodreporter.com",
    "tvline.com",
    "thewrap.com",
    "ew.com",
    "indiewire.com",
    "vulture.com",
    "netflix.com",
    "about.netflix.com",
    "tudum.com",
    "screendaily.com",
    "nexttv.com",
)

# The public pages the catalog files were taken from, for links in the answer.
SOURCE_PAGES = {
    "wikipedia/ended": (
        "Wikipedia: List of ended Netflix original programming",
        "https://en.wikipedia.org/wiki/List_of_ended_Netflix_original_programming",
    ),
    "wikipedia/current": (
        "Wikipedia: List of Netflix original programming",
        "https://en.wikipedia.org/wiki/List_of_Netflix_original_programming",
    ),
    "netflix-top10/global": ("Netflix Top 10 (global)", "https://www.netflix.com/tudum/top10"),
    "netflix-top10/countries": (
        "Netflix Top 10 (by country)",
        "https://www.netflix.com/tudum/top10",
    ),
    "netflix-top10/relabels": (
        "Netflix Top 10 season titles",
        "https://www.netflix.com/tudum/top10",
    ),
    "netflix-top10/most-popular": (
        "Netflix most popular lists",
        "https://www.netflix.com/tudum/top10/most-popular",
    ),
    "netflix-engagement": (
        "Netflix engagement report (What We Watched)",
        "https://about.netflix.com/en/news/what-we-watched-a-netflix-engagement-report",
    ),
    "justwatch/titles": ("JustWatch", "https://www.justwatch.com/"),
    "justwatch/credits": ("JustWatch", "https://www.justwatch.com/"),
}


@dataclass(slots=True)
class Evidence:
    """One dated, sourced statement bearing on the status of a season."""

    status: str | None  # a status it supports, or None for context (premiere, Top 10 run)
    claim: str  # what it says, as a sentence
    source: str  # outlet or catalog source name
    url: str | None
    published: datetime  # when it became public (known_at)
    kind: str = "news"  # news | catalog | forecast
    cls: str = NEWS  # authoritative | news | speculation | context | forecast
    season: int | None = None
    speaker: str | None = None
    quote: str | None = None
    confidence: float = 1.0
    final: bool = False
    file: str | None = None  # local file the catalog fact was read from

    @property
    def decisive(self) -> bool:
        return self.status in DECISIONS and self.cls in _CLASS_RANK

    def to_json(self) -> dict[str, Any]:
        return {
            "claim": self.claim,
            "status": self.status,
            "season": self.season,
            "source": self.source,
            "url": self.url,
            "published": self.published.date().isoformat(),
            "speaker": self.speaker,
            "quote": self.quote,
            "kind": self.kind,
            "class": self.cls,
        }


@dataclass(slots=True)
class SeasonDates:
    """What the catalog says about each season's release, as known at the cutoff."""

    premieres: dict[int, date] = field(default_factory=dict)  # season → premiere (may be future)
    premiere_known: dict[int, datetime] = field(default_factory=dict)
    charted: dict[int, datetime] = field(default_factory=dict)  # season → first known in data
    series_premiere: date | None = None
    counted: int = 0  # seasons released by Wikipedia's count (titles like "X 4" carry no number)

    def released(self, day: date) -> list[int]:
        out = {s for s, d in self.premieres.items() if d <= day} | set(self.charted)
        out |= set(range(1, self.counted + 1))
        return sorted(out)

    def latest_released(self, day: date) -> int:
        rel = self.released(day)
        if rel:
            return max(rel)
        return 1 if self.series_premiere and self.series_premiere <= day else 0


@dataclass(slots=True)
class StatusResult:
    series_id: int
    title: str
    season: int
    as_of: date | None
    status: str
    decided_at: datetime | None
    deciding: Evidence | None
    evidence: list[Evidence]  # counted evidence, oldest first
    disagreements: list[Evidence]
    superseded: list[Evidence]
    not_counted: list[Evidence]
    summary: str
    latest_season: int
    dates: SeasonDates

    def to_json(self) -> dict[str, Any]:
        return {
            "series": self.title,
            "season": self.season,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "status": self.status,
            "summary": self.summary,
            "decided_at": self.decided_at.date().isoformat() if self.decided_at else None,
            "deciding": self.deciding.to_json() if self.deciding else None,
            "evidence": [e.to_json() for e in self.evidence],
            "disagreements": [e.to_json() for e in self.disagreements],
            "superseded": [e.to_json() for e in self.superseded],
        }


# ------------------------------------------------------------------------------- helpers


def _day(as_of: date | datetime | None) -> date:
    if as_of is None:
        return datetime.now().date()
    return as_of.date() if isinstance(as_of, datetime) else as_of


def _known(col: Any, cutoff: datetime | None) -> Any:
    return col <= cutoff if cutoff is not None else True


def _page(source: str) -> tuple[str, str | None]:
    return SOURCE_PAGES.get(source, (source, None))


def _parse_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def outlet(url: str | None, publisher: str | None = None) -> str:
    """A short outlet name: the publisher, else the URL's host without ``www.``."""
    if publisher:
        return publisher
    if url:
        host = urlparse(url).netloc.lower()
        return host.removeprefix("www.") or url
    return "news article"


def doc_link(uri: str | None, canonical: str | None) -> str | None:
    """A link a reader can follow: the article's web address, else its local file as file://."""
    for cand in (canonical, uri):
        if cand and re.match(r"(?i)https?://", cand):
            return cand
    if uri and uri.startswith("/"):
        return Path(uri).as_uri()
    return None


def doc_label(url: str | None, publisher: str | None, title: str | None) -> str:
    """How an article is named when cited: its outlet, else its headline."""
    if publisher or (url and url.startswith("http")):
        return outlet(url if url and url.startswith("http") else None, publisher)
    return title or "news article"


def is_trade(url: str | None, publisher: str | None = None) -> bool:
    host = (urlparse(url).netloc.lower() if url else "") or (publisher or "").lower()
    return any(host == d or host.endswith("." + d) for d in TRADE_DOMAINS)


def _ordinal(n: int) -> str:
    return {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth"}.get(n, f"{n}th")


# ------------------------------------------------------------------------------- catalog


def season_dates(conn: Connection, series_id: int, cutoff: datetime | None) -> SeasonDates:
    """Premieres and first appearances in the charts or engagement reports of every season."""
    out = SeasonDates()
    q = select(facts.c.season_number, facts.c.value, facts.c.known_at).where(
        facts.c.series_id == series_id,
        facts.c.attribute == "premiere",
        _known(facts.c.known_at, cutoff),
    )
    for season_no, value, known_at in conn.execute(q.order_by(facts.c.known_at)):
        d = _parse_date(json.loads(value))
        if d is None:
            continue
        if season_no == 0:
            out.series_premiere = min(d, out.series_premiere or d)
            continue
        out.premieres.setdefault(season_no, d)
        out.premiere_known.setdefault(season_no, known_at)
    for table in (chart_entries, engagement_rows):
        cq = (
            select(table.c.season_number, func.min(table.c.known_at))
            .where(
                table.c.series_id == series_id,
                table.c.season_number.is_not(None),
                _known(table.c.known_at, cutoff),
            )
            .group_by(table.c.season_number)
        )
        for season_no, first in conn.execute(cq):
            if season_no and (season_no not in out.charted or first < out.charted[season_no]):
                out.charted[season_no] = first
    sq = (
        select(facts.c.value)
        .join(documents, documents.c.id == facts.c.document_id)
        .where(
            facts.c.series_id == series_id,
            facts.c.attribute == "seasons",
            facts.c.season_number == 0,
            documents.c.source.like("wikipedia/%"),
            _known(facts.c.known_at, cutoff),
        )
    )
    for (value,) in conn.execute(sq):
        n = json.loads(value)
        if isinstance(n, int) and n > 0:
            out.counted = max(out.counted, n)
    if out.series_premiere and 1 not in out.premieres:
        out.premieres[1] = out.series_premiere
    return out


def _catalog_ev(
    status: str | None,
    claim: str,
    source: str,
    known_at: datetime,
    file: str | None,
    *,
    season: int | None = None,
    cls: str = AUTHORITATIVE,
) -> Evidence:
    name, url = _page(source)
    return Evidence(
        status=status,
        claim=claim,
        source=name,
        url=url,
        published=known_at,
        kind="catalog",
        cls=cls,
        season=season,
        file=file,
    )


def catalog_evidence(
    conn: Connection,
    series_id: int,
    title: str,
    season: int,
    cutoff: datetime | None,
    dates: SeasonDates,
) -> list[Evidence]:
    """Evidence from the catalog about ``season`` (the platform's data and Wikipedia's lists)."""
    out: list[Evidence] = []
    prev = season - 1
    # a later season in the charts or engagement reports proves this one was made
    for s, first in sorted(dates.charted.items()):
        if s >= season:
            out.append(
                _catalog_ev(
                    "renewed",
                    f"Season {s} of {title} appears in Netflix's own viewing data, "
                    f"so season {season} was made.",
                    _first_source(conn, series_id, s, cutoff),
                    first,
                    None,
                    season=s,
                )
            )
            break
    rows = fact_rows(
        conn,
        series_id,
        cutoff,
        (
            "premiere",
            "limited",
            "relabelled_limited",
            "renewed",
            "final",
            "status",
            "status_text",
            "seasons",
            "finale",
        ),
    )
    statuses = [r for r in rows if r.attribute == "status" and r.season_number == 0]
    status_text = {r.source: json.loads(r.value) for r in rows if r.attribute == "status_text"}
    ended_seasons = next(
        (
            json.loads(r.value)
            for r in rows
            if r.attribute == "seasons" and r.source.endswith("ended")
        ),
        None,
    )
    finale = next(
        (json.loads(r.value) for r in rows if r.attribute == "finale" and r.season_number == 0),
        None,
    )
    for r in rows:
        value = json.loads(r.value)
        if r.attribute == "premiere" and r.season_number >= season:
            d = _parse_date(value)
            if d is not None:
                out.append(
                    _catalog_ev(
                        "renewed",
                        f"Season {r.season_number} has a premiere date: {d.isoformat()}.",
                        r.source,
                        r.known_at,
                        r.uri,
                        season=r.season_number,
                    )
                )
        elif r.attribute == "renewed" and value and r.season_number >= season:
            out.append(
                _catalog_ev(
                    "renewed",
                    f"Listed as renewed for season {r.season_number}.",
                    r.source,
                    r.known_at,
                    r.uri,
                    season=r.season_number,
                )
            )
        elif r.attribute == "final" and value and r.season_number == prev:
            out.append(
                _catalog_ev(
                    "ended",
                    f"Season {prev} is listed as the final season.",
                    r.source,
                    r.known_at,
                    r.uri,
                    season=prev,
                )
            )
        elif r.attribute == "final" and value and r.season_number == season:
            ev = _catalog_ev(
                "renewed",
                f"Season {season} is listed as the final season.",
                r.source,
                r.known_at,
                r.uri,
                season=season,
            )
            ev.final = True
            out.append(ev)
        elif (
            r.attribute in ("limited", "relabelled_limited")
            and value
            and r.season_number <= max(prev, 1)
        ):
            what = (
                f"Netflix relabelled {value!r} as a Limited Series."
                if r.attribute == "relabelled_limited" and isinstance(value, str)
                else f"{title} is labelled a Limited Series (a single season, no more planned)."
            )
            out.append(_catalog_ev("limited", what, r.source, r.known_at, r.uri, season=prev))
    for r in statuses:
        value = json.loads(r.value)
        if out_of_window(r.known_at, season, dates):
            continue
        if r.source.endswith("ended") and value == "ended":
            n = (
                f" after {ended_seasons} season{'s' if ended_seasons != 1 else ''}"
                if isinstance(ended_seasons, int)
                else ""
            )
            last = f", last episode {finale}" if finale else ""
            out.append(
                _catalog_ev(
                    "ended",
                    f"Wikipedia lists {title} among ended Netflix series{n}{last}; the list "
                    "does not say whether it was cancelled or concluded as planned.",
                    r.source,
                    r.known_at,
                    r.uri,
                )
            )
        elif value in ("renewed", "pending", "limited"):
            text = status_text.get(r.source)
            said = f" ({text!r})" if isinstance(text, str) and text.lower() != value else ""
            claim = {
                "renewed": f"Wikipedia's list of Netflix series gives its status as renewed{said}.",
                "pending": "Wikipedia's list of Netflix series gives its status as pending "
                "(no decision announced).",
                "limited": "Wikipedia's list of Netflix series lists it as a miniseries.",
            }[value]
            out.append(_catalog_ev(value, claim, r.source, r.known_at, r.uri))
    if not any(e.status == "limited" for e in out):
        out.extend(_not_limited(conn, series_id, prev, cutoff))
    return out


def _first_source(conn: Connection, series_id: int, season: int, cutoff: datetime | None) -> str:
    for table, name in (
        (chart_entries, "netflix-top10/global"),
        (engagement_rows, "netflix-engagement"),
    ):
        q = (
            select(table.c.known_at)
            .where(
                table.c.series_id == series_id,
                table.c.season_number == season,
                _known(table.c.known_at, cutoff),
            )
            .limit(1)
        )
        if conn.execute(q).first():
            return name
    return "netflix-top10/global"


def _not_limited(
    conn: Connection, series_id: int, season: int, cutoff: datetime | None
) -> list[Evidence]:
    """Netflix lists the latest season as "Season N", not "Limited Series": context for pending."""
    if season < 1:
        return []
    q = (
        select(chart_entries.c.season_title, chart_entries.c.known_at, documents.c.source)
        .join(documents, documents.c.id == chart_entries.c.document_id)
        .where(
            chart_entries.c.series_id == series_id,
            chart_entries.c.season_number == season,
            chart_entries.c.limited.is_(False),
            chart_entries.c.season_title.is_not(None),
            _known(chart_entries.c.known_at, cutoff),
        )
        .order_by(chart_entries.c.known_at)
        .limit(1)
    )
    row = conn.execute(q).first()
    if row is None or not re.search(r"season", row.season_title or "", re.I):
        return []
    return [
        _catalog_ev(
            None,
            f"Netflix lists it as {row.season_title!r}, not as a Limited Series, so more "
            "seasons are possible.",
            row.source,
            row.known_at,
            None,
            season=season,
            cls=CONTEXT,
        )
    ]


def context_evidence(
    conn: Connection, series_id: int, title: str, season: int, cutoff: datetime | None
) -> list[Evidence]:
    """The latest season's premiere and its Top 10 run: the background a reader needs."""
    out: list[Evidence] = []
    prev = max(season - 1, 1)
    rows = fact_rows(conn, series_id, cutoff, ("premiere",))
    prem = next((r for r in rows if r.season_number == prev), None) or next(
        (r for r in rows if r.season_number == 0 and prev == 1), None
    )
    if prem is not None:
        out.append(
            _catalog_ev(
                None,
                f"Season {prev} premiered on {json.loads(prem.value)}.",
                prem.source,
                prem.known_at,
                prem.uri,
                season=prev,
                cls=CONTEXT,
            )
        )
    q = (
        select(
            chart_entries.c.week,
            chart_entries.c.rank,
            chart_entries.c.category,
            chart_entries.c.hours,
            chart_entries.c.known_at,
        )
        .where(
            chart_entries.c.series_id == series_id,
            chart_entries.c.list == "global",
            chart_entries.c.season_number == prev,
            _known(chart_entries.c.known_at, cutoff),
        )
        .order_by(chart_entries.c.week)
    )
    weeks = list(conn.execute(q))
    if weeks:
        best = min(weeks, key=lambda w: w.rank)
        n = len(weeks)
        out.append(
            _catalog_ev(
                None,
                f"Season {prev} spent {n} week{'s' if n != 1 else ''} in Netflix's global Top 10 "
                f"({best.category}), peaking at #{best.rank} in the week to "
                f"{best.week.isoformat()}; latest week {weeks[-1].week.isoformat()}.",
                "netflix-top10/global",
                weeks[-1].known_at,
                None,
                season=prev,
                cls=CONTEXT,
            )
        )
    return out


# ------------------------------------------------------------------------------- news


def news_evidence(
    conn: Connection,
    series_id: int,
    season: int,
    cutoff: datetime | None,
    dates: SeasonDates,
) -> tuple[list[Evidence], list[Evidence]]:
    """Claims from the news: (counted for ``season``, not counted with the reason)."""
    q = (
        select(
            claims.c.season,
            claims.c.status,
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
        )
        .join(documents, documents.c.id == claims.c.document_id)
        .where(claims.c.series_id == series_id, _known(claims.c.known_at, cutoff))
        .order_by(claims.c.known_at, claims.c.id)
    )
    counted: list[Evidence] = []
    ignored: list[Evidence] = []
    rows = conn.execute(q).all()
    said = _quoted_sentences(conn, {r.document_id for r in rows})
    for r in rows:
        url = doc_link(r.uri, r.canonical_url)
        speakers = _speaker_of(r.evidence, said.get(r.document_id, []))
        ev = Evidence(
            status=r.status,
            claim=r.evidence,
            source=doc_label(url, r.publisher, r.title),
            url=url,
            published=r.known_at,
            kind="news",
            cls=_claim_class(r.hedged, r.official, url, r.publisher),
            season=r.season,
            speaker=speakers,
            quote=r.evidence if speakers else None,
            confidence=float(r.confidence),
            final=bool(r.final),
        )
        status, reason = map_claim(r.status, r.season, bool(r.final), season, r.known_at, dates)
        if status is None:
            ev.claim = f"{ev.claim} [not counted: {reason}]"
            ignored.append(ev)
            continue
        ev.status = status
        if r.status == "ended" and status == "renewed":
            ev.final = True  # "season N will be the last": N is coming, and is the final one
        if ev.cls == SPECULATION and status in DECISIONS:
            ev.status = "pending"  # a hedged decision is no decision
        counted.append(ev)
    return _drop_two_way(counted, ignored)


def _drop_two_way(
    counted: list[Evidence], ignored: list[Evidence]
) -> tuple[list[Evidence], list[Evidence]]:
    """A sentence read as two conflicting decisions is not evidence for either."""
    seen: dict[tuple[str | None, str], set[str]] = {}
    for e in counted:
        if e.status in DECISIONS:
            seen.setdefault((e.url, e.claim), set()).add(e.status or "")
    bad = {k for k, v in seen.items() if any(not _compatible(a, b) for a in v for b in v)}
    keep = []
    for e in counted:
        if (e.url, e.claim) in bad:
            e.claim = f"{e.claim} [not counted: the sentence reads both ways]"
            ignored.append(e)
        else:
            keep.append(e)
    return keep, ignored


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


def _claim_class(hedged: bool, official: bool, url: str | None, publisher: str | None) -> str:
    if hedged:
        return SPECULATION
    if official or is_trade(url, publisher):
        return AUTHORITATIVE
    return NEWS


def out_of_window(known_at: datetime, season: int, dates: SeasonDates) -> str | None:
    """Why a statement naming no season is not about ``season`` (None when it is)."""
    prev = season - 1
    start = dates.premieres.get(prev) if prev >= 1 else None
    end = dates.premieres.get(season)
    if start is not None and known_at.date() < start:
        return f"said before season {prev} premiered, so about an earlier season"
    if end is not None and known_at.date() >= end:
        return f"said after season {season} premiered, so about a later season"
    return None


def map_claim(
    status: str,
    claim_season: int | None,
    final: bool,
    season: int,
    known_at: datetime,
    dates: SeasonDates,
) -> tuple[str | None, str]:
    """What a claim says about ``season``: the status it supports, or None and why it does not count."""
    prev = season - 1
    if claim_season is None:
        reason = out_of_window(known_at, season, dates)
        return (None, reason) if reason else (status, "")
    if status == "renewed":
        if claim_season >= season:
            return "renewed", ""
        return None, f"about season {claim_season}, not season {season}"
    if status == "ended":
        if claim_season == prev or (final and claim_season == prev):
            return "ended", ""
        if claim_season >= season:
            return "renewed", ""  # "season N will be the final one": N is coming
        return None, f"about season {claim_season}, not season {season}"
    if status == "limited":
        if claim_season <= max(prev, 1):
            return "limited", ""
        return None, f"about season {claim_season}, not season {season}"
    if status in ("cancelled", "pending"):
        if claim_season == season:
            return status, ""
        return None, f"about season {claim_season}, not season {season}"
    return None, f"unknown status {status!r}"


# ------------------------------------------------------------------------------- resolution


def _compatible(a: str, b: str) -> bool:
    return a == b or {a, b} <= {"ended", "cancelled", "limited"}


def decide(evidence: list[Evidence]) -> tuple[Evidence | None, list[Evidence], list[Evidence]]:
    """The deciding evidence, the disagreements with it, and the decisions it superseded."""
    decisions = [e for e in evidence if e.decisive]
    if not decisions:
        return None, [], []
    best = min(_CLASS_RANK[e.cls] for e in decisions)
    top = [e for e in decisions if _CLASS_RANK[e.cls] == best]
    latest = max(e.published.date() for e in top)
    same_day = [e for e in top if e.published.date() == latest]
    votes: dict[str, int] = {}
    for e in decisions:  # several reports on the same day: the status most of them give
        if e.published.date() == latest:
            votes[e.status or ""] = votes.get(e.status or "", 0) + 1
    deciding = max(
        same_day, key=lambda e: (votes[e.status or ""], e.published, e.kind == "news", e.confidence)
    )
    deciding = _refine_ended(deciding, decisions)
    disagree: list[Evidence] = []
    superseded: list[Evidence] = []
    for e in evidence:
        if e is deciding or e.status is None or e.cls in (CONTEXT, FORECAST):
            continue
        if e.status == "pending":
            if e.published > deciding.published and e.cls != SPECULATION:
                disagree.append(e)
            continue
        if _compatible(e.status, deciding.status or ""):
            continue
        if e.published < deciding.published and e.decisive:
            superseded.append(e)
        elif e.decisive:
            disagree.append(e)
    return deciding, disagree, superseded


def _refine_ended(deciding: Evidence, decisions: list[Evidence]) -> Evidence:
    """The ended list alone cannot tell cancelled from concluded; a news report can."""
    if not is_ended_list(deciding):
        return deciding
    said = [e for e in decisions if e.kind == "news" and e.status in ("cancelled", "ended")]
    if said:
        return max(said, key=lambda e: (_CLASS_RANK[e.cls] == 0, e.published, e.confidence))
    limited = [e for e in decisions if e.status == "limited"]
    if limited:  # a limited series that ended: the label says why it did not continue
        return max(limited, key=lambda e: e.published)
    return deciding


def resolve_status(
    conn: Connection,
    series_id: int,
    season: int | None = None,
    *,
    as_of: date | None = None,
) -> StatusResult:
    """The status of ``season`` (default: the one after the latest released) as known at ``as_of``."""
    cutoff = as_of_cutoff(as_of)
    day = _day(as_of)
    row = conn.execute(select(series.c.title).where(series.c.id == series_id)).first()
    if row is None:
        raise LookupError(f"no series with id {series_id}")
    title = str(row[0])
    dates = season_dates(conn, series_id, cutoff)
    latest = dates.latest_released(day)
    target = season if season is not None else max(latest, 1) + (1 if latest else 0)
    ev = catalog_evidence(conn, series_id, title, target, cutoff, dates)
    news, ignored = news_evidence(conn, series_id, target, cutoff, dates)
    ev.extend(news)
    ev.extend(context_evidence(conn, series_id, title, target, cutoff))
    ev.sort(key=lambda e: (e.published, e.kind != "catalog"))
    deciding, disagree, superseded = decide(ev)
    status = deciding.status if deciding and deciding.status else "pending"
    pending_ev = [e for e in ev if e.status == "pending"]
    if deciding is None and pending_ev:
        deciding = max(pending_ev, key=lambda e: (e.cls != SPECULATION, e.published))
    result = StatusResult(
        series_id=series_id,
        title=title,
        season=target,
        as_of=as_of,
        status=status,
        decided_at=deciding.published if deciding and status != "pending" else None,
        deciding=deciding,
        evidence=ev,
        disagreements=disagree,
        superseded=superseded,
        not_counted=ignored,
        summary="",
        latest_season=latest,
        dates=dates,
    )
    result.summary = summarize(result)
    return result


def is_ended_list(e: Evidence) -> bool:
    """Evidence that is only Wikipedia's ended list (which cannot tell cancelled from concluded)."""
    return e.kind == "catalog" and e.status == "ended" and e.season is None


def summarize(r: StatusResult) -> str:
    """One or two sentences: the status, the deciding source and date, and any disagreement."""
    s = r.season
    d = r.deciding
    when = f" on {d.published.date().isoformat()}" if d else ""
    src = f" ({d.source}{when})" if d else ""
    if r.status == "renewed":
        if (
            d is not None
            and d.kind == "catalog"
            and d.season is not None
            and d.season >= s
            and (d.season in r.dates.charted)
        ):
            text = f"Season {s} of {r.title} happened: it is in Netflix's own viewing data{src}."
        else:
            final = any(e.final for e in r.evidence if e.status == "renewed")
            kind = f"a {_ordinal(s)} and final season" if final else f"season {s}"
            text = f"{r.title} has been renewed for {kind}{src}."
    elif r.status == "cancelled":
        text = f"{r.title} was cancelled; there will be no season {s}{src}."
    elif r.status == "ended":
        if d is not None and is_ended_list(d):
            text = (
                f"{r.title} did not continue: it is on Wikipedia's list of ended Netflix series"
                f"{src}, which does not say whether it was cancelled or concluded as planned."
            )
        else:
            text = f"{r.title} has ended; there will be no season {s}{src}."
    elif r.status == "limited":
        text = f"{r.title} is a limited series: no season {s} is planned{src}."
    else:
        text = f"Season {s} of {r.title} has not been confirmed or cancelled yet"
        text += f"; latest word{src}." if d is not None else "."
    if r.disagreements:
        others = "; ".join(
            f"{e.source} ({e.published.date().isoformat()}) says {e.status}"
            for e in r.disagreements[:3]
        )
        text += f" Sources disagree: {others}."
    return text
