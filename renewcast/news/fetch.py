"""Getting news safely: download → clean → extract → metadata (trafilatura-style stages).

* :func:`canonical_url` and :func:`content_hash` give the keys news ingest deduplicates on.
* :func:`fetch_url` downloads one page. It refuses anything that is not a public http(s) address:
  the host is resolved with :func:`socket.getaddrinfo` and *every* address is checked with
  :mod:`ipaddress` (private, loopback, link-local, multicast, reserved, unspecified), again on each
  redirect hop (redirects are followed by hand, at most :data:`MAX_REDIRECTS`). The body is read as
  a stream and the download is abandoned once it passes ``max_bytes`` or the overall ``timeout``.
* :func:`page_to_article` turns a page (or saved HTML) into an :class:`Article` with trafilatura,
  decoding with the declared charset and falling back to UTF-8 with replacement.
* :func:`read_feed` reads RSS and Atom with feedparser.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import ipaddress
import re
import socket
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from renewcast.news.article import Article, parse_published
from renewcast.sources.base import USER_AGENT, ReadResult, RowProblem, SourceError, sha256_bytes

if TYPE_CHECKING:
    import httpx

MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_HTML_CHARS = 5_000_000  # longer documents are cut before parsing
TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "yclid", "_ga", "ocid"}
)
TRACKING_PREFIXES = ("utm_",)
DEFAULT_PORTS = {"http": 80, "https": 443}


class FetchError(SourceError):
    """A URL could not (or must not) be fetched; the message names the URL and the reason."""


@dataclass(frozen=True, slots=True)
class FetchedPage:
    url: str  # as asked for
    final_url: str  # after redirects
    status: int
    content_type: str | None
    body: bytes
    fetched_at: datetime
    etag: str | None = None  # validators for a conditional request next time
    last_modified: str | None = None

    @property
    def charset(self) -> str | None:
        return _charset_from_content_type(self.content_type)


@dataclass(frozen=True, slots=True)
class FeedEntry:
    url: str
    title: str | None
    published: datetime | None  # UTC
    summary: str | None

    def to_json(self) -> dict[str, object]:
        return {
            "url": self.url,
            "title": self.title,
            "published": self.published.isoformat() if self.published else None,
            "summary": self.summary,
        }


# --------------------------------------------------------------------------- URL keys


def canonical_url(url: str) -> str:
    """A stable key for a URL: lower-case scheme and host, no default port, no fragment, no
    tracking parameters (``utm_*``, ``fbclid``, ``gclid``…), no trailing slash except the root."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # "http://[::1/a": not a URL; it is its own key
        return url.strip()
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    netloc = host
    try:
        port = parts.port
    except ValueError:  # an impossible port (99999): keep what was written; fetching refuses it
        netloc, port = parts.netloc.lower(), None
    if port is not None and port != DEFAULT_PORTS.get(scheme):
        netloc = f"{host}:{port}"
    path = re.sub(r"/{2,}", "/", parts.path or "/")
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _tracking(k)]
    )
    return urlunsplit((scheme, netloc, path, query, ""))


def _tracking(param: str) -> bool:
    p = param.lower()
    return p in TRACKING_PARAMS or p.startswith(TRACKING_PREFIXES)


