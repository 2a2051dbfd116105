"""Status claims: what a sentence says about a series' next season.

Statuses: ``renewed``, ``cancelled``, ``ended`` (concluded as planned / final season), ``limited``
(a miniseries, no further season planned) and ``pending`` (no decision yet).

The rules read the spaCy parse of one sentence:

1. **Triggers** — words that state a status (lexicons below): renew / green-light / pick up /
   order a season; return / be back; cancel / axe / pull the plug / scrap; end / conclude / final
   season / be its last; limited series / miniseries; no decision / TBA / on hiatus / in limbo;
   save / revive.
2. **Polarity** — negation in the trigger's clause (``neg`` dependents, "no", "yet to", "never",
   "decline to") flips it: a negated renewal is ``pending`` when it is *not yet* decided and
   ``cancelled`` when it will not happen; a negated return is ``cancelled``; a negated
   cancellation is ``pending``; a negated limited/ended claim says nothing.
3. **Hedging** — modal verbs, "if/whether", "likely", hopes and expectations mark a claim
   ``hedged``; questions ("Will there be a season 2?") assert nothing and give no claim.
4. **Targets** — the series the trigger is about come from its arguments (passive subject,
   object, "X's cancellation", "renewal of X", "X will return", "X got the axe", "shows including
   X, Y and Z"), following coordination; "the series"/"the show"/"it" resolve to the article's
   main series.
5. **Season** — "renewed for a second season" / "Season 2" → 2; "cancelled after one season" →
   2 (the season that will not be made); "ends after its sixth season" / "fifth and final
   season" → that season. Season stays ``None`` when the sentence does not say.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from renewcast.news.mentions import Mention, find_platforms, norm_title
from renewcast.store.identity import CARDINALS, ORDINALS

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

STATUSES = ("renewed", "cancelled", "ended", "limited", "pending")
#: claims the trained reader scores lower are weaker evidence: shown, never deciding a status
#: (``status/decide.py``), and a series stated only that weakly is not what its article is about
#: when the article states another series more firmly (``news/ingest.py``, ``answer/articles.py``)
FIRM_CONFIDENCE = 0.4


@dataclass(frozen=True, slots=True)
class Speaker:
    name: str
    role: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "role": self.role}


@dataclass(slots=True)
class Claim:
    """One status claim. ``start``/``end`` are the evidence sentence's span in the article text."""

    series: str
    status: str
    season: int | None
    evidence: str
    start: int
    end: int
    platform: str | None = None
    final: bool = False
    confidence: float = 0.5
    hedged: bool = False
    official: bool | None = None
    speakers: list[Speaker] = field(default_factory=list)
    # how the rules found it (features for the learned filter; not part of the JSON)
    trigger: str = ""  # the trigger's lemma, or "list"/"colon"/"carried"
    via: str = "direct"  # direct | indirect | anaphor | list | colon | carried | context
    done: bool = False  # an ending told as having happened ("has come to an end")

    @property
    def key(self) -> tuple[str, str, int | None]:
        return (norm_title(self.series), self.status, self.season)

    def to_json(self) -> dict[str, Any]:
        return {
            "series": self.series,
            "platform": self.platform,
            "season": self.season,
            "status": self.status,
            "evidence": self.evidence,
            "speakers": [s.to_json() for s in self.speakers],
            "final": self.final,
            "confidence": round(self.confidence, 3),
            "hedged": self.hedged,
            "official": self.official,
            "start": self.start,
            "end": self.end,
        }


# ---------------------------------------------------------------------------------------------
# Season expressions

# "a second season", "a single season": number words from the one table in store.identity
NUMBER_WORDS = {**CARDINALS, "a": 1, "single": 1}
_NUM = r"(\d{1,2}|" + "|".join(k for k in NUMBER_WORDS if k not in ("a", "single")) + ")"
_ORD = r"(\d{1,2}(?:st|nd|rd|th)|" + "|".join(ORDINALS) + ")"
_SEASON_NOUN = r"(?:season|series|installment|instalment|chapter|outing|cycle|run)"
SEASON_NUMBER_RE = re.compile(r"\b(?:season|series)\s+" + _NUM + r"\b(?![.,]\d)", re.I)
SEASON_SHORT_RE = re.compile(r"\bS(\d{1,2})\b")
SEASON_ORDINAL_RE = re.compile(
    r"\b(after\s+(?:its|the|their|a)\s+(?:\w+\s+){0,2})?"
    + _ORD
    + r"(\s+and\s+(?:final|finale|last)|\s+(?:and\s+)?(?:final|last))?"
    + r"(?:[\s-]+(?:full|expanded|shortened|new|short|\w+-episode))?\s+"
    + _SEASON_NOUN
    + r"s?\b",
    re.I,
)
AFTER_COUNT_RE = re.compile(
    r"\bafter\s+(?:just\s+|only\s+|a\s+mere\s+)?(?:its\s+)?"
    r"(\d{1,2}|one|a single|a|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
    r"(?:\s+\w+){0,2}?\s+(?:seasons?|series|installments?|instalments?)\b",
    re.I,
)
ONE_AND_DONE_RE = re.compile(
    r"\bone[- ]and[- ]done\b|\bfirst,?\s*\(?and only\)?\s+(?:season|series|instal+ment)\b",
    re.I,
)

SHARED_ORDINAL_RE = re.compile(  # "the second and third seasons", "not only season two but
    # also season three": the first ordinal shares the season noun of the second
    r"\b" + _ORD + r"\s*(?:,|and|&|or|but also|but)\s+(?:also\s+)?(?:the\s+|its\s+|a\s+)?"
    r"(?=" + _ORD + r"(?:\s+and\s+(?:final|last))?\s+" + _SEASON_NOUN + r"s?\b)",
    re.I,
)
FRESHMAN_RE = re.compile(r"\b(?:freshman|rookie|first-year)\b(?![\s-]+(?:season|year|run))", re.I)


@dataclass(frozen=True, slots=True)
class SeasonExpr:
    start: int  # char offsets within the sentence
    end: int
    number: int
    kind: str  # "number" | "ordinal" | "after" (a count of seasons already made)
    final: bool = False


def _to_int(word: str) -> int | None:
    w = word.lower()
    if w.isdigit():
        return int(w)
    if w in NUMBER_WORDS:
        return NUMBER_WORDS[w]
    if w in ORDINALS:
        return ORDINALS[w]
    m = re.match(r"(\d{1,2})(?:st|nd|rd|th)$", w)
    return int(m.group(1)) if m else None


