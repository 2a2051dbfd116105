"""Netflix Top 10 readers, on the real files in shared/data/netflix-top10 and on damaged copies of
their lines; the live download with recorded responses (respx)."""

from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import respx

from renewcast.sources import netflix_top10 as top10
from renewcast.sources.base import USER_AGENT, ReadResult, RowProblem, SourceError

GLOBAL = "all-weeks-global.tsv"
COUNTRIES = "all-weeks-countries-to-2022-02-27.tsv"


@pytest.fixture(scope="module")
def top10_dir(data_dir: Path) -> Path:
    return data_dir / "netflix-top10"


@pytest.fixture(scope="module")
def global_result(top10_dir: Path) -> ReadResult[top10.ChartRow]:
    return top10.read_global(top10_dir / GLOBAL)


@pytest.fixture(scope="module")
def global_lines(top10_dir: Path) -> list[str]:
    """The real header and rows, as text lines, to build damaged copies from."""
    return (top10_dir / GLOBAL).read_text(encoding="utf-8").split("\n")


def _tsv(lines: list[str]) -> bytes:
    return "\n".join(lines).encode("utf-8")


def _only(problems: list[RowProblem], field: str | None) -> list[RowProblem]:
    return [p for p in problems if p.field == field]


# ---------------------------------------------------------------- the real files


def test_global_has_every_row_of_every_week(global_result: ReadResult[top10.ChartRow]):
    rows = global_result.records
    # 264 weeks x 4 categories x 10 ranks. (`wc -l` says 10,559 because the file has no final
    # newline; the file really holds 10,560 data lines after its header.)
    assert len(rows) == 10_560
    per_week = Counter(r.week for r in rows)
    assert len(per_week) == 264
    assert set(per_week.values()) == {40}
    assert min(per_week) == date(2021, 7, 4) and max(per_week) == date(2026, 7, 19)
    assert global_result.file_date == date(2026, 7, 19)
    assert {r.category for r in rows} == set(top10.GLOBAL_CATEGORIES)
    assert len({r.key for r in rows}) == len(rows)
    assert global_result.source == "netflix-top10/global"
    assert len(global_result.sha256) == 64


def test_global_problems_are_only_the_known_zero_runtimes(
    global_result: ReadResult[top10.ChartRow],
):
    # Netflix publishes runtime 0 for some non-English TV rows (mid-2023 on); no title has a
    # zero runtime, so those are read as unknown and reported once, with the count.
    assert len(global_result.problems) == 1
    note = global_result.problems[0]
    assert note.field == "runtime" and "165 rows" in note.message
    zero_runtime_rows = [r for r in global_result.records if r.runtime_hours is None and r.views]
    assert len(zero_runtime_rows) == 165
    assert all(is_tv for is_tv in (top10.is_tv(r.category) for r in zero_runtime_rows))


def test_global_older_weeks_have_no_views_or_runtime(
    global_result: ReadResult[top10.ChartRow],
):
    rows = global_result.records
    without_views = [r for r in rows if r.views is None]
    assert len(without_views) == 4_080  # 102 weeks x 40, up to 2023-06-11
    assert max(r.week for r in without_views if r.week) == date(2023, 6, 11)
    assert all(r.hours and r.hours >= 500_000 for r in rows)
    # Films carry "N/A" (read as None) — except a few docuseries Netflix filed under films;
    # and some TV rows (single specials, stand-up) carry "N/A" too. Both are kept as published.
    films = [r for r in rows if not top10.is_tv(r.category)]
    assert sum(r.season_title is not None for r in films) == 9
    tv = [r for r in rows if top10.is_tv(r.category)]
    assert sum(r.season_title is None for r in tv) == 171


def test_partner_track_three_weeks(global_result: ReadResult[top10.ChartRow]):
    rows = sorted(
        (r for r in global_result.records if r.show_title == "Partner Track"),
        key=lambda r: r.week or date.min,
    )
    assert [(r.week, r.rank, r.hours, r.cumulative_weeks) for r in rows] == [
        (date(2022, 8, 28), 7, 16_660_000.0, 1),
        (date(2022, 9, 4), 4, 31_140_000.0, 2),
        (date(2022, 9, 11), 6, 18_210_000.0, 3),
    ]
    assert {r.season_title for r in rows} == {"Partner Track: Season 1"}
    assert {r.category for r in rows} == {"TV (English)"}
    assert all(r.views is None and r.runtime_hours is None for r in rows)
    assert all(r.list == "global" and r.country_iso2 is None for r in rows)