def content_hash(text: str) -> str:
    """SHA-256 of the text with case folded and all whitespace runs collapsed to one space."""
    normalised = " ".join(text.casefold().split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- safe download


def check_url(url: str, *, allow_private: bool = False) -> None:
    """Raise :class:`FetchError` unless ``url`` is http(s), has no credentials, and every address
    its host resolves to is public (or ``allow_private``)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as e:
        raise FetchError(f"{url}: not a valid URL ({e})") from e
    if parts.scheme.lower() not in DEFAULT_PORTS:
        raise FetchError(f"{url}: only http and https URLs can be fetched, not {parts.scheme!r}")
    if parts.username is not None or parts.password is not None:
        raise FetchError(f"{url}: URLs with credentials (user:password@) are refused")
    host = parts.hostname
    if not host:
        raise FetchError(f"{url}: the URL has no host")
    if allow_private:
        return
    name = host.lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):  # RFC 6761: loopback, whatever DNS says
        raise FetchError(f"{url}: refused, host {host} is a loopback name (only public addresses)")
    for addr in resolve_host(url, host, port or DEFAULT_PORTS[parts.scheme.lower()]):
        reason = _non_public_reason(addr)
        if reason:
            raise FetchError(
                f"{url}: refused, host {host} resolves to {reason} address {addr} "
                "(only public addresses are fetched)"
            )


def resolve_host(url: str, host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as e:
        raise FetchError(f"{url}: cannot resolve host {host} ({e}); check the URL") from e
    addrs = [str(info[4][0]) for info in infos]
    if not addrs:
        raise FetchError(f"{url}: host {host} resolves to no address")
    return addrs


def _non_public_reason(addr: str) -> str | None:
    try:
        ip = ipaddress.ip_address(addr.split("%", 1)[0])
    except ValueError:
        return "an unparseable"
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if embedded is not None:  # ::ffff:127.0.0.1, 64:ff9b::7f00:1, 2002:7f00:1::… reach IPv4
            ip = embedded
    checks = (
        ("a loopback", ip.is_loopback),
        ("a link-local", ip.is_link_local),
        ("a multicast", ip.is_multicast),
        ("an unspecified", ip.is_unspecified),
        ("a reserved", ip.is_reserved),
        ("a private", ip.is_private),
        ("a non-global", not ip.is_global),
    )
    return next((name for name, hit in checks if hit), None)


NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries to (IPv4-mapped, NAT64, 6to4, Teredo), if any."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    return None


def fetch_url(
    url: str,
    *,
    client: httpx.Client | None = None,
    max_bytes: int = 5_000_000,
    timeout: float = 15.0,
    allow_private: bool = False,
) -> FetchedPage:
    """Download ``url`` safely (see the module docstring). HTTP errors raise :class:`FetchError`."""
    import httpx

    own = client is None
    c = client or httpx.Client(headers={"User-Agent": USER_AGENT}, timeout=timeout)
    deadline = time.monotonic() + timeout
    try:
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            check_url(current, allow_private=allow_private)
            result = _get_once(c, url, current, max_bytes, timeout, deadline)
            if isinstance(result, FetchedPage):
                return result
            current = result
        raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects; giving up")
    finally:
        if own:
            c.close()


def _get_once(
    client: httpx.Client, asked: str, current: str, max_bytes: int, timeout: float, deadline: float
) -> FetchedPage | str:
    """One GET: a :class:`FetchedPage`, or the next URL when the answer is a redirect."""
    import httpx

    remaining = max(0.1, deadline - time.monotonic())
    try:
        with client.stream(
            "GET", current, follow_redirects=False, timeout=min(timeout, remaining)
        ) as resp:
            if resp.status_code in REDIRECT_STATUSES:
                location = resp.headers.get("location")
                if not location:
                    raise FetchError(f"{current}: redirect {resp.status_code} without Location")
                return urljoin(current, location)
            if resp.status_code >= 400:
                raise FetchError(f"{current}: HTTP {resp.status_code}; the page is not available")
            declared = resp.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(
                    f"{current}: body of {int(declared):,} bytes exceeds the {max_bytes:,}-byte cap"
                )
            body = _read_capped(resp, current, max_bytes, deadline, timeout)
            return FetchedPage(
                url=asked,
                final_url=str(resp.url),
                status=resp.status_code,
                content_type=resp.headers.get("content-type"),
                body=body,
                fetched_at=datetime.now(UTC),
                etag=resp.headers.get("etag"),
                last_modified=resp.headers.get("last-modified"),
            )
    except httpx.TimeoutException as e:
        raise FetchError(f"{current}: timed out after {timeout:g} s") from e
    except httpx.HTTPError as e:
        raise FetchError(f"{current}: download failed ({type(e).__name__}: {e})") from e


def _read_capped(
    resp: httpx.Response, url: str, max_bytes: int, deadline: float, timeout: float
) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in resp.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"{url}: body exceeds the {max_bytes:,}-byte cap; download abandoned")
        if time.monotonic() > deadline:
            raise FetchError(f"{url}: download took longer than {timeout:g} s; abandoned")
        chunks.append(chunk)
    return b"".join(chunks)


# --------------------------------------------------------------------------- clean + extract

_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,500}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I
)


def _charset_from_content_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    m = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", content_type, re.I)
    return m.group(1) if m else None


def decode_html(body: bytes, declared: str | None = None) -> str:
    """Decode with the HTTP-declared charset, else a ``<meta charset>`` in the first 4 KB, else
    UTF-8; an unknown or wrong charset falls back to UTF-8 with replacement characters."""
    charset = declared
    if not charset:
        m = _META_CHARSET.search(body[:4096])
        charset = m.group(1).decode("ascii") if m else None
    if body.startswith(b"\xef\xbb\xbf"):
        charset = "utf-8-sig"
    if charset:
        try:
            return body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("utf-8", errors="replace")


_HOSTILE = (
    (re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>", re.I | re.S), " "),
    (re.compile(r"<!--.*?-->", re.S), " "),
    # attributes longer than 2,000 characters (inline data blobs) are dropped
    (re.compile(r"""\s[\w:-]+\s*=\s*(?:"[^"]{2000,}"|'[^']{2000,}')"""), " "),
)


MAX_DEPTH = 200  # libxml2 gives up on deeper trees; deeper tags are dropped, their text kept
_TAG = re.compile(r"<(/?)([A-Za-z][\w:-]*)\b[^>]*?(/?)>")
_VOID_OR_OPTIONAL_END = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
    | {"track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "thead", "tbody"}
    | {"tfoot", "colgroup", "rb", "rt", "rp", "optgroup"}
)


def clean_html(html: str) -> str:
    """Cut the document to :data:`MAX_HTML_CHARS`, remove scripts, styles, comments and huge
    attribute values, and flatten nesting deeper than :data:`MAX_DEPTH` before any parser sees it."""
    out = html[:MAX_HTML_CHARS].replace("\x00", "")
    for pattern, repl in _HOSTILE:
        out = pattern.sub(repl, out)
    return _flatten_deep(out)