def season_expressions(text: str) -> list[SeasonExpr]:
    """Every season expression in a sentence, left to right, without overlaps."""
    found: list[SeasonExpr] = []
    for m in AFTER_COUNT_RE.finditer(text):
        n = 1 if m.group(1).lower() in ("a single", "a") else _to_int(m.group(1))
        if n:
            found.append(SeasonExpr(m.start(), m.end(), n, "after"))
    for m in ONE_AND_DONE_RE.finditer(text):
        found.append(SeasonExpr(m.start(), m.end(), 1, "after"))
    for m in FRESHMAN_RE.finditer(text):  # "the freshman comedy": one season made
        found.append(SeasonExpr(m.start(), m.end(), 1, "after"))
    for m in SHARED_ORDINAL_RE.finditer(text):
        n = _to_int(m.group(1))
        if n is not None:
            found.append(SeasonExpr(m.start(1), m.end(1), n, "ordinal"))
    for m in SEASON_ORDINAL_RE.finditer(text):
        n = _to_int(m.group(2))
        if n is None:
            continue
        kind = "after" if m.group(1) else "ordinal"
        found.append(SeasonExpr(m.start(), m.end(), n, kind, final=bool(m.group(3))))
    for rx in (SEASON_NUMBER_RE, SEASON_SHORT_RE):
        for m in rx.finditer(text):
            n = _to_int(m.group(1))
            if n is not None and 0 < n < 40:
                # "the Season 4 finale": a season that has been made, like "after four seasons"
                kind = "after" if re.match(r"\s+finale\b", text[m.end() :], re.I) else "number"
                found.append(SeasonExpr(m.start(), m.end(), n, kind))
    found.sort(key=lambda e: (e.start, -(e.end - e.start)))
    out: list[SeasonExpr] = []
    for e in found:
        if out and e.start < out[-1].end:
            continue
        out.append(e)
    return out


# ---------------------------------------------------------------------------------------------
# Triggers

