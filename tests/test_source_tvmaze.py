"""TVmaze client: parsing, retries, rate limiting and error reporting, with recorded responses.

The JSON in tests/fixtures/tvmaze/ is a hand-written *recorded shape* of TVmaze's documented
responses (see its README): the title, IMDb id, dates, network and cast come from the shared data
and seed article; TVmaze ids such as show 61476 are used consistently but are not verified.
No test touches the network (respx intercepts every request) and none really sleeps.
"""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from renewcast.sources.base import USER_AGENT, SourceError
from renewcast.sources.tvmaze import (
    BASE_URL,
    TvmazeCastMember,
    TvmazeClient,
    TvmazeError,
    TvmazeNotFoundError,
    TvmazeRateLimitedError,
    TvmazeSchemaError,
    TvmazeUnavailableError,
    _retry_after_seconds,
    parse_show,
    strip_html,
)

SHOW_ID = 61476  # recorded shape; see module docstring


class FakeTime:
    """A clock that only moves when the client sleeps (or a test says so)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


@pytest.fixture()
def tv(fixtures: Path) -> Path:
    return fixtures / "tvmaze"


def load(tv: Path, name: str) -> Any:
    return json.loads((tv / name).read_text(encoding="utf-8"))


@pytest.fixture()
def fake() -> FakeTime:
    return FakeTime()


@pytest.fixture()
def api() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as router:
        yield router


@pytest.fixture()
def client(fake: FakeTime, api: respx.MockRouter) -> Iterator[TvmazeClient]:
    with TvmazeClient(
        httpx.Client(), max_retries=3, sleep=fake.sleep, clock=fake.clock, rng=random.Random(7)
    ) as c:
        yield c


def partner_track_row(data_dir: Path) -> dict[str, str]:
    with (data_dir / "justwatch" / "titles.csv").open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["title"] == "Partner Track"]
    assert len(rows) == 1
    return rows[0]


# --------------------------------------------------------------------------- parsing


def test_show_parses_web_channel_when_network_is_null(
    client: TvmazeClient, api: respx.MockRouter, tv: Path
) -> None:
    route = api.get(f"/shows/{SHOW_ID}").respond(200, json=load(tv, "show_61476.json"))
    show = client.show(SHOW_ID)
    assert show.id == SHOW_ID
    assert show.name == "Partner Track"
    assert show.network is None
    assert show.web_channel == "Netflix"
    assert show.type == "Scripted"
    assert show.status == "Ended"
    assert show.language == "English"
    assert show.genres == ("Drama", "Legal", "Romance")
    assert show.premiered == date(2022, 8, 26)
    assert show.ended == date(2022, 8, 26)
    assert show.imdb == "tt15390524"
    assert show.thetvdb is None
    assert show.updated == 1668000000
    assert show.summary_text is not None
    assert show.summary_text.startswith("At an elite NYC law firm, Ingrid Yun fights")
    assert "<" not in show.summary_text and "&mdash;" not in show.summary_text
    assert "—" in show.summary_text
    request = route.calls.last.request
    assert request.headers["User-Agent"] == USER_AGENT
    assert client.problems == []


def test_search_keeps_good_hits_and_reports_a_hit_without_id(
    client: TvmazeClient, api: respx.MockRouter, tv: Path
) -> None:
    route = api.get("/search/shows").respond(200, json=load(tv, "search_partner_track.json"))
    hits = client.search("partner track")
    assert route.calls.last.request.url.params["q"] == "partner track"
    assert [(score, show.name) for score, show in hits] == [(0.9075, "Partner Track")]
    assert len(client.problems) == 1
    problem = client.problems[0]
    assert problem.line == 2
    assert "id" in problem.message and "skipped" in problem.message
    assert "/search/shows" in problem.file


def test_singlesearch_returns_the_show(
    client: TvmazeClient, api: respx.MockRouter, tv: Path
) -> None:
    api.get("/singlesearch/shows", params={"q": "partner track"}).respond(
        200, json=load(tv, "show_61476.json")
    )
    assert client.singlesearch("  partner track ").id == SHOW_ID


def test_seasons_parse(client: TvmazeClient, api: respx.MockRouter, tv: Path) -> None:
    api.get(f"/shows/{SHOW_ID}/seasons").respond(200, json=load(tv, "seasons_61476.json"))
    (season,) = client.seasons(SHOW_ID)
    assert season.number == 1
    assert season.name is None  # TVmaze sends "" for unnamed seasons
    assert season.episode_order == 10
    assert season.premiere == season.end == date(2022, 8, 26)
    assert season.network is None and season.web_channel == "Netflix"


def test_episodes_parse(client: TvmazeClient, api: respx.MockRouter, tv: Path) -> None:
    route = api.get(f"/shows/{SHOW_ID}/episodes").respond(200, json=load(tv, "episodes_61476.json"))
    episodes = client.episodes(SHOW_ID)
    assert [(e.season, e.number) for e in episodes] == [(1, 1), (1, 2), (1, 10)]
    first = episodes[0]
    assert first.airdate == date(2022, 8, 26)
    assert first.airstamp == datetime(2022, 8, 26, 12, 0, tzinfo=UTC)
    assert first.runtime == 45 and first.type == "regular"
    assert "specials" not in route.calls.last.request.url.params
    client.episodes(SHOW_ID, specials=True)
    assert route.calls.last.request.url.params["specials"] == "1"


def test_cast_matches_the_real_credits(
    client: TvmazeClient, api: respx.MockRouter, tv: Path, data_dir: Path
) -> None:
    api.get(f"/shows/{SHOW_ID}/cast").respond(200, json=load(tv, "cast_61476.json"))
    cast = client.cast(SHOW_ID)
    assert [c.billing for c in cast] == list(range(1, len(cast) + 1))
    assert cast[0] == TvmazeCastMember(
        person_id=9000,
        person_name="Arden Cho",
        character_id=1190000,
        character_name="Ingrid Yun",
        billing=1,
        self=False,
        voice=False,
    )
    # every actor/character pair in the recording is in the real JustWatch credits
    title_id = partner_track_row(data_dir)["id"]
    with (data_dir / "justwatch" / "credits.csv").open(encoding="utf-8", newline="") as fh:
        real = {(r["name"], r["character"]) for r in csv.DictReader(fh) if r["id"] == title_id}
    assert {(c.person_name, c.character_name) for c in cast} <= real


def test_lookup_imdb_follows_the_redirect(
    client: TvmazeClient, api: respx.MockRouter, tv: Path, data_dir: Path
) -> None:
    imdb_id = partner_track_row(data_dir)["imdb_id"]
    api.get("/lookup/shows", params={"imdb": imdb_id}).respond(
        301, headers={"Location": f"{BASE_URL}/shows/{SHOW_ID}"}
    )
    api.get(f"/shows/{SHOW_ID}").respond(200, json=load(tv, "show_61476.json"))
    show = client.lookup_imdb(imdb_id)
    assert show.id == SHOW_ID and show.imdb == imdb_id


def test_lookup_rejects_a_non_imdb_id_without_calling(
    client: TvmazeClient, api: respx.MockRouter
) -> None:
    with pytest.raises(TvmazeError, match="not an IMDb title id"):
        client.lookup_imdb("15390524")
    assert client.requests_sent == 0


# --------------------------------------------------------------------------- retries


def test_429_with_retry_after_sleeps_that_long_then_succeeds(
    client: TvmazeClient, api: respx.MockRouter, tv: Path, fake: FakeTime
) -> None:
    route = api.get(f"/shows/{SHOW_ID}")
    route.side_effect = [
        httpx.Response(429, headers={"Retry-After": "7"}),
        httpx.Response(200, json=load(tv, "show_61476.json")),
    ]
    assert client.show(SHOW_ID).name == "Partner Track"
    assert route.call_count == 2
    assert fake.sleeps == [7.0]


def test_429_without_retry_after_backs_off_exponentially_with_jitter(
    client: TvmazeClient, api: respx.MockRouter, fake: FakeTime
) -> None:
    route = api.get(f"/shows/{SHOW_ID}").respond(429)
    with pytest.raises(TvmazeRateLimitedError, match=r"/shows/61476.*4 attempts"):
        client.show(SHOW_ID)
    assert route.call_count == 4  # first try + max_retries=3
    assert len(fake.sleeps) == 3
    for attempt, delay in enumerate(fake.sleeps):
        assert 2**attempt <= delay < 2**attempt + 1


def test_retry_after_longer_than_allowed_fails_at_once(
    client: TvmazeClient, api: respx.MockRouter, fake: FakeTime
) -> None:
    route = api.get(f"/shows/{SHOW_ID}").respond(429, headers={"Retry-After": "3600"})
    with pytest.raises(TvmazeRateLimitedError, match="3600 s"):
        client.show(SHOW_ID)
    assert route.call_count == 1 and fake.sleeps == []


def test_5xx_is_retried_then_raises(
    client: TvmazeClient, api: respx.MockRouter, fake: FakeTime
) -> None:
    route = api.get(f"/shows/{SHOW_ID}/episodes").respond(503)
    with pytest.raises(TvmazeUnavailableError, match="HTTP 503") as info:
        client.episodes(SHOW_ID)
    assert isinstance(info.value, SourceError)
    assert route.call_count == 4
    assert fake.sleeps == sorted(fake.sleeps) and len(fake.sleeps) == 3


def test_5xx_then_success(
    client: TvmazeClient, api: respx.MockRouter, tv: Path, fake: FakeTime
) -> None:
    route = api.get(f"/shows/{SHOW_ID}/seasons")
    route.side_effect = [
        httpx.Response(502),
        httpx.Response(200, json=load(tv, "seasons_61476.json")),
    ]
    assert len(client.seasons(SHOW_ID)) == 1
    assert route.call_count == 2 and len(fake.sleeps) == 1


def test_network_errors_are_retried(
    client: TvmazeClient, api: respx.MockRouter, fake: FakeTime
) -> None:
    route = api.get(f"/shows/{SHOW_ID}").mock(side_effect=httpx.ConnectTimeout("timed out"))
    with pytest.raises(TvmazeUnavailableError, match="ConnectTimeout"):
        client.show(SHOW_ID)
    assert route.call_count == 4


def test_rate_limiter_spaces_requests(fake: FakeTime, api: respx.MockRouter, tv: Path) -> None:
    starts: list[float] = []

    def record(request: httpx.Request) -> httpx.Response:
        starts.append(fake.now)
        return httpx.Response(200, json=load(tv, "show_61476.json"))

    api.get(f"/shows/{SHOW_ID}").mock(side_effect=record)
    api.get(f"/shows/{SHOW_ID + 1}").mock(side_effect=record)
    with TvmazeClient(
        httpx.Client(), min_interval=0.5, sleep=fake.sleep, clock=fake.clock, cache_size=0
    ) as c:
        c.show(SHOW_ID)
        c.show(SHOW_ID)
        fake.now += 0.3  # the caller spends some time between calls
        c.show(SHOW_ID + 1)
        fake.now += 2.0  # long enough: no wait at all
        c.show(SHOW_ID)
    assert fake.sleeps == pytest.approx([0.5, 0.2])
    gaps = [b - a for a, b in pairwise(starts)]
    assert all(g >= 0.5 - 1e-9 for g in gaps)


def test_responses_are_cached(client: TvmazeClient, api: respx.MockRouter, tv: Path) -> None:
    route = api.get(f"/shows/{SHOW_ID}").respond(200, json=load(tv, "show_61476.json"))
    assert client.show(SHOW_ID) == client.show(SHOW_ID)
    assert route.call_count == 1


# --------------------------------------------------------------------------- errors


def test_404_names_the_query(client: TvmazeClient, api: respx.MockRouter) -> None:
    api.get("/singlesearch/shows").respond(404, json=None)
    with pytest.raises(TvmazeNotFoundError, match="no show matching 'no such series'") as info:
        client.singlesearch("no such series")
    assert isinstance(info.value, SourceError)
    api.get("/lookup/shows").respond(404)
    with pytest.raises(TvmazeNotFoundError, match="IMDb id tt0000001"):
        client.lookup_imdb("tt0000001")
    api.get("/shows/999999999").respond(404)
    with pytest.raises(TvmazeNotFoundError, match="show 999999999"):
        client.show(999999999)


def test_404_is_not_retried(client: TvmazeClient, api: respx.MockRouter, fake: FakeTime) -> None:
    route = api.get(f"/shows/{SHOW_ID}").respond(404)
    with pytest.raises(TvmazeNotFoundError):
        client.show(SHOW_ID)
    assert route.call_count == 1 and fake.sleeps == []


def test_malformed_json_is_a_schema_error(client: TvmazeClient, api: respx.MockRouter) -> None:
    api.get(f"/shows/{SHOW_ID}").respond(200, content=b'{"id": 61476, "name": "Partner Tr')
    with pytest.raises(TvmazeSchemaError, match=r"/shows/61476.*not valid JSON"):
        client.show(SHOW_ID)
    api.get(f"/shows/{SHOW_ID}/cast").respond(200, content=b"\xff\xfe<html>")
    with pytest.raises(TvmazeSchemaError, match="not valid JSON"):
        client.cast(SHOW_ID)


def test_wrong_top_level_type_is_a_schema_error(
    client: TvmazeClient, api: respx.MockRouter
) -> None:
    api.get(f"/shows/{SHOW_ID}/seasons").respond(200, json={"seasons": []})
    with pytest.raises(TvmazeSchemaError, match="expected a JSON array of seasons"):
        client.seasons(SHOW_ID)


def test_show_without_id_is_a_clear_error() -> None:
    with pytest.raises(TvmazeSchemaError, match="has no integer 'id'") as info:
        parse_show({"name": "Partner Track"}, "https://api.tvmaze.com/shows/1", [])
    assert "https://api.tvmaze.com/shows/1" in str(info.value)


def test_schema_drift_unknown_and_missing_fields_do_not_crash(tv: Path) -> None:
    recorded = load(tv, "show_61476.json")
    drifted = {"id": recorded["id"], "name": recorded["name"], "brandNewField": {"x": [1, 2]}}
    problems: list = []
    show = parse_show(drifted, "u", problems)
    assert show.id == SHOW_ID and show.network is None and show.premiered is None
    assert show.genres == () and show.imdb is None and show.summary_text is None
    assert problems == []


def test_wrongly_typed_fields_become_none_and_are_reported(tv: Path) -> None:
    shown = load(tv, "show_61476.json")
    shown.update(
        premiered="26/08/2022",
        updated="soon",
        network="Netflix",
        genres="Drama",
        externals={"imdb": 15390524, "thetvdb": "412345"},
    )
    problems: list = []
    show = parse_show(shown, "u", problems)
    assert show.premiered is None and show.updated is None and show.network is None
    assert show.genres == () and show.imdb is None
    assert show.thetvdb == 412345  # a numeric string is still a number
    assert {p.field for p in problems} == {"premiered", "updated", "network", "genres", "imdb"}


def test_bad_rows_in_a_list_are_skipped_and_reported(
    client: TvmazeClient, api: respx.MockRouter, tv: Path
) -> None:
    cast = load(tv, "cast_61476.json")
    cast[1]["person"] = None
    cast[2]["person"].pop("id")
    api.get(f"/shows/{SHOW_ID}/cast").respond(200, json=cast)
    members = client.cast(SHOW_ID)
    assert [m.billing for m in members] == [1, 4, 5, 6]  # billing keeps TVmaze's order
    assert [p.line for p in client.problems] == [2, 3]


# --------------------------------------------------------------------------- helpers


def test_retry_after_forms() -> None:
    assert _retry_after_seconds("12") == 12.0
    assert _retry_after_seconds(None) is None
    assert _retry_after_seconds("soon") is None
    future = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    delay = _retry_after_seconds(future)
    assert delay is not None and 25 <= delay <= 30
    past = format_datetime(datetime.now(UTC) - timedelta(seconds=30), usegmt=True)
    assert _retry_after_seconds(past) == 0.0


def test_strip_html() -> None:
    assert strip_html("<p><b>Hi</b> &amp; bye.</p><p>Next</p>") == "Hi & bye. Next"
    assert strip_html("<p></p>") is None
    assert strip_html(None) is None


def test_redirect_loop_is_a_tvmaze_error(client: TvmazeClient, api: respx.MockRouter) -> None:
    api.get("/lookup/shows").respond(301, headers={"Location": f"{BASE_URL}/lookup/shows?imdb=tt1"})
    with pytest.raises(TvmazeError, match="TooManyRedirects"):
        client.lookup_imdb("tt1")
