"""Pages people use: API docs served locally, JSON twins, search ranking, the bubble's sort/pages,
the home page at a glance. On the session's real-data store (read-only)."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

import pytest

AS_OF = "2024-06-30"


@pytest.fixture(scope="module")
def client(synced_db: str) -> Any:
    from fastapi.testclient import TestClient

    from renewcast.web.app import create_app

    with TestClient(create_app(synced_db)) as c:
        yield c


# ------------------------------------------------------------------ API docs
@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_api_docs_load_only_local_assets(client: Any, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200
    html = r.text
    assert "http://" not in html and "https://" not in html  # no CDN
    assert "<script>" not in html  # nothing inline: the CSP allows only 'self' scripts
    assert "script-src 'self'" in r.headers["content-security-policy"]
    for src in (s.split('"')[0] for s in html.split('src="')[1:]):
        asset = client.get(src)
        assert asset.status_code == 200, src
        assert len(asset.content) > 1000 or src.endswith("docs.js"), src


# ------------------------------------------------------------------ JSON twins
TWINS = [
    (f"/series/{{pt}}?as_of={AS_OF}", f"/api/series/{{pt}}?as_of={AS_OF}"),
    (
        f"/bubble?as_of={AS_OF}&sort=release&page=2",
        f"/api/forecast/open?as_of={AS_OF}&sort=release&page=2",
    ),
    (f"/decisions?as_of={AS_OF}&status=renewed", f"/api/decisions?as_of={AS_OF}&status=renewed"),
    (f"/search?q=strang&as_of={AS_OF}", f"/api/search?q=strang&as_of={AS_OF}"),
    (f"/?as_of={AS_OF}", f"/api/home?as_of={AS_OF}"),
    (f"/sources?as_of={AS_OF}", f"/api/sources?as_of={AS_OF}"),
    ("/accuracy", "/api/accuracy"),
]


@pytest.fixture(scope="module")
def partner_track(client: Any) -> int:
    return int(
        client.get("/api/search", params={"q": "Partner Track"}).json()["matches"][0]["series_id"]
    )


def _settle_home(client: Any, api: str) -> None:
    """Wait until the home page's forecast parts, gathered in the background, are in: until
    then a page and its twin read a moment apart may differ (None, then the list)."""
    for _ in range(1500):
        data = client.get(api).json()
        if data["on_the_bubble"] is not None and data["coming_back_soon"] is not None:
            return
        time.sleep(0.2)
    raise AssertionError(f"{api}: the home page's forecast parts never came in")


@pytest.mark.parametrize(("page", "api"), TWINS)
def test_every_page_has_a_json_twin_equal_to_the_api(
    client: Any, partner_track: int, page: str, api: str
) -> None:
    page, api = page.format(pt=partner_track), api.format(pt=partner_track)
    if api.startswith("/api/home"):
        _settle_home(client, api)
    want = client.get(api)
    assert want.status_code == 200, api
    path, _, query = page.partition("?")
    twin_path = "/index.json" if path == "/" else path + ".json"
    suffix = client.get(f"{twin_path}?{query}")
    assert suffix.status_code == 200 and suffix.headers["content-type"] == "application/json"
    assert suffix.json() == want.json()
    accept = client.get(page, headers={"Accept": "application/json"}, follow_redirects=False)
    assert accept.status_code == 200 and accept.json() == want.json()
    html = client.get(page, follow_redirects=False)
    if html.status_code == 200:  # the page links its twin
        assert 'type="application/json"' in html.text and 'id="json-twin"' in html.text
        assert html.headers["vary"] == "Accept"


def test_twin_errors_are_json(client: Any) -> None:
    r = client.get("/series/999999.json")
    assert r.status_code == 404 and "no series" in r.json()["detail"]
    r = client.get("/series/abc.json")
    assert r.status_code == 422 and isinstance(r.json()["detail"], list)
    r = client.get("/series/999999", headers={"Accept": "text/html"})
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")


# ------------------------------------------------------------------ search
@pytest.mark.parametrize(
    ("query", "first"),
    [("wedn", "Wednesday"), ("strang", "Stranger Things"), ("witcher", "The Witcher")],
)
def test_search_puts_exact_and_prefix_matches_first(client: Any, query: str, first: str) -> None:
    r = client.get("/api/search", params={"q": query})
    assert r.status_code == 200
    matches = r.json()["matches"]
    assert matches[0]["title"] == first
    assert matches[0]["match"] in ("exact", "prefix")
    assert isinstance(matches[0]["year"], int) and matches[0]["platform"] == "Netflix"
    assert matches[0]["status"] in ("renewed", "cancelled", "ended", "limited", "pending")
    html = client.get("/search", params={"q": query}, follow_redirects=False)
    if html.status_code == 200:
        assert first in html.text and f"({matches[0]['year']})" in html.text


def test_a_series_page_links_the_other_series_of_its_title(client: Any) -> None:
    """Two series are called "Your Honor": each page says so and links the other."""
    ids = [
        m["series_id"]
        for m in client.get("/api/search", params={"q": "Your Honor"}).json()["matches"]
        if m["match"] == "exact"
    ]
    assert len(ids) == 2
    for here, there in (ids, ids[::-1]):
        html = client.get(f"/series/{here}", headers={"Accept": "text/html"}).text
        assert "Not to be confused with" in html and f'href="/series/{there}"' in html


def test_unknown_title_is_a_404_with_suggestions(client: Any) -> None:
    r = client.get("/api/search", params={"q": "Stranjer Thinks Forever"})
    assert r.status_code == 404
    body = r.json()
    assert "no series called" in body["detail"]
    assert any(s["title"] == "Stranger Things" for s in body["suggestions"])
    page = client.get("/search", params={"q": "Stranjer Thinks Forever"})
    assert (
        page.status_code == 404 and "Did you mean" in page.text and "Stranger Things" in page.text
    )


# ------------------------------------------------------------------ bubble
def test_bubble_sorts_and_pages(client: Any) -> None:
    first = client.get("/api/forecast/open", params={"as_of": AS_OF, "limit": 10}).json()
    assert first["page"] == 1 and first["pages"] == -(-first["total"] // 10) > 1
    assert len(first["open"]) == 10
    second = client.get(
        "/api/forecast/open", params={"as_of": AS_OF, "limit": 10, "page": 2}
    ).json()
    ids = {(r["series_id"], r["season"]) for r in first["open"]}
    assert not ids & {(r["series_id"], r["season"]) for r in second["open"]}
    by_title = client.get(
        "/api/forecast/open", params={"as_of": AS_OF, "limit": 200, "sort": "series"}
    ).json()["open"]
    titles = [r["series"].casefold() for r in by_title]
    assert titles == sorted(titles)
    low = client.get("/api/forecast/open", params={"as_of": AS_OF, "sort": "-odds"}).json()["open"]
    probs = [r["p_renewal"] for r in low if r["p_renewal"] is not None]
    assert probs == sorted(probs)
    assert client.get("/api/forecast/open", params={"sort": "nonsense"}).status_code == 422
    html = client.get("/bubble", params={"as_of": AS_OF, "limit": 10}).text
    assert 'rel="next"' in html and "sort=series" in html and "Page 1 of" in html


# ------------------------------------------------------------------ home
def test_the_language_filter_offers_only_languages(client: Any) -> None:
    """The real current list has a runtime in one row's Language cell: never a language."""
    import re

    languages = client.get("/api/facets").json()["language"]
    assert {"English", "Spanish", "Korean"} <= set(languages)
    assert not [v for v in languages if re.search(r"\d", v)]
    html = client.get("/bubble", params={"as_of": AS_OF}).text
    select = html.split('name="language"', 1)[1].split("</select>", 1)[0]
    assert "min<" not in select and "English" in select


