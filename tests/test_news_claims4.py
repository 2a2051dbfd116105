"""Round 4 of the status rules: seasons, lists and status, on sentences written for these tests
(not taken from the labels)."""

from __future__ import annotations

from datetime import UTC, datetime

from renewcast.news.article import Article
from renewcast.news.extract import extract_rules as extract_article


def claims_of(text: str, title: str | None = None) -> list[tuple[str, str, int | None]]:
    art = Article("t", text, title=title, published=datetime(2024, 5, 1, tzinfo=UTC))
    return sorted(
        (c.series, c.status, c.season) for c in extract_article(art).claims if not c.hedged
    )


def test_a_negative_word_inside_a_title_does_not_negate() -> None:
    got = claims_of("The comedy Never Say Goodnight has been renewed for a third season.")
    assert ("Never Say Goodnight", "renewed", 3) in got
    assert all(status != "pending" for _, status, _ in got)


def test_returning_for_the_final_season_now_is_ended() -> None:
    got = claims_of(
        "The saga concludes when Harbor Lights returns for its fourth and final season."
    )
    assert ("Harbor Lights", "ended", 4) in got


def test_announced_return_for_a_final_season_is_a_renewal() -> None:
    got = claims_of(
        "Hulu announced that Harbor Lights is coming back for a fourth and final season."
    )
    assert ("Harbor Lights", "renewed", 4) in got


def test_final_after_an_ordinal_names_the_series() -> None:
    got = claims_of("The hit drama Copper Valley will air its sixth and final season this fall.")
    assert ("Copper Valley", "ended", 6) in got


def test_two_more_seasons_follow_the_latest_aired_season() -> None:
    text = (
        "Netflix has renewed the drama Copper Valley for two more seasons.\n"
        "The show's season two aired in March, and fans have been waiting since."
    )
    got = claims_of(text)
    assert ("Copper Valley", "renewed", 3) in got
    assert ("Copper Valley", "renewed", 4) in got
    assert ("Copper Valley", "renewed", None) not in got


def test_another_season_without_an_aired_season_keeps_no_season() -> None:
    got = claims_of("Netflix has renewed the drama Copper Valley for another season.")
    assert ("Copper Valley", "renewed", None) in got


def test_list_takes_the_season_a_group_was_just_given() -> None:
    text = (
        "Apple has ordered second seasons for four of its newer shows. "
        'Apple has renewed "Harbor Lights", "Copper Valley", "Iron Orchard" and '
        '"Night Shift Diner" for another season.'
    )
    got = claims_of(text)
    for title in ("Harbor Lights", "Copper Valley", "Iron Orchard", "Night Shift Diner"):
        assert (title, "renewed", 2) in got, got


def test_aside_from_sets_a_series_apart_and_the_group_count_fills_the_list() -> None:
    text = (
        "Also getting the axe: the comedies Harbor Lights, Copper Valley and Iron Orchard. "
        "Aside from Night Shift Diner, which ran for three seasons, these shows all end "
        "after only one season."
    )
    got = claims_of(text)
    for title in ("Harbor Lights", "Copper Valley", "Iron Orchard"):
        assert (title, "cancelled", 2) in got, got
    assert not any(series == "Night Shift Diner" for series, _, _ in got)


def test_a_final_season_that_has_aired_makes_the_series_ended() -> None:
    text = (
        "In 2020 Netflix renewed Copper Valley for a fourth and final season.\n"
        "After a long run, Copper Valley has finally come to an end."
    )
    got = claims_of(text)
    assert ("Copper Valley", "ended", 4) in got
    assert ("Copper Valley", "renewed", 4) not in got


def test_a_final_season_still_to_come_stays_renewed() -> None:
    text = (
        "Netflix renewed Copper Valley for a fourth and final season.\n"
        "The streamer decided to end the series after four seasons."
    )
    got = claims_of(text)
    assert ("Copper Valley", "renewed", 4) in got


def test_a_renewal_after_a_season_aired_is_for_the_next_one() -> None:
    got = claims_of("Copper Valley was renewed days after its second season began airing.")
    assert ("Copper Valley", "renewed", 3) in got


