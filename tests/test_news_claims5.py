"""Round 5 of the status rules: hedges, double negation, revivals and the words that look like
status words but are not, on sentences written for these tests (not taken from the labels)."""

from __future__ import annotations

from datetime import UTC, datetime

from renewcast.news.article import Article
from renewcast.news.extract import extract_rules as extract_article


def claims_of(text: str, title: str | None = None) -> list[tuple[str, str, int | None]]:
    art = Article("t", text, title=title, published=datetime(2024, 5, 1, tzinfo=UTC))
    return sorted(
        (c.series, c.status, c.season) for c in extract_article(art).claims if not c.hedged
    )


def test_a_modal_in_another_clause_does_not_hedge_a_cancellation() -> None:
    text = (
        "Netflix renewed Copper Valley for a third season. Meanwhile — another Netflix drama, "
        "Harbor Lights, was canceled earlier this month — viewers will probably be glad of it."
    )
    assert ("Harbor Lights", "cancelled", None) in claims_of(text)


def test_a_modal_on_the_trigger_still_hedges() -> None:
    got = claims_of("Netflix could cancel Harbor Lights after its disappointing second season.")
    assert not any(s == "Harbor Lights" for s, _, _ in got)


def test_green_lit_passive_finds_its_subject() -> None:
    text = (
        "Harbor Lights premiered in March to strong reviews. Although it drew some criticism, "
        "the drama was green-lit for a season two within weeks."
    )
    assert ("Harbor Lights", "renewed", 2) in claims_of(text)


def test_something_that_happened_is_not_a_season_happening() -> None:
    text = (
        "Harbor Lights never made it past season one. We do not know why it was dropped, but "
        "we do know that it happened fast."
    )
    assert all(status != "renewed" for _, status, _ in claims_of(text))


def test_a_season_that_is_happening_is_a_renewal() -> None:
    assert ("Harbor Lights", "renewed", 3) in claims_of("Harbor Lights season 3 is happening.")


def test_picking_up_a_story_from_a_season_is_not_an_order() -> None:
    text = (
        "Harbor Lights returns next month. Picking up right from season 2's cliffhanger, the "
        "new episodes follow the crew at sea."
    )
    assert ("Harbor Lights", "renewed", 2) not in claims_of(text)


def test_picking_a_book_up_is_not_an_order() -> None:
    text = (
        "Harbor Lights is adapted from a long novel. You only learn how heavy that book is "
        "when you pick it up."
    )
    assert not any(status == "renewed" for _, status, _ in claims_of(text))


def test_a_person_returning_in_a_plot_summary_is_not_a_renewal() -> None:
    text = (
        "Netflix has cancelled Harbor Lights. The first season starred Ana Ruiz as a sailor "
        "who had been lost at sea for years, only to return with no memory of the voyage."
    )
    got = claims_of(text)
    assert ("Harbor Lights", "renewed", 1) not in got
    assert not any(status == "renewed" for _, status, _ in got)


def test_a_return_for_a_season_is_still_a_renewal() -> None:
    got = claims_of("Harbor Lights will return for a second season on Netflix.")
    assert ("Harbor Lights", "renewed", 2) in got


def test_these_shows_do_not_go_to_the_lone_company_named() -> None:
    text = (
        "Netflix cancelled three comedies this week. Reportedly, the axing of "
        "these shows was pushed by Paramount Global, which wants to cut costs."
    )
    assert not any(s == "Paramount Global" for s, _, _ in claims_of(text))


def test_did_not_stop_it_from_getting_the_axe_is_a_cancellation() -> None:
    text = (
        "Harbor Lights drew a loyal following and strong ratings, but this didn't stop the show "
        "from getting the axe after two seasons."
    )
    assert ("Harbor Lights", "cancelled", 3) in claims_of(text)


def test_kept_from_being_cancelled_is_not_a_cancellation() -> None:
    text = "Harbor Lights had weak ratings. A fan campaign kept it from being cancelled last year."
    assert not any(status == "cancelled" for _, status, _ in claims_of(text))


