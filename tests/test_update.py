"""``renewcast update`` against recorded HTTP answers (respx): every live source, first fetch,
304 unchanged, a changed file, HTTP 500, a timeout, a body cut short and a changed format.

Every answer below is small and invented for these tests (series such as "The Lantern Keepers"
do not exist); only the shapes follow the real services: Netflix's Top 10 TSV columns, an
engagement workbook, the MediaWiki API's revision and parse answers, TVmaze's show answer with
embedded seasons, an RSS feed. The code under test is the live code; only the network is fake.
"""

from __future__ import annotations

import io
import json
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
from sqlalchemy import Engine, func, select

from renewcast.news import fetch as news_fetch
from renewcast.sources import netflix_top10 as top10
from renewcast.sources import wikipedia as wp
from renewcast.sources.tvmaze import BASE_URL as TVMAZE
from renewcast.sources.tvmaze import TvmazeClient
from renewcast.store.freshness import data_as_of_line, freshness
from renewcast.store.schema import (
    chart_entries,
    documents,
    engagement_rows,
    facts,
    metadata,
    series,
    series_xrefs,
)
from renewcast.update import (
    ENGAGEMENT_CONFIG,
    EXIT_BUSY,
    EXIT_FAILED,
    EXIT_OK,
    UpdateBusy,
    Updater,
    add_feed,
    list_feeds,
    remove_feed,
    update_lock,
)

REPORT_URL = (
    "https://assets.example-cdn.com/reports/What_We_Watched_A_Netflix_Engagement_Report_"
    "2026Jan-Jun.xlsx"
)
FEED_URL = "https://tvwire.example.com/feed.rss"
SHOW_ID = 90001
PUBLIC_IP = "93.184.215.14"

# ----------------------------------------------------------------------------- invented data

GLOBAL_HEADER = (
    "week\tcategory\tweekly_rank\tshow_title\tseason_title\tweekly_hours_viewed\truntime\t"
    "weekly_views\tcumulative_weeks_in_top_10"
)
GLOBAL_V1 = "\n".join(
    [
        GLOBAL_HEADER,
        "2026-11-22\tTV (English)\t1\tThe Lantern Keepers\tThe Lantern Keepers: Season 2\t"
        "41000000\t8.2\t5000000\t1",
        "2026-11-22\tTV (English)\t2\tSalt Road\tSalt Road: Limited Series\t30000000\t5.0\t"
        "6000000\t2",
        "2026-11-15\tTV (English)\t1\tSalt Road\tSalt Road: Limited Series\t35000000\t5.0\t"
        "7000000\t1",
    ]
).encode()
NEW_WEEK = (
    "2026-11-29\tTV (English)\t1\tThe Lantern Keepers\tThe Lantern Keepers: Season 2\t"
    "52000000\t8.2\t6300000\t2"
)
GLOBAL_V2 = GLOBAL_V1.replace(b"\n", f"\n{NEW_WEEK}\n".encode(), 1)
COUNTRIES = "\n".join(
    [
        "country_name\tcountry_iso2\tweek\tcategory\tweekly_rank\tshow_title\tseason_title\t"
        "cumulative_weeks_in_top_10",
        "Canada\tCA\t2026-11-22\tTV\t1\tThe Lantern Keepers\tThe Lantern Keepers: Season 2\t1",
        "Canada\tCA\t2026-11-22\tTV\t2\tSalt Road\tSalt Road: Limited Series\t2",
    ]
).encode()
MOST_POPULAR = "\n".join(
    [
        "category\trank\tshow_title\tseason_title\thours_viewed_first_91_days\truntime\t"
        "views_first_91_days",
        "TV (English)\t1\tSalt Road\tSalt Road: Limited Series\t90000000\t5.0\t18000000",
    ]
).encode()


