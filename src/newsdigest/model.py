"""The plain, immutable data passed between the pipeline's stages.

No I/O and no behaviour beyond small derived properties: stages are functions from these
types to these types, which keeps them easy to test and to cache.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime
from operator import attrgetter
from typing import Any

from newsdigest.config import SiteConfig


@dataclass(frozen=True, slots=True)
class Mention:
    """A related story as named by a source page (front matter ``related``)."""

    title: str
    source: str | None = None
    summary: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Article:
    slug: str
    title: str
    date: datetime
    """Timezone-aware publication time."""
    source: str
    url: str | None
    author: str | None
    summary: str
    """From front matter, or derived from the body."""
    topics: tuple[str, ...]
    """Topic slugs, primary first: from front matter, else assigned by keyword rules."""
    tags: tuple[str, ...]
    issue_pin: int | None
    draft: bool
    body_html: str
    """Sanitised HTML of the whole body."""
    body_text: str
    """Plain text of the body, for summaries, keyword rules and similarity."""
    excerpt_html: str
    """Sanitised HTML of the opening paragraphs (empty unless excerpts are displayed)."""
    mentions: tuple[Mention, ...]
    duplicate_of: str | None
    source_file: str | None
    source_path: str
    """The content file, relative to the site root."""
    source_digest: str = ""
    """A digest of the content file's bytes and of the settings it was read with: equal
    digests mean equal articles (but for topics assigned by keyword rules). Empty for an
    article not read from a file."""


@dataclass(frozen=True, slots=True)
class Page:
    """A standalone page from ``content/pages/`` (about, colophon, ...)."""

    slug: str
    title: str
    body_html: str
    source_path: str


@dataclass(frozen=True, slots=True)
class IssueIntro:
    """Editorial title and intro for one issue, from ``content/issues/<number>.md``."""

    number: int
    title: str | None
    intro_html: str
    source_path: str


@dataclass(frozen=True, slots=True)
class Topic:
    slug: str
    name: str
    article_slugs: tuple[str, ...]
    """Newest first."""


@dataclass(frozen=True, slots=True)
class IssueSection:
    topic_slug: str
    article_slugs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Issue:
    number: int
    title: str
    start: date
    end: date
    published: datetime
    """Time of the newest article in the issue: the issue's date in feeds."""
    intro_html: str
    sections: tuple[IssueSection, ...]
    previous: int | None
    next: int | None

    @property
    def article_slugs(self) -> tuple[str, ...]:
        return tuple(slug for section in self.sections for slug in section.article_slugs)


@dataclass(frozen=True, slots=True)
class Story:
    """One story, however many pages mention it: a site article or a brief page."""

    key: str
    """``article:<slug>`` or ``brief:<slug>``: unique across the site."""
    slug: str
    """The brief page's slug (``/briefs/<slug>/``); empty for an article's story."""
    title: str
    sources: tuple[str, ...]
    summary: str | None
    url: str | None
    """The original's address, when a mention or the article gives one."""
    article_slug: str | None
    """The canonical article holding the story, if the site has it."""
    mentioned_by: tuple[str, ...]
    """Canonical slugs of the articles whose source pages name this story."""


@dataclass(frozen=True, slots=True)
class RelatedItem:
    """One entry of an article's related list: one story, linked to its one page."""

    story_key: str
    title: str
    source: str | None
    summary: str | None
    article_slug: str | None
    """Set when the site holds the story as an article; the link then points there."""
    brief_slug: str | None
    """Otherwise the story's brief page."""


@dataclass(frozen=True, slots=True)
class SiteModel:
    config: SiteConfig
    articles: Mapping[str, Article]
    """By slug, newest first."""
    issues: tuple[Issue, ...]
    """Oldest first."""
    topics: tuple[Topic, ...]
    """In site.toml order; topics without articles are left out."""
    pages: tuple[Page, ...]
    related: Mapping[str, tuple[RelatedItem, ...]]
    issue_of: Mapping[str, int]
    """Article slug to issue number."""
    stories: Mapping[str, Story]
    """Every story by key; those without an article get a brief page."""
    canonical_of: Mapping[str, str]
    """Syndicated copy's slug to its canonical article's slug."""
    copies: Mapping[str, tuple[str, ...]]
    """Canonical article's slug to its copies' slugs (oldest first)."""
    metadata_digests: Mapping[str, str]
    """Each article's digest of every field but the body, by slug: what lists show of it."""

    @property
    def briefs(self) -> tuple[Story, ...]:
        return tuple(sorted((s for s in self.stories.values() if s.slug), key=lambda s: s.slug))


def field_getter(cls: type[Any]) -> Callable[[Any], tuple[Any, ...]]:
    """A dataclass instance's field values, as ``dataclasses.astuple`` without its deep copy
    (a tenth of the time, for values as flat as these)."""
    return attrgetter(*(f.name for f in fields(cls)))
