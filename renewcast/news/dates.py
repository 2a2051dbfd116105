"""Dates in news text, resolved against the publication date.

Spans are picked with regexes (dateparser's ``search_dates`` over-matches — "may", "second", "March"
as a name); each span is then resolved here. A mention carries a precision (``day``, ``week``,
``month``, ``season``, ``year``), the interval it covers, and ``relative=True`` when resolving it
needed the publication date ("last week", "next month", "this fall", "August 31" with no year).

Conventions: weeks run Monday–Sunday; seasons are meteorological (spring = Mar–May, summer =
Jun–Aug, fall = Sep–Nov, winter *Y* = Dec *Y-1* – Feb *Y*); "early/mid/late *Y*" are thirds of the
year (precision ``season``); "on Friday" means the latest Friday on or before publication. A day
and month without a year take the year that puts them nearest the publication date (ties: before).
``date`` is the day for day precision, otherwise the first day of the interval.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

PRECISIONS = ("day", "week", "month", "season", "year")

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}  # fmt: skip
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
SEASONS = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 12}  # first month
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a couple of": 2, "a few": 3,
    "several": 3,
}  # fmt: skip
# part of a year → (first month, last month, precision)
YEAR_PARTS = {
    "early": (1, 4), "beginning of": (1, 3), "start of": (1, 3), "mid": (5, 8), "middle of": (5, 8),
    "late": (9, 12), "end of": (10, 12), "first half of": (1, 6), "second half of": (7, 12),
    "first quarter of": (1, 3), "second quarter of": (4, 6), "third quarter of": (7, 9),
    "fourth quarter of": (10, 12), "q1": (1, 3), "q2": (4, 6), "q3": (7, 9), "q4": (10, 12),
}  # fmt: skip
MONTH_PARTS = {"early": (1, 10), "mid": (11, 20), "late": (21, 31), "end of": (21, 31)}

_MON = (
    r"(?P<mon>(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?(?![a-z])|January|February"
    r"|March|April|May|June|July|August|September|October|November|December)"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)(?![\d-])"
_SEASON = r"(?P<season>[Ss]pring|[Ss]ummer|[Ff]all|[Aa]utumn|[Ww]inter)"
_PART = (
    r"(?P<part>[Ee]arly|[Mm]id|[Ll]ate|(?:the )?(?:[Bb]eginning|[Ss]tart|[Ee]nd|[Mm]iddle) of"
    r"|(?:the )?(?:[Ff]irst|[Ss]econd|[Tt]hird|[Ff]ourth) (?:half|quarter) of|Q[1-4])"
)
_NUM = r"(?P<n>\d{1,2}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a couple of|a few|several)"
_REL = r"(?P<rel>[Ll]ast|[Tt]his|[Nn]ext|[Pp]ast|[Cc]oming)"
_YEAR_CUE = (
    r"(?:\b(?:[Ii]n|by|[Bb]y|of|since|[Ss]ince|until|till|before|after|from|[Ff]rom|during"
    r"|through|throughout|around|circa|for|to|and|or|[Ss]ome ?time in)\s+)"
)


@dataclass(frozen=True, slots=True)
class DateMention:
    text: str
    date: _dt.date | None
    start_date: _dt.date | None
    end_date: _dt.date | None
    precision: str  # "day" | "week" | "month" | "season" | "year"
    start: int
    end: int
    relative: bool

    def to_json(self) -> dict[str, object]:
        return {
            "text": self.text,
            "date": self.date.isoformat() if self.date else None,
            "start_date": self.start_date.isoformat() if self.start_date else None,
            "end_date": self.end_date.isoformat() if self.end_date else None,
            "precision": self.precision,
            "start": self.start,
            "end": self.end,
            "relative": self.relative,
        }


Interval = tuple[date, date] | None
Resolver = Callable[[re.Match[str], date | None], tuple[Interval, str, bool] | None]


# --------------------------------------------------------------------------- calendar helpers


def month_range(year: int, month: int, first: int = 1, last: int = 31) -> tuple[date, date]:
    end = min(last, calendar.monthrange(year, month)[1])
    return date(year, month, min(first, end)), date(year, month, end)


def months_range(year: int, m1: int, m2: int) -> tuple[date, date]:
    return date(year, m1, 1), month_range(year, m2)[1]


def season_range(name: str, year: int) -> tuple[date, date]:
    first = SEASONS[name.lower()]
    if first == 12:  # winter Y = Dec Y-1 .. Feb Y
        return date(year - 1, 12, 1), month_range(year, 2)[1]
    return months_range(year, first, first + 2)


def add_months(d: date, n: int) -> date:
    m = d.month - 1 + n
    return date(d.year + m // 12, m % 12 + 1, 1)


def _month(text: str) -> int:
    return MONTHS[text.rstrip(".").lower()]


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def nearest_year(month: int, day: int, published: date) -> date | None:
    """The date with this month and day nearest ``published`` (ties go to the earlier one)."""
    options = [
        d for y in (published.year - 1, published.year, published.year + 1)
        if (d := _safe_date(y, month, day)) is not None
    ]  # fmt: skip
    if not options:
        return None
    return min(options, key=lambda d: (abs((d - published).days), d > published))


# --------------------------------------------------------------------------- resolvers


def _day_with_year(m: re.Match[str], _pub: date | None) -> tuple[Interval, str, bool] | None:
    d = _safe_date(int(m["year"]), _month(m["mon"]), int(m["day"]))
    return ((d, d), "day", False) if d else None


def _iso(m: re.Match[str], _pub: date | None) -> tuple[Interval, str, bool] | None:
    d = _safe_date(int(m["year"]), int(m["m"]), int(m["d"]))
    return ((d, d), "day", False) if d else None


def _day_no_year(m: re.Match[str], pub: date | None) -> tuple[Interval, str, bool] | None:
    day, month = int(m["day"]), _month(m["mon"])
    if not 1 <= day <= 31:
        return None
    if pub is None:
        return (None, "day", True) if _safe_date(2000, month, day) else None
    d = nearest_year(month, day, pub)
    return ((d, d), "day", True) if d else None


def _month_year(m: re.Match[str], _pub: date | None) -> tuple[Interval, str, bool] | None:
    year, month = int(m["year"]), _month(m["mon"])
    part = _norm_part(m.groupdict().get("part"))
    first, last = MONTH_PARTS.get(part, (1, 31)) if part else (1, 31)
    return month_range(year, month, first, last), "month", False


def _month_no_year(m: re.Match[str], pub: date | None) -> tuple[Interval, str, bool] | None:
    """'in June', 'last March', 'this December': the month occurrence nearest publication,
    strictly before for 'last' and strictly after for 'next'."""
    if pub is None:
        return None, "month", True
    month, rel = _month(m["mon"]), (m["mrel"] or "").lower()
    options = [month_range(y, month) for y in (pub.year - 1, pub.year, pub.year + 1)]
    if rel == "last":
        options = [r for r in options if r[1] < pub] or options
    elif rel == "next":
        options = [r for r in options if r[0] > pub] or options
    part = _norm_part(m["part"]) if m["part"] else ""
    chosen = min(options, key=lambda r: (_gap(r, pub), r[0] > pub))
    if part in MONTH_PARTS:
        first, last = MONTH_PARTS[part]
        chosen = month_range(chosen[0].year, chosen[0].month, first, last)
    return chosen, "month", True


def _season_year(m: re.Match[str], _pub: date | None) -> tuple[Interval, str, bool] | None:
    return season_range(m["season"], int(m["year"])), "season", False


def _part_year(m: re.Match[str], _pub: date | None) -> tuple[Interval, str, bool] | None:
    m1, m2 = YEAR_PARTS[_norm_part(m["part"])]
    return months_range(int(m["year"]), m1, m2), "season", False


def _year(m: re.Match[str], _pub: date | None) -> tuple[Interval, str, bool] | None:
    y = int(m["year"])
    return (date(y, 1, 1), date(y, 12, 31)), "year", False


def _norm_part(part: str | None) -> str:
    return (part or "").lower().removeprefix("the ")


def _relative_unit(m: re.Match[str], pub: date | None) -> tuple[Interval, str, bool] | None:
    """last/this/next week|month|year."""
    rel, unit = m["rel"].lower(), m["unit"].lower()
    shift = {"last": -1, "past": -1, "this": 0, "next": 1, "coming": 1}[rel]
    if pub is None:
        return None, unit, True
    if unit == "week":
        monday = pub - timedelta(days=pub.weekday()) + timedelta(weeks=shift)
        return (monday, monday + timedelta(days=6)), "week", True
    if unit == "month":
        first = add_months(pub.replace(day=1), shift)
        return month_range(first.year, first.month), "month", True
    y = pub.year + shift
    return (date(y, 1, 1), date(y, 12, 31)), "year", True


def _relative_year_part(m: re.Match[str], pub: date | None) -> tuple[Interval, str, bool] | None:
    """earlier/later this year, early next year, late last year."""
    if pub is None:
        return None, "year", True
    y = pub.year + {"last": -1, "this": 0, "next": 1}[m["rel"].lower()]
    part = _norm_part(m["part"])
    if part == "earlier":
        return (date(y, 1, 1), min(pub, date(y, 12, 31))), "year", True
    if part == "later":
        return (max(pub, date(y, 1, 1)), date(y, 12, 31)), "year", True
    m1, m2 = YEAR_PARTS[part]
    return months_range(y, m1, m2), "season", True


def _relative_season(m: re.Match[str], pub: date | None) -> tuple[Interval, str, bool] | None:
    if pub is None:
        return None, "season", True
    name, rel = m["season"].lower(), m["rel"].lower()
    ranges = [season_range(name, y) for y in range(pub.year - 1, pub.year + 3)]
    if rel in ("next", "coming"):
        chosen = next(r for r in ranges if r[0] > pub)
    elif rel in ("last", "past"):
        chosen = [r for r in ranges if r[1] < pub][-1]
    else:  # this: the one under way, else the nearest in the same year
        current = [r for r in ranges if r[0] <= pub <= r[1]]
        chosen = current[0] if current else min(ranges, key=lambda r: _gap(r, pub))
    return chosen, "season", True


def _gap(r: tuple[date, date], d: date) -> int:
    return min(abs((r[0] - d).days), abs((r[1] - d).days))


def _day_word(m: re.Match[str], pub: date | None) -> tuple[Interval, str, bool] | None:
    if pub is None:
        return None, "day", True
    d = pub + timedelta(
        days={"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}[m[0].lower()]
    )
    return (d, d), "day", True


def _weekday(m: re.Match[str], pub: date | None) -> tuple[Interval, str, bool] | None:
    if pub is None:
        return None, "day", True
    target = WEEKDAYS.index(m["wd"].lower())
    rel = (m["wrel"] or "on").lower()
    back = (pub.weekday() - target) % 7
    if rel == "last":
        d = pub - timedelta(days=back or 7)
    elif rel in ("next", "this", "coming"):
        d = pub + timedelta(days=(target - pub.weekday()) % 7 or (7 if rel == "next" else 0))
    else:
        d = pub - timedelta(days=back)
    return (d, d), "day", True


def _ago(m: re.Match[str], pub: date | None) -> tuple[Interval, str, bool] | None:
    n = int(m["n"]) if m["n"].isdigit() else NUMBER_WORDS[m["n"].lower()]
    unit = m["unit"].lower().rstrip("s")
    if pub is None:
        return None, unit, True
    sign = -1 if m["dir"].lower() == "ago" else 1
    if unit == "day":
        d = pub + timedelta(days=sign * n)
        return (d, d), "day", True
    if unit == "week":
        d = pub + timedelta(weeks=sign * n)
        monday = d - timedelta(days=d.weekday())
        return (monday, monday + timedelta(days=6)), "week", True
    if unit == "month":
        first = add_months(pub.replace(day=1), sign * n)
        return month_range(first.year, first.month), "month", True
    y = pub.year + sign * n
    return (date(y, 1, 1), date(y, 12, 31)), "year", True


# --------------------------------------------------------------------------- patterns


def _p(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


PATTERNS: list[tuple[re.Pattern[str], Resolver]] = [
    (_p(r"\b(?P<year>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b"), _iso),
    (_p(rf"\b{_MON}\s+{_DAY},?\s+{_YEAR}"), _day_with_year),
    (_p(rf"\b{_DAY}\s+(?:of\s+)?{_MON},?\s+{_YEAR}"), _day_with_year),
    (_p(rf"\b{_MON}\s+{_DAY}\b(?!\s*,?\s*\d)(?!:)"), _day_no_year),
    (_p(rf"\b{_DAY}\s+(?:of\s+)?{_MON}"), _day_no_year),
    (_p(rf"\b(?:(?P<part>[Ee]arly|[Mm]id|[Ll]ate|(?:the )?[Ee]nd of)[- ])?{_MON}(?:,| of)?\s+{_YEAR}"), _month_year),
    (_p(rf"\b{_SEASON}(?: of)?\s+{_YEAR}"), _season_year),
    (_p(rf"\b(?:(?P<mrel>[Ii]n|[Bb]y|[Ss]ince|[Uu]ntil|[Dd]uring|[Tt]his|[Ll]ast|[Nn]ext)\s+)(?:(?P<part>early|mid|late|the end of)[- ])?{_MON}(?!\s*[,.]?\s*\d)"), _month_no_year),
    (_p(rf"\b{_PART}[- ]?(?:of )?{_YEAR}"), _part_year),
    (_p(rf"{_YEAR_CUE}{_YEAR}"), _year),
    (_p(r"\b(?P<part>[Ee]arlier|[Ll]ater|[Ee]arly|[Ll]ate|[Mm]id|(?:the )?(?:[Ee]nd|[Bb]eginning|[Ss]tart) of)[- ](?P<rel>this|next|last) year\b"), _relative_year_part),
    (_p(rf"\b{_REL}\s+(?P<unit>week|month|year)\b"), _relative_unit),
    (_p(rf"\b(?:later |earlier )?{_REL}\s+{_SEASON}\b"), _relative_season),
    (_p(r"\b(?:[Yy]esterday|[Tt]oday|[Tt]onight|[Tt]omorrow)\b"), _day_word),
    (_p(r"\b(?:(?P<wrel>[Oo]n|[Ll]ast|[Tt]his|[Nn]ext|[Cc]oming)\s+)(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"), _weekday),
    (_p(rf"\b{_NUM}\s+(?P<unit>days?|weeks?|months?|years?)\s+(?P<dir>ago|from now)\b"), _ago),
]  # fmt: skip


def _candidates(text: str, published: date | None) -> Iterator[DateMention]:
    for priority, (pattern, resolve) in enumerate(PATTERNS):
        for m in pattern.finditer(text):
            got = resolve(m, published)
            if got is None:
                continue
            interval, precision, relative = got
            yield _mention(text, m.start(), m.end(), interval, precision, relative, priority)


def _mention(
    text: str,
    start: int,
    end: int,
    interval: Interval,
    precision: str,
    relative: bool,
    _priority: int = 0,
) -> DateMention:
    first, last = interval if interval else (None, None)
    return DateMention(
        text=text[start:end],
        date=first,
        start_date=first,
        end_date=last,
        precision=precision,
        start=start,
        end=end,
        relative=relative,
    )


def _choose(cands: list[DateMention]) -> list[DateMention]:
    """Longest spans win; overlapping shorter spans are dropped."""
    chosen: list[DateMention] = []
    for c in sorted(cands, key=lambda c: (-(c.end - c.start), c.start)):
        if all(c.end <= o.start or c.start >= o.end for o in chosen):
            chosen.append(c)
    return sorted(chosen, key=lambda c: c.start)


_GLOSS = re.compile(r"\s*\(\s*$")


def _merge_glosses(text: str, mentions: list[DateMention]) -> list[DateMention]:
    """'last week (26th August)': a relative phrase glossed by a more precise date in brackets
    becomes one mention with the bracketed date's value."""
    out: list[DateMention] = []
    i = 0
    while i < len(mentions):
        m = mentions[i]
        nxt = mentions[i + 1] if i + 1 < len(mentions) else None
        if (
            nxt is not None
            and m.relative
            and _GLOSS.fullmatch(text[m.end : nxt.start])
            and re.match(r"\s*\)", text[nxt.end :])
            and PRECISIONS.index(nxt.precision) <= PRECISIONS.index(m.precision)
        ):
            close = nxt.end + text[nxt.end :].index(")") + 1
            out.append(
                DateMention(
                    text=text[m.start : close],
                    date=nxt.date,
                    start_date=nxt.start_date,
                    end_date=nxt.end_date,
                    precision=nxt.precision,
                    start=m.start,
                    end=close,
                    relative=True,
                )
            )
            i += 2
            continue
        out.append(m)
        i += 1
    return out


def find_dates(text: str, published: date | None) -> list[DateMention]:
    """Every date mention in ``text``, in order, resolved against ``published`` when needed."""
    return _merge_glosses(text, _choose(list(_candidates(text, published))))