@lru_cache(maxsize=1)
def report_xlsx() -> bytes:
    """One invented engagement workbook (built once: openpyxl stamps the save time)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "TV"
    for row in (
        ["What We Watched: A Netflix Engagement Report"],
        ["Views from January to June 2026"],
        ["Title", "Available Globally?", "Release Date", "Hours Viewed", "Runtime", "Views"],
        ["The Lantern Keepers: Season 1", "Yes", "2024-03-03", 120_000_000, "8:00", 15_000_000],
        ["Salt Road: Limited Series", "Yes", "2026-11-06", 60_000_000, "5:00", 12_000_000],
    ):
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def wiki_table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f'<table class="wikitable"><tbody><tr>{head}</tr>{body}</tbody></table>'


CURRENT_HTML = (
    '<div class="mw-parser-output"><h2>Drama</h2>'
    + wiki_table(
        ["Title", "Genre", "Premiere", "Seasons", "Status", "Language"],
        [
            [
                "The Lantern Keepers",
                "Fantasy drama",
                "March 3, 2024",
                "2 seasons, 16 episodes",
                "Renewed for season 3",
                "English",
            ],
        ],
    )
    + "</div>"
)
CURRENT_HTML_V2 = CURRENT_HTML.replace(
    "</tbody></table>",
    "<tr><td>Maple &amp; Iron</td><td>Period drama</td><td>October 2, 2026</td>"
    "<td>1 season, 8 episodes</td><td>Pending</td><td>English</td></tr></tbody></table>",
)
ENDED_HTML = (
    '<div class="mw-parser-output"><h2>Drama</h2>'
    + wiki_table(
        ["Title", "Genre", "Premiere", "Finale", "Seasons", "Language"],
        [
            [
                "Salt Road",
                "Crime miniseries",
                "November 6, 2026",
                "November 6, 2026",
                "1 season, 6 episodes",
                "English",
            ]
        ],
    )
    + "</div>"
)


def revision(page: str, revid: int, stamp: str) -> bytes:
    return json.dumps(
        {
            "batchcomplete": True,
            "query": {
                "pages": [
                    {
                        "pageid": 100 + len(page),
                        "ns": 0,
                        "title": page.replace("_", " "),
                        "revisions": [{"revid": revid, "parentid": revid - 1, "timestamp": stamp}],
                    }
                ]
            },
        }
    ).encode()


def parsed(page: str, revid: int, html: str) -> bytes:
    return json.dumps({"parse": {"title": page, "revid": revid, "text": html}}).encode()


def tvmaze_show(next_season: bool) -> bytes:
    seasons = [
        {
            "id": 7001,
            "number": 1,
            "name": "",
            "episodeOrder": 8,
            "premiereDate": "2024-03-03",
            "endDate": "2024-03-03",
            "network": None,
            "webChannel": {"id": 1, "name": "Netflix"},
        },
        {
            "id": 7002,
            "number": 2,
            "name": "",
            "episodeOrder": 8,
            "premiereDate": "2026-11-20",
            "endDate": "2026-11-20",
            "network": None,
            "webChannel": {"id": 1, "name": "Netflix"},
        },
    ]
    if next_season:
        seasons.append(
            {
                "id": 7003,
                "number": 3,
                "name": "",
                "episodeOrder": 10,
                "premiereDate": "2027-12-01",
                "endDate": None,
                "network": None,
                "webChannel": {"id": 1, "name": "Netflix"},
            }
        )
    show = {
        "id": SHOW_ID,
        "url": f"https://www.tvmaze.com/shows/{SHOW_ID}/the-lantern-keepers",
        "name": "The Lantern Keepers",
        "type": "Scripted",
        "language": "English",
        "genres": ["Drama", "Fantasy"],
        "status": "Running",
        "premiered": "2024-03-03",
        "ended": None,
        "network": None,
        "webChannel": {"id": 1, "name": "Netflix"},
        "externals": {"imdb": None, "thetvdb": None},
        "summary": "<p>Invented for a test.</p>",
        "updated": 1764000000,
        "_embedded": {"seasons": seasons},
    }
    if next_season:
        show["_embedded"]["nextepisode"] = {  # type: ignore[index]
            "id": 8801,
            "season": 3,
            "number": 1,
            "name": "Kindling",
            "airdate": "2027-12-01",
            "airstamp": "2027-12-01T08:00:00+00:00",
            "runtime": 55,
            "type": "regular",
        }
    return json.dumps(show).encode()


RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>TV Wire</title><link>https://tvwire.example.com/</link>
<description>Invented news</description>
<item><title>The Lantern Keepers renewed for season 3</title>
<link>https://tvwire.example.com/lantern-keepers-season-3</link>
<pubDate>Mon, 30 Nov 2026 15:00:00 GMT</pubDate></item>
</channel></rss>"""
ARTICLE = b"""<html><head><title>The Lantern Keepers renewed for season 3</title>
<meta property="article:published_time" content="2026-11-30T15:00:00Z"></head><body><article>
<h1>The Lantern Keepers renewed for season 3</h1>
<p>Netflix has renewed The Lantern Keepers for a third season, the streamer said on Monday.
The fantasy drama about a family of lighthouse keepers premiered its second season this month.</p>
<p>The new season will have ten episodes, and production starts in the spring.</p>
</article></body></html>"""


# ----------------------------------------------------------------------------- fake web


@dataclass
class Resource:
    body: bytes
    version: int = 1
    fail: str | None = None  # "500" | "timeout" | "truncated" | "schema"
    schema_body: bytes = b""
    content_type: str = "application/octet-stream"

    @property
    def etag(self) -> str:
        return f'"v{self.version}-{len(self.body)}"'


