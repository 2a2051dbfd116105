"""Series mentions in a parsed sentence, platforms, and linking to a catalog of known titles.

A *mention* is a stretch of a sentence that names a series: a quoted title ("“Emily in Paris”",
"'Ballard'"), a run of capitalised words ("Bling Empire: New York", "3 Body Problem", "Law & Order:
SVU"), or the possessor in "Partner Track's". Runs that are platforms, trade outlets, people
introduced by their role or quoted as speaking, dates and "Season 2" are left out. With a
:class:`Catalog`, catalog matches win over the plain runs and give the canonical title; without
one, series are taken as written.

Anaphora ("the series", "the legal drama", "the show", "it") are not mentions here: the claim
rules resolve them to the article's main series (:func:`main_series`).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlsplit

from renewcast.news.nlp import DECADE

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token
    from sqlalchemy import Connection, Engine


@dataclass(frozen=True, slots=True)
class CatalogMatch:
    """A known title found in a text: ``start``/``end`` are character offsets in that text."""

    title: str  # canonical title
    start: int
    end: int
    alias: str  # the text as written


class Catalog(Protocol):
    def match(self, text: str) -> list[CatalogMatch]: ...


@dataclass(frozen=True, slots=True)
class Mention:
    """A series named in a sentence. ``start``/``end`` are token indices in the parsed doc."""

    series: str  # canonical title when linked, else the text as written
    text: str
    start: int
    end: int
    linked: bool = False
    quoted: bool = False


@lru_cache(maxsize=1 << 16)
def norm_title(title: str) -> str:
    """Case-, accent- and punctuation-insensitive key: "Lockwood & Co." → "lockwood and co",
    "Bureau of S.P.E.C.T.R.A." → "bureau of spectra". Remembered: the same words and titles
    come back in every sentence and article."""
    return re.sub(r"^the ", "", plain_words(title))


@lru_cache(maxsize=4096)
def plain_words(text: str) -> str:
    """:func:`norm_title` keeping a leading "the" ("The OA renewed" → "the oa renewed")."""
    s = unicodedata.normalize("NFKD", text)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = s.replace("&", " and ").replace("+", " plus ")
    s = re.sub(r"[’'`]", "", s)
    # dotted acronyms are one word: "Bureau of S.P.E.C.T.R.A." = "Bureau of SPECTRA"
    s = re.sub(r"\b(?:[a-z0-9]\.){2,}", lambda m: m.group(0).replace(".", "") + " ", s)
    return re.sub(r"[^0-9a-z]+", " ", s).strip()


def title_named(name: str, text: str | None = None, url: str | None = None) -> bool:
    """Whether a text (a headline, a sentence) or a web address names the series ``name``."""
    return title_position(name, text, url) is not None


def title_position(name: str, text: str | None = None, url: str | None = None) -> int | None:
    """Where a text (a headline, a sentence), else a web address, first names the series
    ``name`` (its words in order, any case or punctuation, a possessive "s" allowed: "Outer Banks"
    in ``…/outer-banks-season-5``, "Locke & Key" in "Locke & Key's last season"), as a position in
    the normalised words. A name of fewer than four letters is too common a word to tell ("You")
    unless it begins with "the" ("The OA")."""
    key = norm_title(name)
    if len(key.replace(" ", "")) < 4:
        if not re.match(r"\s*the\s", name, re.I):
            return None
        key = f"the {key}"
    for t in (text, urlsplit(url).path if url else None):
        if not t:
            continue
        words = f" {plain_words(t)} "
        at = [i for i in (words.find(f" {key} "), words.find(f" {key}s ")) if i >= 0]
        if at:
            return min(at)
    return None


def headline_named(names: Iterable[str], headline: str | None, url: str | None) -> set[str]:
    """Which of ``names`` an article's headline names (else its web address, when the headline
    names none of them); of two named at one place, the longer ("Shadow and Bone", not
    "Shadow")."""
    for where in ({"text": headline}, {"url": url}):
        places: dict[int, str] = {}
        for name in names:
            at = title_position(name, **where)
            if at is not None and len(name) > len(places.get(at, "")):
                places[at] = name
        if places:
            return set(places.values())
    return set()


class TitleCatalog:
    """A simple in-memory :class:`Catalog`: canonical titles with their aliases.

    ``match`` finds titles on whole words, case- and punctuation-insensitive, longest match first,
    only where written capitalised; one-word titles that are common words ("You", "Dark") are only
    found that way when ``find_single_words`` (else the mention rules find them as capitalised or
    quoted words and :meth:`canonical` links them). ``canonical`` also forgives one slip of the
    pen in longer titles ("Obilterated" → "Obliterated"), a leading "The" left out of a title of
    two or more words ("Umbrella Academy"), and a title cut before its colon ("Jack Irish" →
    "Jack Irish: The Series") when that names one series only. A title of one word is read only
    as written: with or without "The" it names other shows ("Paradise" is not "The Paradise"),
    and as a longer title's head it is most often another show ("Awake" is not "Awake: The
    Million Dollar Game", "Avatar" is as often a film).
    """

    def __init__(
        self,
        titles: Iterable[str | tuple[str, Sequence[str]]],
        find_single_words: bool = True,
    ) -> None:
        self._by_key: dict[str, str] = {}
        self._by_full: dict[str, str] = {}  # the same, keeping a leading "the"
        self._own: set[str] = set()  # keys that are a canonical title (not only an alias)
        self._own_full: set[str] = set()
        self.find_single_words = find_single_words
        for item in titles:
            title, aliases = (item, ()) if isinstance(item, str) else item
            self.add(title, aliases)
        self._index()

    def add(self, title: str, aliases: Sequence[str] = ()) -> None:
        for k, name in enumerate((title, *aliases)):
            key = norm_title(name)
            if not _usable_key(key):
                continue
            full = plain_words(name)
            if full not in self._by_full or (k == 0 and full not in self._own_full):
                self._by_full[full] = title
            if key not in self._by_key or (k == 0 and key not in self._own):
                self._by_key[key] = title
            if k == 0:
                self._own.add(key)
                self._own_full.add(full)

    def _index(self) -> None:
        self._max_words = max((len(k.split()) for k in self._by_key), default=0)
        self._longest: dict[str, int] = {}  # a key's first word -> the most words of such keys
        for k in self._by_key:
            w = k.split()
            self._longest[w[0]] = max(self._longest.get(w[0], 0), len(w))
        heads: dict[str, set[str]] = {}
        for key, title in self._by_key.items():
            head = norm_title(re.split(r"\s*:\s+", title, maxsplit=1)[0])
            if head != key and len(head) >= 4 and head not in COMMON_WORDS and not _one_word(head):
                heads.setdefault(head, set()).add(title)
        self._heads = {h: next(iter(ts)) for h, ts in heads.items() if len(ts) == 1}
        self._near: dict[str, set[str]] = {}
        for key in self._by_key:
            if len(key) >= _FUZZY_MIN:
                for d in _deletions(key):
                    self._near.setdefault(d, set()).add(key)

    def __len__(self) -> int:
        return len(self._by_key)

    def canonical(self, name: str) -> str | None:
        """The catalog title ``name`` stands for: exact key, unique head, or one edit away."""
        key = norm_title(name)
        if not key:
            return None
        if key in self._by_key:
            return self._lookup(name, key)
        if key in self._heads:
            return self._heads[key]
        if len(key) < _FUZZY_MIN:
            return None
        found = {k for d in (key, *_deletions(key)) for k in self._near.get(d, ())}
        titles = {self._by_key[k] for k in found if k[:1] == key[:1] and _words_agree(k, key)}
        if len(titles) != 1:
            return None
        title = next(iter(titles))
        return title if not _one_word(key) or _article_agrees(name, title) else None

    def _lookup(self, written: str, key: str) -> str | None:
        """The title of ``key`` for a title written ``written``: a leading "The" may be left out
        of a title of two or more words ("Umbrella Academy"), but a one-word title with and
        without it names different shows ("Paradise" is not "The Paradise")."""
        title = self._by_full.get(plain_words(written))
        if title is not None:
            return title
        title = self._by_key[key]
        return title if not _one_word(key) or _article_agrees(written, title) else None

    def match(self, text: str) -> list[CatalogMatch]:
        words = [(m.start(), m.end()) for m in re.finditer(r"[\w&+’'.:/-]+", text)]
        firsts = [plain_words(text[a:b]).split() for a, b in words]
        out: list[CatalogMatch] = []
        i = 0
        while i < len(words):
            found = None
            for n in range(self._span(firsts, i), 0, -1):
                start, end = words[i][0], words[i + n - 1][1]
                alias = text[start:end].rstrip(".:,")
                key = norm_title(alias)
                title = self._lookup(alias, key) if key in self._by_key else None
                if title and self._findable(alias, key, text, start):
                    found = CatalogMatch(title, start, start + len(alias), alias)
                    i += n
                    break
            if found:
                out.append(found)
            else:
                i += 1
        return out

    def _span(self, firsts: list[list[str]], i: int) -> int:
        """How many words a title starting at word ``i`` may span: 0 when no title's key starts
        with its first word (after a leading "the"), else as many as keep the key no longer than
        the longest key that does. ``firsts`` holds each word's normalised words (some none)."""
        cap = min(self._max_words + 2, len(firsts) - i)
        tokens: list[str] = []
        longest = None
        for n in range(1, cap + 1):
            tokens.extend(firsts[i + n - 1])
            key_len = len(tokens) - (1 if tokens and tokens[0] == "the" else 0)
            if longest is None and key_len >= 1:
                first = tokens[1] if tokens[0] == "the" else tokens[0]
                longest = self._longest.get(first, 0)
                if not longest:
                    return 0
            if longest is not None and key_len > longest:
                return n - 1
        return cap

    def _findable(self, alias: str, key: str, text: str, start: int) -> bool:
        if not _plausible_alias(alias):
            return False
        if " " in key or self.find_single_words:
            return True
        if " " in alias.strip() and alias.split()[-1][:1].isupper():  # "The OA", "The Crown"
            return True
        return bool(re.search(r"\d|[^\w\s]", alias.rstrip(".:,"))) and not _at_sentence_start(
            text, start
        )