def test_home_shows_decisions_bubble_and_returns(client: Any) -> None:
    client.get("/api/forecast/open", params={"as_of": AS_OF})  # the day's forecast is ready
    data = client.get("/api/home", params={"as_of": AS_OF}).json()
    decided = data["recently_decided"]
    assert decided and all(d["decided_at"] <= AS_OF for d in decided)
    bubble = data["on_the_bubble"]
    assert bubble and all(b["p_renewal"] is not None for b in bubble)
    gaps = [abs(b["p_renewal"] - 0.5) for b in bubble]
    assert gaps == sorted(gaps)
    for _ in range(300):  # renewed seasons to come are gathered in the background
        if data["coming_back_soon"] is not None:
            break
        time.sleep(0.2)
        data = client.get("/api/home", params={"as_of": AS_OF}).json()
    assert data["coming_back_soon"] is not None
    for r in data["coming_back_soon"]:
        assert r["status"] == "renewed" and r["premiere"] > AS_OF
        assert r["kind"] in ("announced", "forecast")
    html = client.get("/", params={"as_of": AS_OF}).text
    for heading in ("Recently decided", "On the bubble", "Coming back soon"):
        assert heading in html
    assert decided[0]["series"].split("&")[0] in html


def test_coming_back_soon_lists_announced_renewals_not_yet_out(news_db: str) -> None:
    """Renewals the news or a list announced, whichever the latest decisions are: the latest
    decisions are mostly next seasons seen in the charts, which are out already."""
    from datetime import date

    from renewcast.store.db import connect
    from renewcast.web.service import Service

    svc = Service(connect(news_db))
    day = date.fromisoformat(AS_OF)
    soon = svc.coming_back(day)
    for _ in range(1500):  # the forecast for the date is fitted on the way (slow when busy)
        if soon is not None:
            break
        time.sleep(0.2)
        soon = svc.coming_back(day)
    assert soon, "announced renewals awaiting release as of the date"
    assert [r["premiere"] for r in soon] == sorted(r["premiere"] for r in soon)
    for r in soon:
        assert r["status"] == "renewed" and r["premiere"] > AS_OF
        assert r["decided_at"] is None or r["decided_at"] <= AS_OF