@dataclass
class FakeWeb:
    """URL → resource, answering conditional requests with 304 when the ETag matches."""

    resources: dict[str, Resource] = field(default_factory=dict)
    log: list[httpx.Request] = field(default_factory=list)

    def key(self, request: httpx.Request) -> str:
        url = request.url
        if str(url).startswith(wp.API_URL):
            p = url.params
            return f"wiki:{p['action']}:{p.get('titles') or p.get('oldid')}"
        return str(url)

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.log.append(request)
        res = self.resources.get(self.key(request))
        if res is None:
            return httpx.Response(404, text="not found")
        if res.fail == "500":
            return httpx.Response(500, text="oops")
        if res.fail == "timeout":
            raise httpx.ReadTimeout("the server did not answer", request=request)
        if request.headers.get("If-None-Match") == res.etag:
            return httpx.Response(304, headers={"ETag": res.etag})
        body = res.body
        headers = {"ETag": res.etag, "Content-Type": res.content_type}
        if res.fail == "schema":
            body = res.schema_body
        if res.fail == "truncated":
            headers["Content-Length"] = str(len(body))
            body = body[: len(body) // 2]
        return httpx.Response(200, content=body, headers=headers)

    def put(self, key: str, body: bytes, content_type: str = "application/octet-stream") -> None:
        old = self.resources.get(key)
        version = old.version + 1 if old else 1
        self.resources[key] = Resource(body, version, content_type=content_type)

    def fail(self, key: str, how: str, schema_body: bytes = b"") -> None:
        self.resources[key].fail = how
        self.resources[key].schema_body = schema_body

    def heal(self, key: str) -> None:
        self.resources[key].fail = None

    def conditional(self) -> list[str]:
        return [str(r.url) for r in self.log if "If-None-Match" in r.headers]


CURRENT, ENDED = wp.CURRENT_PAGE, wp.ENDED_PAGE
TVMAZE_URL = f"{TVMAZE}/shows/{SHOW_ID}?embed%5B%5D=seasons&embed%5B%5D=nextepisode"


def the_web() -> FakeWeb:
    web = FakeWeb()
    web.put(top10.official_url("global"), GLOBAL_V1)
    web.put(top10.official_url("countries"), COUNTRIES)
    web.put(top10.official_url("most-popular"), MOST_POPULAR)
    web.put(REPORT_URL, report_xlsx())
    web.put(f"wiki:query:{CURRENT}", revision(CURRENT, 5001, "2026-11-30T18:04:05Z"))
    web.put("wiki:parse:5001", parsed(CURRENT, 5001, CURRENT_HTML))
    web.put(f"wiki:query:{ENDED}", revision(ENDED, 6001, "2026-11-28T09:00:00Z"))
    web.put("wiki:parse:6001", parsed(ENDED, 6001, ENDED_HTML))
    web.put(TVMAZE_URL, tvmaze_show(next_season=False))
    web.put(FEED_URL, RSS, "application/rss+xml")
    web.put("https://tvwire.example.com/lantern-keepers-season-3", ARTICLE, "text/html")
    return web


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture(autouse=True)
def fake_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every example host is public; nothing reaches the real DNS."""

    def getaddrinfo(host: str, port: int, *args: object, **kwargs: object) -> list[Any]:
        if not host.endswith("example.com"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        addr = "127.0.0.1" if host.startswith("evil.") else PUBLIC_IP
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (addr, port))]

    monkeypatch.setattr(news_fetch.socket, "getaddrinfo", getaddrinfo)


@pytest.fixture()
def web() -> Iterator[FakeWeb]:
    fake = the_web()
    with respx.mock(assert_all_called=False) as router:
        router.route().mock(side_effect=fake.handle)
        yield fake


@pytest.fixture()
def live(tmp_path: Path) -> Path:
    data = tmp_path / "live"
    (data / ENGAGEMENT_CONFIG).parent.mkdir(parents=True)
    (data / ENGAGEMENT_CONFIG).write_text(f"{REPORT_URL} 2026-09-18\n")
    return data


@pytest.fixture()
def sqlite(tmp_path: Path) -> Iterator[Engine]:
    from renewcast.store.db import connect, dispose_all

    yield connect(f"sqlite:///{tmp_path / 'store.db'}")
    dispose_all()


def updater(engine: Engine, data: Path, client: httpx.Client) -> Updater:
    tv = TvmazeClient(client, min_interval=0.0, max_retries=0, sleep=lambda _s: None)
    return Updater(
        engine,
        data,
        client=client,
        tvmaze=tv,
        feed_client=lambda headers: httpx.Client(headers=headers),
    )


def run(engine: Engine, data: Path, *names: str) -> Any:
    with httpx.Client() as client:
        return updater(engine, data, client).run(list(names) or None)


def prepare(engine: Engine, data: Path) -> None:
    """Track the invented show and follow the invented feed, as a user would."""
    with httpx.Client() as client:
        out = updater(engine, data, client).track(SHOW_ID)
    assert out.status == "ok", out.message
    add_feed(engine, FEED_URL)


LOGS = {"import_log", "import_problems", "source_checks"}


def store_rows(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every data table (the logs aside), for byte-for-byte comparisons."""
    out = {}
    with engine.connect() as conn:
        for name, table in metadata.tables.items():
            if name not in LOGS:
                out[name] = sorted(conn.execute(select(table)).all(), key=repr)
    return out


def files(data: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(data)): p.read_bytes()
        for p in sorted(data.rglob("*"))
        if p.is_file() and p.name not in (".update.lock",)
    }


