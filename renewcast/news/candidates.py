"""Title candidates: every stretch of an article that is shaped like a series title.

This stage over-generates on purpose. A later, trained stage (:mod:`renewcast.news.learned`)
decides which candidates are series whose status the article states, so the rules here only
say what *could* be a title:

- a quoted stretch of words that starts with a capital or a digit ("“Some Show”", "‘Some Show’");
- a run of capitalised words, with connectors between them ("Lord of the Things", "Us & Them",
  "Show: The Sequel") — and every shorter run inside it that starts and ends on a capital, since
  a sentence-initial word or a headline's Title Case may glue extra words to a title;
- a title the catalog knows (the gazetteer), matched case-insensitively on word boundaries —
  including titles no shape rule would take ("You", "1899", "iZombie") — and the short names the
  catalog's long titles go by ("Legends of Tomorrow" for "DC's Legends of Tomorrow"), read as
  the catalog's title.

Candidates are grouped by their :func:`~renewcast.news.mentions.norm_title` key; a key's
occurrences are every place the text writes it (so "Doll" inside "Russian Doll" counts as an
occurrence inside a longer candidate, which the features record).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from renewcast.news.mentions import norm_title

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

MAX_TITLE_TOKENS = 8
MAX_LINE_CHARS = 3_000


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    """The word lists of the learned pipeline (``news/data/lexicon.json``)."""
    text = resources.files("renewcast.news").joinpath("data/lexicon.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@lru_cache(maxsize=1)
def _sets() -> tuple[frozenset[str], frozenset[str]]:
    lex = lexicon()
    return frozenset(lex["connectors"]), frozenset(lex["never_title"])


@dataclass(slots=True)
class Line:
    """One line of the article (a headline, paragraph, list item or heading) and its parse."""

    index: int
    start: int  # character offset in the article text
    text: str
    doc: Doc


@dataclass(slots=True)
class Occurrence:
    key: str
    text: str
    line: int
    sent: int  # index of the sentence within the article (over all lines)
    start: int  # token offsets within the line's doc
    end: int
    char_start: int  # offsets within the article text
    quoted: bool = False
    maximal: bool = False  # a whole capitalised run (or quoted stretch), not a piece of one
    gazetteer: bool = False


@dataclass(slots=True)
class Candidate:
    key: str
    surface: str  # the most frequent spelling
    occurrences: list[Occurrence] = field(default_factory=list)


@dataclass(slots=True)
class ParsedArticle:
    lines: list[Line]
    sents: list[Span]
    sent_line: list[int]
    candidates: dict[str, Candidate]
    headline: int | None  # line index of the headline, when the first line reads like one
    rows: list[tuple[str, dict[str, float]]] | None = None  # features, computed once
    title_spans: dict[int, list[tuple[int, int, str]]] | None = None
    pair_cache: dict[tuple[str, int, str], dict[str, float]] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)  # short name's key -> catalog title's
    # per line, each token's normalised word (None for whitespace): features read them many times
    line_words: dict[int, list[str | None]] = field(default_factory=dict)
    # the candidates' keys, searched for keys inside keys (features._nesting); ("", ...) when
    # they are not all single-spaced words
    nesting: tuple[str, frozenset[str]] | None = None

    def canonical(self, key: str) -> str:
        """The key of the catalog title a title key stands for (itself when none)."""
        return self.aliases.get(key, key)


def split_lines(text: str) -> list[tuple[int, str]]:
    """Non-empty lines with their character offsets (long paragraphs cut at sentence ends)."""
    out: list[tuple[int, str]] = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            off = pos + raw.index(stripped[0])
            while len(stripped) > MAX_LINE_CHARS:
                cut = stripped.rfind(". ", 0, MAX_LINE_CHARS)
                cut = cut + 1 if cut > 0 else MAX_LINE_CHARS
                out.append((off, stripped[:cut]))
                rest = stripped[cut:]
                off += cut + (len(rest) - len(rest.lstrip()))
                stripped = rest.strip()
            if stripped:
                out.append((off, stripped))
        pos += len(raw) + 1
    return out


def _capital(tok_text: str) -> bool:
    c = tok_text[:1]
    return c.isupper() or c.isdigit()


_QUOTE_RE = re.compile(
    r"(?:(?<=^)|(?<=[\s(\[—–-]))([“\"‘'])([^“”\"‘’\n]{1,80}?)([”\"’'])(?=[\s,.;:!?)\]—–-]|$)"
)
_CLOSE = {"“": "”", '"': '"', "‘": "’", "'": "'"}


def _quoted_spans(line: str) -> list[tuple[int, int]]:
    spans = []
    for m in _QUOTE_RE.finditer(line):
        if _CLOSE[m.group(1)] != m.group(3) and not (m.group(1) == "‘" and m.group(3) == "'"):
            continue
        inner = m.group(2).strip()
        if not inner or not _capital(inner) or len(inner.split()) > MAX_TITLE_TOKENS:
            continue
        s = m.start(2) + (len(m.group(2)) - len(m.group(2).lstrip()))
        spans.append((s, s + len(inner.rstrip(" ,.!?;:"))))
    return spans


def _runs(sent: Span, line_toks: list[Token] | None = None) -> list[tuple[int, int]]:
    """Maximal capitalised runs in a sentence (token offsets in its doc), connectors inside.
    ``line_toks``: the tokens of the sentence's doc, when the caller has them listed."""
    connectors, _ = _sets()
    runs: list[tuple[int, int]] = []
    toks = list(sent) if line_toks is None else line_toks[sent.start : sent.end]
    i = 0
    while i < len(toks):
        if not (
            _capital(toks[i].text) and toks[i].is_alpha | toks[i].like_num | _wordish(toks[i].text)
        ):
            i += 1
            continue
        j = i + 1
        last = i
        while j < len(toks):
            t = toks[j].text
            if _capital(t) and (toks[j].is_alpha or toks[j].like_num or _wordish(t)):
                last = j
            elif t.lower() not in connectors or (
                toks[j - 1].whitespace_ == ""
                and t in {".", ",", "!", "?"}
                and j + 1 < len(toks)
                and toks[j].whitespace_
            ):
                break
            j += 1
        runs.append((toks[i].i, toks[last].i + 1))
        i = last + 1
    return runs


