"""TVmaze: show facts, seasons, episodes and cast for series outside the local files.

The public API (https://api.tvmaze.com, documented at https://www.tvmaze.com/api) needs no key.
It allows at least 20 calls every 10 seconds per IP and answers HTTP 429 when that is exceeded;
TVmaze's own advice is to keep ~0.5 s between calls or back off on 429. :class:`TvmazeClient`
does both: a minimum interval between requests, and exponential backoff with jitter on 429 and
5xx that honours ``Retry-After``.

Parsing is pure and lives in the ``parse_*`` functions: JSON in, frozen dataclasses out. Unknown
fields are ignored; a missing or wrongly typed optional field becomes ``None`` and is reported as
a :class:`RowProblem`; a record without its ``id`` cannot be used: a single record raises
:class:`TvmazeSchemaError`, a record inside a list is skipped and reported (``line`` is its
1-based position in the response array), and every good record is kept.
"""

from __future__ import annotations

import html
import json
import random
import re
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

import httpx

from renewcast.sources.base import USER_AGENT, RowProblem, SourceError

BASE_URL = "https://api.tvmaze.com"
SOURCE = "tvmaze"

T = TypeVar("T")


# --------------------------------------------------------------------------- errors


class TvmazeError(SourceError):
    """TVmaze could not answer a request; the message names the URL and says what to do."""


class TvmazeNotFoundError(TvmazeError):
    """HTTP 404: no show matches the id, IMDb id or query."""


class TvmazeRateLimitedError(TvmazeError):
    """HTTP 429 persisted after every retry (or the server asked for too long a wait)."""


class TvmazeUnavailableError(TvmazeError):
    """5xx answers or network failures persisted after every retry."""


class TvmazeSchemaError(TvmazeError):
    """The body was not JSON, or not shaped like the documented response (e.g. no ``id``)."""


# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class TvmazeShow:
    id: int
    name: str
    url: str | None
    language: str | None
    genres: tuple[str, ...]
    type: str | None  # "Scripted", "Reality", "Animation", "Documentary", "Talk Show", ...
    status: str | None  # "Running", "Ended", "To Be Determined", "In Development"
    premiered: date | None
    ended: date | None
    network: str | None  # broadcast network name, e.g. "HBO"
    web_channel: str | None  # streaming service name, e.g. "Netflix"
    imdb: str | None
    thetvdb: int | None
    summary_text: str | None  # HTML stripped
    updated: int | None  # Unix time of TVmaze's last edit


@dataclass(frozen=True, slots=True)
class TvmazeSeason:
    id: int
    number: int | None
    name: str | None
    episode_order: int | None
    premiere: date | None
    end: date | None
    network: str | None
    web_channel: str | None


@dataclass(frozen=True, slots=True)
class TvmazeEpisode:
    id: int
    season: int
    number: int | None  # None for specials
    name: str | None
    airdate: date | None
    airstamp: datetime | None
    runtime: int | None
    type: str | None  # "regular", "significant_special", "insignificant_special"


@dataclass(frozen=True, slots=True)
class TvmazeCastMember:
    person_id: int
    person_name: str
    character_id: int | None
    character_name: str | None
    billing: int  # position in TVmaze's cast list, 1-based
    self: bool  # plays themself
    voice: bool  # voice role


# --------------------------------------------------------------------------- field helpers


