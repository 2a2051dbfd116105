"""Status resolution: the one-paragraph rules on their own, and on the real catalog (no news)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from renewcast.status import (
    AUTHORITATIVE,
    NEWS,
    SPECULATION,
    Evidence,
    SeasonDates,
    decide,
    map_claim,
    resolve_status,
)
from renewcast.store.catalog import resolve_one


def _at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


def _ev(status: str, day: str, cls: str = NEWS, source: str = "x") -> Evidence:
    return Evidence(status=status, claim=f"{status} on {day}", source=source, url=None,
                    published=_at(day), cls=cls)  # fmt: skip


DATES = SeasonDates(premieres={1: date(2022, 1, 1), 2: date(2023, 6, 1)})


def test_a_statement_about_another_season_does_not_count() -> None:
    assert map_claim("renewed", 2, False, 3, _at("2023-07-01"), DATES)[0] is None
    assert map_claim("cancelled", 4, False, 3, _at("2023-07-01"), DATES)[0] is None
    # a renewal for a later season implies this one; "final season 2" means no season 3
    assert map_claim("renewed", 4, False, 3, _at("2023-07-01"), DATES)[0] == "renewed"
    assert map_claim("ended", 2, True, 3, _at("2023-07-01"), DATES)[0] == "ended"
    # "season 3 will be the last": season 3 is coming
    assert map_claim("ended", 3, True, 3, _at("2023-07-01"), DATES)[0] == "renewed"


def test_a_claim_naming_no_season_counts_only_between_the_premieres() -> None:
    before = map_claim("renewed", None, False, 3, _at("2023-01-01"), DATES)
    assert before[0] is None and "before season 2 premiered" in before[1]
    assert map_claim("renewed", None, False, 3, _at("2023-07-01"), DATES)[0] == "renewed"
    after = map_claim("cancelled", None, False, 2, _at("2023-07-01"), DATES)
    assert after[0] is None and "after season 2 premiered" in after[1]


def test_a_later_decision_beats_an_earlier_one() -> None:
    renewed, cancelled = _ev("renewed", "2023-01-01"), _ev("cancelled", "2023-03-01")
    deciding, disagree, superseded = decide([renewed, cancelled])
    assert deciding is cancelled and superseded == [renewed] and not disagree


def test_authoritative_sources_beat_other_news_and_disagreement_is_shown() -> None:
    trade = _ev("renewed", "2023-01-01", AUTHORITATIVE)
    fan = _ev("cancelled", "2023-02-01", NEWS)
    deciding, disagree, _ = decide([trade, fan])
    assert deciding is trade and disagree == [fan]


def test_speculation_never_decides() -> None:
    hedge = _ev("pending", "2023-05-01", SPECULATION)
    assert decide([hedge])[0] is None


def test_same_day_reports_go_with_the_majority() -> None:
    a = _ev("cancelled", "2023-01-01", NEWS)
    b = _ev("cancelled", "2023-01-01", NEWS)
    c = _ev("renewed", "2023-01-01", NEWS)
    c.confidence = 0.99
    assert decide([a, b, c])[0] in (a, b)


# ------------------------------------------------------------------ the real catalog, no news


def _status(synced_engine, title: str, as_of: date | None = None, season: int | None = None):  # type: ignore[no-untyped-def]
    with synced_engine.connect() as conn:
        sid = resolve_one(conn, title).series_id
        return resolve_status(conn, sid, season, as_of=as_of)


def test_partner_track_as_of_the_seed_is_pending_with_its_premiere_and_top10_run(
    synced_engine,  # type: ignore[no-untyped-def]
) -> None:
    r = _status(synced_engine, "Partner Track", date(2022, 9, 1))
    assert (r.season, r.status) == (2, "pending")
    claims = " ".join(e.claim for e in r.evidence)
    assert "premiered on 2022-08-26" in claims
    assert "'Partner Track: Season 1', not as a Limited Series" in claims
    assert "#7" in claims and "1 week" in claims
    cutoff = _at("2022-09-02")
    assert all(e.published < cutoff for e in r.evidence)


def test_partner_track_today_did_not_continue_per_the_ended_list(synced_engine) -> None:  # type: ignore[no-untyped-def]
    r = _status(synced_engine, "Partner Track")
    assert r.status == "ended"
    assert r.deciding is not None and r.deciding.published.date() == date(2023, 11, 6)
    assert "ended Netflix series" in r.summary and "cancelled or concluded" in r.summary


def test_a_relabelled_limited_series_is_limited_not_just_ended(synced_engine) -> None:  # type: ignore[no-untyped-def]
    r = _status(synced_engine, "Stay Close")
    assert r.status == "limited"
    assert r.deciding is not None and "Limited Series" in r.deciding.claim


def test_a_season_in_the_charts_proves_it_was_made(synced_engine) -> None:  # type: ignore[no-untyped-def]
    r = _status(synced_engine, "Bridgerton", date(2024, 12, 31), season=3)
    assert r.status == "renewed"
    assert r.deciding is not None and r.deciding.kind == "catalog"


def test_wikipedia_final_season_gives_renewed_and_final(synced_engine) -> None:  # type: ignore[no-untyped-def]
    # as of mid-2025 (after the 2025-03-24 snapshot, before season 5 charted as "Stranger Things 5")
    r = _status(synced_engine, "Stranger Things", date(2025, 6, 1))
    assert (r.season, r.status) == (5, "renewed")
    assert "fifth and final season" in r.summary
    # today season 5 has been released and was the final one: no season 6
    r = _status(synced_engine, "Stranger Things")
    assert (r.season, r.status) == (6, "ended")


def test_a_status_snapshot_from_before_the_last_premiere_is_not_used(synced_engine) -> None:  # type: ignore[no-untyped-def]
    # Wikipedia (2025-03-24) said season 3 was due; after it premiered, season 4 is undecided
    r = _status(synced_engine, "Jurassic World: Chaos Theory")
    assert (r.season, r.status) == (4, "pending")


def test_nothing_known_later_leaks(synced_engine) -> None:  # type: ignore[no-untyped-def]
    r = _status(synced_engine, "Stay Close", date(2021, 12, 31))
    assert r.status == "pending"
    assert all(e.published <= _at("2022-01-01") for e in r.evidence)


@pytest.mark.parametrize("title", ["Partner Track", "Stay Close", "Squid Game"])
def test_status_json_has_the_deciding_evidence(synced_engine, title: str) -> None:  # type: ignore[no-untyped-def]
    data = _status(synced_engine, title).to_json()
    assert data["status"] in ("ended", "limited")
    assert data["deciding"]["published"] and data["deciding"]["source"]