def _wordish(t: str) -> bool:
    return bool(re.fullmatch(r"[\w’'.&+!-]*\w[\w’'.&+!-]*", t))


def _sub_runs(start: int, end: int, texts: list[str]) -> Iterable[tuple[int, int]]:
    """Every piece of a run that starts and ends on a capitalised word (at most MAX_TITLE_TOKENS);
    ``texts``: the words of the run's doc."""
    caps = [i for i in range(start, end) if _capital(texts[i])]
    for a in caps:
        for b in caps:
            if b >= a and b - a < MAX_TITLE_TOKENS:
                yield a, b + 1


_PART_RE = re.compile(r"(season|series|part|volume|chapter) \w+")


def _acceptable_key(key: str) -> bool:
    """Whether a stretch of text could be a title by its shape alone: not only common words or
    numbers, not "Season 3"."""
    _, never = _sets()
    words = key.split()
    if not words or len(key) < 2:
        return False
    if all(w in never or w.isdigit() for w in words):
        return False
    return not _PART_RE.fullmatch(key)


def _known_key(key: str) -> bool:
    """Whether a catalog title may be matched: any key of three characters or more that is not
    "Season 3" (a common word or a number is a title when the catalog says so; the trained
    mention filter weighs how likely that reading is in its sentence)."""
    return len(key) >= 3 and not _PART_RE.fullmatch(key)


def _has_upper(tok_text: str) -> bool:
    return _capital(tok_text) or any(ch.isupper() for ch in tok_text)


_POSSESSIVE_RE = re.compile(r"^(?P<owner>[^:]{2,40}?)['’]s (?P<rest>.+)$")


def title_aliases(title: str) -> list[str]:
    """Shorter keys a long title goes by in text: the title without its owner's name when the rest
    is several words ("Anne Rice's Mayfair Witches" -> "mayfair witches"; "Grey's Anatomy" keeps
    its owner, and "It's ...", "Let's ...", "Her ...'s ..." have no owner to drop)."""
    m = _POSSESSIVE_RE.match(title.strip())
    _, never = _sets()
    if m is None or len(m["rest"].split()) < 2:
        return []
    owner = m["owner"].split()
    if any(w.lower() in never or w.lower() == "let" or not w.isalpha() for w in owner):
        return []
    key = norm_title(m["rest"])
    return [key] if _acceptable_key(key) and len(key) >= 4 else []