class _Fields:
    """Typed reads from one JSON object; bad optional values become None and are reported."""

    def __init__(
        self, obj: Mapping[str, Any], uri: str, line: int | None, problems: list[RowProblem]
    ) -> None:
        self.obj = obj
        self.uri = uri
        self.line = line
        self.problems = problems

    def _bad(self, key: str, value: Any, expected: str) -> None:
        shown = repr(value)[:60]
        self.problems.append(
            RowProblem(self.uri, self.line, key, f"expected {expected}, got {shown}; ignored")
        )

    def int_(self, key: str, obj: Mapping[str, Any] | None = None) -> int | None:
        value = (self.obj if obj is None else obj).get(key)
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().isdigit():
            return int(value)
        self._bad(key, value, "an integer")
        return None

    def str_(self, key: str, obj: Mapping[str, Any] | None = None) -> str | None:
        value = (self.obj if obj is None else obj).get(key)
        if value is None:
            return None
        if isinstance(value, str):
            return value.strip() or None
        self._bad(key, value, "a string")
        return None

    def bool_(self, key: str) -> bool:
        value = self.obj.get(key)
        if value is None:
            return False
        if isinstance(value, bool):
            return value
        self._bad(key, value, "true or false")
        return False

    def date_(self, key: str) -> date | None:
        text = self.str_(key)
        if text is None:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            self._bad(key, text, "a date YYYY-MM-DD")
            return None

    def datetime_(self, key: str) -> datetime | None:
        text = self.str_(key)
        if text is None:
            return None
        try:
            stamp = datetime.fromisoformat(text)
        except ValueError:
            self._bad(key, text, "an ISO 8601 timestamp")
            return None
        return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=UTC)

    def obj_(self, key: str) -> Mapping[str, Any] | None:
        value = self.obj.get(key)
        if value is None:
            return None
        if isinstance(value, Mapping):
            return value
        self._bad(key, value, "an object")
        return None

    def name_of(self, key: str) -> str | None:
        """``network``/``webChannel`` are objects whose ``name`` is what we keep."""
        sub = self.obj_(key)
        return None if sub is None else self.str_("name", sub)

    def str_tuple(self, key: str) -> tuple[str, ...]:
        value = self.obj.get(key)
        if value is None:
            return ()
        if isinstance(value, list):
            return tuple(s.strip() for s in value if isinstance(s, str) and s.strip())
        self._bad(key, value, "a list of strings")
        return ()

    def required_int(self, key: str, what: str) -> int:
        value = self.obj.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise TvmazeSchemaError(
            f"{self.uri}: {what} has no integer '{key}' (got {value!r:.60}); the TVmaze response "
            "format may have changed; check https://www.tvmaze.com/api"
        )


_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def strip_html(text: str | None) -> str | None:
    """TVmaze summaries are small HTML fragments (``<p>``, ``<b>``, ``<i>``); keep the words."""
    if text is None:
        return None
    plain = _SPACE.sub(" ", html.unescape(_TAG.sub(" ", text))).strip()
    plain = re.sub(r" ([.,;:!?])", r"\1", plain)
    return plain or None


def _expect_object(data: Any, uri: str, what: str) -> Mapping[str, Any]:
    if isinstance(data, Mapping):
        return data
    raise TvmazeSchemaError(
        f"{uri}: expected a JSON object for {what}, got {type(data).__name__}; the TVmaze "
        "response format may have changed; check https://www.tvmaze.com/api"
    )


def _expect_list(data: Any, uri: str, what: str) -> list[Any]:
    if isinstance(data, list):
        return data
    raise TvmazeSchemaError(
        f"{uri}: expected a JSON array of {what}, got {type(data).__name__}; the TVmaze "
        "response format may have changed; check https://www.tvmaze.com/api"
    )


# --------------------------------------------------------------------------- parsers


def parse_show(
    data: Any, uri: str, problems: list[RowProblem], line: int | None = None
) -> TvmazeShow:
    obj = _expect_object(data, uri, "a show")
    f = _Fields(obj, uri, line, problems)
    show_id = f.required_int("id", "the show")
    name = f.str_("name")
    if name is None:
        raise TvmazeSchemaError(
            f"{uri}: show {show_id} has no 'name'; the TVmaze response format may have changed"
        )
    externals = f.obj_("externals") or {}
    return TvmazeShow(
        id=show_id,
        name=name,
        url=f.str_("url"),
        language=f.str_("language"),
        genres=f.str_tuple("genres"),
        type=f.str_("type"),
        status=f.str_("status"),
        premiered=f.date_("premiered"),
        ended=f.date_("ended"),
        network=f.name_of("network"),
        web_channel=f.name_of("webChannel"),
        imdb=f.str_("imdb", externals),
        thetvdb=f.int_("thetvdb", externals),
        summary_text=strip_html(f.str_("summary")),
        updated=f.int_("updated"),
    )


def parse_season(
    data: Any, uri: str, problems: list[RowProblem], line: int | None = None
) -> TvmazeSeason:
    obj = _expect_object(data, uri, "a season")
    f = _Fields(obj, uri, line, problems)
    return TvmazeSeason(
        id=f.required_int("id", "a season"),
        number=f.int_("number"),
        name=f.str_("name"),
        episode_order=f.int_("episodeOrder"),
        premiere=f.date_("premiereDate"),
        end=f.date_("endDate"),
        network=f.name_of("network"),
        web_channel=f.name_of("webChannel"),
    )


