"""Forecast labels, web lists, Atom feeds and watch alerts all say what the status decider says,
on every season of the embedded data (catalog and news)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import create_engine

from renewcast.forecast.labels import LIMITED, NOT_RENEWED, OPEN, RENEWED
from renewcast.status import resolve_status

# the forecast's words for the decider's statuses
FORECAST_WORD = {
    "renewed": RENEWED,
    "cancelled": NOT_RENEWED,
    "ended": NOT_RENEWED,
    "limited": LIMITED,
    "pending": OPEN,
}


@pytest.fixture(scope="module")
def store(news_db: str) -> Iterator[Any]:
    engine = create_engine(news_db)
    with engine.connect() as conn:
        yield conn
    engine.dispose()


@pytest.fixture(scope="module")
def outcomes(store: Any) -> list[Any]:
    from renewcast.forecast.data import load_view
    from renewcast.forecast.labels import label_units

    return label_units(load_view(store))


def test_forecast_labels_agree_with_the_decider_on_every_season(
    store: Any, outcomes: list[Any]
) -> None:
    assert len(outcomes) > 500
    wrong = []
    for o in outcomes:
        if o.rule == "presumed-no-next-season":  # the forecast's censoring, not a decision
            assert resolve_status(store, o.unit.series_id, o.unit.season + 1).status == "pending"
            continue
        r = resolve_status(store, o.unit.series_id, o.unit.season + 1, background=False)
        if FORECAST_WORD[r.status] != o.status:
            wrong.append((r.title, o.unit.season + 1, r.status, o.status, o.rule))
    assert not wrong, wrong[:10]


def test_lists_and_feeds_agree_with_the_decider(store: Any, outcomes: list[Any]) -> None:
    from renewcast.web.feeds import atom_feed
    from renewcast.web.lists import Filters, latest_decisions, series_decisions

    seen = sorted({o.unit.series_id for o in outcomes})
    for sid in seen:
        for r in series_decisions(store, sid, None, include_undated=True):
            again = resolve_status(store, sid, r.season, background=False)
            assert (r.status, r.decided_at) == (again.status, again.decided_at), r.title
    listed = latest_decisions(store, None, Filters(), limit=50)
    assert listed.decisions and all(d.decided_at is not None for d in listed.decisions)
    days = [d.decided_at for d in listed.decisions]
    assert days == sorted(days, reverse=True)  # by the decision's real date
    for d in listed.decisions:
        r = resolve_status(store, d.series_id, d.season, background=False)
        assert (d.status, d.decided_at) == (r.status, r.decided_at)
    with_undated = latest_decisions(store, None, Filters(), limit=400, include_undated=True)
    feed = atom_feed(
        title="t",
        feed_id="changes",
        self_url="http://x/feed",
        site_url="http://x/",
        decisions=with_undated.decisions,
        series_url="http://x/{id}/{season}",
    ).decode()
    dated = [d for d in with_undated.decisions if d.decided_at is not None]
    assert feed.count("<entry>") == len(dated)  # undated decisions are no feed entries


def test_watch_alerts_agree_with_the_decider(
    store: Any, outcomes: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from renewcast import alerts
    from renewcast.answer import compose

    monkeypatch.setattr(compose, "forecast_function", lambda: None)  # the status, not the odds
    for o in outcomes[::25]:
        s = alerts.evaluate(store, o.unit.series_id, o.unit.season + 1, None)
        r = resolve_status(store, o.unit.series_id, o.unit.season + 1)
        assert (s.status, s.decided_at) == (r.status, r.decided_at)


def test_lists_of_cancellations_and_endings_are_every_such_decision_newest_first(
    store: Any,
) -> None:
    """A list filtered to cancellations or endings scans only series some statement could end,
    bounded by the latest such statement; it is the newest decisions of that status among every
    series with news or a list status, complete (before, 400 series were scanned and no
    cancellation was found)."""
    from sqlalchemy import select, union

    from renewcast.store.schema import claims, facts
    from renewcast.web.lists import Filters, latest_decisions, series_decisions

    anyone = union(
        select(claims.c.series_id).where(claims.c.series_id.is_not(None)),
        select(facts.c.series_id).where(facts.c.attribute.in_(("status", "final"))),
    )
    every = [r for (sid,) in store.execute(anyone) for r in series_decisions(store, sid, None)]
    for status in ("cancelled", "ended"):
        listed = latest_decisions(store, None, Filters(status=status), limit=15)
        assert listed.complete and len(listed.decisions) == 15
        newest = sorted(
            (r.decided_at for r in every if r.status == status and r.decided_at is not None),
            reverse=True,
        )[:15]
        assert [d.decided_at for d in listed.decisions] == newest, status
