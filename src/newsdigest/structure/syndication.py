"""Syndication: articles that are one story from several outlets form one cluster.

Members are linked by an explicit ``duplicate_of``, by near-duplicate bodies, or by matching
headlines published within 48 hours of each other. The earliest member (date, then slug)
is the canonical article; the others are "also reported by" copies.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from itertools import chain
from typing import Generic, TypeVar

from newsdigest.matching import ShingleIndex, near_duplicate, titles_match
from newsdigest.model import Article
from newsdigest.structure.shingles import ShingleHolders
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


@dataclass(frozen=True, slots=True)
class CopyLinks:
    """The pairs of articles found to be copies of each other, as (later, earlier) slugs:
    by their bodies, and by their headlines. Kept between builds, so that an edit to a few
    bodies only looks for those bodies' pairs (``update_links``)."""

    bodies: frozenset[tuple[str, str]]
    titles: frozenset[tuple[str, str]]


def find_copies(
    articles: Sequence[Article], features: Mapping[str, TextFeatures] | None = None
) -> dict[str, str]:
    """Each syndicated copy's canonical article: ``{copy slug: canonical slug}``.
    ``features`` are the bodies' features when the caller already has them."""
    features = features or features_of({a.slug: a.body.text for a in articles})
    return copies_of(articles, find_links(articles, features))


def find_links(articles: Sequence[Article], features: Mapping[str, TextFeatures]) -> CopyLinks:
    return CopyLinks(frozenset(_link_bodies(articles, features)), frozenset(_link_titles(articles)))


def copies_of(articles: Sequence[Article], links: CopyLinks) -> dict[str, str]:
    """Clusters of linked articles: the earliest member (date, then slug) is canonical."""
    groups: UnionFind[str] = UnionFind()
    by_slug = {a.slug: a for a in articles}
    for article in articles:
        groups.find(article.slug)
        if article.duplicate_of in by_slug:
            groups.union(article.slug, article.duplicate_of)
    for later, earlier in chain(links.bodies, links.titles):
        groups.union(later, earlier)
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
    articles: Sequence[Article], features: Mapping[str, TextFeatures]
) -> Iterator[tuple[str, str]]:
    """Near-duplicate bodies. Each article is matched against those before it in slug
    order; a shingle found in more than ``MAX_POSTINGS`` of them is a stock phrase there."""
    index: ShingleIndex[str] = ShingleIndex(MAX_POSTINGS)
    for article in sorted(articles, key=lambda a: a.slug):
        grams = features[article.slug].grams
        for match in index.matches(grams):
            yield article.slug, match
        index.add(article.slug, grams)


MAX_POSTINGS = 50
# Beyond this many changed bodies, linking all bodies anew is as quick.
UPDATE_MAX_BODIES = 32


def update_links(
    links: CopyLinks,
    articles: Sequence[Article],
    features: Mapping[str, TextFeatures],
    earlier: Mapping[str, TextFeatures],
    shingles: ShingleHolders,
) -> CopyLinks | None:
    """``links`` after the bodies in ``earlier`` (their features before the change, by
    slug) changed, and nothing else: the pairs ``find_links`` would find. ``shingles``
    tells which articles hold each shingle now. None when too many bodies changed, or
    when a shingle they gained or lost is held by more than ``MAX_POSTINGS`` articles
    (before or after): whether it counts for other pairs may have changed too."""
    if len(earlier) > UPDATE_MAX_BODIES:
        return None
    order = sorted(a.slug for a in articles)
    position = {slug: n for n, slug in enumerate(order)}
    moved: set[int] = set().union(*(features[s].grams ^ f.grams for s, f in earlier.items()))
    wanted = moved.union(*(features[slug].grams for slug in earlier))
    holders = {gram: sorted(position[s] for s in shingles.of_shingle(gram)) for gram in wanted}
    """Each wanted shingle's holders, by position in slug order."""
    for gram in moved:
        after = len(holders.get(gram, ()))
        before = after + sum(
            (gram in f.grams) - (gram in features[s].grams) for s, f in earlier.items()
        )
        if max(before, after) > MAX_POSTINGS:
            return None
    bodies = {pair for pair in links.bodies if earlier.keys().isdisjoint(pair)}
    for slug in earlier:
        bodies.update(_pairs_of(position[slug], order, features, holders))
    return CopyLinks(frozenset(bodies), links.titles)


def _pairs_of(
    position: int,
    order: Sequence[str],
    features: Mapping[str, TextFeatures],
    holders: Mapping[int, list[int]],
) -> Iterator[tuple[str, str]]:
    """The body pairs of the article at ``position`` (in slug order), as ``_link_bodies``
    finds them. A shingle counts for a pair when at most ``MAX_POSTINGS`` articles before
    the later one hold it: when the article is among its first ``MAX_POSTINGS`` + 1
    holders, with the others among them."""
    shared: Counter[int] = Counter()
    for gram in features[order[position]].grams:
        first = holders[gram][: MAX_POSTINGS + 1]
        if position in first:
            shared.update(other for other in first if other != position)
    for other, count in shared.items():
        later, earlier = order[max(position, other)], order[min(position, other)]
        if near_duplicate(count, len(features[later].grams), len(features[earlier].grams)):
            yield later, earlier


def _link_titles(articles: Sequence[Article]) -> Iterator[tuple[str, str]]:
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
                    yield article.slug, other.slug
                checked.add(other.slug)
            postings[word].append(article)
