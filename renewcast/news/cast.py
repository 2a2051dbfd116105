"""Actor ↔ character pairs stated in news text.

spaCy's small model mislabels names (it tags actors as GPE or ORG), so the pairs come from
patterns over capitalised-token spans, not from entity labels:

* actor first — "X stars as Y", "X plays Y", "X, who portrays Y", "lead actor X to return as Y",
  "actor X back as Y", "X reprises her role as Y", bare "X as Y" when the sentence talks about cast;
* character first — "Y, played by X", "Y (played by X)", "Y is portrayed by X";
* coordinated lists pair in order — "Y1 and Y2, played by X1 and X2";
* brackets — "Y (X)" or "X (Y)", decided by which side can be an actor: actors are named in full
  (two or more tokens), so "Jeff (Murphy)" is no pair, "Eleven (Millie Bobby Brown)" is one.

Descriptors before a character ("stars as competitive lawyer Dan Fallon") are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from renewcast.news.lexicon import NOT_NAME_COMMON

if TYPE_CHECKING:
    from spacy.tokens import Doc

UP = "A-ZÀ-ÖØ-ÞĀ-Ž"
_TOKEN = (
    rf"(?:(?:[{UP}]\.){{1,3}}(?![^\W\d_])"  # initials: D.B., J.
    rf"|(?:Jr|Sr|Dr|Mr|Mrs|Ms|St)\.|[{UP}](?:[^\W\d_]|-)*(?:['’](?!s\b)[^\W\d_]+)?(?:-[{UP}][^\W\d_]+)?)"
)
_PARTICLE = r"(?:de|van|von|der|den|da|del|della|di|du|la|le|bo|bin|al|ter|dos|das)"
SP = r"[ \t\u00a0]+"
NAME = rf"{_TOKEN}(?:{SP}(?:{_PARTICLE}{SP})?{_TOKEN}){{0,4}}"
NAME_LIST = rf"{NAME}(?:,{SP}{NAME})*(?:,?{SP}and{SP}{NAME})?"
# lower-case words that may sit between "as" and the character: "as competitive lawyer Dan Fallon"
_STOP_DESC = r"(?!(?:in|on|at|for|with|of|to|from|and|or|by|but|who|which|that|well|such|if)\b)"
DESCRIPTORS = rf"(?:(?:the|a|an|his|her|their)?{SP})?(?:{_STOP_DESC}[a-z][\w-]*{SP}){{0,3}}"

AUX = r"(?:(?:will|would|could|should|may|might|is set to|set to|is expected to|expected to|to)[ \t]+)?"
ACTOR_VERB_AS = (
    AUX + r"(?:stars?|starred|starring|plays?|played|playing|portrays?|portrayed|voices?|voiced"
    r"|(?:is|are|will be|would be|to be|was|were)?(?:[ \t]+(?:also|now))?[ \t]*back"
    r"|returns?|returning|(?:will|to|would|could|should|set to|expected to)[ \t]+return"
    r"|reprises?[ \t]+(?:(?:his|her|their|the)[ \t]+)?role|reprising[ \t]+(?:(?:his|her|their|the)[ \t]+)?role"
    r"|(?:is|was|has been|have been|been|were|are)[ \t]+cast|joins?[ \t]+(?:the[ \t]+cast[ \t]+)?)"
)
ACTOR_VERB_DIRECT = (
    r"(?:plays|played|playing|portrays|portrayed|portraying|voices|voiced|will play|to play)"
)
CHAR_VERB_BY = r"(?:played|portrayed|voiced|performed)[ \t]+by"

CAST_CUES = re.compile(
    r"\b(?:star(?:s|red|ring)?|cast|actor|actress|actors|play(?:s|ed|ing)?|role|character|"
    r"return(?:s|ing)?|reprise|portray|perform(?:s|ed|ing)?|join(?:s|ed)?|lead|co-star|back)\b",
    re.I,
)
NOT_NAME_WORDS = NOT_NAME_COMMON | frozenset(
    [
        "amazon",
        "apple",
        "chapter",
        "courtesy",
        "credit",
        "disney",
        "friday",
        "getty",
        "hbo",
        "hulu",
        "image",
        "max",
        "monday",
        "more",
        "netflix",
        "paramount",
        "part",
        "peacock",
        "photo",
        "prime",
        "read",
        "related",
        "saturday",
        "showtime",
        "spoiler",
        "spoilers",
        "starz",
        "sunday",
        "thursday",
        "tuesday",
        "tv",
        "update",
        "updated",
        "video",
        "volume",
        "wednesday",
    ]
)
ROLE_WORDS = frozenset(
    [
        "actor",
        "actress",
        "star",
        "stars",
        "co-star",
        "lead",
        "leads",
        "newcomer",
        "veteran",
        "singer",
        "rapper",
        "comedian",
        "model",
        "alum",
        "cast",
        "member",
        "members",
        "showrunner",
        "creator",
        "writer",
        "director",
        "producer",
    ]
)


@dataclass(frozen=True, slots=True)
class CastPair:
    actor: str
    character: str
    evidence: str  # the sentence that states the pair
    start: int  # character offsets of the matched phrase in the document text
    end: int

    def to_json(self) -> dict[str, object]:
        return {
            "actor": self.actor,
            "character": self.character,
            "evidence": self.evidence,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True, slots=True)
class _Hit:
    actors: list[str]
    characters: list[str]
    start: int
    end: int
    needs_cue: bool = False  # only when the sentence talks about cast
    char_at_end: bool = False  # the character ends the match: check what follows it


# --------------------------------------------------------------------------- names


def _bad(token: str) -> bool:
    t = token.lower().strip(".")
    return t in NOT_NAME_WORDS or t in ROLE_WORDS


def clean_name(span: str, keep: str = "suffix") -> str | None:
    """The name inside a capitalised span: the longest run of name-like tokens at its end
    (``keep="suffix"``, for a span that ends at the pattern, "Plus Lead Actor Arden Cho") or at
    its start (``keep="prefix"``, for a span that starts at it); ``None`` if there is none."""
    tokens = span.split()
    run: list[str] = []
    for tok in reversed(tokens) if keep == "suffix" else tokens:
        if _bad(tok):
            break
        run.append(tok)
    if keep == "suffix":
        run.reverse()
    return " ".join(run) or None


CHARACTER_TITLES = frozenset(
    [
        "coach",
        "young",
        "old",
        "little",
        "big",
        "uncle",
        "aunt",
        "auntie",
        "grandma",
        "grandpa",
        "father",
        "mother",
        "mother",
        "sister",
        "brother",
        "captain",
        "capt",
        "detective",
        "det",
        "agent",
        "officer",
        "sheriff",
        "deputy",
        "sergeant",
        "sgt",
        "lieutenant",
        "lt",
        "colonel",
        "general",
        "commander",
        "admiral",
        "major",
        "private",
        "doctor",
        "dr",
        "professor",
        "prof",
        "judge",
        "president",
        "vice",
        "ambassador",
        "secretary",
        "senator",
        "governor",
        "mayor",
        "chief",
        "king",
        "queen",
        "prince",
        "princess",
        "lord",
        "lady",
        "sir",
        "dame",
        "duke",
        "duchess",
        "count",
        "countess",
        "baron",
        "emperor",
        "empress",
        "fire",
        "saint",
        "st",
        "mr",
        "mrs",
        "ms",
        "miss",
    ]
)


def is_actor_name(name: str) -> bool:
    """Actors are credited by full name: at least two tokens, at least one not an initial, and
    not headed by a title that marks a character ("Coach Beard", "Princess Yue")."""
    tokens = name.split()
    return (
        len(tokens) >= 2
        and any(len(t.strip(".")) > 1 for t in tokens)
        and tokens[0].lower().strip(".") not in CHARACTER_TITLES
    )


def split_list(span: str) -> list[str]:
    parts = re.split(rf",?{SP}and{SP}|,{SP}", span)
    return [p.strip() for p in parts if p.strip()]


# --------------------------------------------------------------------------- patterns


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


ACTOR_FIRST = [
    _rx(
        rf"(?P<a>{NAME}),?{SP}(?:who{SP}|(?:also|now){SP})?{ACTOR_VERB_AS}{SP}as{SP}{DESCRIPTORS}(?P<c>{NAME})"
    ),
    _rx(rf"(?P<a>{NAME}),?{SP}(?:who{SP})?{ACTOR_VERB_DIRECT}{SP}{DESCRIPTORS}(?P<c>{NAME})"),
]
BARE_AS = _rx(rf"(?P<a>{NAME}){SP}as{SP}{DESCRIPTORS}(?P<c>{NAME})")
LIST_ACTOR_FIRST = _rx(
    rf"(?P<a>{NAME_LIST}){SP}(?:star|play|return|appear){SP}as{SP}(?P<c>{NAME_LIST})"
)
CHAR_FIRST = _rx(
    rf"(?P<c>{NAME_LIST}),?{SP}\(?(?:(?:who|which){SP}(?:is|are|was|were){SP}|(?:is|are|was|were){SP})?"
    rf"(?:also{SP})?{CHAR_VERB_BY}{SP}(?:(?:actor|actress|actors|newcomer|star){SP})?(?P<a>{NAME_LIST})"
)
BRACKET = _rx(rf"(?P<x>{NAME})(?:{SP})?\((?:{SP})?(?P<y>{NAME})(?:{SP})?\)")


def _pair_lists(a_span: str, c_span: str) -> tuple[list[str], list[str]] | None:
    actors, chars = split_list(a_span), split_list(c_span)
    if len(actors) != len(chars):
        return None
    return actors, chars


def _hits(text: str) -> Iterator[_Hit]:
    for rx in ACTOR_FIRST:
        for m in rx.finditer(text):
            yield _Hit([m["a"]], [m["c"]], m.start(), m.end(), char_at_end=True)
    for m in LIST_ACTOR_FIRST.finditer(text):
        lists = _pair_lists(m["a"], m["c"])
        if (lists and "respectively" in text[m.end() : m.end() + 20]) or (
            lists and len(lists[0]) == 1
        ):
            yield _Hit(lists[0], lists[1], m.start(), m.end())
    for m in CHAR_FIRST.finditer(text):
        lists = _pair_lists(m["a"], m["c"])
        if lists:
            yield _Hit(lists[0], lists[1], m.start(), m.end())
        else:  # "X, Y and Z, played by A": only the last character is certain
            actors = split_list(m["a"])
            if len(actors) == 1:
                yield _Hit(actors, split_list(m["c"])[-1:], m.start(), m.end())
    for m in BARE_AS.finditer(text):
        if not re.search(r"\b(?:such|well|same|known|so)\s*$", text[: m.start("a")]):
            yield _Hit([m["a"]], [m["c"]], m.start(), m.end(), needs_cue=True, char_at_end=True)
    yield from _bracket_hits(text)


def _bracket_hits(text: str) -> Iterator[_Hit]:
    """Brackets in one paragraph share an orientation: "Actor (Character)" lists and
    "Character (Actor)" lists. Pairs where one side is a single token (not a full name) decide
    it; otherwise the usual press convention, "Character (Actor)", holds."""
    found: list[tuple[re.Match[str], str, str]] = []
    for m in BRACKET.finditer(text):
        x, y = clean_name(m["x"]), clean_name(m["y"], "prefix")
        if x and y and y == " ".join(m["y"].split()) and not set(x.split()) & set(y.split()):
            found.append((m, x, y))
    votes = [_bracket_vote(x, y) for _, x, y in found]
    n_out, n_in = votes.count("outside"), votes.count("inside")
    majority = "outside" if n_out > n_in else "inside"
    for (m, x, y), vote in zip(found, votes, strict=True):
        if vote == "neither" or (vote != "either" and vote != majority and n_out and n_in):
            continue  # a pair that disagrees with the rest of its list is left out
        actor, character = (
            (x, y) if (majority if vote == "either" else vote) == "outside" else (y, x)
        )
        yield _Hit([actor], [character], m.start(), m.end(), needs_cue=True)


def _bracket_vote(x: str, y: str) -> str:
    """Which side of "x (y)" can be the actor: "outside", "inside", "either" or "neither"."""
    ax, ay = is_actor_name(x), is_actor_name(y)
    if ax and ay:
        return "either"
    if ax:
        return "outside"
    return "inside" if ay else "neither"


# --------------------------------------------------------------------------- document


def _sentences(doc: Doc) -> list[tuple[int, int]]:
    return [(s.start_char, s.end_char) for s in doc.sents]


def _evidence(text: str, sents: list[tuple[int, int]], start: int, end: int) -> str:
    first = next((s for s, e in sents if s <= start < e), start)
    last = next((e for s, e in sents if s < end <= e), end)
    return " ".join(text[first:last].split())


def find_cast(doc: Doc, text: str | None = None) -> list[CastPair]:
    """Actor ↔ character pairs, deduplicated (first statement kept), in text order.
    ``text``: ``doc.text`` when the caller has it (spaCy joins it anew on every read)."""
    text = doc.text if text is None else text
    sents = _sentences(doc)
    pairs: dict[tuple[str, str], CastPair] = {}
    offset = 0
    for para in text.split("\n"):  # patterns may span spaCy's sentence breaks, never a line
        for hit in _hits(para):
            if not (hit.char_at_end and _modifier(doc, text, offset + hit.end)):
                _add(pairs, hit, text, sents, offset)
        offset += len(para) + 1
    return sorted(pairs.values(), key=lambda p: p.start)


def _add(
    pairs: dict[tuple[str, str], CastPair],
    hit: _Hit,
    text: str,
    sents: list[tuple[int, int]],
    base: int,
) -> None:
    start, end = base + hit.start, base + hit.end
    evidence = _evidence(text, sents, start, end)
    if hit.needs_cue and not CAST_CUES.search(evidence):
        return
    last = len(hit.actors) - 1
    for i, (raw_actor, raw_char) in enumerate(zip(hit.actors, hit.characters, strict=True)):
        # the first actor and the last character of a list may carry words from outside it
        actor = clean_name(raw_actor) if i == 0 else _whole(raw_actor)
        character = clean_name(raw_char, "prefix") if i == last else _whole(raw_char)
        if not actor or not character or not is_actor_name(actor):
            continue
        if set(actor.split()) & set(character.split()) or _acronym(character):
            continue
        pairs.setdefault((actor, character), CastPair(actor, character, evidence, start, end))


def _modifier(doc: Doc, text: str, end: int) -> bool:
    """True when the capitalised words just before ``end`` modify a following common noun
    ("as notorious Colombian drug lord", "as a DEA agent"): they are not a character's name.
    ``text`` is ``doc.text`` (which spaCy joins anew on every read)."""
    m = re.match(r"[ \t]+([a-z][\w-]*)", text[end : end + 40])
    if not m:
        return False
    span = doc.char_span(end + m.start(1), end + m.end(1))
    return span is not None and span[0].pos_ == "NOUN"


def _acronym(name: str) -> bool:
    """ "KGB", "DEA": an organisation, not a character."""
    return " " not in name and len(name) >= 3 and name.isupper()


def _whole(span: str) -> str | None:
    """A list item inside a coordinated list must be a clean name as a whole."""
    name = " ".join(span.split())
    return name if name and not any(_bad(t) for t in name.split()) else None
