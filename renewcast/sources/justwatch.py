"""JustWatch: titles on Netflix (US) with seasons, IMDb ids and scores, and their credits.

The files in ``shared/data/justwatch`` (``titles.csv``, ``credits.csv``) are a public snapshot of
JustWatch's Netflix US catalogue taken about March 2023. The snapshot carries no date of its own,
so :data:`SNAPSHOT` is the *last* day of that month: anything read from it is treated as known no
earlier than 2023-03-31, which can make it late but never leaks it early into a backtest.

``genres`` and ``production_countries`` hold Python list literals ("['drama', 'sport']"); they
are checked against a strict pattern of quoted strings before :func:`ast.literal_eval` reads them,
and never evaluated as code.

JustWatch has no official bulk download. :func:`fetch_title` reads one title (and its credits)
from the public GraphQL endpoint the JustWatch website itself uses; the query asks only for the
fields the snapshot has.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from renewcast.sources.base import (
    USER_AGENT,
    CsvRow,
    ReadResult,
    RowProblem,
    SourceError,
    csv_rows,
    decode_text,
    read_bytes,
    sha256_bytes,
)

T = TypeVar("T")

SOURCE_TITLES = "justwatch/titles"
SOURCE_CREDITS = "justwatch/credits"
SOURCE_LIVE = "justwatch/graphql"

SNAPSHOT = date(2023, 3, 31)  # "about 2023-03": the month's last day, so nothing is known early

GRAPHQL_URL = "https://apis.justwatch.com/graphql"

TITLE_COLUMNS = (
    "id",
    "title",
    "type",
    "description",
    "release_year",
    "age_certification",
    "runtime",
    "genres",
    "production_countries",
    "seasons",
    "imdb_id",
    "imdb_score",
    "imdb_votes",
    "tmdb_popularity",
    "tmdb_score",
)
CREDIT_COLUMNS = ("person_id", "id", "name", "character", "role")
TYPES = ("SHOW", "MOVIE")


@dataclass(frozen=True, slots=True)
class JWTitle:
    id: str  # JustWatch id: "ts…" for shows, "tm…" for movies
    title: str
    type: str  # "SHOW" | "MOVIE"
    description: str | None
    release_year: int | None
    age_certification: str | None
    runtime_minutes: int | None  # per episode for shows
    genres: tuple[str, ...]
    countries: tuple[str, ...]  # production countries, ISO 3166 codes
    seasons: int | None  # shows only
    imdb_id: str | None
    imdb_score: float | None
    imdb_votes: int | None
    tmdb_popularity: float | None
    tmdb_score: float | None
    line: int  # 1-based line in the file; 0 for a title fetched live


@dataclass(frozen=True, slots=True)
class JWCredit:
    person_id: str
    title_id: str
    name: str
    character: str | None
    role: str  # "ACTOR" | "DIRECTOR" (as JustWatch spells it)
    billing: int  # 1-based order of this person among the title's credits of the same role
    line: int  # 0 for credits fetched live


# --------------------------------------------------------------------------------------------
# Field parsers (each raises ValueError with a message fit for a RowProblem)

_ID = re.compile(r"^t[ms]\d+$")
_IMDB_ID = re.compile(r"^tt\d+$")
_LIST_LITERAL = re.compile(r"^\[\s*(?:'[^'\\]*'(?:\s*,\s*'[^'\\]*')*\s*,?\s*)?\]$")


def parse_list(text: str) -> tuple[str, ...]:
    """ "['drama', 'sport']" → ("drama", "sport"); anything but a list of plain strings is refused."""
    s = text.strip()
    if not s:
        return ()
    if not _LIST_LITERAL.match(s):
        raise ValueError(f"{s[:60]!r} is not a list of quoted strings like ['drama', 'sport']")
    value = ast.literal_eval(s)
    return tuple(v.strip() for v in value if v.strip())


def _opt_int(text: str) -> int | None:
    s = text.strip()
    if not s:
        return None
    try:
        f = float(s)
    except ValueError:
        raise ValueError(f"{s!r} is not a whole number") from None
    if f != int(f) or f < 0:
        raise ValueError(f"{s!r} is not a whole number")
    return int(f)


def _opt_float(text: str) -> float | None:
    s = text.strip()
    if not s:
        return None
    try:
        f = float(s)
    except ValueError:
        raise ValueError(f"{s!r} is not a number") from None
    if f != f or f < 0:  # NaN or negative
        raise ValueError(f"{s!r} is not a score")
    return f


def _year(text: str) -> int | None:
    y = _opt_int(text)
    if y is not None and not 1870 <= y <= 2100:
        raise ValueError(f"{text.strip()!r} is not a plausible release year")
    return y


def _opt_str(text: str) -> str | None:
    s = text.strip()
    return s or None


# --------------------------------------------------------------------------------------------
# CSV reading


_Row = CsvRow


def _rows(
    text: str, uri: str, required: tuple[str, ...], problems: list[RowProblem], source: str
) -> Iterator[CsvRow]:
    return csv_rows(text, uri, required, "a JustWatch CSV", problems, source)


class _Fields:
    """Parses a row's cells, recording a RowProblem per bad cell and giving None for it."""

    def __init__(self, row: _Row, uri: str, problems: list[RowProblem]) -> None:
        self.row, self.uri, self.problems = row, uri, problems

    def get(self, column: str, parse: Callable[[str], T], default: T) -> T:
        try:
            return parse(self.row.cells.get(column, ""))
        except ValueError as e:
            self.problems.append(RowProblem(self.uri, self.row.line, column, str(e)))
            return default


