"""The pure decider on invented, dated timelines, and the season arithmetic as properties."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from renewcast.status.decide import (
    LISTS,
    OFFICIAL,
    RELEASED,
    SECONDARY,
    TRADE,
    Evidence,
    decide,
)
from renewcast.status.evidence import hopeful
from renewcast.status.seasons import (
    Place,
    SeasonDates,
    bearing,
    place,
    question,
    season_in_text,
    written_by,
)


def _at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


# Seasons 1 and 2 of an invented series are out: season 1 on 2022-01-07, season 2 on 2023-06-02.
DATES = SeasonDates(premieres={1: date(2022, 1, 7), 2: date(2023, 6, 2)})


def news(
    status: str,
    day: str | None,
    outlet: str,
    *,
    season: int | None = None,
    final: bool = False,
    tier: int = TRADE,
    text: str = "",
    confidence: float | None = 0.9,
    added: str = "2026-12-01",
) -> Evidence:
    """An invented news claim, placed like the gatherer places it."""
    known = _at(day) if day else _at(added)
    sentence = text or f"{outlet} reports the series is {status}."
    where = place(status, season, final, DATES, known.date())
    assert where is not None
    return Evidence(
        status=status,
        claim=sentence,
        source=outlet,
        url=f"https://{outlet}/story",
        published=_at(day) if day else None,
        known_at=known,
        tier=tier,
        season=season,
        where=where,
        hedged=hopeful(sentence),
        confidence=confidence,
        outlet=outlet,
    )


def released(n: int, day: str) -> Evidence:
    return Evidence(
        status="renewed",
        claim=f"Season {n} is in Netflix's own viewing data.",
        source="Netflix Top 10",
        url=None,
        published=_at(day),
        tier=RELEASED,
        kind="catalog",
        season=n,
        where=Place(ordered=n),
    )


def listed(status: str, day: str, *, season: int | None = None) -> Evidence:
    where = place(status, season, False, DATES, _at(day).date())
    assert where is not None
    return Evidence(
        status=status,
        claim=f"A list gives the status as {status}.",
        source="Wikipedia",
        url=None,
        published=_at(day),
        tier=LISTS,
        kind="catalog",
        season=season,
        where=where,
    )


# ------------------------------------------------------------------------- scenario timelines


def test_optimism_then_cancellation_is_cancelled_and_optimism_never_renews() -> None:
    hope = news(
        "renewed",
        "2023-07-10",
        "deadline.com",
        text="The streaming chief said she is optimistic about a second season of the legal drama.",
    )
    talks = news(
        "renewed",
        "2023-08-01",
        "tvline.com",
        text="The creator is in talks with the streamer about another season.",
    )
    axed = news("cancelled", "2023-10-02", "variety.com", text="The streamer has cancelled it.")
    axed2 = news("cancelled", "2023-10-03", "fansite.example", tier=SECONDARY)
    assert hope.hedged and talks.hedged and not axed.hedged
    # before the cancellation: optimism and talks are context, not a renewal
    v = decide([hope, talks], 3, as_of=_at("2023-09-01"), latest_released=2)
    assert v.status == "pending" and hope in v.context and talks in v.context
    v = decide([hope, talks, axed, axed2], 3, latest_released=2)
    assert v.status == "cancelled" and v.deciding is axed
    assert v.decided_at == _at("2023-10-02")
    assert axed2 in v.agreeing


def test_a_decision_is_dated_by_its_first_report_when_a_higher_tier_confirms_it_later() -> None:
    """Timelines: a cancellation first reported by a fan site and confirmed by the creator
    weeks later was known from the report; the creator's word is what decides it now."""
    report = news("cancelled", "2022-12-14", "fansite.example", tier=SECONDARY)
    creator = news("cancelled", "2023-01-29", "studio.example", tier=OFFICIAL)
    v = decide([report, creator], 3, latest_released=2)
    assert v.status == "cancelled" and v.deciding is creator
    assert v.decided_at == _at("2022-12-14") == v.since
    # a report the decision overturned does not date it
    saved = news("renewed", "2022-11-01", "fansite.example", season=3, tier=SECONDARY)
    early = news("cancelled", "2022-10-01", "blog.example", tier=SECONDARY)
    v = decide([early, saved, report, creator], 3, latest_released=2)
    assert v.status == "cancelled" and v.decided_at == _at("2022-12-14")
    # an undated decision stays undated, whatever agrees with it
    undated = news("cancelled", None, "studio.example", tier=OFFICIAL, added="2026-11-30")
    v = decide([report, undated], 3, latest_released=2)
    assert v.deciding is undated and v.decided_at is None


