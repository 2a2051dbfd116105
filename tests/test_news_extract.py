"""extract_article / extract_jsonl on the seed article and on awkward inputs."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

from renewcast.news.article import MAX_TEXT_CHARS, Article
from renewcast.news.extract import extract_article, extract_jsonl
from renewcast.news.mentions import TitleCatalog

CLAIM_KEYS = {
    "series",
    "platform",
    "season",
    "status",
    "evidence",
    "speakers",
    "final",
    "confidence",
    "hedged",
    "official",
    "start",
    "end",
}


def seed(path: Path) -> Article:
    text = path.read_text(encoding="utf-8")
    return Article(
        "seed", text, title=text.splitlines()[0], published=datetime(2022, 9, 1, tzinfo=UTC)
    )


def test_seed_is_pending_season_2_not_limited(seed_article: Path) -> None:
    art = seed(seed_article)
    ex = extract_article(art)
    stated = [c for c in ex.claims if not c.hedged]
    pending = [c for c in stated if c.series == "Partner Track" and c.status == "pending"]
    assert [c.season for c in pending] == [2]
    assert "hasn't been confirmed by Netflix just yet" in pending[0].evidence
    assert art.text[pending[0].start : pending[0].end] == pending[0].evidence
    assert pending[0].platform == "Netflix"
    assert not any(c.status == "limited" for c in ex.claims)
    assert not any(c.status == "renewed" and not c.hedged for c in ex.claims)


def test_to_json_shape(seed_article: Path) -> None:
    out = extract_article(seed(seed_article)).to_json()
    assert set(out) == {"id", "claims", "quotes", "cast", "dates"}
    for claim in out["claims"]:
        assert set(claim) == CLAIM_KEYS
        assert 0.0 <= claim["confidence"] <= 1.0
    json.dumps(out)


def test_empty_text_gives_no_claims() -> None:
    ex = extract_article(Article("empty", ""))
    assert ex.claims == [] and ex.to_json()["claims"] == []
    assert extract_article(Article("blank", "  \n\n ")).claims == []


def test_five_megabytes_of_text_is_cut_and_handled() -> None:
    para = (
        "Critics praised the production design and the score of the drama this week. "
        "Viewers discussed the finale on social media for days afterwards.\n"
    )
    claim = "Netflix has renewed Granite Shore for a second season.\n"
    text = claim + para * (5_000_000 // len(para))
    assert len(text) > 4_900_000
    ex = extract_article(Article("big", text))
    assert any(n.startswith("text cut") and f"{MAX_TEXT_CHARS:,}" in n for n in ex.notes)
    assert ("Granite Shore", "renewed", 2) in [(c.series, c.status, c.season) for c in ex.claims]


def test_catalog_links_to_canonical_title() -> None:
    catalog = TitleCatalog([("Lockwood & Co.", ["Lockwood and Co"])])
    art = Article("c", "Netflix has cancelled Lockwood and Co after one season.")
    ex = extract_article(art, catalog)
    assert [(c.series, c.status, c.season) for c in ex.claims] == [
        ("Lockwood & Co.", "cancelled", 2)
    ]


def test_extract_jsonl_reports_bad_lines_and_keeps_good_ones() -> None:
    good = {
        "id": "a1",
        "text": "HBO has renewed Salt Flats for a third season.",
        "published": "2024-01-02",
    }
    lines = [
        json.dumps(good),
        "{not json",
        json.dumps({"id": "a2"}),
        json.dumps({"id": "a3", "text": ""}),
    ]
    out = io.StringIO()
    stats = extract_jsonl(lines, out, name="in.jsonl")
    rows = [json.loads(x) for x in out.getvalue().splitlines()]
    assert [r["id"] for r in rows] == ["a1", "a3"]
    assert rows[0]["claims"][0]["series"] == "Salt Flats"
    assert [(p.line, p.field) for p in stats.problems] == [(2, None), (3, "text")]
    assert stats.articles == 2 and stats.claims == 1


def test_title_catalog_forgives_one_slip_and_a_cut_title() -> None:
    titles = ["Obliterated", "Avatar: The Last Airbender", "Lantern Bay: The Series", "Dark"]
    titles += ["Season Pass", "The Quarry Lights", "The Orchard", "Lagoon", "The Lagoon"]
    catalog = TitleCatalog([*titles, "The Undertakers"])
    assert catalog.canonical("Obilterated") == "Obliterated"
    assert catalog.canonical("lantern bay") == "Lantern Bay: The Series"
    assert catalog.canonical("Obliterate Two") is None
    assert catalog.canonical("Darkly") is None  # short titles need an exact match
    # "The" may be left out of a longer title, not added to or dropped from a one-word one
    assert catalog.canonical("Quarry Lights") == "The Quarry Lights"
    assert catalog.canonical("Orchard") is None
    assert catalog.canonical("Lagoon") == "Lagoon"
    assert catalog.canonical("the lagoon") == "The Lagoon"
    assert catalog.canonical("Undertaker") is None  # nor with a slip
    # a one-word head is as often another show, or a film
    assert catalog.canonical("avatar") is None
    assert [m.title for m in catalog.match("The Orchard and Orchard.")] == ["The Orchard"]


def test_title_catalog_finds_titles_of_every_shape_in_running_text() -> None:
    """Titles are tried only where some title's first word stands, and no longer than the
    longest such title: the same matches as trying every stretch of words."""
    catalog = TitleCatalog(["Marlow & Finch", "The Quarry Lights", "Ferns of the North: Winter"])
    text = (
        "Netflix renewed Marlow&Finch and The Quarry Lights - then Ferns of the North: Winter "
        "and Quarry Lights came back; the quarry lights stayed dark, as did Ferns."
    )
    found = [(m.title, text[m.start : m.start + 5]) for m in catalog.match(text)]
    assert found == [
        ("Marlow & Finch", "Marlo"),
        ("The Quarry Lights", "The Q"),
        ("Ferns of the North: Winter", "Ferns"),
        ("The Quarry Lights", "Quarr"),
    ]


def test_store_catalog_reads_titles_and_season_aliases(engine) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    from renewcast.news.mentions import StoreCatalog
    from renewcast.store.schema import series, series_aliases

    when = datetime(2024, 1, 1, tzinfo=UTC)
    with engine.begin() as conn:
        for sid, title in [(1, "Granite Shore"), (2, "Dark"), (3, "Captain Gale: Part 1")]:
            conn.execute(
                series.insert().values(
                    id=sid, title=title, norm_title=title.lower(), first_known_at=when
                )
            )
        conn.execute(
            series_aliases.insert().values(
                series_id=1, alias="Granite Shores: Season 2", norm="x", source="t"
            )
        )
    catalog = StoreCatalog.from_engine(engine)
    assert catalog.canonical("Granite Shores") == "Granite Shore"
    assert catalog.canonical("Captain Gale") == "Captain Gale"
    # one-word titles are linked when a mention names them, never searched for in running text
    assert catalog.canonical("Dark") == "Dark"
    assert [m.title for m in catalog.match("In Dark times Granite Shore is back.")] == [
        "Granite Shore"
    ]
    art = Article("s", "Netflix has renewed Granite Shores for a third season.")
    ex = extract_article(art, catalog)
    assert [(c.series, c.status, c.season) for c in ex.claims] == [("Granite Shore", "renewed", 3)]
