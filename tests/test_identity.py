"""Identity: titles normalised, season titles parsed, one series across sources, ambiguity reported."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from renewcast.store.identity import Resolver, normalize_title, parse_season_title
from renewcast.store.schema import identity_issues, series

T0 = datetime(2022, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Partner Track", "partner track"),
        ("Love, Death & Robots", "love death and robots"),
        ("Grey’s Anatomy", "greys anatomy"),
        ("Pokémon Concierge", "pokemon concierge"),
        ("  Sex/Life ", "sex life"),
    ],
)
def test_normalize_title(a: str, b: str) -> None:
    assert normalize_title(a) == b


@pytest.mark.parametrize(
    ("title", "series_title", "season", "limited", "part"),
    [
        ("Partner Track: Season 1", "Partner Track", 1, False, None),
        ("Stay Close: Limited Series", "Stay Close", 1, True, None),
        ("Ozark: Season 4 Part 1", "Ozark", 4, False, 1),
        ("Bridgerton: Season 3 // 브리저튼: 시즌 3", "Bridgerton", 3, False, None),
        ("Money Heist: Part 5", "Money Heist", None, False, 5),  # which season: not said
        ("Lupin: Part 2", "Lupin", None, False, 2),
        ("I am Solo: Part 25 - 28", "I am Solo", None, False, 25),
        ("I am Solo: Part 13 - Part 16", "I am Solo", None, False, 13),
        ("The Crown: Season Two", "The Crown", 2, False, None),
        # a season's own name, a note in brackets, an ordinal, a number without a space
        ("Green Hills: Season 3: The Long Way", "Green Hills", 3, False, None),
        ("Green Hills: Season 2 (Part 2)", "Green Hills", 2, False, 2),
        ("Green Hills: Season 1 (Batch B)", "Green Hills", 1, False, None),
        ("Green Hills: Season 4: The Harbour: Part 3", "Green Hills", 4, False, 3),
        ("Green Hills: 2nd Season", "Green Hills", 2, False, None),
        ("Green Hills: Season5", "Green Hills", 5, False, None),
        ("Green Hills: Book Two: Water", "Green Hills", 2, False, None),
        ("Star Trek: Lower Decks", "Star Trek: Lower Decks", None, False, None),
        # a half written as a letter, a season named straight after its number or in quotes
        ("Green Hills: Season 3B", "Green Hills", 3, False, 2),
        ("Green Hills (2021): Season 2A", "Green Hills", 2, False, 1),
        ("Green Hills: Season 4 Harbour Lights", "Green Hills", 4, False, None),
        ('Green Hills: Season 1 "The Long Way"', "Green Hills", 1, False, None),
        # no separator before "Season" when nothing but its number follows
        ("The Lantern Keeper Season 2", "The Lantern Keeper", 2, False, None),
        ("The Lantern Keeper Season 1 Part 2", "The Lantern Keeper", 1, False, 2),
        (
            "Harbour Tales: Selections from Season 12",
            "Harbour Tales: Selections from Season 12",
            None,
            False,
            None,
        ),
        ("Open Season", "Open Season", None, False, None),
        ("Open Season 2", "Open Season 2", None, False, None),  # a film's sequel
        ("Harbour Tales: Making Season 2", "Harbour Tales: Making Season 2", None, False, None),
        # two seasons in one title: the series, no one season
        ("Green Hills: Season 2, Season 3 (Episodes 9-30)", "Green Hills", None, False, None),
        # roman numerals typed with the letter l; a left-to-right mark at the end
        ("Steel Fist: Part l", "Steel Fist", None, False, 1),
        ("Steel Fist: Part ll", "Steel Fist", None, False, 2),
        ("Steel Fist: Part3", "Steel Fist", None, False, 3),
        ("Steel Fist: Party Time", "Steel Fist: Party Time", None, False, None),
        ("Green Hills: Season 1\u200e", "Green Hills", 1, False, None),
    ],
)
def test_parse_season_title(
    title: str, series_title: str, season: int | None, limited: bool, part: int | None
) -> None:
    st = parse_season_title(title)
    assert st is not None
    assert (st.series_title, st.season, st.limited, st.part) == (
        series_title,
        season,
        limited,
        part,
    )


def test_parse_season_title_bare_number_after_show_title() -> None:
    st = parse_season_title("Stranger Things 4", "Stranger Things")
    assert st is not None and (st.series_title, st.season) == ("Stranger Things", 4)
    # a number that is part of the title is not a season
    st = parse_season_title("1899", "1899")
    assert st is not None and st.season is None


def test_parse_season_title_uses_show_title_and_ignores_na() -> None:
    st = parse_season_title("Squid Game: Season 1 // 오징어 게임: 시즌 1", "Squid Game")
    assert (
        st is not None
        and st.series_title == "Squid Game"
        and st.native_title == "오징어 게임: 시즌 1"
    )
    assert parse_season_title("N/A") is None
    assert parse_season_title("") is None


def test_resolver_merges_by_title_and_xref_and_reports_ambiguity(engine) -> None:  # type: ignore[no-untyped-def]
    with engine.begin() as conn:
        r = Resolver(conn, "test")
        a = r.resolve("Partner Track", known_at=T0, year=2022)
        assert a.created
        b = r.resolve("PARTNER TRACK", known_at=T0, xrefs={"justwatch": "ts310873"}, year=2022)
        assert b.series_id == a.series_id and not b.created
        c = r.resolve("Some other title", known_at=T0, xrefs={"justwatch": "ts310873"})
        assert c.series_id == a.series_id  # external id wins over the title
        # two different series with one title (years far apart) → a third record is ambiguous
        q1 = r.resolve("Queen", known_at=T0, year=2019)
        q2 = r.resolve("Queen", known_at=T0, year=2022)
        assert q1.series_id != q2.series_id
        amb = r.resolve("Queen", known_at=T0, record="top10:Queen")
        assert amb.ambiguous and amb.series_id is None
        issues = conn.execute(select(identity_issues.c.record, identity_issues.c.message)).all()
        assert ("top10:Queen", "2 series are titled 'Queen'") in issues
        assert conn.execute(select(series.c.id)).all().__len__() == 3


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=40) | st.text(alphabet=st.characters(max_codepoint=127), max_size=40))
def test_normalize_title_is_the_documented_key(title: str) -> None:
    """The key is NFKD without combining marks, casefolded, '&' read as 'and', apostrophes
    dropped, every run of non-word characters one space: ASCII titles (which skip the Unicode
    steps) give the key the full recipe gives."""
    import re
    import unicodedata

    s = unicodedata.normalize("NFKD", title)
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold().replace("&", " and ")
    expected = " ".join(re.sub(r"[^\w]+", " ", re.sub(r"['’`]", "", s)).split())
    assert normalize_title(title) == expected


@pytest.mark.parametrize(
    ("title", "series_title", "season", "year"),
    [
        ("Harbour Lights (2011): Season 3", "Harbour Lights", 3, 2011),
        ("Paper Kites (1998)", "Paper Kites", None, 1998),
        ("Glass Orchard (2005): Book 2", "Glass Orchard", 2, 2005),
        ("Room 1999: Season 1", "Room 1999", 1, None),  # a number in the name is not a year
    ],
)
def test_parse_season_title_reads_netflix_year_suffix(
    title: str, series_title: str, season: int | None, year: int | None
) -> None:
    st = parse_season_title(title)
    assert st is not None and (st.series_title, st.season, st.year) == (series_title, season, year)


def _premiere(conn, sid: int, day: str) -> None:  # type: ignore[no-untyped-def]
    import json

    from renewcast.store.schema import documents, facts

    doc = conn.execute(
        documents.insert().values(
            kind="file",
            source="test",
            uri=f"test:{sid}:{day}",
            sha256=f"{sid}{day}",
            fetched_at=T0,
            known_at=T0,
        )
    ).inserted_primary_key[0]
    conn.execute(
        facts.insert().values(
            series_id=sid,
            season_number=1,
            attribute="premiere",
            value=json.dumps(day),
            document_id=doc,
            known_at=T0,
        )
    )


def test_netflix_year_suffix_is_one_series_with_the_plain_name(engine) -> None:  # type: ignore[no-untyped-def]
    """ "Harbour Lights (2011)" in a report and "Harbour Lights" in the charts are one series; a
    same-named series of another year is kept apart and shown with its year."""
    from datetime import date

    with engine.begin() as conn:
        charts = Resolver(conn, "netflix-top10/global")
        plain = charts.resolve("Harbour Lights", known_at=T0, available_by=date(2021, 6, 6))
        charts.flush()
        report = Resolver(conn, "netflix-engagement")
        suffixed = report.resolve(
            "Harbour Lights", known_at=T0, year=2011, available_by=date(2023, 6, 30), season=3
        )
        assert suffixed.series_id == plain.series_id and not suffixed.created
        report.flush()
        _premiere(conn, plain.series_id, "2011-03-01")
        report = Resolver(conn, "netflix-engagement")
        other = report.resolve("Harbour Lights", known_at=T0, year=1994, season=1)
        assert other.created
        report.flush()
        shown = conn.execute(select(series.c.title).where(series.c.id == other.series_id))
        assert shown.scalar_one() == "Harbour Lights (1994)"
        # a name without a year in Netflix's lists is never the series they name only with one
        again = Resolver(conn, "netflix-engagement").resolve("Harbour Lights", known_at=T0)
        assert again.series_id == plain.series_id and not again.created


def test_a_series_is_not_watched_before_it_premiered(engine) -> None:  # type: ignore[no-untyped-def]
    """A title counted in a half-year that ended before a same-named series premiered is another
    series; the later rows that give the new series' release day go to the new one."""
    from datetime import date

    with engine.begin() as conn:
        wiki = Resolver(conn, "wikipedia/current")
        remake = wiki.resolve("Lantern Street", known_at=T0, year=2024)
        wiki.flush()
        _premiere(conn, remake.series_id, "2024-02-09")
        report = Resolver(conn, "netflix-engagement")
        old = report.resolve(
            "Lantern Street", known_at=T0, available_by=date(2023, 6, 30), season=2
        )
        assert old.created and old.series_id != remake.series_id
        new = report.resolve(
            "Lantern Street",
            known_at=T0,
            available_by=date(2024, 6, 30),
            season=1,
            released=date(2024, 2, 9),
        )
        assert new.series_id == remake.series_id  # the store knows season 1 came out that day
        report.flush()
        # charts of a week before the remake's premiere: the older series, never the remake
        charts = Resolver(conn, "netflix-top10/countries")
        week = charts.resolve("Lantern Street", known_at=T0, available_by=date(2021, 10, 3))
        assert week.series_id == old.series_id


