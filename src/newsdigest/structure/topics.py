"""Topic assignment from the ``[[topics]]`` keyword rules."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence

from newsdigest.config import SiteConfig, TopicRule
from newsdigest.model import Article, Topic

IMPLICIT_FALLBACK = TopicRule(name="General", slug="general", fallback=True)
# Title words say most about an article, then the summary, then the body.
_WEIGHTS = (3, 2, 1)


def topic_rules(config: SiteConfig) -> tuple[TopicRule, ...]:
    """The configured topics, plus an implicit "General" fallback when none is marked."""
    if any(rule.fallback for rule in config.topics):
        return config.topics
    existing = next((r for r in config.topics if r.slug == IMPLICIT_FALLBACK.slug), None)
    if existing:
        return tuple(dataclasses.replace(r, fallback=r is existing) for r in config.topics)
    return (*config.topics, IMPLICIT_FALLBACK)


def assign_topics(articles: Iterable[Article], config: SiteConfig) -> tuple[Article, ...]:
    """Give every article without explicit topics its best-matching ones (primary first)."""
    rules = topic_rules(config)
    index = _KeywordIndex(rules)
    fallback = next(rule.slug for rule in rules if rule.fallback)
    limit = config.articles.max_topics
    return tuple(
        article
        if article.topics
        else dataclasses.replace(article, topics=index.best(article, fallback, limit))
        for article in articles
    )


class _KeywordIndex:
    """All rules' keywords in one pattern, so each text is scanned once, not once per topic."""

    def __init__(self, rules: Sequence[TopicRule]) -> None:
        self.slugs = [rule.slug for rule in rules]
        self.owners: dict[str, list[int]] = {}
        for order, rule in enumerate(rules):
            for keyword in rule.keywords:
                key = keyword.strip().casefold()
                if key and order not in self.owners.setdefault(key, []):
                    self.owners[key].append(order)
        words = sorted(map(re.escape, self.owners), key=len, reverse=True)
        self.pattern = (
            re.compile(rf"(?<!\w)(?:{'|'.join(words)})(?!\w)", re.IGNORECASE) if words else None
        )

    def best(self, article: Article, fallback: str, limit: int) -> tuple[str, ...]:
        scores = [0] * len(self.slugs)
        if self.pattern is not None:
            texts = (article.title, article.summary, article.body.text)
            for text, weight in zip(texts, _WEIGHTS, strict=True):
                for match in self.pattern.findall(text):
                    for order in self.owners[match.casefold()]:
                        scores[order] += weight
        ranked = sorted((-score, order) for order, score in enumerate(scores) if score)
        if not ranked:
            return (fallback,)
        top = -ranked[0][0]
        # A secondary topic must be a real theme of the article, not a passing word.
        return tuple(self.slugs[order] for score, order in ranked[:limit] if -score * 2 >= top)


def build_topics(articles: Sequence[Article], config: SiteConfig) -> tuple[Topic, ...]:
    """Topics in site.toml order with their articles (newest first); empty ones left out."""
    members: dict[str, list[str]] = {rule.slug: [] for rule in topic_rules(config)}
    for article in articles:
        for slug in article.topics:
            members[slug].append(article.slug)
    return tuple(
        Topic(rule.slug, rule.name, tuple(members[rule.slug]))
        for rule in topic_rules(config)
        if members[rule.slug]
    )
