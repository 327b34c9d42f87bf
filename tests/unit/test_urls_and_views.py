from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsdigest.render import urls
from newsdigest.render.urls import SiteUrls
from newsdigest.render.views import day_label, join_sections, period_label


def test_links_carry_the_base_path_and_absolute_urls_the_host() -> None:
    site = SiteUrls("https://user.github.io/digest/")
    assert site.base_path == "/digest/"
    assert site.link(urls.article("a-b")) == "/digest/articles/a-b/"
    assert site.link(urls.HOME) == "/digest/"
    assert site.absolute(urls.FEED_RSS) == "https://user.github.io/digest/feed.xml"
    assert SiteUrls("https://example.org/").link(urls.topic("x")) == "/topics/x/"


@pytest.mark.parametrize(
    ("route", "path"),
    [
        (urls.HOME, "index.html"),
        (urls.issue(3), "issues/3/index.html"),
        (urls.topic_feed("sport"), "topics/sport/feed.xml"),
        (urls.NOT_FOUND, "404.html"),
        (urls.page("about"), "about/index.html"),
    ],
)
def test_output_paths(route: str, path: str) -> None:
    assert urls.output_path(route) == path


@pytest.mark.parametrize(
    ("start", "end", "label"),
    [
        (date(2025, 6, 16), date(2025, 6, 16), "16 June 2025"),
        (date(2025, 6, 16), date(2025, 6, 22), "16–22 June 2025"),
        (date(2025, 6, 30), date(2025, 7, 6), "30 June – 6 July 2025"),
        (date(2025, 12, 29), date(2026, 1, 4), "29 December 2025 – 4 January 2026"),
        (date(2024, 2, 1), date(2024, 2, 29), "February 2024"),
    ],
)
def test_period_labels(start: date, end: date, label: str) -> None:
    assert period_label(start, end) == label


def test_day_labels_do_not_depend_on_locale() -> None:
    assert day_label(date(2025, 1, 5)) == "5 January 2025"


@pytest.mark.parametrize(
    ("base_url", "domain"),
    [
        ("https://user.github.io/digest/", None),
        ("http://localhost:8000/", None),
        ("http://127.0.0.1:8000/", None),
        ("https://news.example.org/", "news.example.org"),
        ("https://www.pacificbrief.example/", "www.pacificbrief.example"),
    ],
)
def test_custom_domains_need_a_cname(base_url: str, domain: str | None) -> None:
    assert SiteUrls(base_url).custom_domain == domain


page_parts = st.lists(st.lists(st.text()), min_size=3, max_size=3)


@given(page_parts, page_parts)
def test_page_inputs_are_equal_only_for_equal_parts(
    first: list[list[str]], second: list[list[str]]
) -> None:
    """Page keys hash this text: two different pages' inputs must never join alike."""

    def joined(parts: list[list[str]]) -> str:
        return join_sections(*([repr(value) for value in section] for section in parts))

    assert (joined(first) == joined(second)) == (first == second)
