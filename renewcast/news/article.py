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


def article_from_dict(obj: dict[str, object], fallback_id: str) -> Article:
    text = obj.get("text")
    if not isinstance(text, str):
        raise ValueError("field 'text' is missing or not a string")
    title = obj.get("title")
    url = obj.get("url")
    publisher = obj.get("publisher")
    return Article(
        id=str(obj.get("id") or fallback_id),
        text=text,
        url=url if isinstance(url, str) and url else None,
        published=parse_published(obj.get("published")),
        title=title if isinstance(title, str) and title else None,
        publisher=publisher if isinstance(publisher, str) and publisher else None,
    )


def read_jsonl(
    lines: Iterable[str] | IO[str], name: str = "<stdin>"
) -> Iterator[Article | RowProblem]:
    """Yield an :class:`Article` per good line and a :class:`RowProblem` per bad one."""
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            yield RowProblem(name, n, None, f"not valid JSON ({e.msg} at column {e.colno})")
            continue
        if not isinstance(obj, dict):
            yield RowProblem(name, n, None, "expected a JSON object")
            continue
        try:
            yield article_from_dict(obj, fallback_id=f"{name}:{n}")
        except ValueError as e:
            field = "published" if "published" in str(e) else "text"
            yield RowProblem(name, n, field, str(e))