def parse_episode(
    data: Any, uri: str, problems: list[RowProblem], line: int | None = None
) -> TvmazeEpisode:
    obj = _expect_object(data, uri, "an episode")
    f = _Fields(obj, uri, line, problems)
    episode_id = f.required_int("id", "an episode")
    season = f.int_("season")
    if season is None:
        raise TvmazeSchemaError(f"{uri}: episode {episode_id} has no season number")
    return TvmazeEpisode(
        id=episode_id,
        season=season,
        number=f.int_("number"),
        name=f.str_("name"),
        airdate=f.date_("airdate"),
        airstamp=f.datetime_("airstamp"),
        runtime=f.int_("runtime"),
        type=f.str_("type"),
    )


def parse_cast_member(
    data: Any, uri: str, problems: list[RowProblem], billing: int
) -> TvmazeCastMember:
    obj = _expect_object(data, uri, "a cast credit")
    f = _Fields(obj, uri, billing, problems)
    person = _expect_object(obj.get("person"), uri, "a cast credit's person")
    pf = _Fields(person, uri, billing, problems)
    person_id = pf.required_int("id", "a cast credit's person")
    person_name = pf.str_("name")
    if person_name is None:
        raise TvmazeSchemaError(f"{uri}: person {person_id} has no name")
    character = f.obj_("character") or {}
    return TvmazeCastMember(
        person_id=person_id,
        person_name=person_name,
        character_id=f.int_("id", character),
        character_name=f.str_("name", character),
        billing=billing,
        self=f.bool_("self"),
        voice=f.bool_("voice"),
    )


def parse_search_hit(
    data: Any, uri: str, problems: list[RowProblem], line: int
) -> tuple[float, TvmazeShow]:
    obj = _expect_object(data, uri, "a search result")
    score = obj.get("score")
    if not isinstance(score, int | float) or isinstance(score, bool):
        problems.append(RowProblem(uri, line, "score", f"expected a number, got {score!r:.60}"))
        score = 0.0
    return float(score), parse_show(obj.get("show"), uri, problems, line)


def parse_list(
    data: Any,
    uri: str,
    what: str,
    parse_item: Callable[[Any, str, list[RowProblem], int], T],
    problems: list[RowProblem],
) -> list[T]:
    """Parse each element; an unusable one is reported with its 1-based position and skipped."""
    records: list[T] = []
    for position, item in enumerate(_expect_list(data, uri, what), start=1):
        try:
            records.append(parse_item(item, uri, problems, position))
        except TvmazeSchemaError as e:
            message = str(e).removeprefix(f"{uri}: ")
            problems.append(RowProblem(uri, position, None, f"skipped: {message}"))
    return records


@dataclass(frozen=True, slots=True)
class TvmazeBundle:
    """A show with its seasons and its next episode: one ``/shows/ID?embed[]=...`` answer."""

    show: TvmazeShow
    seasons: tuple[TvmazeSeason, ...]
    next_episode: TvmazeEpisode | None


def parse_bundle(data: Any, uri: str, problems: list[RowProblem]) -> TvmazeBundle:
    """A show answer with ``_embedded.seasons`` (required) and ``_embedded.nextepisode``."""
    show = parse_show(data, uri, problems)
    embedded = _expect_object(data, uri, "a show").get("_embedded")
    if not isinstance(embedded, Mapping) or "seasons" not in embedded:
        raise TvmazeSchemaError(
            f"{uri}: show {show.id} has no _embedded.seasons; the TVmaze response format may "
            "have changed; check https://www.tvmaze.com/api"
        )
    seasons = parse_list(embedded["seasons"], uri, "seasons", parse_season, problems)
    nxt = embedded.get("nextepisode")
    next_episode = parse_episode(nxt, uri, problems) if nxt is not None else None
    return TvmazeBundle(show, tuple(seasons), next_episode)


@dataclass(frozen=True, slots=True)
class ConditionalAnswer:
    """A conditional request's outcome: ``body`` is None when TVmaze said "not modified"."""

    url: str
    body: bytes | None
    etag: str | None
    last_modified: str | None


# --------------------------------------------------------------------------- client