def _flatten_deep(html: str) -> str:
    depth = 0
    parts: list[str] = []
    pos = 0
    for m in _TAG.finditer(html):
        closing, name, self_closing = m.group(1), m.group(2).lower(), m.group(3)
        if name in _VOID_OR_OPTIONAL_END or self_closing:
            continue
        keep = True
        if closing:
            keep = depth <= MAX_DEPTH
            depth = max(0, depth - 1)
        else:
            depth += 1
            keep = depth <= MAX_DEPTH
        if not keep:
            parts.append(html[pos : m.start()])
            pos = m.end()
    if not parts:
        return html
    parts.append(html[pos:])
    return "".join(parts)


def page_to_article(
    page_or_html: FetchedPage | bytes | str,
    url: str | None = None,
    *,
    article_id: str | None = None,
) -> Article:
    """Main text, title, date and publisher of a page. Raises :class:`SourceError` naming the URL
    when the page has no extractable text."""
    if isinstance(page_or_html, FetchedPage):
        url = url or page_or_html.final_url
        html = decode_html(page_or_html.body, page_or_html.charset)
    elif isinstance(page_or_html, bytes):
        html = decode_html(page_or_html)
    else:
        html = page_or_html
    where = url or "<html>"
    meta = _extract(clean_html(html), url)
    text = str(meta.get("text") or "").strip()
    if not text:
        raise SourceError(f"{where}: no article text could be extracted from the page")
    return Article(
        id=article_id or _article_id(url, text),
        text=text,
        url=url,
        published=_published(meta.get("date")),
        title=_str_or_none(meta.get("title")),
        publisher=_str_or_none(meta.get("sitename")) or _host(url),
    )


def _extract(html: str, url: str | None) -> dict[str, object]:
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            as_dict=False,
        )
    except (ValueError, TypeError, RecursionError, MemoryError):
        doc = None
    meta: dict[str, object] = {}
    if doc is not None and not isinstance(doc, dict):
        meta = {k: getattr(doc, k, None) for k in ("text", "title", "date", "sitename")}
    elif isinstance(doc, dict):
        meta = dict(doc)
    if not meta.get("text"):
        try:
            meta["text"] = trafilatura.html2txt(html)
        except (ValueError, TypeError, RecursionError):
            meta["text"] = ""
    if not meta.get("text"):
        meta["text"] = _strip_tags(html)
    return meta


def _strip_tags(html: str) -> str:
    """Last resort when no parser copes: the text between tags, one block a line."""
    body = re.sub(r"(?is)<head\b.*?</head\s*>", " ", html)
    body = re.sub(r"(?i)</?(p|div|article|section|h[1-6]|li|br)\b[^>]*>", "\n", body)
    text = html_lib.unescape(re.sub(r"<[^>]*>", " ", body))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _article_id(url: str | None, text: str) -> str:
    key = canonical_url(url) if url else content_hash(text)
    return "web:" + hashlib.sha256(key.encode()).hexdigest()[:16]


def _published(value: object) -> datetime | None:
    try:
        return parse_published(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _str_or_none(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _host(url: str | None) -> str | None:
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.") or None


# --------------------------------------------------------------------------- feeds


def read_feed(data: bytes, uri: str) -> list[FeedEntry]:
    """Entries of an RSS or Atom feed (entries without a link are skipped; see
    :func:`read_feed_result` for the problems)."""
    return read_feed_result(data, uri).records


def read_feed_result(data: bytes, uri: str) -> ReadResult[FeedEntry]:
    """Entries of an RSS or Atom feed plus a :class:`RowProblem` per entry that could not be used.
    Raises :class:`SourceError` when the data is not a feed at all."""
    import feedparser

    parsed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=True)
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        why = parsed.get("bozo_exception") or "no RSS or Atom entries"
        raise SourceError(f"{uri}: not a readable RSS/Atom feed ({why}); check the feed URL")
    result: ReadResult[FeedEntry] = ReadResult(
        source="news/feed", uri=uri, sha256=sha256_bytes(data)
    )
    for n, entry in enumerate(parsed.entries, start=1):
        link = entry.get("link") or _first_alternate(entry)
        if not link:
            result.problems.append(RowProblem(uri, None, "link", f"entry {n} has no link; skipped"))
            continue
        result.records.append(
            FeedEntry(
                url=urljoin(uri, str(link)) if "://" in uri else str(link),
                title=_str_or_none(entry.get("title")),
                published=_entry_time(entry),
                summary=_plain(entry.get("summary")),
            )
        )
    return result


def _first_alternate(entry: dict[str, object]) -> str | None:
    links = entry.get("links")
    if isinstance(links, list):
        for link in links:
            if isinstance(link, dict) and link.get("href"):
                return str(link["href"])
    return None


def _entry_time(entry: dict[str, object]) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        st = entry.get(key)
        if isinstance(st, time.struct_time):
            return datetime(*st[:6], tzinfo=UTC)
    return None


def _plain(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    text = html_lib.unescape(re.sub(r"<[^>]+>", " ", value))
    return " ".join(text.split()) or None
