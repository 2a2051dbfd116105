"""News ingest: articles into the store, and their extractions (claims, quotes, cast) beside them.

* :func:`add_articles` stores :class:`~renewcast.news.article.Article` objects as ``documents`` rows
  (kind ``article``) in **one transaction per batch**: every unusable article is reported as a
  :class:`RowProblem`, duplicates (same canonical URL or same normalised text, already stored or
  earlier in the batch) are skipped, and a database failure stores nothing of the batch.
  :func:`add_path`, :func:`add_url` and :func:`add_feed` read JSONL archives, saved HTML, plain
  text, pages and RSS/Atom feeds into such batches.
* Dates: an article without one is dated from the page itself where it can be
  (:mod:`renewcast.news.pubdate`). ``known_at`` is the publication time (the end of the month for
  a date known only to the month), or, for an article that stays undated (``published`` NULL),
  the time it was added — the report says so. :func:`redate_documents` looks again at articles
  stored undated earlier.
* :func:`extract_documents` runs :func:`renewcast.news.extract.extract_article` on stored articles
  that have no extraction for the current :func:`~renewcast.news.jobs.extractor_version`, links
  series to the catalog (:class:`~renewcast.news.mentions.StoreCatalog`) and writes ``claims``,
  ``quotes`` and ``cast_mentions`` rows plus the extraction JSON — one transaction per document,
  so a crash keeps what finished and a rerun continues; re-extracting a document replaces its
  rows. With ``workers > 1`` or a ``scheduler`` the extraction runs on Dask
  (:mod:`renewcast.news.parallel`), results still written here.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, delete, or_, select, union, update

from renewcast.news.article import MAX_TEXT_CHARS, Article, jsonl_articles
from renewcast.news.claims import FIRM_CONFIDENCE
from renewcast.news.jobs import (
    DocResult,
    extract_one,
    extractor_version,
    load_inputs,
)
from renewcast.news.mentions import (
    Catalog,
    StoreCatalog,
    headline_named,
    norm_title,
    title_named,
)
from renewcast.news.pubdate import date_label, infer_publication
from renewcast.sources.base import RowProblem, SourceError, decode_text, read_bytes, sha256_bytes
from renewcast.store.db import as_of_cutoff
from renewcast.store.documents import doc_link
from renewcast.store.schema import (
    cast_mentions,
    claims,
    documents,
    inserted_id,
    quotes,
)

if TYPE_CHECKING:
    import httpx

SOURCE = "news"
KIND = "article"
BATCH_LOOKUP = 500  # keys per IN (...) query when looking for stored duplicates
FEED_TYPES = ("rss", "atom", "xml")


# =========================================================================== ingest


@dataclass(frozen=True, slots=True)
class NewsDocument:
    """An article with where it came from: the raw page, its URI, the fetch time, its line."""

    article: Article
    raw: str | None = None  # the raw document (HTML) when there is one
    uri: str | None = None  # URL or file (defaults to the article URL)
    fetched_at: datetime | None = None  # when it was fetched or read (default: now)
    line: int | None = None  # line in the file it came from, for problems


@dataclass(slots=True)
class IngestReport:
    """What one ``add_*`` call did. ``added`` are the new document ids."""

    source: str
    uri: str
    added: list[int] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)  # article ids or URLs already stored
    problems: list[RowProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def status(self) -> str:
        return "ok" if self.added else "unchanged"

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "uri": self.uri,
            "status": self.status,
            "added": len(self.added),
            "document_ids": self.added,
            "duplicates": len(self.duplicates),
            "problems": [str(p) for p in self.problems],
            "notes": self.notes,
            "seconds": round(self.seconds, 3),
        }


@dataclass(slots=True)
class _Row:
    values: dict[str, Any]
    label: str  # article id, for duplicate reports


def _now() -> datetime:
    return datetime.now(UTC)


def _clean(text: str | None) -> str | None:
    """PostgreSQL text cannot hold NUL; no store should."""
    return text.replace("\x00", "") if text is not None else None


def _prepare(doc: NewsDocument, uri: str, source: str, now: datetime) -> _Row | RowProblem:
    from renewcast.news.fetch import canonical_url, content_hash

    a = doc.article
    where = doc.uri or uri
    text = _clean(a.text) or ""
    if not text.strip():
        return RowProblem(where, doc.line, "text", f"article {a.id!r} has no text; not stored")
    if len(text) > MAX_TEXT_CHARS:
        text = text[:MAX_TEXT_CHARS]
    fetched = doc.fetched_at or now
    raw = _clean(doc.raw)
    published, known_at = a.published, a.published
    precision: str | None = "day"
    how: str | None = "given"
    if published is None:
        found = infer_publication(text, title=a.title, url=a.url, html=raw, read_at=fetched)
        if found is not None:
            published, precision, how = found.published, found.precision, found.how
            known_at = found.known_from(fetched)
    if published is None or known_at is None:  # undated: known from the day it was added
        published, precision, how, known_at = None, None, None, fetched
    values = {
        "kind": KIND,
        "source": source,
        "uri": doc.uri or a.url or f"{uri}#{a.id}",
        "canonical_url": canonical_url(a.url) if a.url else None,
        "sha256": sha256_bytes((raw or text).encode("utf-8", errors="replace")),
        "content_hash": content_hash(text),
        "title": _clean(a.title),
        "publisher": _clean(a.publisher),
        "published": published,
        "published_precision": precision,
        "date_source": how,
        "fetched_at": fetched,
        "known_at": known_at,
        "text": text,
        "raw": raw,
    }
    return _Row(values, a.id)


def add_articles(
    engine: Engine,
    articles: Iterable[Article | NewsDocument | RowProblem],
    *,
    source: str = SOURCE,
    uri: str = "<articles>",
) -> IngestReport:
    """Store articles as ``documents`` in one transaction; see the module docstring.

    :class:`RowProblem` items (from a reader) are carried into the report. Raises
    :class:`SourceError` (nothing stored) when the database refuses the batch.
    """
    t0 = time.perf_counter()
    report = IngestReport(source=source, uri=uri)
    now = _now()
    rows: list[_Row] = []
    for item in articles:
        if isinstance(item, RowProblem):
            report.problems.append(item)
            continue
        doc = item if isinstance(item, NewsDocument) else NewsDocument(item)
        prepared = _prepare(doc, uri, source, now)
        if isinstance(prepared, RowProblem):
            report.problems.append(prepared)
            continue
        if len(doc.article.text) > MAX_TEXT_CHARS:
            report.notes.append(
                f"{doc.article.id}: text of {len(doc.article.text):,} characters cut to "
                f"{MAX_TEXT_CHARS:,}"
            )
        rows.append(prepared)
    try:
        with engine.begin() as conn:
            _insert_new(conn, rows, report)
    except Exception as e:  # the transaction rolled back: nothing of this batch is stored
        raise SourceError(
            f"{uri}: the articles could not be stored ({type(e).__name__}: {e}); nothing of "
            "this batch was written — check the store (--db) and retry"
        ) from e
    report.notes.extend(_date_notes([r for r in rows if r.label not in report.duplicates], now))
    report.seconds = time.perf_counter() - t0
    return report


_HOW = {
    "page": "the page's metadata",
    "text": "a date line on the page",
    "url": "the address",
    "dateline": "a dateline",
    "updated": "an 'updated' date",
}


def _date_notes(rows: list[_Row], now: datetime) -> list[str]:
    """Plain-words notes on the dates of the stored articles that came without one."""
    found = Counter(
        (r.values["date_source"], r.values["published_precision"])
        for r in rows
        if r.values["date_source"] not in (None, "given")
    )
    notes = []
    if found:
        parts = [
            f"{n} from {_HOW.get(how, how)}" + (" (to the month)" if prec == "month" else "")
            for (how, prec), n in sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
        notes.append(
            f"{sum(found.values())} article(s) without a date were dated from the page itself: "
            + ", ".join(parts)
        )
    undated = sum(1 for r in rows if r.values["published"] is None)
    if undated:
        notes.append(
            f"{undated} article(s) have no publication date, given or on the page: stored as "
            f"undated; their claims are shown as undated and count only from when they were added "
            f"({now:%Y-%m-%d %H:%M} UTC), so --as-of earlier days omits them"
        )
    return notes


def _insert_new(conn: Connection, rows: list[_Row], report: IngestReport) -> None:
    urls = {r.values["canonical_url"] for r in rows if r.values["canonical_url"]}
    hashes = {r.values["content_hash"] for r in rows}
    seen_urls = _stored(conn, documents.c.canonical_url, urls)
    seen_hashes = _stored(conn, documents.c.content_hash, hashes)
    seen_sha = _stored(conn, documents.c.sha256, {r.values["sha256"] for r in rows})
    for r in rows:
        v = r.values
        if (
            (v["canonical_url"] and v["canonical_url"] in seen_urls)
            or v["content_hash"] in seen_hashes
            or v["sha256"] in seen_sha
        ):
            report.duplicates.append(r.label)
            continue
        report.added.append(inserted_id(conn.execute(documents.insert().values(**v))))
        if v["canonical_url"]:
            seen_urls.add(v["canonical_url"])
        seen_hashes.add(v["content_hash"])
        seen_sha.add(v["sha256"])


def _stored(conn: Connection, column: Any, keys: set[str]) -> set[str]:
    found: set[str] = set()
    items = sorted(keys)
    for i in range(0, len(items), BATCH_LOOKUP):
        chunk = items[i : i + BATCH_LOOKUP]
        q = select(column).where(documents.c.kind == KIND, column.in_(chunk))
        found.update(str(v) for (v,) in conn.execute(q))
    return found


# --------------------------------------------------------------------------- readers


def read_archive(path: Path) -> Iterator[NewsDocument | RowProblem]:
    """A JSONL archive (``{"id", "url", "published", "title", "text"}`` a line), line-numbered.

    Every bad line is a :class:`RowProblem` naming its field, and the good lines are read (the
    reader ``extract`` uses too). A line that is not UTF-8 is left out and reported, as the sync
    readers do: a mangled article must not be stored, or the fixed file could not replace it.
    """
    name = str(path)
    text, problems = decode_text(read_bytes(path, SOURCE), name, skip_bad_lines=True)
    yield from problems
    read_at = _now()
    for item in jsonl_articles(text, name, id_prefix=path.name):
        if isinstance(item, RowProblem):
            yield item
        else:
            yield NewsDocument(item[1], fetched_at=read_at, line=item[0])


def read_text_file(
    path: Path, *, published: datetime | None = None, url: str | None = None
) -> tuple[NewsDocument, list[RowProblem]]:
    """A plain-text article: the first non-empty line is its title, the whole file its text."""
    text, problems = decode_text(read_bytes(path), str(path))
    title = next((line.strip() for line in text.splitlines() if line.strip()), None)
    article = Article(id=path.stem, text=text.strip(), url=url, published=published, title=title)
    return NewsDocument(article, uri=url or str(path.resolve())), problems


def read_html_file(
    path: Path, *, published: datetime | None = None, url: str | None = None
) -> NewsDocument:
    """A saved page: text, title, date and publisher via trafilatura; the HTML kept as raw."""
    from renewcast.news.fetch import MAX_HTML_CHARS, decode_html, page_to_article

    body = read_bytes(path)
    article = page_to_article(body, url, article_id=path.stem)
    if published is not None:
        article = replace(article, published=published)
    return NewsDocument(
        article, raw=decode_html(body)[:MAX_HTML_CHARS], uri=url or str(path.resolve())
    )


def with_page_date(doc: NewsDocument) -> NewsDocument:
    """A saved page without a given date, dated as storing it would date it (its meta tags, a
    dateline, its URL), for ``extract`` without a store: "next month" in it then resolves.
    Left undated when none is found (never dated by the day it is read)."""
    a = doc.article
    if a.published is not None:
        return doc
    found = infer_publication(a.text, title=a.title, url=a.url, html=doc.raw)
    if found is None:
        return doc
    return replace(doc, article=replace(a, published=found.published))


def add_path(
    engine: Engine,
    path: Path,
    *,
    published: datetime | None = None,
    url: str | None = None,
    source: str = SOURCE,
) -> IngestReport:
    """Add a ``.jsonl`` archive, a saved ``.html``/``.htm`` page, a ``.txt`` article or a local
    RSS/Atom file (``.xml``/``.rss``/``.atom``). ``published``/``url`` describe a single page."""
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        if published is not None or url is not None:
            raise SourceError(
                f"{path}: --published and --url describe one article; a JSONL archive carries "
                "them on each line"
            )
        return add_articles(engine, read_archive(path), source=source, uri=str(path))
    if suffix in (".html", ".htm"):
        doc = read_html_file(path, published=published, url=url)
        return add_articles(engine, [doc], source=source, uri=str(path))
    if suffix == ".txt":
        doc, problems = read_text_file(path, published=published, url=url)
        return add_articles(engine, [*problems, doc], source=source, uri=str(path))
    if suffix in (".xml", ".rss", ".atom"):
        return add_feed(engine, str(path), source=source)
    raise SourceError(
        f"{path}: cannot tell what kind of file this is; give a .jsonl archive, a saved "
        ".html/.htm page, a .txt article (first line the title) or an .xml/.rss/.atom feed"
    )


def _stored_url(engine: Engine, url: str) -> bool:
    from renewcast.news.fetch import canonical_url

    key = canonical_url(url)
    with engine.connect() as conn:
        q = select(documents.c.id).where(
            documents.c.kind == KIND,
            or_(documents.c.canonical_url == key, documents.c.uri == url),
        )
        return conn.execute(q.limit(1)).first() is not None


def _looks_like_feed(content_type: str | None, body: bytes) -> bool:
    ct = (content_type or "").lower()
    if any(f"{t}+xml" in ct for t in ("rss", "atom")) or "/rss" in ct:
        return True
    head = body[:1024].lstrip().lower()
    if "xml" in ct or head.startswith(b"<?xml"):
        return bool(re.search(rb"<(rss|feed|rdf:rdf)\b", body[:4096].lower()))
    return False


def _page_document(page: Any, *, published: datetime | None = None) -> NewsDocument:
    from renewcast.news.fetch import MAX_HTML_CHARS, decode_html, page_to_article

    article = page_to_article(page)
    if published is not None:
        article = replace(article, published=published)
    raw = decode_html(page.body, page.charset)[:MAX_HTML_CHARS]
    return NewsDocument(article, raw=raw, uri=page.url, fetched_at=page.fetched_at)


def add_url(
    engine: Engine,
    url: str,
    *,
    client: httpx.Client | None = None,
    published: datetime | None = None,
    source: str = SOURCE,
) -> IngestReport:
    """Fetch one page (public addresses only) and store it; a feed URL is read as a feed."""
    from renewcast.news.fetch import fetch_url

    if _stored_url(engine, url):
        return IngestReport(source=source, uri=url, duplicates=[url])
    page = fetch_url(url, client=client)
    if _looks_like_feed(page.content_type, page.body):
        return add_feed_bytes(engine, page.body, url, client=client, source=source)
    return add_articles(engine, [_page_document(page, published=published)], source=source, uri=url)


def add_feed(
    engine: Engine,
    url_or_path: str,
    *,
    client: httpx.Client | None = None,
    source: str = SOURCE,
) -> IngestReport:
    """Read an RSS/Atom feed (URL or file) and fetch each entry; an entry that fails is reported
    and the others are stored."""
    from renewcast.news.fetch import fetch_url

    if re.match(r"(?i)https?://", url_or_path):
        body = fetch_url(url_or_path, client=client).body
    else:
        body = read_bytes(Path(url_or_path))
    return add_feed_bytes(engine, body, url_or_path, client=client, source=source)


def add_feed_bytes(
    engine: Engine,
    body: bytes,
    uri: str,
    *,
    client: httpx.Client | None,
    source: str,
) -> IngestReport:
    from renewcast.news.fetch import read_feed_result

    result = read_feed_result(body, uri)
    items: list[NewsDocument | RowProblem] = list(result.problems)
    skipped: list[str] = []
    for n, entry in enumerate(result.records, start=1):
        if _stored_url(engine, entry.url):
            skipped.append(entry.url)
            continue
        try:
            items.append(_feed_entry_document(entry, client))
        except SourceError as e:
            items.append(RowProblem(uri, None, f"entry {n}", str(e)))
    report = add_articles(engine, items, source=source, uri=uri)
    report.duplicates.extend(skipped)
    return report


def _feed_entry_document(entry: Any, client: httpx.Client | None) -> NewsDocument:
    from renewcast.news.fetch import fetch_url

    doc = _page_document(fetch_url(entry.url, client=client))
    a = doc.article
    a = replace(
        a,
        published=a.published or entry.published,
        title=a.title or entry.title,
    )
    return replace(doc, article=a)


@dataclass(slots=True)
class RedateReport:
    """What :func:`redate_documents` did: ``dated`` maps document id -> its new date label."""

    checked: int = 0
    dated: dict[int, str] = field(default_factory=dict)
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "checked": self.checked,
            "dated": len(self.dated),
            "still_undated": self.checked - len(self.dated),
            "dates": {str(k): v for k, v in sorted(self.dated.items())},
            "seconds": round(self.seconds, 3),
        }


def redate_documents(engine: Engine) -> RedateReport:
    """Look again for the publication date of every stored undated article (articles added before
    dates were read from the page, or by an older renewcast): where the page gives one, the
    article and its claims, quotes and cast mentions take it (see :mod:`renewcast.news.pubdate`);
    the rest stay undated. One transaction; running it again changes nothing."""
    from renewcast.store.importer import Counts, ImportReport, log_import

    t0 = time.perf_counter()
    report = RedateReport()
    started = _now()
    with engine.begin() as conn:
        rows = conn.execute(
            select(
                documents.c.id,
                documents.c.text,
                documents.c.title,
                documents.c.uri,
                documents.c.canonical_url,
                documents.c.raw,
                documents.c.fetched_at,
            )
            .where(documents.c.kind == KIND, documents.c.published.is_(None))
            .order_by(documents.c.id)
        ).all()
        report.checked = len(rows)
        for r in rows:
            url = r.canonical_url or (r.uri if re.match(r"(?i)https?://", r.uri or "") else None)
            found = infer_publication(
                r.text or "", title=r.title, url=url, html=r.raw, read_at=r.fetched_at
            )
            if found is None:
                continue
            known_at = found.known_from(r.fetched_at)
            conn.execute(
                update(documents)
                .where(documents.c.id == r.id)
                .values(
                    published=found.published,
                    published_precision=found.precision,
                    date_source=found.how,
                    known_at=known_at,
                )
            )
            for table in (claims, quotes, cast_mentions):
                conn.execute(
                    update(table).where(table.c.document_id == r.id).values(known_at=known_at)
                )
            report.dated[int(r.id)] = found.label()
    if report.dated:  # logged, so caches keyed on the store's imports see the change
        log = ImportReport(
            source=f"{SOURCE}/redate",
            uri="<stored articles>",
            status="ok",
            counts=Counts(updated=len(report.dated), unchanged=report.checked - len(report.dated)),
        )
        log_import(engine, log, None, started)
    report.seconds = time.perf_counter() - t0
    return report


# =========================================================================== extraction


@dataclass(slots=True)
class ExtractReport:
    version: str
    selected: int = 0
    extracted: int = 0
    claims: int = 0
    quotes: int = 0
    cast: int = 0
    linked: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    workers: int = 1
    scheduler: str | None = None

    def to_json(self) -> dict[str, Any]:
        rate = self.extracted / self.seconds if self.seconds > 0 else None
        return {
            "extractor_version": self.version,
            "selected": self.selected,
            "extracted": self.extracted,
            "failed": len(self.problems),
            "claims": self.claims,
            "claims_linked": self.linked,
            "quotes": self.quotes,
            "cast": self.cast,
            "problems": [str(p) for p in self.problems],
            "notes": self.notes,
            "seconds": round(self.seconds, 3),
            "articles_per_second": round(rate, 2) if rate else None,
            "workers": self.workers,
            "scheduler": self.scheduler,
        }


Progress = Callable[[int, int], None]


def pending_documents(
    conn: Connection, version: str, *, doc_ids: Sequence[int] | None = None, force: bool = False
) -> list[int]:
    """Ids of stored articles with no extraction for ``version`` (all of them with ``force``)."""
    q = select(documents.c.id).where(documents.c.kind == KIND).order_by(documents.c.id)
    if not force:
        q = q.where(
            or_(documents.c.extractor_version.is_(None), documents.c.extractor_version != version)
        )
    if doc_ids is not None:
        wanted = sorted(set(doc_ids))
        out: list[int] = []
        for i in range(0, len(wanted), BATCH_LOOKUP):
            chunk = wanted[i : i + BATCH_LOOKUP]
            out.extend(int(r[0]) for r in conn.execute(q.where(documents.c.id.in_(chunk))))
        return sorted(out)
    return [int(r[0]) for r in conn.execute(q)]


def extract_documents(
    engine: Engine,
    *,
    doc_ids: Sequence[int] | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    force: bool = False,
    on_progress: Progress | None = None,
    partition_size: int = 8,
) -> ExtractReport:
    """Extract stored articles lacking a current extraction and write their claims, quotes and
    cast mentions (see the module docstring). Resumable and idempotent."""
    t0 = time.perf_counter()
    with engine.connect() as conn:
        catalog = StoreCatalog.from_connection(conn)
        version = extractor_version(catalog)
        ids = pending_documents(conn, version, doc_ids=doc_ids, force=force)
    report = ExtractReport(version=version, selected=len(ids), workers=workers, scheduler=scheduler)
    if not len(catalog):
        report.notes.append("the catalog is empty (run `renewcast sync`): series taken as written")
    if on_progress:
        on_progress(0, len(ids))
    if ids:
        if workers <= 1 and scheduler is None:
            results: Iterable[DocResult] = _serial(engine, ids, catalog, partition_size)
        else:
            from renewcast.news.parallel import extract_on_dask

            results = extract_on_dask(
                engine,
                ids,
                catalog,
                workers=workers,
                scheduler=scheduler,
                partition_size=partition_size,
                version=version,
            )
        for done, res in enumerate(results, start=1):
            write_result(engine, res, catalog, version, report)
            if on_progress:
                on_progress(done, len(ids))
    report.seconds = time.perf_counter() - t0
    return report


def _serial(
    engine: Engine, ids: list[int], catalog: Catalog, partition_size: int
) -> Iterator[DocResult]:
    for i in range(0, len(ids), partition_size):
        with engine.connect() as conn:
            items = load_inputs(conn, ids[i : i + partition_size])
        for it in items:
            yield extract_one(it, catalog)


def write_result(
    engine: Engine,
    res: DocResult,
    catalog: StoreCatalog | None,
    version: str,
    report: ExtractReport,
) -> None:
    """Replace one document's claims, quotes and cast mentions in one transaction."""
    if res.error is not None or res.extraction is None:
        report.problems.append(
            RowProblem(f"document {res.doc_id}", None, "extraction", res.error or "no result")
        )
        return
    ex = res.extraction
    if res.code and not version.startswith(res.code + "."):  # a worker's own code version
        version = f"{res.code}.{version.rpartition('.')[2]}"
    with engine.begin() as conn:
        row = conn.execute(
            select(
                documents.c.known_at,
                documents.c.published,
                documents.c.title,
                documents.c.canonical_url,
                documents.c.uri,
            ).where(documents.c.id == res.doc_id)
        ).first()
        if row is None:  # deleted meanwhile
            report.notes.append(f"document {res.doc_id} is no longer stored; result dropped")
            return
        rows = extraction_rows(
            res.doc_id,
            ex,
            row.known_at,
            catalog,
            row.published,
            headline=row.title,
            url=doc_link(row.uri, row.canonical_url),
        )
        for table in (claims, quotes, cast_mentions):
            conn.execute(delete(table).where(table.c.document_id == res.doc_id))
        for table, name in ((claims, "claims"), (quotes, "quotes"), (cast_mentions, "cast")):
            if rows[name]:
                conn.execute(table.insert(), rows[name])
        conn.execute(
            update(documents)
            .where(documents.c.id == res.doc_id)
            .values(
                extraction=json.dumps({**ex, "notes": list(res.notes)}, ensure_ascii=False),
                extractor_version=version,
            )
        )
    report.extracted += 1
    report.claims += len(rows["claims"])
    report.linked += sum(1 for r in rows["claims"] if r["series_id"] is not None)
    report.quotes += len(rows["quotes"])
    report.cast += len(rows["cast"])