def test_cancellation_then_revival_is_renewed_with_the_cancellation_superseded() -> None:
    axed = news("cancelled", "2023-09-01", "deadline.com", text="The series has been cancelled.")
    saved = news(
        "renewed",
        "2024-02-15",
        "variety.com",
        season=3,
        text="After its cancellation, the series has been renewed for a third season elsewhere.",
    )
    v = decide([axed, saved], 3, latest_released=2)
    assert v.status == "renewed" and v.deciding is saved
    assert v.superseded == [axed]
    # as of the day before the revival it was cancelled: nothing later leaks
    v = decide([axed, saved], 3, as_of=_at("2024-02-14"), latest_released=2)
    assert v.status == "cancelled"


def test_a_final_season_order_renews_that_season_and_ends_the_next() -> None:
    order = news(
        "renewed",
        "2023-08-20",
        "netflix.com",
        season=3,
        final=True,
        tier=OFFICIAL,
        text="The streamer has renewed the drama for a third and final season.",
    )
    v3 = decide([order], 3, latest_released=2)
    assert v3.status == "renewed" and v3.final
    v4 = decide([order], 4, latest_released=2)
    assert v4.status == "ended" and v4.deciding is order
    # season 5: more than one past the latest ordered, but the ending rules it out too
    assert decide([order], 5, latest_released=2).status == "ended"


def test_a_limited_series_renewed_is_renewed() -> None:
    label = listed("limited", "2022-02-01")
    renewal = news(
        "renewed",
        "2022-06-30",
        "hollywoodreporter.com",
        season=2,
        text="Season 2 of the limited drama was ordered by the streamer.",
    )
    v = decide([label], 2, as_of=_at("2022-03-01"), latest_released=1)
    assert v.status == "limited"
    v = decide([label, renewal], 2, latest_released=1)
    assert v.status == "renewed" and v.deciding is renewal
    assert v.superseded == [label]


def test_undated_articles_count_from_the_day_added_and_never_before() -> None:
    undated = news("cancelled", None, "blog.example", tier=SECONDARY, added="2026-11-30")
    assert undated.undated and undated.when == _at("2026-11-30")
    before = decide([undated], 3, as_of=_at("2026-11-29"), latest_released=2)
    assert before.status == "pending"
    after = decide([undated], 3, as_of=_at("2026-12-01"), latest_released=2)
    assert after.status == "cancelled" and after.undated and after.decided_at is None


def test_an_undated_statement_does_not_overturn_a_dated_decision_of_its_tier() -> None:
    dated = news("renewed", "2024-01-10", "deadline.com", season=3)
    undated = news("cancelled", None, "variety.com", added="2026-12-01")
    v = decide([dated, undated], 3, latest_released=2)
    assert v.status == "renewed" and v.decided_at == _at("2024-01-10")
    assert undated in v.disagreements


def test_a_season_released_after_a_cancellation_overtakes_it() -> None:
    # the cancellation (dated) and the renewal both came before season 3 came out after all
    renewal = news("renewed", "2023-07-01", "deadline.com", season=3)
    axed = news("cancelled", "2023-09-01", "tvline.com", text="The series will not return.")
    assert axed.where.stop == 3
    v = decide([renewal, axed], 4, latest_released=2)
    assert v.status == "cancelled"  # no season 3, so no season 4 either
    out = released(3, "2024-05-10")
    v = decide([renewal, axed, out], 4, latest_released=3)
    assert v.status == "pending"
    assert [e.note for e in v.not_counted if e.claim == axed.claim] == [
        "overtaken: season 3 was released after it"
    ]


