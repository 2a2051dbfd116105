"""Direct quotes and who said them, in what role, to which outlet.

Quotes are found by their marks (“curly” or "straight", never across a line); a quote split by a
short speech clause (“A,” she said. “B.”) becomes one :class:`Quote`. The speaker comes from the
clause before the quote ("showrunner Georgia Lee revealed, “…”", "She told EW, “…”") or after it
("“…,” Lee told EW", "“…,” said creator Jo Park"). Pronouns resolve to the last named person the
text put forward (a quote's speaker or a person introduced with a role). Surnames resolve to the
full name used elsewhere in the document.

Roles come from the words before the name ("showrunner Georgia Lee", "Netflix's head of drama
Lena Park"), an apposition after it (", the show's creator,", ", who plays Ellen,"), or an
earlier mention of the same person. The role vocabulary is the one table :data:`ROLE_TABLE`.
spaCy's small model merges role words into PERSON spans ("Showrunner Georgia Lee"), so names are
taken from capitalised-token spans and role words are stripped from their front.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from renewcast.news.lexicon import NOT_NAME_COMMON

if TYPE_CHECKING:
    from spacy.tokens import Doc

MIN_QUOTE_WORDS = 4  # shorter quoted strings are titles or scare quotes

# (pattern, canonical role); the first pattern that matches a phrase, in text order, wins
ROLE_TABLE: list[tuple[str, str]] = [
    (
        r"(?:(?:head|chief|president|vice[- ]president|vp|svp|evp|chair(?:man|woman)?|ceo|coo|cco"
        r"|director|boss|executive)\b[\w ,&/()-]{0,40}?\bof\b|(?:chief|head)\b \w+ officer"
        r"|\b(?:network|streamer|studio|programming|content|originals|television|tv)\b[\w ]{0,25}"
        r"\b(?:head|chief|president|ceo|boss|executive|chair(?:man|woman)?|vp)\b"
        r"|(?:'s|’s|\b[A-Z][\w+]*)\s+(?:head|chief|president|ceo|boss|chair(?:man|woman)?|vp)\b)",
        "network executive",
    ),
    (r"\bco-?show-?runners?\b|\bshow-?runners?\b|\bshow runners?\b", "showrunner"),
    (r"\bco-?creators?\b|\bco-?created\b", "co-creator"),
    (r"\bcreators?\b|\bcreated\b|\bmakers?\b", "creator"),
    (r"\bexecutive producers?\b|\bexec(?:utive)?[- ]produc(?:er|ed)\b|\bEPs?\b", "executive producer"),
    (r"\bhead writer\b|\bwriters?\b|\bscreenwriters?\b|\bwrote\b", "writer"),
    (r"\bdirectors?\b|\bdirected\b", "director"),
    (r"\bstars?\b|\bco-?stars?\b|\bactors?\b|\bactress(?:es)?\b|\bplays\b|\bplayed\b|\blead\b", "star"),
    (r"\bproducers?\b", "producer"),
    (r"\bcritics?\b|\breviewers?\b|\bcolumnists?\b|\beditors?\b|\bjournalists?\b|\breporters?\b", "critic"),
    (r"\bauthors?\b|\bnovelists?\b", "author"),
]  # fmt: skip
_ROLES = [(re.compile(p, re.I), role) for p, role in ROLE_TABLE]

OUTLETS = {
    "ew": "Entertainment Weekly", "entertainment weekly": "Entertainment Weekly",
    "thr": "The Hollywood Reporter", "hollywood reporter": "The Hollywood Reporter",
    "the hollywood reporter": "The Hollywood Reporter", "variety": "Variety",
    "deadline": "Deadline", "tvline": "TVLine", "vulture": "Vulture", "collider": "Collider",
    "indiewire": "IndieWire", "tudum": "Tudum", "netflix's tudum": "Tudum", "vanity fair": "Vanity Fair",
    "rolling stone": "Rolling Stone", "people": "People", "the new york times": "The New York Times",
    "new york times": "The New York Times", "nyt": "The New York Times", "empire": "Empire",
    "radio times": "Radio Times", "digital spy": "Digital Spy", "screen rant": "Screen Rant",
    "screenrant": "Screen Rant", "tv guide": "TV Guide", "decider": "Decider", "gq": "GQ",
    "esquire": "Esquire", "time": "Time", "the wrap": "TheWrap", "thewrap": "TheWrap",
    "the guardian": "The Guardian", "the independent": "The Independent", "bbc": "BBC",
    "total film": "Total Film", "games radar": "GamesRadar+", "gamesradar": "GamesRadar+",
    "ign": "IGN", "polygon": "Polygon", "the ringer": "The Ringer", "uproxx": "Uproxx",
    "tv insider": "TV Insider", "us weekly": "Us Weekly", "e! news": "E! News",
    "good morning america": "Good Morning America", "the today show": "Today", "today": "Today",
}  # fmt: skip

SPEECH_VERBS = (
    r"said|says|say|told|tells|tell|explained|explains|added|adds|revealed|reveals|noted|notes"
    r"|shared|shares|teased|teases|stated|states|wrote|writes|confirmed|confirms|admitted|admits"
    r"|continued|continues|joked|jokes|hinted|hints|claimed|claims|insisted|insists|recalled"
    r"|recalls|announced|announces|remarked|commented|comments|responded|replied|argued|argues"
    r"|acknowledged|reflected|elaborated|promised|conceded|quipped|speculated|laughed|mused"
    r"|went on|posted|tweeted|wrote on \w+|explained to|said in a statement|shared in a statement"
)
_UP = "A-ZÀ-ÖØ-Þ"
_TOK = (
    rf"(?:(?:[{_UP}]\.){{1,3}}(?![^\W\d_])|[{_UP}](?:[^\W\d_]|[-’'])*[^\W\d_]"
    rf"(?:['’]s\b)?|[{_UP}](?![\w.]))"
)
_PART = r"(?:de|van|von|der|den|da|del|di|du|la|le|bo|bin|al)"
NAME = rf"{_TOK}(?:[ \t]+(?:{_PART}[ \t]+)?{_TOK}){{0,5}}"
WHO = rf"{NAME}(?:,[ \t]+{NAME}){{0,4}}(?:,?[ \t]+and[ \t]+{NAME})?"  # joint statements: "Miles Millar and Alfred Gough"
_CLAUSE_WORD = (
    r"(?!(?:was|is|are|were|has|have|had|after|when|because|while|since|that|which|who|but"
    r"|said|says|told|if|as|so|then|than|to)\b)"
)
_PRE = rf"(?P<pre>(?:{_CLAUSE_WORD}[\w'’&.()-]+[ \t]+){{0,9}}?)"
PRONOUNS = {"he", "she", "they", "i", "we"}
NOT_NAME = NOT_NAME_COMMON | frozenset(
    [
        "after",
        "april",
        "asked",
        "august",
        "before",
        "december",
        "discussing",
        "during",
        "explaining",
        "february",
        "however",
        "interview",
        "january",
        "july",
        "june",
        "march",
        "meanwhile",
        "november",
        "october",
        "september",
        "speaking",
        "talking",
    ]
)
ROLE_TOKENS = frozenset(
    [
        "showrunner",
        "showrunners",
        "show-runner",
        "co-showrunner",
        "creator",
        "creators",
        "co-creator",
        "co-creators",
        "executive",
        "producer",
        "producers",
        "writer",
        "writers",
        "director",
        "star",
        "stars",
        "actor",
        "actress",
        "co-star",
        "lead",
        "head",
        "chief",
        "president",
        "vice",
        "vp",
        "svp",
        "evp",
        "ceo",
        "coo",
        "cco",
        "chairman",
        "chairwoman",
        "chair",
        "boss",
        "critic",
        "editor",
        "series",
        "show",
        "network",
        "streamer",
        "netflix",
        "netflix's",
        "hbo",
        "hbo's",
        "hulu",
        "disney",
        "amazon",
        "apple",
        "prime",
        "peacock",
        "paramount",
        "showtime",
        "starz",
        "max",
        "of",
        "global",
        "tv",
        "scripted",
        "original",
        "originals",
        "programming",
        "content",
        "comedy",
        "drama",
        "adult",
        "animation",
        "former",
        "creative",
        "officer",
        "author",
        "novelist",
        "critic",
        "reviewer",
        "host",
        "executives",
        "stars",
        "actors",
        "co-showrunners",
        "writer-director",
    ]
)

_QUOTE_RX = re.compile(r"“([^“”\n]{1,3000})”|\"([^\"\n]{1,3000})\"")
_VERB_RX = re.compile(rf"\b(?:{SPEECH_VERBS})\b", re.I)


@dataclass(frozen=True, slots=True)
class Quote:
    text: str
    speaker: str | None
    role: str | None
    outlet: str | None  # "told EW" → "Entertainment Weekly"
    sentence: str
    start: int  # offsets of the quoted words (without the marks) in the document text
    end: int

    def to_json(self) -> dict[str, object]:
        return {
            "text": self.text,
            "speaker": self.speaker,
            "role": self.role,
            "outlet": self.outlet,
            "sentence": self.sentence,
            "start": self.start,
            "end": self.end,
        }


@dataclass(slots=True)
class _Frag:
    text: str
    start: int  # inner text offsets
    end: int
    open_: int  # mark offsets
    close: int


@dataclass(slots=True)
class _Group:
    frags: list[_Frag]
    between: list[str] = field(default_factory=list)

    @property
    def open_(self) -> int:
        return self.frags[0].open_

    @property
    def close(self) -> int:
        return self.frags[-1].close


@dataclass(slots=True)
class _Attribution:
    name: str | None
    pronoun: bool
    role_text: str
    outlet: str | None
    start: int
    end: int


@dataclass(slots=True)
class _Memory:
    """What the document has said so far: people, their roles, the latest person and outlet."""

    roles: dict[str, str] = field(default_factory=dict)
    people: list[tuple[int, str]] = field(default_factory=list)  # (offset, full name)
    outlets: list[tuple[int, str]] = field(default_factory=list)

    def last_person(self, before: int) -> str | None:
        seen = [name for pos, name in self.people if pos < before]
        return seen[-1] if seen else None

    def last_outlet(self, before: int) -> str | None:
        seen = [o for pos, o in self.outlets if pos < before]
        return seen[-1] if seen else None

    names: list[tuple[int, str]] = field(default_factory=list)  # every full name in the text

    def full_name(self, name: str, at: int) -> str:
        """ "Lee" → "Georgia Lee": the latest full name before ``at`` whose last (or first) token
        it is, else the first one after it."""
        if " " in name:
            return name
        for key in (-1, 0):
            hits = [
                (pos, full) for pos, full in self.names + self.people if full.split()[key] == name
            ]
            before = [full for pos, full in sorted(hits) if pos < at]
            if before:
                return before[-1]
            if hits:
                return sorted(hits)[0][1]
        return name


# --------------------------------------------------------------------------- vocabulary


def role_of(phrase: str) -> str | None:
    """The canonical role named in a phrase ("series creator and showrunner" → "creator")."""
    best: tuple[int, str] | None = None
    for rx, role in _ROLES:
        m = rx.search(phrase)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), role)
    return best[1] if best else None


def outlet_name(span: str) -> str | None:
    """Canonical outlet for "EW", "The Hollywood Reporter"…; unknown capitalised spans stay."""
    s = " ".join(span.split()).strip(" ,.;:")
    s = re.sub(r"['’]s$", "", s)
    if not s:
        return None
    key = s.lower()
    if key in OUTLETS:
        return OUTLETS[key]
    if key.removeprefix("the ") in OUTLETS:
        return OUTLETS[key.removeprefix("the ")]
    if key in PRONOUNS or key in {"them", "us", "him", "her", "me", "reporters", "fans"}:
        return None
    return s if s[0].isupper() else None


def split_name(span: str) -> tuple[str, str | None]:
    """Split role words off the front of a capitalised span: "Showrunner Georgia Lee" →
    ("showrunner", "Georgia Lee"); ("", None) when no name is left."""
    tokens = span.split()
    i = 0
    while i < len(tokens) and (
        tokens[i].lower().strip(",") in ROLE_TOKENS
        or tokens[i].lower() in NOT_NAME
        or re.search(r"['’]s$", tokens[i])
    ):
        i += 1
    name_tokens = [t for t in tokens[i:]]
    if not name_tokens or any(t.lower() in NOT_NAME for t in name_tokens):
        return " ".join(tokens[:i]), None
    return " ".join(tokens[:i]), " ".join(name_tokens)


def split_name_list(span: str) -> tuple[str, str | None]:
    """Like :func:`split_name` for "co-showrunners Miles Millar and Alfred Gough": the names
    come back joined by " and "."""
    parts = re.split(r",?[ \t]+and[ \t]+|,[ \t]+", span)
    role_words, first = split_name(parts[0])
    rest = [n for p in parts[1:] if (n := split_name(p)[1]) and _person_like(n)]
    if first is None:
        return role_words, None
    return role_words, " and ".join([first, *rest])


ORG_WORDS = frozenset(
    [
        "office",
        "studios",
        "studio",
        "streaming",
        "entertainment",
        "global",
        "media",
        "television",
        "network",
        "group",
        "inc",
        "llc",
        "company",
        "corporation",
        "productions",
        "pictures",
        "films",
        "channel",
        "originals",
        "news",
    ]
)


def _person_like(name: str) -> bool:
    tokens = name.split()
    return len(tokens) >= 2 and not any(t.lower() in ORG_WORDS | ROLE_TOKENS for t in tokens)


# --------------------------------------------------------------------------- quote marks


def _fragments(text: str) -> list[_Frag]:
    out = []
    for m in _QUOTE_RX.finditer(text):
        g = 1 if m.group(1) is not None else 2
        inner = m.group(g)
        stripped = inner.strip()
        if not stripped:
            continue
        lead = len(inner) - len(inner.lstrip())
        start = m.start(g) + lead
        out.append(_Frag(stripped, start, start + len(stripped), m.start(), m.end()))
    return out


_SPLIT_CLAUSE = re.compile(
    rf"^[ \t]*,?[ \t]*[^“”\"\n]{{0,80}}\b(?:{SPEECH_VERBS})\b[^“”\"\n]{{0,60}}[,.:][ \t]*$", re.I
)


def _groups(text: str, frags: list[_Frag]) -> list[_Group]:
    groups: list[_Group] = []
    for i, f in enumerate(frags):
        if groups:
            prev = groups[-1]
            between = text[prev.close : f.open_]
            following = frags[i + 1].open_ if i + 1 < len(frags) else _line_bounds(text, f.close)[1]
            if (
                _SPLIT_CLAUSE.match(between)
                and not _introduces_next(prev.frags[-1].text, between)
                and _match_after(text, f.close, min(following, _line_bounds(text, f.close)[1]))
                is None
            ):
                prev.frags.append(f)
                prev.between.append(between)
                continue
        groups.append(_Group([f]))
    return [g for g in groups if sum(len(fr.text.split()) for fr in g.frags) >= MIN_QUOTE_WORDS]


def _ends_sentence(s: str) -> bool:
    return s.rstrip().endswith((".", "!", "?", ".…", "…"))


def _introduces_next(quoted: str, clause: str) -> bool:
    """“A.” She told EW, “B.”: after a finished sentence, a capitalised clause ending in a comma
    or colon introduces the next quote rather than closing this one."""
    c = clause.strip()
    return _ends_sentence(quoted) and bool(c) and c[0].isupper() and c.endswith((",", ":"))


# --------------------------------------------------------------------------- attribution

_ADVERBS = (
    r"(?:[ \t]+(?:also|then|later|has|had|have|once|previously|recently|further|simply)){0,2}"
)
_AFTER_NAME_FIRST = re.compile(
    rf"^[ \t]*[,.!?]?[ \t]*{_PRE}(?P<who>{WHO}|he|she|they|He|She|They)"
    rf"(?P<appos>,[ \t]+[^,“”\"\n]{{2,90}},)?{_ADVERBS}[ \t]+(?P<verb>{SPEECH_VERBS})\b"
    rf"(?:[ \t]+(?:to[ \t]+)?(?P<outlet>{NAME}|them|us|reporters))?"
)
_AFTER_VERB_FIRST = re.compile(
    rf"^[ \t]*[,.!?]?[ \t]*(?P<verb>{SPEECH_VERBS})[ \t]+(?P<pre>(?:[\w'’&-]+[ \t]+){{0,8}}?)"
    rf"(?P<who>{WHO})(?P<appos>,[ \t]+[^,“”\"\n]{{2,90}}(?:,|\.|$))?"
)
_BEFORE = re.compile(
    rf"(?P<pre>(?:[^,;:.!?“”\"\n]{{0,90}}?[ \t])?)(?P<who>{WHO}|he|she|they|He|She|They)"
    rf"(?P<appos>,[ \t]+[^,“”\"\n]{{2,90}},)?"
    rf"(?:[ \t]+(?:also|then|later|has|had|once|previously|recently|further|simply))?"
    rf"[ \t]+(?P<verb>{SPEECH_VERBS})\b(?:[ \t]+(?:to[ \t]+)?(?P<outlet>{NAME}|them|us|reporters))?"
    rf"(?:[ \t]+(?:in|during|on)[ \t][^,:“”\"\n]{{0,60}})?(?:[ \t]+that)?[ \t]*[,:]?[ \t]*$"
)
_OUTLET_CONTEXT = re.compile(
    rf"\b(?:[Ss]peaking|[Tt]alking|spoke|interview|[Ii]n an interview|chat(?:ting)?|[Ss]peaking exclusively)"
    rf"[^,.“”\"\n]{{0,30}}?\b(?:to|with)[ \t]+(?P<outlet>{NAME})"
)


# "said Netflix head of originals Cindy Holland.": the name is the capitalised run that ends
# the attribution, after a title phrase
_AFTER_VERB_NAME_LAST = re.compile(
    rf"^[ \t]*[,.!?]?[ \t]*(?P<verb>{SPEECH_VERBS})[ \t]+"
    rf"(?P<pre>(?:[\w'’&().-]+[ \t]+){{1,9}}?)(?P<who>{WHO})(?=[ \t]*(?:[.,;!?]|$))"
)


def _match_after(text: str, pos: int, limit: int) -> _Attribution | None:
    window = text[pos:limit]
    for rx in (_AFTER_NAME_FIRST, _AFTER_VERB_FIRST, _AFTER_VERB_NAME_LAST):
        m = rx.match(window)
        if m:
            pre = m.groupdict().get("pre") or ""
            att = _attribution(m, pos, pre)
            if att is not None:
                return att
    return None


def _match_before(text: str, start: int, pos: int) -> _Attribution | None:
    window = text[start:pos]
    m = _BEFORE.search(window)
    if not m:
        return None
    att = _attribution(m, start, m["pre"])
    ctx = _OUTLET_CONTEXT.search(window)
    if att and att.outlet is None and ctx:
        att.outlet = outlet_name(ctx["outlet"])
    return att


def _attribution(m: re.Match[str], base: int, pre: str) -> _Attribution | None:
    who = m["who"]
    outlet_span = m.groupdict().get("outlet")
    appos = (m.groupdict().get("appos") or "").strip(" ,.")
    if who.lower() in PRONOUNS:
        return _Attribution(
            None, True, appos, _outlet(outlet_span), base + m.start(), base + m.end()
        )
    role_words, name = split_name_list(who)
    if name is None:
        return None
    return _Attribution(
        name,
        False,
        " ".join(x for x in (_tail_phrase(pre), role_words, appos) if x),
        _outlet(outlet_span),
        base + m.start(),
        base + m.end(),
    )


def _outlet(span: str | None) -> str | None:
    return outlet_name(span) if span else None


_PHRASE_WORDS = frozenset(
    [
        "of",
        "the",
        "and",
        "&",
        "for",
        "at",
        "original",
        "global",
        "scripted",
        "series",
        "show",
        "show's",
        "series'",
        "a",
        "an",
        "its",
        "their",
        "his",
        "her",
        "co",
        "senior",
        "former",
        "longtime",
    ]
)


def _tail_phrase(pre: str) -> str:
    """The title phrase right before a name, read backwards while words can belong to a title
    ("In a press release, HBO's president" → "HBO's president"; "posted to the" → "")."""
    words = re.split(r"[ \t]+", re.split(r"[,;:.!?“”\"\n]", pre)[-1].strip())
    kept: list[str] = []
    for w in reversed([w for w in words if w]):
        lw = w.lower().strip("()")
        if not (
            lw in ROLE_TOKENS
            or lw in _PHRASE_WORDS
            or w[0].isupper()
            or re.search(r"['’]s?$", w)
            or any(part in ROLE_TOKENS for part in lw.split("-"))
            or lw in {"us", "canada", "uk", "&"}
        ):
            break
        kept.append(w)
    kept.reverse()
    while kept and kept[0].lower() in _PHRASE_WORDS:
        kept.pop(0)
    return " ".join(kept) if role_of(" ".join(kept)) else ""


# --------------------------------------------------------------------------- document


def _sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    return [(s.start_char, s.end_char) for s in doc.sents]


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, (len(text) if end < 0 else end)


def _sentence_start(sents: list[tuple[int, int]], pos: int, floor: int) -> int:
    s = next((s for s, e in sents if s <= pos < e), floor)
    return max(s, floor)


def _sentence_end(sents: list[tuple[int, int]], pos: int, ceil: int) -> int:
    e = next((e for s, e in sents if s < pos <= e), ceil)
    return min(e, ceil)


_INTRO = re.compile(
    rf"(?P<pre>\b(?:[\w'’&-]+[ \t]+){{0,6}}?)(?P<who>{WHO})(?P<appos>,[ \t]+[^,\n]{{2,80}},)?"
)


def _remember_people(text: str, memory: _Memory) -> None:
    """People introduced with a role anywhere in the text ("showrunner Georgia Lee", "Jo Park,
    the show's creator,"): pronoun targets and role sources for later quotes."""
    pos = 0
    while (m := _INTRO.search(text, pos)) is not None:
        pos = m.end("who")  # an apposition may hold the next name: read on from the name
        role_words, joined = split_name_list(m["who"])
        parts = [n for n in (joined or "").split(" and ") if n]
        appos_who = bool(m["appos"]) and m["appos"].lstrip(", \t").startswith("who ")
        names = [memory.full_name(n, m.start()) if (" " in n or appos_who) else n for n in parts]
        names = [n for n in names if len(n.split()) >= 2]
        if not names:
            continue
        before = _tail_phrase(text[max(0, m.start("who") - 100) : m.start("who")])
        phrase = " ".join(x for x in (before, role_words) if x)
        role = role_of(phrase) if phrase else None
        appos = m["appos"]
        if role is None and appos:
            role = role_of(appos)
        if role:
            for name in names:
                memory.roles.setdefault(name, role)
                memory.people.append((m.start("who"), name))
            if len(names) > 1:  # "they" after a joint introduction means all of them
                memory.people.append((m.start("who") + 1, " and ".join(names)))


_FULL_NAME = re.compile(rf"{_TOK}(?:[ \t]+(?:{_PART}[ \t]+)?{_TOK}){{1,3}}")


def _remember_names(doc: Doc, text: str, memory: _Memory) -> None:
    """Every two-to-four-token capitalised name (role words stripped) and every PERSON entity
    (``text`` is ``doc.text``)."""
    for m in _FULL_NAME.finditer(text):
        _, name = split_name(m[0])
        if name and len(name.split()) >= 2 and not re.search(r"['’]s$", name):
            memory.names.append((m.start(), name))
    for ent in doc.ents:
        if ent.label_ == "PERSON":
            _, name = split_name(ent.text)
            if name and len(name.split()) >= 2 and "\n" not in name:
                memory.names.append((ent.start_char, name))
    memory.names.sort()


def find_quotes(doc: Doc, text: str | None = None) -> list[Quote]:
    """Every direct quote of four words or more, with speaker, role and outlet where stated.
    ``text``: ``doc.text`` when the caller has it (spaCy joins it anew on every read)."""
    text = doc.text if text is None else text
    sents = _sentence_bounds(doc)
    memory = _Memory()
    _remember_names(doc, text, memory)
    _remember_people(text, memory)
    for m in _OUTLET_CONTEXT.finditer(text):
        o = outlet_name(m["outlet"])
        if o:
            memory.outlets.append((m.start("outlet"), o))
    memory.people.sort()
    quotes: list[Quote] = []
    prev_close = 0
    for group in _groups(text, _fragments(text)):
        quotes.append(_quote(text, sents, group, memory, prev_close))
        prev_close = group.close
    return quotes


def _quote(
    text: str, sents: list[tuple[int, int]], group: _Group, memory: _Memory, prev_close: int
) -> Quote:
    line_start, line_end = _line_bounds(text, group.open_)
    att = _find_attribution(text, sents, group, line_start, line_end, prev_close)
    speaker = role = outlet = None
    if att is not None:
        if att.pronoun:
            speaker = memory.last_person(group.open_)
        elif att.name:
            speaker = " and ".join(
                memory.full_name(n, group.open_) for n in att.name.split(" and ")
            )
        role = role_of(att.role_text) if att.role_text else None
        outlet = att.outlet
    if speaker:
        role = role or memory.roles.get(speaker)
        if role:
            memory.roles.setdefault(speaker, role)
        memory.people.append((group.close, speaker))
        memory.people.sort()
    if outlet is None and att is not None and _told_pronoun(text, att):
        outlet = memory.last_outlet(group.open_)
    s_start = _sentence_start(sents, group.open_, line_start)
    s_end = _sentence_end(sents, group.close, line_end)
    if att is not None:
        s_start, s_end = min(s_start, att.start), max(s_end, att.end)
    first, last = group.frags[0], group.frags[-1]
    return Quote(
        text=" ".join(f.text for f in group.frags),
        speaker=speaker,
        role=role if speaker else None,
        outlet=outlet,
        sentence=" ".join(text[s_start:s_end].split()),
        start=first.start,
        end=last.end,
    )


def _told_pronoun(text: str, att: _Attribution) -> bool:
    return bool(re.search(r"\btold (?:them|us|reporters)\b", text[att.start : att.end]))


def _find_attribution(
    text: str,
    sents: list[tuple[int, int]],
    group: _Group,
    line_start: int,
    line_end: int,
    prev_close: int,
) -> _Attribution | None:
    # 1. a clause splitting the quote: “A,” she said, “B.”
    for frag, nxt in zip(group.frags, group.frags[1:], strict=False):
        att = _match_after(text, frag.close, nxt.open_)
        if att:
            return att
    # 2. a clause after the quote, in the same sentence/line
    after_limit = min(line_end, _next_open(text, group.close, line_end))
    if not _introduces_next(group.frags[-1].text, text[group.close : after_limit]):
        att = _match_after(text, group.close, after_limit)
        if att:
            return att
    # 3. a clause before the quote, from the sentence (or the previous quote) on
    floor = max(line_start, prev_close)
    before_start = _sentence_start(sents, max(floor, group.open_ - 1), floor)
    return _match_before(text, before_start, group.open_)


def _next_open(text: str, pos: int, default: int) -> int:
    m = re.compile(r"[“\"]").search(text, pos)
    return m.start() if m else default
