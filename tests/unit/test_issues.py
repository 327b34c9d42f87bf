from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from newsdigest.config import Overrides, parse_config
from newsdigest.model import IssueIntro
from newsdigest.structure.issues import group_issues, period_of
from newsdigest.structure.topics import assign_topics

from factories import MINIMAL_CONFIG, make_article


def config_with(extra: str = ""):  # type: ignore[no-untyped-def]
    config, problems = parse_config(MINIMAL_CONFIG + extra, Overrides())
    assert problems == []
    return config


def at(day: str, hour: int = 12) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


@pytest.mark.parametrize(
    ("cadence", "day", "expected"),
    [
        ("daily", date(2025, 6, 18), (date(2025, 6, 18), date(2025, 6, 18))),
        ("weekly", date(2025, 6, 18), (date(2025, 6, 16), date(2025, 6, 22))),
        ("weekly", date(2025, 6, 16), (date(2025, 6, 16), date(2025, 6, 22))),
        ("monthly", date(2024, 2, 10), (date(2024, 2, 1), date(2024, 2, 29))),
    ],
)
def test_periods(cadence: str, day: date, expected: tuple[date, date]) -> None:
    assert period_of(day, cadence) == expected  # type: ignore[arg-type]


def test_weekly_issues_are_numbered_in_date_order_with_prev_next() -> None:
    config = config_with()
    articles = [
        make_article("c", date=at("2025-06-30"), title="Telescope"),
        make_article("a", date=at("2025-06-16"), title="Telescope"),
        make_article("b", date=at("2025-06-22"), title="League match"),
    ]
    issues, issue_of, problems = group_issues(assign_topics(articles, config), config, {}, {})
    assert problems == []
    assert [(i.number, i.start, i.article_slugs) for i in issues] == [
        (1, date(2025, 6, 16), ("a", "b")),
        (2, date(2025, 6, 30), ("c",)),
    ]
    assert (issues[0].previous, issues[0].next, issues[1].previous) == (None, 2, 1)
    assert issue_of == {"a": 1, "b": 1, "c": 2}
    assert issues[0].published == at("2025-06-22")


def test_sections_follow_topic_order_and_articles_are_newest_first() -> None:
    config = config_with()
    articles = assign_topics(
        [
            make_article("s1", date=at("2025-06-16"), title="League match"),
            make_article("t1", date=at("2025-06-17"), title="Telescope"),
            make_article("t2", date=at("2025-06-18"), title="Telescope"),
        ],
        config,
    )
    (issue,), _, _ = group_issues(articles, config, {}, {})
    assert [(s.topic_slug, s.article_slugs) for s in issue.sections] == [
        ("science", ("t2", "t1")),
        ("sport", ("s1",)),
    ]


def test_issue_boundaries_use_the_site_timezone() -> None:
    config, _ = parse_config(
        MINIMAL_CONFIG.replace("Europe/London", "Asia/Tokyo") + '[issues]\ncadence = "daily"\n',
        Overrides(),
    )
    # 20:00 UTC on the 16th is already the 17th in Tokyo.
    articles = assign_topics([make_article("a", date=at("2025-06-16", 20))], config)
    (issue,), _, _ = group_issues(articles, config, {}, {})
    assert issue.start == date(2025, 6, 17)


def test_pins_join_or_create_issues_and_intros_title_them() -> None:
    config = config_with()
    articles = assign_topics(
        [
            make_article("a", date=at("2025-06-16")),
            make_article("b", date=at("2025-08-01"), issue_pin=1),
            make_article("c", date=at("2025-09-01"), issue_pin=7),
        ],
        config,
    )
    intros = {
        1: IssueIntro(1, "A title", "<p>Hello</p>", "content/issues/1.md"),
        3: IssueIntro(3, None, "", "content/issues/3.md"),
    }
    issues, _, problems = group_issues(articles, config, intros, {})
    assert [(i.number, i.article_slugs) for i in issues] == [(1, ("b", "a")), (7, ("c",))]
    assert issues[0].title == "A title" and issues[0].intro_html == "<p>Hello</p>"
    assert issues[1].title == "Issue 7" and issues[1].previous == 1
    assert [(p.path, p.code) for p in problems] == [("content/issues/3.md", "content-stray-intro")]


def test_syndicated_copies_are_not_listed_but_belong_to_the_original_issue() -> None:
    config = config_with()
    articles = assign_topics(
        [
            make_article("orig", date=at("2025-06-16")),
            make_article("copy", date=at("2025-06-24"), duplicate_of="orig"),
        ],
        config,
    )
    issues, issue_of, _ = group_issues(articles, config, {}, {"copy": "orig"})
    assert [i.article_slugs for i in issues] == [("orig",)]
    assert issue_of["copy"] == 1


def test_first_number_is_configurable() -> None:
    config = config_with("\n[issues]\nfirst_number = 100\n")
    issues, _, _ = group_issues(assign_topics([make_article("a")], config), config, {}, {})
    assert issues[0].number == 100