def _title_from_row(row: _Row, uri: str, problems: list[RowProblem]) -> JWTitle | None:
    c = row.cells
    jw_id, title, kind = c["id"].strip(), c["title"].strip(), c["type"].strip().upper()
    if not _ID.match(jw_id):
        problems.append(RowProblem(uri, row.line, "id", f"{jw_id!r} is not a JustWatch id"))
        return None
    if not title:
        problems.append(RowProblem(uri, row.line, "title", "empty title; row skipped"))
        return None
    if kind not in TYPES:
        problems.append(RowProblem(uri, row.line, "type", f"{kind!r} is not SHOW or MOVIE"))
        return None
    f = _Fields(row, uri, problems)
    imdb_id = _opt_str(c["imdb_id"])
    if imdb_id is not None and not _IMDB_ID.match(imdb_id):
        problems.append(RowProblem(uri, row.line, "imdb_id", f"{imdb_id!r} is not an IMDb id"))
        imdb_id = None
    return JWTitle(
        id=jw_id,
        title=title,
        type=kind,
        description=_opt_str(c["description"]),
        release_year=f.get("release_year", _year, None),
        age_certification=_opt_str(c["age_certification"]),
        runtime_minutes=f.get("runtime", _opt_int, None),
        genres=f.get("genres", parse_list, ()),
        countries=f.get("production_countries", parse_list, ()),
        seasons=f.get("seasons", _opt_int, None),
        imdb_id=imdb_id,
        imdb_score=f.get("imdb_score", _opt_float, None),
        imdb_votes=f.get("imdb_votes", _opt_int, None),
        tmdb_popularity=f.get("tmdb_popularity", _opt_float, None),
        tmdb_score=f.get("tmdb_score", _opt_float, None),
        line=row.line,
    )


def parse_titles(data: bytes, uri: str) -> ReadResult[JWTitle]:
    text, problems = decode_text(data, uri, skip_bad_lines=True)
    result: ReadResult[JWTitle] = ReadResult(
        SOURCE_TITLES, uri, sha256_bytes(data), problems=problems, file_date=SNAPSHOT
    )
    seen: dict[str, int] = {}
    for row in _rows(text, uri, TITLE_COLUMNS, problems, SOURCE_TITLES):
        record = _title_from_row(row, uri, problems)
        if record is None:
            continue
        if record.id in seen:
            problems.append(
                RowProblem(
                    uri, row.line, "id", f"{record.id} repeats line {seen[record.id]}; skipped"
                )
            )
            continue
        seen[record.id] = row.line
        result.records.append(record)
    return result


