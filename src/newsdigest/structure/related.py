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
from collections.abc import Mapping, Sequence
from datetime import datetime

from newsdigest.config import RelatedConfig
from newsdigest.model import Article, RelatedItem, Story
from newsdigest.structure.similar import TextFeatures, TextIndex, features_of
from newsdigest.structure.stories import StoryMap


def build_related(
    articles: Sequence[Article],
    canonical_of: Mapping[str, str],
    story_map: StoryMap,
    config: RelatedConfig,
    features: Mapping[str, TextFeatures] | None = None,
) -> dict[str, tuple[RelatedItem, ...]]:
    """``features`` are the bodies' features when the caller already has them."""
    canonical = sorted((a for a in articles if a.slug not in canonical_of), key=lambda a: a.slug)
    features = features or features_of({a.slug: a.body_text for a in canonical})
    index = TextIndex(canonical, features)
    position = {slug: doc for doc, slug in enumerate(index.slugs)}
    by_slug = {a.slug: a for a in articles}
    dates = {k: -d.timestamp() for k, d in _story_dates(story_map.stories, by_slug).items()}
    topics = {a.slug: frozenset(a.topics) for a in articles}
    tags = {a.slug: frozenset(a.tags) for a in articles}
    items: dict[str, RelatedItem] = {}
    related = {}
    for article in articles:
        home = by_slug[canonical_of.get(article.slug, article.slug)]
        scores = _named(article, story_map, config)
        for doc, similarity in index.similar(position[home.slug]).items():
            candidate = canonical[doc]
            if candidate.date > home.date and not config.include_newer:
                continue
            score = (
                config.text_weight * similarity
                + config.topic_weight * _overlap(topics[home.slug], topics[candidate.slug])
                + config.tag_weight * _overlap(tags[home.slug], tags[candidate.slug])
            )
            if score >= config.threshold:
                scores[story_map.of_article[candidate.slug]] += score
        scores.pop(story_map.of_article[article.slug], None)
        ranked = sorted(scores, key=lambda k: (-scores[k], dates[k], k))
        related[article.slug] = tuple(
            items.get(key) or items.setdefault(key, _item(story_map.stories[key]))
            for key in ranked[: config.count]
        )
    return related


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


def _item(story: Story) -> RelatedItem:
    return RelatedItem(
        story_key=story.key,
        title=story.title,
        source=story.sources[0] if story.sources else None,
        summary=story.summary,
        article_slug=story.article_slug,
        brief_slug=story.slug or None,
    )
