"""When was an article published? Read from the page itself when the source gave no date.

Feeds and archives often carry no date. Without one an article's claims cannot be placed in time,
so before it is stored as undated the page is searched for its own date, most reliable first:

1. ``page``: the saved HTML's metadata — ``<meta property="article:published_time">`` and its
   kin, ``itemprop="datePublished"``, JSON-LD ``"datePublished"``, ``<time datetime>``;
2. ``text``: a date marker in the page's header — "Published March 3, 2023", "Posted: 10:01 PM,
   May 16, 2018", a byline line that is only a date ("Friday 11 October 2024 06:48 BST");
3. ``url``: ``/2023/03/14/``, ``/2023-03-14-…``, ``…-20230314``, ``/March-14-2023/`` (a day) or
   ``/2023/03/`` (a month);
4. ``dateline``: "LOS ANGELES, March 3, 2023 /PRNewswire/ —";
5. ``updated``: "Updated: 21 January 2023" — the page existed by then, so its publication was no
   later; used only when nothing better is found.

A date in running prose ("premiered on April 22, 2019"), in an embedded post ("— Name (@handle)
May 15, 2024": a lower bound only) or without a year is not a publication date and is never
used. A text date that falls outside the month its URL gives loses to the URL. Dates before
1995 or after the moment the page was read are rejected. What cannot be dated stays undated.

:meth:`PublicationDate.known_from` is the earliest instant the article is sure to have been
public: the end of its day or month (never after the time it was read), so a date known only to
the month cannot make a claim count before the month is over.
"""

from __future__ import annotations

import calendar
import html as html_lib
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import unquote, urlsplit

EARLIEST = date(1995, 1, 1)
HEADER_LINES = 30  # a page's header (headline, byline, date) sits in its first lines
HEADER_CHARS = 2500

