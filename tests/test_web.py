"""The web app on the real data: pages, JSON API, feeds, bad input and write protection.

The store is the session's ``synced_db`` (read-only): the app only reads it here.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

SEED_DAY = "2022-09-01"


@pytest.fixture(scope="module")
def client(synced_db: str) -> Any:
    from fastapi.testclient import TestClient

    from renewcast.web.app import create_app

    with TestClient(create_app(synced_db)) as c:
        yield c


@pytest.fixture(scope="module")
def partner_track(client: Any) -> int:
    r = client.get("/api/search", params={"q": "Partner Track"})
    assert r.status_code == 200
    return int(r.json()["matches"][0]["series_id"])


# ------------------------------------------------------------------ search
def test_forgiving_search_redirects_to_the_series_page(client: Any, partner_track: int) -> None:
    r = client.get("/search", params={"q": "partner trak"}, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == f"/series/{partner_track}"
    r = client.get("/search", params={"q": "partner trak", "as_of": SEED_DAY})
    assert r.status_code == 200
    assert "Will there be a Partner Track season 2?" in r.text


def test_search_api_suggests_titles(client: Any) -> None:
    r = client.get("/api/search", params={"q": "stranger thngs"})
    assert r.status_code == 200
    titles = [m["title"] for m in r.json()["matches"]]
    assert "Stranger Things" in titles
    assert all(m["url"].startswith("/series/") for m in r.json()["matches"])


def test_search_page_escapes_the_query(client: Any) -> None:
    hostile = "<script>alert('x')</script>"
    r = client.get("/search", params={"q": hostile})
    assert r.status_code == 404  # nothing matches: 404 with suggestions
    assert "<script>alert" not in r.text
    assert "&lt;script&gt;" in r.text


# ------------------------------------------------------------------ series page
def test_series_page_as_of_seed_day(client: Any, partner_track: int) -> None:
    # the page's GET form sends an empty season for "next"
    r = client.get(f"/series/{partner_track}", params={"as_of": SEED_DAY, "season": ""})
    assert r.status_code == 200
    html = r.text
    badge = re.search(r'id="status-badge" data-status="(\w+)"', html)
    assert badge and badge.group(1) == "pending"
    assert 'id="chart-data"' in html and '<script src="/static/plotly.min.js"' in html
    assert "cdn" not in html.lower()
    assert "Arden Cho" in html  # the cast, as JustWatch lists it
    assert f'value="{SEED_DAY}"' in html  # the as-of picker keeps the date
    assert "Showing what was known by the end of" in html


def test_series_page_speaks_plain_words(client: Any, partner_track: int) -> None:
    """The odds say where they come from in words; the model's name stays in the JSON."""
    api = client.get(f"/api/series/{partner_track}", params={"as_of": SEED_DAY}).json()
    fc = api["answer"]["forecast"]
    html = client.get(f"/series/{partner_track}", params={"as_of": SEED_DAY}).text
    odds = re.search(r'<p class="prob-line">(.*?)</p>', html, re.S)
    assert odds and "renewcast forecast from data known by" in odds.group(1)
    assert fc["model"]["version"] not in html


def test_page_and_api_show_the_same_answer(client: Any, partner_track: int) -> None:
    page = client.get(f"/api/series/{partner_track}", params={"as_of": SEED_DAY}).json()
    ask = client.get("/api/ask", params={"q": "partner trak", "as_of": SEED_DAY}).json()
    assert page["answer"] == ask
    assert ask["status"] == "pending" and ask["season"] == 2
    # nothing known after the as-of day leaks into the page's data
    cutoff = date.fromisoformat(SEED_DAY)
    for run in page["chart"]["runs"]:
        assert all(date.fromisoformat(w) <= cutoff for w in run["weeks"])
    for e in ask["status_evidence"]:
        assert date.fromisoformat(e["published"]) <= cutoff
    this = [r for r in page["chart"]["runs"] if r["group"] == "this"]
    assert this and this[0]["season"] == 1 and this[0]["weeks"][0] == "2022-08-28"


