"""Grouping articles into numbered issues (editions) by cadence, or by an ``issue:`` pin."""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from newsdigest.config import Cadence, SiteConfig, TopicRule
from newsdigest.diagnostics import Diagnostic, warning
from newsdigest.model import Article, Issue, IssueIntro, IssueSection
from newsdigest.structure.topics import topic_rules


def period_of(day: date, cadence: Cadence) -> tuple[date, date]:
    """First and last day of the period (day, ISO week from Monday, month) holding ``day``."""
    if cadence == "daily":
        return day, day
    if cadence == "weekly":
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    last = calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=1), day.replace(day=last)


def group_issues(
    articles: Sequence[Article],
    config: SiteConfig,
    intros: Mapping[int, IssueIntro],
    canonical_of: Mapping[str, str],
) -> tuple[tuple[Issue, ...], dict[str, int], list[Diagnostic]]:
    """Issues oldest first, each article's issue number, and warnings about stray intros.

    Unpinned articles fall into periods numbered from ``first_number`` in date order; a
    pinned article joins the issue with its number, creating it if no period has it.
    Syndicated copies (``canonical_of``) belong to their original's issue and are not listed.
    """
    zone = config.zone
    periods: dict[tuple[date, date], list[Article]] = defaultdict(list)
    pinned: dict[int, list[Article]] = defaultdict(list)
    for article in articles:
        if article.slug in canonical_of:
            continue
        if article.issue_pin is not None:
            pinned[article.issue_pin].append(article)
        else:
            periods[period_of(article.date.astimezone(zone).date(), config.issues.cadence)].append(
                article
            )
    members: dict[int, list[Article]] = {}
    bounds: dict[int, tuple[date, date]] = {}
    for offset, period in enumerate(sorted(periods)):
        number = config.issues.first_number + offset
        members[number], bounds[number] = periods[period], period
    for number, extra in pinned.items():
        members.setdefault(number, []).extend(extra)
        if number not in bounds:
            days = sorted(a.date.astimezone(zone).date() for a in extra)
            bounds[number] = (days[0], days[-1])

    issue_of = {a.slug: number for number, group in members.items() for a in group}
    issue_of.update({copy: issue_of[original] for copy, original in canonical_of.items()})
    numbers = sorted(members)
    rules = topic_rules(config)
    issues = []
    for index, number in enumerate(numbers):
        listed = members[number]
        intro = intros.get(number)
        issues.append(
            Issue(
                number=number,
                title=(intro.title if intro and intro.title else f"Issue {number}"),
                start=bounds[number][0],
                end=bounds[number][1],
                published=max(a.date for a in listed),
                intro_html=intro.intro_html if intro else "",
                sections=_sections(listed, rules),
                previous=numbers[index - 1] if index else None,
                next=numbers[index + 1] if index + 1 < len(numbers) else None,
            )
        )
    return tuple(issues), issue_of, _stray_intros(intros, set(numbers))


def _sections(articles: list[Article], rules: Sequence[TopicRule]) -> tuple[IssueSection, ...]:
    """One section per topic in site.toml order, keyed on each article's primary topic."""
    by_topic: dict[str, list[str]] = defaultdict(list)
    for article in sorted(articles, key=lambda a: (-a.date.timestamp(), a.slug)):
        if article.topics:
            by_topic[article.topics[0]].append(article.slug)
    return tuple(
        IssueSection(rule.slug, tuple(by_topic[rule.slug]))
        for rule in rules
        if rule.slug in by_topic
    )


def _stray_intros(intros: Mapping[int, IssueIntro], numbers: set[int]) -> list[Diagnostic]:
    return [
        warning(
            intro.source_path,
            None,
            f"there is no issue {intro.number}: no article falls in it, so this intro is unused",
            "rename the file to the number of an existing issue, or pin articles to it "
            f"with 'issue: {intro.number}'",
            "content-stray-intro",
        )
        for intro in intros.values()
        if intro.number not in numbers
    ]
