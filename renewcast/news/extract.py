"""Extraction of one article: status claims, plus quotes, cast and dates when those modules exist.

``extract_article`` is the single entry point the ingest pipeline and the CLI call;
``extract_jsonl`` streams articles (JSONL) in and extractions (JSONL) out, reporting bad lines.

The text is split into blocks (lines); each block is parsed with spaCy (``nlp.pipe``). Besides
sentence-level claims (:mod:`renewcast.news.claims`) two layouts are read:

* lists under a heading or lead-in that states their status ("Recent Cancellations", "those
  shows that won't be getting a renewal:" followed by "15. 1899", "14. Mindhunter", ...);
* "Title: status" lines ("Harbor Lights: CANCELLED after three seasons.", "Copper Valley: TBA").

Long texts are cut to ``article.MAX_TEXT_CHARS`` and only blocks that can carry a claim are
parsed beyond the first ``PARSE_ALL_CHARS`` characters, so time stays bounded.
"""

from __future__ import annotations

import importlib
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import IO, TYPE_CHECKING, Any

from renewcast.news.article import MAX_TEXT_CHARS, Article, read_jsonl
from renewcast.news.claims import (
    ONE_AND_DONE_RE,
    Claim,
    SeasonExpr,
    season_expressions,
    sentence_claims,
    status_of_phrase,
)
from renewcast.news.mentions import (
    NON_TITLES,
    Catalog,
    Mention,
    find_mentions,
    find_platforms,
    is_headline,
    link_title,
    norm_title,
    weighted_main_series,
)
from renewcast.news.nlp import get_nlp, parse_all, parse_one
from renewcast.news.people import drop_people
from renewcast.news.speakers import ArticlePeople, article_people
from renewcast.sources.base import RowProblem

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

PARSE_ALL_CHARS = 60_000  # parse every block of this much text; beyond it only likely blocks
MAX_PARSE_CHARS = 400_000  # never parse more than this per article
MAX_BLOCK_CHARS = 3_000
_LIKELY = re.compile(
    r"renew|cancel|axe|\bax\b|plug|final|last season|limited|miniseries|return|back for|"
    r"\bend(s|ed|ing)?\b|conclu|decision|\bTBA\b|hiatus|limbo|season|pick(ed)? up|order",
    re.I,
)


@dataclass(slots=True)
class Extraction:
    id: str
    claims: list[Claim] = field(default_factory=list)
    quotes: list[dict[str, Any]] = field(default_factory=list)
    cast: list[dict[str, Any]] = field(default_factory=list)
    dates: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    people: ArticlePeople | None = None  # who the article names: the speaker model's candidates

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "claims": [c.to_json() for c in self.claims],
            "quotes": self.quotes,
            "cast": self.cast,
            "dates": self.dates,
        }


@dataclass(frozen=True, slots=True)
class Block:
    text: str
    start: int  # char offset in the article text


_DATELINE = re.compile(
    r"^\s*(?:date\s+)?\d{4}-\d\d-\d\d\s+|"
    r"^[A-Z][\w .]{1,30}, \w{3,9}\.? \d{1,2} \((?:PTI|AP|UPI|AFP|IANS|Reuters)\)\s*(?:[-–—]+\s*)?"
)


def split_blocks(text: str) -> list[Block]:
    """Non-empty lines (a leading dateline split off), long ones cut at sentence ends."""
    blocks: list[Block] = []
    for m in re.finditer(r"[^\n]+", text):
        line, start = m.group(0), m.start()
        d = _DATELINE.match(line)
        if d and d.end() < len(line):
            blocks.append(Block(line[: d.end()].strip(), start + (len(line) - len(line.lstrip()))))
            line, start = line[d.end() :], start + d.end()
        while len(line) > MAX_BLOCK_CHARS:
            cut = line.rfind(". ", 0, MAX_BLOCK_CHARS)
            cut = cut + 1 if cut > 0 else MAX_BLOCK_CHARS
            blocks.append(Block(line[:cut], start))
            line, start = line[cut:], start + cut
        if line.strip():
            lead = len(line) - len(line.lstrip())
            blocks.append(Block(line.strip(), start + lead))
    return blocks


def _select(blocks: list[Block]) -> tuple[list[Block], list[str]]:
    notes: list[str] = []
    chosen: list[Block] = []
    total = 0
    for b in blocks:
        if b.start >= PARSE_ALL_CHARS and not _LIKELY.search(b.text) and len(b.text) > 80:
            continue
        if total + len(b.text) > MAX_PARSE_CHARS:
            notes.append(
                f"parsed the first {total:,} characters of likely blocks only; "
                "the rest of the text was not read"
            )
            break
        chosen.append(b)
        total += len(b.text)
    return chosen, notes


_COLON_PIPE = "renewcast_title_colons"


def _parser() -> Any:
    """The shared spaCy pipeline, with a rule that keeps "Bosch: Legacy" in one sentence."""
    nlp = get_nlp()
    if _COLON_PIPE not in nlp.pipe_names and "parser" in nlp.pipe_names:
        from spacy.language import Language

        if not Language.has_factory(_COLON_PIPE):
            Language.component(_COLON_PIPE, func=_keep_title_colons)
        nlp.add_pipe(_COLON_PIPE, before="parser")
    return nlp