def parse_credits(data: bytes, uri: str) -> ReadResult[JWCredit]:
    text, problems = decode_text(data, uri, skip_bad_lines=True)
    result: ReadResult[JWCredit] = ReadResult(
        SOURCE_CREDITS, uri, sha256_bytes(data), problems=problems, file_date=SNAPSHOT
    )
    order: Counter[tuple[str, str]] = Counter()
    for row in _rows(text, uri, CREDIT_COLUMNS, problems, SOURCE_CREDITS):
        c = row.cells
        person, title_id, name = c["person_id"].strip(), c["id"].strip(), c["name"].strip()
        role = c["role"].strip().upper()
        bad = (
            ("person_id", "is not a number", not person.isdigit()),
            ("id", "is not a JustWatch id", not _ID.match(title_id)),
            ("name", "is empty", not name),
            ("role", "is empty", not role),
        )
        problem = next(((col, msg) for col, msg, is_bad in bad if is_bad), None)
        if problem:
            col, msg = problem
            problems.append(RowProblem(uri, row.line, col, f"{c[col].strip()!r} {msg}; skipped"))
            continue
        order[(title_id, role)] += 1
        result.records.append(
            JWCredit(
                person_id=person,
                title_id=title_id,
                name=name,
                character=_opt_str(c["character"]),
                role=role,
                billing=order[(title_id, role)],
                line=row.line,
            )
        )
    return result


def read_titles(path: Path | str) -> ReadResult[JWTitle]:
    p = Path(path)
    return parse_titles(read_bytes(p, SOURCE_TITLES), str(p))


def read_credits(path: Path | str) -> ReadResult[JWCredit]:
    p = Path(path)
    return parse_credits(read_bytes(p, SOURCE_CREDITS), str(p))


# --------------------------------------------------------------------------------------------
# Live: one title from the public GraphQL endpoint

TITLE_QUERY = """
query GetTitle($nodeId: ID!, $country: Country!, $language: Language!) {
  node(id: $nodeId) {
    id
    ... on MovieOrShow {
      objectType
      content(country: $country, language: $language) {
        title
        shortDescription
        originalReleaseYear
        ageCertification
        runtime
        productionCountries
        genres { shortName }
        externalIds { imdbId }
        scoring { imdbScore imdbVotes tmdbPopularity tmdbScore }
        credits { role name characterName personId }
      }
    }
    ... on Show { totalSeasonCount }
  }
}
""".strip()

# JustWatch's short genre codes → the names the snapshot uses.
GENRE_NAMES = {
    "act": "action",
    "ani": "animation",
    "cmy": "comedy",
    "crm": "crime",
    "doc": "documentation",
    "drm": "drama",
    "eur": "european",
    "fml": "family",
    "fnt": "fantasy",
    "hst": "history",
    "hrr": "horror",
    "msc": "music",
    "rly": "reality",
    "rma": "romance",
    "scf": "scifi",
    "spt": "sport",
    "trl": "thriller",
    "war": "war",
    "wsn": "western",
}


def _num(value: Any, kind: type[int] | type[float]) -> Any:
    if value is None or isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return kind(value)