def test_countries_file(top10_dir: Path):
    started = time.perf_counter()
    result = top10.read_countries(top10_dir / COUNTRIES)
    elapsed = time.perf_counter() - started
    rows = result.records
    assert len(rows) == 65_800  # 35 weeks x 94 countries x 20 (wc -l: 65,799, no final newline)
    assert result.problems == []
    assert len({r.country_iso2 for r in rows}) == 94
    assert len({r.week for r in rows}) == 35
    assert result.file_date == date(2022, 2, 27)
    assert {r.category for r in rows} == {"Films", "TV"}
    assert all(r.hours is None and r.views is None for r in rows)
    argentina = rows[0]
    assert (argentina.country_name, argentina.country_iso2, argentina.line) == (
        "Argentina",
        "AR",
        2,
    )
    assert len({r.key for r in rows}) == len(rows)
    print(f"countries: {len(rows):,} rows read in {elapsed:.2f} s")


def test_most_popular(top10_dir: Path):
    result = top10.read_most_popular(top10_dir / "most-popular.tsv")
    rows = result.records
    assert result.problems == []
    assert len(rows) == 40  # 4 categories x 10
    assert Counter(r.category for r in rows) == dict.fromkeys(top10.GLOBAL_CATEGORIES, 10)
    assert all(r.week is None and r.list == "most-popular" for r in rows)
    assert all(r.hours and r.views and r.runtime_hours for r in rows)
    tv = [r for r in rows if top10.is_tv(r.category)]
    assert all(r.season_title for r in tv)
    assert result.file_date is None


def test_published_at_is_the_tuesday_after_the_week():
    assert top10.published_at(date(2022, 8, 28)) == datetime(2022, 8, 30, tzinfo=UTC)
    assert top10.published_at(date(2022, 8, 28)).weekday() == 1
    # Any day maps to the next Tuesday strictly after it.
    assert top10.published_at(date(2022, 8, 30)) == datetime(2022, 9, 6, tzinfo=UTC)
    assert top10.published_at(date(2022, 8, 29)) == datetime(2022, 8, 30, tzinfo=UTC)


def test_is_tv():
    assert top10.is_tv("TV (English)") and top10.is_tv("TV (Non-English)") and top10.is_tv("TV")
    assert not top10.is_tv("Films (English)") and not top10.is_tv("Films")


def test_published_at_never_after_first_seen(
    top10_dir: Path, global_result: ReadResult[top10.ChartRow]
):
    seen = top10.read_week_first_seen(top10_dir / "week-first-seen.csv")
    assert seen.problems == []
    assert len(seen.records) == 264
    assert {s.week for s in seen.records} == {r.week for r in global_result.records}
    on_time = [s for s in seen.records if not s.backfilled]
    assert len(on_time) == 232
    late = [s for s in on_time if top10.published_at(s.week) > s.first_seen]
    print(f"weeks whose first sighting precedes published_at: {len(late)}")
    assert late == []  # the rule: a list is never seen before it is published
    margins = sorted(s.first_seen - top10.published_at(s.week) for s in on_time)
    print(f"first_seen - published_at: min {margins[0]}, max {margins[-1]}")
    # Seen within two days of publication when the scrape was running.
    assert margins[-1] < timedelta(days=3)
    backfilled = [s for s in seen.records if s.backfilled]
    assert all(top10.published_at(s.week) < s.first_seen for s in backfilled)