def _keep_title_colons(doc: Doc) -> Doc:
    """No sentence starts right after a colon between capitalised words ("Bosch: Legacy",
    "Castlevania: Nocturne"): there it is part of a title."""
    if ":" not in doc.text:
        return doc
    for colon in doc[1 : len(doc) - 1]:
        if colon.text != ":":
            continue
        before, tok = doc[colon.i - 1], doc[colon.i + 1]
        if (
            not colon.whitespace_.count("\n")
            and before.text[:1].isupper()
            and (tok.text[:1].isupper() or tok.text[:1].isdigit())
            and "\n" not in tok.text
        ):
            tok.is_sent_start = False
    return doc


def _optional(module: str, name: str) -> Callable[..., Any] | None:
    try:
        mod = importlib.import_module(module)
    except ImportError:
        return None
    fn = getattr(mod, name, None)
    return fn if callable(fn) else None


def _jsonable(items: Iterable[Any]) -> list[dict[str, Any]]:
    out = []
    for it in items:
        to_json = getattr(it, "to_json", None)
        out.append(to_json() if callable(to_json) else dict(it))
    return out


def extract_article(article: Article, catalog: Catalog | None = None) -> Extraction:
    """Status claims (with quotes, cast and dates when available) for one article.

    Candidate claims come from the pattern rules and from the trained mention and status
    models; the trained claim scorer (:mod:`renewcast.news.learned`) gives each a calibrated
    ``confidence``. Every candidate at or above :data:`KEEP_CONFIDENCE` is returned;
    :func:`decided` tells the ones at or above the model's threshold (the high-precision set)."""
    return _extract(article, catalog, learned=True, others=True)


def extract_candidates(article: Article, catalog: Catalog | None = None) -> Extraction:
    """The rules' claims only (no trained scoring, no quotes/cast/dates): one input of the
    trained claim scorer."""
    return _extract(article, catalog, learned=False, others=False)


def extract_rules(article: Article, catalog: Catalog | None = None) -> Extraction:
    """The rules' claims with their speakers (and quotes, cast, dates), before any scoring."""
    return _extract(article, catalog, learned=False, others=True)


def _extract(article: Article, catalog: Catalog | None, learned: bool, others: bool) -> Extraction:
    ex = Extraction(article.id)
    text = article.text or ""
    if len(text) > MAX_TEXT_CHARS:
        ex.notes.append(f"text cut from {len(text):,} to {MAX_TEXT_CHARS:,} characters")
        text = text[:MAX_TEXT_CHARS]
    if not text.strip():
        return ex
    blocks, notes = _select(split_blocks(text))
    ex.notes.extend(notes)
    nlp = _parser()
    docs = parse_all(nlp, (b.text for b in blocks))
    sent_mentions: list[list[tuple[Span, list[Mention]]]] = [
        [(s, find_mentions(s, catalog)) for s in doc.sents] for doc in docs
    ]
    sent_mentions = _restore_initial_words(sent_mentions, text, article.title or "", catalog)
    sent_mentions = drop_people(sent_mentions)
    sent_mentions = _trust_headlines(sent_mentions)
    headline = _confirmed(
        _headline_mentions(article, blocks, sent_mentions, catalog), sent_mentions
    )
    main = weighted_main_series((x for sm in sent_mentions for x in sm), headline)
    platform = _article_platform(text)
    claims: list[Claim] = []
    claims.extend(_list_claims(article, blocks, docs, sent_mentions, platform, catalog))
    listed = {c.start for c in claims}
    headline_text = article.title or (
        blocks[0].text if blocks and _headline_like(blocks[0].text) else ""
    )
    for b, sm in zip(blocks, sent_mentions, strict=True):
        if b.start in listed:
            continue
        carried: tuple[str, int | None] | None = None
        before: list[Claim] = []
        antecedent: str | None = None  # without a main series, "it" is the paragraph's last one
        previous: list[Mention] = []
        for sent, mentions in sm:
            found = sentence_claims(sent, mentions, main or antecedent, b.start, platform)
            found.extend(_like_those_before(found, sent, previous))
            previous = mentions
            if len({norm_title(m.series) for m in mentions}) == 1:
                antecedent = mentions[0].series
            if not found and carried is not None:
                found = _continued_list(sent, mentions, carried, b.start, platform)
            elif carried is not None:
                _take_carried_season(found, carried)
            claims.extend(found)
            carried = _generic_status(sent) if not found else None
            if not found and _BACK_REFERENCE.search(sent.text):
                _fill_cancelled_seasons(before, [sent.text])  # "these shows are all ending ..."
            before = found
    if len({c.key[0] for c in claims if c.status == "cancelled"}) <= 3:
        # "... Axed Two Series After One Season"; "Canceled Another Show After One Season" is
        # about the article's own series only
        singular = _ONE_SHOW.search(headline_text) is not None
        _fill_cancelled_seasons(claims, [headline_text], only=main if singular else None)
    _more_seasons(claims, sent_mentions, main)
    ex.claims = resolve(claims)
    if learned:
        ex.claims = scored_claims(article, text, ex.claims, catalog)
    if others:
        _attach_others(ex, article, text, docs, blocks)
        if learned:
            _speakers_to_claims(ex)
    return ex