def test_time_travel_changes_the_status(client: Any, partner_track: int) -> None:
    then = client.get("/api/ask", params={"series_id": partner_track, "as_of": SEED_DAY}).json()
    now = client.get("/api/ask", params={"series_id": partner_track}).json()
    assert then["status"] == "pending"
    assert now["status"] != "pending" and now["decided_at"] > SEED_DAY


def test_chart_compares_with_decided_seasons_only(client: Any, partner_track: int) -> None:
    chart = client.get(f"/api/series/{partner_track}", params={"as_of": "2024-01-15"}).json()[
        "chart"
    ]
    groups = {r["group"] for r in chart["runs"]}
    assert "this" in groups
    assert groups <= {"this", "renewed", "not_renewed"}
    fig = chart["figure"]
    assert fig["layout"]["yaxis"]["autorange"] == "reversed"  # rank 1 at the top
    assert len(fig["data"]) == 2 * len(chart["runs"])  # a rank and an hours trace per run


# ------------------------------------------------------------------ lists
def test_latest_decisions_are_dated_by_the_as_of_day(client: Any) -> None:
    r = client.get("/api/decisions", params={"as_of": "2023-06-30", "limit": 25})
    assert r.status_code == 200
    body = r.json()
    rows = body["decisions"]
    assert rows, body
    days = [d["decided_at"] for d in rows]
    assert days == sorted(days, reverse=True)
    assert all(d <= "2023-06-30" for d in days)
    assert {d["status"] for d in rows} <= {"renewed", "cancelled", "ended", "limited"}


def test_decision_filters(client: Any) -> None:
    r = client.get(
        "/api/decisions",
        params={"as_of": "2024-06-30", "language": "Non-English", "status": "renewed", "limit": 10},
    )
    rows = r.json()["decisions"]
    assert rows
    for d in rows:
        assert d["status"] == "renewed"
        assert d["list_language"] == "Non-English" or d["language"] == "Non-English"
    page = client.get(
        "/decisions", params={"as_of": "2024-06-30", "language": "Non-English", "status": ""}
    )
    assert page.status_code == 200 and "Latest decisions" in page.text


def test_bubble_ranks_open_seasons(client: Any) -> None:
    from markupsafe import escape

    r = client.get("/api/forecast/open", params={"as_of": "2024-06-30", "limit": 20})
    assert r.status_code == 200
    rows = r.json()["open"]
    assert rows
    probs = [x["p_renewal"] for x in rows if x["p_renewal"] is not None]
    assert probs == sorted(probs, reverse=True)
    assert all(x["status"] == "open" for x in rows)
    kinds = client.get(
        "/api/forecast/open", params={"as_of": "2024-06-30", "kind": "reality"}
    ).json()["open"]
    assert all(x["kind"] == "reality" for x in kinds)
    page = client.get("/bubble", params={"as_of": "2024-06-30", "language": "", "kind": ""})
    # the title as the page escapes it ("AMERICA&#39;S SWEETHEARTS", "Love &amp; Death")
    assert page.status_code == 200 and str(escape(rows[0]["series"])) in page.text


# ------------------------------------------------------------------ feeds
def test_atom_feeds_parse(client: Any, partner_track: int) -> None:
    import feedparser

    r = client.get("/feeds/changes.atom", params={"as_of": "2023-06-30", "limit": 20})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(r.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    assert len(feed.entries) == 20
    e = feed.entries[0]
    assert e.id.startswith("tag:renewcast") and "/series/" in e.link and e.updated
    one = feedparser.parse(client.get(f"/feeds/series/{partner_track}.atom").content)
    assert not one.bozo and "Partner Track" in one.feed.title
    assert [x.title for x in one.entries] == ["Partner Track: season 2 cancelled"]
    plat = feedparser.parse(
        client.get("/feeds/platform/Netflix.atom", params={"as_of": "2023-06-30"}).content
    )
    assert not plat.bozo and plat.entries


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/ask?q=partner+track&as_of=2022-02-30", 422),
        ("/api/ask?q=partner+track&as_of=yesterday", 422),
        ("/api/ask?q=partner+track&as_of=9999-12-31", 422),
        ("/api/ask", 422),
        ("/api/ask?q=" + "x" * 201, 422),
        ("/api/ask?q=zzqqxxjj", 404),
        ("/api/series/999999999", 404),
        ("/api/series/0", 422),
        ("/api/series/99999999999999999999", 422),
        ("/api/decisions?limit=0", 422),
        ("/api/decisions?limit=100000", 422),
        ("/api/ask?q=partner+track&season=0", 422),
        ("/series/999999999", 404),
        ("/feeds/series/999999999.atom", 404),
    ],
)
def test_bad_input_is_a_clear_4xx(client: Any, url: str, status: int) -> None:
    r = client.get(url)
    assert r.status_code == status, r.text
    if url.startswith("/api/"):
        assert r.json()["detail"]


