"""Syndication: articles that are one story from several outlets form one cluster.

Members are linked by an explicit ``duplicate_of``, by near-duplicate bodies, or by matching
headlines published within 48 hours of each other. The earliest member (date, then slug)
is the canonical article; the others are "also reported by" copies.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Generic, TypeVar

from newsdigest.matching import ShingleIndex, titles_match
from newsdigest.model import Article
from newsdigest.structure.similar import TextFeatures, features_of
from newsdigest.textnorm import normalise_title

TITLE_WINDOW = timedelta(hours=48)
Item = TypeVar("Item", str, tuple[str, int])


class UnionFind(Generic[Item]):
    """Disjoint sets; the smallest member names each set, so results never depend on order."""

    def __init__(self) -> None:
        self.parent: dict[Item, Item] = {}

    def find(self, item: Item) -> Item:
        root = self.parent.setdefault(item, item)
        while root != self.parent[root]:
            root = self.parent[root]
        while item != root:  # path compression
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, first: Item, second: Item) -> None:
        a, b = self.find(first), self.find(second)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def find_copies(
    articles: Sequence[Article], features: Mapping[str, TextFeatures] | None = None
) -> dict[str, str]:
    """Each syndicated copy's canonical article: ``{copy slug: canonical slug}``.
    ``features`` are the bodies' features when the caller already has them."""
    features = features or features_of({a.slug: a.body_text for a in articles})
    groups = UnionFind()
    by_slug = {a.slug: a for a in articles}
    for article in articles:
        groups.find(article.slug)
        if article.duplicate_of in by_slug:
            groups.union(article.slug, article.duplicate_of)
    _link_bodies(articles, features, groups)
    _link_titles(articles, groups)
    members: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        members[groups.find(article.slug)].append(article)
    canonical_of = {}
    for group in members.values():
        if len(group) > 1:
            first = min(group, key=lambda a: (a.date, a.slug))
            canonical_of.update({a.slug: first.slug for a in group if a is not first})
    return canonical_of


def _link_bodies(
    articles: Sequence[Article], features: Mapping[str, TextFeatures], groups: UnionFind[str]
) -> None:
    index: ShingleIndex[str] = ShingleIndex()
    for article in sorted(articles, key=lambda a: a.slug):
        grams = features[article.slug].grams
        for match in index.matches(grams):
            groups.union(article.slug, match)
        index.add(article.slug, grams)


def _link_titles(articles: Sequence[Article], groups: UnionFind[str]) -> None:
    """Headline matches within the time window. Candidates share one of the two rarest
    words of the headline, and postings are scanned newest first only back to the window's
    edge, so the work per article stays small."""
    words = {a.slug: normalise_title(a.title).split() for a in articles}
    frequency = Counter(word for title in words.values() for word in set(title))
    postings: dict[str, list[Article]] = defaultdict(list)
    for article in sorted(articles, key=lambda a: (a.date, a.slug)):
        rarest = sorted(set(words[article.slug]), key=lambda w: (frequency[w], w))[:2]
        checked: set[str] = set()
        for word in rarest:
            for other in reversed(postings[word]):
                if article.date - other.date > TITLE_WINDOW:
                    break
                if other.slug not in checked and titles_match(article.title, other.title):
                    groups.union(article.slug, other.slug)
                checked.add(other.slug)
            postings[word].append(article)