class StoreCatalog(TitleCatalog):
    """The store's series (titles and their aliases): the one catalog extraction finds titles with
    and claims are linked to series rows with.

    Finding (:meth:`match`, :meth:`canonical`) is :class:`TitleCatalog`'s. Aliases that are season
    titles ("Wednesday: Season 1") give their series part. One-word titles are not searched for in
    running text (too many are plain words: "You", "Dark", "Lost"); a capitalised or quoted mention
    of one is linked by :meth:`canonical`.

    Linking (:meth:`series_id`) is on :func:`renewcast.store.identity.normalize_title` of each title
    and alias. Where a key names several series, the one with its own title (not an alias) and the
    most Top 10 weeks wins; season titles ("X: Season 2") and generic words are not keys.
    """

    def __init__(
        self,
        titles: Iterable[str | tuple[str, Sequence[str]]],
        ids: dict[str, int],
        names: dict[int, str],
    ) -> None:
        super().__init__(titles, find_single_words=False)
        self.ids = ids  # normalize_title(title or alias) -> series id
        self.names = names  # series id -> title
        years: dict[str, list[str]] = {}
        for key in ids:
            m = re.fullmatch(r"(.+) ((?:19|20)\d\d)", key)
            if m and m.group(1) not in ids:
                years.setdefault(m.group(1), []).append(m.group(2))
        self._year_of = {k: v[0] for k, v in years.items() if len(v) == 1}  # "avatar" -> "2005"

    def __len__(self) -> int:
        """The number of series (0: an empty store, series are taken as written)."""
        return len(self.names)

    @classmethod
    def from_engine(cls, engine: Engine) -> StoreCatalog:
        with engine.connect() as conn:
            return cls.from_connection(conn)

    @classmethod
    def from_connection(cls, conn: Connection) -> StoreCatalog:
        from sqlalchemy import func, select

        from renewcast.store.identity import normalize_title, parse_season_title
        from renewcast.store.schema import chart_entries, series, series_aliases

        titles: dict[int, str] = {
            int(i): str(t) for i, t in conn.execute(select(series.c.id, series.c.title))
        }
        weeks: dict[int, int] = {
            int(sid): int(n)
            for sid, n in conn.execute(
                select(chart_entries.c.series_id, func.count())
                .where(chart_entries.c.series_id.is_not(None))
                .group_by(chart_entries.c.series_id)
            )
        }
        aliases: dict[int, list[str]] = {}
        ranked: dict[str, tuple[tuple[int, int, int], int]] = {}

        def offer(name: str, sid: int, own: bool) -> None:
            key = normalize_title(name)
            if not _linkable_key(key, name):
                return
            rank = (0 if own else 1, -weeks.get(sid, 0), sid)
            if key not in ranked or rank < ranked[key][0]:
                ranked[key] = (rank, sid)

        for sid, title in titles.items():
            offer(title, sid, True)
        rows = conn.execute(select(series_aliases.c.series_id, series_aliases.c.alias))
        for sid, alias in rows:
            st = parse_season_title(str(alias))
            aliases.setdefault(int(sid), []).append(
                st.series_title if st is not None else str(alias)
            )
            if int(sid) in titles and (st is None or st.season is None):  # not "X: Season 2"
                offer(str(alias), int(sid), False)
        items = [
            (_strip_year(t), [t, *(a for a in aliases.get(sid, []) if _latin(a))])
            for sid, t in sorted(titles.items(), key=lambda kv: kv[0])
            if _latin(t)
        ]
        return cls(items, {k: sid for k, (_r, sid) in ranked.items()}, titles)

    def series_id(self, name: str, published: date | None = None) -> int | None:
        """The series a (canonical or written) title names, if the catalog knows it.

        A title written without the year the catalog gives it ("The Catch" for "The Catch
        (2023)") names that series only in an article that can be about it: one published no
        more than two years before that year (an order can come that long before the premiere),
        or undated. An older article is about another show of the same name."""
        from renewcast.store.identity import normalize_title

        key = normalize_title(name)
        sid = self.ids.get(key)
        if sid is None and key.startswith("the ") and not _one_word(key[4:]):
            sid = self.ids.get(key[4:])
        year = self._year_of.get(key)
        if sid is None and year and (published is None or published.year >= int(year) - 2):
            sid = self.ids.get(f"{key} {year}")
        return sid

    def fingerprint(self) -> str:
        """Changes whenever what the catalog finds or links changes."""
        import hashlib

        h = hashlib.sha256()
        for key in sorted(self.ids):
            h.update(f"{key}\t{self.names[self.ids[key]]}\n".encode())
        for key in sorted(self._by_key):
            h.update(f"find\t{key}\t{self._by_key[key]}\n".encode())
        return h.hexdigest()


