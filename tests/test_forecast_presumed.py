"""A season only presumed over (no sign of another two years after its premiere) is not 0%."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from renewcast.forecast.api import MIN_LATE, Forecast, _fill_decided
from renewcast.forecast.data import ChartRow
from renewcast.forecast.labels import (
    LIMITED,
    NOT_RENEWED,
    OPEN,
    RENEWED,
    Outcome,
    Unit,
    late_returns,
)


def _unit(n: int, premiere: date) -> Unit:
    first = datetime(premiere.year, premiere.month, premiere.day, tzinfo=UTC)
    return Unit(n, f"invented show {n}", 1, premiere, first, premiere, True)


def _at(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, tzinfo=UTC)


def test_late_returns_counts_what_the_cutoff_knows() -> None:
    cutoff = _at(2025, 6, 1)
    outcomes = [
        # two years passed with nothing: presumed over
        Outcome(
            _unit(1, date(2022, 1, 10)), NOT_RENEWED, _at(2024, 1, 10), "presumed-no-next-season"
        ),
        # renewed after the two years: the presumption was wrong
        Outcome(_unit(2, date(2021, 3, 1)), RENEWED, _at(2023, 9, 1), "next-season-top10"),
        # ended after the two years: counted, not renewed
        Outcome(_unit(3, date(2021, 3, 1)), NOT_RENEWED, _at(2023, 6, 1), "ended-status"),
        # decided within the two years, limited, or not two years old: not counted
        Outcome(_unit(4, date(2022, 1, 10)), RENEWED, _at(2022, 6, 1), "next-season-news"),
        Outcome(_unit(5, date(2021, 1, 10)), LIMITED, _at(2023, 6, 1), "limited"),
        Outcome(_unit(6, date(2024, 1, 10)), OPEN),
    ]
    assert late_returns(outcomes, cutoff) == (3, 1)


def _forecast(late: dict[str, int]) -> Forecast:
    fc = Forecast("Invented Show", 1, 4, date(2026, 1, 5), "unknown", None)
    fc.model_info = {"late_returns": late}
    return fc


def test_presumed_season_gets_the_later_renewal_share_in_plain_words() -> None:
    fc = _forecast({"seasons": 40, "renewed": 4})
    _fill_decided(fc, NOT_RENEWED, date(2025, 9, 1), "presumed-no-next-season", 3, "Invented Show")
    assert fc.p_renewal == 0.1
    assert "of the 40 seasons that had gone that long without news, 4 were renewed later" in (
        fc.reason or ""
    )
    assert "presumed" not in " ".join(fc.explanation)  # no rule names in the words
    # too few such seasons yet: the label's 0, as before
    few = _forecast({"seasons": MIN_LATE - 1, "renewed": 5})
    _fill_decided(few, NOT_RENEWED, date(2025, 9, 1), "presumed-no-next-season", 3, "Invented Show")
    assert few.p_renewal == 0.0
    # a season decided by the sources stays certain
    ended = _forecast({"seasons": 40, "renewed": 4})
    _fill_decided(ended, NOT_RENEWED, date(2025, 9, 1), "ended-status", 3, "Invented Show")
    assert ended.p_renewal == 0.0


def _chart(sid: int, key: str, season: int, week: date) -> ChartRow:
    at = datetime(week.year, week.month, week.day, tzinfo=UTC) + timedelta(days=2)
    return ChartRow(
        sid, key, key.title(), season, False, "global", True, week, 3, None, None, None, at
    )


def test_a_catalogs_announced_seasons_do_not_make_a_new_season_a_library_one() -> None:
    """A catalog's count of a show's seasons also has the ones announced (a snapshot listing
    seasons 1-3 while season 2 was still to come), and a renewal is an order, not a season out:
    neither makes a season that follows a new season in the Top 10 a library title."""
    from renewcast.forecast.data import FactRow, StoreView
    from renewcast.forecast.labels import find_units

    known = datetime(2023, 3, 31, tzinfo=UTC)
    view = StoreView(cutoff=datetime(2024, 1, 1, tzinfo=UTC))
    view.titles, view.norm = {1: "Harbor Lights", 2: "Lantern Row"}, {1: "harbor lights"}
    view.norm[2] = "lantern row"
    view.chart = [
        _chart(1, "harbor lights", 1, date(2022, 4, 24)),
        _chart(1, "harbor lights", 2, date(2023, 8, 6)),
        # a show first seen in the Top 10 with its season 3, years after the catalog listed 5
        _chart(2, "lantern row", 3, date(2023, 8, 6)),
    ]
    view.facts = [
        FactRow(1, 0, "seasons", 3, "justwatch/titles", known),
        FactRow(1, 3, "renewed", True, "wikipedia/current", known),
        FactRow(2, 0, "seasons", 5, "justwatch/titles", known),
    ]
    got = {(u.key, u.season) for u in find_units(view)}
    assert got == {("harbor lights", 1), ("harbor lights", 2)}


def test_a_count_taken_before_a_shows_first_new_season_came_out_is_another_shows() -> None:
    """Two shows of one name (an old anime and a new live-action series of the same title): the
    catalog counted the old one's 21 seasons months before the new one's first season came out.
    That count neither makes the new seasons library titles nor renews them; a show first seen
    with a later season than the count's, and with no release date, is still a library title."""
    from renewcast.forecast.data import EngagementRow, FactRow, StoreView
    from renewcast.forecast.labels import OPEN, RENEWED, find_units, label_units

    counted = datetime(2023, 3, 31, tzinfo=UTC)
    view = StoreView(cutoff=datetime(2025, 6, 1, tzinfo=UTC))
    view.titles = {1: "Tide Runner", 2: "Tide Runner (1999)", 3: "Lantern Row"}
    view.norm = {1: "tide runner", 2: "tide runner", 3: "lantern row"}
    view.chart = [
        _chart(1, "tide runner", 1, date(2023, 9, 3)),
        _chart(1, "tide runner", 2, date(2025, 3, 16)),
        _chart(3, "lantern row", 3, date(2023, 8, 6)),  # no release date: a library title
    ]
    released, published = date(2023, 8, 31), datetime(2023, 12, 12, tzinfo=UTC)
    view.engagement = [
        EngagementRow(
            1, 1, False, "2023-H2", date(2023, 7, 1), 9e7, None, None, released, published
        )
    ]
    view.facts = [
        FactRow(2, 0, "seasons", 21, "justwatch/titles", counted),
        FactRow(3, 0, "seasons", 5, "justwatch/titles", counted),
    ]
    got = {(u.key, u.season) for u in find_units(view)}
    assert got == {("tide runner", 1), ("tide runner", 2)}
    status = {o.unit.season: o.status for o in label_units(view)}
    # season 2 charted: season 1 was renewed then; season 3 is not decided by the old count
    assert status == {1: RENEWED, 2: OPEN}
    # before the new season 1's release date was published, it could not be told from a
    # library title
    early = StoreView(cutoff=datetime(2023, 11, 1, tzinfo=UTC))
    early.titles, early.norm, early.facts = view.titles, view.norm, view.facts
    early.chart, early.engagement = view.chart[:1], []
    assert find_units(early) == []


def test_no_odds_says_when_the_season_before_charted_but_not_as_a_new_one(synced_engine) -> None:  # type: ignore[no-untyped-def]
    """A season after one that was in the global Top 10 but not as a new season (dated well
    before it charted) has no odds, and the reason does not say that season never charted."""
    from renewcast.forecast.api import _not_a_unit
    from renewcast.store.catalog import charted_globally, resolve_one

    said = _not_a_unit("Invented Show", 3, charted=True)
    assert "season 2 was in it" in said and "had not" not in said
    assert "season 2 had not by this date" in _not_a_unit("Invented Show", 3)
    with synced_engine.connect() as conn:
        sid = resolve_one(conn, "Better Call Saul").series_id
        assert charted_globally(conn, sid, 6, None)
        assert not charted_globally(conn, sid, 7, None)
        assert not charted_globally(conn, sid, 6, datetime(2021, 1, 1, tzinfo=UTC))