def count(engine: Engine, table: Any, *where: Any) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar())


# ----------------------------------------------------------------------------- acceptance


def test_update_imports_every_source_and_a_second_run_changes_nothing(
    sqlite: Engine, live: Path, web: FakeWeb
) -> None:
    prepare(sqlite, live)
    first = run(sqlite, live)
    by = {s.source: s for s in first.sources}
    assert first.exit_code == EXIT_OK, first.to_json()
    assert [s.source for s in first.sources] == [
        "wikipedia",
        "netflix-top10",
        "netflix-engagement",
        "tvmaze",
        "news",
    ]
    assert all(by[s].status == "ok" for s in ("wikipedia", "netflix-top10", "netflix-engagement"))
    assert by["news"].added == 1
    # Top 10 weeks, a Wikipedia revision dated by its timestamp, the engagement report, TVmaze
    assert count(sqlite, chart_entries, chart_entries.c.list == "global") == 3
    assert count(sqlite, engagement_rows) == 2
    with sqlite.connect() as conn:
        wiki = conn.execute(
            select(documents.c.uri, documents.c.known_at).where(
                documents.c.source == "wikipedia/current"
            )
        ).one()
    assert wiki.uri.endswith("oldid=5001")
    assert wiki.known_at == datetime(2026, 11, 30, tzinfo=UTC)
    assert (live / "netflix-top10" / "all-weeks-global.tsv").read_bytes() == GLOBAL_V1
    assert (live / "wikipedia" / f"{CURRENT}.html").read_bytes() == CURRENT_HTML.encode()
    assert json.dumps(first.to_json())  # --json is serialisable

    before, on_disk = store_rows(sqlite), files(live)
    web.log.clear()
    second = run(sqlite, live)
    assert second.exit_code == EXIT_OK
    assert {s.source: s.status for s in second.sources} == dict.fromkeys(
        ("wikipedia", "netflix-top10", "netflix-engagement", "tvmaze", "news"), "unchanged"
    )
    assert store_rows(sqlite) == before
    assert files(live) == on_disk
    # every file was asked for conditionally and none was downloaded again
    asked = web.conditional()
    assert top10.official_url("global") in asked and REPORT_URL in asked
    assert TVMAZE_URL in asked and FEED_URL in asked
    assert not any("action=parse" in str(r.url) for r in web.log)
    statuses = {f.status for s in second.sources for f in s.files}
    assert statuses == {"not-modified"}


def test_changed_files_bring_new_weeks_a_new_revision_and_new_seasons(
    sqlite: Engine, live: Path, web: FakeWeb
) -> None:
    prepare(sqlite, live)
    run(sqlite, live)
    web.put(top10.official_url("global"), GLOBAL_V2)
    web.put(f"wiki:query:{CURRENT}", revision(CURRENT, 5002, "2026-12-02T07:30:00Z"))
    web.put("wiki:parse:5002", parsed(CURRENT, 5002, CURRENT_HTML_V2))
    web.put(TVMAZE_URL, tvmaze_show(next_season=True))
    report = run(sqlite, live)
    by = {s.source: s for s in report.sources}
    assert by["netflix-top10"].status == "ok"
    assert count(sqlite, chart_entries, chart_entries.c.week == date(2026, 11, 29)) == 1
    assert by["wikipedia"].status == "ok"
    with sqlite.connect() as conn:
        titles = set(conn.execute(select(series.c.title)).scalars())
        third = conn.execute(
            select(facts.c.value, facts.c.known_at)
            .join(documents, documents.c.id == facts.c.document_id)
            .where(documents.c.source == "tvmaze", facts.c.season_number == 3)
            .where(facts.c.attribute == "premiere")
        ).one()
    assert "Maple & Iron" in titles
    assert json.loads(third.value) == "2027-12-01"
    assert third.known_at.date() == datetime.now(UTC).date()  # dated by the fetch
    assert (live / "netflix-top10" / "all-weeks-global.tsv").read_bytes() == GLOBAL_V2
    # the countries and most-popular files did not change: 304, nothing re-imported
    files_by_url = {f.url: f.status for f in by["netflix-top10"].files}
    assert files_by_url[top10.official_url("countries")] == "not-modified"


# ----------------------------------------------------------------------------- failures

