"""The single authority for output paths and URLs.

A *route* is a path relative to the site root (``articles/slug/``, ``feed.xml``). Pages
link with ``link(route)``, which carries the path of ``base_url`` so that a project site
published under ``/digest/`` works; feeds and canonical links use ``absolute(route)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

HOME = ""
ARCHIVE = "archive/"
TOPICS = "topics/"
NOT_FOUND = "404.html"
FEED_RSS = "feed.xml"
FEED_ATOM = "atom.xml"
FEED_ARTICLES = "articles.xml"
FEED_JSON = "feed.json"
SUBSCRIBE = "subscribe/"
SEARCH = "search/"
SEARCH_INDEX = "search/index.json"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
NOJEKYLL = ".nojekyll"
CNAME = "CNAME"
GITHUB_PAGES_HOST = ".github.io"


def issue(number: int) -> str:
    return f"issues/{number}/"


def article(slug: str) -> str:
    return f"articles/{slug}/"


def brief(slug: str) -> str:
    return f"briefs/{slug}/"


def topic(slug: str) -> str:
    return f"topics/{slug}/"


def topic_feed(slug: str) -> str:
    return f"topics/{slug}/feed.xml"


def page(slug: str) -> str:
    return f"{slug}/"


def static(name: str) -> str:
    return f"static/{name}"


def output_path(route: str) -> str:
    """The file a route is written to: directory routes get an ``index.html``."""
    return f"{route}index.html" if route == HOME or route.endswith("/") else route


@dataclass(frozen=True, slots=True)
class SiteUrls:
    base_url: str
    """Absolute, ending in ``/``."""

    base_path: str = field(init=False)
    """The path part of ``base_url``: where the site lives on its host."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "base_path", urlsplit(self.base_url).path or "/")

    def link(self, route: str) -> str:
        return self.base_path + route

    def absolute(self, route: str) -> str:
        return self.base_url + route

    @property
    def custom_domain(self) -> str | None:
        """The host when the site is published on its own domain rather than on
        ``*.github.io`` or a local preview address: GitHub Pages then needs a CNAME file."""
        host = urlsplit(self.base_url).hostname or ""
        local = host in ("localhost", "127.0.0.1", "::1") or host.endswith(GITHUB_PAGES_HOST)
        return None if local or "." not in host else host