def _linkable_key(key: str, name: str) -> bool:
    """A store key claims may be linked by: not empty, not a generic word, not a short number."""
    if not key or not re.search(r"[a-z0-9]", key):
        return False
    loose = norm_title(name)
    if not loose or loose in NON_TITLES or loose in COMMON_WORDS or loose in MONTHS:
        return False
    return not (key.isdigit() and len(key) < 4)


_FUZZY_MIN = 8  # characters of a normalised title before one-edit matches are allowed


def _one_word(key: str) -> bool:
    """A title of one word besides articles ("paradise", "a list"): too plain a word to be read
    as a longer title's head, or with a leading "The" added or dropped."""
    return len([w for w in key.split() if w not in ("a", "an", "the")]) < 2


def _article_agrees(written: str, title: str) -> bool:
    return plain_words(written).startswith("the ") == plain_words(title).startswith("the ")


def _deletions(key: str) -> set[str]:
    return {key[:i] + key[i + 1 :] for i in range(len(key))}


def _words_agree(a: str, b: str) -> bool:
    """One edit must not merge or split words, nor change a number ("Season 2" vs "Season 3")."""
    return len(a.split()) == len(b.split()) and re.findall(r"\d+", a) == re.findall(r"\d+", b)


def _strip_year(title: str) -> str:
    """ "Avatar: The Last Airbender (2005)", "Captain Fall: Part 1" → the title as written."""
    title = re.sub(r"\s*\((?:19|20)\d\d\)$", "", title)
    return re.sub(r"\s*[:,-]?\s+(?:Part|Vol\.?|Volume)\s+(?:\d+|[IVX]+)$", "", title)


def _latin(name: str) -> bool:
    """Aliases in other scripts ("금쪽같은 내새끼: 2023") normalise to almost nothing."""
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and sum(c.isascii() for c in letters) >= 0.8 * len(letters)


def _usable_key(key: str) -> bool:
    if not key or key in NON_TITLES or key in COMMON_WORDS or key in MONTHS:
        return False
    return not (key.isdigit() and (len(key) < 4 or re.fullmatch(r"(19|20)\d\d", key)))


def _at_sentence_start(text: str, pos: int) -> bool:
    before = text[:pos].rstrip(" \t\"“‘'(")
    return not before or before[-1] in ".!?:\n"


def _plausible_alias(alias: str) -> bool:
    if not alias[:1].isupper() and not alias[:1].isdigit():
        return False
    return not (" " not in alias and alias.lower() in COMMON_WORDS)


COMMON_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "it",
        "this",
        "that",
        "season",
        "series",
        "show",
        "new",
        "netflix",
        "you",
        "i",
        "we",
        "they",
        "he",
        "she",
        "one",
        "two",
        "three",
        "final",
        "last",
        "part",
        "episode",
        "time",
        "love",
        "life",
    ]
)