def test_relabels(top10_dir: Path):
    result = top10.read_relabels(top10_dir / "season-title-relabels.csv")
    assert result.problems == []
    rows = result.records
    assert len(rows) == 134
    first = rows[0]
    assert (first.show_title, first.old_season_title, first.new_season_title) == (
        "Stay Close",
        "Stay Close: Season 1",
        "Stay Close: Limited Series",
    )
    assert first.first_seen == datetime(2022, 1, 12, 13, 34, 38, tzinfo=UTC)
    # Quoted CSV values with commas survive.
    assert any(r.show_title == "Nevertheless," for r in rows)
    to_limited = [r for r in rows if r.new_season_title.endswith(": Limited Series")]
    assert len(to_limited) > 50
    assert all(r.old_season_title != r.new_season_title for r in rows)
    assert [r.first_seen for r in rows] == sorted(r.first_seen for r in rows)


def test_missing_file_is_a_source_error(tmp_path: Path):
    with pytest.raises(SourceError, match="not found"):
        top10.read_global(tmp_path / GLOBAL)


# ---------------------------------------------------------------- bad input


def test_bad_rank_is_reported_and_other_rows_kept(global_lines: list[str]):
    lines = global_lines[:11]
    cells = lines[3].split("\t")
    cells[2] = "seven"
    lines[3] = "\t".join(cells)
    result = top10.parse_global(_tsv(lines), "bad-rank.tsv")
    assert len(result.records) == 9
    assert [(p.file, p.line, p.field) for p in result.problems] == [
        ("bad-rank.tsv", 4, "weekly_rank")
    ]
    assert "'seven'" in result.problems[0].message
    assert 4 not in {r.line for r in result.records}


def test_rank_outside_top10_and_non_sunday_week(global_lines: list[str]):
    lines = global_lines[:4]
    lines[1] = lines[1].replace("\t1\t", "\t11\t", 1)
    lines[2] = lines[2].replace("2026-07-19", "2026-07-20", 1)
    result = top10.parse_global(_tsv(lines), "odd.tsv")
    assert [r.line for r in result.records] == [4]
    assert [(p.line, p.field) for p in result.problems] == [(2, "weekly_rank"), (3, "week")]
    assert "Sunday" in result.problems[1].message


def test_missing_required_column_is_a_source_error(global_lines: list[str]):
    lines = [
        "\t".join(c for i, c in enumerate(line.split("\t")) if i != 2) for line in global_lines
    ]
    with pytest.raises(SourceError) as e:
        top10.parse_global(_tsv(lines[:5]), "no-rank.tsv")
    assert "no-rank.tsv" in str(e.value) and "'weekly_rank'" in str(e.value)
    assert top10.BASE_URL in str(e.value)


def test_missing_optional_columns_give_none(global_lines: list[str]):
    keep = [0, 1, 2, 3, 4, 5]  # drop runtime, weekly_views, cumulative_weeks_in_top_10
    lines = ["\t".join(line.split("\t")[i] for i in keep) for line in global_lines[:6]]
    result = top10.parse_global(_tsv(lines), "old-layout.tsv")
    assert len(result.records) == 5
    assert all(r.views is None and r.runtime_hours is None for r in result.records)
    assert all(r.cumulative_weeks is None and r.hours for r in result.records)
    assert {(p.line, p.field) for p in result.problems} == {
        (1, "runtime"),
        (1, "weekly_views"),
        (1, "cumulative_weeks_in_top_10"),
    }


def test_non_utf8_bytes_are_reported_by_line(global_lines: list[str]):
    data = _tsv(global_lines[:6]).replace(b"Shipwrecked", b"Shipwr\xe9cked", 1)
    result = top10.parse_global(data, "latin1.tsv")
    # the line is left out, not stored as a guess a fixed file could never undo
    assert len(result.records) == 4
    assert [(p.line, p.field) for p in result.problems] == [(2, None)]
    assert "UTF-8" in result.problems[0].message and "skipped" in result.problems[0].message
    assert all("\ufffd" not in r.show_title for r in result.records)


