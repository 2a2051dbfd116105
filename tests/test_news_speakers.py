"""Who stated a claim: reported speech and inverted attributions, on real archive articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from renewcast.news.article import Article, read_jsonl
from renewcast.news.extract import _parser, extract_article
from renewcast.news.mentions import norm_title
from renewcast.news.quotes import find_quotes
from renewcast.news.speakers import reported_speakers, split_names


@pytest.fixture(scope="module")
def archive(data_dir: Path) -> dict[str, Article]:
    path = data_dir / "news" / "articles.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    return {a.id: a for a in read_jsonl(lines, name=str(path)) if isinstance(a, Article)}


def _find(archive: dict[str, Article], phrase: str) -> Article:
    hits = [a for a in archive.values() if phrase in a.text]
    assert hits, f"no article of the archive contains {phrase!r}"
    return hits[0]


def _speakers(article: Article, series: str) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for c in extract_article(article).claims:
        if norm_title(c.series) == norm_title(series):
            out.update({s.name: s.role for s in c.speakers})
    return out


def test_reported_speech_names_the_speaker(archive: dict[str, Article]) -> None:
    article = _find(archive, "Warrior Nun creator Simon Barry confirmed")
    assert _speakers(article, "Warrior Nun").get("Simon Barry") == "creator"


def test_joint_statement_is_several_speakers(archive: dict[str, Article]) -> None:
    article = _find(archive, "Miles Millar and Alfred Gough")
    found = _speakers(article, "Wednesday")
    assert {"Miles Millar", "Alfred Gough"} <= set(found)


def test_inverted_attribution_with_a_title_phrase(archive: dict[str, Article]) -> None:
    article = _find(archive, "said Netflix head of originals Cindy Holland")
    doc = _parser()(article.text)
    assert ("Cindy Holland", "network executive") in {(q.speaker, q.role) for q in find_quotes(doc)}


def test_reported_speakers_on_sentences() -> None:
    nlp = _parser()

    def who(text: str) -> list[tuple[str, str | None]]:
        return [(s.name, s.role) for s in reported_speakers(next(iter(nlp(text).sents)))]

    assert who("HBO CEO Lena Park has confirmed that season 3 is slated for 2027.") == [
        ("Lena Park", "network executive")
    ]
    assert who("According to showrunner Jude Farrow, the season will be shorter.") == [
        ("Jude Farrow", "showrunner")
    ]
    assert who("Netflix confirmed that the show is over.") == []
    assert split_names("Miles Millar and Alfred Gough") == ["Miles Millar", "Alfred Gough"]
    assert split_names("Ginny and Georgia") == ["Ginny and Georgia"]


def test_article_people_collects_every_kind_of_candidate() -> None:
    from renewcast.news.features import speaker_rows
    from renewcast.news.speakers import article_people

    nlp = _parser()
    docs = [
        nlp("Harbor Lights will return for a third season, Streamly announced on Monday."),
        nlp("Showrunner Dana Whitcombe told reporters that the writers are already at work."),
        nlp("Meanwhile, Tom Ashdown starred in a film about sailing."),
    ]
    quotes = [
        {
            "text": "We have so much more story to tell",
            "speaker": "Dana Whitcombe",
            "role": "showrunner",
            "sentence": "Showrunner Dana Whitcombe told reporters that the writers are already at work.",
        }
    ]
    people = article_people(docs, quotes)
    kinds = {(m.name, m.kind) for m in people.mentions}
    assert ("Dana Whitcombe", "reported") in kinds and ("Dana Whitcombe", "quote") in kinds
    assert any(m.name == "Tom Ashdown" and m.kind == "person" for m in people.mentions)
    rows = {
        name: f
        for name, _, f in speaker_rows(
            people, "harbor lights", "Harbor Lights will return for a third season.", True
        )
    }
    # one row per person, whatever the spelling ("Whitcombe" alone is the same person)
    assert "Dana Whitcombe" in rows and rows["Dana Whitcombe"]["quote"] == 1.0
    assert rows["Dana Whitcombe"]["role:showrunner"] == 1.0
    assert rows["Dana Whitcombe"]["d_series"] < rows["Tom Ashdown"]["d_series"]
    assert "harbor lights" not in {norm_title(n) for n in rows}


def test_names_lose_what_the_tagger_takes_into_them() -> None:
    from renewcast.news.speakers import _bare_name

    assert _bare_name("Showrunner Dana Whitcombe") == "Dana Whitcombe"
    assert _bare_name("Streamly CEO Lena Park") == "Lena Park"  # the role of an organisation
    assert _bare_name("popular Streamly") == "Streamly"
    assert _bare_name("Dana Whitcombe’s") == "Dana Whitcombe"


def test_a_platform_the_tagger_misses_is_a_candidate_and_subjects_are_marked() -> None:
    from renewcast.news.features import speaker_rows
    from renewcast.news.speakers import article_people

    nlp = _parser()
    docs = [nlp("Yesterday Hulu cancelled Harbor Lights after two seasons, a blow to its fans.")]
    people = article_people(docs, [])
    hulu = [m for m in people.mentions if m.name == "Hulu"]
    assert hulu and all(m.kind == "org" for m in hulu) and any(m.subject for m in hulu)
    rows = {n: f for n, _, f in speaker_rows(people, "harbor lights", docs[0].text, True)}
    assert rows["Hulu"]["subject_evidence"] == 1.0 and rows["Hulu"]["platform"] == 1.0
