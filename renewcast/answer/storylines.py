"""What could happen next season: quotes and hints from the people who make the show, and the
cliffhangers the news reports — each attributed and dated.

Two sources: the ``quotes`` table (quotes the news extraction attributed to a speaker) and the
sentences of the articles about the series. A quote counts when it is about the story (what the
characters will do, the next season, the finale), not when it is only about the renewal decision.
A sentence counts when it speaks of the story: a finale, cliffhanger, twist or betrayal, what the
next season will explore, or a quoted hint from a showrunner, creator, writer or cast member
(found in the sentence or the two before it).

Only lines about the season asked about are kept. A line written before the previous season came
out spoke of that season ("the next season will explore …" in an article before season 2 is
about season 2, not 3), and a line naming only seasons older than the previous one is about
those; either is left out unless it also names the season asked about. Lines naming that season
come first, then the dated before the undated, newest first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection

from renewcast.answer.articles import NewsArticle
from renewcast.news.claims import season_expressions
from renewcast.store.db import prepared, series_rows, with_cutoff
from renewcast.store.documents import doc_label, doc_link
from renewcast.store.schema import documents, quotes

MAX_STORYLINES = 8

STORY = re.compile(
    r"\b(finale|cliffhanger|storylines?|plot|twist|betrayal|betrays?|ended with|left off|"
    r"pick(s|ed|ing)? up (where|from|after|right)|explore[sd]?|arc|character|backstory|"
    r"tease[sd]?|hint(s|ed)?|"
    r"could go|where .{0,40} go|come to understand|will (see|learn|find out|follow|focus|discover)|"
    r"shock|secret)\b",
    re.I,
)
NEXT = re.compile(
    r"\b(season (two|three|four|five|six|[2-9]|\d\d)|next season|second season|new season|"
    r"next chapter|sequel|going forward|future)\b",
    re.I,
)
STATUS_ONLY = re.compile(
    r"\b(green ?light|renew\w*|cancel\w*|confirmed|pick(ed)? up|axed|decision)\b", re.I
)
ROLE = (
    r"(?:showrunner|show-runner|creator|co-creator|executive producer|EP|head writer|writer|"
    r"director|star|actor|actress|author|producer|novelist)"
)
NAME = r"[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,2}"
ROLE_NAME = re.compile(rf"\b({ROLE})\s+({NAME})")
NAME_ROLE = re.compile(rf"({NAME}),\s+(?:the\s+)?(?:show'?s\s+|series'?\s+)?({ROLE})\b")
QUOTE_MARK = re.compile(r"[\"“”]")
QUESTION = re.compile(r"\?\s*$")


@dataclass(slots=True)
class Storyline:
    text: str
    speaker: str | None
    role: str | None
    source: str
    url: str | None
    published: datetime
    kind: str  # quote | report
    undated: bool = False  # from an article without a date (``published``: when added)
    context: str | None = None  # the whole sentence a quote was taken from (for its seasons)
    # an undated article's latest season renewed or awaited (``NewsArticle.awaits``)
    awaits: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "speaker": self.speaker,
            "role": self.role,
            "kind": self.kind,
            "source": self.source,
            "url": self.url,
            "published": None if self.undated else self.published.date().isoformat(),
            "undated": self.undated,
        }


def seasons_named(*texts: str | None) -> set[int]:
    """The season numbers the texts write ("season 3", "the second season", "S2")."""
    return {e.number for t in texts if t for e in season_expressions(t)}


def about_season(
    named: set[int],
    season: int,
    written: date | None,
    prev_out: date | None,
    awaits: int | None = None,
) -> bool:
    """Whether a line naming ``named`` seasons, written on ``written`` (None: undated, in an
    article that says season ``awaits`` is renewed or awaited, if it does), can speak of season
    ``season``, whose previous season first came out on ``prev_out``."""
    if season in named:
        return True
    if named and max(named) < season - 1:
        return False  # only older seasons
    if written is None:
        # undated: written before the season its article awaits came out ("renewed for a second
        # season" is before season 2), so its next season is that one
        return awaits is None or awaits >= season
    return prev_out is None or written >= prev_out


def is_story(text: str) -> bool:
    """About the story, not only about the renewal decision."""
    if QUESTION.search(text):
        return False
    story = bool(STORY.search(text))
    if STATUS_ONLY.search(text) and not story:
        return False
    return story or bool(NEXT.search(text) and QUOTE_MARK.search(text))


def find_speaker(sentences: list[str], i: int) -> tuple[str | None, str | None]:
    """A role + name ("showrunner Georgia Lee") in sentence ``i`` or the two before it."""
    for j in range(i, max(i - 3, -1), -1):
        m = ROLE_NAME.search(sentences[j])
        if m:
            return _name(m.group(2)), m.group(1).lower()
        m = NAME_ROLE.search(sentences[j])
        if m:
            return _name(m.group(1)), m.group(2).lower()
    return None, None


def _name(name: str) -> str:
    """A name without the full stop of the sentence it ends ("Dana Reyes." → "Dana Reyes"); an
    initial or a short abbreviation keeps its point ("Dana R.", "Sam Cole Jr.")."""
    return re.sub(r"(?<=\w{3})\.$", "", name)


def _stored_quotes(
    conn: Connection, series_id: int, cutoff: datetime | None, awaits: dict[int, int | None]
) -> list[Storyline]:
    q = prepared(
        ("stored_quotes", cutoff is None),
        lambda: series_rows(
            quotes,
            quotes.c.text,
            quotes.c.document_id,
            quotes.c.speaker,
            quotes.c.role,
            quotes.c.outlet,
            quotes.c.sentence,
            quotes.c.known_at,
            documents.c.published,
            documents.c.uri,
            documents.c.canonical_url,
            documents.c.publisher,
            documents.c.title,
            cutoff=cutoff,
        ),
    )
    out = []
    for r in conn.execute(q, with_cutoff({"sid": series_id}, cutoff)):
        if not is_story(r.text) and not (r.sentence and is_story(r.sentence)):
            continue
        url = doc_link(r.uri, r.canonical_url)
        # words in quotation marks that no one is named for are shown in their sentence, which
        # says whose they are or what they describe ("the CEO told CNBC … a 'higher cancel rate'")
        alone = r.speaker is None and bool(r.sentence)
        out.append(
            Storyline(
                text=r.sentence if alone else r.text,
                speaker=r.speaker,
                role=r.role,
                source=doc_label(url, r.publisher, r.title),
                url=url,
                published=r.known_at,
                kind="report" if alone else "quote",
                undated=r.published is None,
                context=r.sentence,
                awaits=awaits.get(int(r.document_id)),
            )
        )
    return out


def names(title: str) -> re.Pattern[str]:
    """The series' title as written in a sentence (any case from four characters up)."""
    flags = re.I if len(title) >= 4 else 0
    return re.compile(rf"(?<!\w){re.escape(title)}(?!\w)", flags)


