"""Each article's related list: the stories its source named, merged with similar articles.

A candidate scores ``named_weight`` if the source page named its story, plus
``text_weight`` × text similarity, ``topic_weight`` × shared topics and ``tag_weight`` ×
shared tags (Jaccard). Candidates below ``threshold`` are dropped; newer articles are left
out unless ``include_newer``, so old pages keep their lists as the site grows. Ties break
by date (newest first), then story key. An article never lists itself, its syndication
cluster, or one story twice: every candidate is counted by its story.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from newsdigest.config import RelatedConfig
from newsdigest.model import Article, RelatedItem, Story
from newsdigest.parallel import map_slices
from newsdigest.structure.similar import (
    IndexState,
    TextFeatures,
    TextIndex,
    features_of,
    index_state,
    update_index,
)
from newsdigest.structure.stories import StoryMap


@dataclass(frozen=True, slots=True)
class RelatedLists:
    related: dict[str, tuple[RelatedItem, ...]]
    index: IndexState
    """The text index they were ranked with: the next build updates it (``Earlier``)."""


@dataclass(frozen=True, slots=True)
class Earlier:
    """A previous build's lists, to update when only a few bodies changed since (same
    articles, metadata, syndication and stories)."""

    related: Mapping[str, tuple[RelatedItem, ...]]
    index: IndexState
    features: Mapping[str, TextFeatures]
    """The features the changed bodies had then, by slug."""


def build_related(
    articles: Sequence[Article],
    canonical_of: Mapping[str, str],
    story_map: StoryMap,
    config: RelatedConfig,
    features: Mapping[str, TextFeatures] | None = None,
    jobs: int = 1,
    earlier: Earlier | None = None,
) -> RelatedLists:
    """``features`` are the bodies' features when the caller already has them. With
    ``jobs`` > 1, large sites are ranked by that many processes (same results). With
    ``earlier``, only the lists the changed bodies can affect are ranked again (same
    results as ranking all)."""
    ranker = _Ranker(articles, canonical_of, story_map, config, features, earlier)
    todo = [a for a in articles if ranker.needs_ranking(a)]
    ranked = dict(zip((a.slug for a in todo), ranker.rank_all(todo, jobs), strict=True))
    items: dict[str, RelatedItem] = {}
    kept = earlier.related if earlier else {}
    related = {
        article.slug: tuple(
            items.get(key) or items.setdefault(key, related_item(story_map.stories[key]))
            for key in ranked[article.slug]
        )
        if article.slug in ranked
        else kept[article.slug]
        for article in articles
    }
    return RelatedLists(related, ranker.state)


# Fewer articles than this are ranked in this process: forking would cost more.
PARALLEL_MIN_ARTICLES = 2000


class _Ranker:
    """Ranks one article's candidates; built once, then shared by forked workers."""

    def __init__(
        self,
        articles: Sequence[Article],
        canonical_of: Mapping[str, str],
        story_map: StoryMap,
        config: RelatedConfig,
        features: Mapping[str, TextFeatures] | None,
        earlier: Earlier | None,
    ) -> None:
        self.articles = articles
        self.canonical_of = canonical_of
        self.story_map = story_map
        self.config = config
        self.canonical = sorted(
            (a for a in articles if a.slug not in canonical_of), key=lambda a: a.slug
        )
        features = features or features_of({a.slug: a.body.text for a in self.canonical})
        update = None
        if earlier is not None:
            changed = {s: f for s, f in earlier.features.items() if s not in canonical_of}
            update = update_index(earlier.index, self.canonical, features, changed)
        self.stale: set[int] | None
        """The index's articles whose lists may have changed; None: all."""
        self.state, self.stale = update or (index_state(self.canonical, features), None)
        self.index = TextIndex(self.state)
        self.position = {slug: doc for doc, slug in enumerate(self.index.slugs)}
        self.stamps = [a.date.timestamp() for a in self.canonical]
        self.by_slug = {a.slug: a for a in articles}
        dates = _story_dates(story_map.stories, self.by_slug)
        self.dates = {key: -date.timestamp() for key, date in dates.items()}
        self.topics = {a.slug: frozenset(a.topics) for a in articles}
        self.tags = {a.slug: frozenset(a.tags) for a in articles}

    def needs_ranking(self, article: Article) -> bool:
        """Whether the article's list may differ from the earlier one (all do without one)."""
        home = self.canonical_of.get(article.slug, article.slug)
        return self.stale is None or self.position[home] in self.stale

    def rank_all(self, articles: Sequence[Article], jobs: int) -> Iterator[list[str]]:
        def work(indices: range) -> list[list[str]]:
            return [self.rank(articles[index]) for index in indices]

        return map_slices(work, len(articles), jobs, PARALLEL_MIN_ARTICLES)

    def rank(self, article: Article) -> list[str]:
        """The story keys of the article's related list, best first."""
        config, story_map, topics, tags = self.config, self.story_map, self.topics, self.tags
        home = self.by_slug[self.canonical_of.get(article.slug, article.slug)]
        scores = _named(article, story_map, config)
        stamps, newest = self.stamps, home.date.timestamp()
        eligible = None if config.include_newer else lambda doc: stamps[doc] <= newest
        for doc, similarity in self.index.similar(self.position[home.slug], eligible).items():
            candidate = self.canonical[doc]
            score = (
                config.text_weight * similarity
                + config.topic_weight * _overlap(topics[home.slug], topics[candidate.slug])
                + config.tag_weight * _overlap(tags[home.slug], tags[candidate.slug])
            )
            if score >= config.threshold:
                scores[story_map.of_article[candidate.slug]] += score
        scores.pop(story_map.of_article[article.slug], None)
        dates = self.dates
        ranked = sorted(scores, key=lambda k: (-scores[k], dates[k], k))
        return ranked[: config.count]


def _named(article: Article, story_map: StoryMap, config: RelatedConfig) -> defaultdict[str, float]:
    scores: defaultdict[str, float] = defaultdict(float)
    for index in range(len(article.mentions)):
        scores[story_map.of_mention[(article.slug, index)]] = config.named_weight
    return scores


def _overlap(first: frozenset[str], second: frozenset[str]) -> float:
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


def _story_dates(
    stories: Mapping[str, Story], by_slug: Mapping[str, Article]
) -> dict[str, datetime]:
    """An article story's date is the article's; a brief's is its first mention's."""
    return {
        key: by_slug[story.article_slug or story.mentioned_by[0]].date
        for key, story in stories.items()
    }


def related_item(story: Story) -> RelatedItem:
    """How a story is listed in related lists."""
    return RelatedItem(
        story_key=story.key,
        title=story.title,
        source=story.sources[0] if story.sources else None,
        summary=story.summary,
        article_slug=story.article_slug,
        brief_slug=story.slug or None,
    )
