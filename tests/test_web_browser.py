"""Headless Chromium against `renewcast serve` on loopback: search, series page, time travel.

The server reads a private copy of the session's synced store with the weekly forecasts of the
Top 10 Tuesdays of 2021 (2021-07-06 .. 2021-12-28, 26 cutoffs, seconds) materialised, so a
series page of December 2021 has odds over time to chart. Screenshots go to test-artifacts/ (gitignored).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import stop_process

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def _need_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing in CI: install apt packages chromium chromium-driver")
    pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium chromium-driver)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


#: the weekly forecasts up to this day are materialised
EARLY = date(2021, 12, 31)


@pytest.fixture(scope="module")
def browser_db(synced_db: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A copy of the synced store with the forecasts of the first weekly cutoffs materialised."""
    _need_chromium()
    from renewcast.forecast.materialise import refresh
    from renewcast.store.db import connect
    from tests.conftest import copy_sqlite

    url = copy_sqlite(synced_db, tmp_path_factory.mktemp("browser") / "store.db")
    assert len(refresh(connect(url), today=EARLY).computed) == 26
    return url


@pytest.fixture(scope="module")
def server(browser_db: str) -> Iterator[str]:
    """`renewcast serve` in a child process on a free loopback port."""
    import httpx

    port = _free_port()
    exe = Path(sys.executable).with_name("renewcast")
    cmd = [str(exe), "serve", "--host", "127.0.0.1", "--port", str(port), "--db", browser_db]
    ARTIFACTS.mkdir(exist_ok=True)
    log = (ARTIFACTS / "serve.log").open("wb")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                err = (ARTIFACTS / "serve.log").read_text(errors="replace")
                pytest.fail(f"renewcast serve exited: {err[-2000:]}")
            try:
                # a cheap endpoint: the home page computes today's lists (seconds to minutes cold)
                if httpx.get(base + "/openapi.json", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("renewcast serve did not answer within 60 s")
            time.sleep(0.3)
        yield base
    finally:
        stop_process(proc)
        log.close()


@pytest.fixture(scope="module")
def page(server: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        pg = browser.new_page(viewport={"width": 1280, "height": 900})
        pg.set_default_timeout(120_000)
        yield pg
        browser.close()


def test_search_status_chart_cast_and_time_travel(server: str, page: Any) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server + "/")
    page.fill("#q", "partner trak")
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(r"/series/\d+$"))
    assert "Will there be a Partner Track season 2?" in page.locator("h1").inner_text()

    badge = page.locator("#status-badge")
    assert badge.inner_text().strip().lower() in ("renewed", "cancelled", "ended", "limited")
    page.wait_for_selector("#chart .main-svg")  # Plotly drew the Top 10 chart
    assert page.locator("#chart .scatterlayer .trace").count() >= 2
    assert "Arden Cho" in page.locator("#cast").inner_text()
    page.screenshot(path=str(ARTIFACTS / "partner-track-today.png"), full_page=True)

    page.fill("#asof-date", "2022-09-01")
    with page.expect_navigation(url=re.compile(r"as_of=2022-09-01")):
        page.click("#asof-form button[type=submit]")
    page.screenshot(path=str(ARTIFACTS / "partner-track-2022-09-01.png"), full_page=True)
    assert page.locator("#status-badge").inner_text().strip().lower() == "pending"
    page.wait_for_selector("#chart .main-svg")
    assert "Showing what was known by the end of" in page.content()
    page.screenshot(path=str(ARTIFACTS / "partner-track-2022-09-01.png"), full_page=True)
    assert errors == []


def test_lists_render_without_errors(server: str, page: Any) -> None:
    page.goto(server + "/decisions?as_of=2023-06-30")
    assert page.locator("table.list tbody tr").count() > 0
    page.screenshot(path=str(ARTIFACTS / "decisions-2023-06-30.png"), full_page=True)
    page.goto(server + "/bubble?as_of=2024-06-30")
    assert page.locator("table.list tbody tr").count() > 0
    page.screenshot(path=str(ARTIFACTS / "bubble-2024-06-30.png"), full_page=True)


# ------------------------------------------------------------------ issue 13: docs, phone, charts, twins
def test_api_docs_render_their_operations(server: str, page: Any) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server + "/docs")
    page.wait_for_selector(".opblock")  # Swagger UI drew the operations from /openapi.json
    ops = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/search" in ops and "/api/series/{series_id}" in ops
    page.screenshot(path=str(ARTIFACTS / "docs.png"))
    page.goto(server + "/redoc")
    page.wait_for_selector("[data-section-id]")  # ReDoc rendered its sections
    assert "/api/search" in page.content()
    assert errors == []


