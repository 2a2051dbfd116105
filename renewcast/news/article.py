"""The article: the unit that news ingest stores and extraction reads.

``read_jsonl`` reads the archive format (``{"id", "url", "published", "title", "text"}``, one
article a line) and reports every unusable line by number instead of stopping.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import IO
from urllib.parse import urlsplit

from renewcast.sources.base import RowProblem

MAX_TEXT_CHARS = 2_000_000  # longer texts are cut (and the cut reported) before NLP


@dataclass(frozen=True, slots=True)
class Article:
    id: str
    text: str
    url: str | None = None
    published: datetime | None = None  # publication time, UTC; None when unknown
    title: str | None = None
    publisher: str | None = None

    @property
    def published_date(self) -> date | None:
        return self.published.date() if self.published else None


def parse_published(value: object) -> datetime | None:
    """ISO date or datetime (``2022-09-01``, ``2022-09-01T10:00:00Z``) → aware UTC datetime."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ValueError(f"published must be an ISO 8601 string, got {type(value).__name__}")
    s = value.strip().replace("Z", "+00:00")
    try:
        dt = datetime.fromisoformat(s)
    except ValueError as e:
        raise ValueError(f"published {value!r} is not an ISO 8601 date") from e
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


MAX_URL_CHARS = 2000


class FieldError(ValueError):
    """One field of an article record is unusable; ``field`` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def url_problem(url: str) -> str | None:
    """Why ``url`` is not a usable http(s) article URL, or None. Never raises."""
    if len(url) > MAX_URL_CHARS:
        return f"url is longer than {MAX_URL_CHARS} characters"
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url):
        return "url contains spaces or control characters"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - parsing the port is the check (99999 raises)
        host = parts.hostname
    except ValueError as e:
        return f"url {url[:200]!r} is not a valid URL ({e})"
    if parts.scheme.lower() not in ("http", "https"):
        return f"url {url[:200]!r} is not an http(s) URL"
    if not host:
        return f"url {url[:200]!r} has no host"
    return None


def article_from_dict(obj: dict[str, object], fallback_id: str) -> Article:
    """An :class:`Article` from one archive record; :class:`FieldError` names a bad field."""
    text = obj.get("text")
    if not isinstance(text, str):
        raise FieldError("text", "field 'text' is missing or not a string")
    title = obj.get("title")
    url = obj.get("url")
    publisher = obj.get("publisher")
    if isinstance(url, str) and url and (why := url_problem(url)):
        raise FieldError("url", why)
    try:
        published = parse_published(obj.get("published"))
    except (ValueError, OverflowError) as e:
        raise FieldError("published", str(e)) from e
    return Article(
        id=str(obj.get("id") or fallback_id),
        text=text,
        url=url if isinstance(url, str) and url else None,
        published=published,
        title=title if isinstance(title, str) and title else None,
        publisher=publisher if isinstance(publisher, str) and publisher else None,
    )


def jsonl_lines(source: str | Iterable[str] | IO[str]) -> Iterator[tuple[int, str]]:
    """(1-based line number, line) of a JSONL text. A string is split on "\\n" only: U+2028,
    U+0085 and the other characters ``str.splitlines`` breaks at are legal inside a JSON line."""
    lines = source.split("\n") if isinstance(source, str) else source
    for n, line in enumerate(lines, start=1):
        yield n, line.rstrip("\r\n")


def jsonl_articles(
    source: str | Iterable[str] | IO[str], name: str, id_prefix: str | None = None
) -> Iterator[tuple[int, Article] | RowProblem]:
    """The one JSONL reader (``extract``, ``news add``, evaluation): ``(line, Article)`` per good
    line and a :class:`RowProblem` naming file, line and field per bad one. No line stops it."""
    prefix = id_prefix if id_prefix is not None else name
    for n, line in jsonl_lines(source):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            yield RowProblem(name, n, None, f"not valid JSON ({e.msg} at column {e.colno})")
            continue
        except RecursionError:
            yield RowProblem(name, n, None, "not usable JSON (nested too deeply)")
            continue
        if not isinstance(obj, dict):
            yield RowProblem(name, n, None, "expected a JSON object")
            continue
        try:
            yield n, article_from_dict(obj, fallback_id=f"{prefix}:{n}")
        except FieldError as e:
            yield RowProblem(name, n, e.field, str(e))


def read_jsonl(
    lines: str | Iterable[str] | IO[str], name: str = "<stdin>"
) -> Iterator[Article | RowProblem]:
    """Yield an :class:`Article` per good line and a :class:`RowProblem` per bad one."""
    for item in jsonl_articles(lines, name):
        yield item if isinstance(item, RowProblem) else item[1]