def test_written_by_an_undated_article_is_before_the_seasons_it_reports_ordered() -> None:
    other = SeasonDates(
        premieres={4: date(2025, 2, 6)},
        charted={4: _at("2025-02-11"), 5: _at("2026-03-10")},
    )
    day = date(2026, 12, 1)
    # "renewed for a fourth season", season 4 out on 2025-02-06: written by 2025-02-05
    assert written_by([(other, "renewed", 4)], day) == date(2025, 2, 5)
    # the earliest of several; a season known only from the charts bounds by its first week
    assert written_by([(other, "pending", 5), (other, "renewed", 4)], day) == date(2025, 2, 5)
    assert written_by([(other, "pending", 5)], day) == date(2026, 3, 9)
    # endings, cancellations, seasons not out (as known on the day) and no season: no bound
    assert written_by([(other, "ended", 4), (other, "cancelled", 4)], day) is None
    assert written_by([(other, "renewed", 6), (other, "renewed", None)], day) is None
    assert written_by([(other, "renewed", 4)], date(2025, 1, 1)) is None
    assert other.first_out(4, day) == date(2025, 2, 6) and other.first_out(6, day) is None


def test_an_undated_cancellation_written_before_the_latest_season_is_overtaken() -> None:
    # an undated roundup, added long after: the series' season 3 came out after the article was
    # written (it reports another show's season as ordered that has since premiered)
    axed = news("cancelled", None, "blog.example", tier=SECONDARY, added="2026-11-30")
    bound = _at("2023-04-30")
    early = Evidence(
        status="cancelled",
        claim=axed.claim,
        source=axed.source,
        url=axed.url,
        published=None,
        known_at=axed.known_at,
        tier=SECONDARY,
        where=place("cancelled", None, False, DATES, bound.date()),
        confidence=0.9,
        outlet=axed.outlet,
        said_by=bound,
    )
    assert early.where.stop == 2 and early.said == bound and early.when == axed.when
    out = released(3, "2024-05-10")
    # read as said when added, it cancels season 4; bounded, season 3's release overtook it
    assert decide([axed, out], 4, latest_released=3).status == "cancelled"
    v = decide([early, out], 4, latest_released=3)
    assert v.status == "pending"
    assert [e.note for e in v.not_counted if e.claim == early.claim] == [
        "overtaken: season 2 was released after it"
    ]
    # still nothing before the day it was added
    assert decide([early], 2, as_of=_at("2026-11-29"), latest_released=1).status == "pending"


def test_an_ending_said_after_an_order_makes_the_ordered_season_the_last() -> None:
    from renewcast.status.decide import endings_after_orders

    order = news("renewed", "2023-09-01", "deadline.com", season=3)
    ending = news("ended", "2024-01-15", "tvline.com", text="The drama is coming to an end.")
    assert ending.where == Place(stop=3)  # read alone: no season after season 2
    items = [order, ending]
    endings_after_orders(items)
    assert ending.where == Place(ordered=3, stop=4)
    assert decide(items, 3, latest_released=2).status == "renewed"
    v = decide(items, 4, latest_released=2)
    assert v.status == "ended" and v.deciding is ending
    # a cancellation can undo an order: not moved
    axed = news("cancelled", "2024-01-15", "variety.com", text="The drama has been cancelled.")
    items = [order, axed]
    endings_after_orders(items)
    assert axed.where == Place(stop=3) and decide(items, 3, latest_released=2).status == "cancelled"
    # an ending said before the order, and a list's "ended" (a cancellation or not): not moved
    early = news("ended", "2023-06-01", "tvline.com", text="The drama is coming to an end.")
    ended = listed("ended", "2024-01-15")
    items = [early, order, ended]
    endings_after_orders(items)
    assert early.where == Place(stop=2) and ended.where.ordered is None


def test_conflicting_outlets_go_with_the_independent_majority_and_are_shown() -> None:
    lone = news("renewed", "2023-09-01", "tvline.com", season=3)
    a = news("cancelled", "2023-09-02", "deadline.com", season=3)
    b = news("cancelled", "2023-09-03", "variety.com", season=3)
    v = decide([lone, a, b], 3, latest_released=2)
    assert v.status == "cancelled" and v.deciding is a
    assert lone in v.disagreements or lone in v.superseded
    # the same outlet twice is one outlet: a lone renewal from another outlet, later, wins the tie
    c = news("cancelled", "2023-09-02", "deadline.com", season=3)
    later = news("renewed", "2023-09-04", "tvline.com", season=3)
    v = decide([a, c, later], 3, latest_released=2)
    assert v.status == "renewed" and {a, c} <= set(v.disagreements + v.superseded)