def test_extra_unknown_columns_are_reported_once(global_lines: list[str]):
    extra = [
        line + ("\tis_staggered_launch\tepisode_launch_details" if i == 0 else "\tFalse\t")
        for i, line in enumerate(global_lines[:31])
    ]
    result = top10.parse_global(_tsv(extra), "wider.tsv")
    assert len(result.records) == 30
    assert [(p.line, p.field) for p in result.problems] == [
        (1, "is_staggered_launch"),
        (1, "episode_launch_details"),
    ]
    # Columns are found by name, so a reordered header reads the same.
    header = global_lines[0].split("\t")
    order = list(reversed(range(len(header))))
    reordered = ["\t".join(line.split("\t")[i] for i in order) for line in global_lines[:31]]
    again = top10.parse_global(_tsv(reordered), "reordered.tsv")
    assert [r.key for r in again.records] == [r.key for r in result.records]
    assert again.records[0].hours == result.records[0].hours


def test_truncated_last_line_is_reported(global_lines: list[str]):
    lines = global_lines[:11]
    lines[10] = lines[10][: lines[10].index("\t", 30)]  # cut after a few fields, no newline
    result = top10.parse_global(_tsv(lines), "cut.tsv")
    assert len(result.records) == 9
    assert [(p.line, p.field) for p in result.problems] == [(11, None)]
    assert "truncated" in result.problems[0].message


def test_bad_numbers(global_lines: list[str]):
    lines = global_lines[:5]
    rows = [line.split("\t") for line in lines]
    rows[1][5] = "16,600,000"  # thousands separators are fine
    rows[2][5] = "12x"
    rows[3][7] = ""
    rows[4][8] = "2.5"
    result = top10.parse_global(_tsv(["\t".join(r) for r in rows]), "numbers.tsv")
    by_line = {r.line: r for r in result.records}
    assert len(by_line) == 4  # a bad optional cell keeps the row
    assert by_line[2].hours == 16_600_000.0
    assert by_line[3].hours is None
    assert by_line[4].views is None
    assert by_line[5].cumulative_weeks is None
    assert [(p.line, p.field) for p in result.problems] == [
        (3, "weekly_hours_viewed"),
        (5, "cumulative_weeks_in_top_10"),
    ]


def test_duplicate_entries_keep_the_first(global_lines: list[str]):
    lines = [*global_lines[:4], global_lines[2]]
    result = top10.parse_global(_tsv(lines), "dup.tsv")
    assert [r.line for r in result.records] == [2, 3, 4]
    assert [(p.line, p.field) for p in result.problems] == [(5, "rank")]


def test_crlf_bom_and_blank_lines(global_lines: list[str]):
    data = b"\xef\xbb\xbf" + "\r\n".join([*global_lines[:6], "", ""]).encode()
    result = top10.parse_global(data, "windows.tsv")
    plain = top10.parse_global(_tsv(global_lines[:6]), "plain.tsv")
    assert result.problems == []
    assert result.records == plain.records


def test_empty_file_is_a_source_error():
    with pytest.raises(SourceError, match="empty"):
        top10.parse_global(b"\n\n", "empty.tsv")


def test_quote_characters_in_titles_are_literal(global_lines: list[str]):
    cells = global_lines[1].split("\t")
    cells[3] = '"Sr." and friends'
    result = top10.parse_global(_tsv([global_lines[0], "\t".join(cells), global_lines[2]]), "q")
    assert result.problems == []
    assert result.records[0].show_title == '"Sr." and friends'


def test_bad_week_first_seen_and_relabel_rows(top10_dir: Path):
    seen_lines = (top10_dir / "week-first-seen.csv").read_text(encoding="utf-8").split("\n")[:5]
    seen_lines[2] = seen_lines[2].replace("2021-11-17T01:15:49+00:00", "yesterday")
    seen_lines[3] = seen_lines[3].replace(",True", ",maybe")
    seen = top10.parse_week_first_seen("\n".join(seen_lines).encode(), "seen.csv")
    assert [s.line for s in seen.records] == [2, 5]
    assert [(p.line, p.field) for p in seen.problems] == [
        (3, "first_seen_commit_time"),
        (4, "backfilled_or_gap"),
    ]
    relabel_lines = (top10_dir / "season-title-relabels.csv").read_text().split("\n")[:4]
    parts = relabel_lines[2].split(",")
    relabel_lines[2] = ",".join([*parts[:4], parts[3]])  # new title == old title
    relabel_lines.append('2022-07-20T13:53:29+00:00,a865b32f75,"Unclosed quote,Old,New')
    relabels = top10.parse_relabels("\n".join(relabel_lines).encode(), "relabels.csv")
    assert [r.line for r in relabels.records] == [2, 4]
    assert [(p.line, p.field) for p in relabels.problems] == [
        (3, "new_season_title"),
        (5, None),
    ]


