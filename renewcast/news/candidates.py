"""Title candidates: every stretch of an article that is shaped like a series title.

This stage over-generates on purpose. A later, trained stage (:mod:`renewcast.news.learned`)
decides which candidates are series whose status the article states, so the rules here only
say what *could* be a title:

- a quoted stretch of words that starts with a capital or a digit ("“Some Show”", "‘Some Show’");
- a run of capitalised words, with connectors between them ("Lord of the Things", "Us & Them",
  "Show: The Sequel") — and every shorter run inside it that starts and ends on a capital, since
  a sentence-initial word or a headline's Title Case may glue extra words to a title;
- a title the catalog knows (the gazetteer), matched case-insensitively on word boundaries.

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
    from spacy.tokens import Doc, Span

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


def _runs(sent: Span) -> list[tuple[int, int]]:
    """Maximal capitalised runs in a sentence (token offsets in its doc), connectors inside."""
    connectors, _ = _sets()
    runs: list[tuple[int, int]] = []
    toks = list(sent)
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


def _sub_runs(start: int, end: int, doc: Doc) -> Iterable[tuple[int, int]]:
    """Every piece of a run that starts and ends on a capitalised word (at most MAX_TITLE_TOKENS)."""
    caps = [i for i in range(start, end) if _capital(doc[i].text)]
    for a in caps:
        for b in caps:
            if b >= a and b - a < MAX_TITLE_TOKENS:
                yield a, b + 1


def _acceptable_key(key: str) -> bool:
    _, never = _sets()
    words = key.split()
    if not words or len(key) < 2:
        return False
    if all(w in never or w.isdigit() for w in words):
        return False
    return not re.fullmatch(r"(season|series|part|volume|chapter) \w+", key)


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

    def add(occ: Occurrence) -> None:
        c = cands.get(occ.key)
        if c is None:
            c = cands[occ.key] = Candidate(occ.key, occ.text)
        for o in c.occurrences:  # one occurrence per place; keep the strongest reading
            if o.char_start == occ.char_start and o.line == occ.line and o.end == occ.end:
                o.quoted |= occ.quoted
                o.maximal |= occ.maximal
                o.gazetteer |= occ.gazetteer
                return
        c.occurrences.append(occ)

    for line in lines:
        doc = line.doc
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
                if _acceptable_key(key):
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
            for rs, re_ in _runs(sent):
                for a, b in _sub_runs(rs, re_, doc):
                    span = doc[a:b]
                    key = norm_title(span.text)
                    if _acceptable_key(key):
                        add(
                            Occurrence(
                                key,
                                span.text,
                                line.index,
                                si,
                                a,
                                b,
                                line.start + span.start_char,
                                maximal=(a, b) == (rs, re_),
                            )
                        )
            if gazetteer is not None:
                for a, b, key in gazetteer.find(sent):
                    add(
                        Occurrence(
                            key,
                            doc[a:b].text,
                            line.index,
                            si,
                            a,
                            b,
                            line.start + doc[a].idx,
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
    return ParsedArticle(lines, sents, sent_line, cands, head)


class Gazetteer:
    """Known titles matched on lower-cased word sequences (a token-level phrase table)."""

    def __init__(self, titles: Iterable[str], max_words: int = MAX_TITLE_TOKENS) -> None:
        self.keys: set[str] = set()
        self.first_words: dict[str, set[int]] = {}
        for t in titles:
            key = norm_title(t)
            if not key or not _acceptable_key(key) or len(key) < 4:
                continue
            n = len(key.split())
            if n > max_words:
                continue
            self.keys.add(key)
            self.first_words.setdefault(key.split()[0], set()).add(n)

    def __contains__(self, key: str) -> bool:
        return key in self.keys

    def find(self, sent: Span) -> list[tuple[int, int, str]]:
        words = [(t.i, norm_title(t.text)) for t in sent]
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
                    if any(_capital(sent.doc[j].text) for j in range(a, b)):
                        out.append((a, b, key))
                        break
        return out