def test_a_revival_supersedes_the_cancellation_it_undoes() -> None:
    text = (
        "Harbor Lights was cancelled by Netflix in 2022, sparking a fan campaign. Its creator "
        "confirmed this week that the show is saved after its cancellation."
    )
    got = claims_of(text)
    assert ("Harbor Lights", "renewed", None) in got
    assert ("Harbor Lights", "cancelled", None) not in got


def test_its_last_one_names_the_final_season() -> None:
    text = "Harbor Lights is a hit. Its creator said season 5 will be its last one."
    assert ("Harbor Lights", "ended", 5) in claims_of(text)


def test_a_season_that_ended_with_a_plot_turn_is_not_the_series_ending() -> None:
    text = (
        "Netflix has not yet renewed Harbor Lights. The third season ended with Ana and Leo "
        "agreeing to try a long-distance relationship."
    )
    assert ("Harbor Lights", "ended", 3) not in claims_of(text)


def test_uncertain_about_the_plot_is_not_pending() -> None:
    text = (
        "Harbor Lights wraps up its story this summer. While it is uncertain if every mystery "
        "will be fully unveiled, the director promised answers."
    )
    assert not any(status == "pending" for _, status, _ in claims_of(text))


def test_uncertain_future_is_pending() -> None:
    got = claims_of("The future of Harbor Lights remains uncertain after its second season.")
    assert any(s == "Harbor Lights" and status == "pending" for s, status, _ in got)


def test_there_will_not_be_a_second_season_is_a_cancellation() -> None:
    text = (
        "Harbor Lights finished airing in June. Its star announced there wouldn't be a second "
        "season."
    )
    assert ("Harbor Lights", "cancelled", 2) in claims_of(text)


def test_there_will_be_a_third_season_is_a_renewal() -> None:
    got = claims_of("There will be a third season of Harbor Lights, Netflix confirmed on Monday.")
    assert ("Harbor Lights", "renewed", 3) in got


def test_first_and_only_season_gives_a_cancellation_its_season() -> None:
    text = (
        "Apple cancelled one of its series a week after the last episode of its first (and only) "
        "season aired. The comedy Harbor Lights has officially been cancelled."
    )
    assert ("Harbor Lights", "cancelled", 2) in claims_of(text)


def test_a_season_going_ahead_after_the_one_series_named_is_a_renewal() -> None:
    text = (
        "Months after saying the fifth run of Harbor Lights would end it, a sixth "
        "season is going ahead thanks to a fan campaign."
    )
    assert ("Harbor Lights", "renewed", 6) in claims_of(text)


def test_not_proceeding_with_more_installments_of_x_is_a_cancellation() -> None:
    got = claims_of("The streamer is not proceeding with further installments of Harbor Lights.")
    assert any(s == "Harbor Lights" and status == "cancelled" for s, status, _ in got)


def test_a_name_after_a_closing_colon_is_the_target() -> None:
    text = (
        "March was a grim month, with Netflix bringing the axe down on its first "
        "cancellation of the spring: Harbor Lights."
    )
    got = claims_of(text)
    assert any(s == "Harbor Lights" and status == "cancelled" for s, status, _ in got)


def test_a_new_series_ordered_is_not_a_renewal() -> None:
    text = (
        "Netflix renewed Copper Valley for a fifth and final season, and a new animated Harbor "
        "Lights series was ordered."
    )
    got = claims_of(text)
    assert ("Copper Valley", "renewed", 5) in got
    assert not any(s == "Harbor Lights" and status == "renewed" for s, status, _ in got)


def test_getting_a_renewal_is_about_the_subject_of_the_clause() -> None:
    text = (
        "Harbor Lights continues to thrive on Hulu by getting a renewal days after its "
        "second season began airing."
    )
    assert ("Harbor Lights", "renewed", 3) in claims_of(text)


