"""Features of a title candidate in its article, for the trained claim and season models.

Each candidate (a title key and the places the article writes it) becomes one sparse feature
dict: the words around each occurrence (target replaced by ``_t_``, other titles by ``_o_``),
the words of its sentences, of the headline and of the line before a list item, and the shape of
the candidate (quoted, whole run, known title, how often and how early it is named, whether it
reads like a person or a platform).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from functools import lru_cache

from renewcast.news.candidates import Candidate, Occurrence, ParsedArticle, lexicon
from renewcast.news.mentions import PLATFORMS
from renewcast.news.speakers import ArticlePeople, NameMention, role_nouns

MAX_OCCURRENCES = 8
WINDOW = 6
SHORT_LINE_TOKENS = 14

Features = dict[str, float]


@lru_cache(maxsize=1)
def _platform_keys() -> frozenset[str]:
    return frozenset(s for ss in PLATFORMS.values() for s in ss) | frozenset(
        p.lower() for p in PLATFORMS
    )


@lru_cache(maxsize=1)
def _words() -> dict[str, frozenset[str]]:
    lex = lexicon()
    return {
        "never": frozenset(lex["never_title"]),
        "series": frozenset(lex["series_nouns"]),
        "speech": frozenset(lex["speech_verbs"]),
        "role": role_nouns(),
    }


_NUM = re.compile(r"^\d+$")


def _norm_word(w: str) -> str:
    w = w.lower().replace("’", "'")
    if _NUM.match(w):
        return "_n_" if len(w) != 4 else "_year_"
    return w


def _line_words(pa: ParsedArticle, line: int) -> list[str | None]:
    """Each token of a line as :func:`_norm_word` gives it (None for whitespace), made once per
    line: the features of every candidate and pair read the same lines again."""
    words = pa.line_words.get(line)
    if words is None:
        words = [None if t.is_space else _norm_word(t.text) for t in pa.lines[line].doc]
        pa.line_words[line] = words
    return words


def _token_words(pa: ParsedArticle, occ: Occurrence, others: list[tuple[int, int]]) -> list[str]:
    """The occurrence's sentence as words, the target as ``_t_`` and other titles as ``_o_``."""
    sent = pa.sents[occ.sent]
    words = _line_words(pa, pa.sent_line[occ.sent])
    out: list[str] = []
    ends: dict[int, int] = {}
    for a, b in others:
        if b > a and b > ends.get(a, a):
            ends[a] = b
    i = sent.start
    while i < sent.end:
        if i == occ.start:
            out.append("_t_")
            i = occ.end
            continue
        hit = ends.get(i)
        if hit is not None:
            out.append("_o_")
            i = hit
            continue
        w = words[i]
        if w is not None:
            out.append(w)
        i += 1
    return out


def _title_spans(pa: ParsedArticle) -> dict[int, list[tuple[int, int, str]]]:
    """Per sentence, the whole titles written in it: (start, end, key)."""
    if pa.title_spans is None:
        spans: dict[int, list[tuple[int, int, str]]] = {}
        for c in pa.candidates.values():
            for o in c.occurrences:
                if o.maximal or o.quoted:
                    spans.setdefault(o.sent, []).append((o.start, o.end, c.key))
        pa.title_spans = spans
    return pa.title_spans