def test_unknown_title_suggests(client: Any) -> None:
    r = client.get("/api/ask", params={"q": "Partner Trackk Lawyers"})
    assert r.status_code in (200, 404)
    if r.status_code == 404:
        assert isinstance(r.json()["suggestions"], list)


# ------------------------------------------------------------------ writes need the token
def test_writes_need_a_token(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    body = {"series": "Partner Track", "webhook_url": "https://example.com/hook"}
    monkeypatch.delenv("RENEWCAST_TOKEN", raising=False)
    assert client.post("/api/watches", json=body).status_code == 401
    assert client.get("/api/watches").status_code == 401
    auth = {"Authorization": "Bearer s3cret"}
    assert client.post("/api/watches", json=body, headers=auth).status_code == 403  # no token set
    monkeypatch.setenv("RENEWCAST_TOKEN", "another")
    assert client.post("/api/watches", json=body, headers=auth).status_code == 403
    assert client.post("/api/watches/check", headers=auth).status_code == 403
    assert client.delete("/api/watches/1", headers=auth).status_code == 403
    monkeypatch.setenv("RENEWCAST_TOKEN", "s3cret")
    assert client.get("/api/watches", headers=auth).status_code == 200
    private = {**body, "webhook_url": "http://127.0.0.1:9/hook"}
    r = client.post("/api/watches", json=private, headers=auth)
    assert r.status_code == 422 and "loopback" in r.json()["detail"]


def test_plotly_is_served_from_the_package(client: Any) -> None:
    import plotly

    r = client.get("/static/plotly.min.js")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/javascript")
    assert len(r.content) > 1_000_000
    assert plotly.__version__  # the file ships with the installed package
    assert client.get("/static/app.js").status_code == 200
    assert "script-src 'self'" in client.get("/").headers["content-security-policy"]


def test_openapi_documents_the_api(client: Any) -> None:
    spec = client.get("/openapi.json").json()
    for path in (
        "/api/ask",
        "/api/series/{series_id}",
        "/api/forecast/open",
        "/api/decisions",
        "/api/search",
        "/api/watches",
        "/feeds/changes.atom",
    ):
        assert path in spec["paths"], path
    params = {p["name"] for p in spec["paths"]["/api/decisions"]["get"]["parameters"]}
    assert {"as_of", "platform", "language", "kind", "status", "limit"} <= params


def test_ask_api_sends_what_json_response_would(client: Any, partner_track: int) -> None:
    """/api/ask sends the service's answer pre-encoded: the same bytes FastAPI's JSONResponse
    renders, with the security headers every response carries."""
    from fastapi.responses import JSONResponse

    svc = client.app.state.service
    for as_of in (SEED_DAY, "2021-03-02", None):
        params = {"series_id": partner_track, **({"as_of": as_of} if as_of else {})}
        r = client.get("/api/ask", params=params)
        assert r.status_code == 200 and r.headers["content-type"] == "application/json"
        day = date.fromisoformat(as_of) if as_of else None
        assert r.content == JSONResponse(svc.answer(partner_track, None, day)).body
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "same-origin"
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
    # a page that sets its own policy keeps it (none does today: the default applies once)
    assert client.get("/").headers.get_list("content-security-policy") == [
        client.get("/").headers["content-security-policy"]
    ]
