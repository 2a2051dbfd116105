"""Conditional downloads for the live sources: ETag / Last-Modified, size caps, cut-short bodies.

:func:`conditional_get` sends ``If-None-Match`` / ``If-Modified-Since`` from the validators of the
last good copy, and answers either the new body with the server's new validators or "not
modified" (HTTP 304). Every failure — a timeout, a network error, an HTTP error status, a body
larger than the cap, a body shorter than its ``Content-Length`` — is a :class:`SourceError` whose
message names the URL and says what to do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from renewcast.sources.base import USER_AGENT, SourceError

if TYPE_CHECKING:
    import httpx

DEFAULT_TIMEOUT = 60.0  # seconds per read; connecting gets at most 10


class NotFound(SourceError):
    """HTTP 404 or 410: nothing is (any longer) at this address."""


@dataclass(frozen=True, slots=True)
class Validators:
    """What a server said identifies a version of a resource."""

    etag: str | None = None
    last_modified: str | None = None

    def request_headers(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers

    def to_json(self) -> dict[str, str | None]:
        return {"etag": self.etag, "last_modified": self.last_modified}

    @classmethod
    def from_json(cls, obj: Any) -> Validators:
        if not isinstance(obj, dict):
            return cls()
        etag, modified = obj.get("etag"), obj.get("last_modified")
        return cls(
            etag if isinstance(etag, str) else None,
            modified if isinstance(modified, str) else None,
        )


@dataclass(frozen=True, slots=True)
class Download:
    """One answer: ``body`` is None when the server said the copy we have is current (304)."""

    url: str
    body: bytes | None
    validators: Validators
    fetched_at: datetime
    content_type: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.body is None


def conditional_get(
    client: httpx.Client,
    url: str,
    *,
    validators: Validators | None = None,
    params: dict[str, str] | None = None,
    accept: str = "*/*",
    max_bytes: int,
    timeout: float = DEFAULT_TIMEOUT,
    moved_hint: str = "check that the address still works in a browser",
) -> Download:
    """GET ``url`` (following redirects), conditionally when ``validators`` are given."""
    import httpx

    headers = {"User-Agent": USER_AGENT, "Accept": accept}
    sent = validators or Validators()
    headers.update(sent.request_headers())
    limits = httpx.Timeout(timeout, connect=min(timeout, 10.0))
    fetched_at = datetime.now(UTC)
    try:
        with client.stream(
            "GET", url, params=params, headers=headers, timeout=limits, follow_redirects=True
        ) as response:
            if response.status_code == 304:
                return Download(url, None, _validators(response, sent), fetched_at)
            check_status(response, url, moved_hint)
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise SourceError(too_big(url, max_bytes, int(declared)))
            body = read_capped(response, url, max_bytes)
            _check_complete(response, url, declared)
            return Download(
                url,
                body,
                _validators(response, Validators()),
                fetched_at,
                response.headers.get("Content-Type"),
            )
    except httpx.TimeoutException as e:
        raise SourceError(
            f"{url}: timed out after {timeout:g} s ({type(e).__name__}); the server is slow or "
            "unreachable — try again later"
        ) from e
    except httpx.HTTPError as e:
        raise SourceError(
            f"{url}: download failed ({type(e).__name__}: {e}); check the network and retry"
        ) from e


def check_status(response: httpx.Response, url: str, moved_hint: str) -> None:
    status = response.status_code
    if status < 400:
        return
    if status >= 500 or status == 429:
        raise SourceError(
            f"{url}: HTTP {status} {response.reason_phrase}; the server is having trouble — "
            "try again later"
        )
    error = NotFound if status in (404, 410) else SourceError
    raise error(f"{url}: HTTP {status} {response.reason_phrase}; {moved_hint}")


def read_capped(response: httpx.Response, url: str, max_bytes: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise SourceError(too_big(url, max_bytes))
        chunks.append(chunk)
    return b"".join(chunks)


def too_big(url: str, max_bytes: int, declared: int | None = None) -> str:
    size = f"{declared:,} bytes is" if declared is not None else "the body is"
    return (
        f"{url}: {size} more than the {max_bytes:,}-byte limit; raise the limit if it really grew"
    )


def _check_complete(response: httpx.Response, url: str, declared: str) -> None:
    """A body shorter than its declared length was cut short (the connection dropped)."""
    if not declared.isdigit():
        return
    got = response.num_bytes_downloaded
    if got < int(declared):
        raise SourceError(
            f"{url}: the download was cut short ({got:,} of {int(declared):,} bytes); "
            "the last good copy is kept — try again later"
        )


def _validators(response: httpx.Response, fallback: Validators) -> Validators:
    return Validators(
        response.headers.get("ETag") or fallback.etag,
        response.headers.get("Last-Modified") or fallback.last_modified,
    )