SCHEMA_CHANGES: dict[str, tuple[str, bytes]] = {
    "netflix-top10": (
        top10.official_url("global"),
        b"wk\tcat\trank\ttitle\n2026-11-29\tTV (English)\t1\tThe Lantern Keepers",
    ),
    "netflix-engagement": (REPORT_URL, b"PK\x03\x04 not really a workbook"),
    "wikipedia": (f"wiki:query:{CURRENT}", json.dumps({"query": {"pages": [{}]}}).encode()),
    "tvmaze": (TVMAZE_URL, json.dumps({"id": SHOW_ID, "name": "The Lantern Keepers"}).encode()),
    "news": (FEED_URL, b"<html><body>Our feed moved</body></html>"),
}


def break_and_change(web: FakeWeb, source: str, how: str) -> str:
    """Put a newer version of the source's first file online, then break its answer."""
    key, schema_body = SCHEMA_CHANGES[source]
    changed = {
        "netflix-top10": GLOBAL_V2,
        "netflix-engagement": report_xlsx() + b"",
        "wikipedia": revision(CURRENT, 5002, "2026-12-02T07:30:00Z"),
        "tvmaze": tvmaze_show(next_season=True),
        "news": RSS.replace(b"Mon, 30 Nov", b"Tue, 01 Dec"),
    }[source]
    web.put(key, changed, web.resources[key].content_type)
    web.fail(key, how, schema_body)
    return key


@pytest.mark.parametrize("how", ["500", "timeout", "truncated", "schema"])
@pytest.mark.parametrize("source", list(SCHEMA_CHANGES))
def test_a_failing_source_leaves_its_store_rows_and_last_good_copy_untouched(
    sqlite: Engine, live: Path, web: FakeWeb, source: str, how: str
) -> None:
    prepare(sqlite, live)
    assert run(sqlite, live).exit_code == EXIT_OK
    before, on_disk = store_rows(sqlite), files(live)
    with sqlite.connect() as conn:
        fresh_before = {f.source: f.data_date for f in freshness(conn)}
    break_and_change(web, source, how)
    report = run(sqlite, live)
    by = {s.source: s for s in report.sources}
    assert report.exit_code == EXIT_FAILED
    assert by[source].status == "failed"
    message = by[source].message or ""
    assert (
        "unchanged" in message or "nothing of the feeds" in message
    ) and f"--source {source}" in message
    assert store_rows(sqlite) == before
    assert files(live) == on_disk
    # the others went on
    assert all(s.status == "unchanged" for s in report.sources if s.source != source)
    with sqlite.connect() as conn:
        fresh = {f.source: f for f in freshness(conn)}
    freshness_name = "news" if source == "news" else source
    assert fresh[freshness_name].data_date == fresh_before[freshness_name]
    assert fresh[freshness_name].last_error and fresh[freshness_name].last_status == "failed"
    assert fresh[freshness_name].last_success_at is not None
    assert fresh[freshness_name].data_date is not None
    assert fresh[freshness_name].data_date.isoformat() in data_as_of_line(fresh.values())


def test_a_source_that_recovers_is_imported_on_the_next_run(
    sqlite: Engine, live: Path, web: FakeWeb
) -> None:
    prepare(sqlite, live)
    run(sqlite, live)
    key = break_and_change(web, "netflix-top10", "truncated")
    assert run(sqlite, live, "netflix-top10").exit_code == EXIT_FAILED
    web.heal(key)
    report = run(sqlite, live, "netflix-top10")
    assert report.exit_code == EXIT_OK and report.sources[0].status == "ok"
    assert count(sqlite, chart_entries, chart_entries.c.week == date(2026, 11, 29)) == 1


def test_first_fetch_failure_reports_what_to_do_and_stores_nothing(
    sqlite: Engine, live: Path, web: FakeWeb
) -> None:
    web.fail(top10.official_url("countries"), "500")
    report = run(sqlite, live, "netflix-top10")
    out = report.sources[0]
    assert out.status == "failed"
    assert "HTTP 500" in (out.message or "") and "try again later" in (out.message or "")
    # all of the Top 10 or none: the global file that did download is not imported either
    assert count(sqlite, chart_entries) == 0
    assert not (live / "netflix-top10").exists()


def test_a_store_rebuilt_from_scratch_is_filled_from_the_last_good_copies(
    tmp_path: Path, sqlite: Engine, live: Path, web: FakeWeb
) -> None:
    from renewcast.store.db import connect

    run(sqlite, live, "netflix-top10")
    other = connect(f"sqlite:///{tmp_path / 'other.db'}")
    report = run(other, live, "netflix-top10")
    assert {f.status for f in report.sources[0].files} == {"not-modified"}
    assert count(other, chart_entries) == count(sqlite, chart_entries) > 0


# ----------------------------------------------------------------------------- lock, feeds, track


def test_two_updates_are_kept_apart(live: Path) -> None:
    with (
        update_lock(live),
        pytest.raises(UpdateBusy, match="another renewcast update"),
        update_lock(live),
    ):
        pass
    with update_lock(live):  # released
        pass