def test_a_netflix_release_day_is_a_latest_first_year(engine) -> None:  # type: ignore[no-untyped-def]
    """A report's release day of season 1 is when Netflix released it: a show made elsewhere
    began then or before, so a catalog record of its earlier first year is the same series; a
    record of a later first year is not."""
    from datetime import date

    with engine.begin() as conn:
        report = Resolver(conn, "netflix-engagement")
        found = report.resolve(
            "Copper Valley", known_at=T0, available_by=date(2023, 6, 30), season=1
        )
        report.note_premiere(found.series_id, 1, date(2020, 8, 28), on_netflix=True)
        catalog = Resolver(conn, "justwatch/titles")
        catalog.note_premiere(found.series_id, 1, date(2020, 8, 28), on_netflix=True)
        older = catalog.resolve("Copper Valley", known_at=T0, year=2017)
        assert older.series_id == found.series_id and not older.created
        remake = catalog.resolve("Copper Valley", known_at=T0, year=2025)
        assert remake.created and remake.series_id != found.series_id


def test_a_list_giving_a_season_1_to_a_name_with_and_without_a_year_names_two_series(
    engine,
) -> None:  # type: ignore[no-untyped-def]
    """Netflix adds the year to tell a title from a same-named one, though not always the same
    way: one report that gives "Copper Bay" and "Copper Bay (2009)" each a season 1 lists two
    series (the one watched more is the one the charts call "Copper Bay"); one that numbers
    "Tidewater" season 4 and "Tidewater (2011)" seasons 1-3 lists one."""
    from datetime import date

    with engine.begin() as conn:
        charts = Resolver(conn, "netflix-top10/global")
        bay = charts.resolve("Copper Bay", known_at=T0, available_by=date(2025, 5, 11))
        tide = charts.resolve("Tidewater", known_at=T0, available_by=date(2024, 3, 3))
        charts.flush()
        report = Resolver(conn, "netflix-engagement")
        names = [
            ("Copper Bay", 2009, 1, 400_000.0),
            ("Copper Bay", None, 1, 14_000_000.0),
            ("Copper Bay", 2009, 2, 100_000.0),
            ("Tidewater", 2011, 1, 2_000_000.0),
            ("Tidewater", None, 4, 900_000.0),
        ]
        order = report.apart(names)
        assert order == [1, 3, 4, 0, 2]
        got = {
            i: report.resolve(
                names[i][0], known_at=T0, year=names[i][1], available_by=date(2025, 6, 30)
            ).series_id
            for i in order
        }
        assert got[1] == bay.series_id
        assert got[0] == got[2] and got[0] != bay.series_id
        assert got[3] == got[4] == tide.series_id
        report.flush()
        shown = conn.execute(select(series.c.title).where(series.c.id == got[0]))
        assert shown.scalar_one() == "Copper Bay (2009)"
        # the series shown with a year began then: a catalog record of that year goes to it
        catalog = Resolver(conn, "justwatch/titles")
        assert catalog.resolve("Copper Bay", known_at=T0, year=2009).series_id == got[0]


