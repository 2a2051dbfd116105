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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from renewcast.news.claims import Speaker
from renewcast.news.quotes import role_of

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

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


# ---- every person and organisation an article names, for the trained speaker model -------------


@dataclass(frozen=True, slots=True)
class NameMention:
    """One place an article names a possible speaker: as a quote's speaker (``quote``), as the
    subject of a reporting verb (``reported``), or as a person or organisation (``person``,
    ``org``). ``said`` is the quoted words, for quotes."""

    name: str
    role: str | None
    kind: str
    sent: int
    said: str = ""
    subject: bool = False  # the subject of its sentence's verb ("Studio has renewed …")


@dataclass(slots=True)
class ArticlePeople:
    """Who an article names and where (sentence numbers), with its sentences normalised for title
    lookups: the candidates of :func:`renewcast.news.features.speaker_rows`."""

    sentences: list[str] = field(default_factory=list)
    mentions: list[NameMention] = field(default_factory=list)


@lru_cache(maxsize=1)
def role_nouns() -> frozenset[str]:
    """The role words of ``news/data/lexicon.json`` ("creator", "showrunner", …)."""
    from renewcast.news.candidates import lexicon

    return frozenset(lexicon()["role_nouns"])


_POSSESSIVE = re.compile(r"['’]s?$")


def _bare_name(name: str) -> str:
    """A name without what a tagger may take into it: role words before it ("Showrunner Dana
    Whitcombe", "Studio CEO Dana Whitcombe"), lower-case words before it ("popular Studio"), and a
    possessive after it ("Dana Whitcombe's")."""
    roles = role_nouns()
    words = name.split()
    while len(words) > 1 and (words[0].lower() in roles or words[0][:1].islower()):
        words = words[1:]
    last = max((i for i, w in enumerate(words) if w.lower() in roles), default=-1)
    rest = words[last + 1 :]
    if last >= 0 and len(rest) >= 2 and all(w[:1].isupper() for w in rest):
        words = rest  # the person named after an organisation's role: "Studio CEO Dana Whitcombe"
    if words and len(words[-1]) > 2:
        words[-1] = _POSSESSIVE.sub("", words[-1])
    return " ".join(words)


def _subject(span: Span) -> bool:
    """Whether a name is the subject of a verb ("Studio has renewed …", "… was cancelled by it")."""
    root = span.root
    return root.dep_ in ("nsubj", "nsubjpass", "agent") or (
        root.dep_ == "pobj" and root.head.dep_ == "agent"
    )


def article_people(docs: Iterable[Doc], quotes: Iterable[Mapping[str, Any]]) -> ArticlePeople:
    """Every quote speaker, reported speaker and named person or organisation of an article."""
    from renewcast.news.mentions import find_platforms, norm_title

    out = ArticlePeople()
    starts: list[tuple[str, int]] = []
    for doc in docs:
        for sent in doc.sents:
            si = len(out.sentences)
            out.sentences.append(norm_title(sent.text))
            starts.append((" ".join(sent.text.split())[:60], si))
            for sp in reported_speakers(sent):
                for one in split_names(sp.name):
                    out.mentions.append(NameMention(_bare_name(one), sp.role, "reported", si))
            named: list[tuple[int, int]] = []
            for ent in sent.ents:
                if ent.label_ in ("PERSON", "ORG") and len(ent.text) > 1:
                    kind = "person" if ent.label_ == "PERSON" else "org"
                    bare = _bare_name(ent.text.strip())
                    out.mentions.append(NameMention(bare, None, kind, si, subject=_subject(ent)))
                    named.append((ent.start_char - sent.start_char, ent.end_char - sent.start_char))
            # a platform's statement is a network's word even where the tagger misses the name
            for _, start, end in find_platforms(sent.text):
                if not any(a < end and start < b for a, b in named):
                    span = sent.char_span(start, end, alignment_mode="expand")
                    subject = span is not None and _subject(span)
                    mention = NameMention(sent.text[start:end], None, "org", si, subject=subject)
                    out.mentions.append(mention)
    for q in quotes:
        name = q.get("speaker")
        if not isinstance(name, str) or not name:
            continue
        where = " ".join(str(q.get("sentence") or "").split())
        si = next((i for head, i in starts if head and (head in where or where in head)), -1)
        role = q.get("role") if isinstance(q.get("role"), str) else None
        said = str(q.get("text") or "")
        for one in split_names(name):
            out.mentions.append(NameMention(_bare_name(one), role, "quote", si, said))
    return out
