"""Uncached answers read what is shared between answers once per data version: the same bytes as a
full computation, for many series and as-of dates, and nothing after the as-of date."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

AS_OF = [date(2021, 3, 2), date(2022, 9, 1), date(2023, 11, 14), date(2024, 6, 30), None]


def _clear() -> None:
    from renewcast.store import freshness

    freshness._CACHE.clear()


def _sample(conn, n: int = 40) -> list[int]:  # type: ignore[no-untyped-def]
    """Series with news claims first (status, cast and storylines from articles), then others."""
    from sqlalchemy import func, select

    from renewcast.store.schema import chart_entries, claims

    news = [
        int(r[0])
        for r in conn.execute(
            select(claims.c.series_id)
            .where(claims.c.series_id.is_not(None))
            .group_by(claims.c.series_id)
            .order_by(func.count().desc())
            .limit(n)
        )
    ]
    charted = [
        int(r[0])
        for r in conn.execute(
            select(chart_entries.c.series_id)
            .where(chart_entries.c.series_id.is_not(None))
            .distinct()
            .order_by(chart_entries.c.series_id)
            .limit(n)
        )
    ]
    return list(dict.fromkeys(news + charted))


def test_fast_answers_are_the_full_computation_byte_for_byte(news_db: str) -> None:
    from renewcast.answer.compose import compose
    from renewcast.store.db import connect
    from renewcast.store.freshness import LABELS

    engine = connect(news_db)
    with engine.connect() as conn:
        ids = _sample(conn)
        assert len(ids) >= 60
        compared = 0
        for as_of in AS_OF:
            fast = {}
            _clear()
            for sid in ids:  # one warm cache for every series of the date
                fast[sid] = json.dumps(
                    compose(conn, sid, as_of=as_of, with_forecast=False).to_json()
                )
            for sid in ids:
                _clear()  # the full computation: nothing read before
                full = json.dumps(compose(conn, sid, as_of=as_of, with_forecast=False).to_json())
                assert fast[sid] == full, (sid, as_of)
                compared += 1
                data = json.loads(full)
                # the sources in one order in every process (a set's order is not)
                order = [d["source"] for d in data["data_as_of"]]
                assert order == [n for n in LABELS if n in order], (sid, order)
                if as_of is not None:  # nothing after the as-of date
                    dated = [d["data_date"] for d in data["data_as_of"]]
                    dated += [s["published"] for s in data["sources"] if s["published"]]
                    assert all(d[:10] <= as_of.isoformat() for d in dated), (sid, as_of)
    assert compared == len(AS_OF) * len(ids)


def test_cached_freshness_is_freshness_and_follows_every_write(news_db_copy: str) -> None:
    from sqlalchemy import insert, update

    from renewcast.store.db import connect
    from renewcast.store.freshness import LABELS, cached_freshness, freshness, record_check
    from renewcast.store.schema import documents

    engine = connect(news_db_copy)
    _clear()
    names = list(LABELS)
    with engine.connect() as conn:
        for as_of in AS_OF:
            for sources in (names, ["news", "wikipedia"], ["netflix-top10"]):
                assert cached_freshness(conn, sources, as_of=as_of) == freshness(
                    conn, sources, as_of=as_of
                )
        before = cached_freshness(conn, names)
    # a failed update changes no data, but shows at once
    now = datetime.now(UTC)
    record_check(engine, "wikipedia", started_at=now, finished_at=now, status="failed", message="x")
    with engine.connect() as conn:
        after = cached_freshness(conn, names)
        assert after == freshness(conn, names) and after != before
        assert next(f for f in after if f.source == "wikipedia").last_error == "x"
    # an article re-dated in place moves no log: the news date is read every time
    with engine.begin() as conn:
        doc = conn.execute(
            insert(documents).values(
                kind="article",
                source="news",
                uri="file:///invented/a-later-article.txt",
                sha256="f" * 64,
                title="An invented headline",
                published=datetime(2030, 1, 2, tzinfo=UTC),
                fetched_at=datetime(2030, 1, 2, tzinfo=UTC),
                known_at=datetime(2030, 1, 2, tzinfo=UTC),
                text="An invented sentence.",
            )
        ).inserted_primary_key[0]
    with engine.connect() as conn:
        got = cached_freshness(conn, ["news"])
        assert got == freshness(conn, ["news"]) and got[0].data_date == date(2030, 1, 2)
        # as of an earlier date the later article does not count
        early = date(2024, 6, 30)
        assert cached_freshness(conn, ["news"], as_of=early) == freshness(
            conn, ["news"], as_of=early
        )
        assert cached_freshness(conn, ["news"], as_of=early)[0].data_date <= early
    with engine.begin() as conn:
        conn.execute(
            update(documents)
            .where(documents.c.id == doc)
            .values(published=datetime(2031, 5, 6, tzinfo=UTC))
        )
    with engine.connect() as conn:
        assert cached_freshness(conn, ["news"])[0].data_date == date(2031, 5, 6)


def test_series_articles_are_what_one_statement_reads(news_db: str) -> None:
    """The articles of an answer, read as ids then rows, are the rows of the plain statement:
    linked by the extraction or named in the headline, known by the cutoff, oldest first."""
    from sqlalchemy import or_, select, union

    from renewcast.answer.articles import _like_escape, series_articles
    from renewcast.store.db import as_of_cutoff, connect
    from renewcast.store.schema import cast_mentions, claims, documents, quotes, series

    engine = connect(news_db)
    with engine.connect() as conn:
        ids = _sample(conn)
        titles = dict(conn.execute(select(series.c.id, series.c.title)).all())
        seen = 0
        for as_of in AS_OF:
            cutoff = as_of_cutoff(as_of)
            for sid in ids:
                title = titles[sid]
                linked = union(
                    select(claims.c.document_id).where(claims.c.series_id == sid),
                    select(quotes.c.document_id).where(quotes.c.series_id == sid),
                    select(cast_mentions.c.document_id).where(cast_mentions.c.series_id == sid),
                ).subquery()
                about = [documents.c.id.in_(select(linked.c[0]))]
                if len(title) >= 4:
                    about.append(documents.c.title.ilike(f"%{_like_escape(title)}%", escape="\\"))
                q = select(documents.c.id, documents.c.known_at, documents.c.text).where(
                    documents.c.kind == "article", documents.c.text.is_not(None), or_(*about)
                )
                if cutoff is not None:
                    q = q.where(documents.c.known_at <= cutoff)
                want = [
                    tuple(r) for r in conn.execute(q.order_by(documents.c.known_at, documents.c.id))
                ]
                got = [
                    (a.document_id, a.published, a.text)
                    for a in series_articles(conn, sid, title, cutoff)
                ]
                assert got == want, (sid, as_of)
                seen += len(got)
    assert seen > 100  # the sample has articles to compare


def test_an_older_store_gets_the_new_indexes(synced_db: str, tmp_path: Path) -> None:
    """Opening a store made before an index was added creates it (create_all does not)."""
    from sqlalchemy import create_engine, inspect, text

    from renewcast.store.db import init_schema
    from tests.conftest import copy_sqlite

    url = copy_sqlite(synced_db, tmp_path / "older.db")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP INDEX IF EXISTS ix_documents_kind_published"))
    names = {i["name"] for i in inspect(engine).get_indexes("documents")}
    assert "ix_documents_kind_published" not in names
    init_schema(engine)
    names = {i["name"] for i in inspect(engine).get_indexes("documents")}
    assert "ix_documents_kind_published" in names
    engine.dispose()


def test_facts_are_read_once_per_answer(news_db: str) -> None:
    """Inside one answer a series' facts are read once: a later read of some of the attributes
    gets the rows a query of its own would, in the same order, without a statement."""
    from sqlalchemy import event

    from renewcast.store.catalog import fact_rows, facts_read_once
    from renewcast.store.db import as_of_cutoff, connect

    engine = connect(news_db)
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    wide = ("premiere", "status_text", "renewed", "seasons", "finale")
    with engine.connect() as conn:
        ids = _sample(conn, 15)
        for as_of in (date(2022, 9, 1), None):
            cutoff = as_of_cutoff(as_of)
            for sid in ids:
                alone = {a: fact_rows(conn, sid, cutoff, a) for a in (("premiere",), wide, None)}
                event.listen(engine, "before_cursor_execute", count)
                try:
                    with facts_read_once():
                        first = fact_rows(conn, sid, cutoff, wide)
                        premiere = fact_rows(conn, sid, cutoff, ("premiere",))
                        assert len(statements) == 1  # the second read took the first's rows
                        everything = fact_rows(conn, sid, cutoff)  # more than was read: a query
                        assert len(statements) == 2
                finally:
                    event.remove(engine, "before_cursor_execute", count)
                statements.clear()
                assert first == alone[wide] and premiere == alone[("premiere",)]
                assert everything == alone[None]


def test_a_title_is_read_once_per_answer_and_articles_split_once(news_db: str) -> None:
    """Inside one answer the series' title is one statement (the status and the forecast both
    need it) and each article's text is split into sentences once (the cast outlook reads them
    once per cast member, the storylines once more); the sentences are the split's."""
    from sqlalchemy import event

    from renewcast.answer import articles
    from renewcast.answer.compose import compose
    from renewcast.store.catalog import series_title
    from renewcast.store.db import connect

    engine = connect(news_db)
    titles: list[str] = []

    def count(*args: object) -> None:
        # the title of this series (the other series of its title are read once, apart)
        if " ".join(str(args[2]).split()).startswith("SELECT series.title FROM series WHERE"):
            titles.append(str(args[2]))

    split = articles.split_sentences
    splits: list[str] = []

    def counting_split(text: str) -> list[str]:
        splits.append(text)
        return split(text)

    with engine.connect() as conn:
        ids = _sample(conn, 20)
        with_articles = 0
        for as_of in (date(2022, 9, 1), None):
            for sid in ids:
                event.listen(engine, "before_cursor_execute", count)
                articles.split_sentences = counting_split  # type: ignore[assignment]
                try:
                    ans = compose(conn, sid, as_of=as_of)
                finally:
                    articles.split_sentences = split  # type: ignore[assignment]
                    event.remove(engine, "before_cursor_execute", count)
                assert len(titles) <= 1, titles
                assert ans.series == series_title(conn, sid)
                assert len(splits) == len(set(splits)) <= len(ans.articles)
                for art in ans.articles:
                    assert art.sentences() == split(art.text)
                with_articles += bool(splits)
                titles.clear()
                splits.clear()
        assert with_articles >= 5  # the sample has series with news whose articles were split


