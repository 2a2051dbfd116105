"""Reads don't wait for writers: caches are keyed by the data an answer depends on (the series' own
news known by the cutoff, what the model read at the cutoff), and a stale value is served while a
background thread recomputes it. The store holds two invented series; no network.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from renewcast.store.cache import Refresher, VersionedLRU


def test_a_stale_value_is_served_while_it_is_recomputed() -> None:
    refresher = Refresher()
    cache: VersionedLRU[str] = VersionedLRU(8, refresher)
    gate = threading.Event()
    assert cache.get("a", 1, lambda: "one") == "one"
    assert cache.get("a", 1, lambda: "never") == "one" and cache.hits == 1

    def slow() -> str:
        gate.wait(10)
        return "two"

    assert cache.get("a", 2, slow) == "one"  # returned at once, recomputed behind
    assert cache.get("a", 2, slow) == "one" and cache.stale == 2  # queued once only
    gate.set()
    assert refresher.wait_idle(10)
    assert cache.get("a", 2, lambda: "never") == "two"


def test_a_failed_refresh_keeps_the_old_value_and_retries() -> None:
    refresher = Refresher()
    cache: VersionedLRU[int] = VersionedLRU(8, refresher)
    cache.get("k", 1, lambda: 1)

    def boom() -> int:
        raise RuntimeError("store busy")

    assert cache.get("k", 2, boom) == 1
    assert refresher.wait_idle(10) and refresher.errors == 1
    assert cache.get("k", 2, lambda: 2) == 1
    assert refresher.wait_idle(10)
    assert cache.get("k", 2, lambda: 3) == 2


def test_the_refresher_takes_at_most_its_share_of_a_core_while_work_is_queued() -> None:
    """After a job of t seconds it pauses t (share 0.5, at most max_pause) before the next queued
    one, and not at all when nothing is queued. A fake clock: nothing here is timed."""
    now = [0.0]
    pauses: list[float] = []
    refresher = Refresher(share=0.5, max_pause=5.0, clock=lambda: now[0], sleep=pauses.append)
    gate = threading.Event()

    def job(seconds: float, wait: bool = False) -> Any:
        def run() -> None:
            if wait:
                gate.wait(10)
            now[0] += seconds

        return run

    refresher.submit("a", job(2.0, wait=True))
    refresher.submit("b", job(20.0))
    refresher.submit("c", job(1.0))
    gate.set()
    assert refresher.wait_idle(10)
    assert pauses == [2.0, 5.0]  # after a (b queued), after b (c queued, capped); none after c
    refresher.submit("d", job(3.0))
    assert refresher.wait_idle(10) and pauses == [2.0, 5.0]


@pytest.fixture
def two_series(tmp_path: Path, add_series: Any) -> Any:
    from renewcast.store.db import connect, dispose_all

    engine = connect(f"sqlite:///{tmp_path / 's.db'}")
    a = add_series(engine, "Quiet Harbour Nights")
    b = add_series(engine, "The Copper Orchard")
    yield engine, a, b
    dispose_all()


def _article_about(engine: Any, title: str, published: datetime) -> None:
    from renewcast.news.article import Article
    from renewcast.news.ingest import add_articles, extract_documents

    text = (
        f"Netflix cancels {title}\n\nNetflix has cancelled {title} after one season, the "
        f"streamer confirmed on Monday. There will be no second season of {title}."
    )
    art = Article(
        id=f"t-{title}",
        text=text,
        url=f"https://news.example/{title.lower().replace(' ', '-')}",
        published=published,
        title=text.splitlines()[0],
        publisher="Deadline",
    )
    report = add_articles(engine, [art], uri="<test>")
    extract_documents(engine, doc_ids=report.added)


def test_an_article_invalidates_only_the_series_it_names(
    two_series: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from renewcast.web import service as service_mod
    from renewcast.web.service import Service

    monkeypatch.setattr(service_mod, "VERSION_TTL", 0.0)
    engine, a, b = two_series
    svc = Service(engine)
    past = date(2023, 1, 1)
    before_a = svc.answer(a, 2, None)
    before_b = svc.answer(b, 2, None)
    svc.answer(a, 2, past), svc.answer(b, 2, past), svc.profile(a, None)
    assert before_b["status"] == "pending"

    _article_about(engine, "The Copper Orchard", datetime.now(UTC))
    assert svc.series_version(a, None) != svc.series_version(b, None)

    hits = svc.profiles.hits
    svc.profile(a, None)
    assert svc.profiles.hits == hits + 1  # A's own data did not change

    # as of a past day the new article (published today) changes nothing: plain hits
    hits = svc.answers.hits
    assert svc.answer(a, 2, past) and svc.answer(b, 2, past)
    assert svc.answers.hits == hits + 2

    # today: B's answer is served at once (the old one) and recomputed behind the read
    stale = svc.answer(b, 2, None)
    assert stale["status"] == "pending"
    assert svc.refresher.wait_idle(120)
    fresh = svc.answer(b, 2, None)
    assert fresh["status"] == "cancelled"
    assert svc.answer(a, 2, None)["status"] == before_a["status"]


def test_model_for_a_past_cutoff_is_not_refitted_for_a_later_article(two_series: Any) -> None:
    from renewcast.store.cache import data_version
    from renewcast.store.db import as_of_cutoff

    engine, _, _ = two_series
    cutoff = as_of_cutoff(date(2023, 1, 1))
    with engine.connect() as conn:
        before_past, before_now = data_version(conn, cutoff), data_version(conn, None)
    _article_about(engine, "Quiet Harbour Nights", datetime(2024, 5, 6, tzinfo=UTC))
    with engine.connect() as conn:
        assert data_version(conn, cutoff) == before_past
        assert data_version(conn, None) != before_now


def test_a_cached_read_runs_no_query_and_waits_for_no_writer(
    two_series: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Within the version's lifetime a cached series page is served from memory: no statement
    reaches the store, so an open write transaction (a writer mid-import) cannot hold it up."""
    from sqlalchemy import event, text

    from renewcast.web import service as service_mod
    from renewcast.web.service import Service

    monkeypatch.setattr(service_mod, "VERSION_TTL", 3600.0)
    engine, a, _ = two_series
    svc = Service(engine)
    first = svc.series_page(a, None, None)
    statements: list[str] = []

    def count(_c: Any, _cur: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    writer = engine.connect()
    try:
        writer.execute(text("BEGIN IMMEDIATE"))  # holds SQLite's write lock, as an import does
        writer.execute(text("UPDATE series SET title = title WHERE id = :a"), {"a": a})
        statements.clear()
        assert svc.series_page(a, None, None) == first
        assert svc.answer(a, None, None) == first["answer"]
        assert statements == []
    finally:
        writer.rollback()
        writer.close()
        event.remove(engine, "before_cursor_execute", count)


def test_serve_shortens_the_gil_switch_interval(monkeypatch: pytest.MonkeyPatch) -> None:
    """While the refresher computes, each of a request's GIL hand-offs waits at most 1 ms."""
    import sys

    import uvicorn

    from renewcast.web import app as app_mod

    seen: list[float] = []
    monkeypatch.setattr(app_mod, "create_app", lambda db, warm=False: object())
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: seen.append(sys.getswitchinterval()))
    before = sys.getswitchinterval()
    try:
        app_mod.serve("sqlite:///unused.db")
    finally:
        sys.setswitchinterval(before)
    assert seen == [app_mod.SWITCH_INTERVAL] and app_mod.SWITCH_INTERVAL == 0.001


def test_an_unknown_series_id_is_not_remembered(two_series: Any, add_series: Any) -> None:
    """A miss is asked again: a series can appear without a file import (`track`)."""
    from renewcast.web.service import NotFound, Service

    engine, a, b = two_series
    svc = Service(engine)
    assert svc.title(a) == "Quiet Harbour Nights"
    missing = max(a, b) + 1
    with pytest.raises(NotFound, match=f"no series with id {missing}"):
        svc.title(missing)
    assert add_series(engine, "Nine Quiet Rooms") == missing
    assert svc.title(missing) == "Nine Quiet Rooms"