def test_the_models_confidence_counts() -> None:
    sure = news("cancelled", "2023-09-02", "deadline.com", confidence=0.95)
    shaky = news("renewed", "2023-09-03", "variety.com", confidence=0.45)
    v = decide([sure, shaky], 3, latest_released=2)
    assert v.status == "cancelled"  # one sure outlet outweighs one unsure one in a news cycle
    too_low = news("renewed", "2024-01-03", "variety.com", confidence=0.2)
    v = decide([too_low], 3, latest_released=2)
    assert v.status == "pending" and too_low in v.context


def test_official_beats_trade_beats_secondary_beats_lists() -> None:
    official = news("renewed", "2023-08-01", "netflix.com", tier=OFFICIAL, season=3)
    trade = news("cancelled", "2023-09-01", "deadline.com")
    other = news("cancelled", "2023-09-05", "fansite.example", tier=SECONDARY)
    lst = listed("ended", "2023-10-01")
    v = decide([official, trade, other, lst], 3, latest_released=2)
    assert v.status == "renewed" and v.deciding is official
    assert {trade, other, lst} <= set(v.disagreements)
    v = decide([trade, other, lst], 3, latest_released=2)
    assert v.status == "cancelled" and v.deciding is trade


def test_a_released_season_was_made_whatever_else_was_said() -> None:
    axed = news("cancelled", "2023-01-05", "deadline.com", season=2)
    out = released(2, "2023-06-04")
    v = decide([axed, out], 2, latest_released=2)
    assert v.status == "renewed" and axed in v.superseded


def test_pending_statements_are_the_latest_word_not_a_decision() -> None:
    mum = news("pending", "2023-09-01", "tvline.com", text="No decision has been made yet.")
    v = decide([mum], 3, latest_released=2)
    assert v.status == "pending" and v.deciding is mum and v.decided_at is None
    # a "not decided" reading the news reader is unsure of is context, not the latest word
    unsure = news("pending", "2023-10-01", "fansite.example", confidence=0.25)
    v = decide([mum, unsure], 3, latest_released=2)
    assert v.deciding is mum
    v = decide([unsure], 3, latest_released=2)
    assert v.deciding is None and v.reason == "no source has announced a decision about season 3"


def test_hopeful_needs_no_definite_decision() -> None:
    assert hopeful("The showrunner hopes to return for a third season.")
    assert hopeful("Executives are optimistic about its future.")
    assert not hopeful("The streamer has renewed the series, and the star hopes to return.")
    assert not hopeful("The streamer axed the drama after two seasons.")


# ------------------------------------------------------------------------- season arithmetic


def test_season_zero_one_and_beyond_get_clear_answers() -> None:
    assert question(0, 2, 0).kind == "no-season" and question(0, 2, 0).season == 1
    assert question(1, 2, 0).kind == "released"
    assert question(3, 2, 0).kind == "next"
    beyond = question(9, 2, 3)
    assert beyond.kind == "beyond" and "season 3 is the latest any source orders" in beyond.reason


def test_a_status_text_names_its_season() -> None:
    assert season_in_text("Season 2 due to premiere in 2025") == 2
    assert season_in_text("Renewed for a fourth and final season") == 4
    assert season_in_text("Renewed") is None
    # a multi-season order names its highest season
    assert season_in_text("Renewed for seasons 2–3 (final)") == 3
    assert season_in_text("Renewed for seasons 9-10") == 10
    assert season_in_text("Renewed for seasons 4 and 5") == 5


STATUS = st.sampled_from(["renewed", "cancelled", "ended", "limited", "pending"])
DAYS = st.integers(min_value=0, max_value=2000)
BASE = date(2021, 1, 1)


@st.composite
def evidence_items(draw: st.DrawFn) -> Evidence:
    status = draw(STATUS)
    season = draw(st.one_of(st.none(), st.integers(min_value=1, max_value=8)))
    final = draw(st.booleans())
    day = BASE + timedelta(days=draw(DAYS))
    dated = draw(st.booleans())
    where = place(status, season, final, DATES, day)
    assert where is not None
    t = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return Evidence(
        status=status,
        claim=f"{status} {season}",
        source="outlet",
        url=None,
        published=t if dated else None,
        known_at=t,
        tier=draw(st.sampled_from([OFFICIAL, TRADE, SECONDARY, LISTS])),
        season=season,
        where=where,
        hedged=draw(st.booleans()),
        confidence=draw(st.one_of(st.none(), st.floats(min_value=0, max_value=1))),
        outlet=draw(st.sampled_from(["a", "b", "c"])),
    )