_MONTHS = (
    {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
    | {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
    | {"sept": 9}
)
_MON = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_WEEKDAY = r"(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?,?\s+)"
_TIME = r"(?:\d{1,2}:\d\d(?::\d\d)?\s*(?:[AaPp]\.?[Mm]\.?)?(?:\s*[A-Z]{2,4})?)"
# one written date with its year: "March 3, 2023", "3 March 2023", "2023-03-03", "11/24/2017"
_DATE = (
    r"(?P<date>"
    rf"(?P<mon1>{_MON})\.?\s+(?P<day1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year1>(?:19|20)\d\d)"
    rf"|(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon2>{_MON})\.?,?\s+(?P<year2>(?:19|20)\d\d)"
    r"|(?P<year3>(?:19|20)\d\d)-(?P<mon3>\d\d)-(?P<day3>\d\d)"
    r"|(?P<a4>\d{1,2})/(?P<b4>\d{1,2})/(?P<year4>(?:19|20)\d\d)"
    r")(?![\d/])"
)
_MARKER = re.compile(
    r"(?i)(?:\b(?P<word>published|posted|first published|originally published|updated"
    r"|last updated|modified)|^\s*(?P<bare>date))\b\s*(?:on|at)?\s*[:\-–—|]?\s*"
    + rf"(?:{_TIME}\s*[,|\-–—]?\s*)?{_WEEKDAY}?"
    + _DATE
)
# a header line that is only a date, perhaps with a weekday, a time, a zone or a byline around it
_DATE_LINE = re.compile(
    rf"^\s*(?:By\s[^|]{{1,60}}?\s*[|•·,–—-]\s*)?{_WEEKDAY}?(?:{_TIME}\s*,?\s*)?{_DATE}"
    rf"(?:\s*(?:,|at|[|•·–—-])?\s*{_TIME})?\s*(?:\|.*)?$"
)
_DATELINE = re.compile(
    r"^\s*[A-Z][A-Z .'’-]{2,40}(?:,\s*[A-Z][A-Za-z .'’-]{1,30})?\s*(?:\([A-Za-z .]{1,20}\))?,\s*"
    + _DATE
    + r"\s*(?:/|\(|[-–—])"
)
_EMBED = re.compile(r"\(@\w+\)|pic\.twitter\.com|twitter\.com/|instagram\.com/")

_META_KEYS = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "publishdate",
    "publish-date",
    "publish_date",
    "pubdate",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dc.date",
    "dcterms.date",
    "date",
)


@dataclass(frozen=True, slots=True)
class PublicationDate:
    """A publication date read from a page: ``day`` is the day, or the month's first day."""

    day: date
    precision: str  # "day" | "month"
    how: str  # "page" | "text" | "url" | "dateline" | "updated" | "feed" | "source"
    evidence: str  # what it was read from

    @property
    def published(self) -> datetime:
        return datetime.combine(self.day, time(0), tzinfo=UTC)

    @property
    def last_day(self) -> date:
        if self.precision == "month":
            return self.day.replace(day=calendar.monthrange(self.day.year, self.day.month)[1])
        return self.day

    def known_from(self, read_at: datetime | None = None) -> datetime:
        """The earliest instant the article is sure to have been public (end of its day or month),
        never after ``read_at`` (when the page was read)."""
        end = datetime.combine(self.last_day + timedelta(days=1), time(0), tzinfo=UTC)
        end -= timedelta(microseconds=1)
        if self.precision == "day":
            end = self.published  # a dated article counts from its day, as dated archives do
        return min(end, read_at) if read_at is not None else end

    def label(self) -> str:
        return date_label(self.published, self.precision)


def infer_publication(
    text: str,
    *,
    title: str | None = None,
    url: str | None = None,
    html: str | None = None,
    read_at: datetime | None = None,
) -> PublicationDate | None:
    """The page's own publication date (see the module docstring), or None when it has none."""
    latest = (read_at or datetime.now(UTC)).date()
    from_url = url_date(url, latest=latest) if url else None
    candidates = [
        page_date(html, latest=latest) if html else None,
        _marker_date(text, latest, published=True),
        from_url if from_url is not None and from_url.precision == "day" else None,
        _header_line_date(text, title, latest),
        _dateline_date(text, latest),
        _marker_date(text, latest, published=False),
    ]
    for found in candidates:
        if found is None:
            continue
        if from_url is not None and found.how != "url" and not _within(found, from_url):
            continue  # a text date outside the URL's day or month: an update, or another date
        return found
    return from_url


def _within(found: PublicationDate, url: PublicationDate) -> bool:
    return url.day <= found.day <= url.last_day


# ------------------------------------------------------------------------------ the page's HTML


def page_date(html: str, *, latest: date) -> PublicationDate | None:
    """A publication date from a page's metadata or ``<time>`` elements."""
    head = html[:400_000]
    for tag in re.finditer(r"<meta\b[^>]*>", head, re.I):
        attrs = _attrs(tag.group(0))
        key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
        if key in _META_KEYS:
            found = _iso_day(attrs.get("content") or "", latest)
            if found:
                return PublicationDate(found, "day", "page", f'<meta {key}="{attrs["content"]}">')
    for m in re.finditer(r'"datePublished"\s*:\s*"([^"]{8,40})"', head):
        found = _iso_day(m.group(1), latest)
        if found:
            return PublicationDate(found, "day", "page", f'"datePublished": "{m.group(1)}"')
    times = [_attrs(t.group(0)) for t in re.finditer(r"<time\b[^>]*>", head, re.I)]
    times.sort(key=lambda a: "pubdate" not in a and a.get("itemprop", "") != "datePublished")
    for attrs in times:
        found = _iso_day(attrs.get("datetime") or "", latest)
        if found:
            return PublicationDate(found, "day", "page", f'<time datetime="{attrs["datetime"]}">')
    return None


def _attrs(tag: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in re.finditer(r'([\w:.-]+)(?:\s*=\s*(?:"([^"]*)"|\'([^\']*)\'|([^\s>]+)))?', tag[1:]):
        value = m.group(2) if m.group(2) is not None else m.group(3) or m.group(4) or ""
        out.setdefault(m.group(1).lower(), html_lib.unescape(value))
    return out


def _iso_day(value: str, latest: date) -> date | None:
    m = re.match(r"\s*((?:19|20)\d\d)-(\d\d)-(\d\d)", value)
    if not m:
        return None
    return _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)), latest)


# ------------------------------------------------------------------------------------ the URL