RENEW, RETURN, CANCEL, END, LIMITED, PENDING, SAVE, NOCONTINUE = (
    "renew",
    "return",
    "cancel",
    "end",
    "limited",
    "pending",
    "save",
    "nocontinue",
)
_GREENLIGHT = {
    "greenlight",
    "greenlit",
    "green-lit",
    "greenlighted",
    "green-lighted",
    "greenlights",
}
_SERIES_NOUNS = {
    "series",
    "show",
    "drama",
    "comedy",
    "sitcom",
    "thriller",
    "adaptation",
    "spinoff",
    "spin-off",
    "anthology",
    "procedural",
    "saga",
    "program",
    "programme",
    "dramedy",
    "romance",
    "docuseries",
    "reboot",
    "prequel",
    "sequel",
    "original",
    "hit",
    "serial",
    "miniseries",
}
_PLURAL_SERIES = {
    "shows",
    "series",
    "dramas",
    "comedies",
    "titles",
    "originals",
    "sitcoms",
    "programs",
    "programmes",
    "hits",
    "favorites",
    "favourites",
    "projects",
}
_SEASON_HEADS = {
    "season",
    "seasons",
    "installment",
    "instalment",
    "installments",
    "instalments",
    "chapter",
    "run",
    "outing",
    "batch",
    "episodes",
}
_HEDGE_MODALS = {"could", "might", "may", "should", "can"}
_HEDGE_ADV = {
    "likely",
    "possibly",
    "potentially",
    "probably",
    "perhaps",
    "maybe",
    "hopefully",
    "presumably",
    "unlikely",
    "eventually",
}
_HEDGE_HEADS = {
    "hope",
    "expect",
    "wish",
    "speculate",
    "predict",
    "want",
    "wonder",
    "ask",
    "guess",
    "rumor",
    "rumour",
    "chance",
    "odd",
    "odds",
    "hopes",
    "prospect",
    "possibility",
    "likely",
    "possible",
    "unlikely",
    "plea",
    "campaign",
    "petition",
    "beg",
    "deserve",
    "love",
    "would",
    "fear",
    "imagine",
    "think",
    "assume",
    "potential",
    "bet",
    "prediction",
    "demand",
    "urge",
    "need",
    "plan",
    "consider",
    "deserved",
    "wait",
}
_OFFICIAL_CUES = re.compile(
    r"\b(officially|announced|announces|announcement|confirmed|confirms|statement|press release|"
    r"tweet|tweeted|posted|said in|revealed|unveiled|made official)\b",
    re.I,
)
_REPORTED_CUES = re.compile(
    r"\b(reportedly|reports?|reported|according to|sources?|has learned|rumou?rs?|"
    r"insiders?|per deadline|per variety|is said to)\b",
    re.I,
)
_REPORT_VERBS = frozenset(
    ["report", "say", "announce", "confirm", "reveal", "learn", "claim", "note", "state"]
)
_NOT_YET = re.compile(
    r"\b(yet|still|so far|at this time|at the moment|as of now|officially|any time soon)\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Trigger:
    token: int  # doc index
    kind: str
    strength: float


def _another_season(toks: list[Token]) -> bool:
    """ "a new season of X", "another season": a season without a number."""
    return any(
        t.lower_ == "season"
        and any(
            c.lower_ in ("new", "another", "next") and c.dep_ in ("amod", "det") for c in t.children
        )
        for t in toks
    )


def _green_lit(toks: list[Token], k: int) -> Token:
    """ "green-lit": the participle carries the clause ("the drama was green-lit for season two")."""
    if toks[k].lower_ != "green" or k + 2 >= len(toks) or toks[k + 1].text not in ("-", "‑"):
        return toks[k]
    nxt = toks[k + 2]
    return nxt if nxt.lower_ in ("lit", "lighted") and toks[k].head.i == nxt.i else toks[k]


def _has_child(tok: Token, words: set[str], deps: set[str] | None = None) -> bool:
    return any(c.lower_ in words and (deps is None or c.dep_ in deps) for c in tok.children)


def find_triggers(sent: Span, seasons: list[SeasonExpr]) -> list[Trigger]:
    """Status-bearing words of one sentence."""
    out: list[Trigger] = []
    has_season = bool(seasons)
    toks = list(sent)
    for k, t in enumerate(toks):
        kind = _trigger_kind(t, toks, k, has_season)
        if kind:
            out.append(Trigger(_green_lit(toks, k).i, kind[0], kind[1]))
    # "announced/confirmed season 2" counts as a renewal only when nothing else states it
    if not any(tr.kind in (RENEW, RETURN, CANCEL, END) for tr in out) and (
        has_season or _another_season(toks)
    ):
        found: list[Token] = []
        for t in toks:
            if t.lemma_.lower() in ("confirm", "announce", "greenlight", "order") or (
                t.lemma_.lower() in _GET_VERBS and t.pos_ in ("VERB", "AUX")
            ):
                if _season_in_args(t):
                    found.append(t)
            elif t.lower_ in ("way", "works") and t.head.lower_ in ("on", "in"):
                found.append(t)
        getters = [t for t in found if t.lemma_.lower() in _GET_VERBS]
        for t in found:
            # "word came that X would not be getting a third season": the getting
            # verb (and its negation) carries the claim, not the announcement around it
            if t not in getters and any(g.i != t.i and t.is_ancestor(g) for g in getters):
                continue
            out.append(Trigger(t.i, RENEW, 0.7))
    return out


_GET_VERBS = frozenset(["get", "receive", "land", "earn", "secure", "give"])


def _season_in_args(t: Token) -> bool:
    for c in t.children:
        if c.dep_ in ("dobj", "nsubjpass", "nsubj", "dative", "ccomp", "attr") and any(
            w.lower_ in _SEASON_HEADS or w.lower_ in ("order", "greenlight", "renewal")
            for w in c.subtree
        ):
            return True
    return False


def _trigger_kind(
    t: Token, toks: list[Token], k: int, has_season: bool
) -> tuple[str, float] | None:
    low = t.lower_
    lemma = t.lemma_.lower()
    nxt = toks[k + 1].lower_ if k + 1 < len(toks) else ""
    prev = toks[k - 1].lower_ if k > 0 else ""
    if low.startswith("renew") or lemma == "renew":
        if t.dep_ == "compound" and t.head.lower_ in ("prediction", "odds", "status", "chances"):
            return None
        return (RENEW, 1.0)
    if low in _GREENLIGHT or (low == "green" and nxt in ("light", "lit", "-", "lighted")):
        return (RENEW, 1.0)
    if lemma == "pick" and _has_child(t, {"up"}, {"prt"}):
        if any(w.lower_ == "new" for w in t.subtree) or _picks_up_story(t, has_season):
            return None
        return (RENEW, 0.9)
    if low in ("pickup", "pick-up") and not any(w.lower_ == "new" for w in t.head.subtree):
        return (RENEW, 0.8) if has_season else None
    if lemma == "order" and has_season and t.pos_ in ("VERB", "NOUN") and prev != "marching":
        return None if _new_series(t) else (RENEW, 0.9)
    if lemma == "return" and t.pos_ in ("VERB", "NOUN"):
        return (RETURN, 0.8)
    if (
        low == "back"
        and t.head.lemma_.lower() in ("be", "come", "bring")
        and prev not in ("weeks", "months", "years", "days", "way", "week", "month", "year")
    ):
        return (RETURN, 0.8)
    if lemma == "go" and _has_child(t, {"ahead"}) and has_season and _season_subject(t):
        return (RETURN, 0.8)  # "a sixth season is going ahead"
    if has_season and _existential_season(t):
        return (RETURN, 0.8)  # "there won't be a second instalment", "there will be a season 3"
    if lemma == "happen" and has_season and _season_subject(t):
        return (RETURN, 0.8)
    if lemma in ("cancel", "cancellation", "cancelation") or low.startswith(("cancel", "cancell")):
        return (CANCEL, 1.0)
    if lemma in ("axe", "ax") or low in ("axed", "axing", "axes"):
        return (CANCEL, 1.0)
    if low in ("canned", "canning") and t.pos_ == "VERB":
        return (CANCEL, 0.9)
    if lemma == "scrap" or lemma == "terminate" or lemma == "casualty":
        return (CANCEL, 0.9)
    if low == "plug" and prev in ("the",) and k >= 2 and toks[k - 2].lemma_.lower() == "pull":
        return (CANCEL, 1.0)
    if low == "orders" and prev == "marching":
        return (CANCEL, 0.9)
    if lemma in ("proceed", "continue") or (lemma == "move" and nxt == "forward"):
        return (NOCONTINUE, 0.8)
    if lemma in ("end", "conclude") and t.pos_ == "VERB" and not _plot_ending(t):
        return (END, 0.9)
    if lemma == "wrap" and _has_child(t, {"up"}):
        return (END, 0.8)
    if lemma == "finish" and any(c.lower_ in ("run", "runs") for c in t.children):
        return (END, 0.9)
    if (
        low in ("end", "close", "conclusion")
        and t.pos_ == "NOUN"
        and t.head.lower_ == "to"
        and t.head.head.lemma_.lower() in ("come", "draw", "bring")
    ):
        return (END, 0.9)
    if low in ("final", "last") and _final_season_word(t):
        return (END, 0.9)
    if low in ("farewell", "goodbye"):
        return (END, 0.7)
    if low in ("miniseries", "mini-series") or (
        low == "limited" and nxt in ("series", "run", "event", "-")
    ):
        return (LIMITED, 0.9)
    if _single_season_story(toks, k):
        return (LIMITED, 0.8)
    if low in ("tba", "tbd", "hiatus", "limbo"):
        return (PENDING, 0.9)
    if low in ("undecided", "uncertain") and (has_season or _FATE_WORDS.search(t.sent.text)):
        return (PENDING, 0.9)  # not "it is uncertain if every mystery will be unveiled"
    if low == "decision" and _has_child(t, {"no"}):
        return (PENDING, 0.9)
    if low == "doubt" and prev in ("into", "in"):
        return (PENDING, 0.9)
    if low in ("hold", "bubble", "risk") and prev in ("on", "at", "the") and k >= 1:
        return (PENDING, 0.8)
    if low == "determined" and prev == "be":
        return (PENDING, 0.9)
    if low in ("soon", "early") and prev == "too" and not _ended_too_soon(t):
        return (PENDING, 0.8)
    if lemma in ("save", "revive", "resurrect", "rescue") and t.pos_ == "VERB":
        return (SAVE, 0.8)
    return None


def _season_subject(t: Token) -> bool:
    """ "Season 3 is happening", "a second season will happen": a season is what happens (not
    "we know that it happened")."""
    return any(
        c.dep_ in ("nsubj", "nsubjpass") and any(w.lower_ in _SEASON_HEADS for w in c.subtree)
        for c in t.children
    )


_CONTROL_PATH = frozenset(["compound", "dobj", "pobj", "pcomp", "prep", "xcomp"])


def _controlling_subject(noun: Token) -> list[Token]:
    """The subject of the clause a trigger noun is the object of, through gerunds and
    infinitives: "X continues to find success by getting a renewal" → X."""
    h = noun
    received = False  # the first verb must be a getting: "pull the plug" has the network as subject
    for _ in range(6):
        if h.dep_ not in _CONTROL_PATH or h.head == h:
            return []
        h = h.head
        if h.pos_ in ("VERB", "AUX") and not received:
            if h.lemma_.lower() not in _GET_VERBS - {"give"}:
                return []
            received = True
        subj = [c for c in h.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subj:
            return subj if received else []
    return []


def _new_series(t: Token) -> bool:
    """ "a new animated X series was ordered", "new series orders": a new show, not a season."""
    args = [c for c in t.children if c.dep_ in ("nsubj", "nsubjpass", "dobj", "compound")]
    return any(w.lower_ == "new" for a in args for w in a.subtree)


def _existential_season(t: Token) -> bool:
    """A season that "there will (not) be": the season noun is the attribute of an existential."""
    if t.lower_ not in _SEASON_HEADS - {"episodes", "batch", "run"} or t.dep_ != "attr":
        return False
    return t.head.lemma_ == "be" and any(c.dep_ == "expl" for c in t.head.children)


def _picks_up_story(t: Token, has_season: bool) -> bool:
    """ "Picking up directly from Season 2's cliffhanger", "when they pick it up": a story or a
    book taken up again, not a series ordered."""
    if any(c.dep_ == "prep" and c.lower_ in ("from", "where") for c in t.children):
        return True
    if any(c.dep_ == "advmod" and c.lower_ == "where" for c in t.children):
        return True
    objs = [c for c in t.children if c.dep_ == "dobj"]
    return not has_season and any(o.pos_ == "PRON" for o in objs) and t.tag_ != "VBN"


_FATE_WORDS = re.compile(
    r"\b(renew\w*|return\w*|future|fate|cancel\w*|another season|next season|more seasons?)\b",
    re.I,
)
_STORY_NOUNS = frozenset(["arc", "story", "show", "series", "event", "tale", "drama"])


def _single_season_story(toks: list[Token], k: int) -> bool:
    """ "planned as a single-season story", "a one-season tale"."""
    if toks[k].lower_ not in ("single", "one") or k + 3 >= len(toks):
        return False
    return (
        toks[k + 1].text in ("-", "‑")
        and toks[k + 2].lower_ == "season"
        and toks[k + 3].lower_ in _STORY_NOUNS
    )


def _ended_too_soon(t: Token) -> bool:
    """ "series that were cancelled too soon", "gone too soon": a judgement on an ending, not
    a decision still to come."""
    return any(
        w.lemma_.lower() in ("cancel", "axe", "end", "go", "die", "pull", "scrap")
        or w.lower_.startswith(("cancel", "axed", "gone", "ended"))
        for w in [t.head, *t.doc[max(t.i - 4, t.sent.start) : t.i]]
    )


def _plot_ending(t: Token) -> bool:
    """ "Season two ended with Georgia being arrested", "the show ended up getting sold",
    "as the strike ended": an ending that is not the series'."""
    if _has_child(t, {"up"}, {"prt"}):
        return True
    objs = [c for c in t.children if c.dep_ == "dobj"]
    if any(o.lower_ in _SEASON_HEADS and not _has_child(o, {"final", "last"}) for o in objs):
        return True  # "a thriller that closed its first season on a cliffhanger": it aired
    subj = [c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")]
    if t.tag_ == "VBD" and any(
        s.lower_ in _SEASON_HEADS or s.lower_ in ("finale", "episode", "premiere", "strike")
        for s in subj
    ):
        return True
    if t.dep_ == "acl" and t.tag_ == "VBD" and t.head.lower_ in _SEASON_HEADS | {"finale"}:
        return True  # "The third season ended with Nick and Charlie coming to terms ..."
    return any(s.lower_ in ("strike", "deal", "contract", "finale", "episode") for s in subj)


def _final_season_word(t: Token) -> bool:
    """ "final season", "its fifth and final season", "will be its last", "the last one"."""
    h = t.head
    heads = _SEASON_HEADS - {"episodes", "batch"}
    if t.dep_ in ("amod", "conj") and (h.lower_ in heads or h.lower_ in ("one", "chapter")):
        return True
    if t.dep_ == "conj" and h.head.lower_ in heads:
        return True
    if t.dep_ in ("attr", "acomp", "amod") and h.lemma_ == "be":
        return True
    return bool(t.dep_ == "amod" and h.lower_ in ("installment", "instalment", "outing"))


# ---------------------------------------------------------------------------------------------
# Polarity, hedging, targets


def _clause_verb(t: Token) -> Token:
    h = t
    for _ in range(4):
        if h.pos_ in ("VERB", "AUX") and h.dep_ not in ("amod", "acl", "compound"):
            return h
        if h.head == h:
            return h
        h = h.head
    return t


_PREVENT = frozenset(["stop", "prevent", "keep", "save", "spare", "block"])


def _prevented_by(t: Token) -> Token | None:
    """The verb that keeps the trigger's event from happening: "stop it from getting the axe"."""
    v = _clause_verb(t)
    if v.dep_ == "pcomp" and v.head.lower_ == "from" and v.head.head.lemma_.lower() in _PREVENT:
        return v.head.head
    return None


def _negated(t: Token, titles: frozenset[int] = frozenset()) -> bool:
    """Negation in the trigger's clause; words of a title ("Never Have I Ever") do not count.
    Under "stop ... from" the polarity flips: "good ratings did not stop it from getting the axe" is
    a cancellation, "a campaign kept it from being cancelled" is not."""
    own = _negated_here(t, titles)
    stopper = _prevented_by(t)
    if stopper is None:
        return own
    return own == _negated_here(stopper, titles)


def _negated_here(t: Token, titles: frozenset[int]) -> bool:
    nodes = [t, _clause_verb(t)]
    v = nodes[1]
    if v.dep_ in ("xcomp", "ccomp") and v.head.lemma_.lower() in ("decide", "plan", "be", "go"):
        nodes.append(v.head)
    if v.dep_ == "xcomp" and v.head.lower_ in ("ready", "prepared", "willing", "able"):
        nodes.extend([v.head, v.head.head])  # "is not ready to say goodbye"
    if v.dep_ == "xcomp" and v.head.lemma_.lower() in ("decline", "refuse", "fail", "opt"):
        return True
    for n in nodes:
        for c in n.children:
            if c.i in titles:
                continue
            if c.lower_ == "not" and c.nbor(1).lower_ == "only" if c.i + 1 < len(c.doc) else False:
                continue  # "not only season 2, but also season 3"
            if c.dep_ == "neg" or c.lower_ in ("never", "not", "n't", "no"):
                if c.lower_ == "no" and c.dep_ == "det" and n.lower_ == "decision":
                    continue
                return True
            if c.lower_ in ("yet",) and any(a.lower_ == "to" for a in n.children):
                return True
        if n.dep_ == "xcomp" and n.head.lemma_.lower() == "have" and _has_child(n.head, {"yet"}):
            return True
    # "has yet to renew", "have yet to be renewed"
    if v.head.lemma_.lower() in ("have", "be") and _has_child(v.head, {"yet"}):
        return True
    # "no second season", "no renewal"
    for n in (t, t.head):
        if any(c.lower_ == "no" and c.dep_ == "det" for c in n.children) and t.lower_ != "decision":
            return True
    return False


def _hedged(t: Token, sent: Span, kind: str = "") -> bool:
    """Modality, conditions and hopes around a trigger. A "no decision yet" word is itself the
    statement that nothing is certain: only a modal or a condition on it hedges it ("TBA, likely
    to be renewed" is pending)."""
    v = _clause_verb(t)
    chain = [t, v]
    h = v
    for _ in range(3):
        if h.head == h or h.lemma_.lower() in _REPORT_VERBS:
            break  # "it is reported that Netflix has cancelled X": the report is the claim
        h = h.head
        chain.append(h)
    own_clause = _has_own_subject(v)
    for n, node in enumerate(chain[:3]):
        if n == 2 and own_clause:
            break  # "X was canceled — fans will probably be happy": the modal is another clause's
        for c in node.children:
            if c.dep_ == "aux" and c.lower_ in _HEDGE_MODALS:
                return True
            if kind == PENDING:
                if c.dep_ == "mark" and c.lower_ in ("if", "whether", "unless"):
                    return True
                continue
            if c.dep_ in ("advmod", "amod") and c.lower_ in _HEDGE_ADV:
                return True
            if c.dep_ == "amod" and c.lower_ in ("potential", "possible", "hypothetical"):
                return True
            if c.dep_ == "mark" and c.lower_ in ("if", "whether", "unless"):
                return True
    for node in chain[1:]:
        if node.lemma_.lower() in _HEDGE_HEADS and kind != PENDING:
            return True
    return bool(re.search(r"fingers crossed|here's hoping|let's hope", sent.text, re.I))


def _has_own_subject(v: Token) -> bool:
    """A finite clause with its own subject, hung on another clause as a statement of its own
    (not a complement of a hedging word: "I think X will be cancelled" keeps its hedge)."""
    if v.dep_ not in ("ccomp", "conj", "parataxis"):
        return False
    if v.head.lemma_.lower() in _HEDGE_HEADS:
        return False
    return any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in v.children)


def _is_question(sent: Span) -> bool:
    text = sent.text.strip().rstrip("\"'”’)")
    return text.endswith("?")


@dataclass(frozen=True, slots=True)
class Target:
    series: str
    token: int
    anaphor: bool = False
    direct: bool = True


def _mention_at(i: int, mentions: list[Mention]) -> Mention | None:
    for m in mentions:
        if m.start <= i < m.end:
            return m
    return None


def _expand(h: Token, mentions: list[Mention], seen: set[int]) -> list[Mention]:
    """The mention at ``h`` plus mentions coordinated or in apposition with it."""
    out: list[Mention] = []
    stack = [h]
    while stack:
        tok = stack.pop()
        if tok.i in seen:
            continue
        seen.add(tok.i)
        m = _mention_at(tok.i, mentions)
        if m is not None and m not in out:
            out.append(m)
        for c in tok.children:
            if c.dep_ in ("conj", "appos") or (m is not None and m.start <= c.i < m.end):
                stack.append(c)
            elif c.dep_ in ("npadvmod", "dep") and _quoted_list_item(c, mentions):
                stack.append(c)  # '"SEE", "Dickinson", and …' mis-parsed as a modifier
    return out


def _quoted_list_item(c: Token, mentions: list[Mention]) -> bool:
    m = _mention_at(c.i, mentions)
    return m is not None and m.quoted and c.doc[m.start - 1].text in ('"', "“", "‘", "'")


def _season_of(h: Token, mentions: list[Mention], seen: set[int]) -> list[Mention]:
    out: list[Mention] = []
    for c in h.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            for p in c.children:
                if p.dep_ == "pobj":
                    out.extend(x for x in _expand(p, mentions, seen) if x not in out)
    return out


def _list_members(h: Token, mentions: list[Mention]) -> list[Mention]:
    """Mentions listed under a generic noun: "shows including X, Y and Z", "comedies X and Y"."""
    out: list[Mention] = []
    seen: set[int] = set()
    for c in h.children:
        if c.dep_ in ("prep", "acl") and c.lower_ in ("including", "like", "as", "such", "from"):
            for p in c.children:
                if p.dep_ in ("pobj", "dobj", "prep", "amod"):
                    out.extend(x for x in _expand(p, mentions, seen) if x not in out)
                    for q in p.children:
                        if q.dep_ == "pobj":
                            out.extend(x for x in _expand(q, mentions, seen) if x not in out)
        elif c.dep_ in ("appos", "npadvmod", "dep", "compound", "nmod", "conj"):
            out.extend(x for x in _expand(c, mentions, seen) if x not in out)
    return out


def _heads_for(t: Token) -> list[Token]:
    """Argument heads that can name the series a trigger is about."""
    heads: list[Token] = []
    verbal = t.pos_ in ("VERB", "AUX") and t.dep_ not in ("amod", "compound")
    if verbal:
        objs = [c for c in t.children if c.dep_ in ("dobj", "nsubjpass", "dative")]
        subj = [c for c in t.children if c.dep_ in ("nsubj", "attr", "expl")]
        heads.extend(objs)
        if not objs or t.lemma_.lower() in ("return", "end", "conclude", "happen", "wrap"):
            heads.extend(subj)
        if not objs and not subj and t.dep_ in ("xcomp", "conj", "advcl", "ccomp", "acomp"):
            heads.extend(c for c in t.head.children if c.dep_ in ("nsubj", "nsubjpass", "dobj"))
        if t.dep_ in ("acl", "relcl") or (t.dep_ == "amod" and t.pos_ == "VERB"):
            heads.append(t.head)
        if t.lemma_.lower() in ("proceed", "continue", "move", "go"):
            for c in t.children:  # "not proceeding with further episodes of X"
                if c.dep_ == "prep" and c.lower_ == "with":
                    heads.extend(p for p in c.children if p.dep_ == "pobj")
        if t.dep_ == "pcomp" and t.head.lower_ == "from":  # "kept it from being cancelled"
            heads.extend(c for c in t.head.head.children if c.dep_ == "dobj")
        for c in t.children:
            if (
                c.dep_ == "prep"
                and c.lower_ in ("to", "for")
                and t.lemma_.lower()
                in (
                    "give",
                    "hand",
                )
            ):
                heads.extend(p for p in c.children if p.dep_ == "pobj")
        if t.lower_ == "back":  # "X will be back", "bringing the adaptation back"
            heads.extend(c for c in t.head.children if c.dep_ in ("nsubj", "dobj", "nsubjpass"))
    else:
        noun = t
        if t.lower_ in ("final", "last") and t.head.lower_ in _SEASON_HEADS:
            noun = t.head
        elif (
            t.lower_ in ("final", "last")
            and t.dep_ == "conj"
            and t.head.head.lower_ in _SEASON_HEADS
        ):
            noun = t.head.head  # "its fifth and final season"
        if t.lower_ in ("final", "last") and t.head.lower_ == "one":
            noun = t.head  # "season 5 will be its last one"
        if t.lower_ == "limited" and t.head.lower_ in ("series", "run", "event"):
            noun = t.head
        if t.lower_ in ("single", "one"):
            noun = next((w for w in t.doc[t.i + 1 : t.i + 4] if w.lower_ in _STORY_NOUNS), t)
        if t.lower_ == "back" and t.head.lemma_.lower() == "bring":
            heads.extend(c for c in t.head.children if c.dep_ == "dobj")  # "bringing X back"
        for c in noun.children:
            if c.dep_ in ("poss", "compound", "nmod"):
                heads.append(c)
            if c.dep_ == "prep" and c.lower_ in ("of", "for", "to", "on", "about"):
                heads.extend(p for p in c.children if p.dep_ == "pobj")
        if any(h.pos_ == "PROPN" for h in heads):
            return heads  # "The Abandons' cancellation", "the renewal of X": not the subject
        g = noun.head
        if noun.dep_ in ("pobj",) and g.dep_ == "prep":
            g = g.head
        if g.dep_ == "pcomp" and g.head.lower_ == "from":
            heads.extend(c for c in g.head.head.children if c.dep_ == "dobj")  # "stop it from"
        if noun.dep_ in ("dobj", "attr", "pobj", "npadvmod", "acomp", "oprd") or g != noun:
            heads.extend(
                c for c in g.children if c.dep_ in ("nsubj", "nsubjpass", "dative") and c != noun
            )
            for c in g.children:
                if c.dep_ == "prep" and c.lower_ in ("to", "for", "about") and c != noun.head:
                    heads.extend(p for p in c.children if p.dep_ == "pobj")
            if g.dep_ in ("acl", "relcl") and g.head != noun:
                heads.append(g.head)
        if noun.dep_ in ("nsubj", "nsubjpass") and noun.lower_ in _SEASON_HEADS:
            heads.append(noun)
        if noun.dep_ == "appos" or noun.dep_ == "dep":
            heads.append(noun.head)
        if t.dep_ == "amod" and t.tag_ in ("VBN", "VBD") and t.head.pos_ == "PROPN":
            heads.append(t.head)  # "the recently canceled X"
        if not heads:
            heads.extend(_controlling_subject(noun))
    for h in list(heads):
        if h.lower_ in ("future", "fate", "fates"):  # "the future of X remains uncertain"
            for c in h.children:
                if c.dep_ == "prep" and c.lower_ == "of":
                    heads.extend(p for p in c.children if p.dep_ == "pobj")
    return heads


def find_targets(t: Token, mentions: list[Mention], main: str | None, sent: Span) -> list[Target]:
    """The series a trigger speaks about, from its arguments; anaphora go to ``main``."""
    out: list[Target] = []
    seen: set[int] = set()

    def add(m: Mention, direct: bool = True) -> None:
        if _personish(m, sent) and norm_title(m.series) != norm_title(main or ""):
            return
        if all(x.series != m.series for x in out):
            out.append(Target(m.series, m.start, direct=direct))

    heads = _heads_for(t)
    relative = False
    for h in heads:
        rel = _relative_clause(h, t)
        relative = relative or rel is not None
        if rel is not None:
            # "X, Y and Z, which begins its final season": the clause is about the
            # name right before it (Z) only
            start = min(w.i for w in rel.subtree)
            before = [m for m in mentions if m.end <= start and h.left_edge.i <= m.start]
            ms = [max(before, key=lambda m: m.end)] if before else []
        else:
            ms = _expand(h, mentions, seen)
            if t.dep_ == "amod" and t.head == h and ms:
                # "the recently canceled X and Y, Z": the word modifies the name after it only
                ms = [m for m in mentions if m.start == t.i + 1] or ms[:1]
        generic = h.lower_ in _PLURAL_SERIES or h.lower_ in _SERIES_NOUNS
        if not ms and (generic or h.lower_ in _SEASON_HEADS):
            ms = _list_members(h, mentions)
        if not ms and (generic or h.lower_ in _SEASON_HEADS):
            ms = [
                m
                for m in mentions
                if any(m.start <= c.i < m.end for c in h.children if c.dep_ in ("compound", "nmod"))
            ]
        if not ms and h.lower_ in _SEASON_HEADS:
            ms = _season_of(h, mentions, seen)  # "a second season of X"
        if not ms and h.lower_ in _SEASON_HEADS and h.dep_ == "nsubj" and not _anaphoric(h):
            # "X's fifth run was meant to be its last; now a sixth season is going ahead": an unowned
            # season after the one series a sentence names is that series'
            ms = [m for m in _sole_series(mentions, sent) if m.end <= h.i]
        if not ms and generic and h.dep_ == "nsubj" and h.head.lemma_ == "be":
            # "the only comedy ABC has renewed is X"
            for c in h.head.children:
                if c.dep_ == "attr":
                    ms.extend(_expand(c, mentions, seen))
        if not ms and h.pos_ == "PROPN":
            ms = [
                m
                for m in mentions
                if any(w.i == m.start for w in h.subtree)
                and not any(
                    a.dep_ in ("relcl", "acl", "advcl", "prep", "poss")
                    for a in _path_up(m.start, h)
                )
            ][:3]
        for m in ms:
            add(m)
        if not ms and main and _anaphoric(h):
            out.append(Target(main, h.i, anaphor=True))
    if relative and any(not x.anaphor for x in out):
        out = [x for x in out if not x.anaphor]  # "Z, which begins its final season"
    if out:
        return out
    if any(_other_object(h) for h in heads):
        return []  # "renewed its content deal", "cancelled the event": not about a series
    revealed = _revealed_after_colon(mentions, sent)
    if revealed is not None:
        return [Target(revealed.series, revealed.start, direct=False)]
    if main and _existential_season(t) and not mentions:
        return [Target(main, t.i, anaphor=True)]  # "announce there wouldn't be a second season"
    group = _coordinated_group(mentions, sent)
    if len(group) >= 2 and _series_list(group, sent):
        return [Target(m.series, m.start, direct=False) for m in group]
    # fallback: the only series of a sentence, close to a strong trigger in the parse (not when
    # the trigger is about "these shows": a sentence's lone name is then not one of them)
    if (
        len(mentions) == 1
        and not any(h.lower_ in _PLURAL_SERIES for h in heads)
        and _tree_distance(_mention_root(mentions[0], sent), t) <= 3
        and (
            not _personish(mentions[0], sent)
            or norm_title(mentions[0].series) == norm_title(main or "")
        )
    ):
        return [Target(mentions[0].series, mentions[0].start, direct=False)]
    return []


def _sole_series(mentions: list[Mention], sent: Span) -> list[Mention]:
    """The one series a sentence names (people and companies aside), else nothing."""
    named = [m for m in mentions if not _personish(m, sent)]
    return named[:1] if len({norm_title(m.series) for m in named}) == 1 else []


def _revealed_after_colon(mentions: list[Mention], sent: Span) -> Mention | None:
    """ "... the spring's first cancellation: Copper Valley.": a name after a colon at the end of
    the sentence is what the sentence was leading up to."""
    words = [w for w in sent if not w.is_punct or w.text == ":"]
    if not words:
        return None
    last = words[-1].i
    for m in mentions:
        if m.end - 1 == last and m.start > sent.start and sent.doc[m.start - 1].text == ":":
            return m
    return None


def _relative_clause(h: Token, t: Token) -> Token | None:
    """The relative clause ("which is ...") hanging on ``h`` that holds the trigger."""
    for c in h.children:
        if (
            c.dep_ == "relcl"
            and (c == t or c.is_ancestor(t))
            and any(w.lower_ in ("which", "who", "that") for w in c.children)
        ):
            return c
    return None


def _mention_root(m: Mention, sent: Span) -> Token:
    """The word of a mention the rest of the sentence hangs on ("Things" of "Stranger Things")."""
    span = sent.doc[m.start : m.end]
    return next((w for w in span if not (m.start <= w.head.i < m.end) or w.head == w), span[0])


def _personish(m: Mention, sent: Span) -> bool:
    """An unknown, unquoted name the tagger reads as a person ("Rupert Vance", "Okafor")
    is a cast member, not the series a status is about."""
    if m.linked or m.quoted or not _PEOPLE_CUES.search(sent.text):
        return False
    return all(t.ent_type_ == "PERSON" for t in sent.doc[m.start : m.end])


_PEOPLE_CUES = re.compile(
    r"\b(star(s|red|ring|rer)?|portray(s|ed|ing)?|play(s|ed|ing)?|cast|actors?|actress(es)?|"
    r"creators?|showrunners?|said|says|told|head of|president|chief|role|character)\b",
    re.I,
)


def _other_object(h: Token) -> bool:
    return (
        h.dep_ in ("dobj", "nsubjpass")
        and h.pos_ == "NOUN"
        and h.lower_ not in _SERIES_NOUNS | _PLURAL_SERIES | _SEASON_HEADS | {"runs", "seasons"}
    )


_PEOPLE_LEADS = frozenset(
    ["stars", "cast", "actors", "actresses", "starring", "featuring", "creators", "producers"]
)


def _series_list(group: list[Mention], sent: Span) -> bool:
    """A list of names is a list of series unless it is a list of people."""
    doc = sent.doc
    lead = doc[max(group[0].start - 4, sent.start) : group[0].start]
    if any(w.lower_ in _PEOPLE_LEADS for w in lead):
        return False  # "several stars, including A, B and C"
    if any(w.lower_ in _SERIES_NOUNS | _PLURAL_SERIES | {"including", "like", ":"} for w in lead):
        return True
    people = sum(1 for m in group if all(t.ent_type_ == "PERSON" for t in doc[m.start : m.end]))
    return people * 2 < len(group)


# words that make the text between two names a clause or a relation, not a describing phrase
# (", created by X with Y", ", which stars X")
_NOT_IN_A_LIST_GAP = frozenset(
    [
        "by",
        "with",
        "who",
        "whom",
        "which",
        "that",
        "from",
        "of",
        "in",
        "on",
        "for",
        "at",
        "to",
        "into",
        "starring",
        "stars",
        "star",
        "is",
        "was",
        "are",
        "were",
        "has",
        "have",
        "had",
        "said",
        "says",
    ]
)


def _coordinated_group(mentions: list[Mention], sent: Span) -> list[Mention]:
    """The largest list of series joined by commas/"and" in a sentence ("including X, Y and
    Z", "comedies X, Y, and Z")."""
    if len(mentions) < 2:
        return []
    doc = sent.doc
    groups: list[list[Mention]] = [[mentions[0]]]
    for prev, m in itertools.pairwise(mentions):
        gap = doc[prev.end : m.start].text.strip().lower()
        if gap in (",", "and", ", and", "&", "or", ", or", "as well as", ", as well as") or (
            # ", the adaptation X", "and the animated reboot Y": a describing word or three
            re.fullmatch(r",?\s*(?:and\s+|as well as\s+)?(?:[\w'’-]+\s*){0,3}", gap)
            and re.match(r",|and\b|as well as\b", gap)
            and not any(
                w.lower_ in _NOT_IN_A_LIST_GAP or w.tag_ in ("VBD", "VBZ", "VBP", "MD")
                for w in doc[prev.end : m.start]
            )
        ):
            groups[-1].append(m)
        else:
            groups.append([m])
    best = max(groups, key=len)
    return best if len(best) >= 2 else []


def _tree_distance(a: Token, b: Token) -> int:
    up_a = [a, *a.ancestors]
    up_b = [b, *b.ancestors]
    ids_b = {x.i: k for k, x in enumerate(up_b)}
    for k, x in enumerate(up_a):
        if x.i in ids_b:
            return k + ids_b[x.i]
    return 99


def _path_up(i: int, top: Token) -> list[Token]:
    tok = top.doc[i]
    path = []
    for _ in range(12):
        if tok == top or tok.head == tok:
            break
        path.append(tok)
        tok = tok.head
    return path


def _anaphoric(h: Token) -> bool:
    if h.lower_ in ("it", "its"):
        return True
    if h.lower_ == "this" and (
        (h.dep_ == "nsubj" and h.head.lemma_ == "be") or h.dep_ == "nsubjpass"
    ):
        return True  # "This was always a limited series.", "this was planned as one season"
    if h.lower_ in _SERIES_NOUNS or h.lower_ in _SEASON_HEADS:
        return any(
            c.lower_ in ("the", "this", "its", "their", "our", "his", "her")
            for c in h.children
            if c.dep_ in ("det", "poss")
        )
    return False


def _sentence_has_anaphor(sent: Span) -> bool:
    return bool(
        re.search(
            r"\b(the|this|its|their) (\w+[ -])?(series|show|drama|comedy|sitcom|thriller|"
            r"adaptation|spinoff|spin-off|anthology|season)\b|\b(it|its)\b",
            sent.text,
            re.I,
        )
    )


# ---------------------------------------------------------------------------------------------
# Status, season, sentence → claims


def _status_for(kind: str, negated: bool, sent: Span, t: Token) -> str | None:
    if kind == RENEW:
        if not negated:
            return "renewed"
        if _future(t):
            return "cancelled"
        return "pending" if _NOT_YET.search(sent.text) or _perfect(t) else "cancelled"
    if kind == RETURN:
        return "cancelled" if negated else "renewed"
    if kind == SAVE:
        return None if negated else "renewed"
    if kind == CANCEL:
        return "pending" if negated else "cancelled"
    if kind == NOCONTINUE:
        return "cancelled" if negated else None
    if kind == END:
        return None if negated else "ended"
    if kind == LIMITED:
        return None if negated else "limited"
    if kind == PENDING:
        return None if negated and t.lower_ not in ("decision",) else "pending"
    return None


def _future(t: Token) -> bool:
    v = _clause_verb(t)
    nodes = [v, v.head] if v.dep_ in ("xcomp", "ccomp") else [v]
    return any(
        c.lower_ in ("will", "wo", "'ll", "would", "shall") for n in nodes for c in n.children
    )


def _perfect(t: Token) -> bool:
    v = _clause_verb(t)
    return any(c.lower_ in ("has", "have", "hasn't", "haven't") for c in v.children) and not any(
        c.lower_ in ("will", "wo", "would") for c in v.children
    )


_SEASON_JOIN = re.compile(
    r"[\s,—–-]*(?:and|&|as well as|plus|through|to|but also|and also)?[\s,]*(?:a|an|the)?\s*",
    re.I,
)


def _joins_seasons(gap: str) -> bool:
    """ "season 2 and 3", "season 2, but also season 3": one claim for each season."""
    return bool(_SEASON_JOIN.fullmatch(gap)) or bool(
        re.fullmatch(r",?\s*but\s+(?:also\s+)?(?:for\s+)?(?:a|an)?\s*", gap, re.I)
    )


def pick_seasons(
    status: str, seasons: list[SeasonExpr], trig_char: int, text: str = ""
) -> tuple[list[int | None], bool]:
    """Season numbers a claim is about, and whether the text calls that season the last."""
    final_flag = any(e.final for e in seasons)
    afters = [e for e in seasons if e.kind == "after"]
    named = [e for e in seasons if e.kind != "after"]
    if status == "cancelled" and afters:
        return [afters[0].number + 1], False
    if status == "ended" and afters and not named:
        return [afters[0].number], True
    if status == "limited":
        return ([named[0].number] if named else [afters[0].number + 1] if afters else [None]), False
    if not named:
        if status == "renewed" and afters:  # "renewed days after its second season premiered"
            return [afters[0].number + 1], final_flag
        return [None], final_flag
    later = [e for e in named if e.end > trig_char]
    if later:
        first = min(later, key=lambda e: e.start)
        picked = [first]
        if status == "renewed":
            for e in later:
                if e.start > picked[-1].end and _joins_seasons(text[picked[-1].end : e.start]):
                    picked.append(e)
        return [e.number for e in picked], final_flag
    before = max(named, key=lambda e: e.end)
    return [before.number], final_flag


_FINAL_CUE = re.compile(
    r"\b(final|last)\s+(season|series|installment|instalment|chapter|run|outing)\b|"
    r"\b(will be|is|as) (its|the show's|the series'|their|our) (last|final)\b|"
    r"\bbe the (last|final)\b|\bmarking the (end|conclusion)\b",
    re.I,
)


def sentence_claims(
    sent: Span,
    mentions: list[Mention],
    main: str | None,
    offset: int,
    default_platform: str | None = None,
) -> list[Claim]:
    """All status claims one sentence makes. ``offset`` maps doc chars to article chars."""
    if _is_question(sent):
        return []
    mentions = [m for m in mentions if not _excluded(m, sent)]
    titles = frozenset(i for m in mentions for i in range(m.start, m.end))
    text = sent.text
    seasons = season_expressions(text)
    triggers = find_triggers(sent, seasons)
    if not triggers:
        return []
    platforms = find_platforms(text)
    claims: list[Claim] = []
    renew_final = any(tr.kind in (RENEW, RETURN) for tr in triggers) and bool(
        _FINAL_CUE.search(text)
    )
    for tr in triggers:
        t = sent.doc[tr.token]
        if tr.kind == END and renew_final:
            continue  # "renewed for a fourth and final season": one renewed claim, final
        negated = _negated(t, titles)
        status = _status_for(tr.kind, negated, sent, t)
        if status == "renewed" and tr.kind == RETURN and renew_final and _airing_now(t):
            status = "ended"  # "X returns for its third and final season": the last one airs
        if status is None:
            continue
        targets = find_targets(t, mentions, main, sent)
        if not targets:
            continue
        if tr.kind in (RETURN, SAVE) and not _return_ok(t, seasons, targets):
            continue
        hedged = _hedged(t, sent, tr.kind)
        trig_char = t.idx - sent.start_char
        nums, final = pick_seasons(status, seasons, trig_char, text)
        if status == "renewed":
            final = final or bool(_FINAL_CUE.search(text))
        elif status == "ended":
            final = True
        else:
            final = False
        platform = _nearest_platform(platforms, trig_char) or default_platform
        official = _official(text)
        for target in targets:
            conf = tr.strength * (0.95 if target.direct else 0.75)
            if target.anaphor:
                conf *= 0.85
            if hedged:
                conf *= 0.4
            if negated and status == "pending":
                conf *= 0.9
            for n in nums:
                claims.append(
                    Claim(
                        series=target.series,
                        status=status,
                        season=n,
                        evidence=text.strip(),
                        start=offset + sent.start_char,
                        end=offset + sent.end_char,
                        platform=platform,
                        final=final,
                        confidence=min(conf, 1.0),
                        hedged=hedged,
                        official=official,
                        trigger=t.lemma_.lower(),
                        via="anaphor"
                        if target.anaphor
                        else ("direct" if target.direct else "indirect"),
                        done=status == "ended" and _completed(t),
                    )
                )
    return claims


def _completed(t: Token) -> bool:
    """The clause is in the past or the perfect: "ended", "has come to an end"."""
    if t.lower_ in ("final", "last", "farewell", "goodbye"):
        return False  # "final season" names a season; it does not say the season has aired
    v = _clause_verb(t)
    if v.tag_ == "VBD":
        return True
    aux = [c for c in v.children if c.dep_ == "aux"]
    return (
        v.tag_ == "VBN"
        and any(c.lower_ in ("has", "have", "had") for c in aux)
        and not any(c.lower_ == "to" for c in aux)
    )


def _airing_now(t: Token) -> bool:
    """A return in the simple present ("returns", "is returning" without a future or an
    announcement around it): the season is airing, not being ordered."""
    v = t.head if t.lower_ == "back" else t
    if v.lemma_.lower() == "go":
        return False  # "a sixth season is going ahead": a decision, not an airing
    if v.tag_ not in ("VBZ", "VBP") and not (
        v.tag_ == "VBG" and any(c.lower_ in ("is", "are") for c in v.children)
    ):
        return False
    if any(c.lower_ in ("will", "'ll", "wo", "would", "to") for c in v.children):
        return False
    return not any(a.lemma_.lower() in _REPORT_VERBS | {"renew"} for a in v.ancestors)


_EXCLUDING = frozenset(["aside", "apart", "except", "besides", "excluding", "unlike"])


def _excluded(m: Mention, sent: Span) -> bool:
    """ "Aside from X, these shows are all ending": X is set apart from what the sentence says."""
    tok = sent.doc[m.start]
    for a in itertools.islice(tok.ancestors, 4):
        if a.lower_ in _EXCLUDING:
            return True
        if a.lower_ == "than" and a.head.lower_ == "other":
            return True
        if a.dep_ in ("ROOT", "relcl", "ccomp"):
            break
    return False


def _return_ok(t: Token, seasons: list[SeasonExpr], targets: list[Target]) -> bool:
    """ "Return" speaks about the series (not an actor) when a season or the series is its subject."""
    if _season_in_clause(t, seasons):
        return True
    subj = [c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")]
    if any(s.ent_type_ == "PERSON" for s in subj):
        return False
    if any(c.dep_ == "prep" and c.lower_ in ("to", "as") for c in t.children):
        return False
    if t.dep_ == "relcl" and t.head.ent_type_ == "PERSON":
        return False
    v = t.head if t.lower_ == "back" else t
    if v.dep_ in ("relcl", "acl") and v.head.lower_ in _SERIES_NOUNS | _PLURAL_SERIES:
        return True  # "the series that won't return are X, Y and Z"
    return any(tg.direct and not tg.anaphor for tg in targets) or any(
        s.lower_ in _SERIES_NOUNS or s.lower_ in _PLURAL_SERIES for s in subj
    )


def _season_in_clause(t: Token, seasons: list[SeasonExpr]) -> bool:
    """A season named inside the return's own clause ("X returns for season 2", "season 2 will
    be back"), not elsewhere in the sentence ("The first season starred M as a woman ... only to
    return with her eyesight")."""
    if not seasons:
        return False
    root = t.head if t.lower_ == "back" else t
    if root.pos_ == "NOUN":
        root = root.head
    base = t.sent.start_char
    lo = root.left_edge.idx - base
    hi = root.right_edge.idx + len(root.right_edge) - base
    return any(lo <= e.start and e.end <= hi for e in seasons)


def _nearest_platform(platforms: list[tuple[str, int, int]], at: int) -> str | None:
    if not platforms:
        return None
    return min(platforms, key=lambda p: abs(p[1] - at))[0]


def _official(text: str) -> bool | None:
    if _REPORTED_CUES.search(text):
        return False
    if _OFFICIAL_CUES.search(text):
        return True
    return None


def status_of_phrase(
    sent: Span, seasons: list[SeasonExpr] | None = None
) -> tuple[str, int | None] | None:
    """The status a heading or list lead-in states about its items ("Recent Cancellations",
    "those shows that won't be getting a renewal"), ignoring targets. Hedged phrases give None."""
    if _is_question(sent):
        return None
    seasons = season_expressions(sent.text) if seasons is None else seasons
    for tr in find_triggers(sent, seasons):
        t = sent.doc[tr.token]
        if _hedged(t, sent, tr.kind):
            continue
        status = _status_for(tr.kind, _negated(t), sent, t)
        if status:
            nums, _ = pick_seasons(status, seasons, t.idx - sent.start_char)
            return status, nums[0]
    return None