def test_catalog_shows_of_one_name_are_matched_latest_first() -> None:
    from types import SimpleNamespace

    from renewcast.store.load import _newest_first

    shows = [
        SimpleNamespace(title="Copper Bay", release_year=2001),
        SimpleNamespace(title="Lantern Row", release_year=2019),
        SimpleNamespace(title="Copper Bay", release_year=2022),
        SimpleNamespace(title="Tidewater", release_year=None),
    ]
    got = [(s.title, s.release_year) for s in _newest_first(shows)]
    assert got == [
        ("Copper Bay", 2022),
        ("Copper Bay", 2001),
        ("Lantern Row", 2019),
        ("Tidewater", None),
    ]


def test_a_series_nothing_refers_to_any_more_is_removed(engine) -> None:  # type: ignore[no-untyped-def]
    """An earlier reading of a title made a series of its own; once a full sync links its
    records to the series they belong to, the empty one (with its names and seasons) goes. A
    series a fact, a news claim or a watch refers to stays."""
    from sqlalchemy import func, select

    from renewcast.store.identity import prune_unreferenced_series
    from renewcast.store.importer import DocumentInfo, FactWriter, register_document
    from renewcast.store.schema import claims, series, series_aliases, watches

    with engine.begin() as conn:
        r = Resolver(conn, "test")
        kept = r.resolve("Green Hills", known_at=T0).series_id
        empty = r.resolve("Green Hills: Part 2", known_at=T0).series_id
        claimed = r.resolve("Harbor Lights", known_at=T0).series_id
        watched = r.resolve("Night Market", known_at=T0).series_id
        assert None not in (kept, empty, claimed, watched)
        r.add_alias(empty, "Green Hills Part Two")
        r.ensure_season(empty, 2)
        doc, _ = register_document(conn, DocumentInfo("file", "test", "invented.tsv", "0" * 64, T0))
        fw = FactWriter(conn, doc)
        fw.add(kept, 1, "exists", True, T0)
        fw.flush()
        conn.execute(
            claims.insert().values(
                document_id=doc,
                series_id=claimed,
                series_text="Harbor Lights",
                status="cancelled",
                final=False,
                official=False,
                hedged=False,
                confidence=0.9,
                evidence="An invented sentence.",
                known_at=T0,
            )
        )
        conn.execute(
            watches.insert().values(
                series_id=watched,
                webhook_url="https://example.com/hook",
                active=True,
                allow_private=False,
                created_at=T0,
            )
        )
    with engine.begin() as conn:
        assert prune_unreferenced_series(conn) == ["Green Hills: Part 2"]
        left = {i for (i,) in conn.execute(select(series.c.id))}
        assert left == {kept, claimed, watched}
        n = select(func.count()).select_from(series_aliases)
        assert conn.execute(n.where(series_aliases.c.series_id == empty)).scalar_one() == 0
        assert prune_unreferenced_series(conn) == []