def title_from_node(node: dict[str, Any]) -> tuple[JWTitle, list[JWCredit]]:
    """A GraphQL ``node`` (as :data:`TITLE_QUERY` asks for it) → the snapshot's dataclasses.

    Raises ``ValueError`` when the node lacks an id, a type or a title.
    """
    jw_id = node.get("id")
    kind = str(node.get("objectType") or "").upper()
    content = node.get("content") or {}
    title = content.get("title")
    if not isinstance(jw_id, str) or not _ID.match(jw_id):
        raise ValueError(f"node id {jw_id!r} is not a JustWatch id")
    if kind not in TYPES or not isinstance(title, str) or not title.strip():
        raise ValueError(f"node {jw_id} has no title or type (objectType={kind!r})")
    scoring = content.get("scoring") or {}
    external = content.get("externalIds") or {}
    imdb_id = external.get("imdbId")
    codes = [g.get("shortName") for g in content.get("genres") or [] if isinstance(g, dict)]
    genres = tuple(GENRE_NAMES.get(code, code) for code in codes if isinstance(code, str) and code)
    record = JWTitle(
        id=jw_id,
        title=title.strip(),
        type=kind,
        description=content.get("shortDescription") or None,
        release_year=_num(content.get("originalReleaseYear"), int),
        age_certification=content.get("ageCertification") or None,
        runtime_minutes=_num(content.get("runtime"), int),
        genres=genres,
        countries=tuple(c for c in content.get("productionCountries") or [] if isinstance(c, str)),
        seasons=_num(node.get("totalSeasonCount"), int) if kind == "SHOW" else None,
        imdb_id=imdb_id if isinstance(imdb_id, str) and _IMDB_ID.match(imdb_id) else None,
        imdb_score=_num(scoring.get("imdbScore"), float),
        imdb_votes=_num(scoring.get("imdbVotes"), int),
        tmdb_popularity=_num(scoring.get("tmdbPopularity"), float),
        tmdb_score=_num(scoring.get("tmdbScore"), float),
        line=0,
    )
    credits: list[JWCredit] = []
    order: Counter[str] = Counter()
    for c in content.get("credits") or []:
        if not isinstance(c, dict) or not c.get("name") or c.get("personId") is None:
            continue
        role = str(c.get("role") or "").upper()
        order[role] += 1
        credits.append(
            JWCredit(
                person_id=str(c["personId"]),
                title_id=jw_id,
                name=str(c["name"]).strip(),
                character=(str(c["characterName"]).strip() or None)
                if c.get("characterName")
                else None,
                role=role,
                billing=order[role],
                line=0,
            )
        )
    return record, credits


def fetch_title(
    client: Any, justwatch_id: str, country: str = "US", language: str = "en"
) -> tuple[JWTitle, list[JWCredit]]:
    """One title and its credits from JustWatch's public GraphQL endpoint.

    ``client`` is an :class:`httpx.Client`. Raises :class:`SourceError` on a network error, an
    error answer, or an unknown id.
    """
    import httpx

    if not _ID.match(justwatch_id):
        raise SourceError(f"{justwatch_id!r} is not a JustWatch id (like ts310873 or tm82169)")
    body = {
        "operationName": "GetTitle",
        "query": TITLE_QUERY,
        "variables": {"nodeId": justwatch_id, "country": country, "language": language},
    }
    where = f"{GRAPHQL_URL} ({justwatch_id})"
    try:
        response = client.post(GRAPHQL_URL, json=body, headers={"User-Agent": USER_AGENT})
        response.raise_for_status()
        payload = response.json()
    except httpx.HTTPError as e:
        raise SourceError(f"{where}: request failed ({e}); try again later") from e
    except ValueError as e:
        raise SourceError(f"{where}: the answer is not JSON") from e
    if not isinstance(payload, dict):
        raise SourceError(f"{where}: unexpected answer {type(payload).__name__}")
    if payload.get("errors"):
        messages = "; ".join(str(e.get("message", e)) for e in payload["errors"][:3])
        raise SourceError(f"{where}: JustWatch answered with errors: {messages}")
    node = (payload.get("data") or {}).get("node")
    if not node:
        raise SourceError(f"{where}: no such title; check the id")
    try:
        return title_from_node(node)
    except ValueError as e:
        raise SourceError(f"{where}: {e}") from e
