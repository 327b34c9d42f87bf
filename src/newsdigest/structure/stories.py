"""Stories: every related mention and every article, clustered so each story has one page.

Mentions join by canonical URL, by normalised headline, or by a guarded fuzzy headline
match (candidates share one of the headline's two rarest words: no all-pairs loop). A
cluster that names an article of the site becomes that article's story; any other cluster
is a story the site only knows from mentions, and gets a brief page whose slug comes from
its earliest mention, so it stays the same as content grows.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from newsdigest.matching import titles_match
from newsdigest.model import Article, Mention, Story
from newsdigest.structure.syndication import UnionFind
from newsdigest.textnorm import canonical_url, normalise_title, title_slug

MentionKey = tuple[str, int]
"""(slug of the article that names it, position in its ``related`` list)."""
BRIEF_SLUG_LENGTH = 60
# How many earlier titles sharing a rare word are compared with each new one.
_CANDIDATES_PER_WORD = 100


@dataclass(frozen=True, slots=True)
class StoryMap:
    stories: Mapping[str, Story]
    """By story key: ``article:<slug>`` or ``brief:<slug>``."""
    of_article: Mapping[str, str]
    of_mention: Mapping[MentionKey, str]


def build_stories(articles: Sequence[Article], canonical_of: Mapping[str, str]) -> StoryMap:
    ordered = sorted(articles, key=lambda a: (a.date, a.slug))
    mentions = {
        (article.slug, index): mention
        for article in ordered
        for index, mention in enumerate(article.mentions)
    }
    clusters = _cluster_mentions(mentions)
    matcher = _ArticleMatcher(ordered, canonical_of)
    stories: dict[str, Story] = {}
    of_article = {a.slug: f"article:{canonical_of.get(a.slug, a.slug)}" for a in ordered}
    of_mention: dict[MentionKey, str] = {}
    members_by_key: dict[str, list[MentionKey]] = defaultdict(list)
    for members in clusters:
        target = matcher.find([mentions[k] for k in members])
        key = f"article:{target}" if target else _brief_key(mentions[members[0]], members_by_key)
        for member in members:
            of_mention[member] = key
            members_by_key[key].append(member)
    for article in ordered:
        if article.slug not in canonical_of:
            key = of_article[article.slug]
            stories[key] = _article_story(article, members_by_key.get(key, []), canonical_of)
    for key, members in members_by_key.items():
        if key.startswith("brief:"):
            stories[key] = _brief_story(key, [(k, mentions[k]) for k in members], canonical_of)
    return StoryMap(stories, of_article, of_mention)


def _cluster_mentions(mentions: Mapping[MentionKey, Mention]) -> list[list[MentionKey]]:
    """Groups of mentions of one story, each in order of first appearance."""
    groups: UnionFind[MentionKey] = UnionFind()
    by_url: dict[str, MentionKey] = {}
    by_title: dict[str, MentionKey] = {}
    keys = list(mentions)
    for key in keys:
        groups.find(key)
        mention = mentions[key]
        if mention.url:
            groups.union(key, by_url.setdefault(canonical_url(mention.url), key))
        groups.union(key, by_title.setdefault(normalise_title(mention.title), key))
    fuzzy = _FuzzyTitles([mentions[k].title for k in by_title.values()])
    for key in by_title.values():
        for other in fuzzy.matches(mentions[key].title):
            groups.union(key, by_title[normalise_title(other)])
        fuzzy.add(mentions[key].title)
    clusters: dict[MentionKey, list[MentionKey]] = defaultdict(list)
    for key in keys:
        clusters[groups.find(key)].append(key)
    return list(clusters.values())


class _FuzzyTitles:
    """Titles indexed by their two rarest words, for guarded fuzzy matching."""

    def __init__(self, corpus: Sequence[str]) -> None:
        self.frequency = Counter(w for title in corpus for w in set(normalise_title(title).split()))
        self.postings: dict[str, list[str]] = defaultdict(list)

    def rarest(self, title: str) -> list[str]:
        words = set(normalise_title(title).split())
        return sorted(words, key=lambda w: (self.frequency[w], w))[:2]

    def matches(self, title: str) -> list[str]:
        found: dict[str, None] = {}
        for word in self.rarest(title):
            for other in self.postings[word][-_CANDIDATES_PER_WORD:]:
                if other not in found and titles_match(title, other):
                    found[other] = None
        return list(found)

    def add(self, title: str) -> None:
        for word in self.rarest(title):
            self.postings[word].append(title)


class _ArticleMatcher:
    """Finds the site article a mention cluster names: by URL first, then by headline."""

    def __init__(self, articles: Sequence[Article], canonical_of: Mapping[str, str]) -> None:
        home = {a.slug: canonical_of.get(a.slug, a.slug) for a in articles}
        self.by_url = {canonical_url(a.url): home[a.slug] for a in reversed(articles) if a.url}
        self.by_title: dict[str, str] = {}
        for article in articles:
            self.by_title.setdefault(normalise_title(article.title), home[article.slug])
        self.fuzzy = _FuzzyTitles([a.title for a in articles])
        for article in articles:
            self.fuzzy.add(article.title)

    def find(self, mentions: Sequence[Mention]) -> str | None:
        """The canonical slug of the article the mentions name, if any."""
        for mention in mentions:
            if mention.url and (slug := self.by_url.get(canonical_url(mention.url))):
                return slug
        for mention in mentions:
            if slug := self.by_title.get(normalise_title(mention.title)):
                return slug
        for mention in mentions:
            for title in self.fuzzy.matches(mention.title):
                return self.by_title[normalise_title(title)]
        return None


def _brief_key(first: Mention, taken: Mapping[str, object]) -> str:
    slug = title_slug(first.title, BRIEF_SLUG_LENGTH) or "story"
    key = f"brief:{slug}"
    if key in taken:  # a different story with the same slug: disambiguate stably
        digest = hashlib.sha1(normalise_title(first.title).encode()).hexdigest()[:6]
        key = f"brief:{slug}-{digest}"
    return key


def _article_story(
    article: Article, members: Sequence[MentionKey], canonical_of: Mapping[str, str]
) -> Story:
    mentioned_by = tuple(dict.fromkeys(canonical_of.get(slug, slug) for slug, _ in members))
    key = f"article:{article.slug}"
    return Story(
        key,
        "",
        article.title,
        (article.source,),
        article.summary,
        article.url,
        article.slug,
        mentioned_by,
    )


def _brief_story(
    key: str, members: Sequence[tuple[MentionKey, Mention]], canonical_of: Mapping[str, str]
) -> Story:
    first = members[0][1]
    sources = tuple(dict.fromkeys(m.source for _, m in members if m.source))
    summary = next((m.summary for _, m in members if m.summary), None)
    url = next((m.url for _, m in members if m.url), None)
    mentioned_by = tuple(dict.fromkeys(canonical_of.get(slug, slug) for (slug, _), _ in members))
    return Story(key, key.partition(":")[2], first.title, sources, summary, url, None, mentioned_by)
