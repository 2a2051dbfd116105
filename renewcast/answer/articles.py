"""The news articles about one series, as known at a date, split into sentences for the answer.

An article is about a series when the news extraction linked one of its claims, quotes or cast
mentions to it, or when its headline names the series.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, select, union

from renewcast.news.claims import FIRM_CONFIDENCE
from renewcast.news.mentions import headline_named
from renewcast.status.seasons import BEFORE_RELEASE
from renewcast.store.db import known_by, prepared, with_cutoff
from renewcast.store.documents import doc_label, doc_link
from renewcast.store.schema import cast_mentions, claims, documents, quotes

# a closing quotation mark stays with its sentence ("… we'll see." Then …)
_SENT_END = re.compile(r"(?:(?<=[.!?…])|(?<=[.!?…][\"”’']))\s+(?=[\"“‘(]?[A-Z0-9])")
# a stop that ends an initial or a title, not a sentence ("creators D.B. Weiss", "Dr. Lane")
_ABBREV = re.compile(r"(?:(?<!\w)[A-Z]|\b(?:Mr|Mrs|Ms|Dr|Jr|Sr|St|vs))\.$")
# credits, captions, ads, and links to other stories ("RELATED: …", "Read more: …", "SEE ALSO: …")
_NOISE = re.compile(
    r"^(photo credit|image credit|credit:|you might also like|advertisement|"
    r"(see also|read more|read also|also read|related|more|must read|don'?t miss)\s*:)",
    re.I,
)


@dataclass(frozen=True, slots=True)
class NewsArticle:
    document_id: int
    url: str | None  # a link a reader can follow (http(s), else file://)
    outlet: str
    title: str | None
    published: datetime  # known_at: publication (or fetch) time
    text: str
    undated: bool = False  # no publication date: ``published`` is the day it was added
    # the other series the news reader linked it to (a roundup), or firmly read it as stating
    # although the catalog does not know them, as the article writes them: when there are any,
    # not every line is about this one
    others: tuple[str, ...] = ()
    # the latest season its firm claims about this series say is renewed or awaited: an undated
    # article was written before that season came out ("… renewed for a second season")
    awaits: int | None = None
    _sentences: tuple[str, ...] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def shared(self) -> bool:
        return bool(self.others)

    def headline_names(self, title: str) -> bool:
        """Whether the headline (else the web address) names the series ``title`` and none of
        the others."""
        return headline_named((title, *self.others), self.title, self.url) == {title}

    def sentences(self) -> list[str]:
        """The text's sentences, split once per article: the cast outlook reads them once per
        cast member and the storylines once more."""
        sents = self._sentences
        if sents is None:
            sents = tuple(split_sentences(self.text))
            object.__setattr__(self, "_sentences", sents)
        return list(sents)


def split_sentences(text: str) -> list[str]:
    """Sentences of an article: lines first, then sentence ends outside quotations; credits and
    photo captions dropped."""
    out: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or _NOISE.match(line):
            continue
        buf = ""
        for part in _SENT_END.split(line):
            buf = f"{buf} {part}" if buf else part
            if not _open_quote(buf) and not _ABBREV.search(buf):
                out.append(buf.strip())
                buf = ""
        if buf.strip():
            out.append(buf.strip())
    return [s for s in out if s]


def _open_quote(s: str) -> bool:
    """True while a quotation opened in ``s`` has not been closed."""
    return s.count('"') % 2 == 1 or s.count("“") > s.count("”")


def series_articles(
    conn: Connection, series_id: int, title: str, cutoff: datetime | None
) -> list[NewsArticle]:
    """Articles about the series known by ``cutoff``, oldest first.

    Two statements: the ids (the extraction's links, by the series' indexes, and the headlines
    that name the series, from the ``ix_documents_kind_published`` index alone), then those
    rows by id. One statement with ``id IN (...) OR title LIKE ...`` read every article's row."""
    named = len(title) >= 4
    params = with_cutoff({"sid": series_id}, cutoff)
    if named:
        params["pattern"] = f"%{_like_escape(title)}%"
    ids = prepared(("series_article_ids", cutoff is None, named), lambda: _ids(cutoff, named))
    found = [int(r[0]) for r in conn.execute(ids, params)]
    if not found:
        return []
    q = prepared(("series_articles", cutoff is None), lambda: _articles(cutoff))
    others: dict[int, set[str]] = {}
    awaits: dict[int, int] = {}
    for r in conn.execute(
        prepared(("series_articles_claims",), _claims), {"sid": series_id, "ids": found}
    ):
        d = int(r.document_id)
        if r.series_id == series_id:
            if (
                r.status in BEFORE_RELEASE
                and r.season is not None
                and r.confidence >= FIRM_CONFIDENCE
            ):
                awaits[d] = max(awaits.get(d, 0), int(r.season))
        elif r.series_id is not None or r.confidence >= FIRM_CONFIDENCE:
            others.setdefault(d, set()).add(r.series_text)
    out = []
    for r in conn.execute(q, with_cutoff({"ids": found}, cutoff)):
        url = doc_link(r.uri, r.canonical_url)
        out.append(
            NewsArticle(
                document_id=int(r.id),
                url=url,
                outlet=doc_label(url, r.publisher, r.title),
                title=r.title,
                published=r.known_at,
                text=r.text or "",
                undated=r.published is None,
                others=tuple(sorted(others.get(int(r.id), ()))),
                awaits=awaits.get(int(r.id)),
            )
        )
    return out


def _claims() -> Any:
    """The claims of the documents: which other series each is about (those the news reader
    linked it to, and those it firmly read it as stating that the catalog does not know: an
    article about another network's show, as the article writes them), and which season of this
    one each renews or awaits."""
    return select(
        claims.c.document_id,
        claims.c.series_id,
        claims.c.series_text,
        claims.c.status,
        claims.c.season,
        claims.c.confidence,
    ).where(claims.c.document_id.in_(bindparam("ids", expanding=True)))


def _ids(cutoff: datetime | None, named: bool) -> Any:
    """Ids of the documents linked to the series or (``named``) whose headline names it."""
    sid: Any = bindparam("sid")
    parts = [
        select(claims.c.document_id).where(claims.c.series_id == sid),
        select(quotes.c.document_id).where(quotes.c.series_id == sid),
        select(cast_mentions.c.document_id).where(cast_mentions.c.series_id == sid),
    ]
    if named:
        parts.append(
            select(documents.c.id).where(
                documents.c.kind == "article",
                documents.c.title.ilike(bindparam("pattern"), escape="\\"),
                known_by(documents.c.known_at, cutoff),
            )
        )
    return union(*parts)


def _articles(cutoff: datetime | None) -> Any:
    return (
        select(
            documents.c.id,
            documents.c.uri,
            documents.c.canonical_url,
            documents.c.publisher,
            documents.c.title,
            documents.c.known_at,
            documents.c.text,
            documents.c.published,
        )
        .where(
            documents.c.id.in_(bindparam("ids", expanding=True)),
            documents.c.kind == "article",
            documents.c.text.is_not(None),
            known_by(documents.c.known_at, cutoff),
        )
        .order_by(documents.c.known_at, documents.c.id)
    )


def _like_escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