def _article_lines(art: NewsArticle, title: str) -> list[Storyline]:
    sents = art.sentences()
    # an article about several series (a roundup) speaks of this one only where it names it
    named = names(title)
    own = not art.shared or art.headline_names(title)
    out = []
    for i, s in enumerate(sents):
        if len(s) < 40 or not is_story(s) or not (own or named.search(s)):
            continue
        quoted = bool(QUOTE_MARK.search(s))
        speaker, role = find_speaker(sents, i) if quoted else find_speaker([s], 0)
        out.append(
            Storyline(
                text=quoted_part(s) if quoted and speaker else s,
                speaker=speaker,
                role=role,
                source=art.outlet,
                url=art.url,
                published=art.published,
                kind="quote" if speaker and quoted else "report",
                undated=art.undated,
                context=s,
                awaits=art.awaits,
            )
        )
    return out


def quoted_part(sentence: str) -> str:
    """The words inside the quotation marks of ``sentence`` (the whole sentence if none)."""
    m = re.search(r"[\"“](.+)[\"”]", sentence)
    if m is None:
        m = re.search(r"[\"“](.+)$", sentence)
    return m.group(1).strip(" ,") if m else sentence


def _key(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def storylines(
    conn: Connection,
    series_id: int,
    title: str,
    articles: list[NewsArticle],
    cutoff: datetime | None,
    *,
    season: int,
    prev_out: date | None,
) -> list[Storyline]:
    """Story hints about season ``season`` (``prev_out``: the day the season before it first
    came out, if known): attributed quotes first, then lines naming the season, dated before
    undated, newest first, without repeats."""
    found = _stored_quotes(conn, series_id, cutoff, {a.document_id: a.awaits for a in articles})
    for art in articles:
        found.extend(_article_lines(art, title))
    ranked = []
    for s in found:
        named = seasons_named(s.text, s.context if s.context != s.text else None)
        written = None if s.undated else s.published.date()
        if about_season(named, season, written, prev_out, s.awaits):
            ranked.append(((s.kind != "quote", s.speaker is None, season not in named, s.undated,
                            -s.published.timestamp()), s))  # fmt: skip
    out: list[Storyline] = []
    keys: list[str] = []
    for _, s in sorted(ranked, key=lambda r: r[0]):
        k = _key(s.text)
        if any(k in other or other in k for other in keys):
            continue
        keys.append(k)
        out.append(s)
    return out[:MAX_STORYLINES]
