"""Status-claim rules on sentences written for these tests (not taken from the labels)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from renewcast.news.article import Article
from renewcast.news.claims import season_expressions
from renewcast.news.extract import extract_rules as extract_article


def claims_of(text: str, title: str | None = None) -> list[tuple[str, str, int | None]]:
    art = Article("t", text, title=title, published=datetime(2024, 5, 1, tzinfo=UTC))
    return [(c.series, c.status, c.season) for c in extract_article(art).claims if not c.hedged]


def test_renewed_with_ordinal_season() -> None:
    got = claims_of("Hulu has renewed Harbor Lights for a third season.")
    assert ("Harbor Lights", "renewed", 3) in got


def test_cancelled_after_n_seasons_is_about_the_next_season() -> None:
    got = claims_of("Peacock has cancelled Copper Valley after two seasons.")
    assert got == [("Copper Valley", "cancelled", 3)]


def test_final_season_renewal_is_renewed_and_final() -> None:
    art = Article("t", "Starz renewed Iron Orchard for a fifth and final season on Monday.")
    claims = extract_article(art).claims
    assert [(c.series, c.status, c.season, c.final) for c in claims] == [
        ("Iron Orchard", "renewed", 5, True)
    ]


def test_ending_after_a_named_season_is_ended() -> None:
    got = claims_of("The comedy Night Shift Diner will end after its seventh season, FX said.")
    assert ("Night Shift Diner", "ended", 7) in got


def test_negated_renewal_not_yet_is_pending() -> None:
    got = claims_of("Glass Harbor hasn't been renewed for a second season yet.")
    assert got == [("Glass Harbor", "pending", 2)]


def test_negated_future_renewal_is_cancelled() -> None:
    got = claims_of("Netflix will not renew Paper Kingdoms for a third season.")
    assert got == [("Paper Kingdoms", "cancelled", 3)]


def test_negated_cancellation_is_not_cancelled() -> None:
    got = claims_of("The network has not cancelled Silver Creek, which remains on hiatus.")
    assert ("Silver Creek", "cancelled", None) not in got


def test_not_listed_as_limited_series_is_no_limited_claim() -> None:
    got = claims_of("Blue Meridian isn't listed as a limited series on the streamer.")
    assert all(status != "limited" for _, status, _ in got)


def test_limited_series_claim() -> None:
    got = claims_of("Glass Orchard was billed as a limited series from the start.")
    assert ("Glass Orchard", "limited", None) in got


def test_hedged_renewal_is_flagged() -> None:
    art = Article("t", "Netflix could renew Moon Harbor for a second season if the numbers hold.")
    claims = extract_article(art).claims
    assert claims and all(c.hedged for c in claims)
    assert all(c.confidence < 0.5 for c in claims)


def test_headline_question_gives_no_claim() -> None:
    assert claims_of("Will there be a Velvet Road season 2 on Netflix?") == []


def test_will_not_return_is_cancelled() -> None:
    got = claims_of("Sadly, Marble Hills will not return for a fourth season on Max.")
    assert got == [("Marble Hills", "cancelled", 4)]


def test_list_of_series_after_a_cancel_verb() -> None:
    got = claims_of(
        "Earlier this year the streamer cancelled several shows, including Red Mile, Tin Crown and Lantern Bay."
    )
    assert {s for s, st, _ in got if st == "cancelled"} == {"Red Mile", "Tin Crown", "Lantern Bay"}


def test_heading_list() -> None:
    text = "Network decisions\n\nRecent Cancellations\n\nRed Mile\nTin Crown\n\nRecent Renewals\n\nLantern Bay\nOld Pier\n"
    got = claims_of(text)
    assert ("Red Mile", "cancelled", None) in got and ("Tin Crown", "cancelled", None) in got
    assert ("Lantern Bay", "renewed", None) in got and ("Old Pier", "renewed", None) in got


def test_platform_from_sentence() -> None:
    art = Article("t", "Apple TV+ has renewed Quiet Orbit for a second season.")
    (claim,) = extract_article(art).claims
    assert claim.platform == "Apple TV+"


@pytest.mark.parametrize(
    ("text", "number", "kind"),
    [
        ("renewed for a second season", 2, "ordinal"),
        ("Season 4 premieres", 4, "number"),
        ("cancelled after just one season", 1, "after"),
        ("its fourth and final season", 4, "ordinal"),
        ("season three", 3, "number"),
    ],
)
def test_season_expressions(text: str, number: int, kind: str) -> None:
    (e,) = season_expressions(text)
    assert (e.number, e.kind) == (number, kind)


def test_these_include_carries_the_previous_sentences_status() -> None:
    got = claims_of(
        "Eight of these shows got their marching orders after only one season. "
        "These include Red Mile, Tin Crown and Lantern Bay."
    )
    assert {(s, st, n) for s, st, n in got} >= {
        ("Red Mile", "cancelled", 2),
        ("Tin Crown", "cancelled", 2),
        ("Lantern Bay", "cancelled", 2),
    }


def test_shows_that_are_not_coming_back_are_listed_after_the_copula() -> None:
    got = claims_of("Among the shows that aren't coming back are Red Mile, Tin Crown and Old Pier.")
    assert {s for s, st, _ in got if st == "cancelled"} == {"Red Mile", "Tin Crown", "Old Pier"}


def test_title_colon_stays_in_one_title() -> None:
    got = claims_of(
        "The streamer terminated four shows, including Dust Road, Harbor: Legacy and Sky Pier."
    )
    assert ("Harbor: Legacy", "cancelled", None) in got
    assert all(s != "Harbor" for s, _, _ in got)


def test_group_count_after_a_list_gives_the_season() -> None:
    got = claims_of(
        "Also getting the axe: comedies Red Mile and Tin Crown. "
        "These shows both end after only one installment."
    )
    assert ("Red Mile", "cancelled", 2) in got and ("Tin Crown", "cancelled", 2) in got


def test_reported_cancellation_is_not_hedged() -> None:
    got = claims_of(
        "Guess we won't see them again, as it's reported that Netflix has canceled Dust Road."
    )
    assert ("Dust Road", "cancelled", None) in got


def test_title_case_headline_words_are_not_series() -> None:
    text = (
        "Netflix Just Canceled Another Show, And I Was Surprised About The Response\n"
        "Netflix has cancelled the animated series Iron Meadow after one season."
    )
    got = claims_of(text)
    assert ("Iron Meadow", "cancelled", 2) in got
    assert all("Surprised" not in s for s, _, _ in got)


def test_people_in_a_cast_sentence_are_not_the_series() -> None:
    text = (
        "Netflix has renewed Velvet Harbor for a second season. "
        "Starring Maria Lopez and Daniel Brooks, the series returns next year."
    )
    got = claims_of(text)
    assert ("Velvet Harbor", "renewed", 2) in got
    assert all(s not in ("Maria Lopez", "Daniel Brooks") for s, _, _ in got)


# --- round 3: finding the series -------------------------------------------------------------


def test_main_series_prefers_the_show_over_its_characters() -> None:
    text = (
        "Marta and Jonas are back in Lantern Bay. Marta spends the season looking for Jonas. "
        "Jonas, meanwhile, hides in the harbour. The drama Lantern Bay has been renewed by the "
        "streamer. The series will return for a third season next year."
    )
    got = claims_of(text)
    assert ("Lantern Bay", "renewed", 3) in got
    assert all(series not in ("Marta", "Jonas") for series, _, _ in got)


def test_a_first_paragraph_is_not_a_headline() -> None:
    text = (
        "It is almost Halloween, and Rosa Vane has a lot to celebrate this week with her friends. "
        "She stars in the fantasy series Copper Moon, about a night market.\n"
        "Copper Moon was a hit. The show has now been renewed for a second season."
    )
    assert ("Copper Moon", "renewed", 2) in claims_of(text)


def test_a_number_after_a_series_noun_is_a_title() -> None:
    got = claims_of("Amazon said the period series 1921 would not return for a second season.")
    assert ("1921", "cancelled", 2) in got


def test_the_plus_two_capitals_is_a_title() -> None:
    assert ("The QX", "renewed", 2) in claims_of("The QX has been renewed for a second season.")


def test_weekday_named_series() -> None:
    got = claims_of("Netflix has confirmed that Friday is renewed for season 2.")
    assert ("Friday", "renewed", 2) in got
    assert claims_of("Netflix announced Friday that it renewed Glass Tide for season 2.") == [
        ("Glass Tide", "renewed", 2)
    ]


def test_sentence_initial_adjective_is_kept_when_the_title_recurs() -> None:
    text = (
        "Fans of Outer Reach have waited a long time.\n"
        "Outer Reach, which is in the middle of its third season, is officially coming to an end."
    )
    got = claims_of(text)
    assert any(s == "Outer Reach" and st == "ended" for s, st, _ in got), got
    assert all(s != "Reach" for s, _, _ in got)


def test_a_year_after_a_network_is_not_part_of_a_title() -> None:
    got = claims_of("Originally cancelled by Fox in 2019, the show Harbor Nine was saved by Hulu.")
    assert all("2019" not in s for s, _, _ in got)


def test_announced_that_it_will_not_receive_a_season_is_cancelled() -> None:
    got = claims_of(
        "It was announced on Monday that the series Tin Crown would not be receiving a second "
        "season."
    )
    assert ("Tin Crown", "cancelled", 2) in got
    assert ("Tin Crown", "renewed", 2) not in got