# ---------------------------------------------------------------- live (recorded)

GLOBAL_URL = "https://www.netflix.com/tudum/top10/data/all-weeks-global.tsv"


@respx.mock
def test_fetch_and_parse_global(fixtures: Path):
    body = (fixtures / "top10" / "all-weeks-global.tsv").read_bytes()
    route = respx.get(GLOBAL_URL).mock(
        return_value=httpx.Response(
            200, content=body, headers={"Content-Type": "text/tab-separated-values"}
        )
    )
    with httpx.Client() as client:
        data = top10.fetch(client, "global")
    assert route.called
    assert route.calls.last.request.headers["User-Agent"] == USER_AGENT
    assert data == body
    result = top10.parse_official("global", data, GLOBAL_URL)
    assert result.problems == []
    assert result.uri == GLOBAL_URL
    partner = [r for r in result.records if r.show_title == "Partner Track"]
    assert [(r.week, r.rank, r.hours) for r in partner] == [
        (date(2022, 9, 11), 6, 18_210_000.0),
        (date(2022, 9, 4), 4, 31_140_000.0),
        (date(2022, 8, 28), 7, 16_660_000.0),
    ]
    assert result.file_date == date(2026, 7, 19)


@respx.mock
def test_fetch_countries_by_file_name_follows_redirects(fixtures: Path):
    body = (fixtures / "top10" / "all-weeks-countries.tsv").read_bytes()
    moved = "https://cdn.example.net/top10/all-weeks-countries.tsv"
    respx.get("https://www.netflix.com/tudum/top10/data/all-weeks-countries.tsv").mock(
        return_value=httpx.Response(302, headers={"Location": moved})
    )
    respx.get(moved).mock(return_value=httpx.Response(200, content=body))
    with httpx.Client() as client:
        data = top10.fetch(client, "all-weeks-countries.tsv")
    result = top10.parse_official("countries", data, moved)
    assert [(r.country_iso2, r.rank, r.show_title) for r in result.records] == [
        ("US", 1, "Inventing Anna"),
        ("US", 2, "Love Is Blind"),
    ]


@respx.mock
def test_fetch_http_error_names_the_url():
    respx.get(GLOBAL_URL).mock(return_value=httpx.Response(404))
    with httpx.Client() as client, pytest.raises(SourceError) as e:
        top10.fetch(client, "global")
    assert GLOBAL_URL in str(e.value) and "404" in str(e.value)


@respx.mock
def test_fetch_timeout_and_network_errors():
    respx.get(GLOBAL_URL).mock(side_effect=httpx.ReadTimeout("slow"))
    with httpx.Client() as client, pytest.raises(SourceError, match="timed out"):
        top10.fetch(client, "global")
    respx.get(GLOBAL_URL).mock(side_effect=httpx.ConnectError("no route"))
    with httpx.Client() as client, pytest.raises(SourceError, match="download failed"):
        top10.fetch(client, "global")


@respx.mock
def test_fetch_size_cap(fixtures: Path):
    body = (fixtures / "top10" / "all-weeks-global.tsv").read_bytes()
    respx.get(GLOBAL_URL).mock(return_value=httpx.Response(200, content=body))
    with httpx.Client() as client, pytest.raises(SourceError, match="limit"):
        top10.fetch(client, "global", max_bytes=100)


@respx.mock
def test_fetch_html_instead_of_tsv():
    respx.get(GLOBAL_URL).mock(
        return_value=httpx.Response(200, content=b"<!DOCTYPE html><html>Access denied</html>")
    )
    with httpx.Client() as client, pytest.raises(SourceError, match="HTML"):
        top10.fetch(client, "global")


def test_unknown_official_file():
    with httpx.Client() as client, pytest.raises(SourceError, match="not a Netflix Top 10 file"):
        top10.fetch(client, "all-weeks-galactic.tsv")
