"""Topic assignment from the ``[[topics]]`` keyword rules."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence

from newsdigest.config import SiteConfig, TopicRule
from newsdigest.model import Article, Topic

IMPLICIT_FALLBACK = TopicRule(name="General", slug="general", fallback=True)
# Title words say most about an article, then the summary, then the body.
_WEIGHTS = (("title", 3), ("summary", 2), ("body_text", 1))


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
    matchers = [(rule, _matcher(rule.keywords)) for rule in rules]
    fallback = next(rule.slug for rule in rules if rule.fallback)
    limit = config.articles.max_topics
    return tuple(
        article
        if article.topics
        else dataclasses.replace(article, topics=_best(article, matchers, fallback, limit))
        for article in articles
    )


def _matcher(keywords: Sequence[str]) -> re.Pattern[str] | None:
    if not keywords:
        return None
    words = sorted((re.escape(k.strip()) for k in keywords if k.strip()), key=len, reverse=True)
    return re.compile(rf"(?<!\w)(?:{'|'.join(words)})(?!\w)", re.IGNORECASE)


def _best(
    article: Article,
    matchers: list[tuple[TopicRule, re.Pattern[str] | None]],
    fallback: str,
    limit: int,
) -> tuple[str, ...]:
    scored = []
    for order, (rule, pattern) in enumerate(matchers):
        if pattern is None:
            continue
        score = sum(weight * len(pattern.findall(getattr(article, f))) for f, weight in _WEIGHTS)
        if score:
            scored.append((-score, order, rule.slug))
    if not scored:
        return (fallback,)
    scored.sort()
    top = -scored[0][0]
    # A secondary topic must be a real theme of the article, not a passing word.
    return tuple(slug for score, _, slug in scored[:limit] if -score * 2 >= top)


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