def candidate_features(pa: ParsedArticle, cand: Candidate, rank: int) -> Features:
    f: Features = {}
    occs = sorted(cand.occurrences, key=lambda o: o.char_start)
    n = len(occs)
    words = _words()
    key_words = cand.key.split()
    nsent = max(1, len(pa.sents))
    # shape of the candidate
    f["n_occ"] = math.log1p(n)
    f["maximal"] = sum(o.maximal for o in occs) / n
    f["quoted"] = float(any(o.quoted for o in occs))
    f["quoted_frac"] = sum(o.quoted for o in occs) / n
    f["gazetteer"] = float(any(o.gazetteer for o in occs))
    f["in_headline"] = float(pa.headline is not None and any(o.line == pa.headline for o in occs))
    f["first_sent"] = occs[0].sent / nsent
    f["first_sent_abs"] = math.log1p(occs[0].sent)
    f[f"len={min(len(key_words), 6)}"] = 1.0
    f[f"rank={min(rank, 6)}"] = 1.0
    f["platform"] = float(cand.key in _platform_keys())
    f["never_word"] = sum(w in words["never"] for w in key_words) / len(key_words)
    f["digit"] = float(any(ch.isdigit() for ch in cand.key))
    f["all_caps"] = float(cand.surface.isupper() and len(cand.surface) > 1)
    f["starts_the"] = float(cand.surface.lower().startswith("the "))
    f["n_sents"] = math.log1p(len({o.sent for o in occs}))
    inside_longer, contains_shorter = _nesting(pa, cand.key)
    f["inside_longer"] = float(inside_longer)
    f["contains_shorter"] = float(contains_shorter)
    for w in key_words[:1]:
        f[f"first_word:{w}"] = 1.0
    for w in key_words[-1:]:
        f[f"last_word:{w}"] = 1.0
    # context
    spans = _title_spans(pa)
    occ_spans = {
        si: [(a, b) for a, b, k in spans[si] if k != cand.key]
        for si in {o.sent for o in occs[:MAX_OCCURRENCES]}
        if si in spans
    }
    seen_sents: set[int] = set()
    sentence_initial = possessive = season_after = 0
    for occ in occs[:MAX_OCCURRENCES]:
        toks = _token_words(pa, occ, occ_spans.get(occ.sent, []))
        t = toks.index("_t_") if "_t_" in toks else 0
        sentence_initial += t == 0
        right = toks[t + 1 : t + 1 + WINDOW]
        left = toks[max(0, t - WINDOW) : t]
        if right[:1] == ["'s"]:
            possessive += 1
        if right[:1] and right[0] in ("season", "seasons", "series"):
            season_after += 1
        for d, w in enumerate(reversed(left)):
            f[f"l:{w}"] = 1.0
            if d < 2:
                f[f"l{d + 1}:{w}"] = 1.0
        for d, w in enumerate(right):
            f[f"r:{w}"] = 1.0
            if d < 2:
                f[f"r{d + 1}:{w}"] = 1.0
        in_head = pa.headline is not None and occ.line == pa.headline
        prefix = "h" if in_head else "s"
        if occ.sent not in seen_sents:
            seen_sents.add(occ.sent)
            for i, w in enumerate(toks):
                f[f"{prefix}:{w}"] = 1.0
                if i + 1 < len(toks):
                    f[f"{prefix}2:{w} {toks[i + 1]}"] = 1.0
            f["speech_in_sent"] = max(
                f.get("speech_in_sent", 0.0), float(any(w in words["speech"] for w in toks))
            )
            f["role_in_sent"] = max(
                f.get("role_in_sent", 0.0), float(any(w in words["role"] for w in toks))
            )
        line = pa.lines[occ.line]
        if len(line.doc) <= SHORT_LINE_TOKENS and occ.line > 0:
            f["short_line"] = 1.0
            for pw in _line_words(pa, occ.line - 1):
                if pw is not None:
                    f[f"p:{pw}"] = 1.0
    m = min(n, MAX_OCCURRENCES)
    f["sentence_initial"] = sentence_initial / m
    f["possessive"] = possessive / m
    f["season_after"] = season_after / m
    if pa.headline is not None:
        for hw in _line_words(pa, pa.headline):
            if hw is not None:
                f[f"A:{hw}"] = 1.0
    return f


def _nesting(pa: ParsedArticle, key: str) -> tuple[bool, bool]:
    """Whether another candidate's key holds this one as whole words ("doll" in "russian doll"),
    and whether this one holds another's. Keys are single-spaced words (as
    :func:`~renewcast.news.mentions.norm_title` writes them): then " k " is in " key " exactly
    when k is a run of key's words, so the article's keys are searched once, not pair by pair."""
    if pa.nesting is None:
        keys = list(pa.candidates)
        regular = all(k == " ".join(k.split()) and "\n" not in k for k in keys)
        joined = "\n".join(f" {k} " for k in keys)
        pa.nesting = (joined, frozenset(keys)) if regular else ("", frozenset())
    joined, keyset = pa.nesting
    if not keyset:  # keys spelled otherwise: pair by pair
        others = [k for k in pa.candidates if k != key]
        return (
            any(f" {key} " in f" {k} " for k in others),
            any(f" {k} " in f" {key} " for k in others),
        )
    # its own " key " is one occurrence; a second is inside another (a longer) key
    inside = joined.count(f" {key} ") > 1
    words = key.split()
    n = len(words)
    holds = any(
        " ".join(words[i:j]) in keyset for i in range(n) for j in range(i + 1, n + 1) if j - i < n
    )
    return inside, holds


def article_rows(pa: ParsedArticle) -> list[tuple[str, Features]]:
    """(key, features) for every candidate of an article, most often named first (computed
    once per parse)."""
    if pa.rows is None:
        order = sorted(
            pa.candidates.values(), key=lambda c: (-len(c.occurrences), c.occurrences[0].char_start)
        )
        pa.rows = [(c.key, candidate_features(pa, c, i + 1)) for i, c in enumerate(order)]
    return pa.rows