KEEP_CONFIDENCE = 0.15  # candidates less likely than this are not kept at all


def scored_claims(
    article: Article, text: str, rule_claims: list[Claim], catalog: Catalog | None = None
) -> list[Claim]:
    """The rules' claims and the trained models' claims, one per series, each with the claim
    scorer's calibrated confidence; those under :data:`KEEP_CONFIDENCE` are dropped. A model
    claim's title is linked to the catalog like the rules' are."""
    from renewcast.news.learned import load_default_model, read_claims
    from renewcast.news.pipeline import reader_nlp
    from renewcast.news.seasons import says_final

    model = load_default_model()
    rule_json = [dict(c.to_json(), trigger=c.trigger, via=c.via, done=c.done) for c in rule_claims]
    for i, d in enumerate(rule_json):
        d["_index"] = i
    out: list[Claim] = []
    for sc in read_claims(text, article.title, rule_json, model, reader_nlp()):
        if sc.confidence < KEEP_CONFIDENCE:
            continue
        if sc.rule is not None:
            c = rule_claims[int(sc.rule["_index"])]
            c.confidence = sc.confidence
            if c.season != sc.key[2]:  # the season model read the sentence's numbers otherwise
                c.season = sc.key[2]
                c.final = says_final(c.evidence, c.season)
            out.append(c)
            continue
        start = text.find(sc.evidence)
        out.append(
            Claim(
                series=_link(sc.series, catalog),
                status=sc.key[1],
                season=sc.key[2],
                evidence=sc.evidence,
                start=max(start, 0),
                end=max(start, 0) + len(sc.evidence),
                platform=_article_platform(text),
                final=says_final(sc.evidence, sc.key[2]),
                confidence=sc.confidence,
                trigger="model",
                via="model",
            )
        )
    best: dict[str, Claim] = {}  # linking may make two readings one series: keep the likelier
    for c in out:
        k = norm_title(c.series)
        if k not in best or c.confidence > best[k].confidence:
            best[k] = c
    return sorted(best.values(), key=lambda c: c.start)


def decided(claim: Claim) -> bool:
    """Whether a claim is confident enough to state a status (the model's threshold)."""
    from renewcast.news.learned import load_default_model

    return claim.confidence >= load_default_model().threshold


_LIKE_BEFORE = re.compile(
    r"\b(?:like|as with|just like)\s+the\s+(?:previously[- ]mentioned|aforementioned|"
    r"above[- ]mentioned|other|earlier)\s+(?:shows|series|titles|dramas|comedies)\b",
    re.I,
)


def _like_those_before(found: list[Claim], sent: Span, previous: list[Mention]) -> list[Claim]:
    """ "Glass Orchard, like the shows above, was sold as a limited series": the claim holds
    for the series the sentence before named too."""
    if not found or not _LIKE_BEFORE.search(sent.text):
        return []
    have = {norm_title(c.series) for c in found}
    out: list[Claim] = []
    for m in previous:
        key = norm_title(m.series)
        if key in have or _possessor_of_another(m, previous, sent.doc):
            continue
        have.add(key)
        out.extend(replace(c, series=m.series, via="indirect") for c in found[:1])
    return out


def _possessor_of_another(m: Mention, mentions: list[Mention], doc: Doc) -> bool:
    """ "2017's Big Little Lies": the first name only dates or owns the second."""
    if m.end >= len(doc) or doc[m.end].lower_ not in ("'s", "’s"):
        return False
    return any(o.start == m.end + 1 for o in mentions)


def _restore_initial_words(
    sent_mentions: list[list[tuple[Span, list[Mention]]]],
    text: str,
    title: str,
    catalog: Catalog | None,
) -> list[list[tuple[Span, list[Mention]]]]:
    """A sentence's first word is left out of a title when it is not a proper noun ("Outer Banks,
    which is ..." → "Banks"); it is put back when the longer title is written elsewhere in the
    article too, or the catalog knows it."""
    out = []
    for sm in sent_mentions:
        row = []
        for sent, ms in sm:
            row.append((sent, [_restored(sent, m, text, title, catalog) for m in ms]))
        out.append(row)
    return out


def _restored(sent: Span, m: Mention, text: str, title: str, catalog: Catalog | None) -> Mention:
    if m.linked or m.quoted or m.start != sent.start + 1:
        return m
    first = sent.doc[sent.start]
    if not (first.is_alpha and first.text[:1].isupper()) or norm_title(first.text) in NON_TITLES:
        return m
    if first.pos_ in ("ADP", "SCONJ", "CCONJ", "PRON", "INTJ", "AUX"):
        return m
    written = sent.doc[sent.start : m.end].text
    if first.pos_ == "ADV":  # "Only Murders in the Building": only when written so again
        return (
            m
            if len(re.findall(re.escape(written), text)) < 2
            else Mention(written, written, sent.start, m.end)
        )
    known = link_title(written, catalog)
    if known is not None:
        return Mention(known, written, sent.start, m.end, linked=True)
    joined = f"{title}\n{text}"
    hits = [h.start() for h in re.finditer(re.escape(written), joined)]
    inside = [h for h in hits if joined[:h].rstrip(" \t\"“‘'(")[-1:] not in ("", *".!?:\n")]
    if len(hits) >= 2 or inside:
        return Mention(written, written, sent.start, m.end)
    return m