def test_tba_stays_pending_beside_a_likely_renewal() -> None:
    text = "Fall shows at a glance\nHarbor Lights: TBA – likely to be renewed\nCopper Valley: TBA"
    got = claims_of(text)
    assert ("Harbor Lights", "pending", None) in got
    assert ("Copper Valley", "pending", None) in got


def test_cancellation_is_about_the_season_after_the_latest_aired() -> None:
    text = (
        "Netflix has cancelled Copper Valley, the streamer confirmed on Friday.\n"
        "Copper Valley was a hit with critics. The second season arrived last August.\n"
        "Season 5 of Harbor Lights premiered in May."
    )
    got = claims_of(text)
    assert ("Copper Valley", "cancelled", 3) in got


def test_a_cancellation_keeps_no_season_when_no_season_has_aired() -> None:
    got = claims_of("Netflix has cancelled Copper Valley, the streamer confirmed on Friday.")
    assert ("Copper Valley", "cancelled", None) in got


def test_a_list_with_describing_words_between_titles_is_one_list() -> None:
    text = (
        "Peacock pulled the plug on a trio of comedies — the sitcom Harbor Lights, "
        "the adaptation Copper Valley and the animated reboot Iron Orchard — all after just "
        "one season."
    )
    got = claims_of(text)
    for title in ("Harbor Lights", "Copper Valley", "Iron Orchard"):
        assert (title, "cancelled", 2) in got, got


def test_people_after_a_title_do_not_join_the_list() -> None:
    text = (
        "The biggest casualty is Harbor Lights, created by Dana Whitfield with Omar Reyes and "
        "Lena Park, a saga that never found its audience."
    )
    got = claims_of(text)
    assert {series for series, _, _ in got} <= {"Harbor Lights"}, got


def test_a_later_season_named_in_another_clause_is_not_renewed() -> None:
    got = claims_of(
        "Copper Valley gets an early renewal for season 4, but the wait for season 3 just got "
        "a lot longer."
    )
    assert ("Copper Valley", "renewed", 4) in got
    assert ("Copper Valley", "renewed", 3) not in got


def test_joined_seasons_are_each_renewed() -> None:
    got = claims_of("Copper Valley is renewed for Season 3 — plus Season 4!")
    assert ("Copper Valley", "renewed", 3) in got
    assert ("Copper Valley", "renewed", 4) in got


def test_ending_a_season_on_a_cliffhanger_is_not_the_series_ending() -> None:
    got = claims_of("Harbor Lights, a moody thriller that ended its first season on a cliffhanger.")
    assert not any(status == "ended" for _, status, _ in got)


def test_not_ready_to_say_goodbye_is_not_an_ending() -> None:
    got = claims_of("Showrunner Dana Whitfield is not ready to say goodbye to Harbor Lights.")
    assert not any(status == "ended" for _, status, _ in got)


def test_cast_lists_are_not_series_lists() -> None:
    got = claims_of(
        "The second season of Harbor Lights was renewed, and it featured several stars, "
        "including Dana Whitfield, Omar Reyes and Lena Park."
    )
    assert not {"Dana Whitfield", "Omar Reyes", "Lena Park"} & {s for s, _, _ in got}


def test_an_ending_after_n_seasons_beside_a_cancellation_is_the_cancellation() -> None:
    text = (
        "Apple has cancelled the comedy Copper Valley after four seasons.\n"
        "After four wonderful seasons, Copper Valley is coming to a close."
    )
    got = claims_of(text)
    assert ("Copper Valley", "cancelled", 5) in got
    assert ("Copper Valley", "ended", 4) not in got


def test_a_limited_series_sentence_takes_the_season_the_article_asks_about() -> None:
    text = (
        "Can you expect Harbor Lights season 2 to happen down the road? Harbor Lights launched "
        "today.\nWe have to hand down the news: This was a limited series."
    )
    got = claims_of(text)
    assert ("Harbor Lights", "limited", 2) in got


def test_a_single_season_arc_is_limited_and_the_finale_is_a_season_made() -> None:
    text = (
        "Harbor Lights fans should not hope for more. The news follows the season 1 "
        "finale, and the showrunner said this was pitched as a contained, single-season arc."
    )
    got = claims_of(text)
    assert ("Harbor Lights", "limited", 2) in got