@settings(max_examples=300, deadline=None)
@given(
    st.lists(evidence_items(), max_size=8),
    st.integers(min_value=0, max_value=12),
    st.integers(min_value=0, max_value=5),
    DAYS,
)
def test_never_renewed_for_a_season_no_source_orders(
    items: list[Evidence], season: int, latest: int, as_of_days: int
) -> None:
    d = BASE + timedelta(days=as_of_days)
    as_of = datetime(d.year, d.month, d.day, tzinfo=UTC)
    v = decide(items, season, as_of=as_of, latest_released=latest)
    assert v.status in ("renewed", "cancelled", "ended", "limited", "pending")
    if v.status == "renewed" and v.season > latest:
        orders = [
            e
            for e in items
            if e.when <= as_of
            and not e.hedged
            and e.where.ordered is not None
            and e.where.ordered >= v.season
        ]
        assert orders, "renewed with no source ordering the season"
        assert v.deciding is not None and v.deciding.where.ordered is not None
        assert v.deciding.where.ordered >= v.season
    # a season more than one past the latest released or ordered is never renewed
    ordered = max(
        (e.where.ordered or 0 for e in items if e.when <= as_of and not e.hedged), default=0
    )
    if season > max(latest, ordered) + 1:
        assert v.status != "renewed"
        if v.status == "pending":
            assert "more than one season beyond" in v.reason
    # hedged statements never decide; nothing after as_of is read
    if v.deciding is not None and v.status != "pending":
        assert not v.deciding.hedged
    assert all(e.when <= as_of for e in v.counted)
    # an undated decision has no date
    if v.undated:
        assert v.decided_at is None


@given(STATUS, st.one_of(st.none(), st.integers(1, 8)), st.booleans(), st.integers(1, 12))
def test_placement_is_consistent(status: str, season: int | None, final: bool, asked: int) -> None:
    where = place(status, season, final, DATES, date(2024, 1, 1))
    assert where is not None
    said, _ = bearing(status, where, asked)
    if said == "renewed":
        assert where.ordered is not None and asked <= where.ordered
    if said in ("cancelled", "ended", "limited"):
        assert where.stop is not None and asked >= where.stop
    if where.ordered is not None and where.stop is not None:
        assert where.stop == where.ordered + 1  # the last season made is the one before the stop
    # a statement naming no season is about the next one: season 3 while season 2 is out
    if season is None:
        assert 3 in (where.ordered, where.stop, where.open)


def test_a_season_past_any_order_is_a_misread_season() -> None:
    from renewcast.status.seasons import misread_season

    one_out = SeasonDates(premieres={1: date(2022, 11, 23)})
    day = date(2023, 4, 13)
    # season 1 out: a renewal may order seasons 3 and 4 at once, not season 5
    assert misread_season("renewed", 4, one_out, day) is None
    why = misread_season("renewed", 5, one_out, day)
    assert why is not None and "season 5" in why and "season 1 was out on 2023-04-13" in why
    # an end or a cancellation is about the season being made or the next one
    assert misread_season("cancelled", 3, one_out, day) is None
    assert misread_season("cancelled", 4, one_out, day) is not None
    assert misread_season("ended", 4, one_out, day) is not None
    # no season named, or no season known out: nothing to judge
    assert misread_season("renewed", None, one_out, day) is None
    assert misread_season("ended", 9, SeasonDates(), day) is None
    # Netflix's charts alone count too: an ending "after 15 seasons" of a show whose charts
    # reach season 11 is another show's number, not a renewal of seasons 12-15
    charted_only = SeasonDates(charted={11: datetime(2021, 9, 3, tzinfo=UTC)})
    assert misread_season("ended", 15, charted_only, day) is not None
    assert misread_season("ended", 12, charted_only, day) is None
    # judged against what was out on the day it was said, not today
    assert (
        misread_season(
            "renewed",
            5,
            SeasonDates(premieres={1: date(2022, 1, 1), 3: date(2024, 1, 1)}),
            date(2024, 6, 1),
        )
        is None
    )


