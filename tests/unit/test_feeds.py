"""Feed generation on a small model: order, dates and links (feedgen's traps)."""

from __future__ import annotations

from datetime import UTC, datetime

import feedparser

from newsdigest.config import Overrides, parse_config
from newsdigest.render import feeds, urls
from newsdigest.render.urls import SiteUrls
from newsdigest.structure.site import build_model

from factories import MINIMAL_CONFIG, make_article

SITE = SiteUrls("https://example.org/digest/")


def model_with(*articles, display: str = "full"):  # type: ignore[no-untyped-def]
    config, _ = parse_config(
        MINIMAL_CONFIG + f'\n[articles]\ndisplay = "{display}"\n', Overrides(base_url=SITE.base_url)
    )
    model, _ = build_model(config, articles, (), {})
    return model


def dated(slug: str, day: int, **fields):  # type: ignore[no-untyped-def]
    return make_article(slug, date=datetime(2025, 6, day, 9, tzinfo=UTC), **fields)


def test_articles_feed_is_newest_first_and_dated_from_content() -> None:
    model = model_with(dated("old", 2), dated("new", 20), dated("mid", 10))
    listed = list(model.articles.values())
    data = feeds.articles_feed(model, SITE, urls.FEED_ARTICLES, "All", listed)
    parsed = feedparser.parse(data)
    assert [e.link for e in parsed.entries] == [
        SITE.absolute(urls.article(s)) for s in ("new", "mid", "old")
    ]
    assert parsed.feed.updated_parsed[:3] == (2025, 6, 20)
    assert feeds.articles_feed(model, SITE, urls.FEED_ARTICLES, "All", listed) == data


def test_article_content_links_become_absolute_under_the_base_path() -> None:
    body = '<p><a href="/about/">About</a> <a href="notes/">Notes</a> <img src="/x.png"></p>'
    model = model_with(dated("a", 2, body_html=body))
    data = feeds.articles_feed(model, SITE, "articles.xml", "All", list(model.articles.values()))
    content = feedparser.parse(data).entries[0].content[0].value
    assert 'href="https://example.org/digest/about/"' in content
    assert 'href="https://example.org/digest/articles/a/notes/"' in content
    assert 'src="https://example.org/digest/x.png"' in content


def test_summary_only_sites_put_no_body_in_feeds() -> None:
    model = model_with(dated("a", 2, body_html="<p>Secret full text</p>"), display="summary")
    data = feeds.articles_feed(model, SITE, "articles.xml", "All", list(model.articles.values()))
    entry = feedparser.parse(data).entries[0]
    assert "content" not in entry
    assert entry.summary == "A summary."


def test_atom_issue_entries_carry_the_issue_html_and_a_summary() -> None:
    model = model_with(dated("a", 2, title="Telescope"), dated("b", 20, title="League"))
    html = {issue.number: f"<h2>Issue {issue.number}</h2>" for issue in model.issues}
    parsed = feedparser.parse(feeds.issues_feed(model, SITE, html, atom=True))
    assert not parsed.bozo
    # Numbers run over the weeks that have articles: the week of 16 June is issue 2.
    assert [e.content[0].value for e in parsed.entries] == ["<h2>Issue 2</h2>", "<h2>Issue 1</h2>"]
    assert parsed.entries[0].summary == "1 story"
    assert parsed.feed.author == "Test Digest"


def test_issue_feed_titles_and_empty_feeds() -> None:
    assert feeds.issue_headline(3, "Issue 3", "1–7 June 2025") == "Issue 3 (1–7 June 2025)"
    assert feeds.issue_headline(3, "Rates and rain", "x") == "Issue 3: Rates and rain"
    empty = model_with()
    parsed = feedparser.parse(feeds.issues_feed(empty, SITE, {}, atom=True))
    assert not parsed.bozo and parsed.entries == []