def test_feeds_add_list_remove_and_the_address_guard(sqlite: Engine) -> None:
    from renewcast.news.fetch import FetchError

    feed_id, new = add_feed(sqlite, FEED_URL)
    assert new and add_feed(sqlite, FEED_URL) == (feed_id, False)
    assert [f["url"] for f in list_feeds(sqlite)] == [FEED_URL]
    with pytest.raises(FetchError, match="loopback"):
        add_feed(sqlite, "http://evil.example.com/feed.xml")
    with pytest.raises(FetchError, match="only http and https"):
        add_feed(sqlite, "file:///etc/passwd")
    assert remove_feed(sqlite, str(feed_id)) and list_feeds(sqlite) == []
    assert not remove_feed(sqlite, FEED_URL)


def test_track_links_an_existing_series_and_imports_its_seasons(
    sqlite: Engine, live: Path, web: FakeWeb
) -> None:
    run(sqlite, live, "wikipedia")  # creates "The Lantern Keepers"
    with sqlite.connect() as conn:
        sid = conn.execute(
            select(series.c.id).where(series.c.title == "The Lantern Keepers")
        ).scalar_one()
    with httpx.Client() as client:
        out = updater(sqlite, live, client).track(SHOW_ID, sid)
    assert out.status == "ok"
    with sqlite.connect() as conn:
        xref = conn.execute(
            select(series_xrefs.c.series_id).where(series_xrefs.c.scheme == "tvmaze")
        ).scalar_one()
        attrs = set(
            conn.execute(
                select(facts.c.attribute)
                .join(documents, documents.c.id == facts.c.document_id)
                .where(documents.c.source == "tvmaze")
            ).scalars()
        )
    assert xref == sid
    assert {"tvmaze_status", "web_channel", "premiere", "episodes", "seasons"} <= attrs
    assert count(sqlite, series, series.c.title == "The Lantern Keepers") == 1


def test_tvmaze_calls_stay_within_twenty_per_ten_seconds() -> None:
    tv = TvmazeClient(httpx.Client())
    assert tv.min_interval >= 10 / 20


def test_unknown_source_names_are_refused(sqlite: Engine, live: Path) -> None:
    with httpx.Client() as client, pytest.raises(ValueError, match="choose from"):
        updater(sqlite, live, client).run(["netflix"])


def test_the_answer_says_data_as_of_the_last_good_date_when_a_source_fails(
    sqlite: Engine, live: Path, web: FakeWeb
) -> None:
    from renewcast.answer.compose import compose

    prepare(sqlite, live)
    run(sqlite, live)
    break_and_change(web, "netflix-top10", "timeout")
    assert run(sqlite, live).exit_code == EXIT_FAILED
    with sqlite.connect() as conn:
        sid = conn.execute(
            select(series.c.id).where(series.c.title == "The Lantern Keepers")
        ).scalar_one()
        answer = compose(conn, sid, with_forecast=False)
        earlier = compose(conn, sid, as_of=date(2026, 11, 23), with_forecast=False)
    line = answer.to_json()["data_as_of_text"]
    assert "Netflix Top 10 to the week ending 2026-11-22" in line  # the last good week
    assert "Wikipedia lists of 2026-11-30" in line
    assert "TVmaze as fetched" in line and "news to 2026-11-30" in line
    # as of an earlier day only what was known then: the week of the 22nd is published on the
    # 24th, the Wikipedia revision is of the 30th
    early = earlier.to_json()["data_as_of_text"]
    assert "Netflix Top 10 to the week ending 2026-11-15" in early
    assert "Wikipedia" not in early and "2026-11-30" not in early


def test_sources_api_and_page_show_freshness_and_the_last_error(
    tmp_path: Path, sqlite: Engine, live: Path, web: FakeWeb
) -> None:
    from fastapi.testclient import TestClient

    from renewcast.web.app import create_app

    prepare(sqlite, live)
    run(sqlite, live)
    break_and_change(web, "wikipedia", "500")
    run(sqlite, live)
    with TestClient(create_app(f"sqlite:///{tmp_path / 'store.db'}")) as client:
        api = client.get("/api/sources").json()
        page = client.get("/sources").text
        decisions = client.get("/decisions").text
        earlier = client.get("/api/sources", params={"as_of": "2026-11-23"}).json()
    by = {s["source"]: s for s in api["sources"]}
    assert by["wikipedia"]["data_date"] == "2026-11-30"  # the last good revision
    assert (
        by["wikipedia"]["last_status"] == "failed" and "HTTP 500" in by["wikipedia"]["last_error"]
    )
    assert by["wikipedia"]["last_success_at"] is not None
    assert (
        by["netflix-top10"]["data_date"] == "2026-11-22"
        and by["netflix-top10"]["last_error"] is None
    )
    assert "Wikipedia lists of 2026-11-30" in api["data_as_of"]
    assert "HTTP 500" in page and "Data as of:" in page
    assert "Data as of:" in decisions  # every page says how fresh its data is
    assert {s["source"]: s["data_date"] for s in earlier["sources"]}["wikipedia"] is None


