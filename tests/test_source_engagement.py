"""Netflix engagement reports: the five real workbooks, other layouts, bad input, live fetch."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, datetime, time
from pathlib import Path

import httpx
import openpyxl
import pytest
import respx

from renewcast.sources.base import USER_AGENT, SourceError, sha256_bytes
from renewcast.sources.netflix_engagement import (
    PUBLISHED,
    REPORT_SHA256,
    REPORT_URLS,
    EngagementRow,
    fetch_report,
    parse_report,
    parse_runtime,
    parse_title,
    publication_date,
    read_report,
    report_period,
)

NAME = "What_We_Watched_A_Netflix_Engagement_Report_{}.xlsx"

# report → (file part, {sheet: (kind, rows)}, has runtime and views)
REPORTS = {
    "2023-H1": ("2023Jan-Jun", {"Engagement": (None, 18214)}, False),
    "2023-H2": ("2023Jul-Dec", {"TV": ("tv", 6599), "Film": ("film", 9395)}, True),
    "2024-H1": ("2024Jan-Jun", {"TV": ("tv", 6801), "Film": ("film", 9360)}, True),
    "2024-H2": ("2024Jul-Dec", {"TV": ("tv", 6883), "Film": ("film", 8680)}, True),
    "2025-H1": ("2025Jan-Jun", {"Shows": ("tv", 7508), "Movies": ("film", 8674)}, True),
}


@pytest.fixture(scope="module")
def engagement_dir(data_dir: Path) -> Path:
    return data_dir / "netflix-engagement"


@pytest.fixture(scope="module")
def reports(engagement_dir: Path) -> dict[str, list[EngagementRow]]:
    out = {}
    for report, (part, _, _) in REPORTS.items():
        result = read_report(engagement_dir / NAME.format(part))
        assert result.problems == []
        out[report] = result.records
    return out


def workbook(sheets: Mapping[str, Sequence[Sequence[object]]]) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def rewrite_member(data: bytes, member: str, edit: Callable[[bytes], bytes]) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            dst.writestr(info, edit(body) if info.filename == member else body)
    return out.getvalue()


# --- the real reports --------------------------------------------------------------------


@pytest.mark.parametrize("report", list(REPORTS))
def test_real_report_rows_sheets_and_columns(
    report: str, reports: dict[str, list[EngagementRow]]
) -> None:
    _, sheets, later_layout = REPORTS[report]
    rows = reports[report]
    counts = {s: sum(1 for r in rows if r.sheet == s) for s in sheets}
    assert counts == {s: n for s, (_, n) in sheets.items()}
    for r in rows:
        assert r.kind == sheets[r.sheet][0]
        assert r.report == report and r.published == PUBLISHED[report]
        assert r.title and r.hours is not None and r.hours >= 50_000
        assert r.available_globally is not None
    start, end = rows[0].period_start, rows[0].period_end
    assert (start.month, end.month) == ((1, 6) if report.endswith("H1") else (7, 12))
    # Columns found: views and runtime exist from 2023-H2 on, never in 2023-H1.
    with_views = sum(r.views is not None for r in rows)
    with_runtime = sum(r.runtime_hours is not None for r in rows)
    if later_layout:
        assert with_views == len(rows)
        marked = [r for r in rows if r.runtime_hours is None]
        assert marked and all(r.runtime_marked for r in marked)  # Netflix's "*" runtimes
        assert with_runtime > 0.95 * len(rows)
    else:
        assert with_views == with_runtime == 0
    # Release dates: Excel dates in 2023-H1, ISO strings later; about a quarter to a third set.
    assert 0.2 * len(rows) < sum(r.release_date is not None for r in rows) < 0.5 * len(rows)
    # Rows are in the file's order, one per worksheet row from line 7.
    first_sheet = next(iter(sheets))
    lines = [r.line for r in rows if r.sheet == first_sheet]
    assert lines == list(range(7, 7 + len(lines)))


def test_partner_track_season_1_in_2023_h1(reports: dict[str, list[EngagementRow]]) -> None:
    found = [r for r in reports["2023-H1"] if r.title == "Partner Track: Season 1"]
    print(found)
    assert len(found) == 1
    row = found[0]
    assert row.hours == 22_700_000
    assert row.release_date == date(2022, 8, 26)
    assert row.available_globally is True
    assert (row.sheet, row.line, row.kind, row.views) == ("Engagement", 948, None, None)
    assert (row.period_start, row.period_end) == (date(2023, 1, 1), date(2023, 6, 30))
    assert row.published == date(2023, 12, 12)
    # Later reports carry views and runtime for the same season.
    h2 = next(r for r in reports["2023-H2"] if r.title == "Partner Track: Season 1")
    assert (h2.hours, h2.views, h2.kind) == (10_600_000, 1_400_000, "tv")
    assert h2.runtime_hours == pytest.approx(7 + 28 / 60)


def test_native_titles_split_off(reports: dict[str, list[EngagementRow]]) -> None:
    squid = [r for r in reports["2024-H2"] if r.title == "Squid Game: Season 2"]
    assert [r.native_title for r in squid] == ["오징어 게임: 시즌 2"]
    glory = next(r for r in reports["2023-H1"] if r.title == "The Glory: Season 1")
    assert glory.native_title == "더 글로리: 시즌 1"
    assert not any(" // " in r.title for rows in reports.values() for r in rows)
    assert parse_title("Ip Man // 葉問 // 叶问") == ("Ip Man", "葉問 // 叶问")
    assert parse_title("Another One // واحد تاني \xa0") == ("Another One", "واحد تاني")
    assert parse_title("Love//Death") == ("Love//Death", None)


def test_runtime_marks(reports: dict[str, list[EngagementRow]]) -> None:
    tyson = next(r for r in reports["2024-H2"] if r.title == "Jake Paul vs. Mike Tyson")
    assert tyson.runtime_marked and tyson.runtime_hours == pytest.approx(4 + 44 / 60)


def test_recorded_hashes_are_the_shared_files(engagement_dir: Path) -> None:
    for report, (part, _, _) in REPORTS.items():
        data = (engagement_dir / NAME.format(part)).read_bytes()
        assert sha256_bytes(data) == REPORT_SHA256[report]
        assert REPORT_URLS[report].endswith(NAME.format(part))


def test_file_date_is_the_workbook_save_date(engagement_dir: Path) -> None:
    result = read_report(engagement_dir / NAME.format("2025Jan-Jun"))
    assert result.file_date == date(2025, 7, 14)
    assert result.records[0].published == date(2025, 7, 17)
    assert result.source == "netflix-engagement" and result.sha256 == REPORT_SHA256["2025-H1"]


# --- other layouts -----------------------------------------------------------------------


def test_a_different_layout_reads_the_same(
    engagement_dir: Path, reports: dict[str, list[EngagementRow]]
) -> None:
    """Header on row 9, columns reordered, extra columns, renamed sheet, other cell types."""
    wanted = [r for r in reports["2023-H2"] if r.sheet == "TV"][:150]
    wanted += [r for r in reports["2023-H2"] if r.title == "Partner Track: Season 1"]
    src = openpyxl.load_workbook(
        engagement_dir / NAME.format("2023Jul-Dec"), read_only=True, data_only=True
    )
    by_line = {i: row for i, row in enumerate(src["TV"].iter_rows(values_only=True), start=1)}
    src.close()
    rows: list[list[object]] = [
        [],
        ["Netflix"],
        [None, "Series engagement"],
        [None, "Views from July to December 2023"],
        [],
        ["Some note about methodology"],
        [],
        [],
        ["Rank", "Views", "Hours Viewed", "TITLE", "Runtime", "Release date", "Available globally"],
    ]
    for rank, r in enumerate(wanted, start=1):
        _, title, glob, released, hours, runtime, views, _ = by_line[r.line]
        rt = (
            runtime
            if not re.fullmatch(r"\d+:\d\d", str(runtime))
            else int(runtime.split(":")[0]) + int(runtime.split(":")[1]) / 60
        )
        rel = datetime.fromisoformat(released) if released else None
        rows.append([rank, f"{views:,}", f"{hours:,}", title, rt, rel, glob])
    data = workbook({"Series (Jul–Dec)": rows})
    result = parse_report(data, "downloads/engagement.xlsx")
    assert [p.field for p in result.problems] == ["Rank"]
    assert "unknown column" in result.problems[0].message
    assert result.problems[0].line == 9
    got = result.records
    assert len(got) == len(wanted)
    for a, b in zip(got, wanted, strict=True):
        assert (a.report, a.period_start, a.period_end, a.published) == (
            b.report,
            b.period_start,
            b.period_end,
            b.published,
        )
        assert (a.title, a.native_title, a.available_globally, a.release_date) == (
            b.title,
            b.native_title,
            b.available_globally,
            b.release_date,
        )
        assert (a.hours, a.views, a.kind) == (b.hours, b.views, "tv")
        assert a.runtime_marked == b.runtime_marked
        if b.runtime_hours is None:
            assert a.runtime_hours is None
        else:
            assert a.runtime_hours == pytest.approx(b.runtime_hours)
    assert any(r.runtime_marked for r in got) and any(r.native_title for r in got)
    assert got[0].line == 10 and got[0].sheet == "Series (Jul–Dec)"


def test_a_wrong_dimension_record_does_not_cut_rows() -> None:
    rows = [["Title", "Hours Viewed"]] + [[f"Show {i}", 100_000 + i] for i in range(50)]
    data = workbook({"Engagement": rows})
    data = rewrite_member(
        data,
        "xl/worksheets/sheet1.xml",
        lambda b: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:B3"/>', b),
    )
    result = parse_report(data, "What_We_Watched_2024Jan-Jun.xlsx")
    assert len(result.records) == 50 and result.records[-1].line == 51


def test_sheet_without_a_table_is_reported_and_skipped() -> None:
    data = workbook(
        {
            "About": [["What We Watched"], ["Hours viewed from January to June 2024"]],
            "Films": [["Title", "Hours Viewed"], ["Damsel", "263,700,000"]],
        }
    )
    result = parse_report(data, "What_We_Watched_2024Jan-Jun.xlsx")
    assert [(r.title, r.hours, r.kind) for r in result.records] == [("Damsel", 263.7e6, "film")]
    skipped, *missing = result.problems
    assert skipped.file.endswith("#About") and "sheet skipped" in skipped.message
    assert [(p.file.endswith("#Films"), p.line, p.field) for p in missing] == [
        (True, 1, "Available Globally?"),
        (True, 1, "Release Date"),
    ]
    assert all(p.message == "column not found; left empty" for p in missing)


def test_heading_that_disagrees_with_the_file_name_is_reported() -> None:
    rows = [["Views from July to December 2024"], ["Title", "Views"], ["X", 5]]
    result = parse_report(workbook({"TV": rows}), "What_We_Watched_2024Jan-Jun.xlsx")
    assert result.records[0].report == "2024-H1"
    [problem] = [p for p in result.problems if p.field == "period"]
    assert (problem.line, problem.field) == (1, "period") and "2024-H2" in problem.message


# --- bad input ---------------------------------------------------------------------------


def test_bad_cells_are_reported_and_good_rows_kept() -> None:
    header = ["Title", "Available Globally?", "Release Date", "Hours Viewed", "Runtime", "Views"]
    rows = [
        ["Views from January to June 2024"],
        [],
        header,
        ["Good Show: Season 1", "Yes", "2024-01-05", 1_000_000, "5:10", 200_000],  # line 4
        ["Bad Hours: Season 1", "Yes", "2024-01-05", "lots", "5:10", 200_000],  # 5
        ["Odd Runtime", "Maybe", "someday", "2,000,000", "abc", None],  # 6
        [None, "No", None, 300_000, "1:00", 300_000],  # 7
        [],  # 8: blank rows are not problems
        ["Footnote: hours are rounded", None, None, None, None, None],  # 9
        ["Another Good One", "No", 45296, 150_000.0, 1.5, "75,000"],  # 10
    ]
    result = parse_report(workbook({"TV": rows}), "What_We_Watched_2024Jan-Jun.xlsx")
    titles = [r.title for r in result.records]
    assert titles == ["Good Show: Season 1", "Odd Runtime", "Another Good One"]
    odd = result.records[1]
    assert (odd.available_globally, odd.release_date, odd.runtime_hours) == (None, None, None)
    assert odd.hours == 2_000_000 and odd.views is None
    last = result.records[2]
    assert last.release_date == date(2024, 1, 5)  # Excel day number 45296
    assert (last.hours, last.views, last.runtime_hours) == (150_000, 75_000, 1.5)
    found = {(p.file, p.line, p.field): p.message for p in result.problems}
    where = "What_We_Watched_2024Jan-Jun.xlsx#TV"
    assert set(found) == {
        (where, 5, "Hours Viewed"),
        (where, 6, "Available Globally?"),
        (where, 6, "Release Date"),
        (where, 6, "Runtime"),
        (where, 7, "Title"),
        (where, 9, "Hours Viewed"),
    }
    assert "row skipped" in found[(where, 5, "Hours Viewed")]
    assert "left empty" in found[(where, 6, "Runtime")]
    assert "'lots'" in found[(where, 5, "Hours Viewed")]
    for p in result.problems:
        assert str(p).startswith(f"{where}:{p.line} [{p.field}]")


def test_truncated_workbook_is_a_source_error(engagement_dir: Path) -> None:
    data = (engagement_dir / NAME.format("2023Jan-Jun")).read_bytes()
    with pytest.raises(SourceError, match=r"cut\.xlsx.*truncated or corrupt"):
        parse_report(data[: len(data) // 2], "cut.xlsx")


def test_corrupt_sheet_inside_a_valid_zip_is_a_source_error() -> None:
    rows = [["Title", "Hours Viewed"]] + [[f"Show {i}", 100_000] for i in range(20)]
    data = rewrite_member(
        workbook({"TV": rows}), "xl/worksheets/sheet1.xml", lambda b: b[: len(b) // 2]
    )
    with pytest.raises(SourceError, match=r"broken\.xlsx#TV.*download it again"):
        parse_report(data, "broken.xlsx")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<!DOCTYPE html><html>Access denied</html>", r"page\.xlsx: not an \.xlsx workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, r"page\.xlsx: old Excel \.xls"),
        (b"", r"page\.xlsx: not an \.xlsx"),
    ],
)
def test_not_a_workbook_is_a_source_error(data: bytes, message: str) -> None:
    with pytest.raises(SourceError, match=message):
        parse_report(data, "page.xlsx")


def test_workbook_without_any_table_is_a_source_error() -> None:
    data = workbook({"Sheet": [["Name", "Score"], ["a", 1]]})
    with pytest.raises(SourceError, match=r"x_2024Jan-Jun\.xlsx: no sheet has a table"):
        parse_report(data, "x_2024Jan-Jun.xlsx")


def test_missing_file_is_a_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="not found"):
        read_report(tmp_path / "nope.xlsx")


# --- periods and publication -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (NAME.format("2023Jan-Jun"), ("2023-H1", date(2023, 1, 1), date(2023, 6, 30))),
        (NAME.format("2024Jul-Dec"), ("2024-H2", date(2024, 7, 1), date(2024, 12, 31))),
        (
            "What_We_Watched_A_Netflix_Engagement_Report_2025Jul-Dec__6_.xlsx",
            ("2025-H2", None, None),
        ),
        ("Netflix-s_What_We_Watched_Report_2026Jan-Jun__1_.xlsx", ("2026-H1", None, None)),
        ("Hours viewed from January to June 2023", ("2023-H1", None, None)),
        ("Views from July to December 2023", ("2023-H2", None, None)),
        ("engagement 2024 H2", ("2024-H2", None, None)),
        ("H1 2025 report", ("2025-H1", None, None)),
        ("Views from July 2025 to June 2026", ("2025-07..2026-06", date(2025, 7, 1), None)),
        ("report_2026Jan-Mar.xlsx", ("2026-01..2026-03", date(2026, 1, 1), date(2026, 3, 31))),
    ],
)
def test_report_period(text: str, expected: tuple[str, date | None, date | None]) -> None:
    report, start, end = report_period(text)
    assert report == expected[0]
    assert expected[1] is None or start == expected[1]
    assert expected[2] is None or end == expected[2]


def test_report_period_failure() -> None:
    with pytest.raises(ValueError, match="no report period"):
        report_period("What We Watched: A Netflix Engagement Report")


def test_report_urls_name_their_period() -> None:
    for report, url in REPORT_URLS.items():
        assert url.startswith("https://assets.ctfassets.net/")
        assert report_period(url.rsplit("/", 1)[1])[0] == report


def test_publication_dates() -> None:
    assert publication_date("2023-H1") == date(2023, 12, 12)
    assert publication_date("2024-H2") == date(2025, 2, 27)
    with pytest.raises(SourceError, match="--published"):
        publication_date("2025-H2")


def test_unknown_report_needs_a_publication_date() -> None:
    data = workbook({"Shows": [["Title", "Hours Viewed", "Views"], ["X: Season 1", 10, 5]]})
    name = "What_We_Watched_A_Netflix_Engagement_Report_2025Jul-Dec.xlsx"
    with pytest.raises(SourceError, match=r"2025-H2.*--published"):
        parse_report(data, name)
    result = parse_report(data, name, published=date(2026, 1, 20))
    assert result.records[0].published == date(2026, 1, 20)


# --- cell parsers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1:23", (1 + 23 / 60, False)),
        ("0:55", (55 / 60, False)),
        ("1:02:30", (1 + 2 / 60 + 30 / 3600, False)),
        ("4:44*", (4 + 44 / 60, True)),
        ("*", (None, True)),
        ("1.5", (1.5, False)),
        (2, (2.0, False)),
        (time(1, 30), (1.5, False)),
        (None, (None, False)),
    ],
)
def test_parse_runtime(value: object, expected: tuple[float | None, bool]) -> None:
    hours, marked = parse_runtime(value)
    assert marked == expected[1]
    assert hours == pytest.approx(expected[0]) if expected[0] is not None else hours is None


# --- live --------------------------------------------------------------------------------

URL = REPORT_URLS["2024-H1"]


def tiny_report() -> bytes:
    rows = [
        ["What We Watched: A Netflix Engagement Report"],
        ["Views from January to June 2024"],
        ["Title", "Available Globally?", "Release Date", "Hours Viewed", "Runtime", "Views"],
        ["Bridgerton: Season 3", "Yes", "2024-05-16", 733_800_000, "7:59", 91_900_000],
    ]
    return workbook({"TV": rows})


@respx.mock
def test_fetch_report_downloads_and_parses() -> None:
    body = tiny_report()
    route = respx.get(URL).mock(return_value=httpx.Response(200, content=body))
    with httpx.Client() as client:
        data = fetch_report(client, URL)
    assert data == body
    assert route.calls.last.request.headers["User-Agent"] == USER_AGENT
    result = parse_report(data, URL)
    assert [(r.report, r.title, r.views) for r in result.records] == [
        ("2024-H1", "Bridgerton: Season 3", 91_900_000)
    ]
    assert result.uri == URL and result.problems == []


@respx.mock
@pytest.mark.parametrize(
    ("response", "message"),
    [
        (httpx.Response(404, text="Not found"), "HTTP 404"),
        (
            httpx.Response(200, text="<html>Moved</html>", headers={"content-type": "text/html"}),
            r"not an \.xlsx workbook \(text/html\)",
        ),
        (httpx.Response(200, content=b"PK", headers={"content-length": "60000000"}), "limit"),
    ],
)
def test_fetch_report_errors(response: httpx.Response, message: str) -> None:
    respx.get(URL).mock(return_value=response)
    with httpx.Client() as client, pytest.raises(SourceError, match=message) as err:
        fetch_report(client, URL)
    assert URL in str(err.value)


@respx.mock
def test_fetch_report_network_error() -> None:
    respx.get(URL).mock(side_effect=httpx.ConnectError("connection refused"))
    with httpx.Client() as client, pytest.raises(SourceError, match="download failed"):
        fetch_report(client, URL)


@respx.mock
def test_fetch_report_caps_a_body_without_length(monkeypatch: pytest.MonkeyPatch) -> None:
    import renewcast.sources.netflix_engagement as mod

    monkeypatch.setattr(mod, "MAX_DOWNLOAD_BYTES", 1000)

    def chunks() -> Iterator[bytes]:
        for _ in range(10):
            yield b"PK\x03\x04" + b"x" * 196

    respx.get(URL).mock(return_value=httpx.Response(200, content=chunks()))
    with httpx.Client() as client, pytest.raises(SourceError, match="limit"):
        fetch_report(client, URL)