def test_series_page_on_a_phone_has_no_horizontal_scroll_and_draws_both_charts(
    server: str, page: Any
) -> None:
    import httpx

    sid = httpx.get(server + "/api/search", params={"q": "Partner Track"}).json()["matches"][0][
        "series_id"
    ]
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        for path in (
            f"/series/{sid}?as_of=2022-09-01",
            f"/series/{sid}",
            "/bubble?as_of=2024-06-30",
        ):
            page.goto(server + path)
            page.wait_for_load_state("networkidle")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, (path, width)
        # the bubble's dates stay on one line each ("2028-04-/26" was the phone's bug)
        broken = page.evaluate(
            "() => Array.from(document.querySelectorAll('td.date')).filter(td => {"
            " const r = document.createRange(); r.selectNodeContents(td);"
            " return r.getClientRects().length > 1; }).map(td => td.textContent)"
        )
        assert page.locator("td.date").count() > 0 and broken == []
        page.goto(server + f"/series/{sid}")
        page.wait_for_selector("#chart .main-svg")  # the Top 10 run
        page.wait_for_selector("#timeline .main-svg")  # the evidence timeline
        assert page.locator("#timeline .scatterlayer .trace").count() >= 1
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(ARTIFACTS / "series-390px.png"), full_page=True)
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})
    assert errors == []


def test_odds_chart_draws_each_weekly_forecast_on_a_phone(server: str, page: Any) -> None:
    """The odds over time: one point per materialised weekly update, the values of the API."""
    import httpx

    sid = httpx.get(server + "/api/search", params={"q": "Squid Game"}).json()["matches"][0][
        "series_id"
    ]
    api = httpx.get(
        server + f"/api/series/{sid}", params={"as_of": EARLY.isoformat()}, timeout=120
    ).json()
    assert (api["answer"]["season"], api["answer"]["status"]) == (2, "pending")
    history = api["odds_history"]  # one a week from the season's premiere (2021-09-17) on
    days = [h["cutoff"] for h in history]
    assert len(days) >= 10 and days == sorted(days) and days[-1] == "2021-12-28"
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        page.goto(server + f"/series/{sid}?as_of={EARLY.isoformat()}")
        page.wait_for_selector("#odds-chart .main-svg")  # Plotly drew the odds chart
        assert page.locator("#odds-chart .scatterlayer .trace").count() == 1
        assert page.locator("#odds-chart .scatterlayer .point").count() == len(history)
        drawn = page.evaluate(
            "() => { const d = document.getElementById('odds-chart').data[0];"
            " return {x: Array.from(d.x), y: Array.from(d.y)}; }"
        )
        assert drawn == {
            "x": [h["cutoff"] for h in history],
            "y": [h["p_renewal"] for h in history],
        }
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        # the box is as tall as the figure: no blank band under it on a phone
        box = page.locator("#odds-chart").bounding_box()
        assert box is not None and box["height"] <= 300, box
        page.locator("#odds").screenshot(path=str(ARTIFACTS / "odds-chart-390px.png"))
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})
    assert errors == []


def test_json_twins_equal_the_api_in_the_browser(server: str, page: Any) -> None:
    import httpx

    sid = httpx.get(server + "/api/search", params={"q": "Partner Track"}).json()["matches"][0][
        "series_id"
    ]
    pairs = [
        (f"/series/{sid}?as_of=2022-09-01", f"/api/series/{sid}?as_of=2022-09-01"),
        ("/decisions?as_of=2023-06-30", "/api/decisions?as_of=2023-06-30"),
        ("/bubble?as_of=2024-06-30", "/api/forecast/open?as_of=2024-06-30"),
        ("/search?q=strang&as_of=2024-06-30", "/api/search?q=strang&as_of=2024-06-30"),
        ("/?as_of=2024-06-30", "/api/home?as_of=2024-06-30"),
        ("/sources?as_of=2024-06-30", "/api/sources?as_of=2024-06-30"),
        ("/accuracy", "/api/accuracy"),
    ]
    for html_path, api_path in pairs:
        page.goto(server + html_path)
        link = page.locator("#json-twin")
        href = link.get_attribute("href")
        assert href and ".json" in href
        link.click()
        page.wait_for_load_state()
        twin = page.evaluate("() => JSON.parse(document.body.innerText)")
        assert twin == httpx.get(server + api_path, timeout=120).json(), html_path
