"""How a stored document is named and linked when it is cited: outlets, links, source pages.

Every layer that cites a document (status, answers, web pages, feeds) names it the same way, so the
naming lives here, next to the ``documents`` table, rather than in one of its readers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

if TYPE_CHECKING:
    from sqlalchemy import Connection

# The platforms' own newsrooms: what they publish is the platform speaking on the record.
OFFICIAL_DOMAINS = (
    "netflix.com",
    "about.netflix.com",
    "tudum.com",
    "netflixtudum.com",
)

# Trade press: outlets that report decisions from the studios.
TRADE_DOMAINS = (
    "deadline.com",
    "variety.com",
    "hollywoodreporter.com",
    "tvline.com",
    "thewrap.com",
    "ew.com",
    "indiewire.com",
    "vulture.com",
    "screendaily.com",
    "nexttv.com",
)

# The public pages the catalog files were taken from, for links in answers.
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


def source_page(source: str) -> tuple[str, str | None]:
    """The readable name and public page of a catalog source (``wikipedia/ended``, ...)."""
    return SOURCE_PAGES.get(source, (source, None))


#: A list a row moves to only once its series is over, and the page the row stood on before: a
#: fact that list gives as public before the list's own date (a premiere) is cited, in an answer
#: as of a date before that, by the earlier page, since naming the later list would tell what was
#: not known then (that the series would end).
LATER_HOMES = {"wikipedia/ended": "wikipedia/current"}


def page_as_of(source: str, listed: datetime | None, cutoff: datetime | None) -> str:
    """The source to cite a fact of ``source`` by, in an answer as of ``cutoff``, when the document
    holding it is dated ``listed`` (see :data:`LATER_HOMES`)."""
    earlier = LATER_HOMES.get(source)
    if earlier and cutoff is not None and listed is not None and cutoff < listed:
        return earlier
    return source


def file_dates(conn: Connection, uris: Iterable[str]) -> dict[str, datetime]:
    """When each catalog file (by its ``uri``) became known: a snapshot's date."""
    from sqlalchemy import select

    from renewcast.store.schema import documents

    wanted = sorted(set(uris))
    if not wanted:
        return {}
    rows = conn.execute(
        select(documents.c.uri, documents.c.known_at).where(
            documents.c.kind == "file", documents.c.uri.in_(wanted)
        )
    )
    return {str(u): k for u, k in rows}


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


def _host(url: str | None, publisher: str | None) -> str:
    return (urlparse(url).netloc.lower() if url else "") or (publisher or "").lower()


def _on(host: str, domains: tuple[str, ...]) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)


def is_official_outlet(url: str | None, publisher: str | None = None) -> bool:
    """The platform's own newsroom (Netflix, Tudum)."""
    return _on(_host(url, publisher), OFFICIAL_DOMAINS)


def is_trade(url: str | None, publisher: str | None = None) -> bool:
    """Trade press (Deadline, Variety, The Hollywood Reporter, ...)."""
    return _on(_host(url, publisher), TRADE_DOMAINS)


def outlet_key(url: str | None, publisher: str | None, fallback: str) -> str:
    """The outlet as an identity, for counting independent outlets (host without ``www.``)."""
    host = _host(url, publisher).removeprefix("www.")
    if url and url.startswith("file:"):
        host = ""
    return host or (publisher or fallback).casefold()