ANAPHORS = frozenset(
    [
        "it",
        "its",
        "it's",
        "the series",
        "the show",
        "the drama",
        "the comedy",
        "this series",
        "this show",
        "the sitcom",
        "the docuseries",
        "the anthology",
        "the thriller",
        "the adaptation",
        "the streaming series",
        "the netflix series",
        "the netflix show",
        "the reboot",
        "the revival",
        "the spinoff",
        "the spin-off",
        "the reality series",
        "the animated series",
        "the program",
    ]
)


def has_anaphor(words: list[str]) -> bool:
    joined = " " + " ".join(words) + " "
    return any(f" {a} " in joined for a in ANAPHORS)


def pair_features(pa: ParsedArticle, cand: Candidate, sent: int, via: str) -> Features:
    """A (candidate, sentence) pair: does this sentence state this candidate's status, and which?

    ``via`` is how the sentence is linked to the candidate: ``named`` (the sentence writes the
    title) or ``anaphor`` (it refers back to it: "the series", "it"). The mention model's
    probability is not a feature: the sentence is read on its own, and the claim
    scorer weighs both (with it, a list sentence naming a series the mention model doubted read
    as stating nothing)."""
    cached = pa.pair_cache.get((cand.key, sent, via))
    if cached is None:
        cached = pa.pair_cache[(cand.key, sent, via)] = _pair_context(pa, cand, sent, via)
    return cached


def _pair_context(pa: ParsedArticle, cand: Candidate, sent: int, via: str) -> Features:
    f: Features = {f"via={via}": 1.0}
    occ_spans = [(a, b) for a, b, k in _title_spans(pa).get(sent, []) if k != cand.key]
    occ = next((o for o in cand.occurrences if o.sent == sent), None)
    if occ is not None:
        toks = _token_words(pa, occ, occ_spans)
    else:
        fake = Occurrence(cand.key, "", pa.sent_line[sent], sent, -1, -1, -1)
        toks = _token_words(pa, fake, occ_spans)
    n_other = toks.count("_o_")
    f[f"others={min(n_other, 4)}"] = 1.0
    line = pa.lines[pa.sent_line[sent]]
    in_head = pa.headline is not None and line.index == pa.headline
    f["headline"] = float(in_head)
    f["sent_pos"] = sent / max(1, len(pa.sents))
    prefix = "h" if in_head else "s"
    for i, w in enumerate(toks):
        f[f"{prefix}:{w}"] = 1.0
        f[f"w:{w}"] = 1.0
        if i + 1 < len(toks):
            f[f"w2:{w} {toks[i + 1]}"] = 1.0
        if i + 2 < len(toks):
            f[f"w3:{w} {toks[i + 1]} {toks[i + 2]}"] = 1.0
    if "_t_" in toks:
        t = toks.index("_t_")
        for d, w in enumerate(reversed(toks[max(0, t - WINDOW) : t])):
            f[f"l:{w}"] = 1.0
            if d < 2:
                f[f"l{d + 1}:{w}"] = 1.0
        for d, w in enumerate(toks[t + 1 : t + 1 + WINDOW]):
            f[f"r:{w}"] = 1.0
            if d < 2:
                f[f"r{d + 1}:{w}"] = 1.0
    if len(line.doc) <= SHORT_LINE_TOKENS and line.index > 0:
        f["short_line"] = 1.0
        for back in (1, 2):
            if line.index - back >= 0:
                for pw in _line_words(pa, line.index - back):
                    if pw is not None:
                        f[f"p{back}:{pw}"] = 1.0
    if pa.headline is not None and not in_head:
        for hw in _line_words(pa, pa.headline):
            if hw is not None:
                f[f"A:{hw}"] = 1.0
        f.update(cue_features(pa.lines[pa.headline].text, "cueA"))
    f.update(cue_features(pa.sents[sent].text, "cue"))
    if f.get("short_line") and line.index > 0:
        f.update(cue_features(pa.lines[line.index - 1].text, "cueP"))
    return f


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


@lru_cache(maxsize=1)
def _cue_patterns() -> dict[str, re.Pattern[str]]:
    lex = lexicon()
    out = {}
    for status, words in lex["status_cues"].items():
        alts = sorted((re.escape(w) for w in words), key=len, reverse=True)
        out[status] = re.compile(r"(?<![\w])(?:" + "|".join(alts) + r")", re.I)
    for name in ("negations", "hedges"):
        alts = sorted((re.escape(w) for w in lex[name]), key=len, reverse=True)
        out[name] = re.compile(r"(?<![\w])(?:" + "|".join(alts) + r")(?![\w])", re.I)
    return out


def cue_features(text: str, prefix: str = "cue") -> Features:
    """Which status words, negations and hedges a stretch of text uses (and their pairings)."""
    return dict(_cues(text, prefix))  # a copy: the remembered one stays as it was


