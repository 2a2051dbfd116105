"""Actor ↔ character pairs: the seed article's six, no spurious pair, and one case per pattern."""

from __future__ import annotations

from pathlib import Path

import pytest

from renewcast.news.article import Article, read_jsonl
from renewcast.news.cast import CastPair, clean_name, find_cast, is_actor_name
from renewcast.news.nlp import get_nlp


def pairs(text: str) -> set[tuple[str, str]]:
    return {(p.actor, p.character) for p in find_cast(get_nlp()(text))}


def test_seed_article_six_pairs_and_nothing_else(seed_article: Path) -> None:
    text = seed_article.read_text(encoding="utf-8")
    found = find_cast(get_nlp()(text))
    assert {(p.actor, p.character) for p in found} == {
        ("Arden Cho", "Ingrid Yun"),
        ("Dominic Sherwood", "Jeff Murphy"),
        ("Alexandra Turshen", "Rachel Friedman"),
        ("Bradley Gibson", "Tyler Robinson"),
        ("Nolan Gerard Funk", "Dan Fallon"),
        ("Rob Heaps", "Nick Laren"),
    }
    assert len(found) == 6
    for p in found:
        assert p.actor in text[p.start : p.end] and p.character in text[p.start : p.end]
        assert p.actor in p.evidence
    heaps = next(p for p in found if p.actor == "Rob Heaps")
    assert heaps.evidence.startswith("It's unlikely that we'll be seeing actor Rob Heaps")
    assert heaps.to_json()["character"] == "Nick Laren"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Mara Quill stars as Detective Ivy Kerr.", {("Mara Quill", "Detective Ivy Kerr")}),
        ("Leon Abara plays Silas in the drama.", {("Leon Abara", "Silas")}),
        ("Tess Ormond, who portrays Greta Vale, is back.", {("Tess Ormond", "Greta Vale")}),
        (
            "Expect lead actress Nina Castell to return as Joss Amberley.",
            {("Nina Castell", "Joss Amberley")},
        ),
        ("We may see actor Pim Jansen back as Otto Brandt.", {("Pim Jansen", "Otto Brandt")}),
        ("Ruth Okoye will reprise her role as Abigail Stone.", {("Ruth Okoye", "Abigail Stone")}),
        (
            "Joining them is Carl Tevin, who stars as ruthless banker Hugo Marr.",
            {("Carl Tevin", "Hugo Marr")},
        ),
        ("Ferris Lane, played by Owen Tally, is the villain.", {("Owen Tally", "Ferris Lane")}),
        ("Ferris Lane (played by Owen Tally) is the villain.", {("Owen Tally", "Ferris Lane")}),
        (
            "Her sisters Maya Rowe and Lena Rowe, played by Ada Finch and Bea Lott, return.",
            {("Ada Finch", "Maya Rowe"), ("Bea Lott", "Lena Rowe")},
        ),
        (
            "The returning cast includes Ada Finch as Maya Rowe, Bea Lott as Lena, and Kit Moss as Dr. Haas.",
            {("Ada Finch", "Maya Rowe"), ("Bea Lott", "Lena"), ("Kit Moss", "Dr. Haas")},
        ),
        (
            "The cast of season two: Wren Hollis (Kaya), Jude Arkwright (Marlowe) and Bo Tran (Pip).",
            {("Wren Hollis", "Kaya"), ("Jude Arkwright", "Marlowe"), ("Bo Tran", "Pip")},
        ),
        (
            "Stars returning include Kaya Stone (Wren Hollis) and Marlowe Finch (Jude Arkwright).",
            {("Wren Hollis", "Kaya Stone"), ("Jude Arkwright", "Marlowe Finch")},
        ),
        ("The cast includes Pete Varga (Coach Moss).", {("Pete Varga", "Coach Moss")}),
    ],
)
def test_patterns(text: str, expected: set[tuple[str, str]]) -> None:
    assert pairs(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The finale revealed that Jeff (Murphy) had told the firm.",  # a surname gloss
        "Netflix listed Ivy Kerr as a limited series.",  # 'as' + lower-case
        "Critics such as Ann Hobbs praised it as Best Drama.",  # no cast cue, 'such as'
        "He plays a key role in Netflix's plans.",  # no character name
        "Mara Quill stars as a DEA agent.",  # an organisation acronym before a noun
        "The cast returns, with Dana Roe as notorious Colombian drug lord.",  # modifier, not a name
        "Partner Track (Netflix) was renewed.",  # platform in brackets
    ],
)
def test_no_spurious_pairs(text: str) -> None:
    assert pairs(text) == set()


def test_duplicates_are_merged_keeping_the_first_statement() -> None:
    text = "Ana Pike stars as June Lark.\nLater, Ana Pike returns as June Lark, of course."
    found = find_cast(get_nlp()(text))
    assert len(found) == 1 and found[0].start == 0
    assert isinstance(found[0], CastPair)


def test_name_helpers() -> None:
    assert clean_name("Plus Lead Actor Arden Cho") == "Arden Cho"
    assert clean_name("Jeff Murphy Netflix", "prefix") == "Jeff Murphy"
    assert is_actor_name("Nolan Gerard Funk") and is_actor_name("D.B. Weiss")
    assert not is_actor_name("Murphy") and not is_actor_name("Princess Yue")


def test_real_articles_do_not_crash(data_dir: Path) -> None:
    nlp = get_nlp()
    with (data_dir / "news" / "articles.jsonl").open(encoding="utf-8") as f:
        articles = [a for a in read_jsonl(f) if isinstance(a, Article)]
    found = [p for doc in nlp.pipe(a.text for a in articles) for p in find_cast(doc)]
    assert len(found) > 50
    assert all(is_actor_name(p.actor) and p.character for p in found)