def _body_keys(sent_mentions: list[list[tuple[Span, list[Mention]]]]) -> set[str]:
    return {
        norm_title(m.series)
        for sm in sent_mentions
        for s, ms in sm
        if not _title_case_line(s)
        for m in ms
    }


def _title_case_line(s: Span) -> bool:
    """A headline or subheading: Title Case, not ended like a sentence."""
    return not s.text.rstrip().endswith((".", "!")) and is_headline(list(s))


def _confirmed(
    mentions: list[Mention], sent_mentions: list[list[tuple[Span, list[Mention]]]]
) -> list[Mention]:
    keys = _body_keys(sent_mentions)
    return [m for m in mentions if m.linked or m.quoted or norm_title(m.series) in keys]


def _trust_headlines(
    sent_mentions: list[list[tuple[Span, list[Mention]]]],
) -> list[list[tuple[Span, list[Mention]]]]:
    """In Title Case lines every word looks like a title ("I Was Surprised About The Creator");
    there an unquoted, unknown run counts only when the body names it too."""
    keys = _body_keys(sent_mentions)
    return [
        [
            (
                s,
                ms
                if not _title_case_line(s)
                else [m for m in ms if m.linked or m.quoted or norm_title(m.series) in keys],
            )
            for s, ms in sm
        ]
        for sm in sent_mentions
    ]


def _headline_mentions(
    article: Article,
    blocks: list[Block],
    sent_mentions: list[list[tuple[Span, list[Mention]]]],
    catalog: Catalog | None,
) -> list[Mention]:
    if blocks and sent_mentions:
        first = [m for _, ms in sent_mentions[0] for m in ms]
        if article.title is None:
            return first if _headline_like(blocks[0].text) else []
        if norm_title(blocks[0].text) == norm_title(article.title):
            return first
    if article.title:
        doc = parse_one(_parser(), article.title)
        return [m for s in doc.sents for m in find_mentions(s, catalog)]
    return []


def _headline_like(text: str) -> bool:
    """A first line that can be the headline of an untitled text: short, not ended like a
    sentence (a first paragraph is not a headline)."""
    return len(text.split()) <= 20 and not text.rstrip().endswith((".", "!"))


def _article_platform(text: str) -> str | None:
    counts = Counter(p for p, _, _ in find_platforms(text[:20_000]))
    return counts.most_common(1)[0][0] if counts else None


# --- lists and "Title: status" lines --------------------------------------------------------

_ITEM_RE = re.compile(r"^(?:\d{1,3}[.)]\s+|[-•*–]\s*)?(?P<title>[^.!?]{1,60}?\.?)$")
_COLON_RE = re.compile(r"^(?P<title>[^:]{1,60}?):\s+(?P<rest>\S.*)$")
_HEADING_STATUS = [
    (re.compile(r"renew|pick(ed)?[- ]?ups? for|returning|coming back", re.I), "renewed"),
    (re.compile(r"cancel|axed|\baxe\b|chopping block|not returning|dead", re.I), "cancelled"),
    (re.compile(r"\bend(ed|ing)\b|final seasons?|farewell", re.I), "ended"),
    (re.compile(r"limited series|miniseries", re.I), "limited"),
    (
        re.compile(r"undecided|to be determined|on the bubble|pending|in limbo|tbd|tba", re.I),
        "pending",
    ),
]
_NEW_SERIES = re.compile(r"\bnew\b.*\b(pickups?|orders?|series)\b|\bpickups?\b", re.I)


def _heading_status(text: str) -> str | None:
    if _NEW_SERIES.search(text):
        return None
    for rx, status in _HEADING_STATUS:
        if rx.search(text):
            return status
    return None