# ----------------------------------------------------------------------------- command line


def cli(*args: str) -> Any:
    from typer.testing import CliRunner

    from renewcast.cli import app

    return CliRunner().invoke(app, list(args))


def test_cli_update_json_imports_then_changes_nothing_and_exit_codes(
    tmp_path: Path, live: Path, web: FakeWeb
) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    search = str(httpx.URL(f"{TVMAZE}/singlesearch/shows", params={"q": "The Lantern Keepers"}))
    web.put(search, tvmaze_show(next_season=False))
    common = ["--db", db, "--json"]
    assert cli("feeds", "add", FEED_URL, *common).exit_code == 0
    tracked = cli("track", "The Lantern Keepers", "--data", str(live), *common)
    assert tracked.exit_code == 0, tracked.output
    assert json.loads(tracked.stdout)["tvmaze_id"] == SHOW_ID

    first = cli("update", "--data", str(live), *common)
    assert first.exit_code == 0, first.output
    body = json.loads(first.stdout)
    assert {s["source"]: s["status"] for s in body["sources"]}["netflix-top10"] == "ok"
    second = cli("update", "--data", str(live), *common)
    assert second.exit_code == 0
    assert {s["status"] for s in json.loads(second.stdout)["sources"]} == {"unchanged"}

    web.fail(top10.official_url("most-popular"), "500")
    failed = cli("update", "--source", "netflix-top10", "--data", str(live), *common)
    assert failed.exit_code == EXIT_FAILED
    assert json.loads(failed.stdout)["sources"][0]["status"] == "failed"
    fresh = json.loads(cli("sources", *common).stdout)
    top = {s["source"]: s for s in fresh["sources"]}["netflix-top10"]
    assert top["data_date"] == "2026-11-22" and "HTTP 500" in top["last_error"]

    with update_lock(live):
        busy = cli("update", "--data", str(live), *common)
    assert busy.exit_code == EXIT_BUSY and "another renewcast update" in busy.output
    assert cli("update", "--source", "netflix", "--data", str(live), *common).exit_code == 2
    listed = json.loads(cli("feeds", "list", *common).stdout)["feeds"]
    assert [f["url"] for f in listed] == [FEED_URL]
    assert cli("feeds", "remove", FEED_URL, *common).exit_code == 0
    assert cli("feeds", "remove", FEED_URL, *common).exit_code == 1


def test_refresh_runs_update_in_the_background_one_at_a_time(sqlite: Engine, live: Path) -> None:
    from renewcast.update import RefreshLoop, UpdateReport, parse_interval

    assert parse_interval("6h") == 6 * 3600 and parse_interval("30m") == 1800
    assert parse_interval("1d") == 86400 and parse_interval("3600") == 3600
    for bad in ("soon", "10s"):
        with pytest.raises(ValueError):
            parse_interval(bad)
    calls: list[int] = []

    def one_round() -> UpdateReport:
        with update_lock(live):
            calls.append(1)
            return UpdateReport(str(live))

    said: list[str] = []
    loop = RefreshLoop(sqlite, live, 3600, report=said.append, run=one_round)
    with update_lock(live):  # a cron update is running: this round is skipped
        assert str(loop.run_once()).startswith("skipped")
    loop.start()  # the first round runs at once, the next in an hour
    loop.stop(timeout=5)
    assert calls == [1] and said[0].startswith("refresh skipped")


def test_a_season_title_netflix_rewrites_keeps_the_published_title_and_is_dated_now(
    sqlite: Engine, live: Path, web: FakeWeb
) -> None:
    from renewcast.store.schema import title_relabels

    as_published = GLOBAL_V1.replace(b"Salt Road: Limited Series", b"Salt Road: Season 1")
    web.put(top10.official_url("global"), as_published)
    run(sqlite, live, "netflix-top10")
    web.put(top10.official_url("global"), GLOBAL_V2)  # every Salt Road row now "Limited Series"
    report = run(sqlite, live, "netflix-top10")
    assert report.exit_code == EXIT_OK
    with sqlite.connect() as conn:
        titles = set(
            conn.execute(
                select(chart_entries.c.week, chart_entries.c.season_title).where(
                    chart_entries.c.list == "global", chart_entries.c.show_title == "Salt Road"
                )
            ).all()
        )
        relabel = conn.execute(select(title_relabels)).one()
    assert titles == {
        (date(2026, 11, 15), "Salt Road: Season 1"),
        (date(2026, 11, 22), "Salt Road: Season 1"),
    }
    assert (relabel.old_season_title, relabel.new_season_title) == (
        "Salt Road: Season 1",
        "Salt Road: Limited Series",
    )
    assert relabel.known_at.date() == datetime.now(UTC).date()
    again = run(sqlite, live, "netflix-top10")  # 304: nothing new
    assert again.sources[0].status == "unchanged" and count(sqlite, title_relabels) == 1


