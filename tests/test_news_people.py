"""People and companies named in an article are not series; common words can be titles."""

from __future__ import annotations

from pathlib import Path

import pytest

from renewcast.news.article import Article, read_jsonl
from renewcast.news.extract import _parser, extract_article
from renewcast.news.mentions import find_mentions, norm_title


@pytest.fixture(scope="module")
def archive(data_dir: Path) -> dict[str, Article]:
    path = data_dir / "news" / "articles.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    return {a.id: a for a in read_jsonl(lines, name=str(path)) if isinstance(a, Article)}


def _series(article: Article) -> set[str]:
    return {norm_title(c.series) for c in extract_article(article).claims}


def _mentions(text: str) -> list[str]:
    doc = _parser()(text)
    return [m.series for s in doc.sents for m in find_mentions(s)]


def _find(archive: dict[str, Article], phrase: str) -> Article:
    hits = [a for a in archive.values() if phrase in a.text]
    assert hits, f"no article of the archive contains {phrase!r}"
    return hits[0]


def test_cast_listed_after_stars_are_not_series(archive: dict[str, Article]) -> None:
    article = _find(archive, "Show stars, including Topher Grace")
    found = _series(article)
    assert not {"topher grace", "ashton kutcher", "mila kunis"} & found
    assert any("90s show" in s for s in found)


def test_actors_and_characters_are_not_series(archive: dict[str, Article]) -> None:
    lucifer = _find(archive, "follows Lucifer Morningstar, who")
    assert "lucifer morningstar" not in _series(lucifer)
    assert "lucifer" in _series(lucifer)
    sex_ed = _find(archive, "Asa Butterfield and Gillian Anderson will portray")
    assert "asa butterfield" not in _series(sex_ed)
    dark = _find(archive, "Baran bo Odar-created")
    assert not {"baran", "the jantjee friese", "jantjee friese"} & _series(dark)


def test_role_phrases_and_companies_are_not_series(archive: dict[str, Article]) -> None:
    article = _find(archive, "Netflix Head of Global TV said")
    assert not any("head of global" in s for s in _series(article))
    article = _find(archive, "Production company Complete Fiction Pictures")
    assert not any("complete fiction" in s for s in _series(article))


def test_a_title_named_after_its_hero_stays_a_title(archive: dict[str, Article]) -> None:
    article = _find(archive, "renewed Wednesday for season 2")
    claims = extract_article(article).claims
    assert any(norm_title(c.series) == "wednesday" and c.status == "renewed" for c in claims)


def test_common_words_as_titles() -> None:
    assert "You" in _mentions("The streamer has not officially renewed You for Season 3.")
    assert "You" in _mentions("You was renewed for a sixth and final season.")
    assert "You" not in _mentions("You have stopped me in shops all over the world.")
    assert "Wednesday" not in _mentions("Netflix announced on Wednesday that it renewed the show.")
    assert "SEE" in _mentions('Apple has renewed "The Morning Show", "SEE" and "Dickinson".')


def test_runs_stop_where_titles_stop() -> None:
    found = _mentions(
        "Endings of shows such as Daredevil and Jessica Jones on Netflix left fans sad."
    )
    assert "Jessica Jones" in found and "Jessica Jones on Netflix" not in found
    found = _mentions("From Orange Is the New Black to Copper Valley, it cancels shows.")
    assert "Orange Is the New Black" in found and "Copper Valley" in found
    assert _mentions("Glass Orchard: Extended to Full First Season") == ["Glass Orchard"]
    assert _mentions(
        "The streamer is not proceeding with further installments of That ’90s Show."
    ) == ["That ’90s Show"]
    found = _mentions("Only Murders in the Building keeps finding success on Hulu.")
    assert any(m.endswith("Murders in the Building") for m in found)


def test_every_quoted_title_of_a_renewal_list_is_renewed() -> None:
    from renewcast.news.claims import sentence_claims

    doc = _parser()(
        'Apple has just renewed "The Morning Show", "SEE", "Dickinson", and '
        '"Copper Valley" for another season.'
    )
    sent = next(iter(doc.sents))
    found = {c.series for c in sentence_claims(sent, find_mentions(sent), None, 0, None)}
    assert {"The Morning Show", "SEE", "Dickinson", "Copper Valley"} <= found
