"""Date mentions resolved against the publication date: the seed article and one case per pattern."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from renewcast.news.article import Article, read_jsonl
from renewcast.news.dates import DateMention, find_dates, nearest_year

PUB = date(2022, 9, 1)  # a Thursday


def one(text: str, published: date | None = PUB) -> DateMention:
    found = find_dates(text, published)
    assert len(found) == 1, found
    return found[0]


def test_seed_article_launch_day_and_release_year(seed_article: Path) -> None:
    text = seed_article.read_text(encoding="utf-8")
    found = find_dates(text, PUB)
    launch = next(m for m in found if "26th August" in m.text)
    assert launch.text == "last week (26th August)"
    assert (launch.date, launch.precision, launch.relative) == (date(2022, 8, 26), "day", True)
    assert text[launch.start : launch.end] == launch.text
    release = next(m for m in found if "2023" in m.text)
    assert release.precision == "year"
    assert (release.start_date, release.end_date) == (date(2023, 1, 1), date(2023, 12, 31))
    assert not release.relative
    assert len(found) == 2  # nothing else in the seed is a date ("season two" is not)


@pytest.mark.parametrize(
    "text, first, last, precision, relative",
    [
        ("The renewal came on August 31.", date(2022, 8, 31), date(2022, 8, 31), "day", True),
        ("It dropped Aug. 26 worldwide.", date(2022, 8, 26), date(2022, 8, 26), "day", True),
        ("It was cancelled on 3rd March 2021.", date(2021, 3, 3), date(2021, 3, 3), "day", False),
        ("Filming wrapped March 1, 2020.", date(2020, 3, 1), date(2020, 3, 1), "day", False),
        ("Posted 2024-03-05 by staff.", date(2024, 3, 5), date(2024, 3, 5), "day", False),
        ("The show first aired in 2019.", date(2019, 1, 1), date(2019, 12, 31), "year", False),
        ("Expect it some time in 2023.", date(2023, 1, 1), date(2023, 12, 31), "year", False),
        ("New episodes arrive next month.", date(2022, 10, 1), date(2022, 10, 31), "month", True),
        ("It returns this fall.", date(2022, 9, 1), date(2022, 11, 30), "season", True),
        ("It returns next summer.", date(2023, 6, 1), date(2023, 8, 31), "season", True),
        ("It ended last winter.", date(2021, 12, 1), date(2022, 2, 28), "season", True),
        ("Season 3 lands early 2024.", date(2024, 1, 1), date(2024, 4, 30), "season", False),
        (
            "Shooting starts in the summer of 2023.",
            date(2023, 6, 1),
            date(2023, 8, 31),
            "season",
            False,
        ),
        ("Due in the first half of 2025.", date(2025, 1, 1), date(2025, 6, 30), "season", False),
        ("Planned for Q3 2024.", date(2024, 7, 1), date(2024, 9, 30), "season", False),
        ("It premiered in May 2023.", date(2023, 5, 1), date(2023, 5, 31), "month", False),
        ("Out by late October 2022.", date(2022, 10, 21), date(2022, 10, 31), "month", False),
        ("It was axed in June.", date(2022, 6, 1), date(2022, 6, 30), "month", True),
        ("Expect more later this year.", date(2022, 9, 1), date(2022, 12, 31), "year", True),
        ("Netflix confirmed it last week.", date(2022, 8, 22), date(2022, 8, 28), "week", True),
        ("The news broke two weeks ago.", date(2022, 8, 15), date(2022, 8, 21), "week", True),
        ("The streamer announced yesterday.", date(2022, 8, 31), date(2022, 8, 31), "day", True),
        ("Netflix said on Friday.", date(2022, 8, 26), date(2022, 8, 26), "day", True),
        ("It returns next Monday.", date(2022, 9, 5), date(2022, 9, 5), "day", True),
    ],
)
def test_each_pattern(text: str, first: date, last: date, precision: str, relative: bool) -> None:
    m = one(text)
    assert (m.start_date, m.end_date, m.precision, m.relative) == (first, last, precision, relative)
    assert text[m.start : m.end] == m.text


def test_day_month_takes_the_nearest_year() -> None:
    assert nearest_year(12, 20, date(2023, 1, 5)) == date(2022, 12, 20)
    assert nearest_year(1, 3, date(2022, 12, 28)) == date(2023, 1, 3)
    assert nearest_year(2, 29, date(2023, 6, 1)) == date(2024, 2, 29)
    assert one("It aired on December 20.", date(2023, 1, 5)).date == date(2022, 12, 20)


def test_without_publication_date_relative_mentions_stay_unresolved() -> None:
    m = one("It returns next month.", None)
    assert m.date is None and m.relative and m.precision == "month"
    assert one("It aired on August 31, 2022.", None).date == date(2022, 8, 31)
    assert one("It aired on August 31.", None).date is None


def test_non_dates_are_not_matched() -> None:
    text = "You may watch season two. Ten episodes in 1,899 minutes; 3 seasons. March on, Dustin."
    assert find_dates(text, PUB) == []
    assert find_dates("A month later, he quit.", PUB) == []  # relative to the story, not to PUB


def test_impossible_day_is_dropped_and_json() -> None:
    assert find_dates("on February 30, 2022", PUB) == []
    m = one("on Aug. 26")
    assert m.to_json() == {
        "text": "Aug. 26",
        "date": "2022-08-26",
        "start_date": "2022-08-26",
        "end_date": "2022-08-26",
        "precision": "day",
        "start": 3,
        "end": 10,
        "relative": True,
    }


def test_real_articles_do_not_crash(data_dir: Path) -> None:
    with (data_dir / "news" / "articles.jsonl").open(encoding="utf-8") as f:
        articles = [a for a in read_jsonl(f) if isinstance(a, Article)]
    found = [m for a in articles for m in find_dates(a.text, a.published_date)]
    assert len(articles) > 300 and len(found) > 500
    for m in found:
        if m.start_date and m.end_date:
            assert m.start_date <= m.end_date
