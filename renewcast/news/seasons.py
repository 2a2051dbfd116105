"""The season whose fate a status sentence is about (LABELING.md's rule), from its numbers.

"renewed for a fourth season" → 4; "cancelled after one season" / "no second season" → 2 for a
cancellation after one season; "after two seasons, it was cancelled" → 3; "will end with its sixth
season" / "a 15-season run" (ended) → 6 / 15; "renewed through season 5" → 5 (the highest season).
"""

from __future__ import annotations

import re
from functools import lru_cache

from renewcast.news.candidates import lexicon


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, int]]:
    lex = lexicon()
    words: dict[str, int] = {**lex["ordinals"], **lex["cardinals"]}
    ords = "|".join(sorted((re.escape(w) for w in lex["ordinals"]), key=len, reverse=True))
    nums = "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))
    # "season 3", "season three", "3rd season", "third and final season", "S3"
    numbered = re.compile(
        rf"\b(?:seasons?|series|part)\s+(\d{{1,2}}|{nums})\b(?:\s*(?:and|&|-|–|through|to)\s*(\d{{1,2}}|{nums})\b)?"
        rf"|\b({ords}|\d{{1,2}}(?:st|nd|rd|th))(?:\s+(?:and|&)\s+(?:final|last|{ords}))?\s+(?:and\s+final\s+|and\s+last\s+|final\s+|last\s+)?(?:season|series|installment|instalment|chapter)\b"
        rf"|\bS(\d{{1,2}})\b",
        re.I,
    )
    # "after two seasons", "a 15-season run", "three seasons"
    counted = re.compile(rf"\b(\d{{1,2}}|{nums})[\s-]+seasons?\b", re.I)
    return numbered, counted, words


def _value(word: str, words: dict[str, int]) -> int | None:
    w = word.lower()
    if w.isdigit():
        return int(w)
    m = re.match(r"(\d+)(?:st|nd|rd|th)$", w)
    if m:
        return int(m.group(1))
    return words.get(w)


def season_from_text(text: str, status: str) -> int | None:
    """The season at stake in ``text`` for a claim of ``status``, or None when it names none."""
    numbered, counted, words = _patterns()
    found: list[int] = []
    for m in numbered.finditer(text):
        for g in m.groups():
            if g:
                v = _value(g, words)
                if v is not None and 0 < v < 60:
                    found.append(v)
    if found:
        return max(found)
    for m in counted.finditer(text):
        v = _value(m.group(1), words)
        if v is None or not 0 < v < 60:
            continue
        before = text[: m.start()].lower()[-25:]
        if status == "cancelled" or (
            status == "renewed"
            and re.search(r"more|additional|another", text[m.end() : m.end() + 12] + before)
        ):
            return v + 1 if status == "cancelled" else None
        if status == "ended":
            return v
    return None