def test_show_titles_are_parsed_once_per_stored_text(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The forecasts' show titles (one JSON text in ``meta``) are parsed again only when the
    text changed: a refresh that rewrites them is seen at the next read."""
    import json as real_json
    from types import SimpleNamespace

    from renewcast.store import forecasts
    from renewcast.store.db import connect

    engine = connect(f"sqlite:///{tmp_path / 'store.db'}")
    parsed: list[str] = []

    def loads(text: str) -> object:
        parsed.append(text)
        return real_json.loads(text)

    monkeypatch.setattr(forecasts, "json", SimpleNamespace(loads=loads, dumps=real_json.dumps))
    with engine.begin() as conn:
        assert forecasts.show_title(conn, "wednesday") is None  # nothing stored yet
        forecasts.save_shows(conn, {"wednesday": "Wednesday", "dark": "Dark"})
    with engine.connect() as conn:
        assert forecasts.show_title(conn, "wednesday") == "Wednesday"
        assert forecasts.show_title(conn, "dark") == "Dark"
        assert forecasts.show_title(conn, "lupin") is None
    assert len(parsed) == 1
    with engine.begin() as conn:
        forecasts.save_shows(conn, {"wednesday": "Wednesday: Season 2"})
    with engine.connect() as conn:
        assert forecasts.show_title(conn, "wednesday") == "Wednesday: Season 2"
        assert forecasts.show_title(conn, "dark") is None
    assert len(parsed) == 2
    engine.dispose()


def test_headline_reads_as_english() -> None:
    from renewcast.answer.render_markdown import headline

    assert headline("Partner Track", 2) == "Will there be a Partner Track season 2?"
    assert (
        headline("Orange Is the New Black", 8)
        == "Will there be an Orange Is the New Black season 8?"
    )
    assert headline("One Piece", 3) == "Will there be a One Piece season 3?"
    assert headline("The Crown", 7) == "Will there be a season 7 of The Crown?"


def test_an_answer_reads_the_series_facts_in_two_statements(news_db: str) -> None:
    """The season dates take the premieres from the read the catalog evidence needs next, so an
    answer reads a series' facts in two statements (those facts, and Wikipedia's season counts),
    also when the status is computed on its own (the lists). A series with undated articles
    also reads, in one statement, the premieres of the seasons those articles report as ordered
    (which place the articles in time)."""
    from sqlalchemy import event

    from renewcast.answer.compose import compose
    from renewcast.status import resolve_status
    from renewcast.store.db import connect

    engine = connect(news_db)
    reads: list[str] = []

    others: list[str] = []

    def count(*args: object) -> None:
        # the forecast's view of the whole store (read once per as-of date and kept, so only
        # when no earlier test warmed it) is not a read of this series' facts
        sql = " ".join(str(args[2]).split())
        if " FROM facts" in sql and "facts.series_id" in sql.partition(" WHERE ")[2]:
            (others if "facts.series_id IN" in sql else reads).append(sql)

    with engine.connect() as conn:
        for as_of in (date(2022, 9, 1), None):
            for sid in _sample(conn, 10):
                event.listen(engine, "before_cursor_execute", count)
                try:
                    compose(conn, sid, as_of=as_of)
                    in_answer = len(reads)
                    resolve_status(conn, sid, as_of=as_of, background=False)
                finally:
                    event.remove(engine, "before_cursor_execute", count)
                assert in_answer == 2, reads
                assert len(reads) == 4, reads[2:]
                assert len(others) <= 2, others  # once in the answer, once for the status
                reads.clear()
                others.clear()


def test_article_sentences_keep_quotes_initials_and_drop_links() -> None:
    from renewcast.answer.articles import split_sentences

    text = (
        'The showrunner said: "We will see." Then the cast went home.\n'
        "RELATED: Another invented story about a different show\n"
        "It was created by J.R. Vance and Dr. Ola Minns for the streamer."
    )
    assert split_sentences(text) == [
        'The showrunner said: "We will see."',
        "Then the cast went home.",
        "It was created by J.R. Vance and Dr. Ola Minns for the streamer.",
    ]


def _fresh(source: str, day: date | None):  # type: ignore[no-untyped-def]
    from renewcast.store.freshness import SourceFreshness

    return SourceFreshness(source, source, day, "to", None, None, None, None, None)


def test_odds_say_when_the_data_stopped_well_before_the_weekly_update() -> None:
    from renewcast.answer.compose import with_data_gap
    from renewcast.store.freshness import STALE_DAYS
    from renewcast.web.timeline import odds_figure

    fc = {"cutoff": "2026-12-01", "p_renewal": 0.5, "explanation": ["a reason"]}
    fresh = [_fresh("netflix-top10", date(2026, 7, 19)), _fresh("news", date(2026, 2, 19))]
    got = with_data_gap(fc, fresh)
    assert got["data_gap"] == {"newest": "2026-07-19", "days": 135}
    assert got["explanation"][0].startswith("nothing newer than 2026-07-19 has been imported")
    assert "news to 2026-02-19" in got["explanation"][0] and got["explanation"][1:] == ["a reason"]
    assert fc["explanation"] == ["a reason"]  # the stored forecast is not changed
    from renewcast.store.freshness import data_gap

    gap = data_gap(date(2026, 12, 1), fresh)
    assert gap is not None and gap.sentence() == "N" + got["explanation"][0][1:] + "."
    # data still arriving: the Top 10 of the week before, or news within the last two weeks
    fresh_top10 = [_fresh("netflix-top10", date(2026, 11, 29)), _fresh("news", date(2026, 2, 19))]
    assert with_data_gap(fc, fresh_top10) is fc
    recent = date(2026, 12, 1).toordinal() - STALE_DAYS
    fresh_news = [
        _fresh("netflix-top10", date(2026, 7, 19)),
        _fresh("news", date.fromordinal(recent)),
    ]
    assert with_data_gap(fc, fresh_news) is fc
    assert with_data_gap({"p_renewal": 0.5}, fresh) == {"p_renewal": 0.5}
    # the series page's odds chart shades the weekly updates after the newest data
    history = [{"cutoff": c, "p_renewal": 0.5} for c in ("2026-07-14", "2026-07-21", "2026-12-01")]
    fig = odds_figure(history, got["data_gap"])
    assert fig is not None
    shape = fig["layout"]["shapes"][0]
    assert (shape["x0"], shape["x1"]) == ("2026-07-19", "2026-12-01")
    assert "2026-07-19" in fig["layout"]["annotations"][0]["text"]
    plain = odds_figure(history)
    assert plain is not None and plain["layout"]["shapes"] == []