def test_a_later_season_released_before_a_series_began_is_not_that_series(engine) -> None:  # type: ignore[no-untyped-def]
    """One report, two series of one name: the one released this year (its season 1, created
    here) is not the series a season 2 released a year earlier belongs to, though the report
    named it first."""
    from datetime import date

    with engine.begin() as conn:
        wiki = Resolver(conn, "wikipedia/current")
        show = wiki.resolve("Lantern Street", known_at=T0)
        wiki.flush()
        _premiere(conn, show.series_id, "2023-02-14")
        report = Resolver(conn, "netflix-engagement")
        kw = {"known_at": T0, "available_by": date(2025, 6, 30)}
        other = report.resolve("Lantern Street", season=1, released=date(2025, 1, 25), **kw)
        assert other.created and other.series_id != show.series_id
        report.note_premiere(other.series_id, 1, date(2025, 1, 25), on_netflix=True)  # as loaded
        second = report.resolve("Lantern Street", season=2, released=date(2024, 6, 7), **kw)
        assert second.series_id == show.series_id


def test_same_named_series_are_shown_with_the_years_sources_give(engine) -> None:  # type: ignore[no-untyped-def]
    """Two series of one name: the year a source gives one ("Lantern Street (2016)") is shown
    with it though a source without years named it first."""
    with engine.begin() as conn:
        charts = Resolver(conn, "netflix-top10/global")
        first = charts.resolve("Lantern Street", known_at=T0)
        charts.flush()
        _premiere(conn, first.series_id, "2016-03-01")
        report = Resolver(conn, "netflix-engagement")
        second = report.resolve("Lantern Street", known_at=T0, year=2021)
        assert second.created and second.series_id != first.series_id
        again = report.resolve("Lantern Street", known_at=T0, year=2016)
        assert again.series_id == first.series_id
        report.flush()
        shown = dict(conn.execute(select(series.c.id, series.c.title)).all())
    assert shown[first.series_id] == "Lantern Street (2016)"
    assert shown[second.series_id] == "Lantern Street (2021)"