def test_bringing_a_series_back_for_two_seasons_not_only_but_also() -> None:
    text = (
        "Harbor Lights is a hit. The streamer said that not only are they bringing "
        "the drama back for a season 2 but also for a season 3."
    )
    got = claims_of(text)
    assert ("Harbor Lights", "renewed", 2) in got
    assert ("Harbor Lights", "renewed", 3) in got


def test_a_decision_not_to_pick_up_a_season_of_a_series_is_a_cancellation() -> None:
    got = claims_of("It follows Hulu's decision not to pick up a third season of Copper Valley.")
    assert ("Copper Valley", "cancelled", 3) in got


def test_freshman_renewal_and_no_decision_about() -> None:
    got = claims_of(
        "The only freshman drama NBC has renewed so far is Harbor Lights, while no decision "
        "has been made about Copper Valley."
    )
    assert ("Harbor Lights", "renewed", 2) in got
    assert ("Copper Valley", "pending", None) in got


def test_an_untitled_first_paragraph_is_not_a_headline_for_season_counts() -> None:
    text = (
        "Hot on the heels of the axing of Copper Valley, Netflix is ready to dump another "
        "show: Harbor Lights. After two seasons, Netflix has announced the show is done.\n"
        "Harbor Lights will not return for a third season, Netflix said."
    )
    got = claims_of(text)
    assert ("Harbor Lights", "cancelled", 3) in got
    assert ("Copper Valley", "cancelled", None) in got


def test_a_headline_about_one_show_gives_its_count_to_the_main_series_only() -> None:
    text = (
        "Netflix has cancelled Harbor Lights. Harbor Lights was a bold thriller.\n"
        "Copper Valley was also cancelled by the streamer, in 2021."
    )
    got = claims_of(text, title="Netflix Cancels Yet Another Show After One Season")
    assert ("Harbor Lights", "cancelled", 2) in got
    assert ("Copper Valley", "cancelled", None) in got


def test_section_headings_take_the_status_of_the_lead_in() -> None:
    text = (
        "Many new shows did not last in 2022.\n"
        "So let's dive into all the shows we know about that won't be returning for second "
        "seasons.\n"
        "Harbor Lights (Netflix)\n"
        "The thriller followed two sisters running a lighthouse on a remote island.\n"
        "Copper Valley (Hulu)\n"
        "The western drew strong reviews but a small audience."
    )
    got = claims_of(text)
    assert ("Harbor Lights", "cancelled", 2) in got
    assert ("Copper Valley", "cancelled", 2) in got


def test_section_headings_without_a_lead_in_say_nothing() -> None:
    text = (
        "Here is what we are watching this week.\n"
        "Harbor Lights (Netflix)\n"
        "The thriller followed two sisters running a lighthouse on a remote island."
    )
    assert claims_of(text) == []


def test_a_relative_clause_after_a_list_is_about_its_last_name() -> None:
    got = claims_of(
        "Only a few series, Harbor Lights, Copper Valley and Iron Orchard, which heads "
        "into its final season, have lasted."
    )
    assert ("Iron Orchard", "ended", None) in got
    assert not any(s in ("Harbor Lights", "Copper Valley") for s, _, _ in got)


def test_without_a_main_series_it_is_the_paragraphs_last_named_series() -> None:
    text = (
        "Netflix is not messing around with its Harbor Lights adaptation. Today the streamer "
        "confirmed that it is bringing the adaptation back for a season 2.\n"
        "Elsewhere, Copper Valley drew a crowd and Iron Orchard did too."
    )
    got = claims_of(text)
    assert ("Harbor Lights", "renewed", 2) in got


def test_cancelled_too_soon_is_not_pending() -> None:
    got = claims_of("Harbor Lights is one of the best series that were cancelled too soon.")
    assert ("Harbor Lights", "pending", None) not in got
    got = claims_of("It is far too soon to say whether Harbor Lights will get a third season.")
    assert ("Harbor Lights", "pending", 3) in got
