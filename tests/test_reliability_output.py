"""Output hygiene: text that came from files and articles is printed as text — spreadsheet formulas
neutralised, terminal escapes and bidi controls dropped, HTML escaped in Markdown, feeds well-formed,
and a cached "not found" never quotes another caller's words. Hostile values are invented here.
"""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest

from renewcast.hygiene import csv_cell, terminal_text, xml_text

HOSTILE = "\x1b]8;;http://evil.example\x07Quiet \u202eHarbour\u202c\x1b[2J <b>Nights</b>\x00"


@pytest.mark.parametrize(
    "value,expected",
    [
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("-0.25", "-0.25"),
        ("+3", "+3"),
        ("Harbour Lights", "Harbour Lights"),
        (0.5, 0.5),
    ],
)
def test_csv_cells_never_start_a_formula(value: Any, expected: Any) -> None:
    assert csv_cell(value) == expected


def test_terminal_and_xml_text() -> None:
    shown = terminal_text(HOSTILE)
    assert not any(ch in shown for ch in "\x1b\x07\x00\u202e\u202c")
    assert "Harbour" in shown and "\n" in terminal_text("a\nb")
    assert xml_text("a\x00b\x0bc\ufffed\te") == "abcd\te"


def test_backtest_report_csv_neutralises_formulas(tmp_path: Path) -> None:
    from renewcast.forecast.backtest import BacktestResult, Prediction, write_report

    p = Prediction(
        cutoff=date(2024, 1, 1),
        series='=HYPERLINK("http://evil.example","Harbour")',
        season=1,
        premiere=date(2023, 6, 1),
        age_days=214,
        p=0.4,
        p_base=0.5,
        p_decided=0.5,
        p_weeks=None,
        p_hours=None,
        weeks=2,
        first_hours=-1.0,
        decision_p10=None,
        decision_p50=None,
        decision_p90=None,
        release_p10=None,
        release_p50=None,
        release_p90=None,
    )
    result = BacktestResult(date(2024, 1, 1), date(2024, 1, 1), [date(2024, 1, 1)], [p])
    write_report(result, tmp_path)
    with (tmp_path / "backtest_forecasts.csv").open(encoding="utf-8") as fh:
        row = next(csv.DictReader(fh))
    assert row["series"].startswith("'=HYPERLINK")
    assert row["first_hours"] == "-1.0"  # numbers stay numbers


def test_feed_with_control_characters_is_well_formed() -> None:
    from renewcast.web.feeds import atom_feed
    from renewcast.web.lists import Decision

    d = Decision(
        1,
        HOSTILE,
        2,
        "cancelled",
        datetime(2024, 5, 1, tzinfo=UTC),
        "cancelled\x0b after\x00 one season",
        "Deadline\x1f",
        "https://news.example/a?x=1&y=\x00",
        None,
    )
    body = atom_feed(
        title="renewcast: \x00",
        feed_id="platform/\x00",
        self_url="http://127.0.0.1/feeds/platform/%00.atom",
        site_url="http://127.0.0.1/decisions",
        decisions=[d],
        series_url="http://127.0.0.1/series/{id}?season={season}",
    )
    root = ET.fromstring(body)
    titles = [el.text or "" for el in root.iter("{http://www.w3.org/2005/Atom}title")]
    assert any("<b>Nights</b>" in t for t in titles)  # markup kept as text, escaped in XML


# ------------------------------------------------------------------ through the store
@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory: pytest.TempPathFactory, add_series: Any) -> str:
    from renewcast.news.article import Article
    from renewcast.news.ingest import add_articles, extract_documents
    from renewcast.store.db import connect

    url = f"sqlite:///{tmp_path_factory.mktemp('hostile') / 's.db'}"
    engine = connect(url)
    add_series(engine)
    text = (
        "Netflix cancels Quiet Harbour Nights\n\n"
        "Netflix has cancelled Quiet Harbour Nights after one season, the streamer confirmed "
        "on Monday. There will be no second season of Quiet Harbour Nights."
    )
    article = Article(
        id="hostile-1",
        text=text,
        url="https://news.example/quiet-harbour-nights-cancelled",
        published=datetime(2024, 5, 6, tzinfo=UTC),
        title="Quiet Harbour Nights cancelled \x1b[2J\u202e<img src=x onerror=alert(1)>",
        publisher="<script>alert(1)</script>\x1b[31mDeadline\u202e",
    )
    report = add_articles(engine, [article], uri="<test>")
    extract_documents(engine, doc_ids=report.added)
    return url


def _cli(*args: str) -> Any:
    from typer.testing import CliRunner

    from renewcast.cli import app

    return CliRunner().invoke(app, list(args))


def test_news_list_prints_no_escape_sequences(hostile_store: str) -> None:
    res = _cli("news", "list", "--db", hostile_store)
    assert res.exit_code == 0, res.output
    assert "Quiet" in res.output and "cancelled" in res.output
    assert "\x1b[2J" not in res.output and "\u202e" not in res.output


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_ask_prints_no_escape_sequences_and_markdown_escapes_html(
    hostile_store: str, fmt: str
) -> None:
    res = _cli(
        "ask", "Quiet Harbour Nights", "--season", "2", "--db", hostile_store, "--format", fmt
    )
    assert res.exit_code == 0, res.output
    assert "\x1b[31m" not in res.output and "\u202e" not in res.output
    if fmt == "markdown":
        assert "<script>" not in res.output and "<img" not in res.output
        assert "&lt;script&gt;" in res.output


def test_a_cached_not_found_quotes_only_this_requests_query(hostile_store: str) -> None:
    from fastapi.testclient import TestClient

    from renewcast.web.app import create_app

    with TestClient(create_app(hostile_store)) as client:
        first = client.get("/api/ask", params={"q": "Zebra Crossing!!"})
        second = client.get("/api/ask", params={"q": "zebra crossing"})
    assert first.status_code == second.status_code == 404
    assert "Zebra Crossing!!" in first.json()["detail"]
    assert "Zebra Crossing!!" not in second.json()["detail"]
    assert "zebra crossing" in second.json()["detail"]


def test_platform_feed_of_nul_is_well_formed(hostile_store: str) -> None:
    from fastapi.testclient import TestClient

    from renewcast.web.app import create_app

    with TestClient(create_app(hostile_store)) as client:
        r = client.get("/feeds/platform/%00.atom")
    assert r.status_code in (200, 422)
    if r.status_code == 200:
        ET.fromstring(r.content)