def _two_lantern_streets(conn):  # type: ignore[no-untyped-def]
    """A series that began in 2019 and an older one of its name whose year is unknown."""
    from datetime import date

    charts = Resolver(conn, "netflix-top10/global")
    new = charts.resolve("Lantern Street", known_at=T0)
    charts.flush()
    _premiere(conn, new.series_id, "2019-05-01")
    countries = Resolver(conn, "netflix-top10/countries")
    old = countries.resolve("Lantern Street", known_at=T0, available_by=date(2017, 1, 1))
    countries.flush()
    assert old.created and old.series_id != new.series_id
    return new.series_id, old.series_id, countries


def test_a_year_one_off_a_known_one_does_not_pick_a_series(engine) -> None:  # type: ignore[no-untyped-def]
    """2018 is within a year of the series that began in 2019, and fits the one whose year is
    unknown too: flagged, not guessed."""
    with engine.begin() as conn:
        _two_lantern_streets(conn)
        catalog = Resolver(conn, "justwatch")
        unsure = catalog.resolve(
            "Lantern Street", known_at=T0, year=2018, create=False, record="ts1:Lantern Street"
        )
        assert unsure.series_id is None and unsure.ambiguous


def test_of_same_named_series_the_one_known_to_have_the_season_is_chosen(engine) -> None:  # type: ignore[no-untyped-def]
    """A report's "Name: Season 3" with two series of the name: the one a chart already lists
    with a season 3 is its series."""
    with engine.begin() as conn:
        _new, old, countries = _two_lantern_streets(conn)
        countries.ensure_season(old, 3)
        countries.flush()
        report = Resolver(conn, "netflix-engagement")
        assert report.resolve("Lantern Street", known_at=T0, season=3).series_id == old


def test_a_report_row_is_found_by_its_title_in_its_own_language(engine) -> None:  # type: ignore[no-untyped-def]
    """A report's English title no source knows, with the show's own-language title that a
    chart names: the charted series. Where that other name fits two series it is no help: the
    English title makes a series of its own, as without it."""
    with engine.begin() as conn:
        charts = Resolver(conn, "netflix-top10/countries")
        ship = charts.resolve("La Nave Blanca", known_at=T0)
        charts.flush()
        report = Resolver(conn, "netflix-engagement")
        found = report.resolve("The White Ship", known_at=T0, also="La Nave Blanca")
        assert found.series_id == ship.series_id and not found.created
        report.flush()
        again = Resolver(conn, "netflix-engagement").resolve("The White Ship", known_at=T0)
        assert again.series_id == ship.series_id  # its English title is now an alias
        # two series share the other name: neither is guessed, nor is the row left unlinked
        _two_lantern_streets(conn)
        own = report.resolve("Lamplight Road", known_at=T0, also="Lantern Street")
        assert own.created