@lru_cache(maxsize=4096)
def _cues(text: str, prefix: str) -> Features:
    """:func:`cue_features`, remembered: a headline and its sentences are read for every pair."""
    f: Features = {}
    pats = _cue_patterns()
    neg = bool(pats["negations"].search(text))
    hedge = bool(pats["hedges"].search(text))
    if neg:
        f[f"{prefix}:neg"] = 1.0
    if hedge:
        f[f"{prefix}:hedge"] = 1.0
    for status in ("renewed", "cancelled", "ended", "limited", "pending"):
        n = len(pats[status].findall(text))
        if n:
            f[f"{prefix}:{status}"] = 1.0
            f[f"{prefix}:{status}:n"] = min(n, 3) / 3
            f[f"{prefix}:{status}:neg={int(neg)}:hedge={int(hedge)}"] = 1.0
    return f


# ---- speakers -------------------------------------------------------------------------------

ROLE_WORDS = (
    "creator",
    "showrunner",
    "producer",
    "president",
    "executive",
    "chief",
    "head",
    "ceo",
    "chair",
    "actor",
    "actress",
    "star",
    "director",
    "writer",
    "author",
    "network",
)
MAX_DISTANCE = 8


def _full_names(names: Iterable[str]) -> dict[str, str]:
    """Each name → the fullest form the article gives ("Frank" → "Scott Frank")."""
    from renewcast.news.mentions import norm_title

    keyed = {n: norm_title(n) for n in names}
    out: dict[str, str] = {}
    for n, k in keyed.items():
        longer = [m for m, mk in keyed.items() if mk.endswith(" " + k) or mk == k]
        out[n] = max(longer, key=lambda m: (len(keyed[m]), m)) if k else n
    return out


def speaker_rows(
    people: ArticlePeople, series: str, evidence: str, main: bool
) -> list[tuple[str, str | None, Features]]:
    """(name, role, features) for everyone an article names, about one claim: is this person
    (or organisation) stating the future of ``series`` (a title key)? ``main``: whether the
    series is the article's main one."""
    from renewcast.news.mentions import norm_title

    if not people.mentions:
        return []
    target = f" {series} "
    naming = [i for i, s in enumerate(people.sentences) if target in f" {s} "]
    ev = norm_title(evidence)
    ev_sents = [i for i, s in enumerate(people.sentences) if s and (s in ev or ev in s)]
    full = _full_names({m.name for m in people.mentions})
    groups: dict[str, list[NameMention]] = {}
    for m in people.mentions:
        groups.setdefault(full[m.name], []).append(m)
    platforms = _platform_keys()
    n_sents = max(1, len(people.sentences))
    out = []
    for name, ms in groups.items():
        key = norm_title(name)
        if not key or key == series or target in f" {key} ":
            continue
        f: Features = {"main": float(main), "n_people": math.log1p(len(groups))}
        kinds = [m.kind for m in ms]
        for kind in ("quote", "reported", "person", "org"):
            n = kinds.count(kind)
            if n:
                f[kind] = 1.0
                f[f"{kind}:n"] = math.log1p(n)
        sents = [m.sent for m in ms if m.sent >= 0]

        def distance(to: list[int], sents: list[int] = sents) -> float:
            if not to or not sents:
                return 1.0
            return min(min(abs(a - b) for a in sents for b in to), MAX_DISTANCE) / MAX_DISTANCE

        f["d_series"] = distance(naming)
        f["d_evidence"] = distance(ev_sents)
        f["series_sentence"] = float(any(s in naming for s in sents))
        f["evidence_sentence"] = float(any(s in ev_sents for s in sents))
        f["first"] = min(sents) / n_sents if sents else 1.0
        subject = [m.sent for m in ms if m.subject]
        if subject:
            f["subject"] = 1.0
            f["subject_evidence"] = float(any(s in ev_sents for s in subject))
        for m in ms:
            if m.kind == "quote":
                f["quote_about"] = max(
                    f.get("quote_about", 0.0), float(target in f" {norm_title(m.said)} ")
                )
                f["quote_near"] = max(f.get("quote_near", 0.0), float(m.sent in naming))
                for k, v in cue_features(m.said, "said").items():
                    f[k] = max(f.get(k, 0.0), v)
            if m.kind == "reported":
                f["reported_near"] = max(f.get("reported_near", 0.0), float(m.sent in naming))
                f["reported_evidence"] = max(
                    f.get("reported_evidence", 0.0), float(m.sent in ev_sents)
                )
        roles = " ".join(m.role for m in ms if m.role).lower()
        if roles:
            f["role"] = 1.0
            for w in ROLE_WORDS:
                if w in roles:
                    f[f"role:{w}"] = 1.0
        words = key.split()
        f[f"words={min(len(words), 4)}"] = 1.0
        f["platform"] = float(key in platforms)
        role = next((m.role for m in ms if m.role), None)
        out.append((name, role, f))
    return out
