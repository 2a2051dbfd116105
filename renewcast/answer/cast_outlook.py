"""Who might star in the next season: the catalog cast and the news, with an outlook for each.

Rules: the catalog cast (JustWatch credits, in billing order) gives who played whom. The first
``REGULAR_BILLING`` names are taken as leads and regulars — ``likely`` unless the news says
otherwise; lower-billed names are ``uncertain`` (the cast list does not tell regulars from guests).
News sentences that name the actor or the character in full decide over that default: a cue
within ``NEAR`` characters of the name that the character died, left, or that the relationship
ended, or that the actor left or is not expected back, makes it ``unlikely``; "may return",
"remains to be seen" make it ``uncertain``; "expected to return", "returns as", "joins the cast"
make it ``likely``. The latest article wins; within one article, ``unlikely`` beats ``uncertain``
beats ``likely``. When no next season is coming (cancelled, ended, limited) nobody returns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, bindparam, func, select

from renewcast.answer.articles import NewsArticle
from renewcast.status import StatusResult
from renewcast.store.db import known_by, prepared, with_cutoff
from renewcast.store.documents import SOURCE_PAGES, doc_link
from renewcast.store.identity import normalize_title
from renewcast.store.schema import cast_mentions, credits, documents, people

REGULAR_BILLING = 6  # top-billed names taken as leads and regulars
LEAD_BILLING = 2  # the names still taken as leads when seasons came out after the cast list
MAX_CATALOG_CAST = 10
NEAR = 140  # characters between a name and a cue in the same sentence

_UNLIKELY: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"\b(dies|died|death|killed( off)?|murdered|passed away|was shot dead)\b", re.I),
        "the character died",
    ),
    (
        re.compile(
            r"\b(relationship|romance|marriage|engagement)\b[^.]{0,60}?\b(ended|ends|over|"
            r"crashing down|fell apart|falls apart|collapsed|broke down)\b|\bbr(?:oke|eaks?) up\b",
            re.I,
        ),
        "the relationship ended in the story",
    ),
    (
        re.compile(
            r"\b(won'?t|will not|not|never) (be )?(return(ing)?|com(e|ing) back|back)\b|"
            r"\bunlikely\b|\bwritten out\b",
            re.I,
        ),
        "not expected back",
    ),
    (
        re.compile(
            r"\b(left|leaves|leaving|exited|exits|departed|departs|departure|quit|quits|"
            r"stepped away|steps away)\b( the)?( show| series| cast| role)?",
            re.I,
        ),
        "left the series",
    ),
    (
        re.compile(
            r"\b(joined(?! by)|has joined|cast in|will star in|booked|signed on to|lead role in)\b",
            re.I,
        ),
        "joined another production",
    ),
]
_UNCERTAIN = re.compile(
    r"\b(may|might|could) (not )?(return|be back|come back|pop back)|\bunclear\b|"
    r"\bremains to be seen\b|\bwait and see\b|\bnot confirmed\b|\bundecided\b",
    re.I,
)
_LIKELY = re.compile(
    r"\b(expect\w*|set|confirmed|due|will|going) (\w+ ){0,4}?(to )?(return|reprise|be back|"
    r"come back)|\breturn(s|ing)? as\b|\breprising\b|\bback as\b|\bjoins? the cast\b|"
    r"\bwill star\b",  # not "starring": who is in the show is not who comes back
    re.I,
)
_RANK = {"unlikely": 0, "uncertain": 1, "likely": 2}


@dataclass(slots=True)
class CastOutlook:
    actor: str
    character: str | None
    billing: int | None
    outlook: str  # likely | uncertain | unlikely
    why: str
    source: str
    url: str | None
    published: datetime | None
    undated: bool = False  # cited from an article without a date (``published``: when added)

    def to_json(self) -> dict[str, Any]:
        return {
            "actor": self.actor,
            "character": self.character,
            "billing": self.billing,
            "outlook": self.outlook,
            "why": self.why,
            "source": self.source,
            "url": self.url,
            "published": (
                self.published.date().isoformat() if self.published and not self.undated else None
            ),
            "undated": self.undated,
        }


@dataclass(frozen=True, slots=True)
class Signal:
    outlook: str
    reason: str
    sentence: str
    article: NewsArticle


def _catalog_cast(
    conn: Connection, series_id: int, cutoff: datetime | None
) -> list[tuple[str, str | None, int | None, str, datetime]]:
    q = prepared(
        ("catalog_cast", cutoff is None),
        lambda: (
            select(
                people.c.name,
                credits.c.character,
                credits.c.billing,
                documents.c.source,
                credits.c.known_at,
            )
            .join(people, people.c.id == credits.c.person_id)
            .join(documents, documents.c.id == credits.c.document_id)
            .where(
                credits.c.series_id == bindparam("sid"),
                credits.c.role.in_(("actor", "ACTOR", "cast")),
                known_by(credits.c.known_at, cutoff),
            )
            .order_by(func.coalesce(credits.c.billing, 10_000), people.c.name)
        ),
    )
    seen: set[str] = set()
    out = []
    for r in conn.execute(q, with_cutoff({"sid": series_id}, cutoff)):
        key = normalize_title(r.name)
        if key in seen:
            continue
        seen.add(key)
        out.append((r.name, r.character, r.billing, r.source, r.known_at))
    return out


def _news_cast(
    conn: Connection, series_id: int, cutoff: datetime | None
) -> list[tuple[str, str, str | None, datetime, str | None]]:
    q = prepared(
        ("news_cast", cutoff is None),
        lambda: (
            select(
                cast_mentions.c.actor,
                cast_mentions.c.character,
                cast_mentions.c.evidence,
                cast_mentions.c.known_at,
                documents.c.uri,
                documents.c.canonical_url,
            )
            .join(documents, documents.c.id == cast_mentions.c.document_id)
            .where(
                cast_mentions.c.series_id == bindparam("sid"),
                known_by(cast_mentions.c.known_at, cutoff),
            )
            .order_by(cast_mentions.c.known_at)
        ),
    )
    return [
        (r.actor, r.character, r.evidence, r.known_at, doc_link(r.uri, r.canonical_url))
        for r in conn.execute(q, with_cutoff({"sid": series_id}, cutoff))
    ]


def _spans(low: str, name: str) -> list[tuple[int, int]]:
    key = name.lower()
    return [(m.start(), m.end()) for m in re.finditer(re.escape(key), low)] if key else []


def _gap(m: re.Match[str], span: tuple[int, int]) -> int:
    return max(0, span[0] - m.end(), m.start() - span[1])


def _near(
    sentence: str, name: str, pattern: re.Pattern[str], others: Iterable[str] = ()
) -> re.Match[str] | None:
    """The first cue of ``pattern`` within ``NEAR`` characters of ``name`` that is nearer to it
    than to any of ``others`` (the rest of the cast named in the sentence: in "Y steps into the
    role after the departure of X", the departure is X's)."""
    low = sentence.lower()
    mine = _spans(low, name)
    if not mine:
        return None
    theirs = [sp for o in others for sp in _spans(low, o) if o.lower() not in name.lower()]
    for m in pattern.finditer(sentence):
        gap = min(_gap(m, sp) for sp in mine)
        if gap <= NEAR and all(_gap(m, sp) >= gap for sp in theirs):
            return m
    return None


def classify_sentence(
    sentence: str, names: list[str], others: Iterable[str] = ()
) -> tuple[str, str] | None:
    """(outlook, reason) that ``sentence`` gives for the person known by ``names``, if any;
    ``others``: the names of the rest of the cast, to whom a nearer death or exit belongs."""
    names = [n for n in names if n and len(n.split()) >= 2]
    present = [n for n in names if n.lower() in sentence.lower()]
    if not present:
        return None
    low = sentence.lower()
    rest = [o for o in others if o and len(o.split()) >= 2 and o.lower() in low]
    rest = [o for o in rest if o not in names]
    reasons = []
    # "Character (Actor)" is how a synopsis presents the cast: a death or a departure there is
    # the story's setup ("… after her husband dies", "the life she left behind"), not cast news
    synopsis = any(f"({n.lower()})" in low.replace("( ", "(").replace(" )", ")") for n in present)
    for pattern, reason in () if synopsis else _UNLIKELY:
        if any(_near(sentence, n, pattern, rest) for n in present):
            reasons.append(reason)
    if reasons:
        return "unlikely", "; ".join(dict.fromkeys(reasons))
    # a return is often said of several at once ("A, B and C are all expected back"): those cues
    # are read for every name near them; a death or an exit is one person's, the nearest one's
    if any(_near(sentence, n, _UNCERTAIN) for n in present):
        return "uncertain", "the news is unsure about a return"
    if any(_near(sentence, n, _LIKELY) for n in present):
        return "likely", "the news expects a return"
    return None


def signals_for(
    names: list[str], articles: list[NewsArticle], others: Iterable[str] = ()
) -> list[Signal]:
    rest = list(others)
    out = []
    for art in articles:
        for sent in art.sentences():
            got = classify_sentence(sent, names, rest)
            if got:
                out.append(Signal(got[0], got[1], sent, art))
    return out


def _pick(signals: list[Signal]) -> Signal | None:
    if not signals:
        return None
    latest = max(s.article.published for s in signals)
    same = [s for s in signals if s.article.published == latest]
    return min(same, key=lambda s: _RANK[s.outlook])


def _fuller_names(news: list[tuple[str, str, str | None, datetime, str | None]]) -> set[str]:
    """Actors the news also names more fully as the same character ("Dana Wells" beside "Dana
    Wells Ortiz", both as Captain Reyes): the shorter name is left out, the fuller one shown."""
    by_character: dict[str, set[str]] = {}
    for actor, character, *_ in news:
        if character:
            by_character.setdefault(normalize_title(character), set()).add(normalize_title(actor))
    out: set[str] = set()
    for names in by_character.values():
        for a in names:
            words = a.split()
            if any(b != a and b.split()[: len(words)] == words for b in names):
                out.add(a)
    return out


def cast_outlook(
    conn: Connection,
    status: StatusResult,
    articles: list[NewsArticle],
    cutoff: datetime | None,
) -> list[CastOutlook]:
    """The cast with an outlook for ``status.season``, leads first, news-named newcomers after."""
    out: list[CastOutlook] = []
    catalog = _catalog_cast(conn, status.series_id, cutoff)
    news = _news_cast(conn, status.series_id, cutoff)
    out_by = status.dates.out_by
    everyone = tuple(
        dict.fromkeys(n for a, c, *_ in [*catalog, *news] for n in (a, c) if n)
    )  # a cue nearer to another of them is theirs
    characters = {normalize_title(a): c for a, c, *_ in news}
    done: set[str] = set()
    mentioned = {normalize_title(a) for a, *_ in news}
    for i, (actor, character, billing, source, known_at) in enumerate(catalog):
        key = normalize_title(actor)
        if i >= MAX_CATALOG_CAST and key not in mentioned:
            continue
        done.add(key)
        character = character or characters.get(key)
        out.append(
            _one(actor, character, billing, source, known_at, status, articles, out_by, everyone)
        )
    fuller = _fuller_names(news)
    for actor, character, _evidence, known_at, url in news:
        key = normalize_title(actor)
        if key in done or key in fuller:
            continue
        done.add(key)
        item = _one(actor, character, None, "news", known_at, status, articles, out_by, everyone)
        if item.url is None:
            item.url = url
        out.append(item)
    return out


def _seasons(numbers: list[int]) -> str:
    """ "season 2", "seasons 2 and 3", "seasons 2-4" (consecutive) or "seasons 2, 4 and 5"."""
    if len(numbers) == 1:
        return f"season {numbers[0]}"
    if numbers == list(range(numbers[0], numbers[-1] + 1)) and len(numbers) > 2:
        return f"seasons {numbers[0]}–{numbers[-1]}"
    return "seasons " + ", ".join(map(str, numbers[:-1])) + f" and {numbers[-1]}"


def _one(
    actor: str,
    character: str | None,
    billing: int | None,
    source: str,
    known_at: datetime,
    status: StatusResult,
    articles: list[NewsArticle],
    out_by: dict[int, date] | None = None,
    everyone: tuple[str, ...] = (),
) -> CastOutlook:
    """One name's outlook. ``out_by``: when each season came out; a cast list or an article
    from before the seasons that came out since says little about who is still in the cast
    (a list of season 1's cast, three seasons later), beyond the list's leads."""

    def since(day: date) -> list[int]:
        return sorted(n for n, d in (out_by or {}).items() if d > day and n < status.season)

    name, url = SOURCE_PAGES.get(source, (source, None))
    later = since(known_at.date())
    if later and billing is not None and billing <= REGULAR_BILLING:
        taken = f"the cast list of {known_at.date().isoformat()}, taken before {_seasons(later)} came out"
        lead = billing <= LEAD_BILLING
        base = CastOutlook(
            actor, character, billing, "likely" if lead else "uncertain",
            f"billed #{billing} in {taken}" + ("; a lead, no news of leaving" if lead
            else "; no news since of whether still in the cast"),
            name, url, known_at,
        )  # fmt: skip
    elif billing is not None and billing <= REGULAR_BILLING:
        base = CastOutlook(
            actor, character, billing, "likely",
            f"billed #{billing} in the cast list (a lead or regular); no news of leaving",
            name, url, known_at,
        )  # fmt: skip
    elif billing is not None:
        base = CastOutlook(
            actor, character, billing, "uncertain",
            f"billed #{billing}; the cast list does not say whether a regular or a guest",
            name, url, known_at,
        )  # fmt: skip
    else:
        base = CastOutlook(
            actor, character, None, "uncertain", "named in the news as part of the cast",
            name, url, known_at,
        )  # fmt: skip
    sig = _pick(signals_for([actor, character or ""], articles, everyone))
    if sig is not None:
        after = [] if sig.article.undated else since(sig.article.published.date())
        if sig.outlook != "likely" or not after:
            _cite(base, sig, sig.outlook, sig.reason)
        elif billing is None:  # an expected return written before the latest seasons came out
            day = sig.article.published.date().isoformat()
            _cite(base, sig, "uncertain", f"{sig.reason} in an article of {day}, before "
                  f"{_seasons(after)} came out")  # fmt: skip
        # else the cast list's reading stands (its leads, or uncertain)
    if status.status in ("cancelled", "ended", "limited"):
        base.outlook = "unlikely"
        base.why = f"no season {status.season} is coming ({status.status})"
    return base


def _cite(base: CastOutlook, sig: Signal, outlook: str, reason: str) -> None:
    base.outlook = outlook
    base.why = f"{reason}: “{sig.sentence}”"
    base.source = sig.article.outlet
    base.url = sig.article.url
    base.published = sig.article.published
    base.undated = sig.article.undated
