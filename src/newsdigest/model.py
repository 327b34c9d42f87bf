"""The plain, immutable data passed between the pipeline's stages.

No I/O and no behaviour beyond small derived properties: stages are functions from these
types to these types, which keeps them easy to test and to cache. (An article's body may
be loaded when first used, from a source the content stage gives it: ``ArticleBody``.)
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple, Protocol

from newsdigest.config import SiteConfig


class Mention(NamedTuple):
    """A related story as named by a source page (front matter ``related``). A named tuple:
    ten thousand articles name thirty thousand, made anew from the cache every build."""

    title: str
    source: str | None = None
    summary: str | None = None
    url: str | None = None


BodyParts = tuple[str, str, str]
"""An article body's HTML, plain text and excerpt HTML."""


class BodySource(Protocol):
    """Where bodies known only by a key are loaded from (the build cache)."""

    def load(self, keys: list[str]) -> dict[str, BodyParts]:
        """The parts of every body in ``keys``."""


class ArticleBody:
    """An article's body: its sanitised HTML, its plain text (for keyword rules and
    similarity) and the HTML of its opening paragraphs (empty unless excerpts are
    displayed); with the text's digest and word count always at hand.

    A body kept by the build cache is loaded when first used (``stored``): a rebuild shows
    few bodies, and decoding all of them was a quarter of a one-edit rebuild. It is
    otherwise a plain value: equal when the bodies are, pickled as its parts."""

    __slots__ = ("_key", "_parts", "_source", "digest", "words")

    digest: str
    """SHA-256 of the plain text."""
    words: int
    _parts: BodyParts | None
    _source: BodySource | None
    _key: str

    def __init__(self, html: str, text: str, excerpt_html: str = "") -> None:
        self.digest = hashlib.sha256(text.encode()).hexdigest()
        self.words = len(text.split())
        self._parts = (html, text, excerpt_html)
        self._source, self._key = None, ""

    @classmethod
    def stored(cls, digest: str, words: int, source: BodySource, key: str) -> ArticleBody:
        """A body known by its digest and word count, whose parts ``source`` holds."""
        return _body_of(digest, words, None, source, key)

    @property
    def html(self) -> str:
        return self._loaded()[0]

    @property
    def text(self) -> str:
        return self._loaded()[1]

    @property
    def excerpt_html(self) -> str:
        return self._loaded()[2]

    def shown(self, display: str) -> str:
        """The HTML that pages and feeds show for ``[articles] display``: the whole body,
        its excerpt, or nothing (for "summary")."""
        if display == "full":
            return self.html
        return self.excerpt_html if display == "excerpt" else ""

    def _loaded(self) -> BodyParts:
        if self._parts is None:
            load_bodies([self])
        assert self._parts is not None
        return self._parts

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ArticleBody):
            return NotImplemented
        return self.digest == other.digest and self._loaded() == other._loaded()

    def __hash__(self) -> int:
        return hash(self.digest)

    def __repr__(self) -> str:
        return f"ArticleBody(digest={self.digest[:12]!r}, words={self.words})"

    def __reduce__(self) -> tuple[Callable[..., ArticleBody], tuple[str, int, BodyParts]]:
        # With its digest and word count: reading workers send ten thousand bodies back,
        # and the parent would otherwise hash and count each again.
        return _body_of, (self.digest, self.words, self._loaded())


def _body_of(
    digest: str,
    words: int,
    parts: BodyParts | None,
    source: BodySource | None = None,
    key: str = "",
) -> ArticleBody:
    """A body whose digest and word count are known already."""
    body = ArticleBody.__new__(ArticleBody)
    body.digest, body.words = digest, words
    body._parts, body._source, body._key = parts, source, key
    return body


def load_bodies(bodies: Iterable[ArticleBody]) -> None:
    """Load the bodies not loaded yet, all of one source at once: before worker processes
    are forked, which cannot read the cache."""
    waiting: dict[BodySource, list[ArticleBody]] = defaultdict(list)
    for body in bodies:
        if body._parts is None and body._source is not None:
            waiting[body._source].append(body)
    for source, pending in waiting.items():
        parts = source.load([body._key for body in pending])
        for body in pending:
            body._parts = parts[body._key]


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
    body: ArticleBody
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


class Story(NamedTuple):
    """One story, however many pages mention it: a site article or a brief page. (Named
    tuples, like ``RelatedItem``: every build makes ten thousand from the cache.)"""

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


class RelatedItem(NamedTuple):
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
class SinceLastBuild:
    """What changed since the last build that kept its state in the same cache."""

    earlier_build: str | None
    """That build's token (see ``this_build``); None if there was none."""
    this_build: str
    """A token of this build, unique to it: an output folder records the token of the build
    that wrote it, so that a later build knows whether that was the last build."""
    articles: frozenset[str] | None
    """The slugs of the articles whose own page may show something else: their file
    changed (or they have none), or their related list did. Known (not None) when only
    article files changed, in ways that leave every listing as it was: the same articles,
    with the same metadata, syndicated copies and stories. (Whether the issues are the
    same is for the pages to check.)"""


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
    since_last_build: SinceLastBuild | None = None
    """What changed since the last build that kept its state in the same cache, if known."""

    @property
    def briefs(self) -> tuple[Story, ...]:
        return tuple(sorted((s for s in self.stories.values() if s.slug), key=lambda s: s.slug))