# platform display name -> lower-case spellings in text
PLATFORMS: dict[str, tuple[str, ...]] = {
    "Netflix": ("netflix",),
    "HBO Max": ("hbo max",),
    "Max": ("max",),
    "HBO": ("hbo",),
    "Hulu": ("hulu",),
    "Prime Video": ("prime video", "amazon prime video", "amazon prime"),
    "Amazon": ("amazon", "amazon studios", "amazon mgm studios"),
    "Apple TV+": ("apple tv+", "apple tv plus", "appletv+", "apple tv", "apple"),
    "Disney+": ("disney+", "disney plus"),
    "Paramount+": ("paramount+", "paramount plus"),
    "Peacock": ("peacock",),
    "FX": ("fx",),
    "ABC": ("abc",),
    "NBC": ("nbc",),
    "CBS": ("cbs",),
    "FOX": ("fox",),
    "The CW": ("the cw", "cw"),
    "AMC": ("amc",),
    "Showtime": ("showtime",),
    "Starz": ("starz",),
    "Freeform": ("freeform",),
    "BBC": ("bbc", "bbc one", "bbc two", "bbc three"),
    "Channel 4": ("channel 4",),
    "ITV": ("itv",),
    "YouTube": ("youtube",),
}
_PLATFORM_RE = re.compile(
    r"(?<![\w+])("
    + "|".join(
        re.escape(s)
        for s in sorted((s for ss in PLATFORMS.values() for s in ss), key=len, reverse=True)
    )
    + r")(?![\w+])",
    re.IGNORECASE,
)
_PLATFORM_BY_SPELLING = {s: name for name, ss in PLATFORMS.items() for s in ss}


def find_platforms(text: str) -> list[tuple[str, int, int]]:
    """Platforms named in ``text`` as (display name, start, end); "Max"/"Apple" only capitalised."""
    out = []
    for m in _PLATFORM_RE.finditer(text):
        written = m.group(1)
        if written.lower() in ("max", "apple", "fox", "amazon") and not written[0].isupper():
            continue
        if written.islower():
            continue
        out.append((_PLATFORM_BY_SPELLING[written.lower()], m.start(), m.end()))
    return out


# capitalised words that are not series titles on their own
NON_TITLES = (
    frozenset(
        norm_title(s)
        for s in [
            "Season",
            "Series",
            "Episode",
            "Episodes",
            "Part",
            "Volume",
            "Chapter",
            "Finale",
            "Premiere",
            "Photo",
            "Image",
            "Credit",
            "Netflix",
            "TV",
            "Variety",
            "Deadline",
            "THR",
            "TVLine",
            "Collider",
            "Vulture",
            "Tudum",
            "Twitter",
            "Instagram",
            "X",
            "EW",
            "IGN",
            "Reddit",
            "CNET",
            "Nielsen",
            "Emmy",
            "Emmys",
            "Oscar",
            "Oscars",
            "Golden",
            "Globe",
            "Globes",
            "Comic-Con",
            "PTI",
            "UPI",
            "AP",
            "Reuters",
            "Warner",
            "Bros",
            "Discovery",
            "Disney",
            "Marvel",
            "Sony",
            "Universal",
            "Lionsgate",
            "Studio",
            "Studios",
            "Entertainment",
            "Television",
            "Network",
            "Streaming",
            "Streamer",
            "Original",
            "Originals",
            "Top",
            "Ten",
            "US",
            "UK",
            "America",
            "American",
            "British",
            "English",
            "Korean",
            "Spanish",
            "Hollywood",
            "Los",
            "Angeles",
            "New",
            "York",
            "London",
            "Mr",
            "Mrs",
            "Ms",
            "Dr",
            "I",
            "OK",
            "Yup",
            "Alas",
            "However",
            "Meanwhile",
            "Unfortunately",
            "Fortunately",
            "Also",
            "Plus",
            "Spoilers",
            "Spoiler",
            "Watch",
            "Read",
            "Sign",
            "Subscribe",
            "Advertisement",
            "Trending",
            "Search",
            "Comments",
            "News",
            "Renewed",
            "Cancelled",
            "Canceled",
            "Ended",
            "Ending",
            "Renewal",
            "Renewals",
            "Cancellation",
            "Cancellations",
            "Official",
            "Officially",
            "Status",
            "Pending",
            "TBA",
            "TBD",
            "Update",
            "Updated",
            "Breaking",
            "Exclusive",
            # genre and list words in headings ("Cancelled Comedies", “‘Miniseries’ is tainted”)
            "Comedies",
            "Dramas",
            "Shows",
            "Thrillers",
            "Sitcoms",
            "Docuseries",
            "Miniseries",
            "Finales",
            "Premieres",
        ]
    )
    | frozenset(
        norm_title(s)
        for s in (
            "The Hollywood Reporter",
            "Hollywood Reporter",
            "Entertainment Weekly",
            "Rotten Tomatoes",
            "Screen Rant",
            "The Wrap",
            "TheWrap",
            "Top 10",
            "Top Ten",
            "Prime Video",
            "Apple TV+",
            "Apple TV",
            "TV+",
            "Disney+",
            "Paramount+",
            "HBO Max",
            "Amazon MGM Studios",
            "Amazon Studios",
            "Netflix Top 10",
            "Season 1",
            "United States",
            "The Independent",
            "The Guardian",
            "New York Times",
            "The New York Times",
            "Image credit",
            "Photo credit",
            "Screen Shot",
            "Screenshot",
            "Premiere Date",
            "Premiere Dates",
            "Release Date",
            "Trailer",
            "Trailers",
            "Film and TV",
            "Movies and TV",
            "TV and Film",
            "OTT",
            "Streaming Guide",
            "Social Media",
        )
    )
    | frozenset(norm_title(s) for ss in PLATFORMS.values() for s in ss)
)

MONTHS = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    ]
)
WEEKDAYS = frozenset(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])
CONNECTORS = frozenset(
    [
        "of",
        "the",
        "and",
        "in",
        "on",
        "at",
        "to",
        "a",
        "an",
        "for",
        "with",
        "from",
        "by",
        "or",
        "vs",
        "vs.",
        "de",
        "du",
        "la",
        "le",
        "y",
        "&",
        "'",
        ":",
        "-",
    ]
)
ROLE_WORDS = frozenset(
    [
        "creator",
        "creators",
        "co-creator",
        "showrunner",
        "showrunners",
        "co-showrunner",
        "star",
        "stars",
        "actor",
        "actress",
        "director",
        "producer",
        "producers",
        "writer",
        "writers",
        "ceo",
        "president",
        "chairman",
        "chief",
        "head",
        "executive",
        "author",
        "novelist",
        "host",
        "vp",
        "boss",
        "co-creators",
        "costar",
        "co-star",
        "alum",
        "narrator",
        "composer",
    ]
)
SPEECH_LEMMAS = frozenset(
    [
        "say",
        "tell",
        "reveal",
        "write",
        "add",
        "explain",
        "note",
        "share",
        "confirm",
        "announce",
        "post",
        "tweet",
        "speak",
        "admit",
        "recall",
        "continue",
        "begin",
        "conclude",
        "insist",
        "hint",
        "tease",
    ]
)
_SEASON_WORD = re.compile(r"^(season|seasons|series|part|volume|vol|chapter|episode|s\d+)$", re.I)


