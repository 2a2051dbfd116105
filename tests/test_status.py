"""Status resolution on the real catalog (no news); the decider alone is in test_status_decide."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from renewcast.status import resolve_status
from renewcast.store.catalog import resolve_one


def _at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


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
    # a drama the ended list ends after one season, and no report says which kind of end: the
    # list's likelier one, with the list's own words that it does not say why
    r = _status(synced_engine, "Partner Track")
    assert r.status == "cancelled"
    assert r.deciding is not None and r.deciding.published.date() == date(2023, 11, 6)
    assert "ended Netflix series" in r.summary and "does not say why" in r.summary
    # after three seasons the list still cannot tell a cancellation from a planned ending
    dark = _status(synced_engine, "Dark")
    assert dark.status == "ended" and "cancelled or concluded" in dark.summary


def test_a_relabelled_limited_series_is_limited_not_just_ended(synced_engine) -> None:  # type: ignore[no-untyped-def]
    r = _status(synced_engine, "Stay Close")
    assert r.status == "limited"
    assert r.deciding is not None and "Limited Series" in r.deciding.claim


def test_a_season_in_the_charts_proves_it_was_made(synced_engine) -> None:  # type: ignore[no-untyped-def]
    r = _status(synced_engine, "Bridgerton", date(2024, 12, 31), season=3)
    assert r.status == "renewed"
    assert r.deciding is not None and r.deciding.kind == "catalog"


def test_a_show_netflix_charts_without_a_season_label_has_had_its_first_season(
    synced_engine,  # type: ignore[no-untyped-def]
) -> None:
    # KAOS is in the Top 10 and the engagement reports under its name alone (season "N/A")
    before = _status(synced_engine, "KAOS", date(2024, 8, 1))
    assert before.season == 1 and before.latest_season == 0
    r = _status(synced_engine, "KAOS", date(2024, 9, 10))
    assert (r.season, r.latest_season, r.status) == (2, 1, "pending")
    first = _status(synced_engine, "KAOS", date(2024, 9, 10), season=1)
    assert first.verdict.question.kind == "released"


def test_netflix_own_rows_date_each_season_out_by_what_the_cutoff_knows(
    synced_engine,  # type: ignore[no-untyped-def]
) -> None:
    # the Monday of a season's first Top 10 week (a week is named by its Sunday), or an
    # engagement report's release date, whichever is earlier — from rows known by the cutoff
    pt = _status(synced_engine, "Partner Track", date(2022, 9, 1))
    assert pt.dates.out_by == {1: date(2022, 8, 22)}
    before = _status(synced_engine, "Bridgerton", date(2024, 5, 1))
    assert set(before.dates.out_by) == {1, 2}
    later = _status(synced_engine, "Bridgerton", date(2024, 12, 31))
    assert later.dates.out_by[3] == date(2024, 5, 13)
    assert later.dates.out_by[2] == before.dates.out_by[2]


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
    assert data["status"] in ("cancelled", "ended", "limited")
    assert data["deciding"]["published"] and data["deciding"]["source"]


def test_a_season_no_source_orders_is_never_renewed(synced_engine) -> None:  # type: ignore[no-untyped-def]
    r = _status(synced_engine, "Wednesday", season=9)
    assert r.status == "pending" and "more than one season beyond" in r.summary
    r1 = _status(synced_engine, "Wednesday", season=1)
    assert r1.status == "renewed" and "Season 1 of Wednesday premiered on" in r1.summary
    r0 = _status(synced_engine, "Wednesday", season=0)
    assert r0.season == 1 and r0.summary.startswith("There is no season 0.")


def test_a_status_text_about_season_2_is_not_a_renewal_of_season_3(synced_engine) -> None:  # type: ignore[no-untyped-def]
    r = _status(synced_engine, "Wednesday", season=3)
    for e in r.evidence:
        if e.status == "renewed" and "Season 2" in e.claim:
            raise AssertionError(f"season 2's status text decides season 3: {e.claim}")


def test_an_unlabelled_netflix_row_counts_only_when_no_season_is_numbered() -> None:
    from renewcast.status.seasons import SeasonDates

    d = SeasonDates(unnumbered=_at("2024-03-05"))
    assert d.latest_released(date(2024, 3, 1)) == 0
    assert d.latest_released(date(2024, 3, 5)) == 1
    assert d.first_out(1, date(2024, 4, 1)) == date(2024, 3, 5)
    d.note_count("justwatch/titles.csv", 3, _at("2023-03-31"))  # a listed count says more
    assert d.latest_released(date(2024, 4, 1)) == 3
    numbered = SeasonDates(unnumbered=_at("2024-03-05"), charted={2: _at("2024-06-04")})
    assert numbered.latest_released(date(2024, 4, 1)) == 1  # the unlabelled row was season 1
    assert numbered.latest_released(date(2024, 7, 1)) == 2