def url_date(url: str, *, latest: date) -> PublicationDate | None:
    """A date in a URL's path: a day, or a month when the path has only year and month."""
    parts = urlsplit(url)
    path = unquote(parts.path)
    archived = re.search(r"/web/\d{8,14}[a-z_]*/(https?:/+.+)", path)
    if archived:  # an archive's copy: its capture time is not the page's date; the page's URL is
        return url_date(archived.group(1), latest=latest)
    for pattern in (
        r"/((?:19|20)\d\d)/(\d\d)/(\d\d)(?=/|$|[-_.])",
        r"(?:^|/)((?:19|20)\d\d)-(\d\d)-(\d\d)(?=\D|$)",
        r"(?:^|[/_-])((?:19|20)\d\d)(\d\d)(\d\d)(?=$|[/_.-]|\d{6}/)",
    ):
        m = re.search(pattern, path)
        if m:
            day = _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)), latest)
            if day:
                return PublicationDate(day, "day", "url", url)
    m = re.search(rf"(?:^|/)({_MON})-(\d{{1,2}})-((?:19|20)\d\d)(?=/|$)", path, re.I)
    if m:
        day = _valid(int(m.group(3)), _MONTHS[m.group(1).lower()[:3]], int(m.group(2)), latest)
        if day:
            return PublicationDate(day, "day", "url", url)
    m = re.search(r"/((?:19|20)\d\d)/(\d\d)(?=/)", path)
    if m:
        first = _valid(int(m.group(1)), int(m.group(2)), 1, latest)
        if first:
            return PublicationDate(first, "month", "url", url)
    return None


# ----------------------------------------------------------------------------------- the text


def _header(text: str, title: str | None) -> list[str]:
    lines = text[:HEADER_CHARS].splitlines()[:HEADER_LINES]
    return [ln for ln in lines if ln.strip() and (not title or ln.strip() != title.strip())]


_BARE_MONTH_MARKER = re.compile(r"(?i)^\s*date\s+(?:19|20)\d\d-\d\d\b\s*")


def strip_date_marker(sentence: str) -> str:
    """A sentence without the page's date marker in front of it ("date 2023-11-16 Los Gatos –
    …", "Published March 3, 2023 The …"), for showing it as a source's words; the marker
    itself dates the page (see :func:`infer_publication`)."""
    m = _MARKER.match(sentence) or _BARE_MONTH_MARKER.match(sentence)
    if m is None:
        return sentence
    rest = sentence[m.end() :].lstrip(" ,:;|-–—")
    return rest if len(rest) >= 20 else sentence


def _marker_date(text: str, latest: date, *, published: bool) -> PublicationDate | None:
    """ "Published …", "Posted: …" (``published``) or "Updated …" in the page's header."""
    for line in _header(text, None):
        if _EMBED.search(line):
            continue
        for m in _MARKER.finditer(line):
            updated = (m.group("word") or "").lower() in ("updated", "last updated", "modified")
            if updated == published:
                continue
            day = _date_of(m, latest)
            if day:
                how = "updated" if updated else "text"
                return PublicationDate(day, "day", how, line.strip()[:120])
    return None


def _header_line_date(text: str, title: str | None, latest: date) -> PublicationDate | None:
    """A header line that is only a date (a byline's date)."""
    for line in _header(text, title):
        if len(line) > 90 or _EMBED.search(line):
            continue
        m = _DATE_LINE.match(line)
        if m:
            day = _date_of(m, latest)
            if day:
                return PublicationDate(day, "day", "text", line.strip())
    return None


def _dateline_date(text: str, latest: date) -> PublicationDate | None:
    for line in _header(text, None):
        m = _DATELINE.match(line)
        if m:
            day = _date_of(m, latest)
            if day:
                return PublicationDate(day, "day", "dateline", line.strip()[:120])
    return None


def _date_of(m: re.Match[str], latest: date) -> date | None:
    g = m.groupdict()
    if g.get("mon1"):
        return _valid(int(g["year1"]), _MONTHS[g["mon1"].lower()[:3]], int(g["day1"]), latest)
    if g.get("mon2"):
        return _valid(int(g["year2"]), _MONTHS[g["mon2"].lower()[:3]], int(g["day2"]), latest)
    if g.get("year3"):
        return _valid(int(g["year3"]), int(g["mon3"]), int(g["day3"]), latest)
    a, b, year = int(g["a4"]), int(g["b4"]), int(g["year4"])
    if a <= 12 and b <= 12 and a != b:
        return None  # 05/07/2021: May 7 or 5 July — the page does not say
    month, day = (a, b) if a <= 12 else (b, a)
    return _valid(year, month, day, latest)


def _valid(year: int, month: int, day: int, latest: date) -> date | None:
    try:
        found = date(year, month, day)
    except ValueError:
        return None
    return found if EARLIEST <= found <= latest else None


def date_label(published: datetime | date | None, precision: str | None = "day") -> str:
    """How a stored article's date is shown: "2023-03-14", "2023-03" (known to the month only)
    or "undated" — never the day it was added in place of a date."""
    if published is None:
        return "undated"
    day = published.date() if isinstance(published, datetime) else published
    return f"{day:%Y-%m}" if precision == "month" else day.isoformat()