_DATE_TOKEN = re.compile(r"^\d{4}-\d\d-\d\d$|^\d{1,2}:\d\d$|^\d+(st|nd|rd|th|%|m|k)$", re.I)
_HEADLINE_BREAK = frozenset(
    [
        "renewed",
        "renews",
        "renew",
        "renewal",
        "cancelled",
        "canceled",
        "cancels",
        "cancel",
        "cancellation",
        "axed",
        "axes",
        "ends",
        "ending",
        "ended",
        "end",
        "returns",
        "return",
        "returning",
        "gets",
        "get",
        "got",
        "confirmed",
        "confirms",
        "confirm",
        "announces",
        "announced",
        "orders",
        "ordered",
        "picks",
        "picked",
        "just",
        "why",
        "how",
        "what",
        "when",
        "will",
        "is",
        "are",
        "was",
        "were",
        "has",
        "have",
        "after",
        "for",
        "at",
        "on",
        "to",
        "from",
        "as",
        "with",
        "by",
        "another",
        "show",
        "shows",
        "series",
        "season",
        "seasons",
        "final",
        "last",
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "new",
        "official",
        "officially",
        "over",
        "here's",
        "heres",
        "this",
        "that",
        "these",
        "those",
        "could",
        "would",
        "should",
        "may",
        "might",
        "can",
        "it",
        "its",
    ]
)


def _titleish(tok: Token) -> bool:
    t = tok.text
    if not t or not (t[0].isupper() or t[0].isdigit() or DECADE.match(t)):
        return False
    if _DATE_TOKEN.match(t):
        return False
    if t.isupper() and len(t) > 4 and t.isalpha():  # shouting: CANCELLED, OFFICIALLY
        return norm_title(t) not in NON_TITLES and not tok.is_sent_start
    return True


def find_mentions(sent: Span, catalog: Catalog | None = None) -> list[Mention]:
    """Series mentions in one sentence (token spans), catalog matches first."""
    doc = sent.doc
    mentions: list[Mention] = []
    taken: set[int] = set()
    if catalog is not None:
        for m in catalog.match(sent.text):
            span = doc.char_span(
                sent.start_char + m.start, sent.start_char + m.end, alignment_mode="expand"
            )
            if span is None or any(t.i in taken for t in span):
                continue
            mentions.append(Mention(m.title, span.text, span.start, span.end, linked=True))
            taken.update(range(span.start, span.end))
    for start, end, quoted in _quoted_spans(sent) + _capital_runs(sent):
        if any(i in taken for i in range(start, end)):
            continue
        span = doc[start:end]
        text = _clean_title(span.text)
        known = link_title(text, catalog) if text else None
        if not text or not _acceptable(span, text, quoted, known is not None):
            continue
        if known is not None:
            mentions.append(Mention(known, text, start, end, linked=True, quoted=quoted))
        else:
            mentions.append(Mention(text, text, start, end, quoted=quoted))
        taken.update(range(start, end))
    mentions.sort(key=lambda m: m.start)
    return mentions


_QUOTE_PAIRS = {"“": "”", '"': '"', "‘": "’", "'": "'"}


def link_title(text: str, catalog: Catalog | None) -> str | None:
    """The catalog's title for a mention written ``text``, when the catalog can tell."""
    canonical = getattr(catalog, "canonical", None)
    if canonical is None:
        return None
    found = canonical(text)
    return found if isinstance(found, str) else None


def _quoted_spans(sent: Span) -> list[tuple[int, int, bool]]:
    """Short quoted stretches whose words are capitalised: titles, not speech."""
    out = []
    toks = list(sent)
    i = 0
    while i < len(toks):
        t = toks[i]
        close = _QUOTE_PAIRS.get(t.text)
        if close is None:
            i += 1
            continue
        j = i + 1
        while j < len(toks) and j - i <= 9 and toks[j].text != close:
            j += 1
        if j < len(toks) and toks[j].text == close and j - i >= 2:
            inner = toks[i + 1 : j]
            words = [w for w in inner if w.is_alpha or w.like_num]
            if words and all(
                w.text[0].isupper() or w.text[0].isdigit() or w.lower_ in CONNECTORS for w in words
            ):
                out.append((inner[0].i, inner[-1].i + 1, True))
            i = j + 1
        else:
            i += 1
    return out


def is_headline(toks: list[Token]) -> bool:
    """Title Case sentences ("One Piece Gets Renewed for Season 2") make every word look like
    a title; runs there break at common words."""
    words = [t for t in toks if t.is_alpha and len(t.text) > 3]
    upper = sum(t.text[0].isupper() for t in words)
    # a list of titles in a sentence ("including Harbor Lights, Copper Valley: Origins, ...") keeps its
    # lower-case verbs and nouns; a headline has hardly any
    return len(words) >= 3 and upper >= 0.8 * len(words) and len(words) - upper <= 1