def extraction_rows(
    doc_id: int,
    ex: dict[str, Any],
    known_at: datetime,
    catalog: StoreCatalog | None,
    published: datetime | None = None,
    *,
    headline: str | None = None,
    url: str | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """``claims``/``quotes``/``cast_mentions`` rows for one extraction JSON (``published``: the
    article's date, which rules out a later series of the same name; ``headline`` and ``url``
    tell which series the quotes and cast it ties to none are about)."""
    day = published.date() if published is not None else None

    def link(name: object) -> int | None:
        if catalog is None or not isinstance(name, str):
            return None
        return catalog.series_id(name, day)

    claim_rows = [_claim_row(doc_id, c, known_at, link(c.get("series"))) for c in ex["claims"]]
    owner = ArticleSeries(claim_rows, headline, url)
    quote_rows = []
    for q in ex.get("quotes") or []:
        text = _str(q.get("text")) or _str(q.get("quote"))
        if not text:
            continue
        sentence = _str(q.get("sentence")) or _str(q.get("evidence"))
        sid = link(q.get("series")) if q.get("series") else owner.of(sentence)
        quote_rows.append(
            {
                "document_id": doc_id,
                "series_id": sid,
                "text": text,
                "speaker": _str(q.get("speaker")) or _str(q.get("name")),
                "role": _str(q.get("role")),
                "outlet": _str(q.get("outlet")),
                "sentence": sentence,
                "span_start": _int(q.get("start")),
                "span_end": _int(q.get("end")),
                "known_at": known_at,
            }
        )
    cast_rows = []
    for c in ex.get("cast") or []:
        actor, character = _str(c.get("actor")), _str(c.get("character"))
        if not actor or not character:
            continue
        evidence = _str(c.get("evidence"))
        sid = link(c.get("series")) if c.get("series") else owner.of(evidence)
        cast_rows.append(
            {
                "document_id": doc_id,
                "series_id": sid,
                "actor": actor,
                "character": character,
                "evidence": evidence,
                "known_at": known_at,
            }
        )
    return {"claims": claim_rows, "quotes": quote_rows, "cast": cast_rows}


class ArticleSeries:
    """Which series a quote or cast pair the reader tied to no series belongs to.

    The linked series the headline (else the web address) names, when it names one. Otherwise
    the article's firm claims (:data:`FIRM_CONFIDENCE`; every claim when none is firm) say what
    it is about: one series — that one, or none when the catalog does not know it (an article
    about another network's show that names one of the catalog's in passing does not lend it its
    cast); several (a roundup) — the linked series the passage's own sentence names, else none:
    which item of a roundup a quote or a cast pair belongs to is not known from where it stands
    (an item's text comes before its status as often as after)."""

    def __init__(
        self, claim_rows: list[dict[str, Any]], headline: str | None, url: str | None
    ) -> None:
        linked: dict[str, int] = {
            r["series_text"]: r["series_id"] for r in claim_rows if r["series_id"] is not None
        }
        # the one series the headline (else the address) names; several: a roundup's headline
        sids = {linked[name] for name in headline_named(linked, headline, url)}
        self.named = sids.pop() if len(sids) == 1 else None
        firm = [r for r in claim_rows if r["confidence"] >= FIRM_CONFIDENCE] or claim_rows
        keys = {r["series_id"] if r["series_id"] is not None else norm_title(r["series_text"])
                for r in firm}  # fmt: skip
        self.roundup = len(keys) > 1
        counts = Counter(r["series_id"] for r in firm if r["series_id"] is not None)
        self.main = None if self.roundup or not counts else counts.most_common(1)[0][0]
        self.linked = linked

    def of(self, sentence: str | None) -> int | None:
        """The series of a quote or cast pair found in ``sentence``."""
        if self.named is not None:
            return self.named
        if not self.roundup:
            return self.main
        if sentence:
            for name, sid in self.linked.items():
                if title_named(name, sentence):
                    return sid
        return None


def _claim_row(
    doc_id: int, c: dict[str, Any], known_at: datetime, sid: int | None
) -> dict[str, Any]:
    conf = c.get("confidence")
    return {
        "document_id": doc_id,
        "series_id": sid,
        "series_text": str(c.get("series") or ""),
        "platform": _str(c.get("platform")),
        "season": _int(c.get("season")),
        "status": str(c.get("status")),
        "final": bool(c.get("final")),
        "official": bool(c.get("official")),
        "hedged": bool(c.get("hedged")),
        "confidence": float(conf) if isinstance(conf, int | float) else 0.5,
        "evidence": str(c.get("evidence") or ""),
        "span_start": _int(c.get("start")),
        "span_end": _int(c.get("end")),
        "speakers": json.dumps(c.get("speakers") or [], ensure_ascii=False),
        "known_at": known_at,
    }


def _str(v: object) -> str | None:
    return v if isinstance(v, str) and v else None


def _int(v: object) -> int | None:
    return v if isinstance(v, int) and not isinstance(v, bool) else None


# =========================================================================== listing


@dataclass(frozen=True, slots=True)
class StoredArticle:
    id: int
    title: str | None
    publisher: str | None
    url: str
    published: datetime | None  # None: undated
    known_at: datetime
    extracted: bool
    claims: tuple[dict[str, Any], ...]
    precision: str | None = "day"  # of ``published``: day | month

    @property
    def date_label(self) -> str:
        """ "2023-03-14", "2023-03" (known to the month) or "undated"."""
        return date_label(self.published, self.precision)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "publisher": self.publisher,
            "url": self.url,
            "published": self.published.isoformat() if self.published else None,
            "date": self.date_label,
            "undated": self.published is None,
            "known_at": self.known_at.isoformat(),
            "extracted": self.extracted,
            "claims": list(self.claims),
        }


