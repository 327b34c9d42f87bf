"""Assembles the whole site model from loaded content: topics, issues, related lists."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from newsdigest.config import SiteConfig
from newsdigest.diagnostics import Diagnostic
from newsdigest.model import Article, IssueIntro, Page, SiteModel
from newsdigest.structure.issues import group_issues
from newsdigest.structure.related import build_related
from newsdigest.structure.similar import features_of
from newsdigest.structure.stories import build_stories
from newsdigest.structure.syndication import find_copies
from newsdigest.structure.topics import assign_topics, build_topics


def build_model(
    config: SiteConfig,
    articles: Sequence[Article],
    pages: Sequence[Page],
    intros: Mapping[int, IssueIntro],
) -> tuple[SiteModel, list[Diagnostic]]:
    # Newest first, slug as tie-break: the order is independent of file discovery.
    ordered = sorted(assign_topics(articles, config), key=lambda a: (-a.date.timestamp(), a.slug))
    features = features_of({a.slug: a.body_text for a in ordered})
    canonical_of = find_copies(ordered, features)
    story_map = build_stories(ordered, canonical_of)
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
        related=build_related(ordered, canonical_of, story_map, config.related, features),
        issue_of=issue_of,
        stories=story_map.stories,
        canonical_of=canonical_of,
        copies={slug: tuple(members) for slug, members in copies.items()},
    )
    return model, diagnostics