def _capital_runs(sent: Span) -> list[tuple[int, int, bool]]:
    out: list[tuple[int, int, bool]] = []
    toks = list(sent)
    doc_toks = list(sent.doc)
    headline = is_headline(toks) or (len(doc_toks) <= 30 and is_headline(doc_toks))
    i = 0
    while i < len(toks):
        tok = toks[i]
        if (
            not _titleish(tok)
            or tok.text == "I"
            or _SEASON_WORD.match(tok.text)
            or tok.text in ("'s", "’s")
            or (headline and tok.lower_ in _HEADLINE_BREAK)
        ):
            i += 1
            continue
        if (
            i > 0
            and _SEASON_WORD.match(toks[i - 1].text)
            and tok.like_num
            and not (tok.text.isdigit() and len(tok.text) == 4)  # "the series 1899": a title
        ):
            i += 1
            continue
        j = i + 1
        while j < len(toks):
            nxt = toks[j]
            if nxt.text in ("'s", "’s") or _SEASON_WORD.match(nxt.text):
                break
            if headline and nxt.lower_ in _HEADLINE_BREAK:
                break
            if _titleish(nxt) and not nxt.is_punct:
                j += 1
                continue
            gap = 1
            if (
                nxt.lower_ in CONNECTORS
                and j + 2 < len(toks)
                and toks[j + 1].lower_ in CONNECTORS
                and toks[j + 1].text not in (":", "-", "'")
            ):
                gap = 2
            if (
                nxt.lower_ in CONNECTORS
                and j + gap < len(toks)
                and _titleish(toks[j + gap])
                and not _run_breaks_at(toks, i, j, gap)
                and not (toks[j + gap].like_num and toks[j + gap].ent_type_ == "DATE")
                and not _SEASON_WORD.match(toks[j + gap].text)
                and not (nxt.text == "-" and nxt.whitespace_)
                and not (headline and toks[j + gap].lower_ in _HEADLINE_BREAK)
            ):
                j += gap + 1
                continue
            break
        start, end = tok.i, toks[j - 1].i + 1
        # a sentence-initial common word ("Unfortunately", "Production on ...") is not a title
        first = toks[i]
        if (
            (first.is_sent_start or i == 0)
            and first.pos_ not in ("PROPN", "NUM")
            and not (first.lower_ in ("the", "a") and j > i + 1 and toks[i + 1].pos_ == "PROPN")
            and not (j == i + 1 and _word_as_title(sent.doc[first.i : first.i + 1]))
            and not (_colon_after(toks, i, j) and norm_title(first.text) not in _LABEL_WORDS)
        ):
            start += 1
        # "Netflix TODAY announced", "Apple Original show": a platform is not a title's first word
        while end - start > 1 and find_platforms(sent.doc[start].text):
            start += 1
        subtitled = start == tok.i and _colon_after(toks, i, j)  # "Star Wars: The Acolyte"
        while start < end and (
            (sent.doc[start].lower_ in ROLE_WORDS and not subtitled)
            or (sent.doc[start].lower_ in CONNECTORS and sent.doc[start].lower_ != "the")
        ):
            start += 1
        while end - start > 1 and find_platforms(sent.doc[end - 1].text):
            end -= 1  # "November 2019 Netflix"
        for a, b in _split_and(sent.doc, start, end):
            out.append((a, b, False))
        i = j
    return out


def _run_breaks_at(toks: list[Token], i: int, j: int, gap: int) -> bool:
    """Connectors a run does not cross: "Jessica Jones on Netflix" (a platform after "on"/"at"),
    "Bureau of SPECTRA: TBA" (a status word after a colon), "from Harbor Lights to Copper
    Valley" (two titles)."""
    conn, nxt = toks[j], toks[j + gap]
    if find_platforms(nxt.text) and conn.lower_ in ("on", "at", "to", "for", "by", "from", "and"):
        return True
    if conn.text in (":", "-", "–", "—") and norm_title(nxt.text) in _STATUS_AFTER_COLON:
        return True
    return conn.lower_ == "to" and (
        toks[i].lower_ == "from" or (i > 0 and toks[i - 1].lower_ == "from")
    )


_STATUS_AFTER_COLON: frozenset[str] = frozenset(
    norm_title(w)
    for w in [
        "TBA",
        "TBD",
        "Renewed",
        "Cancelled",
        "Canceled",
        "Ended",
        "Ending",
        "Extended",
        "Pending",
        "Returning",
        "Limited",
        "Final",
        "Status",
        "Fate",
        "Undecided",
    ]
)
# words that label a list item ("Renewed: Station 19", "Ending: The Magicians"), not a title's
_LABEL_WORDS = NON_TITLES | _STATUS_AFTER_COLON


def _split_and(doc: Doc, start: int, end: int) -> list[tuple[int, int]]:
    """ "FBoy Island and Legendary" is two titles; "Shadow and Bone" is one."""
    for k in range(start + 1, end - 1):
        if doc[k].lower_ == "and":
            left, right = k - start, end - k - 1
            if left > 1 or right > 1:
                return [(start, k), *_split_and(doc, k + 1, end)]
    return [(start, end)] if start < end else []


def _clean_title(text: str) -> str:
    text = text.strip(" \t\n\"'“”‘’:,-–—()[]")
    text = re.sub(r"\s+", " ", text)
    return text


def _acceptable(span: Span, text: str, quoted: bool, known: bool = False) -> bool:
    key = norm_title(text)
    if not key or key in NON_TITLES or len(text) > 60:
        return False
    if norm_title(re.sub(r"['’‘`]s$", "", text)) in NON_TITLES:
        return False  # "Netflix‘s"
    if re.search(r"\.(com|net|org|co\.uk|tv|io)\b", text, re.I):
        return False  # a website ("PopCulture.com"), not a title
    words = key.split()
    if (
        all(w in MONTHS or w.isdigit() for w in words)
        and not quoted
        and not _after_series_noun(span)
    ):
        return False
    if (
        len(span) == 1
        and (span[0].is_stop or span[0].pos_ in ("DET", "PRON", "ADV", "ADP"))
        and not (quoted and (span[0].pos_ == "PROPN" or span[0].text.isupper()))
        and not _word_as_title(span)
    ):
        return False
    if len(key) <= 2 and not key.isdigit() and not re.fullmatch(r"The [A-Z]{2}", text):
        return False
    if any(w in _STATUS_WORDS for w in words):
        return False
    if len(words) == 1 and key in _STATUS_AFTER_COLON and not quoted:
        return False  # "Glass Orchard: Extended to a Full First Season"
    if len(words) == 1 and key in _DATE_WORDS - WEEKDAYS - MONTHS and not quoted:
        return False  # "Netflix TODAY announced"
    if _person_like(span):
        return False
    if words[0] in MONTHS and len(words) <= 2 and all(w.isdigit() for w in words[1:]):
        return False
    if key in WEEKDAYS and not quoted:
        prev = span.doc[span.start - 1] if span.start > 0 else None
        if prev is not None and prev.lower_ in ("on", "this", "last", "next", "by", "since"):
            return False
        if (
            span.end < len(span.doc)
            and (span.doc[span.end].like_num or span.doc[span.end].text == ",")
            and span.end + 1 < len(span.doc)
            and span.doc[span.end + 1].is_title
        ):
            return False
    if quoted or (known and not _person_context(span)):
        return True
    if (
        all(
            t.ent_type_ in ("DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL") for t in span
        )
        and _date_words(span)
        and not (
            (key in WEEKDAYS and span.root.dep_ not in ("npadvmod", "tmod", "pobj"))
            or _after_series_noun(span)
            or _word_as_title(span)
        )
    ):
        return False
    if _colon_title(span):
        return True  # "Castlevania: Nocturne" — names have no subtitle
    if all(t.ent_type_ == "PERSON" for t in span) or _looks_like_person(span):
        return not _person_context(span) and _has_title_context(span)
    return not _person_context(span)


