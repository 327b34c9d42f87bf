"""RSS 2.0 and Atom feeds with feedgen: issues, all articles, and one per topic.

feedgen's traps (see NOTES): entries are prepended unless ``order="append"``; feed dates
default to *now*, so they are set from content; the RSS channel ``<link>`` is the last
link added, so ``rel=self`` goes first.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime, tzinfo
from html import escape
from typing import TYPE_CHECKING

from newsdigest import __version__
from newsdigest.content.markup import absolutise, rebase_links
from newsdigest.model import Article, SiteModel
from newsdigest.render import urls
from newsdigest.render.urls import SiteUrls
from newsdigest.render.views import period_label

if TYPE_CHECKING:  # feedgen loads lxml: imported only when feeds are made
    from feedgen.feed import FeedGenerator

# The date of an empty feed: fixed, so that an empty site still builds reproducibly.
_NO_ITEMS = datetime(2000, 1, 1, tzinfo=UTC)


def _generator(
    model: SiteModel, site_urls: SiteUrls, route: str, title: str, *, atom: bool = False
) -> FeedGenerator:
    config = model.config
    from feedgen.feed import FeedGenerator

    feed = FeedGenerator()
    feed.id(site_urls.absolute(route))
    feed.title(title)
    # RSS readers treat descriptions as HTML, so plain text goes in escaped; Atom's
    # subtitle is declared as text.
    description = config.description or config.title
    feed.description(description if atom else escape(description))
    feed.language(config.language)
    feed.generator("newsdigest", __version__)
    # Atom requires an author on the feed when entries carry none.
    feed.author({"name": config.author or config.title})
    feed.link(href=site_urls.absolute(route), rel="self")
    feed.link(href=site_urls.absolute(urls.HOME), rel="alternate")
    return feed


def _finish(feed: FeedGenerator, newest: datetime | None, zone: tzinfo, atom: bool) -> bytes:
    moment = (newest or _NO_ITEMS).astimezone(zone)
    feed.updated(moment)
    feed.lastBuildDate(moment)
    data: bytes = feed.atom_str(pretty=True) if atom else feed.rss_str(pretty=True)
    return data


def issue_headline(number: int, title: str, period: str) -> str:
    default = f"Issue {number}"
    return f"{default} ({period})" if title == default else f"{default}: {title}"


def issues_feed(
    model: SiteModel, site_urls: SiteUrls, issue_html: dict[int, str], *, atom: bool
) -> bytes:
    """One item per issue, newest first, the issue's whole page content as HTML."""
    route = urls.FEED_ATOM if atom else urls.FEED_RSS
    feed = _generator(model, site_urls, route, model.config.title, atom=atom)
    zone = model.config.zone
    issues = list(reversed(model.issues))[: model.config.feeds.issues]
    for issue in issues:
        link = site_urls.absolute(urls.issue(issue.number))
        entry = feed.add_entry(order="append")
        entry.id(link)
        entry.guid(link, permalink=True)
        entry.title(issue_headline(issue.number, issue.title, period_label(issue.start, issue.end)))
        entry.link(href=link)
        entry.published(issue.published.astimezone(zone))
        entry.updated(issue.published.astimezone(zone))
        html = absolutise(issue_html[issue.number], site_urls.base_url)
        entry.content(html, type="html" if atom else "CDATA")
        count = len(issue.article_slugs)
        entry.summary(f"{count} {'story' if count == 1 else 'stories'}")
    return _finish(feed, issues[0].published if issues else None, zone, atom)


def articles_feed(
    model: SiteModel, site_urls: SiteUrls, route: str, title: str, articles: Sequence[Article]
) -> bytes:
    """One item per article, newest first; content as configured by ``[articles] display``."""
    display = model.config.articles.display
    names = {t.slug: t.name for t in model.topics}
    zone = model.config.zone
    feed = _generator(model, site_urls, route, title)
    for article in articles:
        link = site_urls.absolute(urls.article(article.slug))
        entry = feed.add_entry(order="append")
        entry.id(link)
        entry.guid(link, permalink=True)
        entry.title(article.title)
        entry.link(href=link)
        entry.published(article.date.astimezone(zone))
        entry.updated(article.date.astimezone(zone))
        entry.summary(escape(article.summary))
        if article.author:
            entry.author({"name": article.author})
        for slug in article.topics:
            entry.category(term=slug, label=names.get(slug, slug))
        body = article.body.shown(display)
        if body:
            html = rebase_links(body, site_urls.base_path)
            entry.content(absolutise(html, link), type="CDATA")
    return _finish(feed, articles[0].date if articles else None, zone, atom=False)


def issues_json_feed(model: SiteModel, site_urls: SiteUrls, issue_html: dict[int, str]) -> bytes:
    """JSON Feed 1.1 with the same items as ``feed.xml``: one per issue, newest first."""
    config = model.config
    zone = model.config.zone
    items = []
    for issue in list(reversed(model.issues))[: config.feeds.issues]:
        link = site_urls.absolute(urls.issue(issue.number))
        items.append(
            {
                "id": link,
                "url": link,
                "title": issue_headline(
                    issue.number, issue.title, period_label(issue.start, issue.end)
                ),
                "content_html": absolutise(issue_html[issue.number], site_urls.base_url),
                "date_published": issue.published.astimezone(zone).isoformat(),
            }
        )
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": config.title,
        "home_page_url": site_urls.absolute(urls.HOME),
        "feed_url": site_urls.absolute(urls.FEED_JSON),
        "description": config.description,
        "language": config.language,
        "authors": [{"name": config.author or config.title}],
        "items": items,
    }
    return (json.dumps(feed, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
