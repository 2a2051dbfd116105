"""Who stated a claim: the people a claim's sentence reports, besides the quotes about it.

Direct quotes are found by :mod:`renewcast.news.quotes`; many statements are reported instead:
"Harbor Lights creator Dana Whitcombe confirmed the series will go on", "Tom Ashdown says Glass Orchard will
return", "Mara Quint, the creator of the Netflix series, revealed that …", "according to
showrunner Jude Farrow". Here the speaker is the person who is the subject of a reporting verb in
the claim's own sentence (or the object of "according to"), with the role written beside the name
("creator", "HBO CEO", "the creator of the series"). A subject that is a company, an outlet or a
pronoun is not a speaker.

Names joined by "and" in one attribution ("Miles Millar and Alfred Gough") are several speakers
with the same role.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from renewcast.news.claims import Speaker
from renewcast.news.quotes import role_of

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

REPORTING_LEMMAS = frozenset(
    [
        "say",
        "tell",
        "confirm",
        "reveal",
        "announce",
        "explain",
        "express",
        "note",
        "add",
        "share",
        "write",
        "post",
        "tweet",
        "state",
        "admit",
        "tease",
        "hint",
        "insist",
        "claim",
        "suggest",
        "speak",
        "disclose",
        "promise",
    ]
)
# words a name never contains
_NOT_NAME = re.compile(r"^(the|a|an|of|and|in|at|for|netflix|hbo|series|show)$", re.I)


def split_names(name: str) -> list[str]:
    """ "Miles Millar and Alfred Gough" → two names; "Shannon Burke, Jonas Pate and Josh Pate" →
    three. A single name comes back alone."""
    parts = [p.strip() for p in re.split(r"\s*,\s*|\s+(?:and|&)\s+", name) if p.strip()]
    if len(parts) >= 2 and all(len(p.split()) >= 2 for p in parts):
        return parts
    return [name]


def reported_speakers(sent: Span) -> list[Speaker]:
    """People the sentence reports as stating something: subjects of reporting verbs and the
    objects of "according to", with their roles."""
    found: list[Speaker] = []
    for tok in sent:
        if tok.lemma_.lower() in REPORTING_LEMMAS and tok.pos_ == "VERB":
            for subj in tok.children:
                if subj.dep_ == "nsubj":
                    found.extend(_people(subj))
        if tok.lower_ == "according" and tok.i + 1 < len(sent.doc):
            for obj in sent.doc[tok.i + 1].children:
                if obj.dep_ == "pobj":
                    found.extend(_people(obj))
    out: list[Speaker] = []
    for sp in found:
        if all(o.name != sp.name for o in out):
            out.append(sp)
    return out


def _people(head: Token) -> list[Speaker]:
    """The person (and the people coordinated with them) a subject names, or nothing."""
    out = []
    for h in [head, *(c for c in head.conjuncts)]:
        sp = _person(h)
        if sp is not None:
            out.append(sp)
    return out


def _person(head: Token) -> Speaker | None:
    if head.ent_type_ != "PERSON" or head.pos_ != "PROPN":
        return None
    name_toks = [head]
    k = head.i - 1
    doc = head.doc
    while k >= 0 and doc[k].ent_type_ == "PERSON" and doc[k].pos_ == "PROPN":
        name_toks.insert(0, doc[k])
        k -= 1
    k = head.i + 1
    while k < len(doc) and doc[k].ent_type_ == "PERSON" and doc[k].pos_ == "PROPN":
        name_toks.append(doc[k])
        k += 1
    if len(name_toks) < 2 or any(_NOT_NAME.match(t.text) for t in name_toks):
        return None
    name = " ".join(t.text for t in name_toks)
    return Speaker(name, _role(head, name_toks))


def _role(head: Token, name_toks: list[Token]) -> str | None:
    """The role written before the name ("HBO CEO Lena Park", "Harbor Lights creator Dana
    Whitcombe") or in an apposition after it ("Mara Quint, the creator of the series")."""
    doc = head.doc
    first = name_toks[0].i
    before = doc[max(first - 6, head.sent.start) : first].text
    found = role_of(before.split(",")[-1]) if before else None
    if found:
        return found
    for c in head.children:
        if c.dep_ == "appos":
            phrase = doc[c.left_edge.i : c.right_edge.i + 1].text
            found = role_of(phrase)
            if found:
                return found
    return None
