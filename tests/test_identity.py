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
        ("Money Heist: Part 5", "Money Heist: Part 5", None, False, None),
        ("Lupin: Part 2", "Lupin: Part 2", None, False, None),
        ("The Crown: Season Two", "The Crown", 2, False, None),
        ("Star Trek: Lower Decks", "Star Trek: Lower Decks", None, False, None),
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