def _is_heading(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= 8 and not text.endswith((".", ",", ";")) and not _ITEM_NUM.match(text)


_ITEM_NUM = re.compile(r"^\d{1,3}[.)]\s+")


def _item_title(text: str) -> str | None:
    m = _ITEM_RE.match(text)
    if not m:
        return None
    title = m.group("title").strip()
    words = title.split()
    if not words or len(words) > 7:
        return None
    caps = sum(
        1 for w in words if w[:1].isupper() or w[:1].isdigit() or w in ("&", "of", "the", "and")
    )
    if caps < len(words) or norm_title(title) in NON_TITLES:
        return None
    if title.endswith(".") and not re.search(r"\b(Co|Jr|Sr|Inc|Dr|Mr|Mrs|Ms|D\.C|U\.S)\.$", title):
        return None
    return title


def _list_claims(
    article: Article,
    blocks: list[Block],
    docs: list[Doc],
    sent_mentions: list[list[tuple[Span, list[Mention]]]],
    platform: str | None,
    catalog: Catalog | None,
) -> list[Claim]:
    claims: list[Claim] = []
    titles = [_item_title(b.text) for b in blocks]
    context: str | None = None
    section: tuple[str, int | None] | None = None  # a lead-in's status for "Title (Platform)"
    headline_status = _heading_status(article.title or (blocks[0].text if blocks else ""))
    for i, b in enumerate(blocks):
        colon = _colon_claim(b, platform, catalog)
        if colon is not None:
            claims.append(colon)
            continue
        sec_title = _section_title(b.text)
        if sec_title and section is not None:
            sec_status, sec_season = section
            claims.append(
                Claim(
                    series=_link(sec_title, catalog),
                    status=sec_status,
                    season=sec_season,
                    evidence=b.text,
                    start=b.start,
                    end=b.start + len(b.text),
                    platform=_link_platform(b.text) or platform,
                    final=sec_status == "ended",
                    confidence=0.6,
                    trigger="list",
                    via="list",
                )
            )
            continue
        if _is_heading(b.text) and (_heading_status(b.text) or _NEW_SERIES.search(b.text)):
            context = _heading_status(b.text)
            continue
        title = titles[i]
        neighbours = (i > 0 and titles[i - 1]) or (i + 1 < len(titles) and titles[i + 1])
        if title and neighbours:
            status = context or (headline_status if _ITEM_NUM.match(b.text) else None)
            if status:
                claims.append(
                    Claim(
                        series=_link(title, catalog),
                        status=status,
                        season=None,
                        evidence=b.text,
                        start=b.start,
                        end=b.start + len(b.text),
                        platform=platform,
                        confidence=0.6,
                        trigger="list",
                        via="list",
                    )
                )
            continue
        if _is_heading(b.text):
            context = _heading_status(b.text)
            if context is not None or _NEW_SERIES.search(b.text):
                section = None
        else:
            sents = [s for s, _ in sent_mentions[i]]
            context = None
            if sents and len(sents[-1]) > 3:
                found = status_of_phrase(sents[-1])
                if found and _generic_subject(sents[-1].text):
                    context = found[0]
                    section = found
    return claims


_SECTION_RE = re.compile(
    r"^(?:\d{1,3}[.)]\s+)?(?P<title>[^()]{1,60}?)\s*\((?P<platform>[^()]{2,30})\)$"
)


def _section_title(text: str) -> str | None:
    """ "Cooking With Paris (Netflix)": a section heading naming a series and its platform, under
    a lead-in that gave the status of every section ("the shows that won't be returning:")."""
    m = _SECTION_RE.match(text.strip())
    if not m or not find_platforms(f"({m.group('platform')})"):
        return None
    return _item_title(m.group("title"))


def _link_platform(text: str) -> str | None:
    found = find_platforms(text)
    return found[-1][0] if found else None


_LIST_OPENER = re.compile(
    r"^\W*(?:these|those|they|that list|the list|among them|among those|this)\b[^.;]{0,40}?"
    r"\b(?:include|includes|included|including|are|were|comprise|being)\b",
    re.I,
)


_BACK_REFERENCE = re.compile(
    r"^\W*(?:these|those|they|both|all)\b|\b(?:these|those|both|all) (?:\w+ )?(?:shows|series|titles)\b",
    re.I,
)


_ONE_SHOW = re.compile(
    r"\b(?:a|an|another|one)\s+(?:[\w-]+\s+)?(?:show|drama|comedy|sitcom|thriller)\b", re.I
)


def _fill_cancelled_seasons(claims: list[Claim], texts: list[str], only: str | None = None) -> None:
    """A cancellation whose sentence names no season takes the one the article gives the whole
    group ("Peacock Drops Three Dramas After One Season", "each of these series ends after a
    single installment") when the headline and such sentences agree on one count."""
    counts = {
        e.number
        for t in texts
        for e in season_expressions(t)
        if e.kind == "after" and not re.match(r"\s*or\b", t[e.end :])
    }
    if len(counts) != 1:
        return
    season = counts.pop() + 1
    for c in claims:
        if only is not None and norm_title(c.series) != norm_title(only):
            continue
        if c.status == "cancelled" and c.season is None and not c.hedged:
            c.season = season


def _take_carried_season(found: list[Claim], carried: tuple[str, int | None]) -> None:
    """ "Apple has ordered second seasons for four of its shows. Apple has renewed A, B, C and D
    for another season.": claims without a season take the one the group was just given."""
    status, season = carried
    if season is None:
        return
    for c in found:
        if c.status == status and c.season is None and not c.hedged:
            c.season = season


_MORE_SEASONS = re.compile(
    r"\b(?:(?P<n>two|three|four|2|3|4) (?:more|additional|further) (?:seasons|installments)|"
    r"(?:another|one more|an additional) (?:season|installment|instalment))\b",
    re.I,
)
_ANAPHOR = re.compile(r"\b(?:of|on) (?:the|this) (?:show|series)\b|\b(?:the show's|its)\b", re.I)
_AIRED = re.compile(
    r"\b(aired|airs|premiered|released|debuted|dropped|arrived|launched|finale|streaming)\b", re.I
)


def _more_seasons(
    claims: list[Claim],
    sent_mentions: list[list[tuple[Span, list[Mention]]]],
    main: str | None,
) -> None:
    """ "renewed X for two more seasons" is the two seasons after the latest one the article
    says has aired; without such a season the claim keeps no season."""
    extra: list[Claim] = []
    for c in claims:
        if c.status in ("cancelled", "pending", "limited") and c.season is None and not c.hedged:
            c.season = _season_at_stake(norm_title(c.series), sent_mentions, main)
            continue
        m = _MORE_SEASONS.search(c.evidence)
        if c.status != "renewed" or c.season is not None or c.hedged or m is None:
            continue
        aired = _aired_season(norm_title(c.series), sent_mentions, main)
        if aired is None:
            continue
        count = season_count(m.group("n")) if m.group("n") else 1
        c.season = aired + 1
        extra.extend(replace(c, season=aired + k) for k in range(2, count + 1))
    claims.extend(extra)


def season_count(word: str) -> int:
    return {"two": 2, "three": 3, "four": 4}.get(word.lower()) or int(word)


def _season_at_stake(
    series: str,
    sent_mentions: list[list[tuple[Span, list[Mention]]]],
    main: str | None,
) -> int | None:
    """The season a cancellation, a pending decision or a limited run is about when its own
    sentence does not say: the one after the latest season the article says has aired, else the
    one the article asks about ("can you expect X season 2?")."""
    aired = _aired_season(series, sent_mentions, main)
    if aired is not None:
        return aired + 1
    return _aired_season(series, sent_mentions, main, asked=True)


def _aired_season(
    series: str,
    sent_mentions: list[list[tuple[Span, list[Mention]]]],
    main: str | None,
    asked: bool = False,
) -> int | None:
    """The latest season of a series the article says has aired ("Its second season aired
    last spring"), from sentences that name it or, for the main series, name no other;
    with ``asked``, the latest season a question asks about instead."""
    is_main = main is not None and norm_title(main) == series
    best: int | None = None
    for sm in sent_mentions:
        for sent, mentions in sm:
            text = sent.text.strip()
            if asked and not text.endswith("?"):
                continue
            aired = not asked and _AIRED.search(text) is not None
            names = {norm_title(m.series) for m in mentions}
            loose = series in names or (is_main and (not names or _ANAPHOR.search(sent.text)))
            for e in season_expressions(sent.text):
                # "its first (and only) season": a count of seasons made is aired by itself
                named = e.kind in ("number", "ordinal") and (aired or asked)
                made = not asked and e.kind == "after" and ONE_AND_DONE_RE.match(sent.text, e.start)
                if not (named or made):
                    continue
                owner = _season_owner(sent, e, mentions)
                lead = sent.text[: e.start].strip().lower() in ("", "the", "its")
                ok = owner == series if owner else loose or (is_main and lead)
                if ok and (best is None or e.number > best):
                    best = e.number
    return best


def _season_owner(sent: Span, e: SeasonExpr, mentions: list[Mention]) -> str | None:
    """The series a season expression belongs to when the text says so: "season 2 of X",
    "X season 2", "X's second season"."""
    after = sent.start_char + e.end
    before = sent.start_char + e.start
    doc = sent.doc
    for m in mentions:
        span = doc[m.start : m.end]
        if span.start_char >= after and re.fullmatch(
            r"\s+of\s+", doc.text[after : span.start_char]
        ):
            return norm_title(m.series)
        if span.end_char <= before and re.fullmatch(
            r"(?:'s|’s)?\s*", doc.text[span.end_char : before]
        ):
            return norm_title(m.series)
    return None


def _generic_status(sent: Span) -> tuple[str, int | None] | None:
    """The status a sentence gives a group it does not name ("six of these dramas were
    dropped after a single season"): carried to a following "These include X, Y"."""
    if len(sent) <= 3 or not _generic_subject(sent.text):
        return None
    return status_of_phrase(sent)


def _continued_list(
    sent: Span,
    mentions: list[Mention],
    carried: tuple[str, int | None],
    offset: int,
    platform: str | None,
) -> list[Claim]:
    """ "These include Bad Dinosaurs, The Brothers Sun and Kaos." after a generic status."""
    if len(mentions) < 2 or not _LIST_OPENER.match(sent.text):
        return []
    status, season = carried
    return [
        Claim(
            series=m.series,
            status=status,
            season=season,
            evidence=sent.text.strip(),
            start=offset + sent.start_char,
            end=offset + sent.end_char,
            platform=platform,
            final=status == "ended",
            confidence=0.6,
            trigger="carried",
            via="carried",
        )
        for m in mentions
    ]


def _generic_subject(text: str) -> bool:
    return bool(
        re.search(r"\b(shows|series|titles|these|those|following|list|below)\b", text, re.I)
    )


def _colon_claim(b: Block, platform: str | None, catalog: Catalog | None) -> Claim | None:
    m = _COLON_RE.match(b.text)
    if not m:
        return None
    title = m.group("title").strip()
    words = title.split()
    if (
        not words
        or len(words) > 8
        or not all(
            w[:1].isupper()
            or w[:1].isdigit()
            or w[:1] in "$&'"
            or w in ("of", "the", "and", "in", "with")
            for w in words
        )
    ):
        return None
    if norm_title(title) in NON_TITLES or re.search(
        r"renew|cancel|status|season|update|premiere|netflix|credit", title, re.I
    ):
        return None
    rest = m.group("rest")
    doc = parse_one(_parser(), rest)
    sents = list(doc.sents)
    if not sents:
        return None
    found = status_of_phrase(sents[0], season_expressions(sents[0].text))
    if found is None:
        return None
    status, season = found
    return Claim(
        series=_link(title, catalog),
        status=status,
        season=season,
        evidence=b.text,
        start=b.start,
        end=b.start + len(b.text),
        platform=platform,
        final=status == "ended",
        confidence=0.7,
        official=True if re.search(r"official", rest, re.I) else None,
        trigger="colon",
        via="colon",
    )


def _link(title: str, catalog: Catalog | None) -> str:
    written = title.rstrip(".") if not title.endswith("Co.") else title
    if catalog is None:
        return written
    for m in catalog.match(title):
        if m.end - m.start >= len(title.rstrip(".")) - 1:
            return m.title
    return link_title(written, catalog) or written


# --- resolution --------------------------------------------------------------------------------


def resolve(claims: list[Claim]) -> list[Claim]:
    """One claim per (series, status, season); drop the weaker duplicates and implied claims."""
    best: dict[tuple[str, str, int | None], Claim] = {}
    for c in claims:
        k = c.key
        cur = best.get(k)
        if cur is None or _better(c, cur):
            if cur is not None:
                c.final = c.final or cur.final
            best[k] = c
        else:
            cur.final = cur.final or c.final
    out = _cancelled_over_ended(_final_season_over(_latest(list(best.values()))))
    out = _planned_end_over_cancelled(_revived_over_cancelled(out))
    seasoned = {(norm_title(c.series), c.status) for c in out if c.season is not None}
    final_renewals = {
        (norm_title(c.series), c.season)
        for c in out
        if c.status == "renewed" and (c.final or c.season is not None)
    }
    final_series = {s for s, _ in final_renewals}
    kept = []
    for c in out:
        s = norm_title(c.series)
        if c.season is None and (s, c.status) in seasoned:
            continue
        if (
            c.status == "ended"
            and ((s, c.season) in final_renewals or (c.season is None and s in final_series))
            and not c.done
        ):
            continue
        if c.hedged and any(
            o is not c and not o.hedged and norm_title(o.series) == s and o.season == c.season
            for o in out
        ):
            continue
        kept.append(c)
    kept.sort(key=lambda c: (c.start, c.series))
    return kept


_REVIVE = frozenset(["save", "revive", "resurrect", "rescue"])


def _revived_over_cancelled(claims: list[Claim]) -> list[Claim]:
    """ "X is saved after being cancelled": a revival is the latest word, and the
    cancellation it undoes (no season, or the revived season) is history."""
    revived: dict[str, int | None] = {}
    for c in claims:
        if c.status == "renewed" and c.trigger in _REVIVE and not c.hedged:
            revived[norm_title(c.series)] = c.season
    out = []
    for c in claims:
        s = norm_title(c.series)
        if c.status == "cancelled" and s in revived:
            season = revived[s]
            if c.season is None or season is None or c.season == season:
                continue
        out.append(c)
    return out


def _planned_end_over_cancelled(claims: list[Claim]) -> list[Claim]:
    """ "X won't have a season 4 and wraps up with a movie" beside "X won't be back for a
    fourth season": one season cannot be both, and the article that says how
    the story concludes tells a planned ending, not a cancellation."""
    ended = {
        (norm_title(c.series), c.season)
        for c in claims
        if c.status == "ended" and c.season is not None and not c.hedged
    }
    return [
        c
        for c in claims
        if not (c.status == "cancelled" and (norm_title(c.series), c.season) in ended)
    ]


def _cancelled_over_ended(claims: list[Claim]) -> list[Claim]:
    """ "X is coming to a close after four seasons" beside "X was cancelled" (season 5): one fact,
    told as the cancellation; an ending with the season before a cancelled one is dropped."""
    cancelled = {
        (norm_title(c.series), c.season)
        for c in claims
        if c.status == "cancelled" and c.season is not None and not c.hedged
    }
    return [
        c
        for c in claims
        if not (
            c.status == "ended"
            and c.season is not None
            and (norm_title(c.series), c.season + 1) in cancelled
        )
    ]


def _final_season_over(claims: list[Claim]) -> list[Claim]:
    """ "renewed for a fourth and final season" and later "X has come to an end": the final
    season has aired, so the article's word is that the series ended with that season."""
    finals: dict[str, int] = {}
    for c in claims:
        if c.status == "renewed" and c.final and c.season is not None and not c.hedged:
            s = norm_title(c.series)
            finals[s] = max(finals.get(s, 0), c.season)
    over: set[tuple[str, int]] = set()
    for c in claims:
        s = norm_title(c.series)
        ok = c.status == "ended" and c.done and not c.hedged and s in finals
        if ok and (c.season is None or c.season == finals[s]):
            c.season = finals[s]
            over.add((s, finals[s]))
    return [
        c
        for c in claims
        if not (c.status == "renewed" and (norm_title(c.series), c.season) in over)
    ]


def _latest(claims: list[Claim]) -> list[Claim]:
    """An article's latest word per series: for each status only the highest season is kept
    (earlier ones are history: "picked up for season four ... renewed for season five"), and a
    season announced as the last gives way to a later renewal ("the fifth was meant to be the
    last; now a sixth season is going ahead")."""
    top: dict[tuple[str, str], int] = {}
    for c in claims:
        if c.season is not None and not c.hedged:
            k = (norm_title(c.series), c.status)
            top[k] = max(top.get(k, 0), c.season)
    top_start: dict[tuple[str, str], set[int]] = {}
    for c in claims:
        k = (norm_title(c.series), c.status)
        if c.season is not None and c.season == top.get(k):
            top_start.setdefault(k, set()).add(c.start)
    out = []
    for c in claims:
        k = (norm_title(c.series), c.status)
        if (
            c.season is not None
            and k in top
            and c.season < top[k]
            and c.start not in top_start.get(k, set())  # same sentence: "season 2 and 3"
        ):
            continue
        renewed_top = top.get((k[0], "renewed"))
        if c.status == "ended" and c.season is not None and renewed_top and renewed_top > c.season:
            continue
        out.append(c)
    return out


def _better(a: Claim, b: Claim) -> bool:
    if a.hedged != b.hedged:
        return not a.hedged
    if abs(a.confidence - b.confidence) > 1e-9:
        return a.confidence > b.confidence
    return a.start < b.start


# --- quotes, cast, dates (other modules) ------------------------------------------------------


def _attach_others(
    ex: Extraction, article: Article, text: str, docs: list[Doc], blocks: list[Block]
) -> None:
    find_quotes = _optional("renewcast.news.quotes", "find_quotes")
    find_cast = _optional("renewcast.news.cast", "find_cast")
    find_dates = _optional("renewcast.news.dates", "find_dates")
    whole: Doc | None = None
    if find_quotes is not None or find_cast is not None:
        whole = _whole_doc(docs)
    whole_text = whole.text if whole is not None else ""  # spaCy joins it anew on each read
    if find_quotes is not None and whole is not None:
        ex.quotes = _shift(_jsonable(find_quotes(whole, whole_text)), blocks, docs)
    ex.people = article_people(docs, ex.quotes)
    if find_cast is not None and whole is not None:
        ex.cast = _jsonable(find_cast(whole, whole_text))
    if find_dates is not None:
        ex.dates = _jsonable(find_dates(text[:PARSE_ALL_CHARS], article.published_date))


def _whole_doc(docs: list[Doc]) -> Doc | None:
    from spacy.tokens import Doc

    if not docs:
        return None
    return Doc.from_docs(docs, ensure_whitespace=True)


def _shift(
    items: list[dict[str, Any]], blocks: list[Block], docs: list[Doc]
) -> list[dict[str, Any]]:
    return items  # offsets refer to the joined blocks; kept as the quotes module gives them


def _speakers_to_claims(ex: Extraction) -> None:
    """Who states each claim: the people and organisations the trained speaker model picks from
    everyone the article names (quoted, reported as saying, or named)."""
    if not ex.claims or ex.people is None:
        return
    from renewcast.news.learned import load_default_model, main_series, select_speakers

    model = load_default_model()
    keys = [norm_title(c.series) for c in ex.claims]
    main = main_series(ex.people, keys)
    for c, key in zip(ex.claims, keys, strict=True):
        c.speakers = select_speakers(
            model.speaker, model.speaker_threshold, ex.people, key, c.evidence, key == main
        )


# --- streaming ---------------------------------------------------------------------------------


@dataclass(slots=True)
class ExtractStats:
    articles: int = 0
    claims: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def extract_jsonl(
    lines: str | Iterable[str] | IO[str],
    out: IO[str],
    catalog: Catalog | None = None,
    name: str = "<stdin>",
    all_claims: bool = False,
) -> ExtractStats:
    """Read articles as JSONL, write one extraction JSON object per line; bad lines reported.

    Only the claims confident enough to state a status are written unless ``all_claims``."""
    stats = ExtractStats()
    for item in read_jsonl(lines, name=name):
        if isinstance(item, RowProblem):
            stats.problems.append(item)
            continue
        try:
            ex = extract_article(item, catalog)
        except Exception as e:  # one article must not stop the stream
            stats.problems.append(RowProblem(name, None, item.id, f"extraction failed: {e}"))
            continue
        if not all_claims:
            ex.claims = [c for c in ex.claims if decided(c)]
        out.write(json.dumps(ex.to_json(), ensure_ascii=False) + "\n")
        stats.articles += 1
        stats.claims += len(ex.claims)
        stats.notes.extend(f"{item.id}: {n}" for n in ex.notes)
    return stats
