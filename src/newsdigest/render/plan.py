"""The output plan: every file the site consists of, decided before anything is rendered.

Two outputs with the same path are reported here, before a single file is written. Each
page's view (the data its template shows) is built only when the page is rendered, by the
process that renders it: views are a large share of a build that changes little, and
rendering workers build them on every core.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from newsdigest.diagnostics import Diagnostic, error
from newsdigest.model import SiteModel
from newsdigest.render import urls
from newsdigest.render.views import ViewBuilder


@dataclass(frozen=True, slots=True)
class PageOutput:
    route: str
    template: str
    meta: dict[str, Any]
    """Title, description, canonical URL and feed links for the page's <head>."""
    make_view: Callable[[], dict[str, Any]]
    """Builds the page's view (see the module docstring)."""
    origin: str
    """The content file the page comes from, or the generated page kind; for diagnostics."""
    day: str | None = None
    """The page's date (YYYY-MM-DD in the site's time zone), for the sitemap."""
    make_inputs: Callable[[], str | None] | None = None
    """Everything the view is made of, as text (see ``ViewBuilder.article_inputs``): far
    quicker to make than the view, and enough to tell that it did not change."""
    article: str | None = None
    """The slug of the article whose page this is (see ``SinceLastBuild``)."""
    listing: bool = False
    """The page shows only stories and what lists show of articles (their metadata, topics
    and issues' references), so it stays the same while listings do (``SinceLastBuild``)."""


def plan_pages(model: SiteModel, views: ViewBuilder) -> list[PageOutput]:
    config = model.config
    plan = [
        PageOutput(
            urls.HOME,
            "home.html",
            views.meta(urls.HOME, config.title, config.description),
            views.home,
            "home page",
            make_inputs=views.home_inputs,
        )
    ]
    for issue in model.issues:
        ref = views.issue_ref(issue)
        route = urls.issue(issue.number)
        description = f"{ref['period']}: {ref['count']} stories."
        meta = views.meta(route, f"{issue.title} · {ref['period']}", description)
        plan.append(
            PageOutput(
                route,
                "issue.html",
                meta,
                partial(views.issue, issue),
                f"issue {issue.number}",
                views.day(issue.published),
                partial(views.issue_inputs, issue),
            )
        )
    for article in model.articles.values():
        route = urls.article(article.slug)
        meta = views.meta(route, article.title, article.summary, "article")
        if article.slug in model.canonical_of:
            meta["canonical"] = views.urls.absolute(urls.article(model.canonical_of[article.slug]))
        plan.append(
            PageOutput(
                route,
                "article.html",
                meta,
                partial(views.article, article),
                article.source_path,
                views.day(article.date),
                partial(views.article_inputs, article),
                article.slug,
            )
        )
    for story in model.briefs:
        route = urls.brief(story.slug)
        meta = views.meta(route, story.title, story.summary or f"{story.title}: a related story.")
        plan.append(
            PageOutput(
                route,
                "brief.html",
                meta,
                partial(views.brief, story),
                f"brief {story.slug}",
                make_inputs=partial(views.brief_inputs, story),
                listing=True,
            )
        )
    for topic in model.topics:
        route = urls.topic(topic.slug)
        meta = views.meta(route, topic.name, f"{topic.name} stories from {config.title}.")
        meta["feeds"] = [
            {
                "title": f"{topic.name} (RSS)",
                "url": views.urls.link(urls.topic_feed(topic.slug)),
                "type": "application/rss+xml",
            }
        ]
        plan.append(
            PageOutput(
                route,
                "topic.html",
                meta,
                partial(views.topic, topic),
                f"topic {topic.slug}",
                make_inputs=partial(views.topic_inputs, topic),
                listing=True,
            )
        )
    plan.append(
        PageOutput(
            urls.TOPICS,
            "topics.html",
            views.meta(urls.TOPICS, "Topics", f"Every topic covered by {config.title}."),
            views.topic_index,
            "topic index",
            make_inputs=views.topic_index_inputs,
            listing=True,
        )
    )
    plan.append(
        PageOutput(
            urls.SEARCH,
            "search.html",
            views.meta(urls.SEARCH, "Search", f"Search the articles of {config.title}."),
            views.search,
            "search page",
        )
    )
    plan.append(
        PageOutput(
            urls.SUBSCRIBE,
            "subscribe.html",
            views.meta(urls.SUBSCRIBE, "Subscribe", f"Follow {config.title} in a feed reader."),
            views.subscribe,
            "subscribe page",
        )
    )
    plan.append(
        PageOutput(
            urls.ARCHIVE,
            "archive.html",
            views.meta(urls.ARCHIVE, "Archive", f"Every issue and article of {config.title}."),
            views.archive,
            "archive",
            make_inputs=views.archive_inputs,
            listing=True,
        )
    )
    for page in model.pages:
        route = urls.page(page.slug)
        plan.append(
            PageOutput(
                route,
                "page.html",
                views.meta(route, page.title, config.description),
                partial(views.page, page),
                page.source_path,
            )
        )
    not_found = views.meta(urls.NOT_FOUND, "Page not found", "")
    not_found["canonical"] = ""  # served at every missing address: it has no address of its own
    plan.append(PageOutput(urls.NOT_FOUND, "404.html", not_found, views.not_found, "404 page"))
    return plan


def find_collisions(routes: Sequence[tuple[str, str]]) -> list[Diagnostic]:
    """One diagnostic per output path claimed twice; ``routes`` pairs a path with its origin."""
    owners: dict[str, str] = {}
    problems = []
    for path, origin in routes:
        if path in owners:
            problems.append(
                error(
                    origin,
                    None,
                    f"writes {path}, which {owners[path]} also writes",
                    "rename one of them so that each page has its own address",
                    "output-collision",
                )
            )
        else:
            owners[path] = origin
    return problems