def list_documents(
    conn: Connection,
    *,
    series_id: int | None = None,
    as_of: date | datetime | None = None,
    limit: int | None = None,
) -> list[StoredArticle]:
    """Stored articles (newest known first), optionally only those with claims, quotes or cast
    about ``series_id``, and only what was known by the end of ``as_of``."""
    q = select(
        documents.c.id,
        documents.c.title,
        documents.c.publisher,
        documents.c.uri,
        documents.c.published,
        documents.c.published_precision,
        documents.c.known_at,
        documents.c.extractor_version,
    ).where(documents.c.kind == KIND)
    cutoff = as_of_cutoff(as_of)
    if cutoff is not None:
        q = q.where(documents.c.known_at <= cutoff)
    if series_id is not None:
        about = union(
            select(claims.c.document_id).where(claims.c.series_id == series_id),
            select(quotes.c.document_id).where(quotes.c.series_id == series_id),
            select(cast_mentions.c.document_id).where(cast_mentions.c.series_id == series_id),
        )
        q = q.where(documents.c.id.in_(about))
    q = q.order_by(documents.c.known_at.desc(), documents.c.id.desc())
    if limit:
        q = q.limit(limit)
    docs = conn.execute(q).all()
    by_doc = _claims_by_doc(conn, [int(d.id) for d in docs], series_id)
    return [
        StoredArticle(
            id=int(d.id),
            title=d.title,
            publisher=d.publisher,
            url=d.uri,
            published=d.published,
            known_at=d.known_at,
            extracted=d.extractor_version is not None,
            claims=tuple(by_doc.get(int(d.id), [])),
            precision=d.published_precision or "day",
        )
        for d in docs
    ]


def _claims_by_doc(
    conn: Connection, ids: list[int], series_id: int | None
) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = {}
    for i in range(0, len(ids), BATCH_LOOKUP):
        q = select(
            claims.c.document_id,
            claims.c.series_id,
            claims.c.series_text,
            claims.c.season,
            claims.c.status,
            claims.c.hedged,
        ).where(claims.c.document_id.in_(ids[i : i + BATCH_LOOKUP]))
        if series_id is not None:
            q = q.where(claims.c.series_id == series_id)
        for r in conn.execute(q.order_by(claims.c.id)):
            out.setdefault(int(r.document_id), []).append(
                {
                    "series": r.series_text,
                    "series_id": r.series_id,
                    "season": r.season,
                    "status": r.status,
                    "hedged": bool(r.hedged),
                }
            )
    return out
