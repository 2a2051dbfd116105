"""Publication dates read from the page when an article comes without one (invented pages), their
accuracy on the real dated articles, and undated articles stored and shown as undated."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from renewcast.news.article import Article
from renewcast.news.ingest import NewsDocument, add_articles, list_documents
from renewcast.news.pubdate import date_label, infer_publication, page_date, url_date
from renewcast.store.schema import documents

READ_AT = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)
LATEST = READ_AT.date()


def found(text: str, url: str | None = None, html: str | None = None) -> tuple[str, str] | None:
    p = infer_publication(text, title=None, url=url, html=html, read_at=READ_AT)
    return (p.label(), p.how) if p else None


# ------------------------------------------------------------------------------ the page's HTML


def test_page_metadata_gives_the_day() -> None:
    meta = '<head><meta property="article:published_time" content="2023-03-14T08:00:00Z"></head>'
    assert page_date(meta, latest=LATEST) is not None
    assert found("Harbor Lights is renewed.", html=meta) == ("2023-03-14", "page")
    ld = (
        '<script type="application/ld+json">{"datePublished": "2021-11-02T10:00:00-05:00"}</script>'
    )
    assert found("Harbor Lights is renewed.", html=ld) == ("2021-11-02", "page")
    tag = '<p>By Dana</p><time class="x" datetime="2019-06-30">June 30</time>'
    assert found("Harbor Lights is renewed.", html=tag) == ("2019-06-30", "page")
    assert page_date('<meta name="description" content="2019-06-30">', latest=LATEST) is None


# ----------------------------------------------------------------------------------- the text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Harbor Lights renewed\n\nPublished March 3, 2023\n\nThe drama returns.", "2023-03-03"),
        (
            "Harbor Lights renewed\nBy: Dana Whitcombe Posted: 9:15 AM, May 2, 2018\nIt returns.",
            "2018-05-02",
        ),
        (
            "Harbor Lights renewed\n\nBy Nia Holt\n\nSep 9, 2022\n\nReading time: 2 min",
            "2022-09-09",
        ),
        (
            "Harbor Lights renewed\n\nSaturday 4 March 2023 10:12 GMT\n\nThe drama returns.",
            "2023-03-04",
        ),
        ("Harbor Lights renewed\n\n08:30 AM 10/27/2016\n\nThe drama returns.", "2016-10-27"),
        ("BURBANK, Calif., June 2, 2020 /Wire/ -- The studio renewed Harbor Lights.", "2020-06-02"),
    ],
)
def test_date_lines_in_the_header(text: str, expected: str) -> None:
    assert found(text) is not None and found(text)[0] == expected  # type: ignore[index]


def test_an_updated_date_is_used_only_without_a_better_one() -> None:
    text = "Harbor Lights renewed\nBy Staff | Updated: 5 April 2022 11:00 IST\nThe drama returns."
    assert found(text) == ("2022-04-05", "updated")
    assert found(text, url="https://example.com/2022/04/03/harbor-lights/") == ("2022-04-03", "url")


@pytest.mark.parametrize(
    "text",
    [
        "Harbor Lights premiered on April 22, 2019, and returns next year.",  # a date in prose
        "What a night! — Harbor Lights (@harborlights) May 15, 2024",  # an embedded post
        "Harbor Lights renewed\n\nThe studio announced it on Wednesday, December 14.",  # no year
        "Harbor Lights renewed\n\n05/07/2021\n\nThe drama returns.",  # May 7 or 5 July?
        "Harbor Lights renewed\n\nSeason 2 ordered: June 23, 2020\n\nIt returns.",  # not the page's
        "Harbor Lights renewed\n\nThe official premiere date – June 16, 2024 – is set.",
        "Harbor Lights renewed\n\nPublished March 3, 2031\n\nThe drama returns.",  # after reading
        "Harbor Lights renewed\n\nPublished March 3, 1987\n\nThe drama returns.",  # before the web
        "Harbor Lights is back for a third season.",
    ],
)
def test_no_publication_date_where_the_page_gives_none(text: str) -> None:
    assert found(text) is None


# ------------------------------------------------------------------------------------ the URL


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com/2023/03/14/harbor-lights-renewed/", ("2023-03-14", "day")),
        ("https://example.com/tv/2022-04-06-harbor-lights-ends", ("2022-04-06", "day")),
        ("https://example.com/article/Harbor-Lights-Cast-20241022", ("2024-10-22", "day")),
        ("https://example.com/film/20210413110898/harbor-lights/", ("2021-04-13", "day")),
        ("https://example.com/news/Entertainment/May-26-2025/Harbor-Lights", ("2025-05-26", "day")),
        ("https://example.blogspot.com/2011/05/harbor-lights.html", ("2011-05", "month")),
        (
            "https://web.archive.org/web/20190611232724/https://example.com/2018/02/harbor/",
            ("2018-02", "month"),
        ),
        ("https://example.com/web/20220804162832/https://example.org/harbor-lights", None),
        ("https://example.com/news/1204325-harbor-lights-cancelled", None),
        ("https://example.com/every-show-cancelled-2023", None),  # a year is not a date
        ("https://example.com/2031/01/harbor-lights/", None),  # after the page was read
    ],
)
def test_dates_in_addresses(url: str, expected: tuple[str, str] | None) -> None:
    p = url_date(url, latest=LATEST)
    assert ((p.label(), p.precision) if p else None) == expected


def test_a_text_date_outside_the_addresss_month_loses_to_it() -> None:
    text = "Harbor Lights renewed\n\nPublished March 3, 2023\n\nThe drama returns."
    assert found(text, url="https://example.com/2023/03/harbor/") == ("2023-03-03", "text")
    assert found(text, url="https://example.com/2024/01/harbor/") == ("2024-01", "url")


def test_a_month_counts_from_its_end_and_never_after_the_page_was_read() -> None:
    p = url_date("https://example.com/2011/05/harbor.html", latest=LATEST)
    assert p is not None and p.published == datetime(2011, 5, 1, tzinfo=UTC)
    assert p.known_from(READ_AT).date() == date(2011, 5, 31)
    now = url_date("https://example.com/2026/12/harbor.html", latest=LATEST)
    assert now is not None and now.known_from(READ_AT) == READ_AT
    day = url_date("https://example.com/2023/03/14/harbor/", latest=LATEST)
    assert day is not None and day.known_from(READ_AT) == datetime(2023, 3, 14, tzinfo=UTC)


def test_date_labels() -> None:
    assert date_label(None) == "undated"
    assert date_label(datetime(2011, 5, 1, tzinfo=UTC), "month") == "2011-05"
    assert date_label(datetime(2023, 3, 14, 17, tzinfo=UTC)) == "2023-03-14"


# ------------------------------------------------------------------------ the real dated articles


def test_inferred_dates_agree_with_the_real_articles_given_dates(data_dir: Path) -> None:
    """Every real article with a date, its date hidden (the search index's leading "date …" line
    removed too): where the page still gives one, it is the given day (or its month)."""
    agree = disagree = 0
    for path in (data_dir / "news/articles.jsonl", data_dir / "news/train/articles.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            a = json.loads(line)
            if not a.get("published"):
                continue
            text = re.sub(r"^\s*date \d{4}-\d\d-\d\d\s*", "", a["text"])
            p = infer_publication(text, title=a.get("title"), url=a.get("url"), read_at=READ_AT)
            if p is None:
                continue
            given = a["published"][:10]
            same = p.day.isoformat() == given if p.precision == "day" else given[:7] == p.label()
            agree, disagree = agree + same, disagree + (not same)
    assert agree >= 100 and disagree <= 0.02 * (agree + disagree), (agree, disagree)


# ------------------------------------------------------------------------------------ storage


def _doc(article_id: str, text: str, url: str | None = None) -> NewsDocument:
    return NewsDocument(Article(article_id, text, url=url), fetched_at=READ_AT)


def test_undated_articles_are_dated_from_the_page_or_stored_undated(engine: Engine) -> None:
    report = add_articles(
        engine,
        [
            _doc("a", "Harbor Lights renewed\n\nPublished March 3, 2023\n\nThe drama returns."),
            _doc("b", "Copper Valley is cancelled.", url="https://example.com/2011/05/copper/"),
            _doc("c", "Iron Orchard will end with its fifth season."),
        ],
    )
    assert len(report.added) == 3
    notes = " ".join(report.notes)
    assert "2 article(s) without a date were dated from the page itself" in notes
    assert "1 article(s) have no publication date" in notes and "undated" in notes
    with engine.connect() as conn:
        rows = {
            r.uri: r
            for r in conn.execute(
                select(
                    documents.c.uri,
                    documents.c.published,
                    documents.c.published_precision,
                    documents.c.date_source,
                    documents.c.known_at,
                )
            )
        }
        listed = {d.url: d for d in list_documents(conn)}
    a = next(r for r in rows.values() if r.uri.endswith("#a"))
    assert (a.published, a.published_precision, a.date_source) == (
        datetime(2023, 3, 3, tzinfo=UTC),
        "day",
        "text",
    )
    b = rows["https://example.com/2011/05/copper/"]
    assert (b.published.date(), b.published_precision, b.date_source) == (
        date(2011, 5, 1),
        "month",
        "url",
    )
    assert b.known_at.date() == date(2011, 5, 31)
    c = next(r for r in rows.values() if r.uri.endswith("#c"))
    assert c.published is None and c.published_precision is None and c.known_at == READ_AT
    shown = {d.date_label for d in listed.values()}
    assert shown == {"2023-03-03", "2011-05", "undated"}
    undated = next(d for d in listed.values() if d.published is None).to_json()
    assert undated["date"] == "undated" and undated["undated"] is True


def test_a_given_date_is_kept_as_given(engine: Engine) -> None:
    art = Article(
        "d",
        "Harbor Lights renewed\n\nPublished March 3, 2023\n\nThe drama returns.",
        published=datetime(2023, 3, 2, 15, tzinfo=UTC),
    )
    add_articles(engine, [NewsDocument(art, fetched_at=READ_AT)])
    with engine.connect() as conn:
        row = conn.execute(
            select(documents.c.published, documents.c.date_source, documents.c.known_at)
        ).one()
    assert row.published == row.known_at == datetime(2023, 3, 2, 15, tzinfo=UTC)
    assert row.date_source == "given"


def test_an_older_store_gains_the_date_columns(tmp_path: Path) -> None:
    import sqlite3

    from renewcast.store.db import connect, dispose_all

    path = tmp_path / "old.db"
    with sqlite3.connect(path) as old:
        old.execute(
            "CREATE TABLE documents (id INTEGER PRIMARY KEY, kind VARCHAR(16) NOT NULL, "
            "source VARCHAR(64) NOT NULL, uri TEXT NOT NULL, canonical_url TEXT, "
            "sha256 VARCHAR(64) NOT NULL, content_hash VARCHAR(64), title TEXT, publisher TEXT, "
            "published DATETIME, fetched_at DATETIME NOT NULL, known_at DATETIME NOT NULL, "
            "text TEXT, raw TEXT, extraction TEXT, extractor_version VARCHAR(32))"
        )
    engine = connect(f"sqlite:///{path}")
    try:
        add_articles(engine, [_doc("e", "Copper Valley is cancelled.")])
        with engine.connect() as conn:
            assert conn.execute(select(documents.c.published_precision)).scalar() is None
    finally:
        dispose_all()


def _forget_dates(engine: Engine) -> None:
    """What a store made before dates were read from the page holds: every article undated."""
    from sqlalchemy import update

    with engine.begin() as conn:
        conn.execute(
            update(documents).values(
                published=None,
                published_precision=None,
                date_source=None,
                known_at=documents.c.fetched_at,
            )
        )


def test_redate_dates_stored_undated_articles_and_their_claims(engine: Engine) -> None:
    from sqlalchemy import func

    from renewcast.news.ingest import redate_documents
    from renewcast.store.schema import claims, import_log

    add_articles(
        engine,
        [
            _doc("r1", "Copper Valley is cancelled.", url="https://example.com/2021/05/copper/"),
            _doc("r2", "Iron Orchard will end with its fifth season."),
        ],
    )
    _forget_dates(engine)
    with engine.begin() as conn:
        dated_id = conn.execute(
            select(documents.c.id).where(documents.c.uri.like("%2021/05%"))
        ).scalar_one()
        conn.execute(
            claims.insert().values(
                document_id=dated_id,
                series_text="Copper Valley",
                status="cancelled",
                confidence=0.9,
                evidence="Copper Valley is cancelled.",
                known_at=READ_AT,
            )
        )
    report = redate_documents(engine)
    assert report.checked == 2 and report.dated == {dated_id: "2021-05"}
    with engine.connect() as conn:
        claim_known = conn.execute(select(claims.c.known_at)).scalar_one()
        doc = conn.execute(
            select(documents.c.published, documents.c.date_source, documents.c.known_at).where(
                documents.c.id == dated_id
            )
        ).one()
        logs = conn.execute(select(func.count()).select_from(import_log)).scalar_one()
    assert doc.published == datetime(2021, 5, 1, tzinfo=UTC) and doc.date_source == "url"
    assert claim_known == doc.known_at and doc.known_at.date() == date(2021, 5, 31)
    assert logs == 1
    again = redate_documents(engine)
    assert again.checked == 1 and again.dated == {}


def test_cli_lists_undated_articles_as_undated(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from renewcast.cli import app
    from renewcast.store.db import dispose_all

    page = tmp_path / "lantern.txt"
    page.write_text("Lantern Bay is cancelled\n\nThe streamer dropped Lantern Bay.\n", "utf-8")
    db = str(tmp_path / "cli.db")
    runner = CliRunner()
    try:
        res = runner.invoke(app, ["news", "add", str(page), "--no-extract", "--db", db])
        assert res.exit_code == 0, res.output
        assert "undated" in " ".join(res.output.split())
        res = runner.invoke(app, ["news", "list", "--db", db, "--json"])
        (listed,) = json.loads(res.stdout)
        assert listed["published"] is None and listed["date"] == "undated" and listed["undated"]
        res = runner.invoke(app, ["news", "list", "--db", db])
        assert "undated" in res.stdout
        res = runner.invoke(app, ["news", "redate", "--db", db, "--json"])
        assert res.exit_code == 0 and json.loads(res.stdout)["still_undated"] == 1
    finally:
        dispose_all()


# ------------------------------------------------------------------ shown in answers and the web


def test_evidence_from_a_month_dated_page_is_shown_to_the_month(engine: Engine) -> None:
    from renewcast.answer.render_markdown import _human
    from renewcast.status import Evidence, SeasonDates
    from renewcast.status.evidence import news_evidence
    from renewcast.status.summary import cite
    from renewcast.store.identity import normalize_title
    from renewcast.store.schema import claims, inserted_id, series

    add_articles(
        engine,
        [_doc("m", "Copper Valley is cancelled.", url="https://example.com/2011/05/copper/")],
    )
    with engine.begin() as conn:
        sid = inserted_id(
            conn.execute(
                series.insert().values(
                    title="Copper Valley",
                    norm_title=normalize_title("Copper Valley"),
                    first_known_at=datetime(2010, 1, 1, tzinfo=UTC),
                )
            )
        )
        doc = conn.execute(select(documents.c.id, documents.c.known_at)).one()
        conn.execute(
            claims.insert().values(
                document_id=doc.id,
                series_id=sid,
                series_text="Copper Valley",
                season=2,
                status="cancelled",
                confidence=0.9,
                evidence="Copper Valley is cancelled.",
                known_at=doc.known_at,
            )
        )
    with engine.connect() as conn:
        kept, dropped = news_evidence(conn, sid, None, SeasonDates())
    (ev,) = kept + dropped
    assert ev.date_label == "2011-05" and ev.to_json()["published"] == "2011-05"
    assert cite(ev).endswith(" on 2011-05")
    assert _human("2011-05") == "May 2011" and _human("2011-05-31") == "31 May 2011"
    undated = Evidence("cancelled", "X is cancelled.", "blog", None, None, known_at=READ_AT)
    assert undated.date_label is None and undated.to_json()["published"] is None
