"""Related lists from the stories each article's source page named (front matter ``related``).

Mentions are deduplicated by normalised title; a mention of a story the site holds as an
article links to that article; an article never lists itself or its syndicated copies.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from newsdigest.model import Article, RelatedItem
from newsdigest.textnorm import normalise_title


def build_related(articles: Iterable[Article], count: int) -> dict[str, tuple[RelatedItem, ...]]:
    articles = tuple(articles)
    by_title: dict[str, str] = {}
    for article in sorted(articles, key=lambda a: (a.date, a.slug)):
        by_title.setdefault(normalise_title(article.title), article.slug)
    originals = {a.slug: a.duplicate_of or a.slug for a in articles}
    return {a.slug: related_items(a, by_title, originals, count) for a in articles}


def related_items(
    article: Article,
    by_title: Mapping[str, str],
    originals: Mapping[str, str],
    count: int,
) -> tuple[RelatedItem, ...]:
    own_story = originals[article.slug]
    seen = {normalise_title(article.title)}
    items: list[RelatedItem] = []
    for mention in article.mentions:
        if len(items) >= count:
            break
        key = normalise_title(mention.title)
        target = by_title.get(key)
        if key in seen or (target and originals.get(target) == own_story):
            continue
        seen.add(key)
        items.append(
            RelatedItem(mention.title, mention.source, mention.summary, mention.url, target)
        )
    return tuple(items)
