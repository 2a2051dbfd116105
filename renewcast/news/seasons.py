"""The season whose fate a status sentence is about (LABELING.md's rule), chosen by a trained model.

Every number a sentence writes about seasons is an option, read two ways: as the season at stake
("renewed for a fourth season" → 4) and as the season before it ("cancelled after one season" →
2, "Some Show Season 6 (renewed)" → 7); so is "no season". When the claim's own sentence numbers
no season, the other sentences of the article that name the series (and its headline) offer
theirs, marked as context ("The comedy ran for two seasons." beside "The comedy was cancelled.").
A small logistic model over the words around each option (see :func:`option_features`) picks one;
it is trained on the labelled claims' evidence sentences by ``renewcast train extraction``. A multi-season order ("a fifth and
sixth season", "renewed through season 5") offers every season it names, the highest marked.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from renewcast.news.candidates import lexicon

if TYPE_CHECKING:
    from renewcast.news.learned import LinearModel

Features = dict[str, float]
MAX_SEASON = 60
_FINAL = re.compile(r"\b(final|last)\b", re.I)


@lru_cache(maxsize=1)
def _patterns() -> tuple[
    re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str], dict[str, int]
]:
    lex = lexicon()
    words: dict[str, int] = {**lex["ordinals"], **lex["cardinals"]}
    ords = "|".join(sorted((re.escape(w) for w in lex["ordinals"]), key=len, reverse=True))
    nums = "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))
    ordinal = rf"(?:{ords}|\d{{1,2}}(?:st|nd|rd|th))"
    joiner = r"(?:\s*(?:,|and|&|or|but also|and also|and a|and an)\s+)"
    # "season 3", "seasons 3 and 4", "season three", "S3", "third season", "sixth and seventh
    # seasons", "third and final season"
    numbered = re.compile(
        rf"\b(?:seasons?|series|part)\s+(?:\d{{1,2}}|{nums})\b(?:\s*(?:and|&|-|–|through|to)\s*(?:\d{{1,2}}|{nums})\b)?"
        rf"|\b{ordinal}(?:{joiner}(?:{ordinal}|final|last))*\s+(?:and\s+final\s+|and\s+last\s+|final\s+|last\s+)?(?:seasons?|series|installments?|instalments?|chapters?)\b"
        rf"|\bS\d{{1,2}}\b",
        re.I,
    )
    # "after two seasons", "a 15-season run", "two more seasons"
    counted = re.compile(rf"\b(?:\d{{1,2}}|{nums})(?:\s+more|\s+additional)?[\s-]+seasons?\b", re.I)
    number = re.compile(rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?|{nums})\b|(?<=\bS)\d{{1,2}}\b", re.I)
    # a series' age: "the freshman drama" (1 season so far), "a third-year comedy" (3)
    ages = "|".join(re.escape(w) for w in lex["season_age"])
    age = re.compile(rf"\b(?:{ages})\b|\b{ordinal}-year\b", re.I)
    return numbered, counted, number, age, words


def _value(word: str, words: dict[str, int]) -> int | None:
    w = word.lower()
    if w.isdigit():
        return int(w)
    m = re.match(r"(\d+)(?:st|nd|rd|th)$", w)
    if m:
        return int(m.group(1))
    return words.get(w)


@dataclass(frozen=True, slots=True)
class Mention:
    """A stretch of a sentence that numbers seasons."""

    kind: str  # "numbered" (season 3), "ordinal" (third season), "short" (S3), "counted", "more",
    # "age" (the freshman drama: 1)
    values: tuple[int, ...]
    start: int
    end: int


def season_mentions(text: str) -> list[Mention]:
    """Every stretch of ``text`` that numbers seasons, in order."""
    numbered, counted, number, age, words = _patterns()
    out: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for m in numbered.finditer(text):
        s = m.group(0)
        vals = [_value(x.group(0), words) for x in number.finditer(s)]
        values = tuple(v for v in vals if v is not None and 0 < v < MAX_SEASON)
        if not values:
            continue
        low = s.lower()
        kind = (
            "short"
            if re.fullmatch(r"s\d+", low)
            else ("numbered" if re.match(r"(seasons?|series|part)\b", low) else "ordinal")
        )
        out.append(Mention(kind, values, m.start(), m.end()))
        taken.append((m.start(), m.end()))
    for m in counted.finditer(text):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        first = number.search(m.group(0))
        v = _value(first.group(0), words) if first else None
        if v is None or not 0 < v < MAX_SEASON:
            continue
        kind = "more" if re.search(r"\b(more|additional)\b", m.group(0), re.I) else "counted"
        out.append(Mention(kind, (v,), m.start(), m.end()))
        taken.append((m.start(), m.end()))
    ages = lexicon()["season_age"]
    for m in age.finditer(text):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        word = m.group(0).lower()
        v = ages.get(word) or _value(word.split("-")[0], words)
        if v is not None and 0 < v < MAX_SEASON:
            out.append(Mention("age", (v,), m.start(), m.end()))
    return sorted(out, key=lambda x: x.start)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+|[^\sa-z0-9]", text.lower())


def option_features(
    text: str,
    status: str,
    mentions: Sequence[Mention],
    title: str | None = None,
    context: bool = False,
) -> list[tuple[int | None, Features]]:
    """(season, features) for every option a sentence offers for a claim of ``status`` (the "no
    season" option only from the claim's own sentence)."""
    options: list[tuple[int | None, Features]] = []
    n = len(mentions)
    everything = [v for m in mentions for v in m.values]
    hi = max(everything) if everything else None
    lo = min(everything) if everything else None
    low = text.lower()
    final = _FINAL.search(text) is not None
    mark = "ctx|" if context else ""
    if not context:
        options.append(
            (
                None,
                {
                    "none": 1.0,
                    f"none:{status}": 1.0,
                    f"none:n={min(n, 3)}": 1.0,
                    f"none:final:{status}": float(final),
                },
            )
        )
    title_start = low.find(title.lower()) if title else -1
    title_end = title_start + len(title) if title and title_start >= 0 else -1
    for m in mentions:
        before = _words(text[: m.start])[-3:]
        after = _words(text[m.end :])[:3]
        for v in m.values:
            for off in (0, 1):
                tag = f"{mark}{m.kind}:{off}"
                f: Features = {
                    f"off={off}": 1.0,
                    tag: 1.0,
                    f"{tag}:{status}": 1.0,
                    f"{tag}:max": float(v == hi),
                    f"{tag}:min": float(v == lo and hi != lo),
                    f"{tag}:several={len(m.values) > 1}": 1.0,
                    f"{tag}:n={min(n, 3)}": 1.0,
                    f"{tag}:final": float(_FINAL.search(text, m.start, m.end) is not None),
                    f"{tag}:final_near:{status}": float(final),
                    f"{tag}:after_title": float(title_end >= 0 and 0 <= m.start - title_end <= 3),
                    f"{tag}:first": float(m is mentions[0]),
                    # in a sentence about several series: is the number on the title's side?
                    f"{tag}:{_side(text, m, title_start, title_end)}": 1.0,
                }
                for i, w in enumerate(reversed(before)):
                    f[f"{tag}:b:{w}"] = 1.0
                    if i == 0:
                        f[f"{tag}:b1:{w}"] = 1.0
                        f[f"{tag}:b1:{w}:{status}"] = 1.0
                for i, w in enumerate(after):
                    f[f"{tag}:a:{w}"] = 1.0
                    if i == 0:
                        f[f"{tag}:a1:{w}:{status}"] = 1.0
                options.append((v + off, f))
    return options


def _side(text: str, m: Mention, title_start: int, title_end: int) -> str:
    """Where a season number sits against the title: after or before it, and whether a comma or
    semicolon stands between (a number across one often belongs to another series)."""
    if title_start < 0:
        return "no_title"
    if m.start >= title_end:
        gap, side = text[title_end : m.start], "after"
    else:
        gap, side = text[m.end : max(title_start, m.end)], "before"
    return f"{side}{'_cut' if re.search(r'[,;]', gap) else ''}"


def _outside(mentions: list[Mention], text: str, title: str | None) -> list[Mention]:
    """The mentions that are not words of the title itself ("The Rookie" is no age)."""
    if not title:
        return mentions
    spans = [(m.start(), m.end()) for m in re.finditer(re.escape(title), text, re.I)]
    return [m for m in mentions if not any(a < m.end and m.start < b for a, b in spans)]


def season_options(
    text: str, status: str, title: str | None = None, context: Sequence[str] = ()
) -> list[tuple[int | None, Features]]:
    """The options of a claim: its sentence's, or when that numbers no season, its context's."""
    mentions = _outside(season_mentions(text), text, title)
    options = option_features(text, status, mentions, title)
    if not mentions:
        for other in context:
            found = _outside(season_mentions(other), other, title)
            if found:
                options += option_features(other, status, found, title, context=True)
    if status == "limited":  # LABELING.md: a limited series' question is a second season or none
        options = [(v, f) for v, f in options if v in (None, 2)]
    return options


def season_support(
    model: LinearModel,
    text: str,
    status: str,
    title: str | None = None,
    context: Sequence[str] = (),
) -> dict[int | None, float]:
    """The season model's probability for each season ``text`` offers (its best reading of each;
    ``{None: 1.0}`` when the only option is "no season"); ``context``: the article's other
    sentences that name the series. :func:`likeliest_season` picks the claim's season from it,
    and the claim scorer reads how sure the model is of that season."""
    options = season_options(text, status, title, context)
    if len(options) == 1:
        return {None: 1.0}
    proba = model.predict_proba([f for _, f in options])[:, 1]
    best: dict[int | None, float] = {}
    for (v, _), p in zip(options, proba, strict=True):
        best[v] = max(best.get(v, 0.0), float(p))
    return best


def likeliest_season(support: dict[int | None, float]) -> int | None:
    """The season of :func:`season_support` with the highest probability (ties: no season, then
    the lower number)."""
    return max(support, key=lambda v: (support[v], -1 if v is None else -v))


def says_final(text: str, season: int | None) -> bool:
    """Whether the sentence calls the claim's season the last ("a fifth and final season"): the
    stretch numbering that season says so, or, for a claim with no season, the sentence does."""
    if season is None:
        return _FINAL.search(text) is not None
    return any(
        season in m.values and _FINAL.search(text, m.start, m.end) for m in season_mentions(text)
    )


# how many words before a season's number a denial still reaches ("has not been renewed for a
# fourth season": four words between)
DENIAL_REACH = 5


def _denial_words(text: str) -> list[str]:
    """Lower-case words with every negated verb as "n't" ("isn't", "can’t" → "n't")."""
    words = re.findall(r"[a-z0-9]*n't|[a-z0-9]+|[^\sa-z0-9]", text.lower().replace("’", "'"))
    return ["n't" if w.endswith("n't") else w for w in words]


@lru_cache(maxsize=1)
def _denials() -> tuple[
    frozenset[str], tuple[tuple[str, ...], ...], tuple[tuple[str, ...], ...], frozenset[str]
]:
    lex = lexicon()
    deny = lex["season_denials"]
    negations = frozenset(w for n in lex["negations"] for w in _denial_words(n))
    contrasts = tuple(tuple(_denial_words(p)) for p in deny["contrasts"])
    not_denials = tuple(tuple(_denial_words(p)) for p in deny["not_denials"])
    return negations, contrasts, not_denials, frozenset(deny["clause_breaks"])


def _has(words: Sequence[str], phrase: Sequence[str]) -> bool:
    n = len(phrase)
    return any(tuple(words[i : i + n]) == tuple(phrase) for i in range(len(words) - n + 1))


def denied_seasons(text: str, title: str | None = None) -> set[int]:
    """Seasons the sentence writes as ones that will not come: a negation or a contrast in the
    same clause, a few words before the number ("won't get a fourth season", "a film instead of
    a fifth season", "no season 3"), unless the number calls that season the last one ("can't
    say the same of its final season") or the negation does not deny ("ordered not just a
    season 2"). The words of ``title`` (the series the sentence is read for: "Never Say Never")
    are not read. The word lists are ``news/data/lexicon.json``'s."""
    negations, contrasts, not_denials, breaks = _denials()
    if title and title.strip():
        text = re.sub(re.escape(title.strip()), lambda m: " " * len(m.group(0)), text, flags=re.I)
    out: set[int] = set()
    for m in season_mentions(text):
        if _FINAL.search(text, m.start, m.end):
            continue
        clause: list[str] = []
        for w in reversed(_denial_words(text[: m.start])):
            if w in breaks or len(clause) > DENIAL_REACH:
                break
            clause.insert(0, w)
        # a phrase that does not deny may end just past the clause ("not only a second season")
        after = _denial_words(text[m.start : m.end])[:1]
        if any(_has(clause + after, p) for p in not_denials):
            continue
        if any(w in negations for w in clause) or any(_has(clause, p) for p in contrasts):
            out.update(m.values)
    return out


def season_examples(
    claims: Sequence[tuple[str, str, str | None, Sequence[str], int | None]],
) -> tuple[list[Features], list[str]]:
    """Rows for the season model from labelled claims: (evidence, status, title, context,
    season)."""
    rows: list[Features] = []
    labels: list[str] = []
    for text, status, title, context, season in claims:
        options = season_options(text, status, title, context)
        if len(options) == 1:
            continue
        for v, f in options:
            rows.append(f)
            labels.append("yes" if v == season else "no")
    return rows, labels
