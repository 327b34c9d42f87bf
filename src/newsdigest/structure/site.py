"""Assembles the whole site model from loaded content: topics, issues, related lists."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from newsdigest.config import SiteConfig
from newsdigest.diagnostics import Diagnostic
from newsdigest.model import Article, IssueIntro, Page, RelatedItem, SiteModel, Story
from newsdigest.structure.issues import group_issues
from newsdigest.structure.related import build_related
from newsdigest.structure.similar import features_of
from newsdigest.structure.stories import build_stories
from newsdigest.structure.syndication import find_copies
from newsdigest.structure.topics import assign_topics, build_topics


@dataclass(frozen=True, slots=True)
class Relations:
    """What the related engine decides: syndicated copies, stories and related lists."""

    canonical_of: Mapping[str, str]
    stories: Mapping[str, Story]
    related: Mapping[str, tuple[RelatedItem, ...]]


class RelationsMemo(Protocol):
    """Somewhere to keep Relations between builds, by a digest of everything they depend on."""

    def get(self, key: str) -> Relations | None: ...

    def put(self, key: str, relations: Relations) -> None: ...


def build_model(
    config: SiteConfig,
    articles: Sequence[Article],
    pages: Sequence[Page],
    intros: Mapping[int, IssueIntro],
    *,
    memo: RelationsMemo | None = None,
) -> tuple[SiteModel, list[Diagnostic]]:
    # Newest first, slug as tie-break: the order is independent of file discovery.
    ordered = sorted(assign_topics(articles, config), key=lambda a: (-a.date.timestamp(), a.slug))
    relations = _relations(ordered, config, memo)
    canonical_of = relations.canonical_of
    issues, issue_of, diagnostics = group_issues(ordered, config, intros, canonical_of)
    copies: dict[str, list[str]] = defaultdict(list)
    for article in reversed(ordered):
        if article.slug in canonical_of:
            copies[canonical_of[article.slug]].append(article.slug)
    model = SiteModel(
        config=config,
        articles={a.slug: a for a in ordered},
        issues=issues,
        topics=build_topics([a for a in ordered if a.slug not in canonical_of], config),
        pages=tuple(sorted(pages, key=lambda p: p.slug)),
        related=relations.related,
        issue_of=issue_of,
        stories=relations.stories,
        canonical_of=canonical_of,
        copies={slug: tuple(members) for slug, members in copies.items()},
    )
    return model, diagnostics


def relate(ordered: Sequence[Article], config: SiteConfig) -> Relations:
    features = features_of({a.slug: a.body_text for a in ordered})
    canonical_of = find_copies(ordered, features)
    story_map = build_stories(ordered, canonical_of)
    related = build_related(ordered, canonical_of, story_map, config.related, features)
    return Relations(canonical_of, story_map.stories, related)


def _relations(
    ordered: Sequence[Article], config: SiteConfig, memo: RelationsMemo | None
) -> Relations:
    if memo is None:
        return relate(ordered, config)
    key = relations_key(ordered, config)
    relations = memo.get(key)
    if relations is None:
        relations = relate(ordered, config)
        memo.put(key, relations)
    return relations


def relations_key(ordered: Sequence[Article], config: SiteConfig) -> str:
    """A digest of every input of ``relate``: if it matches, so does the result."""
    digest = hashlib.sha256(json.dumps(dataclasses.asdict(config.related)).encode())
    for a in ordered:
        fields = [
            a.slug,
            a.title,
            a.date.isoformat(),
            a.source,
            a.url,
            a.topics,
            a.tags,
            [dataclasses.astuple(m) for m in a.mentions],
            a.duplicate_of,
            a.summary,
        ]
        digest.update(json.dumps(fields, ensure_ascii=False).encode())
        digest.update(hashlib.sha256(a.body_text.encode()).digest())
    return digest.hexdigest()


class JsonStore(Protocol):
    def get(self, key: str) -> Any | None: ...

    def put(self, key: str, value: Any) -> None: ...


class StoredRelations:
    """Relations kept as JSON in a key-value store (the build cache) between builds."""

    def __init__(self, store: JsonStore) -> None:
        self.store = store

    def get(self, key: str) -> Relations | None:
        stored = self.store.get(f"relations:{key}")
        if stored is None:
            return None
        related = stored["related"]
        return Relations(
            canonical_of=stored["canonical_of"],
            stories={k: _story(v) for k, v in stored["stories"].items()},
            related={k: tuple(RelatedItem(*item) for item in v) for k, v in related.items()},
        )

    def put(self, key: str, relations: Relations) -> None:
        related = relations.related
        self.store.put(
            f"relations:{key}",
            {
                "canonical_of": dict(relations.canonical_of),
                "stories": {k: dataclasses.astuple(s) for k, s in relations.stories.items()},
                "related": {k: [dataclasses.astuple(i) for i in v] for k, v in related.items()},
            },
        )


def _story(values: list[Any]) -> Story:
    story = Story(*values)
    return dataclasses.replace(
        story, sources=tuple(story.sources), mentioned_by=tuple(story.mentioned_by)
    )