def test_a_new_engagement_report_and_a_new_feed_article_are_imported(
    sqlite: Engine, live: Path, web: FakeWeb
) -> None:
    import openpyxl

    prepare(sqlite, live)
    run(sqlite, live)
    second = REPORT_URL.replace("2026Jan-Jun", "2026Jul-Dec")
    wb = openpyxl.load_workbook(io.BytesIO(report_xlsx()))
    wb["TV"]["A2"] = "Views from July to December 2026"
    buf = io.BytesIO()
    wb.save(buf)
    web.put(second, buf.getvalue())
    (live / ENGAGEMENT_CONFIG).write_text(f"{REPORT_URL} 2026-09-18\n{second}\n")
    story = "https://tvwire.example.com/salt-road-ends"
    web.put(
        FEED_URL,
        RSS.replace(
            b"</channel>",
            b"<item><title>Salt Road will not return</title><link>" + story.encode() + b"</link>"
            b"<pubDate>Wed, 02 Dec 2026 10:00:00 GMT</pubDate></item></channel>",
        ),
        "application/rss+xml",
    )
    web.put(
        story,
        b"<html><head><title>Salt Road will not return</title></head><body><article>"
        b"<h1>Salt Road will not return</h1><p>Salt Road was always planned as a single "
        b"season, its writers said on Wednesday, and no second season is coming.</p>"
        b"<p>The crime miniseries drew a large audience in its first weeks.</p>"
        b"</article></body></html>",
        "text/html",
    )
    report = run(sqlite, live, "netflix-engagement", "news")
    by = {s.source: s for s in report.sources}
    assert by["netflix-engagement"].status == "ok" and by["news"].added == 1
    with sqlite.connect() as conn:
        periods = conn.execute(
            select(engagement_rows.c.report, func.min(engagement_rows.c.known_at)).group_by(
                engagement_rows.c.report
            )
        ).all()
    published = {r: k.date() for r, k in periods}
    assert published["2026-H1"] == date(2026, 9, 18)  # configured
    assert published["2026-H2"] == datetime.now(UTC).date()  # first downloaded today
    assert count(sqlite, documents, documents.c.kind == "article") == 2


def test_a_dead_report_link_is_reported_and_the_other_reports_still_import(
    sqlite: Engine, live: Path, web: FakeWeb
) -> None:
    gone = "https://assets.example-cdn.com/reports/What_We_Watched_2025Jul-Dec.xlsx"
    (live / ENGAGEMENT_CONFIG).write_text(f"{gone}\n{REPORT_URL} 2026-09-18\n")
    out = run(sqlite, live, "netflix-engagement").sources[0]
    assert out.status == "ok" and count(sqlite, engagement_rows) == 2
    assert [f.status for f in out.files] == ["missing", "downloaded"]
    assert "HTTP 404" in str(out.problems[0]) and "reports.txt" in out.notes[0]


def test_one_transaction_per_source_stores_all_documents_or_none(sqlite: Engine) -> None:
    from renewcast.store.importer import Counts, DocumentInfo, PlannedImport, run_imports

    def ok(conn: Any, doc_id: int, report: Any) -> Counts:
        return Counts(added=1)

    def broken(conn: Any, doc_id: int, report: Any) -> Counts:
        raise ValueError("a row the loader cannot store")

    def doc(n: int) -> DocumentInfo:
        at = datetime(2026, 12, 1, tzinfo=UTC)
        return DocumentInfo(
            "url", "netflix-top10/global", f"https://example.com/{n}", f"{n:064d}", at
        )

    reports = run_imports(sqlite, [PlannedImport(doc(1), ok), PlannedImport(doc(2), broken)])
    assert [r.status for r in reports] == ["failed", "failed"]
    assert "cannot store" in (reports[1].message or "")
    assert "not stored" in (reports[0].message or "")
    assert count(sqlite, documents) == 0
    assert [r.status for r in run_imports(sqlite, [PlannedImport(doc(1), ok)])] == ["ok"]
    assert count(sqlite, documents) == 1


def test_an_unexpected_error_in_one_source_does_not_stop_the_others(
    sqlite: Engine, live: Path, web: FakeWeb, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(self: Updater, out: Any) -> Any:
        raise RuntimeError("disk full")

    monkeypatch.setattr(Updater, "_wikipedia", boom)
    report = run(sqlite, live, "wikipedia", "netflix-top10")
    by = {s.source: s for s in report.sources}
    assert by["wikipedia"].status == "failed" and "RuntimeError: disk full" in (
        by["wikipedia"].message or ""
    )
    assert by["netflix-top10"].status == "ok" and report.exit_code == EXIT_FAILED