def test_pulling_the_plug_is_not_about_its_subject() -> None:
    text = (
        "Harbor Lights was a hit for Netflix. Nobody knows why it chose to pull the plug "
        "on the shows below, but it happened fast."
    )
    assert not any(status == "cancelled" for _, status, _ in claims_of(text))


def test_a_title_starting_with_an_adverb_is_restored_when_written_twice() -> None:
    text = (
        "Onto the next mystery! Only Killers in the House gets a renewal days after its second "
        "season began airing.\n\n“Only Killers in the House is our crown jewel,” Hulu said."
    )
    got = claims_of(text)
    assert ("Only Killers in the House", "renewed", 3) in got


def test_one_season_cannot_be_both_cancelled_and_a_planned_end() -> None:
    text = (
        "Harbor Lights isn't getting Season 4; it will conclude with a feature film.\n\n"
        "The beloved series Harbor Lights won't be back for a full fourth season."
    )
    got = claims_of(text, title="Harbor Lights isn't getting Season 4; to conclude with a film")
    assert ("Harbor Lights", "ended", 4) in got
    assert ("Harbor Lights", "cancelled", 4) not in got


def test_ordinals_sharing_a_season_noun_are_each_renewed() -> None:
    text = (
        "Netflix confirmed the renewal of Harbor Lights for not only a second "
        "but also a third season."
    )
    got = claims_of(text)
    assert ("Harbor Lights", "renewed", 2) in got
    assert ("Harbor Lights", "renewed", 3) in got


def test_second_and_third_seasons_are_two_seasons() -> None:
    from renewcast.news.claims import season_expressions

    assert [e.number for e in season_expressions("renewed for second and third seasons")] == [2, 3]
    assert [e.number for e in season_expressions("a fourth and final season")] == [4]


def test_like_the_previously_mentioned_shows_extends_the_claim() -> None:
    text = (
        "Series like 2019's Harbor Lights and this year's Copper Valley made the format popular. "
        "Salt Road, like the previously-mentioned shows, was sold as a limited series."
    )
    got = claims_of(text)
    assert ("Salt Road", "limited", None) in got
    assert ("Harbor Lights", "limited", None) in got
    assert ("Copper Valley", "limited", None) in got
    assert not any(s.startswith("2019") for s, _, _ in got)


def test_without_the_comparison_earlier_shows_are_not_claimed() -> None:
    text = (
        "Series like Harbor Lights and Copper Valley made the format popular. "
        "Salt Road was billed as a limited series."
    )
    got = claims_of(text)
    assert ("Salt Road", "limited", None) in got
    assert not any(s in ("Harbor Lights", "Copper Valley") for s, _, _ in got)


def test_getting_a_new_season_of_x_is_a_renewal() -> None:
    got = claims_of("We're getting a new season of Harbor Lights after some hemming and hawing.")
    assert ("Harbor Lights", "renewed", None) in got


def test_a_new_season_without_an_ordering_verb_is_no_claim() -> None:
    got = claims_of("Harbor Lights fans spent the summer talking about a new season of theories.")
    assert not any(status == "renewed" for _, status, _ in got)


def test_a_participle_before_a_name_modifies_that_name_only() -> None:
    text = (
        "Titles leaving Disney+ next week include the recently canceled Harbor Lights and "
        "Copper Valley, Salt Road, and Iron Bay."
    )
    got = claims_of(text)
    assert any(s == "Harbor Lights" and status == "cancelled" for s, status, _ in got)
    assert not any(s in ("Copper Valley", "Salt Road", "Iron Bay") for s, _, _ in got)


def test_an_already_renewed_season_is_not_a_new_renewal_claim_target() -> None:
    text = (
        "Harbor Lights will come to an end after its already renewed sixth season. "
        "Its fifth season aired this past summer."
    )
    got = claims_of(text)
    assert ("Harbor Lights", "renewed", 7) not in got
