"""Small inputs must not cost a lot: size and row limits per source (one table, errors that name
the limit), junk refused early, unknown list filters refused or answered without computing.
Every file here is made by the test; the limits are lowered so that the files stay small.
"""

from __future__ import annotations

import io
import os
import time
from pathlib import Path
from typing import Any

import pytest

from renewcast.sources.base import LIMITS, Limit, SourceError

TOP10_HEADER = "week\tcategory\tweekly_rank\tshow_title\tseason_title\tweekly_hours_viewed\n"


def test_every_source_has_a_limit() -> None:
    from renewcast.news.ingest import SOURCE as NEWS
    from renewcast.sources import justwatch, netflix_engagement, wikipedia

    names = {
        NEWS,
        netflix_engagement.SOURCE,
        justwatch.SOURCE_TITLES,
        justwatch.SOURCE_CREDITS,
        wikipedia.SOURCE_ENDED,
        wikipedia.SOURCE_CURRENT,
        "netflix-top10/global",
        "netflix-top10/countries",
        "netflix-top10/most-popular",
        "netflix-top10/week-first-seen",
        "netflix-top10/season-title-relabels",
    }
    assert names <= set(LIMITS)


def test_a_file_over_the_byte_limit_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from renewcast.sources.netflix_top10 import read_global

    monkeypatch.setitem(LIMITS, "netflix-top10/global", Limit(50_000, 1_000))
    path = tmp_path / "all-weeks-global.tsv"
    path.write_bytes(TOP10_HEADER.encode() + b"x" * 60_000)
    reads: list[Path] = []
    real = Path.read_bytes

    def spy(self: Path) -> bytes:
        reads.append(self)
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", spy)
    with pytest.raises(SourceError, match=r"more than the 50,000-byte limit for a netflix-top10/g"):
        read_global(path)
    assert reads == []


def test_binary_junk_is_refused_as_binary_and_never_echoed(tmp_path: Path) -> None:
    from renewcast.sources.netflix_top10 import read_global

    path = tmp_path / "all-weeks-global.tsv"
    path.write_bytes(os.urandom(4096) + b"\x00" + os.urandom(4096))
    with pytest.raises(SourceError, match="binary data") as e:
        read_global(path)
    assert str(e.value).isprintable()


def test_a_file_of_junk_lines_stops_early(tmp_path: Path) -> None:
    from renewcast.sources.netflix_top10 import read_global

    path = tmp_path / "all-weeks-global.tsv"
    junk = "".join(f"junk line {i} \u00e9\t{'z' * (i % 7)}\n" for i in range(200_000))
    path.write_text(TOP10_HEADER + junk, encoding="utf-8")
    t0 = time.perf_counter()
    with pytest.raises(SourceError, match=r"unusable rows .* not Netflix's") as e:
        read_global(path)
    assert "1,001" in str(e.value) or "1,00" in str(e.value)
    assert time.perf_counter() - t0 < 30  # a guard, not a benchmark: 200,000 lines unread


def test_too_many_rows_names_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from renewcast.sources.netflix_top10 import read_global

    monkeypatch.setitem(LIMITS, "netflix-top10/global", Limit(10_000_000, 100))
    rows = "".join(
        f"2024-03-{1 + i % 28:02d}\tTV (English)\t{1 + i % 10}\tShow {i}\tShow {i}: Season 1\t5\n"
        for i in range(300)
    )
    path = tmp_path / "all-weeks-global.tsv"
    path.write_text(TOP10_HEADER + rows, encoding="utf-8")
    with pytest.raises(SourceError, match=r"more than 100 rows, the limit for a netflix-top10/glo"):
        read_global(path)


def test_a_workbook_of_a_million_rows_is_refused_at_the_row_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An .xlsx compresses identical rows ~100×: the row limit, not the file size, must stop it."""
    import openpyxl

    from renewcast.sources.netflix_engagement import SOURCE, read_report

    monkeypatch.setitem(LIMITS, SOURCE, Limit(64 * 1024 * 1024, 500))
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("TV")
    ws.append(["Title", "Available Globally?", "Release Date", "Hours Viewed"])
    for _ in range(5_000):
        ws.append(["Harbour Lights: Season 1", "Yes", "2023-02-01", 1_000_000])
    buf = io.BytesIO()
    wb.save(buf)
    path = tmp_path / "What_We_Watched_A_Netflix_Engagement_Report_2023Jan-Jun.xlsx"
    path.write_bytes(buf.getvalue())
    with pytest.raises(SourceError, match=r"more than 500 rows, the limit for a netflix-engag"):
        read_report(path)


def test_sync_reports_the_limit_and_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from renewcast.store.db import connect
    from renewcast.store.sync import sync_dir

    monkeypatch.setitem(LIMITS, "netflix-top10/global", Limit(1_000, 100))
    top10 = tmp_path / "data" / "netflix-top10"
    top10.mkdir(parents=True)
    (top10 / "all-weeks-global.tsv").write_bytes(TOP10_HEADER.encode() + b"1\t2\t3\n" * 500)
    (report,) = sync_dir(connect(f"sqlite:///{tmp_path / 's.db'}"), tmp_path / "data")
    assert report.status == "failed" and "limit" in (report.message or "")


def test_problems_print_as_plain_text() -> None:
    from renewcast.cli.common import plain

    hostile = "line 3: \x1b[31mred\x1b[0m \u202eevil [bold]markup[/bold] \x07"
    shown = plain(hostile)
    assert "\x1b" not in shown and "\u202e" not in shown and "\x07" not in shown
    assert "\\[bold]" in shown  # rich markup escaped, printed literally


# ------------------------------------------------------------------ list filters
@pytest.fixture(scope="module")
def client(synced_db: str) -> Any:
    from fastapi.testclient import TestClient

    from renewcast.web.app import create_app

    with TestClient(create_app(synced_db)) as c:
        yield c


def test_unknown_status_is_refused_without_computing(client: Any) -> None:
    svc = client.app.state.service
    before = svc.lists.misses
    for value in ("bogus", "renewed'--", "x" * 60):
        r = client.get("/api/decisions", params={"status": value, "as_of": "2023-01-01"})
        assert r.status_code == 422 and "renewed" in r.text
    assert svc.lists.misses == before


def test_unknown_filter_values_cost_nothing_and_spellings_share_a_cache_entry(
    client: Any,
) -> None:
    svc = client.app.state.service
    ok = client.get("/api/decisions", params={"platform": "Netflix", "as_of": "2023-01-01"})
    assert ok.status_code == 200
    misses = svc.lists.misses
    for value in ("netflix", "NETFLIX"):
        same = client.get("/api/decisions", params={"platform": value, "as_of": "2023-01-01"})
        assert same.json()["decisions"] == ok.json()["decisions"]
    for n in range(5):
        r = client.get("/api/decisions", params={"platform": f"nowhere{n}", "as_of": "2023-01-01"})
        assert r.status_code == 200 and r.json()["decisions"] == []
    assert svc.lists.misses == misses