def _colon_after(toks: list[Token], i: int, j: int) -> bool:
    """ "Star Wars: The Acolyte" — a colon after the run's first word or two: a subtitle follows,
    so the first word belongs to the title even at a sentence start."""
    return (i + 1 < j and toks[i + 1].text == ":") or (
        i + 2 < j and toks[i + 2].text == ":" and toks[i + 1].text[:1].isupper()
    )


def _colon_title(span: Span) -> bool:
    """ "Title: Subtitle" — a colon between capitalised words inside one run."""
    toks = list(span)
    return any(
        t.text == ":" and 0 < k < len(toks) - 1 and toks[k - 1].text[:1].isupper()
        for k, t in enumerate(toks)
    )


_DATE_WORDS = (
    MONTHS
    | WEEKDAYS
    | frozenset(
        [
            "the",
            "that",
            "this",
            "last",
            "next",
            "early",
            "late",
            "mid",
            "spring",
            "summer",
            "fall",
            "autumn",
            "winter",
            "year",
            "years",
            "week",
            "weeks",
            "day",
            "days",
            "month",
            "months",
            "today",
            "tomorrow",
            "yesterday",
            "tonight",
            "christmas",
            "holiday",
            "holidays",
        ]
    )
)
_DECADE_WORD = re.compile(r"^['’]?(\d\d)?\d0s$")


def _date_words(span: Span) -> bool:
    """Every word is one dates are written with ("last Friday", "the '90s", "2023"): "That '70s
    Show" is tagged DATE, but "Show" is not a date word."""
    return all(
        t.like_num
        or t.is_punct
        or t.ent_type_ in ("MONEY", "PERCENT", "CARDINAL", "ORDINAL", "TIME")
        or t.lower_ in _DATE_WORDS
        or _DECADE_WORD.match(t.text)
        or _DATE_TOKEN.match(t.text)
        for t in span
    )


_STATUS_VERBS = frozenset(
    ["renewed", "renews", "renewing", "cancelled", "canceled", "cancels", "axed", "axes", "ordered"]
)
_SINGULAR_AUX = frozenset(["was", "is", "has", "does", "wasn't", "isn't", "hasn't", "doesn't"])


def _word_as_title(span: Span) -> bool:
    """A common word used as a title, told by grammar: a capitalised pronoun with a singular
    verb ("You was renewed", "You has been cancelled"), a word right before "season N" ("You
    season 5"), or a weekday or pronoun right after a status verb and before "for" ("renewed
    Wednesday for season 2")."""
    if len(span) != 1 or not span[0].text[:1].isupper() or span[0].text == "I":
        return False
    tok, doc = span[0], span.doc
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    prev = doc[tok.i - 1] if tok.i > 0 else None
    if (
        nxt is not None
        and nxt.lower_ in ("season", "seasons")
        and tok.i + 2 < len(doc)
        and doc[tok.i + 2].like_num
        and tok.pos_ not in ("ADP", "DET", "SCONJ", "CCONJ", "ADV", "AUX", "PART", "ADJ")
        and (tok.pos_ != "PRON" or tok.lower_ in ("you", "we", "they", "us", "them"))
    ):
        return True  # "You season 5" (not "During season 2", "Every season 3")
    if tok.pos_ == "PRON" and nxt is not None and nxt.lower_ in _SINGULAR_AUX:
        return tok.lower_ in ("you", "we", "they", "us", "them")
    return (
        prev is not None
        and prev.lower_ in _STATUS_VERBS
        and nxt is not None
        and nxt.lower_ == "for"
    )


def _after_series_noun(span: Span) -> bool:
    """A number written after a series noun is a title: "the Netflix series 1899", "the show,
    1899, was cancelled"."""
    doc = span.doc
    before = [t.lower_ for t in doc[max(span.start - 3, 0) : span.start]]
    return any(w in _SERIES_CONTEXT_NOUNS for w in before)


_STATUS_WORDS = frozenset(
    [
        "renewal",
        "renewals",
        "renewed",
        "cancellation",
        "cancellations",
        "cancelled",
        "canceled",
        "status",
        "update",
        "updates",
        "season",
        "seasons",
        "axed",
    ]
)
_PERSON_SUFFIX = re.compile(
    r"^-?(created|starring|starrer|led|fronted|helmed|directed|produced)$", re.I
)


def _person_like(span: Span) -> bool:
    """ "Leigh Bardugo's novels", "the Mira Solberg-created series", "the Nia Holt starrer"."""
    doc = span.doc
    if not all(t.ent_type_ == "PERSON" for t in span):
        return False
    nxt = [t.text for t in doc[span.end : span.end + 2]]
    if nxt and nxt[0] in ("'s", "’s"):
        return True
    return bool(
        nxt
        and (
            _PERSON_SUFFIX.match(nxt[0])
            or (nxt[0] == "-" and len(nxt) > 1 and _PERSON_SUFFIX.match(nxt[1]))
        )
    )


def _looks_like_person(span: Span) -> bool:
    return any(t.ent_type_ == "PERSON" for t in span) and len(span) >= 2


