"""View data: what each template shows, as plain dicts of strings, numbers and URLs.

Templates receive only these values, never live model objects, so a page's output is a
function of its view (which later lets unchanged pages be skipped by fingerprint).
"""

from __future__ import annotations

import calendar
import json
import math
from datetime import date, datetime
from typing import Any

from newsdigest import __version__
from newsdigest.content.markup import rebase_links
from newsdigest.model import (
    Article,
    Issue,
    Page,
    RelatedItem,
    SiteModel,
    Story,
    Topic,
)
from newsdigest.render import urls
from newsdigest.render.urls import SiteUrls

View = dict[str, Any]
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
WORDS_PER_MINUTE = 230


def day_label(day: date) -> str:
    """``16 June 2025``: spelt out the same way on every machine, whatever its locale."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def period_label(start: date, end: date) -> str:
    if start == end:
        return day_label(start)
    if start.year != end.year:
        return f"{day_label(start)} – {day_label(end)}"
    if start.month != end.month:
        return f"{start.day} {_MONTHS[start.month - 1]} – {day_label(end)}"
    if start.day == 1 and end.day == calendar.monthrange(end.year, end.month)[1]:
        return f"{_MONTHS[start.month - 1]} {start.year}"
    return f"{start.day}–{day_label(end)}"


class ViewBuilder:
    """Builds the view of every page kind for one site model."""

    def __init__(self, model: SiteModel, site_urls: SiteUrls) -> None:
        self.model = model
        self.urls = site_urls
        self.zone = model.config.zone
        self.topic_names = {t.slug: t.name for t in model.topics}
        self.issues_by_number = {i.number: i for i in model.issues}
        self._teasers: dict[str, View] = {}
        self._issue_refs: dict[int, View] = {}
        self._item_texts: dict[str, str] = {}
        self._ref_texts: dict[int, str] = {}

    def site(self) -> View:
        config = self.model.config
        link = self.urls.link
        return {
            "title": config.title,
            "description": config.description,
            "language": config.language,
            "author": config.author,
            "generator": f"newsdigest {__version__}",
            "home_url": link(urls.HOME),
            "archive_url": link(urls.ARCHIVE),
            "topics_url": link(urls.TOPICS),
            "stylesheet_url": link(urls.static("style.css")),
            "feeds": [
                {
                    "title": f"{config.title} — issues (RSS)",
                    "url": link(urls.FEED_RSS),
                    "type": "application/rss+xml",
                },
                {
                    "title": f"{config.title} — issues (Atom)",
                    "url": link(urls.FEED_ATOM),
                    "type": "application/atom+xml",
                },
                {
                    "title": f"{config.title} — all articles (RSS)",
                    "url": link(urls.FEED_ARTICLES),
                    "type": "application/rss+xml",
                },
                {
                    "title": f"{config.title} — issues (JSON Feed)",
                    "url": link(urls.FEED_JSON),
                    "type": "application/feed+json",
                },
            ],
            "rss_url": link(urls.FEED_RSS),
            "subscribe_url": link(urls.SUBSCRIBE),
            "search_url": link(urls.SEARCH),
            "favicon_url": link(urls.static("favicon.svg")),
            "nav_topics": [self.topic_ref(t.slug) for t in self.model.topics],
            "nav_pages": [
                {"title": p.title, "url": link(urls.page(p.slug))} for p in self.model.pages
            ],
        }

    def html(self, fragment: str) -> str:
        """Content HTML with links written from the site root moved under the base path."""
        return rebase_links(fragment, self.urls.base_path) if fragment else ""

    def meta(self, route: str, title: str, description: str, kind: str = "website") -> View:
        return {
            "title": title,
            "description": description,
            "canonical": self.urls.absolute(route),
            "og_type": kind,
            "feeds": [],
        }

    def topic_ref(self, slug: str) -> View:
        return {"name": self.topic_names.get(slug, slug), "url": self.urls.link(urls.topic(slug))}

    def home(self) -> View:
        issues = self.model.issues
        return {
            "latest": self.issue(issues[-1]) if issues else None,
            "earlier": [self.issue_ref(i) for i in reversed(issues[:-1])],
        }

    def topic_index(self) -> View:
        return {"topics": [self.topic(t) for t in self.model.topics]}

    def search(self) -> View:
        return {
            "index_url": self.urls.link(urls.SEARCH_INDEX),
            "script_url": self.urls.link(urls.static("search.js")),
        }

    def not_found(self) -> View:
        return {"recent": [self.issue_ref(i) for i in reversed(self.model.issues[-5:])]}

    def day(self, moment: datetime) -> str:
        """The moment's date in the site's time zone, as YYYY-MM-DD."""
        return moment.astimezone(self.zone).date().isoformat()

    def when(self, moment: datetime) -> View:
        local = moment.astimezone(self.zone)
        return {"iso": local.isoformat(), "label": day_label(local.date())}

    def teaser(self, article: Article) -> View:
        """An article as lists show it. One dict per article, shared by every list that
        shows it (views are never changed once built)."""
        if article.slug not in self._teasers:
            self._teasers[article.slug] = self._teaser(article)
        return self._teasers[article.slug]

    def _teaser(self, article: Article) -> View:
        return {
            "title": article.title,
            "url": self.urls.link(urls.article(article.slug)),
            "source": article.source,
            "date": self.when(article.date),
            "summary": article.summary,
            "topic": self.topic_ref(article.topics[0]) if article.topics else None,
        }

    def issue_ref(self, issue: Issue) -> View:
        """An issue as links to it show it; shared like teasers (every article page of the
        issue links to it)."""
        if issue.number not in self._issue_refs:
            self._issue_refs[issue.number] = self._issue_ref(issue)
        return self._issue_refs[issue.number]

    def _issue_ref(self, issue: Issue) -> View:
        return {
            "number": issue.number,
            "title": issue.title,
            "url": self.urls.link(urls.issue(issue.number)),
            "period": period_label(issue.start, issue.end),
            "count": len(issue.article_slugs),
        }

    def issue(self, issue: Issue) -> View:
        by_number = self.issues_by_number
        articles = self.model.articles
        return {
            **self.issue_ref(issue),
            "date": self.when(issue.published),
            "intro_html": self.html(issue.intro_html),
            "sections": [
                {
                    "topic": self.topic_ref(section.topic_slug),
                    "id": f"topic-{section.topic_slug}",
                    "articles": [self.teaser(articles[s]) for s in section.article_slugs],
                }
                for section in issue.sections
            ],
            "previous": self.issue_ref(by_number[issue.previous]) if issue.previous else None,
            "next": self.issue_ref(by_number[issue.next]) if issue.next else None,
        }

    def article(self, article: Article) -> View:
        display = self.model.config.articles.display
        body = article.body.shown(display)
        original, copies, issue = self._surroundings(article)
        return {
            **self.teaser(article),
            "author": article.author,
            "original_url": article.url,
            "display": display,
            "body_html": self.html(body),
            "truncated": display != "full",
            "reading_minutes": max(1, math.ceil(article.body.words / WORDS_PER_MINUTE)),
            "topics": [self.topic_ref(slug) for slug in article.topics],
            "tags": list(article.tags),
            "related": [self.related(item) for item in self.model.related.get(article.slug, ())],
            "copy_of": self.teaser(original) if original else None,
            "json_ld": self.news_article(article),
            "also_reported": [{**self.teaser(copy), "original_url": copy.url} for copy in copies],
            "issue": self.issue_ref(issue) if issue else None,
        }

    def _surroundings(self, article: Article) -> tuple[Article | None, list[Article], Issue | None]:
        """The article's original (if it is a copy), its copies, and its issue."""
        original = self.model.articles.get(self.model.canonical_of.get(article.slug, ""))
        copies = [self.model.articles[s] for s in self.model.copies.get(article.slug, ())]
        issue = self.issues_by_number.get(self.model.issue_of.get(article.slug, -1))
        return original, copies, issue

    # Page inputs: everything a page's view is made of but the site, the theme, the
    # settings and the code (which ``PageRenderer`` adds), as text: equal inputs make equal
    # views. The text joins the ``repr`` of each part, made once per build for parts that
    # many pages share. Lists of articles show their metadata, so they are made of the
    # articles' metadata digests: editing a body changes no list. An article's own page
    # shows its body: it is made of the digest of its file, and None when it was not read
    # from one.

    def article_inputs(self, article: Article) -> str | None:
        own = self._file_text(article)
        if own is None:
            return None
        original, copies, issue = self._surroundings(article)
        shown = self._listed_digests([*copies, *([original] if original else [])])
        related = [self._item_text(item) for item in self.model.related.get(article.slug, ())]
        in_issue = [self._ref_text(issue)] if issue else []
        return join_sections([own], shown, related, in_issue)

    def issue_inputs(self, issue: Issue) -> str:
        articles = self.model.articles
        shown = self._listed_digests([articles[s] for x in issue.sections for s in x.article_slugs])
        by_number = self.issues_by_number
        neighbours = [self._ref_text(by_number[n]) for n in (issue.previous, issue.next) if n]
        return join_sections([repr(issue)], shown, neighbours)

    def home_inputs(self) -> str:
        issues = self.model.issues
        latest = self.issue_inputs(issues[-1]) if issues else ""
        return join_sections([repr(latest)], [self._ref_text(i) for i in issues[:-1]])

    def topic_inputs(self, topic: Topic) -> str:
        shown = self._listed_digests([self.model.articles[s] for s in topic.article_slugs])
        return join_sections([repr(topic)], shown)

    def topic_index_inputs(self) -> str:
        return join_sections([repr(self.topic_inputs(t)) for t in self.model.topics])

    def archive_inputs(self) -> str:
        refs = [self._ref_text(i) for i in self.model.issues]
        return join_sections(refs, self._listed_digests(self._listed()))

    def brief_inputs(self, story: Story) -> str:
        articles = self.model.articles
        shown = self._listed_digests([articles[s] for s in story.mentioned_by if s in articles])
        return join_sections([repr(tuple(story))], shown)

    def feeds_inputs(self, issues: list[Issue], listed: list[Article], topics: int) -> str | None:
        """What the feeds are made of: the issues they carry, and the articles (bodies
        included) of the all-articles feed and of each topic's feed (``topics`` articles
        each)."""
        articles = self.model.articles
        by_topic = [[articles[s] for s in t.article_slugs[:topics]] for t in self.model.topics]
        files = [self._file_text(a) for a in [*listed, *(a for m in by_topic for a in m)]]
        if None in files:
            return None
        topic_parts = [repr((t.slug, t.name, t.article_slugs[:topics])) for t in self.model.topics]
        issue_parts = [self.issue_inputs(i) for i in issues]
        return join_sections(issue_parts, [f for f in files if f], topic_parts)

    def search_inputs(self) -> str:
        return join_sections(self._listed_digests(self._listed()))

    def _listed(self) -> list[Article]:
        return [a for a in self.model.articles.values() if a.slug not in self.model.canonical_of]

    def _listed_digests(self, articles: list[Article]) -> list[str]:
        """What the articles' teasers are made of: their metadata digests."""
        return [self.model.metadata_digests[a.slug] for a in articles]

    def _file_text(self, article: Article) -> str | None:
        """What the article's page is made of: its file (if it was read from one)."""
        if not article.source_digest:
            return None
        return repr((article.slug, article.source_digest, article.topics))

    def _item_text(self, item: RelatedItem) -> str:
        text = self._item_texts.get(item.story_key)
        if text is None:
            text = self._item_texts[item.story_key] = repr(tuple(item))
        return text

    def _ref_text(self, issue: Issue) -> str:
        text = self._ref_texts.get(issue.number)
        if text is None:
            text = self._ref_texts[issue.number] = repr(self.issue_ref(issue))
        return text

    def news_article(self, article: Article) -> str:
        """schema.org NewsArticle as JSON, safe inside a <script> element."""
        data: dict[str, object] = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": article.title,
            "description": article.summary,
            "datePublished": article.date.astimezone(self.zone).isoformat(),
            "mainEntityOfPage": self.urls.absolute(urls.article(article.slug)),
            "publisher": {"@type": "Organization", "name": article.source},
            "isPartOf": {
                "@type": "WebSite",
                "name": self.model.config.title,
                "url": self.urls.absolute(urls.HOME),
            },
        }
        if article.author:
            data["author"] = {"@type": "Person", "name": article.author}
        if article.url:
            data["isBasedOn"] = article.url
        # "<" escaped: no string in the data can close the script element.
        return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")

    def search_index(self) -> list[dict[str, str]]:
        """What the search page searches: one compact record per listed article."""
        return [
            {
                "t": article.title,
                "u": self.urls.link(urls.article(article.slug)),
                "s": article.source,
                "d": self.when(article.date)["label"],
                "x": article.summary,
                "k": " ".join(self.topic_names.get(t, t) for t in article.topics),
            }
            for article in self.model.articles.values()
            if article.slug not in self.model.canonical_of
        ]

    def subscribe(self) -> View:
        return {
            "topics": [
                {**self.topic_ref(t.slug), "feed_url": self.urls.link(urls.topic_feed(t.slug))}
                for t in self.model.topics
            ],
            "absolute": {
                "rss": self.urls.absolute(urls.FEED_RSS),
                "atom": self.urls.absolute(urls.FEED_ATOM),
                "json": self.urls.absolute(urls.FEED_JSON),
                "articles": self.urls.absolute(urls.FEED_ARTICLES),
            },
        }

    def related(self, item: RelatedItem) -> View:
        route = (
            urls.article(item.article_slug)
            if item.article_slug
            else urls.brief(item.brief_slug or "")
        )
        return {
            "title": item.title,
            "source": item.source,
            "summary": item.summary,
            "url": self.urls.link(route),
            "kind": "article" if item.article_slug else "brief",
        }

    def brief(self, story: Story) -> View:
        mentioned = [self.model.articles[s] for s in story.mentioned_by if s in self.model.articles]
        return {
            "title": story.title,
            "sources": list(story.sources),
            "summary": story.summary,
            "original_url": story.url,
            "mentioned_in": [self.teaser(a) for a in mentioned],
        }

    def topic(self, topic: Topic) -> View:
        return {
            **self.topic_ref(topic.slug),
            "slug": topic.slug,
            "feed_url": self.urls.link(urls.topic_feed(topic.slug)),
            "articles": [self.teaser(self.model.articles[s]) for s in topic.article_slugs],
        }

    def archive(self) -> View:
        issues = [self.issue_ref(i) for i in reversed(self.model.issues)]
        months: dict[str, list[View]] = {}
        for article in self.model.articles.values():
            if article.slug not in self.model.canonical_of:
                local = article.date.astimezone(self.zone)
                label = f"{_MONTHS[local.month - 1]} {local.year}"
                months.setdefault(label, []).append(self.teaser(article))
        return {
            "issues": issues,
            "months": [{"label": k, "articles": v} for k, v in months.items()],
        }

    def page(self, page: Page) -> View:
        return {"title": page.title, "body_html": self.html(page.body_html)}


def join_sections(*sections: list[str]) -> str:
    """Parts joined unambiguously: a ``repr`` holds no control characters."""
    return "\x01".join("\x00".join(section) for section in sections)