def parse_article(
    text: str, nlp: Any, gazetteer: Any | None = None, headline: str | None = None
) -> ParsedArticle:
    """Parse an article's lines and collect its title candidates."""
    pieces = split_lines(text)
    if headline and (not pieces or pieces[0][1] != headline.strip()):
        pieces.insert(0, (-1, headline.strip()))
    docs = list(nlp.pipe((p[1] for p in pieces), batch_size=64))
    lines = [Line(i, p[0], p[1], d) for i, (p, d) in enumerate(zip(pieces, docs, strict=True))]
    sents: list[Span] = []
    sent_line: list[int] = []
    cands: dict[str, Candidate] = {}
    aliases = gazetteer.aliases if gazetteer is not None else {}

    def ok(key: str) -> bool:
        return _acceptable_key(key) or (gazetteer is not None and key in gazetteer)

    def add(occ: Occurrence) -> None:
        occ.key = aliases.get(occ.key, occ.key)
        c = cands.get(occ.key)
        if c is None:
            c = cands[occ.key] = Candidate(occ.key, occ.text)
        for o in c.occurrences:  # one occurrence per place; keep the longest, strongest reading
            if o.line == occ.line and o.start < occ.end and occ.start < o.end:
                if occ.end - occ.start > o.end - o.start:
                    o.text, o.start, o.end = occ.text, occ.start, occ.end
                    o.char_start = occ.char_start
                o.quoted |= occ.quoted
                o.maximal |= occ.maximal
                o.gazetteer |= occ.gazetteer
                return
        c.occurrences.append(occ)

    for line in lines:
        doc = line.doc
        # the line's tokens, words and text listed once: spaCy makes a new Token on each access
        toks = list(doc)
        texts = [t.text for t in toks]
        doc_text = doc.text
        quoted = _quoted_spans(line.text)
        for sent in doc.sents:
            si = len(sents)
            sents.append(sent)
            sent_line.append(line.index)
            for qs, qe in quoted:
                if not (sent.start_char <= qs < sent.end_char):
                    continue
                span = doc.char_span(qs, qe, alignment_mode="expand")
                if span is None:
                    continue
                key = norm_title(span.text)
                if ok(key):
                    add(
                        Occurrence(
                            key,
                            span.text,
                            line.index,
                            si,
                            span.start,
                            span.end,
                            line.start + span.start_char,
                            quoted=True,
                            maximal=True,
                        )
                    )
            for rs, re_ in _runs(sent, toks):
                for a, b in _sub_runs(rs, re_, texts):
                    start_char = toks[a].idx
                    written = doc_text[start_char : toks[b - 1].idx + len(texts[b - 1])]
                    key = norm_title(written)
                    if ok(key):
                        add(
                            Occurrence(
                                key,
                                written,
                                line.index,
                                si,
                                a,
                                b,
                                line.start + start_char,
                                maximal=(a, b) == (rs, re_),
                            )
                        )
            if gazetteer is not None:
                for a, b, key in gazetteer.find(sent, toks, texts):
                    start_char = toks[a].idx
                    add(
                        Occurrence(
                            key,
                            doc_text[start_char : toks[b - 1].idx + len(texts[b - 1])],
                            line.index,
                            si,
                            a,
                            b,
                            line.start + start_char,
                            gazetteer=True,
                        )
                    )
    # a key's occurrences inside longer stretches that were never candidates themselves (a
    # lower-case or sentence-initial spelling) are found by the gazetteer or not at all
    for c in cands.values():
        spellings: dict[str, int] = {}
        for o in c.occurrences:
            spellings[o.text] = spellings.get(o.text, 0) + 1
        c.surface = max(spellings.items(), key=lambda kv: (kv[1], len(kv[0])))[0]
    first = lines[0] if lines else None
    head = (
        0 if first is not None and len(first.text) <= 200 and not first.text.endswith(".") else None
    )
    return ParsedArticle(lines, sents, sent_line, cands, head, aliases=dict(aliases))


class Gazetteer:
    """Known titles matched on lower-cased word sequences (a token-level phrase table), with the
    short names of long titles (:func:`title_aliases`) where only one title goes by that name."""

    def __init__(self, titles: Iterable[str], max_words: int = MAX_TITLE_TOKENS) -> None:
        self.keys: set[str] = set()
        self.first_words: dict[str, set[int]] = {}
        self.titles: dict[str, str] = {}  # key -> the catalog's spelling
        self.aliases: dict[str, str] = {}  # short name's key -> title's key
        owners: dict[str, set[str]] = {}
        for t in titles:
            key = norm_title(t)
            if not _known_key(key) or len(key.split()) > max_words:
                continue
            self.titles.setdefault(key, t.strip())
            self._add(key)
            for alias in title_aliases(t):
                owners.setdefault(alias, set()).add(key)
        for alias, keys in sorted(owners.items()):
            if len(keys) == 1 and alias not in self.titles:
                self.aliases[alias] = next(iter(keys))
                self._add(alias)

    def _add(self, key: str) -> None:
        self.keys.add(key)
        self.first_words.setdefault(key.split()[0], set()).add(len(key.split()))

    def __contains__(self, key: str) -> bool:
        return key in self.keys

    def title(self, key: str) -> str | None:
        """The catalog's spelling of the title a key stands for."""
        return self.titles.get(self.aliases.get(key, key))

    def find(
        self, sent: Span, line_toks: list[Token] | None = None, texts: list[str] | None = None
    ) -> list[tuple[int, int, str]]:
        """(start, end, key) of the known titles written in a sentence, longest first at each
        word; ``line_toks``/``texts``: the tokens and words of its doc, when listed already."""
        toks = list(sent) if line_toks is None else line_toks[sent.start : sent.end]
        if texts is None:
            texts = [t.text for t in sent.doc]
        words = [(t.i, norm_title(texts[t.i])) for t in toks]
        words = [(i, w) for i, w in words if w]
        out = []
        for k, (_, w) in enumerate(words):
            for n in sorted(self.first_words.get(w, ()), reverse=True):
                seq = words[k : k + n]
                if len(seq) < n:
                    continue
                key = " ".join(x[1] for x in seq)
                if key in self.keys:
                    a, b = seq[0][0], seq[-1][0] + 1
                    if any(_has_upper(texts[j]) for j in range(a, b)):
                        out.append((a, b, key))
                        break
        return out