def _person_context(span: Span) -> bool:
    """True when the run is a person: introduced by a role, speaking, or acting."""
    doc = span.doc
    before = [t.lower_ for t in doc[max(span.start - 3, 0) : span.start]]
    if any(w in ROLE_WORDS for w in before[-2:]):
        return True
    root = span.root
    if root.dep_ in ("nsubj",) and root.head.lemma_ in SPEECH_LEMMAS and _speaking(root.head):
        return True
    if root.dep_ == "appos" and root.head.lower_ in ROLE_WORDS:
        return True
    if (
        root.dep_ == "pobj"
        and root.head.lower_ == "by"
        and root.head.head.lemma_
        in (
            "direct",
            "write",
            "create",
            "star",
            "play",
            "produce",
        )
    ):
        return True
    return root.head.lemma_ in ("star", "play") and root.dep_ in ("nsubj", "dobj")


_QUOTE_MARKS = frozenset(['"', "“", "”", "‘", "’"])
# speech verbs that series are subjects of too ("X continues to find success", "X has
# announced a second season" in a mis-parse): speech only with words reported
_ALSO_NOT_SPEECH = frozenset(["continue", "begin", "conclude", "announce", "confirm", "reveal"])


def _speaking(verb: Token) -> bool:
    """ "X said that …", "X added: “…”" — not "X continues to find success", "X has announced
    second seasons": a verb of :data:`_ALSO_NOT_SPEECH` must report words (a clause or a
    quotation)."""
    if verb.lemma_ not in _ALSO_NOT_SPEECH:
        return True
    if any(c.dep_ in ("ccomp", "parataxis") for c in verb.children):
        return True
    if verb.lemma_ in ("continue", "begin") and not any(c.dep_ == "xcomp" for c in verb.children):
        return True  # "X continued: …", "Gus and Becky continue their journey"
    doc = verb.doc
    subj = min((c.left_edge.i for c in verb.children if c.dep_ == "nsubj"), default=verb.i)
    near = [doc[i] for i in (subj - 1, verb.i + 1) if 0 <= i < len(doc)]
    return any(t.text in _QUOTE_MARKS or t.text == ":" for t in near)


OWNED_BY_SERIES = frozenset(
    [
        "season",
        "seasons",
        "series",
        "instalment",
        "installment",
        "run",
        "finale",
        "episode",
        "episodes",
        "renewal",
        "cancellation",
        "showrunner",
        "showrunners",
        "creator",
        "cast",
        "premiere",
    ]
)


def _has_title_context(span: Span) -> bool:
    """A PERSON-tagged run still counts when it sits where titles sit (lists, status verbs); a
    possessive only when what it owns belongs to a series ("Outer Banks’ fifth instalment")."""
    root = span.root
    return root.dep_ != "poss" or root.head.lemma_.lower() in OWNED_BY_SERIES


# nouns a title is written right after ("the series 1899", "comedy series High Desert")
SERIES_NOUNS = frozenset(
    [
        "series",
        "show",
        "drama",
        "comedy",
        "sitcom",
        "thriller",
        "docuseries",
        "miniseries",
        "anthology",
        "adaptation",
        "spinoff",
        "spin-off",
        "reboot",
        "prequel",
        "sequel",
    ]
)
_SERIES_CONTEXT_NOUNS = SERIES_NOUNS | frozenset(["original"])
_AFTER_TITLE = frozenset(["season", "seasons", "showrunner", "showrunners", "creator", "creators"])


def mention_weight(m: Mention, sent: Span) -> float:
    """How strongly one occurrence points at a series (for picking the article's main series):
    quoted or catalog-linked titles, titles after a series noun ("the Netflix series 1899", "comedy
    series High Desert") or before "season"/"showrunner" ("The Boys showrunner", "Heartstopper
    season 4") count more; unquoted names the tagger reads as people (characters, cast) less."""
    doc = sent.doc
    before = [t.lower_ for t in doc[max(m.start - 3, sent.start) : m.start]]
    after = [t.lower_ for t in doc[m.end : min(m.end + 2, sent.end)]]
    if after[:1] in (["'s"], ["’s"]):
        after = after[1:]
    context = any(w in _SERIES_CONTEXT_NOUNS for w in before) or bool(
        after and after[0] in _AFTER_TITLE
    )
    w = 1.0
    if m.quoted or m.linked or context:
        w += 2.0
    elif all(t.ent_type_ == "PERSON" for t in doc[m.start : m.end]):
        w = 0.3
    return w


def weighted_main_series(
    sent_mentions: Iterable[tuple[Span, list[Mention]]], headline: list[Mention]
) -> str | None:
    """The series the article is about: the highest total of :func:`mention_weight`, headline
    mentions counting extra; at least one series-like occurrence or two plain ones are needed."""
    scores: dict[str, float] = {}
    first: dict[str, str] = {}
    lede = True
    for sent, mentions in sent_mentions:
        for m in mentions:
            key = norm_title(m.series)
            scores[key] = scores.get(key, 0.0) + mention_weight(m, sent) + (1.0 if lede else 0.0)
            first.setdefault(key, m.series)
            lede = False  # the first title the text names is its subject more often than not
    for m in headline:
        key = norm_title(m.series)
        if key in scores:
            scores[key] += 3 if scores[key] >= 1 else 1
    if not scores:
        return None
    order = {k: n for n, k in enumerate(first)}
    key, n = max(scores.items(), key=lambda kv: (kv[1], -order[kv[0]]))
    return first[key] if n >= 2 or len(scores) == 1 else None


def main_series(mention_lists: Iterable[list[Mention]], headline: list[Mention]) -> str | None:
    """The series the article is about: named in the headline, else named most often."""
    counts: Counter[str] = Counter()
    first: dict[str, str] = {}
    for mentions in mention_lists:
        for m in mentions:
            key = norm_title(m.series)
            counts[key] += 1
            first.setdefault(key, m.series)
    for m in headline:
        key = norm_title(m.series)
        if key in counts:
            counts[key] += 3
            first.setdefault(key, m.series)
    if not counts:
        return None
    key, n = counts.most_common(1)[0]
    return first[key] if n >= 2 else None
