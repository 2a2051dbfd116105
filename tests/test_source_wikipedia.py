"""Wikipedia list snapshots: the real ended/current files, status parsing, bad input, live page."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from datetime import date
from pathlib import Path

import httpx
import pytest
import respx

from renewcast.sources import wikipedia as wp
from renewcast.sources.base import SourceError
from renewcast.sources.wikipedia import (
    KINDS,
    CurrentSeries,
    EndedSeries,
    WikiStatus,
    kind_from_genre,
    parse_seasons,
    parse_status,
    parse_wiki_date,
)

ENDED = "wikipedia/ended-netflix-original-programming-2023-11-06.csv"
CURRENT = "wikipedia/netflix-original-programming-2025-03-24.csv"


@pytest.fixture(scope="module")
def ended(data_dir: Path) -> wp.ReadResult[EndedSeries]:
    return wp.read_ended(data_dir / ENDED)


@pytest.fixture(scope="module")
def current(data_dir: Path) -> wp.ReadResult[CurrentSeries]:
    return wp.read_current(data_dir / CURRENT)


# ---------------------------------------------------------------- the real ended list


def test_ended_reads_every_row_cleanly(ended: wp.ReadResult[EndedSeries]) -> None:
    assert len(ended.records) == 1398
    assert ended.problems == []
    assert ended.file_date == date(2023, 11, 6)
    assert ended.source == "wikipedia/ended"
    assert len(ended.sha256) == 64


def test_ended_partner_track(ended: wp.ReadResult[EndedSeries]) -> None:
    (pt,) = [r for r in ended.records if r.title == "Partner Track"]
    assert pt.premiere == date(2022, 8, 26)
    assert pt.finale == date(2022, 8, 26)
    assert (pt.seasons, pt.episodes) == (1, 10)
    assert pt.genre == "Legal drama"
    assert pt.kind == "scripted"
    assert pt.table == 0
    assert pt.line == 100  # the editor line of the row in the CSV


def test_ended_counts_and_units(ended: wp.ReadResult[EndedSeries]) -> None:
    by_title = {r.title: r for r in ended.records}
    assert (by_title["House of Cards"].seasons, by_title["House of Cards"].episodes) == (6, 73)
    assert by_title["The Get Down"].seasons == 2  # "2 parts, 11 episodes"
    assert (by_title["Wormwood"].seasons, by_title["Wormwood"].episodes) == (None, 6)  # 6 chapters
    gilmore = by_title["Gilmore Girls: A Year in the Life"]
    assert (gilmore.seasons, gilmore.episodes) == (None, 4)  # "4 episodes": no season count
    # the specials table has no Seasons at all; every other row has at least an episode count
    assert all(r.episodes is not None for r in ended.records if r.table != 33)


def test_ended_kinds_follow_tables_and_genres(ended: wp.ReadResult[EndedSeries]) -> None:
    assert {r.kind for r in ended.records} <= {*KINDS, None}
    kinds_by_table: dict[int | None, Counter[str | None]] = {}
    for r in ended.records:
        kinds_by_table.setdefault(r.table, Counter())[r.kind] += 1
    assert set(kinds_by_table[29]) == {"docuseries"}  # Subject, no Genre
    assert set(kinds_by_table[4]) == {"anime"}
    # the reality table's own genre texts agree with its mapping for the great majority
    reality_rows = [r for r in ended.records if r.table == 30 and r.genre]
    agree = sum(kind_from_genre(r.genre) == "reality" for r in reality_rows)
    assert agree / len(reality_rows) > 0.85
    # non-English tables carry their language (the Language column is empty there)
    assert {r.language for r in ended.records if r.table == 12} == {"Hindi"}
    # tables outside the known layout (e.g. the co-productions) keep the genre's kind
    lilyhammer = next(r for r in ended.records if r.title == "Lilyhammer")
    assert (lilyhammer.kind, lilyhammer.language) == ("scripted", "English")


def test_layout_is_only_applied_to_its_own_snapshot(data_dir: Path) -> None:
    data = (data_dir / ENDED).read_bytes()
    undated = wp.parse_ended(data, "ended.csv")
    bojack = next(r for r in undated.records if r.title == "BoJack Horseman")
    assert bojack.kind == "scripted"  # genre "Comedy drama" alone
    dated = wp.parse_ended(data, "ended.csv", date(2023, 11, 6))
    assert next(r for r in dated.records if r.title == "BoJack Horseman").kind == "animation"


# ---------------------------------------------------------------- the real current list


def test_current_keeps_series_and_notes_the_noise(current: wp.ReadResult[CurrentSeries]) -> None:
    assert len(current.records) == 355
    assert current.file_date == date(2025, 3, 24)
    shifted, note = current.problems  # one shifted row, and one note instead of 600 errors
    assert note.line is None
    assert (shifted.line, shifted.field) == (266, "Language") and "'50 min'" in shifted.message
    assert {r.language for r in current.records} & {"50 min"} == set()
    assert "349 navigation rows" in note.message
    assert "269 rows with a title but no status" in note.message
    assert "15 'Awaiting release'" in note.message
    assert all(r.title and r.status_raw for r in current.records)
    assert not any("[" in r.title for r in current.records)  # footnote marks removed


def test_current_status_counts(current: wp.ReadResult[CurrentSeries]) -> None:
    statuses = [r.status for r in current.records]
    assert sum(s.pending for s in statuses) == 217 + 3  # "Pending" + three "Season N ongoing"
    assert sum(s.miniseries for s in statuses) == 13
    assert sum(s.renewed_for is not None for s in statuses) == 121
    assert sum(s.final_season is not None for s in statuses) == 15  # and one by episode


def test_current_rows(current: wp.ReadResult[CurrentSeries]) -> None:
    by_title = {r.title: r for r in current.records}
    st = by_title["Stranger Things"]
    assert st.premiere == date(2016, 7, 15)
    assert (st.seasons, st.episodes) == (4, 34)
    assert st.status == WikiStatus(renewed_for=5, final_season=5, due="2025", due_season=5)
    assert st.kind == "scripted"
    # a continuation's seasons count only Netflix's; the title says which season was last
    you = by_title["You"]
    assert you.continued == (2, 4) and you.seasons == 3
    assert you.status.final_season == 5
    assert by_title["Chef's Table"].kind == "docuseries"  # Subject, no Genre
    sirens = by_title["Sirens"]
    assert sirens.premiere == date(2025, 5, 22) and sirens.status.miniseries


# Every distinct shape of the real Status column (footnotes kept as in the file), with the
# seasons column of that row.
REAL_STATUSES = [
    ("Pending", 4, WikiStatus(pending=True)),
    ("Renewed[2]", 6, WikiStatus(renewed_for=7)),
    (
        "Season 2 due to premiere in 2025[1][15]",
        1,
        WikiStatus(renewed_for=2, due="2025", due_season=2),
    ),
    ("Awaiting release", None, WikiStatus()),
    ("Miniseries", None, WikiStatus(miniseries=True)),
    (
        "Season 3 due to premiere on April 9, 2025[65]",
        2,
        WikiStatus(renewed_for=3, due="April 9, 2025", due_season=3),
    ),
    (
        "Final season due to premiere on May 23, 2025[50][51]",
        7,
        WikiStatus(renewed_for=8, final_season=8, due="May 23, 2025", due_season=8),
    ),
    ("Renewed for seasons 2–3[20]", 1, WikiStatus(renewed_for=3)),
    (
        "Final season due to premiere in 2025[1]",
        4,
        WikiStatus(renewed_for=5, final_season=5, due="2025", due_season=5),
    ),
    ("Season 2 ongoing", 2, WikiStatus(pending=True)),
    (
        "Season 3 due to premiere in late 2025[165]",
        2,
        WikiStatus(renewed_for=3, due="late 2025", due_season=3),
    ),
    ("Renewed for final season[6]", 4, WikiStatus(renewed_for=5, final_season=5)),
    (
        "Season 2 due to premiere in September 2025[59][60]",
        1,
        WikiStatus(renewed_for=2, due="September 2025", due_season=2),
    ),
    (
        "Season 3 due to premiere on June 5, 2025[9] Renewed for season 4[10]",
        2,
        WikiStatus(renewed_for=4, due="June 5, 2025", due_season=3),
    ),
    (
        "Season 4 due to premiere in 2025[3][4] Renewed for season 5 (final)[5]",
        3,
        WikiStatus(renewed_for=5, final_season=5, due="2025", due_season=4),
    ),
    ("Renewed for seasons 2–3 (final)[48]", 1, WikiStatus(renewed_for=3, final_season=3)),
    ("Renewed for final part[31]", 6, WikiStatus(renewed_for=7, final_season=7)),
    (
        "Renewed through episode 100 (final)[63][64]",
        11,
        WikiStatus(renewed_for=12),  # the last episode ordered, in no season the list names
    ),
    (
        "Final season due to premiere in May 2025[56][57]",
        2,
        WikiStatus(renewed_for=3, final_season=3, due="May 2025", due_season=3),
    ),
    ("Miniseries ongoing", None, WikiStatus(miniseries=True)),
    ("Limited series", None, WikiStatus(miniseries=True)),
    ("Renewed for season 4 and a reunion special[163][85]", 3, WikiStatus(renewed_for=4)),
    (
        "Season 2 due to premiere in early 2025[169][170]",
        1,
        WikiStatus(renewed_for=2, due="early 2025", due_season=2),
    ),
    ("New episode due to premiere on April 8, 2025[182]", 5, WikiStatus(due="April 8, 2025")),
    ("Season 1 ongoing Renewed[184]", 1, WikiStatus(renewed_for=2)),
]


@pytest.mark.parametrize(("raw", "seasons", "expected"), REAL_STATUSES)
def test_parse_status_real_shapes(raw: str, seasons: int | None, expected: WikiStatus) -> None:
    assert parse_status(raw, seasons) == expected


def test_a_due_wording_is_a_day_only_when_it_names_one() -> None:
    assert WikiStatus(due="April 9, 2025").due_day == date(2025, 4, 9)
    assert [WikiStatus(due=w).due_day for w in ("May 2025", "late 2025", "2025", None)] == [
        None
    ] * 4


def test_every_real_status_parses(current: wp.ReadResult[CurrentSeries]) -> None:
    assert not [p for p in current.problems if p.field == "Status" and p.line is not None]


def test_parse_status_other_wordings() -> None:
    assert parse_status("Ended", 3) == WikiStatus(ended=True)
    assert parse_status("Cancelled[4]", 1).ended
    assert parse_status("Renewed for a third season", 2).renewed_for == 3
    assert parse_status("Renewed", None) == WikiStatus()  # nothing to infer from
    # an order counted in episodes names no final season, however it ends
    assert parse_status("Renewed for 20 more episodes (final)", 4) == WikiStatus(renewed_for=5)
    assert parse_status("Renewed up to episode 60 and final", 2).final_season is None
    with pytest.raises(ValueError, match="unrecognised"):
        parse_status("Under review by the network", 2)
    with pytest.raises(ValueError, match="empty"):
        parse_status("[3]", 2)


# ---------------------------------------------------------------- cells


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("November 2, 2018", date(2018, 11, 2)),
        ("May 22, 2025[46]", date(2025, 5, 22)),
        ("March 31, 2025[114][3]", date(2025, 3, 31)),
        ("2 November 2018", date(2018, 11, 2)),
        ("2018", None),
        ("2025[12]", None),
        ("May 2025", None),
        ("Mid-2025", None),
        ("TBA", None),
        ("Weekly release", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_wiki_date(text: str | None, expected: date | None) -> None:
    assert parse_wiki_date(text) == expected


def test_parse_wiki_date_rejects_non_dates() -> None:
    with pytest.raises(ValueError, match="not a date"):
        parse_wiki_date("Novembr 2, 2018")
    with pytest.raises(ValueError):
        parse_wiki_date("February 30, 2020")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6 seasons, 73 episodes", (6, 73)),
        ("1 season, 10 episodes", (1, 10)),
        ("10 episodes", (None, 10)),
        ("3 episodes[148]", (None, 3)),
        ("2 parts, 11 episodes", (2, 11)),
        ("3 volumes, 35 episodes", (3, 35)),
        ("1 collection, 12 episodes", (1, 12)),
        ("3 books, 24 episodes", (3, 24)),
        ("2 chapters, 19 episodes", (2, 19)),
        ("6 chapters", (None, 6)),
        ("TBA", (None, None)),
        (None, (None, None)),
    ],
)
def test_parse_seasons(text: str | None, expected: tuple[int | None, int | None]) -> None:
    assert parse_seasons(text) == expected


def test_parse_seasons_rejects_text_without_counts() -> None:
    with pytest.raises(ValueError, match="no season or episode count"):
        parse_seasons("several seasons")


@pytest.mark.parametrize(
    ("genre", "kind"),
    [
        ("Legal drama", "scripted"),
        ("Sitcom", "scripted"),
        ("Reality competition", "reality"),
        ("Baking competition", "reality"),
        ("Dating show", "reality"),
        ("True crime docuseries", "docuseries"),
        ("Docu-series", "docuseries"),
        ("Anime", "anime"),
        ("Adult animated horror comedy", "animation"),
        ("Animation/interactive fiction", "animation"),
        ("Preschool adventure comedy", "kids"),
        ("Children's comedy", "kids"),
        ("Comedy talk show", "talk"),
        ("Late-night", "talk"),
        ("Stand-up comedy competition", "stand-up"),
        ("Reality television/interactive fiction", "reality"),
        ("Sports", None),
        ("", None),
        (None, None),
    ],
)
def test_kind_from_genre(genre: str | None, kind: str | None) -> None:
    assert kind_from_genre(genre) == kind


def test_last_season_in_title() -> None:
    assert wp.last_season_in_title("You (seasons 2–4)") == 4
    assert wp.last_season_in_title("Pernille (season 4)") == 4
    assert wp.last_season_in_title("Black Mirror (series 3–6)") == 6
    assert wp.last_season_in_title("The Staircase (episodes 11–13)") is None
    assert wp.last_season_in_title("Stranger Things") is None


def test_a_continuation_is_the_series_of_its_own_name() -> None:
    assert wp.split_continuation("Harbor Lights (seasons 3–5)") == ("Harbor Lights", (3, 5))
    assert wp.split_continuation("Harbor Lights (season 2)") == ("Harbor Lights", (2, 2))
    assert wp.split_continuation("Harbor Lights (parts 3–5)") == ("Harbor Lights", (3, 5))
    assert wp.split_continuation("Harbor Lights (episodes 4–6)") == (
        "Harbor Lights (episodes 4–6)",
        None,
    )
    assert wp.split_continuation("(season 2)") == ("(season 2)", None)  # no name left
    assert wp.split_continuation("Harbor Lights (seasons 5–3)") == (
        "Harbor Lights (seasons 5–3)",
        None,
    )
    data = _csv(
        ENDED_HEADER,
        [
            [
                "1",
                "May 1, 2020",
                "Drama",
                "",
                "April 3, 2019",
                "50 min",
                "2 seasons",
                "Harbor Lights (seasons 3–4)",
            ]
        ],
    )
    (row,) = wp.parse_ended(data, "ended.csv").records
    assert (row.title, row.continued, row.seasons) == ("Harbor Lights", (3, 4), 2)


def test_snapshot_date_from_name() -> None:
    assert wp.snapshot_date("x/netflix-original-programming-2025-03-24.csv") == date(2025, 3, 24)
    with pytest.raises(SourceError, match="no snapshot date"):
        wp.snapshot_date("netflix-original-programming.csv")
    with pytest.raises(SourceError, match="not a real date"):
        wp.snapshot_date("list-2025-02-30.csv")


# ---------------------------------------------------------------- bad input


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


ENDED_HEADER = ["table", "Finale", "Genre", "Notes", "Premiere", "Runtime", "Seasons", "Title"]


def test_ended_bad_rows_are_reported_and_good_rows_kept() -> None:
    data = _csv(
        ENDED_HEADER,
        [
            [
                "0",
                "November 2, 2018",
                "Political drama",
                "",
                "February 1, 2013",
                "",
                "6 seasons, 73 episodes",
                "House of Cards",
            ],
            ["0", "Novembr 2, 2018", "Drama", "", "2013", "", "lots", "Bad Dates"],
            ["x", "", "", "", "June 5, 2015", "", "", ""],
            ["1", "July 1, 2016", "Comedy"],
        ],
    )
    data = data.replace(b"Bad Dates", "Caf\u00e9".encode("latin-1"))  # not UTF-8
    result = wp.parse_ended(data, "ended.csv")
    titles = [r.title for r in result.records]
    assert titles == ["House of Cards"]  # the undecodable line is left out, not guessed
    where = {(p.line, p.field) for p in result.problems}
    assert (3, None) in where  # undecodable bytes, reported on their line
    assert (4, "Title") in where
    assert (5, None) in where  # 3 fields for 8 columns
    fixed = wp.parse_ended(data.replace("Caf\u00e9".encode("latin-1"), b"Cafe"), "ended.csv")
    where = {(p.line, p.field) for p in fixed.problems}
    assert (3, "Finale") in where and (3, "Seasons") in where
    assert (3, "Premiere") not in where  # a year alone is imprecise, not wrong
    bad = next(r for r in fixed.records if r.line == 3)
    assert bad.finale is None and bad.seasons is None


def test_missing_column_is_a_whole_file_error() -> None:
    data = _csv(["table", "Finale", "Name"], [["0", "May 1, 2020", "X"]])
    with pytest.raises(SourceError, match=r"ended\.csv: missing column\(s\) Title, Premiere"):
        wp.parse_ended(data, "ended.csv")
    with pytest.raises(SourceError, match="Status"):
        wp.parse_current(_csv(["Title", "Premiere"], [["X", "2020"]]), "current.csv")
    with pytest.raises(SourceError, match="empty"):
        wp.parse_current(b"", "current.csv")


def test_current_unreadable_status_is_reported_and_row_kept() -> None:
    header = ["Title", "Genre", "Premiere", "Seasons", "Runtime", "Status"]
    data = _csv(
        header,
        [
            ["Show A", "Drama", "May 1, 2020", "2 seasons, 16 episodes", "", "Under review"],
            ["Show B", "Drama", "May 1, 2021", "1 season, 8 episodes", "", "Renewed[4]"],
        ],
    )
    result = wp.parse_current(data, "current.csv")
    assert [r.title for r in result.records] == ["Show A", "Show B"]
    (problem,) = result.problems
    assert (problem.line, problem.field) == (2, "Status")
    assert result.records[0].status == WikiStatus()
    assert result.records[1].status.renewed_for == 2


def test_a_runtime_in_the_language_column_is_reported_not_stored_as_a_language() -> None:
    header = ["Title", "Genre", "Premiere", "Seasons", "Runtime", "Status", "Language"]
    data = _csv(
        header,
        [
            ["Show A", "", "May 1, 2020", "3 episodes", "TBA", "Miniseries", "45 min"],
            ["Show B", "Drama", "May 1, 2021", "1 season", "40 min", "Renewed", "Portuguese"],
        ],
    )
    result = wp.parse_current(data, "current.csv")
    assert [r.language for r in result.records] == [None, "Portuguese"]
    (problem,) = result.problems
    assert (problem.file, problem.line, problem.field) == ("current.csv", 2, "Language")
    assert "'45 min' is not a language" in problem.message
    ended = wp.parse_ended(
        _csv(
            ["table", "Title", "Premiere", "Language"], [["0", "Show C", "May 1, 2019", "30 min"]]
        ),
        "ended.csv",
    )
    assert ended.records[0].language is None and ended.problems[0].field == "Language"


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="file not found"):
        wp.read_ended(tmp_path / "ended-2023-11-06.csv")


# ---------------------------------------------------------------- live page


def _api_route(router: respx.MockRouter) -> respx.Route:
    return router.get("https://en.wikipedia.org/w/api.php")


def test_fetch_and_parse_live_list(fixtures: Path) -> None:
    payload = json.loads((fixtures / "wikipedia" / "parse-list.json").read_text("utf-8"))
    with respx.mock(assert_all_called=True) as router:
        route = _api_route(router).respond(json=payload)
        with httpx.Client() as client:
            html = wp.fetch_list(client, wp.CURRENT_PAGE)
        request = route.calls.last.request
        assert request.url.params["action"] == "parse"
        assert request.url.params["page"] == "List_of_Netflix_original_programming"
        assert request.headers["User-Agent"].startswith("renewcast/")

    result = wp.parse_list_html(html, "https://en.wikipedia.org/wiki/X", date(2025, 3, 24))
    assert result.file_date == date(2025, 3, 24)
    current = [r for r in result.records if isinstance(r, CurrentSeries)]
    ended = [r for r in result.records if isinstance(r, EndedSeries)]
    by_title = {r.title: r for r in current}
    assert list(by_title) == [
        "Stranger Things",
        "Virgin River",
        "Sweet Magnolias",
        "The Witcher",
        "Sirens",
        "Somebody Feed Phil",
    ]
    assert by_title["Stranger Things"].status == WikiStatus(
        renewed_for=5, final_season=5, due="2025", due_season=5
    )
    assert by_title["Virgin River"].premiere == date(2019, 12, 6)  # hidden sort key dropped
    assert by_title["Sweet Magnolias"].status.pending  # Status shared through rowspan
    # season 4 is due in 2025; season 5, the last, is ordered
    assert by_title["The Witcher"].status == WikiStatus(
        renewed_for=5, final_season=5, due="2025", due_season=4
    )
    assert by_title["Sirens"].premiere == date(2025, 5, 22)
    assert by_title["Somebody Feed Phil"].kind == "docuseries"
    assert by_title["Somebody Feed Phil"].language == "English"
    (richie,) = ended
    assert (richie.title, richie.kind, richie.seasons) == ("Richie Rich", "kids", 2)
    assert richie.finale == date(2015, 4, 24)
    (note,) = result.problems
    assert "1 'Awaiting release'" in note.message


def test_fetch_list_errors_become_source_errors() -> None:
    with respx.mock() as router:
        route = _api_route(router)
        route.respond(
            json={
                "error": {"code": "missingtitle", "info": "The page you specified doesn't exist."}
            }
        )
        with httpx.Client() as client, pytest.raises(SourceError, match="check the page name"):
            wp.fetch_list(client, "No_such_page")
        route.respond(status_code=503)
        with httpx.Client() as client, pytest.raises(SourceError, match="HTTP 503"):
            wp.fetch_list(client)
        route.respond(text="<html>maintenance</html>")
        with httpx.Client() as client, pytest.raises(SourceError, match="not JSON"):
            wp.fetch_list(client)


def test_cell_text_drops_footnotes_and_sort_keys_but_keeps_following_text() -> None:
    from lxml import html as lxml_html

    cell = lxml_html.fromstring(
        '<td><span class="sortkey" style="display:none">2019-12-06</span>Renewed'
        '<sup class="reference"><a href="#c">[7]</a></sup> for <b>season 3</b>'
        '<sup class="reference">[8]</sup><br>(final)</td>'
    )
    assert wp._cell_text(cell) == "Renewed for season 3 (final)"


def test_renewed_without_a_season_count_counts_episodes_as_one_season() -> None:
    header = ["Title", "Genre", "Premiere", "Seasons", "Runtime", "Status"]
    data = _csv(header, [["Show", "Drama", "March 7, 2025", "16 episodes", "", "Renewed"]])
    (record,) = wp.parse_current(data, "current.csv").records
    assert record.status.renewed_for == 2


def test_empty_live_page_is_a_source_error() -> None:
    with pytest.raises(SourceError, match="empty page"):
        wp.parse_list_html(b"  ", "https://en.wikipedia.org/wiki/X", date(2025, 3, 24))
