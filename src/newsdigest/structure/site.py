"""Assembles the whole site model from loaded content: topics, issues, related lists."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Protocol

from newsdigest.config import SiteConfig
from newsdigest.diagnostics import Diagnostic
from newsdigest.model import (
    Article,
    IssueIntro,
    Mention,
    Page,
    RelatedItem,
    SiteModel,
    Story,
    field_getter,
)
from newsdigest.structure.issues import group_issues
from newsdigest.structure.related import build_related
from newsdigest.structure.similar import TextFeatures, features_of
from newsdigest.structure.stories import StoryMap, build_stories
from newsdigest.structure.syndication import find_copies
from newsdigest.structure.topics import assign_topics, build_topics


@dataclass(frozen=True, slots=True)
class Relations:
    """What the related engine decides: syndicated copies, stories and related lists."""

    canonical_of: Mapping[str, str]
    stories: Mapping[str, Story]
    related: Mapping[str, tuple[RelatedItem, ...]]


class FeatureMemo(Protocol):
    """Somewhere to keep each body's text features between builds, by a digest of the body."""

    def get_many(self, keys: list[str]) -> dict[str, TextFeatures]: ...

    def put_many(self, computed: Mapping[str, TextFeatures]) -> None: ...

    def keep(self, keys: list[str]) -> None:
        """Keep these features although this build does not need them."""


class RelationsMemo(Protocol):
    """Somewhere to keep story maps and Relations between builds, each by a digest of
    everything it depends on. Relations name the story map they were made with, which
    holds their stories: getting them gets (and so keeps) that story map too."""

    def get(self, key: str) -> Relations | None: ...

    def put(self, key: str, relations: Relations, stories_key: str) -> None: ...

    def get_stories(self, key: str) -> StoryMap | None: ...

    def put_stories(self, key: str, stories: StoryMap) -> None: ...


def build_model(
    config: SiteConfig,
    articles: Sequence[Article],
    pages: Sequence[Page],
    intros: Mapping[int, IssueIntro],
    *,
    memo: RelationsMemo | None = None,
    features: FeatureMemo | None = None,
    jobs: int = 1,
) -> tuple[SiteModel, list[Diagnostic]]:
    # Newest first, slug as tie-break: the order is independent of file discovery.
    ordered = sorted(assign_topics(articles, config), key=lambda a: (-a.date.timestamp(), a.slug))
    relations = _relations(ordered, config, memo, features, jobs)
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


def relate(
    ordered: Sequence[Article],
    config: SiteConfig,
    memo: FeatureMemo | None = None,
    jobs: int = 1,
    digests: Mapping[str, str] | None = None,
    stories: Callable[[Mapping[str, str]], StoryMap] | None = None,
) -> Relations:
    """``digests`` are the bodies' digests (``body_digests``) when the caller has them;
    ``stories`` builds the story map from the syndicated copies when the caller keeps it."""
    features = _features(ordered, memo, digests, jobs)
    canonical_of = find_copies(ordered, features)
    story_map = stories(canonical_of) if stories else build_stories(ordered, canonical_of)
    related = build_related(ordered, canonical_of, story_map, config.related, features, jobs)
    return Relations(canonical_of, story_map.stories, related)


def _features(
    ordered: Sequence[Article],
    memo: FeatureMemo | None,
    digests: Mapping[str, str] | None,
    jobs: int,
) -> dict[str, TextFeatures]:
    """Each article's text features, computed only for bodies the memo does not hold."""
    if memo is None:
        return features_of({a.slug: a.body_text for a in ordered}, jobs)
    keys = digests or body_digests(ordered)
    stored = memo.get_many(list(keys.values()))
    missing = {a.slug: a.body_text for a in ordered if keys[a.slug] not in stored}
    computed = features_of(missing, jobs)
    memo.put_many({keys[slug]: features for slug, features in computed.items()})
    return {a.slug: computed.get(a.slug) or stored[keys[a.slug]] for a in ordered}


def body_digests(ordered: Sequence[Article]) -> dict[str, str]:
    """Each article's body, as a SHA-256 digest by slug."""
    return {a.slug: hashlib.sha256(a.body_text.encode()).hexdigest() for a in ordered}


def _relations(
    ordered: Sequence[Article],
    config: SiteConfig,
    memo: RelationsMemo | None,
    features: FeatureMemo | None,
    jobs: int,
) -> Relations:
    if memo is None:
        return relate(ordered, config, features, jobs)
    digests = body_digests(ordered)
    described = metadata_key(ordered)
    key = relations_key(described, config, [digests[a.slug] for a in ordered])
    relations = memo.get(key)
    if relations is None:
        stories = partial(_stories, ordered, memo, described)
        relations = relate(ordered, config, features, jobs, digests, stories)
        memo.put(key, relations, _stories_key(described, relations.canonical_of))
    elif features is not None:
        features.keep(list(digests.values()))  # the next edit needs them
    return relations


def _stories(
    ordered: Sequence[Article],
    memo: RelationsMemo,
    described: str,
    canonical_of: Mapping[str, str],
) -> StoryMap:
    """The story map, kept between builds: an edit that changes only bodies (the common
    one) changes text features and related lists, but not stories."""
    key = _stories_key(described, canonical_of)
    story_map = memo.get_stories(key)
    if story_map is None:
        story_map = build_stories(ordered, canonical_of)
        memo.put_stories(key, story_map)
    return story_map


def _stories_key(described: str, canonical_of: Mapping[str, str]) -> str:
    copies = json.dumps(sorted(canonical_of.items()))
    return hashlib.sha256(f"{described}\0{copies}".encode()).hexdigest()


def metadata_key(ordered: Sequence[Article]) -> str:
    """A digest of every field but the body of the articles that the related engine reads."""
    digest = hashlib.sha256()
    for a in ordered:
        fields = [
            a.slug,
            a.title,
            a.date.isoformat(),
            a.source,
            a.url,
            a.topics,
            a.tags,
            [_MENTION_FIELDS(m) for m in a.mentions],
            a.duplicate_of,
            a.summary,
        ]
        digest.update(json.dumps(fields, ensure_ascii=False).encode())
    return digest.hexdigest()


def relations_key(described: str, config: SiteConfig, digests: Sequence[str]) -> str:
    """A digest of every input of ``relate`` (``described``: see ``metadata_key``;
    ``digests``: the bodies', see ``body_digests``): if it matches, so does the result."""
    settings = json.dumps(dataclasses.asdict(config.related))
    return hashlib.sha256("\0".join([settings, described, *digests]).encode()).hexdigest()


_MENTION_FIELDS = field_getter(Mention)