def test_feeds_answer_head(client: Any) -> None:
    r = client.head("/feeds/changes.atom", params={"as_of": "2023-06-30", "limit": 5})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
    assert r.content == b""


# ------------------------------------------------------------------ odds over time
def test_series_data_carries_the_odds_history(client: Any, partner_track: int) -> None:
    data = client.get(f"/api/series/{partner_track}", params={"as_of": AS_OF}).json()
    history = data["odds_history"]  # the store's weekly forecasts (none unless materialised)
    assert isinstance(history, list)
    days = [h["cutoff"] for h in history]
    assert days == sorted(days) and all(d <= AS_OF for d in days)


def test_odds_figure_needs_two_updates() -> None:
    from renewcast.web.timeline import odds_figure

    assert odds_figure([{"cutoff": "2024-01-02", "p_renewal": 0.4}]) is None
    fig = odds_figure(
        [{"cutoff": "2024-01-02", "p_renewal": 0.4}, {"cutoff": "2024-01-09", "p_renewal": 0.55}]
    )
    assert fig is not None
    assert fig["data"][0]["x"] == ["2024-01-02", "2024-01-09"]
    assert fig["data"][0]["y"] == [0.4, 0.55]
    assert fig["layout"]["yaxis"]["range"] == [0, 1]


def test_moments_are_written_for_people() -> None:
    from renewcast.web.app import _when

    assert _when("2026-12-05T18:42:27+00:00") == "2026-12-05 18:42 UTC"
    assert _when("2026-12-05T20:42:27+02:00") == "2026-12-05 18:42 UTC"
    assert _when("not a time") == "not a time"


def test_sources_count_the_articles_without_a_date(news_db: str) -> None:
    """The news' latest date leaves undated articles out: the sources page says how many."""
    from fastapi.testclient import TestClient

    from renewcast.web.app import create_app

    with TestClient(create_app(news_db)) as c:
        now = c.get("/api/sources").json()["news_articles"]
        page = c.get("/sources").text
        then = c.get("/api/sources", params={"as_of": AS_OF}).json()["news_articles"]
    assert 0 < now["undated"] < now["articles"]
    assert f"{now['undated']} of the {now['articles']} news articles" in page
    # undated articles count from the day they were added (the test run's), so not as of then
    assert then["undated"] == 0 and 0 < then["articles"] < now["articles"]


def test_timeline_of_one_day_shows_days_not_milliseconds() -> None:
    """Evidence all from one day: the axis spans about two months around it (Plotly would
    otherwise zoom in to the day's milliseconds); a long history keeps its own range."""
    from renewcast.web.timeline import MIN_SPAN_DAYS, timeline_figure

    one = {"published": "2026-07-21", "status": "renewed", "claim": "An invented claim."}
    fig = timeline_figure([one, {**one, "status": None}])
    assert fig is not None
    lo, hi = (date.fromisoformat(d) for d in fig["layout"]["xaxis"]["range"])
    assert lo < date(2026, 7, 21) < hi and (hi - lo).days >= MIN_SPAN_DAYS - 1
    y = fig["layout"]["yaxis"]  # only the lanes drawn, in the page's order
    assert y["categoryarray"] == ["renewed", "facts"] and y["range"] == [-0.5, 1.5]
    long = timeline_figure([one, {**one, "published": "2023-01-05"}])
    assert long is not None and "range" not in long["layout"]["xaxis"]
    assert timeline_figure([{**one, "published": None, "undated": True}]) is None
    month = timeline_figure([{**one, "published": "2023-03"}])  # a page dated to the month
    assert month is not None and month["layout"]["xaxis"]["range"][1] == "2023-03-08"
    unsure = timeline_figure([one, {**one, "counts": "unclear"}])
    assert unsure is not None  # a statement too unsure to count: an open circle, said so
    assert unsure["data"][0]["marker"]["symbol"] == ["circle", "circle-open"]
    assert "too unsurely to count" in unsure["data"][0]["text"][1]