def _retry_after_seconds(value: str | None) -> float | None:
    """``Retry-After`` is either delta-seconds or an HTTP date."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class TvmazeClient:
    """A polite, typed client for the public TVmaze API.

    ``sleep`` and ``clock`` are injectable so tests run instantly and deterministically; ``rng``
    supplies the backoff jitter. Rows that had to be skipped or fields that had to be ignored are
    appended to :attr:`problems`. Successful JSON answers are kept in a small in-memory LRU
    cache (``cache_size=0`` disables it).
    """

    def __init__(
        self,
        client: httpx.Client | None = None,
        base_url: str = BASE_URL,
        min_interval: float = 0.5,
        max_retries: int = 5,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        *,
        timeout: float = 15.0,
        backoff_base: float = 1.0,
        max_backoff: float = 60.0,
        max_retry_after: float = 120.0,
        cache_size: int = 256,
        rng: random.Random | None = None,
    ) -> None:
        self._own_client = client is None
        self._client = client if client is not None else httpx.Client()
        self.base_url = base_url.rstrip("/")
        self.min_interval = min_interval
        self.max_retries = max_retries
        self._sleep = sleep
        self._clock = clock
        self._timeout = httpx.Timeout(timeout, connect=min(timeout, 5.0))
        self.backoff_base = backoff_base
        self.max_backoff = max_backoff
        self.max_retry_after = max_retry_after
        self._cache: OrderedDict[str, Any] = OrderedDict()
        self._cache_size = cache_size
        self._rng = rng if rng is not None else random.Random()
        self._last_request: float | None = None
        self.requests_sent = 0
        self.problems: list[RowProblem] = []

    # -- lifecycle

    def close(self) -> None:
        if self._own_client:
            self._client.close()

    def __enter__(self) -> TvmazeClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- endpoints

    def search(self, query: str) -> list[tuple[float, TvmazeShow]]:
        """Fuzzy show search, best match first: ``(score, show)`` pairs."""
        url = self._url("/search/shows", q=_require_text(query, "search query"))
        data = self._get_json(url, what=f"search results for {query!r}")
        return parse_list(data, url, "search results", parse_search_hit, self.problems)

    def singlesearch(self, query: str) -> TvmazeShow:
        """The one show TVmaze is confident about; :class:`TvmazeNotFoundError` if none."""
        url = self._url("/singlesearch/shows", q=_require_text(query, "search query"))
        data = self._get_json(url, what=f"show matching {query!r}")
        return parse_show(data, url, self.problems)

    def lookup_imdb(self, imdb_id: str) -> TvmazeShow:
        """The show with this IMDb id (TVmaze answers with a redirect to the show)."""
        imdb_id = imdb_id.strip()
        if not re.fullmatch(r"tt\d+", imdb_id):
            raise TvmazeError(
                f"{imdb_id!r} is not an IMDb title id; pass one like 'tt0944947' ('tt' and digits)"
            )
        url = self._url("/lookup/shows", imdb=imdb_id)
        data = self._get_json(url, what=f"show with IMDb id {imdb_id}")
        return parse_show(data, url, self.problems)

    def show(self, show_id: int) -> TvmazeShow:
        url = self._url(f"/shows/{int(show_id)}")
        return parse_show(self._get_json(url, what=f"show {show_id}"), url, self.problems)

    def seasons(self, show_id: int) -> list[TvmazeSeason]:
        url = self._url(f"/shows/{int(show_id)}/seasons")
        data = self._get_json(url, what=f"seasons of show {show_id}")
        return parse_list(data, url, "seasons", parse_season, self.problems)

    def episodes(self, show_id: int, *, specials: bool = False) -> list[TvmazeEpisode]:
        """Episodes in airing order; ``specials=True`` also returns specials (number None)."""
        params = {"specials": "1"} if specials else {}
        url = self._url(f"/shows/{int(show_id)}/episodes", **params)
        data = self._get_json(url, what=f"episodes of show {show_id}")
        return parse_list(data, url, "episodes", parse_episode, self.problems)

    def cast(self, show_id: int) -> list[TvmazeCastMember]:
        """Main cast in TVmaze's order; ``billing`` is the 1-based position in that order."""
        url = self._url(f"/shows/{int(show_id)}/cast")
        data = self._get_json(url, what=f"cast of show {show_id}")
        return parse_list(data, url, "cast credits", parse_cast_member, self.problems)

    def show_bundle_url(self, show_id: int) -> str:
        embeds = [("embed[]", "seasons"), ("embed[]", "nextepisode")]
        return str(httpx.URL(f"{self.base_url}/shows/{int(show_id)}", params=embeds))

    def show_bundle(
        self, show_id: int, *, etag: str | None = None, last_modified: str | None = None
    ) -> tuple[ConditionalAnswer, TvmazeBundle | None]:
        """Show, seasons and next episode in one call, conditionally on the last copy's ETag /
        Last-Modified; the bundle is None when TVmaze answered 304 Not Modified. Not cached:
        a conditional request is already the cheap way to ask again."""
        url = self.show_bundle_url(show_id)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        what = f"show {show_id} with its seasons"
        response = self._fetch_response(url, what, headers)
        if response.status_code == 304:
            return ConditionalAnswer(url, None, etag, last_modified), None
        body = response.content
        declared = response.headers.get("Content-Length", "")
        if (
            declared.isdigit()
            and "Content-Encoding" not in response.headers
            and len(body) < int(declared)
        ):
            raise TvmazeSchemaError(
                f"{url}: the answer was cut short ({len(body):,} of {int(declared):,} "
                "bytes); retry later"
            )
        bundle = parse_bundle(self._decode(response, url, what), url, self.problems)
        answer = ConditionalAnswer(
            url,
            body,
            response.headers.get("ETag") or None,
            response.headers.get("Last-Modified") or None,
        )
        return answer, bundle

    # -- transport

    def _url(self, path: str, **params: str) -> str:
        return str(httpx.URL(self.base_url + path, params=params or None))

    def _wait_turn(self) -> None:
        """Keep at least ``min_interval`` seconds between the starts of two requests."""
        if self._last_request is not None and self.min_interval > 0:
            wait = self.min_interval - (self._clock() - self._last_request)
            if wait > 0:
                self._sleep(wait)
        self._last_request = self._clock()

    def _backoff(self, attempt: int) -> float:
        delay = min(self.max_backoff, self.backoff_base * 2**attempt)
        return delay + self._rng.uniform(0, self.backoff_base)

    def _get_json(self, url: str, what: str) -> Any:
        if url in self._cache:
            self._cache.move_to_end(url)
            return self._cache[url]
        data = self._fetch(url, what)
        if self._cache_size > 0:
            self._cache[url] = data
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return data

    def _fetch(self, url: str, what: str) -> Any:
        return self._decode(self._fetch_response(url, what, {}), url, what)

    def _fetch_response(self, url: str, what: str, extra: dict[str, str]) -> httpx.Response:
        """GET with the pacing and retries; the first answer that is neither 429 nor 5xx."""
        last_failure = ""
        for attempt in range(self.max_retries + 1):
            self._wait_turn()
            self.requests_sent += 1
            try:
                response = self._client.get(
                    url,
                    headers={"User-Agent": USER_AGENT, "Accept": "application/json", **extra},
                    timeout=self._timeout,
                    follow_redirects=True,
                )
            except httpx.TransportError as e:
                last_failure = f"network error ({type(e).__name__}: {e})"
                delay = self._backoff(attempt)
            except httpx.RequestError as e:  # redirect loop, undecodable body: retrying won't help
                raise TvmazeError(
                    f"{url}: request for {what} failed ({type(e).__name__}: {e}); check base_url "
                    "and retry later"
                ) from e
            else:
                status = response.status_code
                if status == 429:
                    delay = self._delay_after_429(response, url, attempt)
                    last_failure = "HTTP 429 Too Many Requests"
                elif status >= 500:
                    last_failure = f"HTTP {status}"
                    delay = self._backoff(attempt)
                else:
                    return response
            if attempt < self.max_retries:
                self._sleep(delay)
        tries = self.max_retries + 1
        if last_failure.startswith("HTTP 429"):
            raise TvmazeRateLimitedError(
                f"{url}: still rate limited (HTTP 429) after {tries} attempts; wait a minute "
                "and retry, or raise min_interval"
            )
        raise TvmazeUnavailableError(
            f"{url}: TVmaze unavailable after {tries} attempts, last {last_failure}; check the "
            "network or https://www.tvmaze.com and retry later"
        )

    def _delay_after_429(self, response: httpx.Response, url: str, attempt: int) -> float:
        retry_after = _retry_after_seconds(response.headers.get("Retry-After"))
        if retry_after is None:
            return self._backoff(attempt)
        if retry_after > self.max_retry_after:
            raise TvmazeRateLimitedError(
                f"{url}: rate limited (HTTP 429) and asked to wait {retry_after:.0f} s, more than "
                f"{self.max_retry_after:.0f} s; retry later"
            )
        return retry_after

    def _decode(self, response: httpx.Response, url: str, what: str) -> Any:
        status = response.status_code
        if status == 404:
            raise TvmazeNotFoundError(
                f"{url}: TVmaze has no {what} (HTTP 404); check the spelling or id, or try "
                "search() for close matches"
            )
        if status >= 400:
            raise TvmazeError(
                f"{url}: TVmaze refused the request for {what} (HTTP {status}); check the request"
            )
        try:
            return json.loads(response.content)
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise TvmazeSchemaError(
                f"{url}: the answer for {what} is not valid JSON ({e}); TVmaze may be "
                "having trouble, retry later"
            ) from e


def _require_text(value: str, what: str) -> str:
    text = value.strip()
    if not text:
        raise TvmazeError(f"empty {what}: give part of a show's title")
    return text
