"""Names an article uses for people, so that they are not taken for series.

Without a catalog every capitalised run is a candidate title, and actors, characters, creators and
executives are capitalised runs too. A run counts as a person when the article itself treats it as
one somewhere — in any sentence, since a name keeps its meaning through an article:

- a character followed by its actor in brackets: "Tess (Marlowe)";
- a relative "who": "follows Ada Quill, who has retired …";
- the subject of acting verbs ("Nia Holt and Rupert Vance will portray …"), the object of
  "starring"/"starred" ("starred Okafor as a lighthouse keeper"), with its coordinated names;
- a name before "-created", "-starring", "-led" … ("the Mira Solberg and Teo Lind-created
  thriller");
- a name listed after a people noun: "stars, including Dana Whitcombe, Jude Farrow and …".

A name the article also treats as a title — quoted, right after a series noun ("the series 1899"), or right
before "season"/"showrunner" — stays a title: shows are often named after their heroes.

Role phrases written beside a name ("Lena Park, Netflix Head of Drama, said") and
companies ("production company Lantern Yard Films") are dropped as well.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from renewcast.news.mentions import (
    NON_TITLES,
    OWNED_BY_SERIES,
    SERIES_NOUNS,
    Mention,
    find_platforms,
    norm_title,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

SentMentions = list[tuple["Span", list[Mention]]]
NOT_PEOPLE = frozenset(["ORG", "GPE", "NORP", "DATE", "LOC", "FAC", "PRODUCT", "WORK_OF_ART"])

ACTING_LEMMAS = frozenset(["portray", "play", "star", "reprise", "voice", "co-star", "costar"])
STARRING = frozenset(["starring", "starred", "featuring", "stars", "co-starring", "costarring"])
PEOPLE_NOUNS = frozenset(
    [
        "star",
        "stars",
        "actor",
        "actors",
        "actress",
        "actresses",
        "cast",
        "castmates",
        "co-stars",
        "costars",
        "creators",
        "showrunners",
        "alums",
        "alumni",
        "members",
        "leads",
        "hosts",
        "writers",
        "directors",
        "producers",
    ]
)
NAME_PARTICLES = frozenset(["bo", "van", "von", "de", "del", "da", "di", "le", "la", "bin", "al"])
MADE_BY = re.compile(r"^-?(created|starring|starrer|led|fronted|helmed|directed|produced)$", re.I)
ROLE_OF = re.compile(
    r"\b(head|president|chief|chairman|chairwoman|ceo|vp|director|executive|officer|boss)\s+of\b",
    re.I,
)
AFTER_TITLE = frozenset(["season", "seasons", "showrunner", "showrunners", "series"])
SERIES_PARTS = OWNED_BY_SERIES | frozenset(
    [
        "fan",
        "fandom",
        "return",
        "future",
        "fate",
        "ending",
        "story",
        "storyline",
        "plot",
        "character",
        "universe",
        "franchise",
        "spinoff",
        "spin",
        "reboot",
        "revival",
        "budget",
        "rating",
        "viewership",
        "audience",
        "trailer",
        "release",
        "debut",
        "production",
        "writer",
        "writers",
        "room",
        "set",
    ]
)
LIST_INTRO = frozenset(["including", "like", "as", "namely", ":"])


def drop_people(sent_mentions: list[SentMentions]) -> list[SentMentions]:
    """``sent_mentions`` (per block, per sentence) without the unquoted, unknown mentions the
    article uses as people (see the module docstring)."""
    flat = [(sent, m) for sm in sent_mentions for sent, ms in sm for m in ms]
    people = person_keys(flat)
    titles = {norm_title(m.series) for sent, m in flat if m.quoted or title_context(m, sent)}
    people -= titles
    if not people and not any(_role_phrase(m, s) or _company(m, s) for s, m in flat):
        return sent_mentions
    return [
        [
            (sent, [m for m in ms if m.linked or m.quoted or not _drop(m, sent, people)])
            for sent, ms in sm
        ]
        for sm in sent_mentions
    ]


def person_keys(mentions: Iterable[tuple[Span, Mention]]) -> set[str]:
    """Normalised names of the mentions the article treats as people, and their surnames."""
    pairs = list(mentions)
    people: set[str] = set()
    for sent, m in pairs:
        if m.linked or m.quoted:
            continue
        if _person_evidence(m, sent):
            people.add(norm_title(m.series))
    # names the tagger reads as people, where the article treats them so (possessives included:
    # "to find Gus's mother"); many of these never became mentions
    docs = {id(sent.doc): sent.doc for sent, _ in pairs}
    for doc in docs.values():
        for ent in doc.ents:
            if ent.label_ != "PERSON":
                continue
            m = Mention(ent.text, ent.text, ent.start, ent.end)
            if _person_evidence(m, ent.sent) or _owner(doc, ent.end):
                people.add(norm_title(ent.text))
    return people


def _owner(doc: Doc, end: int) -> bool:
    """ "Gus's mother", "Leigh Bardugo's novels": a possessive whose noun is not a series' part
    ("Outer Banks’ fifth instalment", "Wednesday's cast" are titles)."""
    if end + 1 >= len(doc) or doc[end].text not in ("'s", "’s", "’", "'"):
        return False
    k = end + 1
    while k < len(doc) and k < end + 4 and doc[k].pos_ in ("ADJ", "NUM", "ADV"):
        k += 1
    return k < len(doc) and doc[k].pos_ == "NOUN" and doc[k].lemma_.lower() not in SERIES_PARTS


def title_context(m: Mention, sent: Span) -> bool:
    """Written where only a title goes: right after a series noun ("the series 1899", "comedy
    series High Desert", "the show, 1899,") or right before "season"/"showrunner"."""
    doc = sent.doc
    i = m.start - 1
    while i >= sent.start and doc[i].is_punct:
        i -= 1
    if i >= sent.start and doc[i].lower_ in SERIES_NOUNS:
        return True
    j = m.end
    if j < sent.end and doc[j].text in ("'s", "’s"):
        j += 1
    return j < sent.end and doc[j].lower_ in AFTER_TITLE


def _drop(m: Mention, sent: Span, people: set[str]) -> bool:
    if _role_phrase(m, sent) or _company(m, sent):
        return True
    return norm_title(m.series) in people


def _person_evidence(m: Mention, sent: Span) -> bool:
    doc = sent.doc
    return (
        _bracketed_actor(doc, m.end)
        or _relative_who(doc, m.end)
        or _acting(doc, m)
        or _made_by(doc, m.end)
        or _listed_after_people(doc, m, sent)
    )


def _bracketed_actor(doc: Doc, end: int) -> bool:
    """ "Nick (Connor)", "Tess (Nia Holt)": a name, then a name in brackets."""
    if end + 2 >= len(doc) or doc[end].text != "(":
        return False
    inner: list[Token] = []
    k = end + 1
    while k < len(doc) and doc[k].text != ")" and len(inner) < 4:
        inner.append(doc[k])
        k += 1
    if k >= len(doc) or doc[k].text != ")" or not inner:
        return False
    written = " ".join(t.text for t in inner)
    if norm_title(written) in NON_TITLES or find_platforms(written):
        return False  # "Warrior Nun (Netflix)", "(Variety)"
    return all(t.is_alpha and t.is_title for t in inner) and any(
        t.ent_type_ == "PERSON" or (t.pos_ == "PROPN" and t.ent_type_ not in NOT_PEOPLE)
        for t in inner
    )


def _relative_who(doc: Doc, end: int) -> bool:
    k = end
    if k < len(doc) and doc[k].text == ",":
        k += 1
    return k < len(doc) and doc[k].lower_ in ("who", "whom")


def _acting(doc: Doc, m: Mention) -> bool:
    """The subject of an acting verb, or the object right after "starring"/"starred", and the
    names coordinated with it."""
    if m.start > 0:
        prev = doc[m.start - 1]
        before = doc[m.start - 2] if m.start > 1 else None
        if prev.lower_ in STARRING and not (before is not None and before.text == "-"):
            return True
    root = doc[m.start : m.end].root
    head = root
    while head.dep_ == "conj" and head.head is not head:
        head = head.head
    if head.dep_ in ("nsubj", "nsubjpass") and head.head.lemma_ in ACTING_LEMMAS:
        return head.head.lemma_ != "star" or _acting_star(head.head)
    # the role played: "won't reprise Simon", "voices Rudolph"
    return head.dep_ == "dobj" and head.head.lemma_ in ACTING_LEMMAS - {"star"}


def _acting_star(verb: Token) -> bool:
    """ "X stars as Y" / "X starred in Z" is acting; "X stars" alone is ambiguous (ratings)."""
    return any(c.dep_ == "prep" and c.lower_ in ("as", "in", "alongside") for c in verb.children)


def _made_by(doc: Doc, end: int) -> bool:
    """ "Baran bo Odar-created", "the Jenna Ortega-starring spinoff", "the Taylor Sheridan-led
    drama": a name (possibly continued by particles, "and" and more names) before a maker word."""
    k = end
    for _ in range(6):
        if k >= len(doc):
            return False
        t = doc[k]
        if (t.text.startswith("-") and MADE_BY.match(t.text)) or (
            t.text == "-" and k + 1 < len(doc) and MADE_BY.match(doc[k + 1].text)
        ):
            return True
        if t.lower_ in NAME_PARTICLES or t.lower_ == "and" or (t.is_alpha and t.is_title):
            k += 1
            continue
        return False
    return False


def _listed_after_people(doc: Doc, m: Mention, sent: Span) -> bool:
    """In a list introduced by a people noun: "stars, including A, B and C", "cast members like
    A and B", "creators: A and B"."""
    k = m.start - 1
    # walk back over the earlier members of the list: names, commas, "and"
    while k >= sent.start and (
        doc[k].text in (",", "&") or doc[k].lower_ == "and" or (doc[k].is_title and doc[k].is_alpha)
    ):
        k -= 1
    if k < sent.start or doc[k].lower_ not in LIST_INTRO:
        return False
    if doc[k].lower_ == "as" and not (k > sent.start and doc[k - 1].lower_ == "such"):
        return False
    j = k - (2 if doc[k].lower_ == "as" else 1)
    while j >= sent.start and doc[j].text == ",":
        j -= 1
    return j >= sent.start and doc[j].lower_ in PEOPLE_NOUNS


COMPANY_NOUNS = frozenset(
    ["company", "studio", "studios", "banner", "network", "label", "firm", "publisher", "outfit"]
)
COMPANY_WORDS = re.compile(
    r"\b(pictures|productions|studios|films|entertainment|media|television|network|"
    r"inc|llc|ltd|group|company)\.?$",
    re.I,
)


def _company(m: Mention, sent: Span) -> bool:
    """ "Production company Lantern Yard Films", "Sony Pictures Television": a company,
    not a series."""
    doc = sent.doc
    words = m.series.split()
    if len(words) >= 2 and COMPANY_WORDS.search(m.series):
        return True
    prev = doc[m.start - 1] if m.start > sent.start else None
    return prev is not None and prev.lower_ in COMPANY_NOUNS


def _role_phrase(m: Mention, sent: Span) -> bool:
    """ "Lena Park, Netflix Head of Drama, said": a job title, not a series."""
    if not ROLE_OF.search(m.series):
        return False
    doc = sent.doc
    before = doc[m.start - 1] if m.start > sent.start else None
    after = doc[m.end] if m.end < sent.end else None
    return (before is not None and before.text == ",") or (
        after is not None and (after.text == "," or after.lemma_ in ("say", "tell", "add"))
    )