def test_a_report_naming_no_season_is_overtaken_by_a_later_one_naming_the_season() -> None:
    # seasons 1 and 2 are out: "the drama is ending" (no season named) is reckoned as ruling out
    # season 3; a list naming season 3 as coming, months later, shows that reckoning was wrong
    ending = news("ended", "2023-09-01", "fansite.example", tier=SECONDARY)
    assert ending.where.stop == 3
    later = listed("renewed", "2024-02-01", season=3)
    v = decide([ending, later], 3)
    assert v.status == "renewed" and v.deciding is later
    assert any(e is not None and "names no season" in (e.note or "") for e in v.not_counted)
    # a report that names the season keeps its tier's precedence over a list
    named = news("cancelled", "2023-09-01", "fansite.example", tier=SECONDARY, season=3)
    assert decide([named, later], 3).status == "cancelled"
    # so does one overtaken only by a list that names no season, or by an earlier statement
    assert decide([ending, listed("renewed", "2024-02-01")], 3).status == "ended"
    assert decide([ending, listed("renewed", "2023-08-01", season=3)], 3).status == "ended"


def test_a_plan_that_changed_is_overtaken_when_two_outlets_name_the_new_season() -> None:
    # seasons 1 and 2 are out; the creator's statement that season 3 will be the last rules out
    # season 4; later, two outlets report the story will end after season 4 instead
    plan = news("ended", "2023-07-01", "studio.example", tier=OFFICIAL, season=3, final=True)
    assert plan.where.stop == 4
    one = news("ended", "2024-03-01", "fansite.example", tier=SECONDARY, season=4, final=True)
    two = news("ended", "2024-05-01", "blog.example", tier=SECONDARY, season=4, final=True)
    v = decide([plan, one, two], 4)
    assert v.status == "renewed" and v.final
    assert any("2 outlets said" in (e.note or "") for e in v.not_counted if e.outlet == plan.outlet)
    # one later outlet alone does not overtake the official word: shown as disagreeing
    alone = decide([plan, one], 4)
    assert alone.status == "ended" and one in alone.disagreements
    # nor do two reports made before the plan was announced
    early = [news("ended", d, o, tier=SECONDARY, season=4, final=True)
             for d, o in (("2023-05-01", "fansite.example"), ("2023-06-01", "blog.example"))]  # fmt: skip
    assert decide([plan, *early], 4).status == "ended"


def test_a_disagreeing_source_is_said_in_what_it_means_for_the_season_asked() -> None:
    from renewcast.status.summary import says

    # "the drama ends with its third season" means season 3 is coming as the last: asked about
    # season 3, that is what it says, not "ended"
    ending = news("ended", "2023-09-01", "fansite.example", tier=SECONDARY, season=3, final=True)
    assert says(ending, 3) == "season 3 is coming as the last"
    assert says(ending, 4) == "it has ended, with no season 4"
    assert says(news("cancelled", "2023-09-01", "a.example", season=3), 3) == (
        "it was cancelled, with no season 3"
    )
    assert says(news("pending", "2023-09-01", "a.example", season=3), 3) == (
        "nothing has been decided about season 3"
    )
    assert says(news("renewed", "2023-09-01", "a.example", season=3), 3) == "season 3 is coming"


