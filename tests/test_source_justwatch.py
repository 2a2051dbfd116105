"""JustWatch snapshot (titles, credits) and the live GraphQL title lookup."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import httpx
import pytest
import respx

from renewcast.sources import justwatch as jw
from renewcast.sources.base import ReadResult, SourceError
from renewcast.sources.justwatch import JWCredit, JWTitle, parse_list


@pytest.fixture(scope="module")
def titles(data_dir: Path) -> ReadResult[JWTitle]:
    return jw.read_titles(data_dir / "justwatch" / "titles.csv")


@pytest.fixture(scope="module")
def credits(data_dir: Path) -> ReadResult[JWCredit]:
    return jw.read_credits(data_dir / "justwatch" / "credits.csv")


def test_snapshot_is_the_end_of_march_2023() -> None:
    assert date(2023, 3, 1) < jw.SNAPSHOT == date(2023, 3, 31)


def test_real_counts(titles: ReadResult[JWTitle], credits: ReadResult[JWCredit]) -> None:
    assert len(titles.records) == 6165
    assert len(credits.records) == 81884
    assert titles.problems == [] and credits.problems == []
    assert titles.file_date == credits.file_date == jw.SNAPSHOT
    shows = [t for t in titles.records if t.type == "SHOW"]
    assert len(shows) == 2334
    assert all(t.seasons is not None for t in shows)
    assert all(t.seasons is None for t in titles.records if t.type == "MOVIE")


def test_partner_track_title(titles: ReadResult[JWTitle]) -> None:
    (pt,) = [t for t in titles.records if t.id == "ts310873"]
    assert pt.title == "Partner Track"
    assert pt.type == "SHOW"
    assert pt.seasons == 1
    assert pt.release_year == 2022
    assert pt.genres == ("drama",)
    assert pt.countries == ("US",)
    assert pt.imdb_id == "tt15390524"
    assert pt.imdb_votes == 6227 and pt.imdb_score == 6.7
    assert pt.runtime_minutes == 59
    assert pt.line == 4611


def test_partner_track_credits_in_billing_order(credits: ReadResult[JWCredit]) -> None:
    cast = [c for c in credits.records if c.title_id == "ts310873"]
    assert [(c.name, c.character, c.billing) for c in cast[:4]] == [
        ("Arden Cho", "Ingrid Yun", 1),
        ("Bradley Gibson", "Tyler Robinson", 2),
        ("Alexandra Turshen", "Rachel Friedman", 3),
        ("Dominic Sherwood", "Jeff Murphy", 4),
    ]
    names = [c.name for c in cast]
    # the seed article's cast, in the file's billing order
    for earlier, later in [
        ("Dominic Sherwood", "Rob Heaps"),
        ("Rob Heaps", "Nolan Gerard Funk"),
    ]:
        assert names.index(earlier) < names.index(later)
    assert all(c.role == "ACTOR" for c in cast)
    assert cast[0].person_id == "9130"


def test_billing_counts_each_role_separately(credits: ReadResult[JWCredit]) -> None:
    rocky = [c for c in credits.records if c.title_id == "tm82169"]
    actors = [c.billing for c in rocky if c.role == "ACTOR"]
    directors = [c.billing for c in rocky if c.role == "DIRECTOR"]
    assert actors == list(range(1, len(actors) + 1))
    assert directors == list(range(1, len(directors) + 1))
    assert all(c.character is None for c in rocky if c.role == "DIRECTOR")


# ---------------------------------------------------------------- bad input


def _csv(header: tuple[str, ...], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


GOOD_TITLE = [
    "ts1",
    "Good",
    "SHOW",
    "d",
    "2020",
    "TV-14",
    "30",
    "['drama']",
    "['US']",
    "2.0",
    "tt1",
    "7.1",
    "100.0",
    "1.5",
    "7.0",
]


def test_titles_bad_cells_are_reported_and_rows_kept() -> None:
    rows = [
        GOOD_TITLE,
        [
            "ts2",
            "Bad year",
            "SHOW",
            "d",
            "20x0",
            "",
            "30",
            "['drama']",
            "['US']",
            "1.0",
            "",
            "",
            "",
            "",
            "",
        ],
        [
            "tm3",
            "Bad list",
            "MOVIE",
            "d",
            "2019",
            "",
            "90",
            "__import__('os').system('x')",
            "['US'",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        [
            "tm4",
            "Votes",
            "MOVIE",
            "d",
            "2019",
            "",
            "90",
            "[]",
            "[]",
            "",
            "tt4",
            "6.0",
            "12.5",
            "",
            "",
        ],
        ["tm5", "Too few fields", "MOVIE"],
        ["xx6", "Bad id", "MOVIE", "d", "2019", "", "90", "[]", "[]", "", "", "", "", "", ""],
        ["tm7", "Bad type", "EPISODE", "d", "2019", "", "90", "[]", "[]", "", "", "", "", "", ""],
    ]
    data = _csv(jw.TITLE_COLUMNS, rows).replace(b"Votes", "Vot\u00e9s".encode("latin-1"))
    result = jw.parse_titles(data, "titles.csv")
    # the non-UTF-8 line is left out (a guessed title would outlive the fixed file)
    assert [t.id for t in result.records] == ["ts1", "ts2", "tm3"]
    where = {(p.line, p.field) for p in result.problems}
    assert where == {
        (3, "release_year"),
        (4, "genres"),
        (4, "production_countries"),
        (5, None),  # not UTF-8
        (6, None),  # ragged
        (7, "id"),
        (8, "type"),
    }
    good, bad_year, bad_list = result.records
    assert good.seasons == 2 and good.imdb_votes == 100 and good.genres == ("drama",)
    assert bad_year.release_year is None and bad_year.title == "Bad year"
    assert bad_list.genres == () and bad_list.countries == ()


def test_titles_missing_column_is_a_whole_file_error() -> None:
    header = tuple(c for c in jw.TITLE_COLUMNS if c != "seasons")
    with pytest.raises(SourceError, match=r"titles\.csv: missing column\(s\) seasons"):
        jw.parse_titles(_csv(header, []), "titles.csv")
    with pytest.raises(SourceError, match="empty"):
        jw.parse_titles(b"", "titles.csv")


def test_credits_bad_rows() -> None:
    rows = [
        ["9130", "ts310873", "Arden Cho", "Ingrid Yun", "ACTOR"],
        ["abc", "ts310873", "Someone", "", "ACTOR"],
        ["21872", "ts310873", "Dominic Sherwood", "Jeff Murphy", "ACTOR"],
        ["1", "310873", "No prefix", "", "ACTOR"],
        ["2", "ts310873", "", "", "ACTOR"],
    ]
    result = jw.parse_credits(_csv(jw.CREDIT_COLUMNS, rows), "credits.csv")
    assert [(c.name, c.billing) for c in result.records] == [
        ("Arden Cho", 1),
        ("Dominic Sherwood", 2),
    ]
    assert [(p.line, p.field) for p in result.problems] == [
        (3, "person_id"),
        (5, "id"),
        (6, "name"),
    ]
    with pytest.raises(SourceError, match="role"):
        jw.parse_credits(_csv(("person_id", "id", "name", "character"), []), "credits.csv")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("['drama', 'sport']", ("drama", "sport")),
        ("[]", ()),
        ("['US']", ("US",)),
        ("", ()),
    ],
)
def test_parse_list(text: str, expected: tuple[str, ...]) -> None:
    assert parse_list(text) == expected


@pytest.mark.parametrize(
    "text",
    ["['drama'", "[1, 2]", "['a'] + ['b']", "__import__('os')", '["x"]', "['a\\'b']"],
)
def test_parse_list_refuses_anything_else(text: str) -> None:
    with pytest.raises(ValueError, match="not a list"):
        parse_list(text)


# ---------------------------------------------------------------- live


def test_fetch_title_from_graphql(fixtures: Path) -> None:
    payload = json.loads((fixtures / "justwatch" / "graphql-ts310873.json").read_text("utf-8"))
    with respx.mock(assert_all_called=True) as router:
        route = router.post(jw.GRAPHQL_URL).respond(json=payload)
        with httpx.Client() as client:
            title, cast = jw.fetch_title(client, "ts310873")
        sent = json.loads(route.calls.last.request.content)
    assert sent["variables"] == {"nodeId": "ts310873", "country": "US", "language": "en"}
    assert "credits" in sent["query"] and "totalSeasonCount" in sent["query"]
    assert (title.id, title.title, title.type, title.seasons) == (
        "ts310873",
        "Partner Track",
        "SHOW",
        1,
    )
    assert title.genres == ("drama",)  # "drm" → the snapshot's name
    assert title.imdb_id == "tt15390524" and title.imdb_votes == 6227
    assert title.line == 0
    assert [(c.name, c.character, c.billing) for c in cast] == [
        ("Arden Cho", "Ingrid Yun", 1),
        ("Bradley Gibson", "Tyler Robinson", 2),
        ("Alexandra Turshen", "Rachel Friedman", 3),
        ("Dominic Sherwood", "Jeff Murphy", 4),
    ]
    assert cast[0].person_id == "9130" and cast[0].title_id == "ts310873"


def test_live_title_matches_the_snapshot(fixtures: Path, titles: ReadResult[JWTitle]) -> None:
    payload = json.loads((fixtures / "justwatch" / "graphql-ts310873.json").read_text("utf-8"))
    live, _ = jw.title_from_node(payload["data"]["node"])
    (snap,) = [t for t in titles.records if t.id == "ts310873"]
    assert live == JWTitle(**{**{f: getattr(snap, f) for f in snap.__slots__}, "line": 0})


def test_fetch_title_errors() -> None:
    with pytest.raises(SourceError, match="not a JustWatch id"):
        jw.fetch_title(httpx.Client(), "310873")
    with respx.mock() as router:
        route = router.post(jw.GRAPHQL_URL)
        route.respond(json={"data": {"node": None}})
        with httpx.Client() as client, pytest.raises(SourceError, match="no such title"):
            jw.fetch_title(client, "ts999999999")
        route.respond(json={"errors": [{"message": 'Cannot query field "credits"'}]})
        with httpx.Client() as client, pytest.raises(SourceError, match="Cannot query field"):
            jw.fetch_title(client, "ts310873")
        route.respond(status_code=429)
        with httpx.Client() as client, pytest.raises(SourceError, match="request failed"):
            jw.fetch_title(client, "ts310873")
        route.respond(json={"data": {"node": {"id": "ts1", "objectType": "SHOW", "content": {}}}})
        with httpx.Client() as client, pytest.raises(SourceError, match="no title"):
            jw.fetch_title(client, "ts1")