def test_a_season_its_own_sentence_denies_is_not_made() -> None:
    from renewcast.news.seasons import denied_seasons
    from renewcast.status.seasons import place_claim

    # invented sentences: a negation or a contrast a few words before the number, same clause
    assert denied_seasons("Glasshouse isn't getting Season 4; a film will close it.") == {4}
    assert denied_seasons("The studio chose a movie instead of a fifth season.") == {5}
    assert denied_seasons("It got a third season, but no fourth season.") == {4}
    assert denied_seasons("Harbor Lights was renewed not only for a second season.") == set()
    assert denied_seasons("Fans can’t wait for the second season.") == set()
    assert denied_seasons("Nobody could say that of the seventh and final season.") == set()
    assert denied_seasons("Glasshouse will end with its fourth season.") == set()
    # the series' own words are not read as a negation
    assert denied_seasons("Never Say Never Announces Season 4", "Never Say Never") == set()

    day = date(2024, 2, 1)
    # an ending that denies its season rules that season out (season 3 stays the last one made)
    where, why = place_claim(
        "ended", 3, False, "Glasshouse isn't getting a third season.", "Glasshouse", DATES, day
    )
    assert why is None and where == Place(stop=3)
    assert bearing("ended", where, 3)[0] == "ended"
    # "season N will be the last" still makes N
    where, why = place_claim(
        "ended", 3, False, "Glasshouse will end with its third season.", "Glasshouse", DATES, day
    )
    assert where == Place(ordered=3, stop=4) and why is None
    # a renewal of a season its own sentence says will not come is a misreading
    where, why = place_claim(
        "renewed", 3, False, "A film comes instead of a third season.", "Glasshouse", DATES, day
    )
    assert why == "its own sentence says season 3 will not come"
    # a cancellation's season is the one not made already
    where, why = place_claim(
        "cancelled",
        3,
        False,
        "Glasshouse won't return for a third season.",
        "Glasshouse",
        DATES,
        day,
    )
    assert why is None and where == Place(stop=3)


def test_a_claim_is_shown_without_the_pages_date_marker_or_bullet() -> None:
    from renewcast.status.evidence import shown_sentence

    assert (
        shown_sentence("date 2024-02-02 Springfield - The network has cancelled Moon Harbor.")
        == "Springfield - The network has cancelled Moon Harbor."
    )
    assert shown_sentence("- The streamer renewed Moon Harbor for a second season.") == (
        "The streamer renewed Moon Harbor for a second season."
    )
    assert shown_sentence("date 2021-06 The comedy will end with its third season, sadly.") == (
        "The comedy will end with its third season, sadly."
    )
    # a date inside the sentence is the sentence's own
    keep = "On date 2024-02-02 the streamer renewed Moon Harbor for season 2."
    assert shown_sentence(keep) == keep


def test_justwatch_count_dates_a_series_nothing_else_dates() -> None:
    known = datetime(2023, 3, 31, tzinfo=UTC)
    only_listed = SeasonDates(listed=3, listed_known=known)
    assert only_listed.latest_released(date(2024, 1, 1)) == 3  # asked about season 4, not 1
    assert only_listed.latest_released(date(2023, 1, 1)) == 0  # not listed yet then
    # a series with its own premieres or Wikipedia's count is dated by those alone
    dated = SeasonDates(premieres={1: date(2022, 1, 7)}, listed=3, listed_known=known)
    assert dated.latest_released(date(2024, 1, 1)) == 1


def test_season_counts_by_source() -> None:
    known = datetime(2023, 3, 31, tzinfo=UTC)
    d = SeasonDates()
    d.note_count("justwatch/titles", 4, known)
    assert (d.listed, d.counted) == (4, 0)
    d.note_count("wikipedia/current", 3, known)
    d.note_count("wikipedia/ended", 2, known)  # a lower count does not lower it
    assert (d.listed, d.counted) == (4, 3)


def test_each_statement_says_how_it_counts() -> None:
    """The answer marks each statement: the one the status rests on, counted ones, hopes and
    statements read too unsurely to count (the pages show those two apart), background."""
    from types import SimpleNamespace
    from typing import Any, cast

    from renewcast.answer.compose import COUNTS, evidence_counts

    sure = news("cancelled", "2023-09-02", "deadline.com", confidence=0.95)
    agree = news("cancelled", "2023-09-04", "tvline.com", confidence=0.9)
    shaky = news("cancelled", "2023-09-05", "fansite.example", confidence=0.2)
    hope = news("renewed", "2023-09-06", "fansite.example", text="Fans hope it will be renewed.")
    out = released(2, "2023-06-04")
    v = decide([sure, agree, shaky, hope, out], 3, latest_released=2)
    st = cast(Any, SimpleNamespace(deciding=v.deciding, verdict=v))
    got = {id(e): evidence_counts(st, e) for e in (sure, agree, shaky, hope)}
    assert got == {
        id(sure): "decides",
        id(agree): "counted",
        id(shaky): "unclear",
        id(hope): "hint",
    }
    background = Evidence(None, "Season 2 premiered.", "Wikipedia", None, _at("2023-06-02"))
    assert evidence_counts(st, background) == "background"
    assert set(COUNTS) == {"decides", "counted", "hint", "unclear", "background"}
